package org.kernels4j.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.examples.PermutationLearning;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "permutation", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Learn a random permutation of k bits from the k basis vectors with infinitely wide networks.",
            "An ensemble of infinitely wide networks trained by gradient flow (Giapitzakis, Back de Luca, Fountoulakis, "
            + "arXiv:2502.16763) learns the permutation from the k standard basis vectors alone. Prints, per ensemble size "
            + "M, the fraction of all 2^k - 1 nonzero binary inputs mapped exactly after averaging M networks and "
            + "rounding, its standard error over trials, the fraction of trials with every input exact, and (midpoint "
            + "rounding) the closed-form expected fraction."})
final class PermutationCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--k", defaultValue = "8", description = "Number of bits, 2..13 (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--ensemble", split = ",", defaultValue = "1,4,16,64,256,1024",
            description = "Ensemble sizes M (default: ${DEFAULT-VALUE}).")
    List<Integer> ensemble;

    @Option(names = "--kernel", defaultValue = "ntk(depth=1, activation=relu, w_var=2, b_var=0.1)",
            description = "The network, as an nngp(...) or ntk(...) spec; depth=1 is a two-layer network"
                    + " (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--time", defaultValue = "inf",
            description = "Training time t, or inf for training to convergence (default: ${DEFAULT-VALUE}).")
    String time;

    @Option(names = "--learning-rate", defaultValue = "1", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--rounding", defaultValue = "top-s",
            description = "top-s (the s largest outputs become 1, s = ones in the input) or midpoint"
                    + " (default: ${DEFAULT-VALUE}).")
    String rounding;

    @Option(names = "--trials", defaultValue = "20", description = "Ensembles drawn per size (default: ${DEFAULT-VALUE}).")
    int trials;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        Kernel parsed = KernelSpec.parse(kernel);
        if (!(parsed instanceof NeuralKernel)) {
            throw new Kernels4jException("permutation needs an nngp(...) or ntk(...) kernel, got " + parsed.toSpec());
        }
        PermutationLearning.Rounding r = switch (rounding.toLowerCase(Locale.ROOT)) {
            case "top-s", "tops", "top_s" -> PermutationLearning.Rounding.TOP_S;
            case "midpoint" -> PermutationLearning.Rounding.MIDPOINT;
            default -> throw new UsageException("--rounding must be top-s or midpoint, got '" + rounding + "'");
        };
        double t = parseTime(time);
        int[] sizes = ensemble.stream().mapToInt(Integer::intValue).toArray();
        PermutationLearning experiment = PermutationLearning.builder().kernel((NeuralKernel) parsed).time(t)
                .learningRate(learningRate).rounding(r).trials(trials).seed(seed).build();
        PermutationLearning.Result res = experiment.run(k, sizes);
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "permutation k=%d pi=%s (bit i goes to position pi[i]); %s; t=%s; rounding %s; %d trials%n", k,
                Arrays.toString(res.permutation()), parsed.toSpec(), time, r == PermutationLearning.Rounding.TOP_S
                        ? "top-s" : "midpoint", trials);
        out.printf(Locale.ROOT, "test inputs: %d; rounded mean (infinite ensemble) exact on %.4f of them%n", (1 << k) - 1,
                res.meanExactRate());
        out.printf(Locale.ROOT, "%8s  %12s  %10s  %10s  %14s%n", "M", "exact_rate", "std_err", "all_exact", "expected_rate");
        for (PermutationLearning.Row row : res.rows()) {
            out.printf(Locale.ROOT, "%8d  %12.4f  %10.4f  %10.2f  %14s%n", row.ensembleSize(), row.exactRate(),
                    row.standardError(), row.allExactFraction(), Double.isNaN(row.predictedRate()) ? "-"
                            : String.format(Locale.ROOT, "%.4f", row.predictedRate()));
        }
        return 0;
    }

    private static double parseTime(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("inf") || v.equals("infinity")) {
            return Double.POSITIVE_INFINITY;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--time must be a number or inf, got '" + s + "'");
        }
    }
}
