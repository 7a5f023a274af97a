package org.kernels4j.approx;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** Helpers shared by the feature maps, and their quality measures. */
public final class FeatureMaps {
    private FeatureMaps() {
    }

    /** A kernel written as scale·base, with nested {@code c*k} unwrapped; base is never a ScaledKernel. */
    record Scaled(double scale, org.kernels4j.kernel.Kernel base) {
        static Scaled of(org.kernels4j.kernel.Kernel k) {
            double s = 1;
            while (k instanceof org.kernels4j.kernel.ScaledKernel) {
                s *= ((org.kernels4j.kernel.ScaledKernel) k).scale();
                k = ((org.kernels4j.kernel.ScaledKernel) k).kernel();
            }
            return new Scaled(s, k);
        }
    }

    static void checkInput(Matrix x, int d) {
        if (x.cols() != d) {
            throw new Kernels4jException("the feature map was built for " + d + " features but the data has "
                    + x.cols());
        }
        x.requireFinite("input data");
    }

    /** The approximate Gram matrix φ(X)·φ(X)ᵀ. */
    public static Matrix approximateGram(FeatureMap map, Matrix x) {
        Matrix f = map.transform(x);
        Matrix g = new Matrix(x.rows(), x.rows());
        org.kernels4j.linalg.Blas.gemm(false, true, 1.0, f, f, 0.0, g);
        return g;
    }

    /**
     * Relative errors of an approximate Gram matrix K̂ against the exact K on the given rows (use a
     * subsample of a few thousand: both n×n matrices are formed).
     *
     * @param frobenius ‖K̂ − K‖_F / ‖K‖_F
     * @param spectral ‖K̂ − K‖₂ / ‖K‖₂ (largest absolute eigenvalues, from two eigendecompositions)
     */
    public record Error(double frobenius, double spectral) {
    }

    /** The relative Frobenius and spectral errors of φ(X)φ(X)ᵀ against K(X, X). */
    public static Error approximationError(FeatureMap map, Matrix x) {
        Matrix exact = org.kernels4j.gram.GramEngine.gram(map.kernel(), x);
        Matrix diff = approximateGram(map, x);
        double num = 0;
        double den = 0;
        for (int k = 0; k < diff.data().length; k++) {
            diff.data()[k] -= exact.data()[k];
            num += diff.data()[k] * diff.data()[k];
            den += exact.data()[k] * exact.data()[k];
        }
        return new Error(Math.sqrt(num / den), spectralNorm(diff) / spectralNorm(exact));
    }

    private static double spectralNorm(Matrix symmetric) {
        double[] v = org.kernels4j.linalg.SymmetricEigen.of(symmetric).values();
        return Math.max(Math.abs(v[0]), Math.abs(v[v.length - 1]));
    }

    /**
     * Effective dimension d_eff(λ) = tr(K(K + λI)⁻¹) = Σ μ_i/(μ_i + λ) of the kernel on x (μ the
     * eigenvalues of K(X, X)): the number of directions a ridge estimate with this λ can resolve,
     * and the number of Nyström centres it needs up to log factors (Rudi et al., 2015). O(n³).
     */
    public static double effectiveDimension(org.kernels4j.kernel.Kernel kernel, Matrix x, double lambda) {
        if (!(lambda > 0)) {
            throw new Kernels4jException("the effective dimension needs lambda > 0, got " + lambda);
        }
        double s = 0;
        for (double mu : org.kernels4j.linalg.SymmetricEigen.of(org.kernels4j.gram.GramEngine.gram(kernel, x))
                .values()) {
            mu = Math.max(mu, 0);
            s += mu / (mu + lambda);
        }
        return s;
    }
}
