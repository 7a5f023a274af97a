package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;
import picocli.CommandLine.Option;

/** The options of {@code fit --model svc|svr|oneclass}, and the estimator they describe. */
final class SvmOptions {
    /** The SVM model names. */
    static final List<String> MODELS = List.of("svc", "svr", "oneclass", "nusvc", "nusvr");

    @Option(names = "--c", paramLabel = "C", description = "svc, svr, nusvr: penalty C on margin violations (default 1).")
    Double c;

    @Option(names = "--epsilon", paramLabel = "EPS", description = "svr: width of the insensitive tube (default 0.1).")
    Double epsilon;

    @Option(names = "--nu", paramLabel = "NU", description = "oneclass, nusvc, nusvr: in (0, 1], an upper bound on the "
            + "fraction of training outliers (margin errors, rows outside the tube) and a lower bound on the fraction of "
            + "support vectors (default 0.5). online: the nu of NORMA's margin or tube (default 0.2). krr --filter "
            + "nu-method: the method's nu > 0 (default 1). dkm: the KL weight nu > 0, one value for every layer or a "
            + "comma-separated list with one per layer, e.g. 1,10 (default 1; larger stays closer to the NNGP, "
            + "nu -> infinity is the NNGP).", split = ",")
    List<Double> nuValues;

    /** The one --nu value, null when not given; a list is refused (only dkm takes one per layer). */
    Double nu() {
        if (nuValues == null || nuValues.isEmpty()) {
            return null;
        }
        if (nuValues.size() > 1) {
            throw new UsageException("--nu takes one value here, got " + nuValues.size()
                    + "; a comma-separated list (one per layer) is for --model dkm only");
        }
        return nuValues.get(0);
    }

    /** dkm: the --nu values, one for every layer or one per layer; null when not given. */
    double[] nuPerLayer() {
        return nuValues == null || nuValues.isEmpty() ? null
                : nuValues.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Option(names = "--class-weight", paramLabel = "LABEL=W", description = "svc: multiply C by W for class LABEL "
            + "(repeatable).")
    List<String> classWeights = new ArrayList<>();

    @Option(names = "--multiclass", paramLabel = "ovo|ovr", description = "svc with more than two classes: one-vs-one "
            + "with voting (default) or one-vs-rest.")
    String multiclass;

    @Option(names = "--probability", description = "svc: also fit Platt sigmoids by internal 5-fold cross-validation "
            + "(5 extra solves per binary problem), for predict --proba.")
    boolean probability;

    @Option(names = "--cache-mb", paramLabel = "MB", description = "svc, svr, oneclass: memory for cached kernel rows "
            + "(default 512).")
    Long cacheMb;

    @Option(names = "--no-shrinking", description = "svc, svr, oneclass: turn off shrinking of the active set.")
    boolean noShrinking;

    /** The options given on the command line that belong to SVMs, by name. */
    static final List<String> NAMES = List.of("--c", "--epsilon", "--nu", "--class-weight", "--multiclass",
            "--probability", "--cache-mb", "--no-shrinking");

    /** Which SVM models an option applies to. */
    static List<String> appliesTo(String option) {
        switch (option) {
            case "--c":
                return List.of("svc", "svr", "nusvr");
            case "--epsilon":
                return List.of("svr");
            case "--nu":
                return List.of("oneclass", "nusvc", "nusvr", "online", "krr", "dkm");
            case "--class-weight":
                return List.of("svc");
            case "--multiclass": case "--probability":
                return List.of("svc", "nusvc");
            default:
                return MODELS;
        }
    }

    /** The estimator for {@code model} (svc, svr, oneclass, nusvc, nusvr); kernel null for a precomputed one. */
    SupportVectorMachine estimator(String model, Kernel kernel, Double tol, Integer maxIter, long seed) {
        // a value the builder refuses (--c -1, --nu 2, --tol 0, --cache-mb 0) is an option value: exit 2
        return UsageException.of(() -> build(model, kernel, tol, maxIter, seed));
    }

    private SupportVectorMachine build(String model, Kernel kernel, Double tol, Integer maxIter, long seed) {
        SupportVectorMachine.Builder b;
        switch (model) {
            case "svc":
                b = SupportVectorMachine.classifier();
                break;
            case "svr":
                b = SupportVectorMachine.regression();
                break;
            case "nusvc":
                b = SupportVectorMachine.nuClassifier();
                break;
            case "nusvr":
                b = SupportVectorMachine.nuRegression();
                break;
            default:
                b = SupportVectorMachine.oneClass();
        }
        b.kernel(kernel).seed(seed).probability(probability).shrinking(!noShrinking);
        if (c != null) {
            b.c(c);
        }
        if (epsilon != null) {
            b.epsilon(epsilon);
        }
        Double nu = nu();
        if (nu != null) {
            b.nu(nu);
        }
        if (cacheMb != null) {
            b.cacheMegabytes(cacheMb);
        }
        if (tol != null) {
            b.tolerance(tol);
        }
        if (maxIter != null) {
            b.maxIterations(maxIter);
        }
        if (multiclass != null) {
            switch (multiclass.toLowerCase(java.util.Locale.ROOT)) {
                case "ovo":
                    b.multiclass(SvmModel.Multiclass.ONE_VS_ONE);
                    break;
                case "ovr":
                    b.multiclass(SvmModel.Multiclass.ONE_VS_REST);
                    break;
                default:
                    throw new UsageException("--multiclass must be ovo or ovr, got '" + multiclass + "'");
            }
        }
        for (String w : classWeights) {
            int eq = w.lastIndexOf('=');
            if (eq <= 0) {
                throw new UsageException("--class-weight must be LABEL=WEIGHT, e.g. 1=5, got '" + w + "'");
            }
            b.classWeight(FitCommand.parseNumber("--class-weight", w.substring(0, eq)),
                    FitCommand.parseNumber("--class-weight", w.substring(eq + 1)));
        }
        return b.build();
    }
}
