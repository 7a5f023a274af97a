package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.selection.CrossValidation;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmGridSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare kernels by k-fold cross-validation of kernel ridge regression (or, with --model svc|svr,",
            "of support vector machines over a grid of kernels x --c values) on one data file.",
            "regression: RMSE per fold. classification: one-hot targets, predicted class = largest output, accuracy",
            "per fold (folds stratified by class). Features are standardized on each training fold; lambda is chosen",
            "on each training fold by exact leave-one-out error over --lambda-grid (or fixed with --lambda).",
            "SVMs: accuracy (svc) or RMSE (svr) per fold; for each fold and kernel the kernel matrices are computed once",
            "and shared by all C values, which are solved in parallel."})
final class CrossValidateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Data file (.csv, or .libsvm/.svm).")
    Path data;

    @Option(names = "--target", defaultValue = "-1", paramLabel = "NAME|INDEX",
            description = "Target column: a header name or a 0-based index, negative from the end (default: last column).")
    String target;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC",
            description = "Kernel spec; repeat to compare several, e.g. --kernel 'rbf(gamma=0.1)' --kernel 'ntk(depth=3)'.")
    List<String> kernels;

    @Option(names = "--model", defaultValue = "krr", paramLabel = "krr|svc|svr",
            description = "Learner (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--c", split = ",", paramLabel = "C[,C...]", description = "svc, svr: C values to try "
            + "(default: 1).")
    List<Double> cs;

    @Option(names = "--epsilon", paramLabel = "EPS", description = "svr: tube width (default 0.1).")
    Double epsilon;

    @Option(names = "--gram-mb", defaultValue = "2048", paramLabel = "MB", description = "svc, svr: largest training "
            + "Gram matrix to compute once and share across C values (default: ${DEFAULT-VALUE}).")
    long gramMb;

    @Option(names = "--task", defaultValue = "regression", paramLabel = "regression|classification",
            description = "What the target is (default: ${DEFAULT-VALUE}).")
    String task;

    @Option(names = "--folds", defaultValue = "5", description = "Number of folds (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the fold assignment (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--lambda", defaultValue = "auto", paramLabel = "VALUE|auto",
            description = "Ridge lambda > 0, or 'auto' to select it per training fold (default: ${DEFAULT-VALUE}).")
    String lambda;

    @Option(names = "--lambda-grid", defaultValue = "1e-6:1e2:17", paramLabel = "FROM:TO:COUNT",
            description = "Log-spaced grid searched by --lambda auto (default: ${DEFAULT-VALUE}).")
    String lambdaGrid;

    @Option(names = "--no-intercept", description = "Do not fit an unpenalized constant per output.")
    boolean noIntercept;

    @Option(names = "--no-standardize", description = "Use the features as they are.")
    boolean noStandardize;

    @Mixin
    DataOptionsMixin dataOptions;

    @Override
    public Integer call() {
        var parsed = spec.commandLine().getParseResult();
        boolean svm = model.equals("svc") || model.equals("svr");
        if (!svm && !model.equals("krr")) {
            throw new Kernels4jException("unknown --model '" + model + "'; available: krr, svc, svr");
        }
        for (String o : svm ? List.of("--task", "--lambda", "--lambda-grid", "--no-intercept")
                : List.of("--c", "--epsilon", "--gram-mb")) {
            if (parsed.hasMatchedOption(o)) {
                throw new Kernels4jException(o + " does not apply to --model " + model);
            }
        }
        if (parsed.hasMatchedOption("--epsilon") && !model.equals("svr")) {
            throw new Kernels4jException("--epsilon applies to --model svr only");
        }
        if (svm) {
            return svmGrid();
        }
        CrossValidation.Task t = switch (task.toLowerCase(Locale.ROOT)) {
            case "regression" -> CrossValidation.Task.REGRESSION;
            case "classification" -> CrossValidation.Task.CLASSIFICATION;
            default -> throw new Kernels4jException("--task must be regression or classification, got '" + task + "'");
        };
        List<KernelRidge> learners = new ArrayList<>();
        for (String s : kernels) {
            Kernel k = KernelSpec.parse(s);
            KernelRidge.Builder b = KernelRidge.builder(k).fitIntercept(!noIntercept);
            if (lambda.equalsIgnoreCase("auto")) {
                b.selectLambda(FitCommand.parseGrid("--lambda-grid", lambdaGrid), RegularizationPath.Criterion.LOO);
            } else {
                b.lambda(FitCommand.parseNumber("--lambda", lambda));
            }
            learners.add(b.build());
        }
        Dataset ds = dataOptions.options.readWithTarget(data, target);
        CrossValidation.checkFolds(ds.rows(), folds);
        var out = spec.commandLine().getOut();
        boolean classify = t == CrossValidation.Task.CLASSIFICATION;
        out.printf(Locale.ROOT, "%s: %d rows x %d features, target '%s', %s, %d folds (seed %d)%s%n", data, ds.rows(),
                ds.features().cols(), ds.targetName(), classify ? "classification" : "regression", folds, seed,
                noStandardize ? "" : ", standardized per training fold");
        String score = classify ? "accuracy" : "rmse";
        out.printf(Locale.ROOT, "%-60s  %10s  %8s  %10s  %8s%n", "kernel", score, "sd", "lambda_med", "seconds");
        for (int i = 0; i < learners.size(); i++) {
            CrossValidation.Result r = CrossValidation.run(learners.get(i), ds.features(), ds.target(), t, folds, seed,
                    !noStandardize);
            double[] l = r.lambdas().clone();
            java.util.Arrays.sort(l);
            out.printf(Locale.ROOT, "%-60s  %10.4f  %8.4f  %10.3g  %8.2f%n", learners.get(i).kernel().toSpec(), r.mean(),
                    r.standardDeviation(), l[l.length / 2], r.seconds());
        }
        return 0;
    }

    private Integer svmGrid() {
        List<Kernel> ks = kernels.stream().map(KernelSpec::parse).toList();
        double[] grid = cs == null ? new double[] {1} : cs.stream().mapToDouble(Double::doubleValue).toArray();
        SupportVectorMachine.Builder b = model.equals("svc") ? SupportVectorMachine.classifier()
                : SupportVectorMachine.regression();
        if (epsilon != null) {
            b.epsilon(epsilon);
        }
        SvmGridSearch search = new SvmGridSearch(b.build(), ks, grid, folds, seed, !noStandardize, gramMb << 20);
        Dataset ds = dataOptions.options.readWithTarget(data, target);
        CrossValidation.checkFolds(ds.rows(), folds);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %d rows x %d features, target '%s', %s, %d folds (seed %d)%s%n", data, ds.rows(),
                ds.features().cols(), ds.targetName(), model, folds, seed,
                noStandardize ? "" : ", standardized per training fold");
        SvmGridSearch.Result r = search.run(ds.features(), ds.target().data());
        String score = model.equals("svc") ? "accuracy" : "rmse";
        out.printf(Locale.ROOT, "%-50s  %10s  %10s  %8s%n", "kernel", "C", score, "sd");
        for (int i = 0; i < r.points().size(); i++) {
            SvmGridSearch.Point p = r.points().get(i);
            out.printf(Locale.ROOT, "%-50s  %10.4g  %10.4f  %8.4f%s%n", p.kernel().toSpec(), p.c(), p.mean(),
                    p.standardDeviation(), i == r.best() ? "  <- best" : "");
        }
        out.printf(Locale.ROOT, "best: --kernel '%s' --c %s (%.2f s)%n", r.bestPoint().kernel().toSpec(),
                r.bestPoint().c(), r.seconds());
        return 0;
    }
}
