package org.kernels4j.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.selection.RegressionMetrics;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run kernel ridge regression on the bundled diabetes data (442 x 10): several kernels, lambda "
            + "chosen by leave-one-out error, an intercept, scored on a held-out 20%%, and a model file saved and reloaded."})
final class DemoCommand implements Callable<Integer> {
    static final List<String> KERNELS = List.of("linear()", "poly(degree=2, gamma=10, coef0=1)", "rbf(length=0.15)",
            "laplacian(gamma=3)", "matern(nu=2.5, length=0.2)", "0.5*rbf(length=0.15) + 0.5*linear()");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        var out = spec.commandLine().getOut();
        Dataset ds;
        try (Reader r = new InputStreamReader(DemoCommand.class.getResourceAsStream("data/diabetes.csv"),
                StandardCharsets.UTF_8)) {
            ds = CsvReader.builder().build().read(r, "diabetes.csv");
        }
        int n = ds.rows();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        java.util.Random rnd = new java.util.Random(42);
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int nTrain = (int) Math.round(0.8 * n);
        int[] tr = java.util.Arrays.copyOfRange(perm, 0, nTrain);
        int[] te = java.util.Arrays.copyOfRange(perm, nTrain, n);
        Matrix xTr = ds.features().selectRows(tr);
        Matrix yTr = ds.target().selectRows(tr);
        Matrix xTe = ds.features().selectRows(te);
        Matrix yTe = ds.target().selectRows(te);
        out.printf("kernels4j demo: kernel ridge regression on diabetes (%d train / %d test rows, %d features)%n",
                nTrain, n - nTrain, ds.features().cols());
        out.printf("threads: %d, element-wise passes: %s%n%n", Parallelism.threads(), ElementOps.get().name());
        out.printf("%-40s %10s %10s %10s %8s%n", "kernel", "lambda", "loo_rmse", "test_rmse", "test_r2");
        double[] grid = KernelRidge.logGrid(1e-4, 10, 21);
        KernelRidgeModel best = null;
        double bestLoo = Double.MAX_VALUE;
        for (String spec : KERNELS) {
            KernelRidgeModel m = KernelRidge.builder(KernelSpec.parse(spec))
                    .fitIntercept(true)
                    .selectLambda(grid, RegularizationPath.Criterion.LOO).build().fit(xTr, yTr);
            double loo = Math.sqrt(m.path().looMse()[m.path().chosenIndex()]);
            RegressionMetrics r = RegressionMetrics.of(yTe, m.predict(xTe));
            out.printf("%-40s %10.3g %10.2f %10.2f %8.3f%n", spec, m.lambda(), loo, r.rmse(), r.r2());
            if (loo < bestLoo) {
                bestLoo = loo;
                best = m;
            }
        }
        Path tmp = Files.createTempFile("kernels4j-demo", ".zip");
        try {
            ModelFiles.save(new SavedModel(best, ds.featureNames(), ds.targetName()), tmp);
            SavedModel back = ModelFiles.load(tmp);
            double diff = back.model().predict(xTe).maxAbsDifference(best.predict(xTe));
            out.printf("%nbest by leave-one-out error: %s (lambda %.3g)%n", best.kernel().toSpec(), best.lambda());
            out.printf("saved and reloaded as a model file (%d bytes): max prediction difference %s%n",
                    Files.size(tmp), diff);
        } finally {
            Files.deleteIfExists(tmp);
        }
        out.printf("%nnext: ./kernels4j kernels, ./kernels4j fit --help, ./kernels4j bench --help%n");
        return 0;
    }
}
