package org.kernels4j.approx;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** Helpers shared by the feature maps, and their quality measures. */
public final class FeatureMaps {
    private FeatureMaps() {
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
}
