package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.selection.CrossValidation;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.model.Estimator;
import org.kernels4j.regression.RegressionClassifier;
import org.kernels4j.selection.GridSearch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "cv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare kernels (and, for SVMs, --c values) by k-fold cross-validation of any learner on one data file.",
            "Regression (krr, gp, svr): RMSE per fold. Classification (svc, gpc, and krr with --task classification:",
            "one-hot targets, predicted class = largest output): accuracy per fold, folds stratified by class.",
            "Features are standardized on each training fold. krr: lambda is chosen on each training fold by exact "
            + "leave-one-out error over --lambda-grid (or fixed with --lambda). For krr, svc and svr the kernel matrices "
            + "of each fold and kernel are computed once and shared by every candidate with that kernel."})
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

    @Option(names = "--model", defaultValue = "krr", paramLabel = "krr|gp|svc|svr|gpc",
            description = "Learner (default: ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--c", split = ",", paramLabel = "C[,C...]", description = "svc, svr: C values to try "
            + "(default: 1).")
    List<Double> cs;

    @Option(names = "--epsilon", paramLabel = "EPS", description = "svr: tube width (default 0.1).")
    Double epsilon;

    @Option(names = "--gram-mb", defaultValue = "2048", paramLabel = "MB", description = "Largest training Gram matrix "
            + "to compute once per fold and kernel and share across candidates (default: ${DEFAULT-VALUE}).")
    long gramMb;

    @Option(names = "--noise", paramLabel = "VALUE", description = "gp: fixed variance added to the diagonal besides "
            + "the kernel (default 1e-10).")
    Double noise;

    @Option(names = "--normalize", description = "gp: centre and scale the target to unit variance on each training "
            + "fold (scikit-learn's normalize_y).")
    boolean normalize;

    @Option(names = "--optimize", description = "gp: learn the kernel's hyperparameters on each training fold (L-BFGS "
            + "on the log marginal likelihood, as fit --optimize) before predicting its held-out fold, so the score "
            + "includes the hyperparameter search and nothing leaks from the held-out rows.")
    boolean optimize;

    @Option(names = "--restarts", defaultValue = "0", paramLabel = "R", description = "gp --optimize: extra random "
            + "starts per fold (default: ${DEFAULT-VALUE}).")
    int restarts;

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
        List<String> models = List.of("krr", "gp", "svc", "svr", "gpc");
        if (!models.contains(model)) {
            throw new UsageException("unknown --model '" + model + "'; available: " + String.join(", ", models));
        }
        java.util.Map<String, List<String>> appliesTo = new java.util.LinkedHashMap<>();
        for (String o : List.of("--lambda", "--lambda-grid", "--no-intercept", "--task")) {
            appliesTo.put(o, List.of("krr"));
        }
        appliesTo.put("--c", List.of("svc", "svr"));
        appliesTo.put("--epsilon", List.of("svr"));
        appliesTo.put("--noise", List.of("gp"));
        appliesTo.put("--normalize", List.of("gp"));
        appliesTo.put("--optimize", List.of("gp"));
        appliesTo.put("--restarts", List.of("gp"));
        if (parsed.hasMatchedOption("--restarts") && !optimize) {
            throw new UsageException("--restarts needs --optimize");
        }
        for (var e : appliesTo.entrySet()) {
            if (parsed.hasMatchedOption(e.getKey()) && !e.getValue().contains(model)) {
                throw new UsageException(e.getKey() + " applies to --model " + String.join("|", e.getValue())
                        + ", not --model " + model);
            }
        }
        if (parsed.hasMatchedOption("--lambda-grid") && !lambda.equalsIgnoreCase("auto")) {
            throw new UsageException("--lambda-grid is searched by --lambda auto, but --lambda fixes it at " + lambda
                    + "; give --lambda auto (or leave it out) to search the grid");
        }
        dataOptions.options.checkTarget(data, parsed.hasMatchedOption("--target"));
        CrossValidation.Task t = switch (model) {
            case "svc", "gpc" -> CrossValidation.Task.CLASSIFICATION;
            case "svr", "gp" -> CrossValidation.Task.REGRESSION;
            default -> switch (task.toLowerCase(Locale.ROOT)) {
                case "regression" -> CrossValidation.Task.REGRESSION;
                case "classification" -> CrossValidation.Task.CLASSIFICATION;
                default -> throw new UsageException("--task must be regression or classification, got '" + task + "'");
            };
        };
        boolean classify = t == CrossValidation.Task.CLASSIFICATION;
        List<GridSearch.Candidate> candidates = new ArrayList<>();
        List<String> options = new ArrayList<>(); // how to fit each candidate with 'fit'
        for (String s : kernels) {
            Kernel k = KernelSpec.parse(s);
            for (var c : candidates(k, classify)) {
                candidates.add(c);
                String[] parts = c.label().split(", C=");
                options.add("--kernel '" + parts[0] + "'" + (parts.length > 1 ? " --c " + parts[1] : ""));
            }
        }
        if (!noStandardize && kernels.stream().map(sp -> KernelSpec.parse(sp).toSpec())
                .anyMatch(sp -> sp.matches("(?s).*\\b(zz|pauli|projected)\\(.*"))) {
            spec.commandLine().getErr().println("note: quantum kernels (zz, pauli, projected) read each feature as a "
                    + "rotation angle, and standardizing changes the angles; fit and quantum-experiment use the features "
                    + "as given: add --no-standardize to score the same model");
        }
        if (folds < 2) { // an option value no data can make valid: a usage error before any reading
            throw new UsageException("--folds must be at least 2, got " + folds);
        }
        GridSearch search = GridSearch.builder().task(t).folds(folds).seed(seed).standardize(!noStandardize)
                .gramBytes(gramMb << 20).build();
        Dataset ds = dataOptions.options.readWithTarget(data, target, classify);
        if (classify) {
            FitCommand.warnIfContinuous(ds, spec.commandLine().getErr());
        }
        CrossValidation.checkFolds(ds.rows(), folds);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s: %d rows x %d features, target '%s', %s, %s, %d folds (seed %d)%s%n", data,
                ds.rows(), ds.features().cols(), ds.targetName(), model, classify ? "classification" : "regression",
                folds, seed, noStandardize ? "" : ", standardized per training fold");
        GridSearch.Result r = search.run(candidates, ds.features(), ds.target());
        boolean krr = model.equals("krr");
        out.printf(Locale.ROOT, "%-60s  %10s  %8s%s%n", "kernel", classify ? "accuracy" : "rmse", "sd",
                krr ? String.format(Locale.ROOT, "  %10s", "lambda_med") : "");
        for (int i = 0; i < r.points().size(); i++) {
            GridSearch.Point p = r.points().get(i);
            String extra = "";
            if (krr) {
                double[] l = p.reports().stream().mapToDouble(f -> f.number("lambda")).sorted().toArray();
                extra = String.format(Locale.ROOT, "  %10.3g", l[l.length / 2]);
            }
            out.printf(Locale.ROOT, "%-60s  %10.4f  %8.4f%s%s%n", p.candidate().label(), p.mean(), p.standardDeviation(),
                    extra, r.points().size() > 1 && i == r.best() ? "  <- best" : "");
        }
        out.printf(Locale.ROOT, "best: %s (%.2f s)%n", options.get(r.best()), r.seconds());
        if (!noStandardize) { // fit uses the features as given: the scores hold for standardized features only
            out.println("(scored on features standardized per fold; fit uses them as given: standardize the files "
                    + "first, or compare with cv --no-standardize)");
        }
        return 0;
    }

    /** The candidates for one kernel: one estimator, or one per C value for SVMs. */
    private List<GridSearch.Candidate> candidates(Kernel k, boolean classify) {
        List<GridSearch.Candidate> out = new ArrayList<>();
        switch (model) {
            case "svc", "svr" -> {
                double[] grid = cs == null ? new double[] {1} : cs.stream().mapToDouble(Double::doubleValue).toArray();
                for (double c : grid) {
                    SupportVectorMachine.Builder b = model.equals("svc") ? SupportVectorMachine.classifier(k)
                            : SupportVectorMachine.regression(k);
                    if (epsilon != null) {
                        b.epsilon(epsilon);
                    }
                    out.add(new GridSearch.Candidate(k.toSpec() + ", C=" + c, b.c(c).build()));
                }
            }
            case "gp" -> {
                GaussianProcess.Builder b = GaussianProcess.builder(k).normalizeTargets(normalize);
                if (optimize) {
                    b.optimize(UsageException.of(() -> org.kernels4j.gp.HyperparameterSearch.builder().restarts(restarts)
                            .seed(seed).build()));
                }
                if (noise != null) {
                    b.noise(noise);
                }
                out.add(new GridSearch.Candidate(k.toSpec(), b.build()));
            }
            case "gpc" -> out.add(new GridSearch.Candidate(k.toSpec(), GaussianProcessClassifier.builder(k).build()));
            default -> {
                KernelRidge.Builder b = KernelRidge.builder(k).fitIntercept(!noIntercept);
                if (lambda.equalsIgnoreCase("auto")) {
                    b.selectLambda(FitCommand.parseGrid("--lambda-grid", lambdaGrid), RegularizationPath.Criterion.LOO);
                } else {
                    b.lambda(FitCommand.parseNumber("--lambda", lambda));
                }
                Estimator<?> e = classify ? RegressionClassifier.of(b.build()) : b.build();
                out.add(new GridSearch.Candidate(k.toSpec(), e));
            }
        }
        return out;
    }
}
