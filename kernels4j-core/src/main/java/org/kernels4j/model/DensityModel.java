package org.kernels4j.model;

import org.kernels4j.linalg.Matrix;

/**
 * A probability density p(x) on ℝ^d; {@link #predict} returns {@link #logDensity} as an m×1
 * matrix.
 */
public interface DensityModel extends Model {

    /** log p(x) for each row of {@code x} (natural logarithm). */
    double[] logDensity(Matrix x);

    @Override
    default Matrix predict(Matrix x) {
        return Matrix.column(logDensity(x));
    }
}
