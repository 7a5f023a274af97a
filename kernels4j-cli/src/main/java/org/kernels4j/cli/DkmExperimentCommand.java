package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.dkm.DeepKernelMachine;
import org.kernels4j.dkm.DeepKernelMachineClassifier;
import org.kernels4j.dkm.DeepKernelMachineClassifierModel;
import org.kernels4j.dkm.DeepKernelMachineModel;
import org.kernels4j.dkm.GramMap;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Bandwidth;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegularizationPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "dkm-experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare the exact deep kernel machine with its nu -> infinity limit (the NNGP), a GP with a "
                + "learned RBF kernel and kernel ridge regression on bundled regression and classification sets; "
                + "prints a markdown table (test RMSE, or accuracy and log-loss; fit seconds).",
            "Per data set: one seeded split (--test-fraction held out), at most --max-rows training rows, features "
                + "standardized on the training rows. Regression targets are standardized for fitting and the RMSE is "
                + "in the target's units; classes become centred one-hot targets for every model (label regression, "
                + "see docs/deep-kernel-machines.md). DKM and NNGP share the layer map, L and the noise variance, "
                + "chosen by the NNGP evidence from 1e-3..1; NNGP is the DKM code at nu = 1e9. GP: "
                + "1*rbf + white, every hyperparameter by L-BFGS on the evidence. KRR: rbf, length by the median "
                + "heuristic, lambda by leave-one-out from 1e-6..1e2. Log-loss: P(class) = P(its output is the "
                + "largest) under the Gaussian predictive distribution (DKM, NNGP, GP); KRR has none."})
