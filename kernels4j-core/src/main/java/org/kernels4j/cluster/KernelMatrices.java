package org.kernels4j.cluster;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** Checks shared by the clustering entry points that take a precomputed matrix. */
final class KernelMatrices {
    /** Entries may differ from their mirror by this much relative to the largest entry. */
    static final double SYMMETRY_TOLERANCE = 1e-10;

    private KernelMatrices() {
    }

    /** A square, finite, symmetric n×n matrix with n ≥ 1; {@code what} names it in messages. */
    static int requireSymmetric(Matrix m, String what) {
        int n = m.rows();
        if (n != m.cols()) {
            throw new Kernels4jException(what + " must be square, got " + m.shape());
        }
        if (n == 0) {
            throw new Kernels4jException(what + " is empty");
        }
        m.requireFinite(what);
        double[] a = m.data();
        double max = 0;
        for (double v : a) {
            max = Math.max(max, Math.abs(v));
        }
        double tol = SYMMETRY_TOLERANCE * max;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (Math.abs(a[i * n + j] - a[j * n + i]) > tol) {
                    throw new Kernels4jException(what + " must be symmetric: entry (" + i + ", " + j + ") is "
                            + a[i * n + j] + " but (" + j + ", " + i + ") is " + a[j * n + i]);
                }
            }
        }
        return n;
    }

    /** 1 ≤ k ≤ n. */
    static void requireClusters(int k, int n, String method) {
        if (k > n) {
            throw new Kernels4jException(method + ": cannot make " + k + " clusters of " + n + " points");
        }
    }

    /** The positive number of clusters a builder was given. */
    static int checkedClusters(int k, String method) {
        if (k < 1) {
            throw new Kernels4jException(method + ": the number of clusters must be at least 1, got " + k);
        }
        return k;
    }

    /** Labels 0..k−1 → the m×1 matrix {@link ClusterModel#predict} returns. */
    static Matrix column(int[] labels) {
        Matrix out = new Matrix(labels.length, 1);
        for (int i = 0; i < labels.length; i++) {
            out.set(i, 0, labels[i]);
        }
        return out;
    }
}
