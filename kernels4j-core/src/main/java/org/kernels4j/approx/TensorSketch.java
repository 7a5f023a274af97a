package org.kernels4j.approx;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.PolynomialKernel;
import org.kernels4j.linalg.Matrix;

/**
 * TensorSketch (Pham &amp; Pagh, "Fast and scalable polynomial kernels via explicit feature maps", KDD 2013) for
 * the polynomial kernel k(x, z) = s·(γ⟨x, z⟩ + c₀)^p ({@code poly(degree=p, gamma=γ, coef0=c₀)}, or a positive
 * multiple), as scikit-learn's {@code PolynomialCountSketch(degree, gamma, coef0, n_components)}.
 *
 * <p>With x̃ = (√γ·x, √c₀) (the last entry only when c₀ &gt; 0), k = s·⟨x̃, z̃⟩^p = s·⟨x̃^{⊗p}, z̃^{⊗p}⟩. For each
 * of the p factors draw a hash h_t: features → {0..D−1} and signs σ_t: features → {±1}; the count sketch of
 * x̃ under (h_t, σ_t) is C_t(x)[b] = Σ_{f: h_t(f) = b} σ_t(f)·x̃_f. The count sketch of x̃^{⊗p} under the hash
 * Σ_t h_t mod D is the circular convolution C_1 ⊛ … ⊛ C_p, computed as IFFT(Π_t FFT(C_t)):
 * <pre>
 *   φ(x) = √s · Re IFFT( Π_{t=1..p} FFT(C_t(x)) ),   D features
 * </pre>
 * Because the hashes are independent, E[φ(x)·φ(z)] = k(x, z) exactly, with variance at most
 * s²·(3^p − 1)·⟨x̃,x̃⟩^p⟨z̃,z̃⟩^p/D (Pham &amp; Pagh, Lemma 2) — so large p or large ‖x̃‖ needs many features.
 * Cost: building O(p·d); transform O(n·p·(d + D log D)) (FFTs of any length D, fastest for powers of two).
 */
public final class TensorSketch implements FeatureMap {
    private final Kernel kernel;
    private final double scale;
    private final double gamma;
    private final double coef0;
    private final int d;
    private final int features;
    private final int[][] bucket; // p × d̃
    private final double[][] sign; // p × d̃, ±1

    private TensorSketch(Kernel kernel, double scale, double gamma, double coef0, int d, int features, int[][] bucket,
            double[][] sign) {
        this.kernel = kernel;
        this.scale = scale;
        this.gamma = gamma;
        this.coef0 = coef0;
        this.d = d;
        this.features = features;
        this.bucket = bucket;
        this.sign = sign;
    }

    /**
     * Draws the sketch's hashes and signs for a polynomial kernel (or s·one, s &gt; 0) on d features.
     *
     * @param features D ≥ 1, the sketch length
     * @throws Kernels4jException for another kernel, D &lt; 1 or d &lt; 1
     */
    public static TensorSketch of(Kernel kernel, int features, int d, long seed) {
        FeatureMaps.Scaled scaled = FeatureMaps.Scaled.of(kernel);
        if (!(scaled.base() instanceof PolynomialKernel) || !(scaled.scale() > 0)) {
            throw new Kernels4jException("TensorSketch approximates poly(degree=..., gamma=..., coef0=...) (or a"
                    + " positive multiple of it), got " + kernel.toSpec());
        }
        if (features < 1 || d < 1) {
            throw new Kernels4jException("TensorSketch needs features >= 1 and d >= 1, got " + features + " and " + d);
        }
        PolynomialKernel poly = (PolynomialKernel) scaled.base();
        int p = poly.degree();
        int width = poly.coef0() > 0 ? d + 1 : d;
        Random r = new Random(seed);
        int[][] bucket = new int[p][width];
        double[][] sign = new double[p][width];
        for (int t = 0; t < p; t++) {
            for (int f = 0; f < width; f++) {
                bucket[t][f] = r.nextInt(features);
                sign[t][f] = r.nextBoolean() ? 1 : -1;
            }
        }
        return new TensorSketch(kernel, scaled.scale(), poly.gamma(), poly.coef0(), d, features, bucket, sign);
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public int inputDimension() {
        return d;
    }

    @Override
    public int outputDimension() {
        return features;
    }

    /** φ(X), n × D. */
    @Override
    public Matrix transform(Matrix x) {
        FeatureMaps.checkInput(x, d);
        int n = x.rows();
        int p = bucket.length;
        int width = bucket[0].length;
        Fft fft = new Fft(features);
        double rootGamma = Math.sqrt(gamma);
        double rootCoef0 = Math.sqrt(coef0);
        double norm = Math.sqrt(scale) / features; // the IFFT's 1/D, and √s
        Matrix out = new Matrix(n, features);
        double[] prodRe = new double[features];
        double[] prodIm = new double[features];
        double[] re = new double[features];
        double[] im = new double[features];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(prodRe, 1);
            java.util.Arrays.fill(prodIm, 0);
            for (int t = 0; t < p; t++) {
                java.util.Arrays.fill(re, 0);
                java.util.Arrays.fill(im, 0);
                for (int f = 0; f < width; f++) {
                    double v = f < d ? rootGamma * x.get(i, f) : rootCoef0;
                    re[bucket[t][f]] += sign[t][f] * v;
                }
                fft.transform(re, im, false);
                for (int b = 0; b < features; b++) {
                    double a = prodRe[b] * re[b] - prodIm[b] * im[b];
                    prodIm[b] = prodRe[b] * im[b] + prodIm[b] * re[b];
                    prodRe[b] = a;
                }
            }
            fft.transform(prodRe, prodIm, true);
            for (int b = 0; b < features; b++) {
                out.set(i, b, norm * prodRe[b]);
            }
        }
        return out;
    }
}
