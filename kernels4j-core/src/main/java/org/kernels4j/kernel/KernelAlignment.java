package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Kernel–target alignment: how well a Gram matrix K agrees with the ideal kernel yyᵀ of the targets.
 *
 * <ul>
 *   <li>{@link #of}: A(K, y) = ⟨K, yyᵀ⟩_F / (‖K‖_F·‖yyᵀ‖_F) = yᵀKy / (‖K‖_F·‖y‖²) (Cristianini et al. 2002),
 *       in [−1, 1]; for classes pass y = ±1.</li>
 *   <li>{@link #centered}: the same for the centred matrices K_c = HKH and y_c = Hy, H = I − 11ᵀ/n
 *       (Cortes, Mohri &amp; Rostamizadeh 2012), which does not reward a kernel for a large constant part
 *       and is the one to maximise over kernel parameters.</li>
 * </ul>
 * Cost O(n²) each, no copy of K.
 */
public final class KernelAlignment {
    private KernelAlignment() {
    }

    /** A(K, y) = yᵀKy / (‖K‖_F·‖y‖²). */
    public static double of(Matrix k, double[] y) {
        check(k, y);
        return align(k, y, false);
    }

    /** A(HKH, Hy), H the centring matrix. */
    public static double centered(Matrix k, double[] y) {
        check(k, y);
        return align(k, y, true);
    }

    private static double align(Matrix k, double[] y, boolean center) {
        int n = y.length;
        double[] a = k.data();
        double[] yc = y.clone();
        double[] rowMean = new double[n];
        double mean = 0;
        if (center) {
            double ym = 0;
            for (double v : y) {
                ym += v;
            }
            ym /= n;
            for (int i = 0; i < n; i++) {
                yc[i] -= ym;
            }
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < n; j++) {
                    s += a[i * n + j];
                }
                rowMean[i] = s / n;
                mean += s;
            }
            mean /= (double) n * n;
        }
        // K symmetric: column means equal row means, (HKH)_ij = K_ij − m_i − m_j + m
        double quad = 0;
        double frob = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                double kc = a[i * n + j] - rowMean[i] - rowMean[j] + mean;
                s += kc * yc[j];
                frob += kc * kc;
            }
            quad += yc[i] * s;
        }
        double yy = 0;
        for (double v : yc) {
            yy += v * v;
        }
        if (frob == 0 || yy == 0) {
            throw new Kernels4jException("alignment is undefined: the " + (frob == 0 ? "kernel matrix" : "target")
                    + (center ? " is constant" : " is zero"));
        }
        return quad / (Math.sqrt(frob) * yy);
    }

    private static void check(Matrix k, double[] y) {
        if (k.rows() != k.cols() || k.rows() != y.length) {
            throw new Kernels4jException("alignment needs an n×n kernel matrix and n targets, got " + k.shape()
                    + " and " + y.length + " targets");
        }
        if (y.length < 2) {
            throw new Kernels4jException("alignment needs at least 2 samples, got " + y.length);
        }
        k.requireFinite("kernel matrix");
        for (int i = 0; i < y.length; i++) {
            if (!Double.isFinite(y[i])) {
                throw new Kernels4jException("target " + (i + 1) + " is " + y[i]);
            }
        }
    }
}
