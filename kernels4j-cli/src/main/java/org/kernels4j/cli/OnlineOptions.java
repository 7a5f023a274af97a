package org.kernels4j.cli;

import java.util.List;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.online.OnlineKernelLearner;
import org.kernels4j.svm.KernelPegasos;
import picocli.CommandLine.Option;

/**
 * The options of {@code fit --model pegasos|online} that no other model has, and the estimators they
 * describe together with the shared --lambda, --iterations, --nu, --learning-rate and --budget.
 */
final class OnlineOptions {
    @Option(names = "--averaging", description = "pegasos: return the average of the iterates rather than the last.")
    boolean averaging;

    @Option(names = "--online-type", paramLabel = "classification|regression|novelty|perceptron",
            description = "online: NORMA classification (default), epsilon-insensitive regression, novelty detection, "
                    + "or the kernel perceptron.")
    String onlineType;

    /** The options given on the command line that belong here, by name. */
    static final List<String> NAMES = List.of("--averaging", "--online-type");

    /** Which models an option applies to. */
    static List<String> appliesTo(String option) {
        return option.equals("--online-type") ? List.of("online") : List.of("pegasos");
    }

    /** --online-type as a type. */
    OnlineKernelLearner.Type type() {
        if (onlineType == null) {
            return OnlineKernelLearner.Type.CLASSIFICATION;
        }
        for (OnlineKernelLearner.Type t : OnlineKernelLearner.Type.values()) {
            if (t.name().equalsIgnoreCase(onlineType.trim())) {
                return t;
            }
        }
        throw new UsageException("--online-type must be classification, regression, novelty or perceptron, got '"
                + onlineType + "'");
    }

    /** The Pegasos estimator; {@code lambda} and {@code iterations} (the text of --iterations) null for the defaults. */
    KernelPegasos pegasos(Kernel kernel, Double lambda, String iterations, long seed) {
        KernelPegasos.Builder b = KernelPegasos.builder(kernel).averaging(averaging).seed(seed);
        if (lambda != null) {
            b.lambda(lambda);
        }
        if (iterations != null) {
            long t;
            try {
                t = Long.parseLong(iterations.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--iterations for --model pegasos must be a whole number of steps, got '"
                        + iterations + "'");
            }
            b.iterations(t);
        }
        return b.build();
    }

    /** The online learner; null arguments keep the defaults. */
    OnlineKernelLearner online(Kernel kernel, Double lambda, Double nu, Double learningRate, Double budget) {
        OnlineKernelLearner.Builder b = OnlineKernelLearner.builder(type(), kernel);
        if (lambda != null) {
            b.lambda(lambda);
        }
        if (nu != null) {
            b.nu(nu);
        }
        if (learningRate != null) {
            b.learningRate(learningRate);
        }
        if (budget != null) {
            if (budget != Math.rint(budget) || budget > Integer.MAX_VALUE) {
                throw new UsageException("--budget for --model online is a number of terms, got " + budget);
            }
            b.budget((int) (double) budget);
        }
        return b.build();
    }
}
