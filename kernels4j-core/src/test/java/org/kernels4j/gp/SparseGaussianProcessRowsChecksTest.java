package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The checks on rows held elsewhere ({@link SparseGaussianProcess.Rows}), found unexercised by hand-made mutants:
 * rows that say they hold none are refused, and statistics whose row count disagrees with the rows' own count
 * (an aggregation that lost or repeated a block) are refused instead of giving a bound over the wrong n.
 */
class SparseGaussianProcessRowsChecksTest {
    private static final Kernel K = KernelSpec.parse("rbf(length=0.8) + white(noise=0.1)");

    /** In-memory rows whose reported count can be set apart from the rows the statistics are computed on. */
    private record Rows(Matrix x, Matrix y, long count) implements SparseGaussianProcess.Rows {
        @Override
        public int outputs() {
            return y.cols();
        }

        @Override
        public SparseGaussianProcess.Statistics statistics(Kernel signal, Matrix z, Matrix factor) {
            return SparseGaussianProcess.blockStatistics(signal, z, factor, x, y);
        }

        @Override
        public SparseGaussianProcess.GradientSums gradient(Kernel signal, Matrix z, Matrix beta, Matrix r, double noise,
                boolean inducingGradient) {
            return SparseGaussianProcess.blockGradient(signal, z, beta, r, noise, x, y, inducingGradient);
        }
    }

    @Test
    void rowsWithNoRowsOrAWrongCountAreRefused() {
        Matrix x = TestData.gaussian(20, 2, 1, 41);
        Matrix y = x.selectColumns(new int[] {0});
        Matrix z = x.selectRows(new int[] {0, 5, 10});
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(K).build();
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> sgp.bound(new Rows(x, y, 0), z));
        assertEquals("a sparse GP needs at least one training row", e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> sgp.bound(new Rows(x, y, 21), z));
        assertTrue(e.getMessage().startsWith("the rows' statistics have shapes 3x3, 3x1 over 20 rows; expected m = 3, "
                + "k = 1 over 21"), e.getMessage());
        // the honest count gives the in-memory bound
        assertEquals(sgp.bound(x, y, z).value(), sgp.bound(new Rows(x, y, 20), z).value(), 1e-9);
    }
}
