package org.kernels4j.approx;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;

/**
 * Positive random features for the Gaussian kernel (Performer's FAVOR+, Choromanski et al., 2021).
 * With x̃ the input scaled so that k(x, z) = exp(−½‖x̃ − z̃‖²) (x̃ = √(2γ)·x, or x_f/ℓ_f for ARD),
 * the identity exp(x̃ᵀz̃) = E_ω[exp(ωᵀx̃)·exp(ωᵀz̃)]·exp(−(‖x̃‖² + ‖z̃‖²)/2), ω ~ N(0, I), gives
 * φ(x) = √(s/D)·exp(ω_iᵀx̃ − ‖x̃‖²)_{i=1..D}: every feature is positive, so every approximate kernel
 * value is positive (unlike Fourier features, which can make k̂ negative where k is tiny), which is
 * what attention and density estimates need. The variance grows with ‖x̃ − z̃‖ less than with
 * ‖x̃ + z̃‖; it is smallest for nearby points. ORTHOGONAL sampling draws ω in orthogonal blocks with
 * χ(d) radii, as for {@link RandomFourierFeatures}. Cost: one GEMM plus n·D exponentials.
 */
public final class PositiveRandomFeatures extends ProjectionFeatureMap {
    private final double[] inverseLength;
    private final double scale;

    private PositiveRandomFeatures(Kernel kernel, Matrix frequencies, double[] inverseLength, double scale) {
        super(kernel, frequencies);
        this.inverseLength = inverseLength;
        this.scale = scale;
    }

    /** Draws D features for an rbf kernel (or a positive multiple of one) on d-dimensional inputs. */
    public static PositiveRandomFeatures of(Kernel kernel, int features, int d, RandomFourierFeatures.Sampling sampling,
            long seed) {
        if (features < 1 || d < 1) {
            throw new Kernels4jException("positive random features: need features >= 1 and d >= 1, got " + features
                    + " and " + d);
        }
        FeatureMaps.Scaled scaled = FeatureMaps.Scaled.of(kernel);
        double s = scaled.scale();
        Kernel base = scaled.base();
        if (!(base instanceof RbfKernel) || !(s > 0)) {
            throw new Kernels4jException("positive random features approximate the Gaussian kernel: rbf(...) or a"
                    + " positive multiple of it, got " + kernel.toSpec());
        }
        RbfKernel rbf = (RbfKernel) base;
        double[] ls = rbf.lengthScales();
        if (ls != null && ls.length != d) {
            throw new Kernels4jException("the kernel has " + ls.length + " length scales but the data has " + d
                    + " features");
        }
        double[] inv = new double[d];
        for (int f = 0; f < d; f++) {
            inv[f] = ls == null ? Math.sqrt(2 * rbf.gamma()) : 1 / ls[f];
        }
        Random r = new Random(seed);
        Matrix w;
        if (sampling == RandomFourierFeatures.Sampling.ORTHOGONAL) {
            w = Directions.orthonormalBlocks(features, d, r);
            for (int i = 0; i < features; i++) {
                double radius = Directions.chi(d, r);
                for (int f = 0; f < d; f++) {
                    w.set(i, f, w.get(i, f) * radius);
                }
            }
        } else {
            w = Directions.gaussian(features, d, r);
        }
        for (int i = 0; i < features; i++) {
            for (int f = 0; f < d; f++) {
                w.set(i, f, w.get(i, f) * inv[f]);
            }
        }
        return new PositiveRandomFeatures(kernel, w, inv, s);
    }

    @Override
    public int outputDimension() {
        return projectionCount();
    }

    @Override
    public Matrix transform(Matrix x) {
        Matrix out = project(x); // ω_iᵀx̃ (ω already carries 1/ℓ)
        int n = x.rows();
        int big = projectionCount();
        double c = 0.5 * Math.log(scale / big);
        double[] o = out.data();
        for (int i = 0; i < n; i++) {
            double sq = 0;
            for (int f = 0; f < x.cols(); f++) {
                double t = x.get(i, f) * inverseLength[f];
                sq += t * t;
            }
            for (int j = 0; j < big; j++) {
                o[i * big + j] = Math.exp(o[i * big + j] - sq + c);
            }
        }
        return out;
    }
}
