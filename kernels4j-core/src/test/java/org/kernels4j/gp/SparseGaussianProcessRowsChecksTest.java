package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /**
     * One row (the smallest legal count) with itself as the one inducing point and no jitter: Q = K exactly, so the
     * bound is the exact log evidence of one point, log N(y; 0, k + σ²) with k = k(x, x) = 1 and σ² = 0.1, and the
     * fitted mean at x* is k(x*, x)·y/(k + σ²) with k(x*, x) = exp(−|x* − x|²/(2·0.8²)), both written out here.
     */
    @Test
    void oneRowWithItselfAsInducingPointGivesTheExactOnePointGp() {
        Matrix x = Matrix.wrap(1, 2, new double[] {0.3, -0.2});
        Matrix y = Matrix.wrap(1, 1, new double[] {0.7});
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(K).jitter(0).build();
        double v = 1 + 0.1;
        double evidence = -0.5 * Math.log(2 * Math.PI * v) - 0.7 * 0.7 / (2 * v);
        assertEquals(evidence, sgp.bound(new Rows(x, y, 1), x).value(), 1e-12);
        Matrix test = Matrix.wrap(1, 2, new double[] {1.1, 0.4});
        double d2 = 0.8 * 0.8 + 0.6 * 0.6;
        double mean = Math.exp(-d2 / (2 * 0.8 * 0.8)) * 0.7 / v;
        assertEquals(mean, sgp.fit(new Rows(x, y, 1), x).predict(test).get(0, 0), 1e-12);
    }

    /** fit on rows makes the same checks as bound: no rows, and target normalisation (which needs the targets). */
    @Test
    void fitOnRowsRefusesNoRowsAndTargetNormalisation() {
        Matrix x = TestData.gaussian(12, 2, 1, 42);
        Matrix y = x.selectColumns(new int[] {1});
        Matrix z = x.selectRows(new int[] {0, 6});
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> SparseGaussianProcess.builder(K).build().fit(new Rows(x, y, 0), z));
        assertEquals("a sparse GP needs at least one training row", e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> SparseGaussianProcess.builder(K).normalizeTargets(true).build().fit(new Rows(x, y, 12), z));
        assertTrue(e.getMessage().startsWith("normalizeTargets needs the targets in memory"), e.getMessage());
    }

    /** A block of no rows contributes sums over the empty set: zero statistics and zero gradient sums of full shape. */
    @Test
    void anEmptyBlockContributesZeros() {
        Matrix z = TestData.gaussian(3, 2, 1, 43);
        SparseGaussianProcess sgp = SparseGaussianProcess.builder(K).build();
        Kernel signal = KernelSpec.parse("rbf(length=0.8)");
        Matrix factor = sgp.inducingFactor(K, z);
        Matrix none = new Matrix(0, 2);
        Matrix noTargets = new Matrix(0, 2);
        SparseGaussianProcess.Statistics st = SparseGaussianProcess.blockStatistics(signal, z, factor, none, noTargets);
        assertEquals(0, st.rows());
        assertEquals(0, st.yy());
        assertEquals(0, st.traceKnn());
        assertArrayEquals(new double[9], st.aat().data());
        assertArrayEquals(new double[6], st.ay().data());
        SparseGaussianProcess.GradientSums gs = SparseGaussianProcess.blockGradient(signal, z, new Matrix(3, 2),
                new Matrix(3, 3), 0.1, none, noTargets, true);
        assertEquals(0, gs.residualSquares());
        assertArrayEquals(new double[signal.hyperparameters().size()], gs.hyperparameters());
        assertArrayEquals(new double[signal.hyperparameters().size()], gs.diagonal());
        assertArrayEquals(new double[6], gs.inducing().data());
    }
}
