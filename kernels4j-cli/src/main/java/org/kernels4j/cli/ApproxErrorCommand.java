package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.FeatureMap;
import org.kernels4j.approx.FeatureMaps;
import org.kernels4j.approx.AdditiveChi2Sampler;
import org.kernels4j.approx.IncompleteCholesky;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.approx.PositiveRandomFeatures;
import org.kernels4j.approx.QuantizedFourierFeatures;
import org.kernels4j.approx.RandomFourierFeatures;
import org.kernels4j.approx.RandomNetworkFeatures;
import org.kernels4j.approx.SkewedChi2Sampler;
import org.kernels4j.approx.TensorSketch;
import org.kernels4j.io.Dataset;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "approx-error", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"How well a kernel approximation reproduces the exact Gram matrix on (a subsample of) a data file.",
            "Prints, per size, the relative Frobenius and spectral errors of phi(X) phi(X)^T against K(X, X), and with "
            + "--lambda the effective dimension d_eff(lambda) = tr K (K + lambda I)^-1 (roughly the centres needed)."})
final class ApproxErrorCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Data file (.csv, or .libsvm/.svm).")
    Path data;

    @Option(names = "--target", paramLabel = "NAME|INDEX",
            description = "A column to drop (the target), as a header name or a 0-based index; default: none.")
    String target;

    @Option(names = "--kernel", required = true, paramLabel = "SPEC", description = "Kernel spec.")
    String kernel;

    @Option(names = "--method", defaultValue = "nystrom", paramLabel = "NAME",
            description = "nystrom, fourier, orthogonal, positive, network, quantized, skewed-chi2 (kernel skewed_chi2), "
                    + "additive-chi2 (kernel homogeneous_chi2; the size is the sample steps), tensorsketch (kernel poly) "
                    + "or inchol (pivoted incomplete Cholesky, the size is the maximum rank; also prints the trace "
                    + "error) (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--sizes", split = ",", defaultValue = "64,256,1024", paramLabel = "D",
            description = "Numbers of features, or of centres for nystrom (default: ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--bits", defaultValue = "1", description = "Bits per feature for quantized (1-4; default: "
            + "${DEFAULT-VALUE}).")
    int bits;

    @Option(names = "--block-length", defaultValue = "16", description = "Sigma-Delta block length for quantized: "
            + "each output feature condenses this many 1-4 bit features (default: ${DEFAULT-VALUE}).")
    int blockLength;

    @Option(names = "--sample-interval", paramLabel = "L", description = "additive-chi2: the frequency spacing L "
            + "(default: scikit-learn's 0.8, 0.5, 0.4 for 1, 2, 3 steps; needed for more steps).")
    Double sampleInterval;

    @Option(names = "--sampler", defaultValue = "uniform", description = "Nystrom landmark sampler: uniform, "
            + "kmeans++, leverage, dpp, logdet (greedy max log det(I + K_SS/lambda)), kt or inchol (default: "
            + "${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--lambda", defaultValue = "1e-3", description = "Ridge lambda for leverage sampling and for "
            + "d_eff (default: ${DEFAULT-VALUE}).")
    double lambda;

    @Option(names = "--subsample", defaultValue = "2000", description = "Rows used (uniform sample; default: "
            + "${DEFAULT-VALUE}).")
    int subsample;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    DataOptionsMixin dataOptions;

    @Override
    public Integer call() {
        Kernel k = KernelSpec.parse(kernel);
        String how = method.toLowerCase(Locale.ROOT);
        if (!List.of("nystrom", "fourier", "orthogonal", "positive", "network", "quantized", "skewed-chi2",
                "additive-chi2", "tensorsketch", "inchol").contains(how)) {
            throw new UsageException("--method must be nystrom, fourier, orthogonal, positive, network, quantized, "
                    + "skewed-chi2, additive-chi2, tensorsketch or inchol, got '" + method + "'");
        }
        Landmarks.Sampler s = Landmarks.Sampler.parse(sampler);
        if (subsample < 2) {
            throw new UsageException("--subsample must be >= 2, got " + subsample);
        }
        for (int size : sizes) {
            if (size < 1) {
                throw new Kernels4jException("sizes must be positive, got " + size);
            }
        }
        Dataset ds = dataOptions.options.read(data, target, 0);
        Matrix all = ds.features();
        int n = Math.min(subsample, all.rows());
        Matrix x = all.selectRows(Landmarks.uniform(all.rows(), n, seed));
        int d = x.cols();
        var out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%s on %d of %d rows x %d features; %s%s%n", k.toSpec(), n, all.rows(), d, how,
                how.equals("nystrom") ? " (" + sampler + " landmarks)" : "");
        out.printf(Locale.ROOT, "d_eff(lambda=%g) = %.1f%n", lambda, FeatureMaps.effectiveDimension(k, x, lambda));
        boolean inchol = how.equals("inchol");
        if ((inchol || how.equals("nystrom")) && sizes.stream().anyMatch(size -> size > n)) {
            // at most n landmarks or pivots exist: those rows are the exact kernel matrix, said rather than hidden
            out.printf(Locale.ROOT, "note: %s uses at most the %d rows: sizes above %d are computed at %d%n", how, n,
                    n, n);
        }
        if (inchol) {
            out.printf(Locale.ROOT, "%8s  %12s  %12s  %6s  %14s%n", "size", "frobenius", "spectral", "rank", "trace error");
        } else {
            out.printf(Locale.ROOT, "%8s  %12s  %12s%n", "size", "frobenius", "spectral");
        }
        for (int size : sizes) {
            if (inchol) {
                IncompleteCholesky ic = IncompleteCholesky.of(k, x, 0, Math.min(size, n));
                FeatureMaps.Error e = FeatureMaps.approximationError(ic.featureMap(), x);
                out.printf(Locale.ROOT, "%8d  %12.6f  %12.6f  %6d  %14.6g%n", size, e.frobenius(), e.spectral(),
                        ic.rank(), ic.traceError());
                continue;
            }
            FeatureMap map = switch (how) {
                case "nystrom" -> Nystrom.fit(k, x, Math.min(size, n), s, lambda, seed);
                case "fourier" -> RandomFourierFeatures.of(k, 2 * ((size + 1) / 2), d,
                        RandomFourierFeatures.Sampling.IID, seed);
                case "orthogonal" -> RandomFourierFeatures.of(k, 2 * ((size + 1) / 2), d,
                        RandomFourierFeatures.Sampling.ORTHOGONAL, seed);
                case "positive" -> PositiveRandomFeatures.of(k, size, d, RandomFourierFeatures.Sampling.ORTHOGONAL,
                        seed);
                case "quantized" -> QuantizedFourierFeatures.of(k, size, blockLength, bits, d,
                        RandomFourierFeatures.Sampling.IID, seed);
                case "skewed-chi2" -> SkewedChi2Sampler.of(k, size, d, seed);
                case "additive-chi2" -> sampleInterval == null ? AdditiveChi2Sampler.of(k, d, size)
                        : AdditiveChi2Sampler.of(k, d, size, sampleInterval);
                case "tensorsketch" -> TensorSketch.of(k, size, d, seed);
                default -> RandomNetworkFeatures.of(k, size, d, seed);
            };
            FeatureMaps.Error e = FeatureMaps.approximationError(map, x);
            out.printf(Locale.ROOT, "%8d  %12.6f  %12.6f%n", size, e.frobenius(), e.spectral());
        }
        return 0;
    }
}
