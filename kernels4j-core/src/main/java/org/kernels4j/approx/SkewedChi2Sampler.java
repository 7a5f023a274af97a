package org.kernels4j.approx;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.SkewedChi2Kernel;
import org.kernels4j.kernel.Specs;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * Random Fourier features for the skewed χ² kernel k(x, z) = s·Π_f 2√(x_f + c)√(z_f + c)/(x_f + z_f + 2c)
 * ({@code skewed_chi2(c)} or a positive multiple) of Li, Ionescu &amp; Sminchisescu (2010), as scikit-learn's
 * {@code SkewedChi2Sampler(skewedness=c, n_components=D)}. With u = log(x + c) the kernel is
 * Π_f sech((u_f − v_f)/2), whose spectral density is Π_f sech(π ω_f), the hyperbolic secant law; its draws are
 * ω = (1/π)·log tan(π U/2), U uniform on (0, 1). Then
 * <pre>
 *   φ(x) = √(2s/D)·cos(Wᵀ log(x + c) + b),   W: d × D with i.i.d. hyperbolic-secant entries, b ~ U(0, 2π)
 * </pre>
 * and E[φ(x)·φ(z)] = k(x, z), with variance O(1/D) (each term is bounded by 2s/D). Inputs must exceed −c.
 * Cost: building O(d·D); transform one GEMM (n·d·D) plus n·D cosines.
 */
public final class SkewedChi2Sampler implements FeatureMap {
    private final Kernel kernel;
    private final double c;
    private final double scale;
    private final Matrix weights; // D × d: row i is ω_i
    private final double[] offsets;

    private SkewedChi2Sampler(Kernel kernel, double c, double scale, Matrix weights, double[] offsets) {
        this.kernel = kernel;
        this.c = c;
        this.scale = scale;
        this.weights = weights;
        this.offsets = offsets;
    }

    /**
     * Draws D features for {@code skewed_chi2(c)} (or s·it, s &gt; 0) on d-dimensional inputs.
     *
     * @throws Kernels4jException for another kernel, D &lt; 1 or d &lt; 1
     */
    public static SkewedChi2Sampler of(Kernel kernel, int features, int d, long seed) {
        FeatureMaps.Scaled scaled = FeatureMaps.Scaled.of(kernel);
        if (!(scaled.base() instanceof SkewedChi2Kernel) || !(scaled.scale() > 0)) {
            throw new Kernels4jException("the skewed chi2 sampler approximates skewed_chi2(c=...) (or a positive"
                    + " multiple of it), got " + kernel.toSpec());
        }
        if (features < 1 || d < 1) {
            throw new Kernels4jException("the skewed chi2 sampler needs features >= 1 and d >= 1, got " + features
                    + " and " + d);
        }
        Random r = new Random(seed);
        Matrix w = new Matrix(features, d);
        for (int k = 0; k < w.data().length; k++) {
            double u = r.nextDouble();
            while (u == 0) { // tan(0) = 0 has no logarithm
                u = r.nextDouble();
            }
            w.data()[k] = Math.log(Math.tan(Math.PI / 2 * u)) / Math.PI;
        }
        double[] b = new double[features];
        for (int i = 0; i < features; i++) {
            b[i] = 2 * Math.PI * r.nextDouble();
        }
        return new SkewedChi2Sampler(kernel, ((SkewedChi2Kernel) scaled.base()).c(), scaled.scale(), w, b);
    }

    /** The frequencies ω_i as rows, D × d (a copy). */
    public Matrix frequencies() {
        return weights.copy();
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public int inputDimension() {
        return weights.cols();
    }

    @Override
    public int outputDimension() {
        return weights.rows();
    }

    /**
     * φ(X), n × D.
     *
     * @throws Kernels4jException for an entry ≤ −c (naming its row and feature) or a width other than d
     */
    @Override
    public Matrix transform(Matrix x) {
        FeatureMaps.checkInput(x, inputDimension());
        int n = x.rows();
        int d = x.cols();
        Matrix logs = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                double v = x.get(i, f);
                if (!(v > -c)) {
                    throw new Kernels4jException("the skewed chi2 sampler with c = " + Specs.num(c)
                            + " needs features > -c, got " + Specs.num(v) + " at row " + i + ", feature " + f
                            + " (counted from 0)");
                }
                logs.set(i, f, Math.log(v + c));
            }
        }
        int big = weights.rows();
        Matrix out = new Matrix(n, big);
        Blas.gemm(false, true, 1.0, logs, weights, 0.0, out);
        double amplitude = Math.sqrt(2 * scale / big);
        double[] o = out.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < big; j++) {
                o[i * big + j] = amplitude * Math.cos(o[i * big + j] + offsets[j]);
            }
        }
        return out;
    }
}
