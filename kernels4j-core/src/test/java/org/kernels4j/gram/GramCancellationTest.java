package org.kernels4j.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;

/**
 * Distance kernels on data with one row far from the others: the Gram engine forms ‖x − z‖² as ‖x‖² + ‖z‖² − 2⟨x, z⟩
 * on centred rows, and one huge value moves the centre and makes every norm huge, so the expansion cancels; the
 * entries it flags are recomputed from the rows. Reference: k(x, z) evaluated pair by pair from its formula,
 * exp(−γ·Σ_f (x_f − z_f)²) written here (and the kernel's own {@code value}, which works on one pair's differences).
 */
class GramCancellationTest {

    private static double rbf(double gamma, double[] x, double[] z) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            s += (x[f] - z[f]) * (x[f] - z[f]);
        }
        return Math.exp(-gamma * s);
    }

    /** The rows of the QA report (a value of 10¹⁰ in row 0), then the same with 10¹⁶⁰, whose square overflows. */
    @Test
    void oneFarRowLeavesTheOtherEntriesExact() {
        for (double big : new double[] {1e10, 3e8, 1e160, -1e200}) {
            Matrix x = Matrix.of(new double[][] {{big, 2}, {4, 5}, {7, 8}, {10, 1}});
            Matrix k = GramEngine.gram(KernelSpec.parse("rbf(gamma=0.01)"), x);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double want = rbf(0.01, x.row(i), x.row(j));
                    assertEquals(want, k.get(i, j), 1e-14, "big " + big + ", entry " + i + "," + j);
                }
            }
            assertEquals(Math.exp(-0.18), k.get(1, 2), 1e-15, "exp(−0.01·18), the QA report's 0.835");
        }
    }

    /**
     * Two clusters 10⁸ apart, each of width one, 300 rows (several tiles): every within-cluster entry is exact; also
     * for the Matérn, Laplacian and rational-quadratic kernels (against their one-pair {@code value}) and for the
     * cross Gram matrix against rows of the other cluster shifted back.
     */
    @Test
    void farApartClustersKeepTheirInnerDistances() {
        Random r = new Random(3);
        int n = 300;
        double[][] rows = new double[n][3];
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < 3; f++) {
                rows[i][f] = r.nextGaussian() + (i % 2 == 0 ? 0 : 1e8);
            }
        }
        Matrix x = Matrix.of(rows);
        for (String spec : new String[] {"rbf(gamma=0.5)", "matern(nu=1.5, length=0.7)", "laplacian(gamma=0.8)",
            "rq(alpha=0.5, length=1.2)", "rbf(length=[0.5, 1, 2])"}) {
            Kernel kernel = KernelSpec.parse(spec);
            Matrix k = GramEngine.gram(kernel, x);
            double worst = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    worst = Math.max(worst, Math.abs(k.get(i, j) - kernel.value(x.row(i), x.row(j))));
                }
            }
            assertTrue(worst < 1e-12, spec + ": largest error " + worst);
            Matrix z = x.rowRange(0, 40);
            Matrix c = GramEngine.cross(kernel, x, z);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < 40; j++) {
                    assertEquals(kernel.value(x.row(i), z.row(j)), c.get(i, j), 1e-12, spec + " cross " + i + "," + j);
                }
            }
        }
    }

    /**
     * A kernel on mapped features (the projected quantum kernel: φ(x) = the one-qubit reduced density matrices) with
     * rows repeated: the repeated pairs' φ are equal, their expansion cancels to rounding noise and is flagged, and the
     * direct sum over φ gives exactly 0, so k = exp(0) = 1 for them, as for the diagonal.
     */
    @Test
    void repeatedRowsOfAMappedKernelGetExactlyOne() {
        Random r = new Random(8);
        double[][] rows = new double[12][3];
        for (int i = 0; i < 12; i++) {
            for (int f = 0; f < 3; f++) {
                rows[i][f] = i >= 6 ? rows[i - 6][f] : r.nextDouble();
            }
        }
        Kernel kernel = KernelSpec.parse("projected(gamma=2)");
        Matrix k = GramEngine.gram(kernel, Matrix.of(rows));
        for (int i = 0; i < 6; i++) {
            assertEquals(1.0, k.get(i, i + 6), 0.0, "rows " + i + " and " + (i + 6) + " are the same point");
            assertEquals(1.0, k.get(i + 6, i), 0.0);
            for (int j = 0; j < 6; j++) {
                if (j != i) { // distinct points: as the kernel's one-pair value
                    assertEquals(kernel.value(rows[i], rows[j]), k.get(i, j + 6), 1e-12, i + "," + j);
                }
            }
        }
    }

    /** The element pass flags exactly the entries below CANCELLATION of the norms, and NaN, in both implementations. */
    @Test
    void theDistancePassFlagsCancellationAndNaN() {
        for (ElementOps ops : new ElementOps[] {ElementOps.get(), ElementOps.scalar()}) {
            double[] nz = new double[19];
            java.util.Arrays.fill(nz, 1.0);
            double[] a = new double[19]; // inner products 0: distances 2, far above 2⁻¹⁶·2
            assertFalse(ops.squaredDistances(a, 0, 19, 1.0, nz, 0), ops.name());
            for (int k : new int[] {0, 8, 18}) { // in the vector body and in the tail
                double[] b = new double[19];
                b[k] = 1.0 - 0x1p-20; // distance 2⁻¹⁹ < 2⁻¹⁶·2
                assertTrue(ops.squaredDistances(b, 0, 19, 1.0, nz, 0), ops.name() + " entry " + k);
                double[] c = new double[19];
                c[k] = Double.NaN;
                assertTrue(ops.squaredDistances(c, 0, 19, 1.0, nz, 0), ops.name() + " NaN at " + k);
                double[] edge = new double[19];
                edge[k] = 1 - 0x1p-17; // distance 2⁻¹⁶ exactly: below 2⁻¹⁶·(1 + 1) = 2⁻¹⁵, so flagged
                assertTrue(ops.squaredDistances(edge, 0, 19, 1.0, nz, 0), ops.name() + " 2^-16 at " + k);
                assertEquals(0x1p-16, edge[k], 0.0);
            }
        }
    }
}
