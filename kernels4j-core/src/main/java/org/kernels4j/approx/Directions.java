package org.kernels4j.approx;

import java.util.Random;
import org.kernels4j.linalg.Matrix;

/** Random direction matrices shared by the random feature maps. */
final class Directions {
    private Directions() {
    }

    /** D × d matrix of independent standard normal entries. */
    static Matrix gaussian(int rows, int d, Random r) {
        Matrix w = new Matrix(rows, d);
        double[] a = w.data();
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
        }
        return w;
    }

    /**
     * D × d matrix whose rows come in blocks of d mutually orthogonal unit vectors, each block a
     * Haar-random orthonormal basis (Gram–Schmidt of Gaussian vectors, which is Haar-distributed),
     * the last block truncated. Multiply row i by an independent radius to get orthogonal random
     * features (Yu et al., 2016).
     */
    static Matrix orthonormalBlocks(int rows, int d, Random r) {
        Matrix w = new Matrix(rows, d);
        for (int start = 0; start < rows; start += d) {
            int count = Math.min(d, rows - start);
            for (int i = start; i < start + count; i++) {
                double[] v = new double[d];
                double norm;
                do {
                    for (int j = 0; j < d; j++) {
                        v[j] = r.nextGaussian();
                    }
                    // modified Gram–Schmidt against this block's earlier rows, twice for stability
                    for (int pass = 0; pass < 2; pass++) {
                        for (int p = start; p < i; p++) {
                            double dot = 0;
                            for (int j = 0; j < d; j++) {
                                dot += v[j] * w.get(p, j);
                            }
                            for (int j = 0; j < d; j++) {
                                v[j] -= dot * w.get(p, j);
                            }
                        }
                    }
                    norm = 0;
                    for (double x : v) {
                        norm += x * x;
                    }
                    norm = Math.sqrt(norm);
                } while (!(norm > 1e-8));
                for (int j = 0; j < d; j++) {
                    w.set(i, j, v[j] / norm);
                }
            }
        }
        return w;
    }

    /** Norm of a d-dimensional standard normal vector (chi distribution with d degrees of freedom). */
    static double chi(int d, Random r) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            double g = r.nextGaussian();
            s += g * g;
        }
        return Math.sqrt(s);
    }
}
