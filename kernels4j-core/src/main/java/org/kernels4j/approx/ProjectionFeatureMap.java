package org.kernels4j.approx;

import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;

/**
 * Base of the random feature maps whose features are element-wise functions of random projections
 * w_iᵀx (Fourier frequencies, network weights): holds the kernel and the projection rows, and
 * computes X·Wᵀ as one GEMM.
 */
public abstract class ProjectionFeatureMap implements FeatureMap {
    private final Kernel kernel;
    private final Matrix projections; // rows w_i, count × d

    ProjectionFeatureMap(Kernel kernel, Matrix projections) {
        this.kernel = kernel;
        this.projections = projections;
    }

    @Override
    public final Kernel kernel() {
        return kernel;
    }

    @Override
    public final int inputDimension() {
        return projections.cols();
    }

    /** Number of projection rows. */
    final int projectionCount() {
        return projections.rows();
    }

    /** The projection rows (a copy). */
    final Matrix projectionRows() {
        return projections.copy();
    }

    /** X·Wᵀ (n × count), after checking the input's width and values. */
    final Matrix project(Matrix x) {
        FeatureMaps.checkInput(x, inputDimension());
        Matrix p = new Matrix(x.rows(), projections.rows());
        Blas.gemm(false, true, 1.0, x, projections, 0.0, p);
        return p;
    }
}
