package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.learn.KernelRidge;
import org.kernels4j.learn.KernelRidgeModel;
import org.kernels4j.learn.RegressionMetrics;
import org.kernels4j.learn.RegularizationPath;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fit a model on a CSV or LibSVM file and save it as a model file (.zip).",
            "krr: exact kernel ridge regression, alpha = (K + lambda I)^-1 y. With --lambda auto, lambda is chosen "
                + "from --lambda-grid by leave-one-out error (or GCV) from one eigendecomposition."})
final class FitCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--train", required = true, paramLabel = "FILE", description = "Training data (.csv, or .libsvm/.svm).")
    Path train;

    @Option(names = "--target", defaultValue = "-1", paramLabel = "NAME|INDEX",
            description = "Target column: a header name or a 0-based index, negative from the end (default: last column).")
    String target;

    @Option(names = "--model", defaultValue = "krr", paramLabel = "KIND", description = "Model kind (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC",
            description = "Kernel spec, e.g. 'rbf(gamma=0.5)' or '2*matern(nu=2.5, length=1) + white(noise=0.1)'.")
    String kernel;

    @Option(names = "--lambda", defaultValue = "1", paramLabel = "VALUE|auto",
            description = "Ridge regularization lambda > 0, or 'auto' to select it (default: ${DEFAULT-VALUE}).")
    String lambda;

    @Option(names = "--lambda-grid", defaultValue = "1e-6:1e2:17", paramLabel = "FROM:TO:COUNT",
            description = "Log-spaced grid searched by --lambda auto (default: ${DEFAULT-VALUE}).")
    String lambdaGrid;

    @Option(names = "--select", defaultValue = "loo", paramLabel = "loo|gcv",
            description = "Criterion for --lambda auto (default: ${DEFAULT-VALUE}).")
    String select;

    @Option(names = "--intercept", description = "Fit an unpenalized constant per output besides the kernel "
            + "expansion (recommended unless the target is already centred).")
    boolean intercept;

    @Option(names = "--out", required = true, paramLabel = "MODEL.zip", description = "Model file to write.")
    Path out;

    @Mixin
    DataOptionsMixin data;

    @Option(names = "--no-progress", description = "Never show a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        if (!model.equals("krr")) {
            throw new Kernels4jException("unknown --model '" + model + "'; available: krr");
        }
        Kernel k = KernelSpec.parse(kernel);
        KernelRidge.Builder b = KernelRidge.builder(k).fitIntercept(intercept);
        if (lambda.equalsIgnoreCase("auto")) {
            RegularizationPath.Criterion c;
            switch (select.toLowerCase(java.util.Locale.ROOT)) {
                case "loo":
                    c = RegularizationPath.Criterion.LOO;
                    break;
                case "gcv":
                    c = RegularizationPath.Criterion.GCV;
                    break;
                default:
                    throw new Kernels4jException("--select must be loo or gcv, got '" + select + "'");
            }
            b.selectLambda(parseGrid(lambdaGrid), c);
        } else {
            b.lambda(parseNumber("--lambda", lambda));
        }
        Dataset ds = data.options.read(train, target, 0);
        if (!ds.hasTarget()) {
            throw new Kernels4jException(train + ": no target column selected");
        }
        KernelRidgeModel m;
        try (Progress p = new Progress(!noProgress)) {
            m = b.progress(p).build().fit(ds.features(), ds.target());
        }
        ModelFiles.save(new SavedModel("krr", m, ds.featureNames(), ds.targetName()), out);
        var pw = spec.commandLine().getOut();
        pw.printf("model: krr, kernel: %s%n", k.toSpec());
        pw.printf("trained on %d rows x %d features from %s, target '%s'%n", ds.rows(), ds.features().cols(), train,
                ds.targetName());
        if (m.path() != null) {
            RegularizationPath path = m.path();
            pw.printf("%12s %14s %14s%n", "lambda", "loo_mse", "gcv");
            for (int i = 0; i < path.lambdas().length; i++) {
                pw.printf("%12.4g %14.6g %14.6g%s%n", path.lambdas()[i], path.looMse()[i], path.gcv()[i],
                        i == path.chosenIndex() ? "  <- chosen" : "");
            }
        }
        pw.printf("lambda: %s%n", m.lambda());
        RegressionMetrics train = RegressionMetrics.of(ds.target(), m.predict(ds.features()));
        pw.printf("training rmse: %.6g, r2: %.6f%n", train.rmse(), train.r2());
        pw.printf("saved %s%n", out);
        return 0;
    }

    static double parseNumber(String option, String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new Kernels4jException(option + " must be a number, got '" + text + "'");
        }
    }

    static double[] parseGrid(String text) {
        String[] parts = text.split(":");
        if (parts.length != 3) {
            throw new Kernels4jException("--lambda-grid must be FROM:TO:COUNT, e.g. 1e-6:1e2:17, got '" + text + "'");
        }
        double from = parseNumber("--lambda-grid", parts[0]);
        double to = parseNumber("--lambda-grid", parts[1]);
        int count;
        try {
            count = Integer.parseInt(parts[2].trim());
        } catch (NumberFormatException e) {
            throw new Kernels4jException("--lambda-grid COUNT must be an integer, got '" + parts[2] + "'");
        }
        return KernelRidge.logGrid(from, to, count);
    }
}
