package org.kernels4j.approx;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * The Nyström feature map over m landmarks C (Williams &amp; Seeger, 2001):
 * φ(x) = K(x, C)·U·Λ^{−1/2} with K(C, C) = U·Λ·Uᵀ, keeping the eigenvalues above 1e-12·λ_max, so
 * φ(x)·φ(z) = K(x, C)·K(C, C)⁺·K(C, z). It reproduces the kernel exactly on the span of the
 * landmarks (in particular K itself when C = X and K is non-singular), and any kernel, neural ones
 * included, works. Choose C with {@link Landmarks}. Cost: build O(m³ + m²·d); transform
 * O(n·m·d + n·m²); D ≤ m features.
 */
public final class Nystrom implements FeatureMap {
    private final Kernel kernel;
    private final Matrix landmarks;
    private final Matrix projection; // m × D

    private Nystrom(Kernel kernel, Matrix landmarks, Matrix projection) {
        this.kernel = kernel;
        this.landmarks = landmarks;
        this.projection = projection;
    }

    /** Builds the map over the given landmark rows (m × d). */
    public static Nystrom of(Kernel kernel, Matrix landmarks) {
        if (landmarks.rows() == 0) {
            throw new Kernels4jException("Nystrom needs at least one landmark");
        }
        landmarks.requireFinite("landmarks");
        int m = landmarks.rows();
        SymmetricEigen eig = SymmetricEigen.of(GramEngine.gram(kernel, landmarks));
        double[] lam = eig.values();
        double top = lam[m - 1];
        int keep = 0;
        for (double v : lam) {
            keep += v > 1e-12 * top ? 1 : 0;
        }
        if (keep == 0) {
            throw new Kernels4jException("the landmarks' kernel matrix is zero: no Nystrom features");
        }
        Matrix u = eig.vectors();
        Matrix p = new Matrix(m, keep);
        for (int a = 0; a < keep; a++) {
            int col = m - 1 - a; // largest first
            double s = 1 / Math.sqrt(lam[col]);
            for (int i = 0; i < m; i++) {
                p.set(i, a, u.get(i, col) * s);
            }
        }
        return new Nystrom(kernel, landmarks.copy(), p);
    }

    /**
     * The map with a projection P (m × D) already computed, as read back from a model file: keeping P itself
     * (rather than recomputing it from K(C, C)) keeps the sign and order of every feature, which a model holding
     * coordinates in this feature space depends on.
     *
     * @throws Kernels4jException when P does not have one row per landmark, or a value is not finite
     */
    public static Nystrom withProjection(Kernel kernel, Matrix landmarks, Matrix projection) {
        if (landmarks.rows() == 0 || projection.rows() != landmarks.rows() || projection.cols() == 0) {
            throw new Kernels4jException("a Nystrom projection must be m x D with m = " + landmarks.rows()
                    + " landmarks and D >= 1, got " + projection.shape());
        }
        landmarks.requireFinite("landmarks");
        projection.requireFinite("the Nystrom projection");
        return new Nystrom(kernel, landmarks.copy(), projection.copy());
    }

    /** Chooses m landmarks from x with the sampler and builds the map. */
    public static Nystrom fit(Kernel kernel, Matrix x, int m, Landmarks.Sampler sampler, double lambda, long seed) {
        return of(kernel, x.selectRows(Landmarks.select(sampler, kernel, x, m, lambda, seed)));
    }

    /** P (m × D, a copy), the map's linear part: φ(x) = K(x, C)·P with P = U·Λ^{−1/2} over the kept eigenpairs. */
    public Matrix projection() {
        return projection.copy();
    }

    /** The landmarks (m × d, a copy). */
    public Matrix landmarks() {
        return landmarks.copy();
    }

    @Override
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public int inputDimension() {
        return landmarks.cols();
    }

    @Override
    public int outputDimension() {
        return projection.cols();
    }

    @Override
    public Matrix transform(Matrix x) {
        FeatureMaps.checkInput(x, inputDimension());
        return GramEngine.cross(kernel, x, landmarks).times(projection);
    }
}
