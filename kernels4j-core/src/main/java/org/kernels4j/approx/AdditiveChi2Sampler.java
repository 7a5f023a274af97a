package org.kernels4j.approx;

import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.HomogeneousChi2Kernel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.Specs;
import org.kernels4j.linalg.Matrix;

/**
 * The deterministic feature map of the additive homogeneous χ² kernel k(x, z) = s·Σ_f 2x_f z_f/(x_f + z_f)
 * ({@code homogeneous_chi2()}, or a positive multiple) by Vedaldi &amp; Zisserman (2012), as scikit-learn's
 * {@code AdditiveChi2Sampler(sample_steps, sample_interval)}, with the same features in the same order.
 *
 * <p>Each term is √(xz)·sech(t/2), t = log x − log z, and sech(t/2) = ∫ sech(πω)·e^{iωt} dω. Sampling that
 * integral at ω = jL, |j| &lt; S (S = sample_steps, L = sample_interval) gives, per feature x &gt; 0,
 * <pre>
 *   φ₀(x) = √(L·x),   φ_j^cos(x) = √(2Lx·sech(πjL))·cos(jL·log x),   φ_j^sin(x) = the same with sin,  j = 1..S−1
 * </pre>
 * (all zero at x = 0), laid out as scikit-learn does: the d values φ₀, then d cosines and d sines for j = 1, then
 * for j = 2, …, so D = d·(2S − 1). Then φ(x)·φ(z) = √(xz)·L·Σ_{|j|&lt;S} sech(πjL)·cos(jLt). By Poisson's
 * summation formula its error per feature is at most √(xz)·[Σ_{k≠0} sech((t + 2πk/L)/2) + 4L·e^{−πSL}/(1 −
 * e^{−πL})]: aliasing (small when |t| is well inside π/L, i.e. the two values within a factor e^{π/L}) plus
 * truncation. Defaults (scikit-learn's): L = 0.8, 0.5, 0.4 for S = 1, 2, 3; other S need L. Cost: O(n·d·S).
 */
public final class AdditiveChi2Sampler implements FeatureMap {
    private final Kernel kernel;
    private final double scale;
    private final int d;
    private final int steps;
    private final double interval;

    private AdditiveChi2Sampler(Kernel kernel, double scale, int d, int steps, double interval) {
        this.kernel = kernel;
        this.scale = scale;
        this.d = d;
        this.steps = steps;
        this.interval = interval;
    }

    /** scikit-learn's default interval for 1, 2 or 3 steps (0.8, 0.5, 0.4). */
    public static double defaultInterval(int steps) {
        return switch (steps) {
            case 1 -> 0.8;
            case 2 -> 0.5;
            case 3 -> 0.4;
            default -> throw new Kernels4jException("the additive chi2 sampler has a default sample interval only for"
                    + " 1, 2 or 3 steps; give one for " + steps + " steps");
        };
    }

    /** The map with scikit-learn's default interval for S = 1, 2 or 3 steps. */
    public static AdditiveChi2Sampler of(Kernel kernel, int d, int steps) {
        return of(kernel, d, steps, defaultInterval(steps));
    }

    /**
     * The map for {@code homogeneous_chi2()} (or c·it, c &gt; 0) on d features.
     *
     * @param steps S ≥ 1, the number of frequency samples on each side (scikit-learn's {@code sample_steps})
     * @param interval L &gt; 0, their spacing (scikit-learn's {@code sample_interval})
     * @throws Kernels4jException for another kernel, d &lt; 1, S &lt; 1 or L not positive and finite
     */
    public static AdditiveChi2Sampler of(Kernel kernel, int d, int steps, double interval) {
        FeatureMaps.Scaled scaled = FeatureMaps.Scaled.of(kernel);
        if (!(scaled.base() instanceof HomogeneousChi2Kernel) || !(scaled.scale() > 0)) {
            throw new Kernels4jException("the additive chi2 sampler approximates homogeneous_chi2() (or a positive"
                    + " multiple of it), got " + kernel.toSpec());
        }
        if (d < 1 || steps < 1) {
            throw new Kernels4jException("the additive chi2 sampler needs d >= 1 and sample steps >= 1, got " + d
                    + " and " + steps);
        }
        if (!(interval > 0) || Double.isInfinite(interval)) {
            throw new Kernels4jException("the additive chi2 sampler needs a positive sample interval, got "
                    + Specs.num(interval));
        }
        return new AdditiveChi2Sampler(kernel, scaled.scale(), d, steps, interval);
    }

    /** S, the sample steps. */
    public int steps() {
        return steps;
    }

    /** L, the sample interval. */
    public double interval() {
        return interval;
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
        return d * (2 * steps - 1);
    }

    /**
     * φ(X), n × d(2S − 1).
     *
     * @throws Kernels4jException for a negative entry (naming its row and feature) or a width other than d
     */
    @Override
    public Matrix transform(Matrix x) {
        FeatureMaps.checkInput(x, d);
        int n = x.rows();
        int big = outputDimension();
        Matrix out = new Matrix(n, big);
        double[] o = out.data();
        double[] factor = new double[steps]; // 2L·sech(πjL) for j ≥ 1, times the kernel's scale
        for (int j = 1; j < steps; j++) {
            factor[j] = scale * 2 * interval / Math.cosh(Math.PI * j * interval);
        }
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                double v = x.get(i, f);
                if (v < 0) {
                    throw new Kernels4jException("the additive chi2 sampler needs non-negative features (histograms,"
                            + " counts), got " + Specs.num(v) + " at row " + i + ", feature " + f
                            + " (counted from 0)");
                }
                if (v == 0) {
                    continue;
                }
                int base = i * big;
                o[base + f] = Math.sqrt(scale * interval * v);
                double logV = Math.log(v);
                for (int j = 1; j < steps; j++) {
                    double a = Math.sqrt(factor[j] * v);
                    double angle = j * interval * logV;
                    int block = base + d * (2 * j - 1);
                    o[block + f] = a * Math.cos(angle);
                    o[block + d + f] = a * Math.sin(angle);
                }
            }
        }
        return out;
    }
}
