package org.kernels4j.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.selection.ClassificationMetrics;
import org.kernels4j.selection.RegressionMetrics;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A short tour on the data packed into the jar (diabetes for regression, heart_scale for classification): kernel
 * ridge regression with λ chosen by exact leave-one-out, RBF against the NNGP and NTK of an infinitely wide
 * network, a support vector machine, and a Gaussian process whose hyperparameters are learned and whose fit is
 * plotted to a file; then the commands that do each of these on the user's own data. Every split and start is
 * seeded, so two runs print the same numbers.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"A one-minute tour of kernels4j on bundled data: kernel ridge regression with lambda chosen by "
            + "leave-one-out (diabetes, 442 x 10), RBF against the NNGP/NTK of an infinitely wide network, a support "
            + "vector machine (heart_scale, 270 x 13), and a Gaussian process with learned hyperparameters whose "
            + "mean +/- 2 sd is plotted to --plot; ends with the commands to go further."})
final class DemoCommand implements Callable<Integer> {
    /** Section 2's kernels on standardized features: RBF with gamma = 1/d, and a 3-hidden-layer ReLU network's. */
    static final List<String> KERNELS = List.of("linear()", "rbf(gamma=0.1)", "matern(nu=2.5, length=3)",
            "nngp(depth=3, activation=relu, w_var=2, b_var=0.1)", "ntk(depth=3, activation=relu, w_var=2, b_var=0.1)");
    /** --quick's kernels: RBF against the two network kernels. */
    static final List<String> QUICK_KERNELS = List.of(KERNELS.get(1), KERNELS.get(3), KERNELS.get(4));
    static final String SVM_KERNEL = "rbf(gamma=0.0769)"; // 1/13, LIBSVM's default for heart_scale
    static final String GP_START = "1*rbf(length=1) + white(noise=1)";
    static final String GP_FEATURE = "bmi";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--plot", paramLabel = "FILE.png|FILE.svg", defaultValue = "kernels4j-demo-gp.png",
            description = "Where the Gaussian process plot goes (default: ${DEFAULT-VALUE} in the current directory).")
    Path plot;

    @Option(names = "--quick", description = "A smaller tour for tests and slow machines: three kernels, a 7-value "
            + "lambda grid, one GP start on 120 rows.")
    boolean quick;

    private PrintWriter out;

    @Override
    public Integer call() throws IOException {
        Charts.checkPlot(plot);
        out = spec.commandLine().getOut();
        long started = System.nanoTime();
        Dataset diabetes = bundled("diabetes.csv");
        Dataset heart = bundled("heart_scale.csv");
        out.printf("kernels4j demo: a tour on bundled data (diabetes %d x %d, heart_scale %d x %d)%n", diabetes.rows(),
                diabetes.features().cols(), heart.rows(), heart.features().cols());
        out.printf("threads: %d, element-wise passes: %s%n", Parallelism.threads(), ElementOps.get().name());

        Split d = Split.of(diabetes, 0.8, 42);
        long t = System.nanoTime();
        kernelRidge(d);
        t = lap(t);
        supportVectorMachine(Split.of(heart, 0.8, 42));
        t = lap(t);
        gaussianProcess(diabetes, d);
        lap(t);
        out.printf("%ndone in %.1f s. Go further on your own data (CSV with a header, target last; or LibSVM):%n",
                (System.nanoTime() - started) / 1e9);
        for (String line : List.of(
                "./kernels4j fit --train data/diabetes.csv --kernel \"rbf(length=0.15)\" --lambda auto --intercept --out krr.zip",
                "./kernels4j cv --data data/diabetes.csv --task regression --kernel \"rbf(gamma=0.1)\" \\",
                "               --kernel \"ntk(depth=3, w_var=2, b_var=0.1)\"      # 5-fold, features standardized",
                "./kernels4j fit --model svc --train data/heart_scale.libsvm --kernel \"" + SVM_KERNEL + "\" --out svc.zip",
                "./kernels4j evaluate --model svc.zip --data data/heart_scale.libsvm",
                "./kernels4j fit --model gp --train data/diabetes.csv --kernel \"1*rbf(length=0.1) + white(noise=1)\" \\",
                "               --optimize --normalize --out gp.zip",
                "./kernels4j predict --model gp.zip --data data/diabetes.csv --std --out gp.csv",
                "./kernels4j kernels        # every kernel and its parameters; ./kernels4j --help lists all commands")) {
            out.println("  " + line);
        }
        return 0;
    }

    /** Prints the seconds since {@code since} at the end of a section; returns now. */
    private long lap(long since) {
        long now = System.nanoTime();
        out.printf("   (%.1f s)%n", (now - since) / 1e9);
        return now;
    }

    /** Sections 1 and 2: the leave-one-out path for RBF, then the kernel table and a model file round trip. */
    private void kernelRidge(Split d) throws IOException {
        double[] grid = quick ? KernelRidge.logGrid(1e-4, 1e2, 7) : KernelRidge.logGrid(1e-4, 1e2, 13);
        out.printf("%n1. Kernel ridge regression on diabetes (%d train / %d test rows, standardized): lambda chosen by%n"
                + "   exact leave-one-out error, all %d values of the grid from one eigendecomposition%n",
                d.xTrain().rows(), d.xTest().rows(), grid.length);
        KernelRidgeModel rbf = fitRidge("rbf(gamma=0.1)", grid, d);
        double[] loo = rbf.path().looMse();
        int chosen = rbf.path().chosenIndex();
        out.printf("   rbf(gamma=0.1)  %-8s", "lambda");
        int step = quick ? 1 : 2;
        for (int i = 0; i < grid.length; i += step) {
            out.printf(" %8.0e", grid[i]);
        }
        out.printf("%n                   %-8s", "loo_rmse");
        for (int i = 0; i < grid.length; i += step) {
            out.printf(" %8.2f", Math.sqrt(loo[i]));
        }
        out.printf("%n   chosen: lambda %.3g, leave-one-out rmse %.2f%n", rbf.lambda(), Math.sqrt(loo[chosen]));

        out.printf("%n2. RBF against the infinitely wide network: the NNGP and NTK of a 3-hidden-layer ReLU net%n"
                + "   (no bandwidth to tune), lambda by leave-one-out for each%n");
        out.printf("   %-52s %9s %9s %9s %8s%n", "kernel", "lambda", "loo_rmse", "test_rmse", "test_r2");
        KernelRidgeModel best = null;
        double bestLoo = Double.POSITIVE_INFINITY;
        for (String k : quick ? QUICK_KERNELS : KERNELS) {
            KernelRidgeModel m = k.equals("rbf(gamma=0.1)") ? rbf : fitRidge(k, grid, d);
            double looRmse = Math.sqrt(m.path().looMse()[m.path().chosenIndex()]);
            RegressionMetrics r = RegressionMetrics.of(d.yTest(), m.predict(d.xTest()));
            out.printf("   %-52s %9.3g %9.2f %9.2f %8.3f%n", k, m.lambda(), looRmse, r.rmse(), r.r2());
            if (looRmse < bestLoo) {
                bestLoo = looRmse;
                best = m;
            }
        }
        Path tmp = Files.createTempFile("kernels4j-demo", ".zip");
        try {
            ModelFiles.save(new SavedModel(best, d.featureNames(), d.targetName()), tmp);
            SavedModel back = ModelFiles.load(tmp);
            double diff = back.model().predict(d.xTest()).maxAbsDifference(best.predict(d.xTest()));
            out.printf("   best by leave-one-out error: %s%n   saved and reloaded as a model file (%d bytes): max"
                    + " prediction difference %s%n", best.kernel().toSpec(), Files.size(tmp), diff);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static KernelRidgeModel fitRidge(String kernel, double[] grid, Split d) {
        return KernelRidge.builder(KernelSpec.parse(kernel)).fitIntercept(true)
                .selectLambda(grid, RegularizationPath.Criterion.LOO).build().fit(d.xTrain(), d.yTrain());
    }

    /** Section 3: a C-SVM on heart_scale. */
    private void supportVectorMachine(Split h) {
        out.printf("%n3. Support vector machine on heart_scale (%d train / %d test rows, labels -1/+1): C-SVC, %s, C = 1%n",
                h.xTrain().rows(), h.xTest().rows(), SVM_KERNEL);
        long t0 = System.nanoTime();
        SvmModel svm = SupportVectorMachine.classifier(KernelSpec.parse(SVM_KERNEL)).c(1).build()
                .fit(h.xTrain(), h.yTrain());
        double seconds = (System.nanoTime() - t0) / 1e9;
        ClassificationMetrics test = ClassificationMetrics.of(h.yTest().column(0), svm.predict(h.xTest()).column(0));
        ClassificationMetrics train = ClassificationMetrics.of(h.yTrain().column(0), svm.predict(h.xTrain()).column(0));
        out.printf("   %d support vectors of %d rows, trained in %.2f s; accuracy: train %.3f, test %.3f%n",
                svm.supportVectorCount(), h.xTrain().rows(), seconds, train.accuracy(), test.accuracy());
    }

    /** Section 4: a GP of the target against one feature, hyperparameters learned, plotted to {@link #plot}. */
    private void gaussianProcess(Dataset diabetes, Split d) {
        int column = diabetes.featureNames().indexOf(GP_FEATURE);
        int[] one = {column};
        int rows = quick ? 120 : d.xTrain().rows();
        int[] first = java.util.stream.IntStream.range(0, rows).toArray(); // the split is already shuffled
        Matrix x = d.xTrain().selectColumns(one).selectRows(first);
        Matrix y = d.yTrain().selectRows(first);
        int restarts = quick ? 0 : 2;
        out.printf("%n4. Gaussian process of the target against %s alone (%d rows): hyperparameters learned by%n"
                + "   maximizing the log marginal likelihood (L-BFGS, %d start%s), targets normalized%n", GP_FEATURE,
                x.rows(), restarts + 1, restarts == 0 ? "" : "s");
        GaussianProcessModel gp = GaussianProcess.builder(KernelSpec.parse(GP_START)).normalizeTargets(true)
                .optimize(HyperparameterSearch.builder().restarts(restarts).seed(1).build()).build().fit(x, y);
        RegressionMetrics r = RegressionMetrics.of(d.yTest(), gp.predict(d.xTest().selectColumns(one)));
        out.printf("   start:   %s%n   learned: %s%n   log marginal likelihood %.2f; test rmse %.2f%n", GP_START,
                gp.kernel().toSpec(), gp.logMarginalLikelihood(), r.rmse());
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : x.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double pad = 0.1 * (hi - lo);
        double[] grid = new double[quick ? 100 : 300];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = lo - pad + (hi - lo + 2 * pad) * i / (grid.length - 1);
        }
        Charts.save(PlotCommand.oneFeatureChart(gp, grid, "Gaussian process on diabetes, hyperparameters learned",
                GP_FEATURE + " (standardized)", d.targetName(), x.column(0), y.column(0)), plot);
        out.printf("   wrote %s: the mean +/- 2 sd and the %d training points%n", plot, x.rows());
    }

    private static Dataset bundled(String name) throws IOException {
        try (Reader r = new InputStreamReader(DemoCommand.class.getResourceAsStream("data/" + name),
                StandardCharsets.UTF_8)) {
            return CsvReader.builder().build().read(r, name);
        }
    }

    /** A seeded random split into train and test rows, features standardized by the training rows' mean and sd. */
    record Split(Matrix xTrain, Matrix yTrain, Matrix xTest, Matrix yTest, List<String> featureNames,
            String targetName) {
        static Split of(Dataset ds, double trainFraction, long seed) {
            int n = ds.rows();
            int[] perm = new int[n];
            for (int i = 0; i < n; i++) {
                perm[i] = i;
            }
            Random rnd = new Random(seed);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            int nTrain = (int) Math.round(trainFraction * n);
            int[] tr = Arrays.copyOfRange(perm, 0, nTrain);
            int[] te = Arrays.copyOfRange(perm, nTrain, n);
            Matrix xTr = ds.features().selectRows(tr);
            Matrix xTe = ds.features().selectRows(te);
            double[] mean = xTr.columnMeans();
            double[] sd = xTr.columnStandardDeviations(mean);
            for (int j = 0; j < sd.length; j++) {
                sd[j] = sd[j] > 0 ? sd[j] : 1; // a constant column stays constant (zero)
            }
            xTr.standardizeColumns(mean, sd);
            xTe.standardizeColumns(mean, sd);
            return new Split(xTr, ds.target().selectRows(tr), xTe, ds.target().selectRows(te), ds.featureNames(),
                    ds.targetName());
        }
    }
}
