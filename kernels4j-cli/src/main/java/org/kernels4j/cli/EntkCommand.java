package org.kernels4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.SyntheticData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.neural.EmpiricalNtk;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.kernel.neural.RandomNetwork;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "entk", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure how well the cheap empirical-NTK approximations match the full empirical NTK of random "
                + "multi-output networks of growing width.",
            "For each width, samples networks with --outputs logits, computes on seeded inputs the full empirical NTK "
                + "(n*O x n*O, all output pairs) and prints the relative Frobenius errors of pNTK (x) I (sum of logits), "
                + "trace/O (x) I, and the projected trace NTK (--projection random directions) against the trace NTK, "
                + "averaged over the networks. The pNTK error should shrink like 1/sqrt(width). See docs/deep-ntk.md."})
final class EntkCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kernel", defaultValue = "ntk(depth=2, activation=relu, w_var=2, b_var=0.1)", paramLabel = "SPEC",
            description = "The architecture, an nngp(...) or ntk(...) spec (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--widths", split = ",", defaultValue = "16,64,256,1024", paramLabel = "W",
            description = "Hidden widths (default: ${DEFAULT-VALUE}).")
    List<Integer> widths;

    @Option(names = "--outputs", defaultValue = "10", paramLabel = "O", description = "Logits O (default: "
            + "${DEFAULT-VALUE}).")
    int outputs;

    @Option(names = "--n", defaultValue = "16", description = "Number of input points (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", defaultValue = "8", description = "Input dimension (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--networks", defaultValue = "3", description = "Networks per width (default: ${DEFAULT-VALUE}).")
    int networks;

    @Option(names = "--projection", defaultValue = "64", paramLabel = "K", description = "Random projection dimension "
            + "of the projected NTK (default: ${DEFAULT-VALUE}).")
    int projection;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        Kernel k = KernelSpec.parse(kernel);
        if (!(k instanceof NeuralKernel)) {
            throw new UsageException("entk needs an nngp(...) or ntk(...) kernel, got " + k.toSpec());
        }
        if (n < 1 || d < 1 || networks < 1 || outputs < 1 || projection < 1) {
            throw new UsageException("--n, --d, --networks, --outputs and --projection must be >= 1");
        }
        if (widths.isEmpty() || widths.stream().anyMatch(w -> w == null || w < 1)) {
            throw new UsageException("--widths must be positive integers, got " + widths);
        }
        long fullEntries = (long) n * outputs * n * outputs;
        if (fullEntries > 50_000_000L) {
            throw new Kernels4jException("the full empirical NTK for --n " + n + " and --outputs " + outputs + " has "
                    + fullEntries + " entries (" + String.format(Locale.ROOT, "%.2g", fullEntries * 8e-9)
                    + " GB); use smaller --n or --outputs");
        }
        NeuralKernel base = (NeuralKernel) k;
        Matrix x = SyntheticData.regression(n, d, seed).x();
        PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "entk %s, %d points in %d dimensions, %d outputs, %d networks per width, projection %d%n",
                base.withKind(NeuralKernel.Kind.NTK).toSpec(), n, d, outputs, networks, projection);
        out.printf(Locale.ROOT, "%8s  %12s  %14s  %14s  %14s%n", "width", "parameters", "pseudo_rel_err",
                "trace_rel_err", "proj_rel_err");
        for (int w : widths) {
            double ePseudo = 0;
            double eTrace = 0;
            double eProj = 0;
            long params = 0;
            for (int s = 0; s < networks; s++) {
                RandomNetwork net = new RandomNetwork(base, d, w, outputs, seed * 1_000_003L + 31L * w + s);
                params = net.parameterCount();
                Matrix full = EmpiricalNtk.full(net, x);
                Matrix trace = EmpiricalNtk.trace(net, x);
                ePseudo += EmpiricalNtk.relativeError(EmpiricalNtk.withIdentity(EmpiricalNtk.pseudo(net, x), outputs),
                        full) / networks;
                Matrix perOutput = trace.copy();
                for (int i = 0; i < perOutput.data().length; i++) {
                    perOutput.data()[i] /= outputs;
                }
                eTrace += EmpiricalNtk.relativeError(EmpiricalNtk.withIdentity(perOutput, outputs), full) / networks;
                eProj += EmpiricalNtk.relativeError(EmpiricalNtk.projected(net, x, projection, seed + s), trace)
                        / networks;
            }
            out.printf(Locale.ROOT, "%8d  %12d  %14.6f  %14.6f  %14.6f%n", w, params, ePseudo, eTrace, eProj);
        }
        return 0;
    }
}
