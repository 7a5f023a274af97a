package org.kernels4j.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bench.SyntheticData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.neural.ConvolutionalKernel;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.kernel.neural.RandomConvNetwork;
import org.kernels4j.kernel.neural.RandomNetwork;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ntk-check", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare the closed-form NNGP and NTK with finite random networks of growing width.",
            "For each width, samples networks, computes their empirical NNGP (read-out covariance) and empirical NTK "
            + "(Jacobian inner products by a backward pass) on seeded inputs, and prints the relative Frobenius error "
            + "against the closed form, averaged over the networks. It should shrink like 1/sqrt(width); one network's "
            + "error is heavy-tailed, so with few inputs use --networks 16 or more for a stable curve.",
            "Convolutional kernels (cnngp(...), cntk(...)) are checked against finite random CNNs with width channels "
            + "per convolution, on inputs of the kernel's shape (--d when it has none)."})
final class NtkCheckCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kernel", defaultValue = "ntk(depth=3, activation=relu, w_var=2, b_var=0.1)",
            description = "An nngp(...) or ntk(...) spec (default: ${DEFAULT-VALUE}).")
    String kernel;

    @Option(names = "--widths", split = ",", defaultValue = "64,256,1024,4096",
            description = "Hidden widths (default: ${DEFAULT-VALUE}).")
    List<Integer> widths;

    @Option(names = "--n", defaultValue = "16", description = "Number of input points (default: ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--d", defaultValue = "8", description = "Input dimension (default: ${DEFAULT-VALUE}).")
    int d;

    @Option(names = "--networks", defaultValue = "4", description = "Networks per width (default: ${DEFAULT-VALUE}).")
    int networks;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() {
        Kernel k = KernelSpec.parse(kernel);
        if (k instanceof ConvolutionalKernel) {
            return checkConvolutional((ConvolutionalKernel) k);
        }
        if (!(k instanceof NeuralKernel)) {
            throw new Kernels4jException("ntk-check needs an nngp(...), ntk(...), cnngp(...) or cntk(...) kernel, got "
                    + k.toSpec());
        }
        if (n < 2 || d < 1 || networks < 1) {
            throw new UsageException("--n must be >= 2, --d and --networks >= 1");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new Kernels4jException("widths must be positive, got " + w);
            }
        }
        NeuralKernel base = (NeuralKernel) k;
        Matrix x = SyntheticData.regression(n, d, seed).x();
        var out = spec.commandLine().getOut();
        out.printf("ntk-check %s, %d points in %d dimensions, %d networks per width%n", base.toSpec(), n, d, networks);
        out.printf("%8s  %14s  %14s%n", "width", "nngp_rel_err", "ntk_rel_err");
        for (int w : widths) {
            NeuralKernel ntk = base.standardParameterization()
                    ? NeuralKernel.ntkStandard(base.depth(), base.activation(), base.weightVariance(),
                            base.biasVariance(), w)
                    : base.withKind(NeuralKernel.Kind.NTK);
            Matrix exactK = GramEngine.gram(ntk.withKind(NeuralKernel.Kind.NNGP), x);
            Matrix exactT = GramEngine.gram(ntk, x);
            double errK = 0;
            double errT = 0;
            for (int s = 0; s < networks; s++) {
                RandomNetwork net = new RandomNetwork(ntk, d, w, seed * 1_000_003L + 31L * w + s);
                errK += relativeError(net.empiricalNngp(x), exactK) / networks;
                errT += relativeError(net.empiricalNtk(x), exactT) / networks;
            }
            out.printf("%8d  %14.6f  %14.6f%n", w, errK, errT);
        }
        return 0;
    }

    /** The same table for a convolutional kernel against {@link RandomConvNetwork}s. */
    private int checkConvolutional(ConvolutionalKernel base) {
        int dim = base.features() > 0 ? base.features() : d;
        if (n < 2 || dim < 1 || networks < 1) {
            throw new UsageException("--n must be >= 2, --d and --networks >= 1");
        }
        for (int w : widths) {
            if (w < 1) {
                throw new Kernels4jException("widths must be positive, got " + w);
            }
        }
        Matrix x = SyntheticData.regression(n, dim, seed).x();
        var out = spec.commandLine().getOut();
        out.printf("ntk-check %s, %d inputs of %d numbers, %d networks per width (width = channels)%n", base.toSpec(), n,
                dim, networks);
        out.printf("%8s  %14s  %14s%n", "width", "nngp_rel_err", "ntk_rel_err");
        Matrix exactK = GramEngine.gram(base.withKind(NeuralKernel.Kind.NNGP, 0), x);
        for (int w : widths) {
            ConvolutionalKernel ntk = base.withKind(NeuralKernel.Kind.NTK, w);
            Matrix exactT = GramEngine.gram(ntk, x);
            double errK = 0;
            double errT = 0;
            for (int s = 0; s < networks; s++) {
                RandomConvNetwork net = new RandomConvNetwork(ntk, dim, w, seed * 1_000_003L + 31L * w + s);
                errK += relativeError(net.empiricalNngp(x), exactK) / networks;
                errT += relativeError(net.empiricalNtk(x), exactT) / networks;
            }
            out.printf("%8d  %14.6f  %14.6f%n", w, errK, errT);
        }
        return 0;
    }

    private static double relativeError(Matrix a, Matrix b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.data().length; i++) {
            double e = a.data()[i] - b.data()[i];
            num += e * e;
            den += b.data()[i] * b.data()[i];
        }
        return Math.sqrt(num / den);
    }
}