final class DkmExperimentCommand implements Callable<Integer> {
    private static final double[] NOISE_GRID = {1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1};

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--regression", split = ",", paramLabel = "FILES", defaultValue = "data/diabetes.csv",
            description = "Regression CSV files, target in the last column (default: ${DEFAULT-VALUE}; 'none' for none).")
    List<String> regression;

    @Option(names = "--classification", split = ",", paramLabel = "FILES",
            defaultValue = "data/iris.csv,data/wine.csv,data/heart_scale.csv,data/breast_cancer.csv",
            description = "Classification CSV files, labels in the last column (default: ${DEFAULT-VALUE}; 'none' for none).")
    List<String> classification;

    @Option(names = "--kernel", defaultValue = "nngp(activation=relu, w_var=2, b_var=0.1)", paramLabel = "MAP",
            description = "The DKM/NNGP layer map (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--layers", defaultValue = "2", paramLabel = "L", description = "Learned Gram matrices (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--nu", defaultValue = "1", paramLabel = "NU", description = "The DKM's nu for every layer (default: ${DEFAULT-VALUE}).")
    double nu;

    @Option(names = "--max-iter", defaultValue = "200", paramLabel = "N", description = "DKM L-BFGS iterations (default: ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--test-fraction", defaultValue = "0.25", paramLabel = "F", description = "Share of rows held out "
            + "(default: ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--max-rows", defaultValue = "600", paramLabel = "N", description = "At most this many training rows "
            + "(a seeded subsample; the exact DKM is O(n^3) per evaluation) (default: ${DEFAULT-VALUE}).")
    int maxRows;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Split seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE.md", description = "Also write the markdown table to this file.")
    Path out;

    /** One (data set, model) result: the score (RMSE or accuracy), the log-loss (NaN: none) and fit seconds. */
    record Row(String data, String split, String model, boolean classification, double score, double logLoss,
            double seconds) {
    }

    @Override
    public Integer call() {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new UsageException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        if (maxRows < 10) {
            throw new UsageException("--max-rows must be at least 10, got " + maxRows);
        }
        if (maxIter < 1) {
            throw new UsageException("--max-iter must be at least 1, got " + maxIter);
        }
        GramMap map = GramMap.parse(kernel);
        DeepKernelMachine.builder(map).layers(layers).nu(nu).build(); // options checked before any data is read
        List<Path> reg = files(regression, "--regression");
        List<Path> cls = files(classification, "--classification");
        if (reg.isEmpty() && cls.isEmpty()) {
            throw new UsageException("no data: give --regression and/or --classification files");
        }
        if (out != null) {
            AtomicFiles.checkWritable(out);
        }
        PrintWriter pw = spec.commandLine().getOut();
        DataOptions reader = new DataOptions();
        List<Row> rows = new ArrayList<>();
        for (Path f : reg) {
            rows.addAll(regressionRows(f, reader.readWithTarget(f, "-1", false), map, pw));
        }
        for (Path f : cls) {
            rows.addAll(classificationRows(f, reader.readWithTarget(f, "-1", true), map, pw));
        }
        String table = table(rows, map);
        pw.print(table);
        if (out != null) {
            AtomicFiles.writeString(out, table);
            pw.printf("wrote %s%n", out);
        }
        return 0;
    }

    private static List<Path> files(List<String> names, String option) {
        List<Path> paths = new ArrayList<>();
        for (String n : names) {
            if (n.isBlank() || n.trim().equalsIgnoreCase("none")) {
                continue;
            }
            Path p = Path.of(n.trim());
            if (!Files.isRegularFile(p)) {
                throw new UsageException(option + ": no such file '" + n.trim() + "' (the defaults are in the "
                        + "repository's data/ folder: run from its root or name the files)");
            }
            paths.add(p);
        }
        return paths;
    }

    /** A seeded split: the first indices are the test rows, the rest (at most --max-rows) the training rows. */
    private int[][] split(int n) {
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
        int test = Math.max(1, (int) Math.round(testFraction * n));
        int train = Math.min(maxRows, n - test);
        if (train < 3) {
            throw new Kernels4jException("too few rows to split: " + n);
        }
        return new int[][] {java.util.Arrays.copyOfRange(perm, test, test + train),
            java.util.Arrays.copyOfRange(perm, 0, test)};
    }

    /** Features standardized by the training rows' mean and standard deviation (constant columns: sd 1). */
    private static Matrix[] standardized(Matrix x, int[] train, int[] test) {
        int d = x.cols();
        Matrix a = x.selectRows(train);
        Matrix b = x.selectRows(test);
        for (int j = 0; j < d; j++) {
            double[] col = a.column(j);
            double mean = java.util.Arrays.stream(col).average().orElse(0);
            double var = 0;
            for (double v : col) {
                var += (v - mean) * (v - mean) / col.length;
            }
            double sd = var > 0 ? Math.sqrt(var) : 1;
            for (Matrix m : new Matrix[] {a, b}) {
                for (int i = 0; i < m.rows(); i++) {
                    m.set(i, j, (m.get(i, j) - mean) / sd);
                }
            }
        }
        return new Matrix[] {a, b};
    }

    private DeepKernelMachine.Builder machine(GramMap map) {
        return DeepKernelMachine.builder(map).layers(layers);
    }

    /** σ² maximizing the NNGP evidence (the DKM objective at its start, where every KL term is 0). */
    private double nngpNoise(GramMap map, Matrix x, Matrix y) {
        double best = Double.NaN;
        double bestEvidence = Double.NEGATIVE_INFINITY;
        for (double s2 : NOISE_GRID) {
            DeepKernelMachine.Problem p = machine(map).noise(s2).build().problem(x, y, null);
            double evidence = -p.objective().valueAndGradient(p.theta(), null);
            if (evidence > bestEvidence) {
                bestEvidence = evidence;
                best = s2;
            }
        }
        return best;
    }

    private static GaussianProcessModel learnedRbf(Matrix x, Matrix y) {
        String spec = "1*rbf(length=" + Math.sqrt(x.cols()) + ") + white(noise=0.1)";
        return GaussianProcess.builder(KernelSpec.parse(spec)).optimize(HyperparameterSearch.builder().build()).build()
                .fit(x, y);
    }

    private KernelRidge ridge(Matrix x) {
        return KernelRidge.builder(RbfKernel.withGamma(Bandwidth.median(x, seed).gamma()))
                .selectLambda(KernelRidge.logGrid(1e-6, 1e2, 17), RegularizationPath.Criterion.LOO).build();
    }

    private List<Row> regressionRows(Path file, Dataset ds, GramMap map, PrintWriter pw) {
        int[][] s = split(ds.rows());
        Matrix[] x = standardized(ds.features(), s[0], s[1]);
        double[] ytr = ds.target().selectRows(s[0]).column(0);
        double[] yte = ds.target().selectRows(s[1]).column(0);
        double mean = java.util.Arrays.stream(ytr).average().orElse(0);
        double var = 0;
        for (double v : ytr) {
            var += (v - mean) * (v - mean) / ytr.length;
        }
        double sd = var > 0 ? Math.sqrt(var) : 1;
        Matrix y = new Matrix(ytr.length, 1);
        for (int i = 0; i < ytr.length; i++) {
            y.set(i, 0, (ytr[i] - mean) / sd);
        }
        String name = file.getFileName().toString();
        String splitText = s[0].length + "/" + s[1].length;
        pw.printf("%s: regression, %s train/test rows, %d features%n", name, splitText, x[0].cols());
        pw.flush();
        List<Row> rows = new ArrayList<>();
        double noise = nngpNoise(map, x[0], y);
        String[] names = {"DKM (nu=" + num(nu) + ")", "NNGP (nu -> inf)", "GP, learned RBF", "KRR, LOO lambda"};
        for (int m = 0; m < 4; m++) {
            long t0 = System.nanoTime();
            Model model = switch (m) {
                case 0 -> machine(map).nu(nu).noise(noise).maxIterations(maxIter).build().fit(x[0], y);
                case 1 -> machine(map).nu(1e9).noise(noise).maxIterations(1).build().fit(x[0], y);
                case 2 -> learnedRbf(x[0], y);
                default -> ridge(x[0]).fit(x[0], y);
            };
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[] pred = model.predict(x[1]).column(0);
            double se = 0;
            for (int i = 0; i < pred.length; i++) {
                double e = pred[i] * sd + mean - yte[i];
                se += e * e;
            }
            rows.add(new Row(name, splitText, names[m], false, Math.sqrt(se / pred.length), Double.NaN, seconds));
        }
        return rows;
    }

    private List<Row> classificationRows(Path file, Dataset ds, GramMap map, PrintWriter pw) {
        int[][] s = split(ds.rows());
        Matrix[] x = standardized(ds.features(), s[0], s[1]);
        Matrix ytr = ds.target().selectRows(s[0]);
        double[] yte = ds.target().selectRows(s[1]).column(0);
        double[] classes = java.util.Arrays.stream(ytr.data()).distinct().sorted().toArray();
        if (classes.length < 2) {
            throw new Kernels4jException(file + ": the training rows hold only one class");
        }
        Matrix onehot = new Matrix(ytr.rows(), classes.length);
        for (int i = 0; i < ytr.rows(); i++) {
            for (int k = 0; k < classes.length; k++) {
                onehot.set(i, k, (ytr.get(i, 0) == classes[k] ? 1.0 : 0.0) - 1.0 / classes.length);
            }
        }
        String name = file.getFileName().toString();
        String splitText = s[0].length + "/" + s[1].length;
        pw.printf("%s: %d classes, %s train/test rows, %d features%n", name, classes.length, splitText, x[0].cols());
        pw.flush();
        double noise = nngpNoise(map, x[0], onehot);
        List<Row> rows = new ArrayList<>();
        String[] names = {"DKM (nu=" + num(nu) + ")", "NNGP (nu -> inf)", "GP, learned RBF", "KRR, LOO lambda"};
        for (int m = 0; m < 4; m++) {
            long t0 = System.nanoTime();
            Matrix mean;
            Matrix proba;
            switch (m) {
                case 0, 1 -> {
                    DeepKernelMachine dkm = m == 0 ? machine(map).nu(nu).noise(noise).maxIterations(maxIter).build()
                            : machine(map).nu(1e9).noise(noise).maxIterations(1).build();
                    DeepKernelMachineClassifierModel c = DeepKernelMachineClassifier.of(dkm).fit(x[0], ytr);
                    mean = c.regression().predict(x[1]);
                    proba = c.probabilities(x[1]);
                }
                case 2 -> {
                    GaussianProcessModel gp = learnedRbf(x[0], onehot);
                    mean = gp.predict(x[1]);
                    proba = DeepKernelMachineClassifierModel.largestOutputProbabilities(mean,
                            gp.predictiveVariance(x[1]).column(0));
                }
                default -> {
                    mean = ridge(x[0]).fit(x[0], onehot).predict(x[1]);
                    proba = null;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            int right = 0;
            double logLoss = 0;
            for (int t = 0; t < yte.length; t++) {
                int best = 0;
                for (int k = 1; k < classes.length; k++) {
                    if (mean.get(t, k) > mean.get(t, best)) {
                        best = k;
                    }
                }
                right += classes[best] == yte[t] ? 1 : 0;
                int truth = java.util.Arrays.binarySearch(classes, yte[t]);
                if (proba != null) {
                    double p = truth >= 0 ? proba.get(t, truth) : 0;
                    logLoss -= Math.log(Math.max(p, 1e-15)) / yte.length;
                }
            }
            rows.add(new Row(name, splitText, names[m], true, right / (double) yte.length, proba == null ? Double.NaN : logLoss,
                    seconds));
        }
        return rows;
    }

    private String table(List<Row> rows, GramMap map) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "DKM: %s, L = %d, nu = %s, %d L-BFGS iterations at most; split seed %d, "
                + "%s held out%n%n", map.toSpec(), layers, num(nu), maxIter, seed, num(testFraction)));
        sb.append("| data | train/test | model | test RMSE or accuracy | log-loss | fit s |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Row r : rows) {
            String score = String.format(Locale.ROOT, "%.4f", r.score());
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s %s | %s | %.2f |%n", r.data(), r.split(), r.model(),
                    r.classification() ? "acc" : "RMSE", score, Double.isNaN(r.logLoss()) ? "–"
                            : String.format(Locale.ROOT, "%.4f", r.logLoss()), r.seconds()));
        }
        return sb.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }
}
