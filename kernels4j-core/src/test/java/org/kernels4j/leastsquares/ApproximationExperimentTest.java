package org.kernels4j.leastsquares;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.leastsquares.ApproximationExperiment.Cell;
import org.kernels4j.leastsquares.ApproximationExperiment.Result;
import org.kernels4j.leastsquares.ApproximationExperiment.TestFunction;
import org.kernels4j.leastsquares.PolynomialBasis.Family;
import org.kernels4j.leastsquares.PolynomialBasis.IndexSet;
import org.junit.jupiter.api.Test;

class ApproximationExperimentTest {
    private static final List<SamplingMethod> ALL = List.of(SamplingMethod.values());

    @Test
    void aFunctionInTheSpaceIsRecoveredByEverySampler() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 2, IndexSet.TOTAL_DEGREE, 2);
        // 1 + x₁x₂ − x₂² lies in the total-degree-2 space
        Result r = ApproximationExperiment.run(basis, x -> 1 + x[0] * x[1] - x[1] * x[1], ALL,
                new double[] {1, 2.5}, 3, 200, 1);
        assertEquals(0, r.bestError(), 1e-12);
        for (Cell c : r.cells()) {
            if (c.singularFraction() == 0) {
                assertEquals(0, c.meanError(), 1e-9, c.toString());
            }
        }
        assertEquals("legendre, d=2, total degree 2 (m=6)", r.basis());
    }

    @Test
    void sizesFollowEachSamplersRules() {
        PolynomialBasis basis = PolynomialBasis.of(Family.HERMITE, 1, IndexSet.TOTAL_DEGREE, 3); // m = 4
        Result r = ApproximationExperiment.run(basis, TestFunction.RUNGE::value, ALL, new double[] {1, 1.3, 2.2}, 2,
                100, 3);
        for (Cell c : r.cells()) {
            switch (c.method()) {
                case PROJECTION_DPP:
                    assertEquals(4, c.n());
                    break;
                case REPEATED_DPP:
                    assertEquals(0, c.n() % 4, c.toString());
                    break;
                default:
                    assertTrue(c.n() == 4 || c.n() == 6 || c.n() == 9, c.toString()); // ⌈1.3·4⌉ = 6, ⌈2.2·4⌉ = 9
            }
        }
        assertEquals(1 + 3 * 3 + 3, r.cells().size()); // dpp once; reference, iid, volume 4, 6, 9; repeated 4, 8, 12
    }

    @Test
    void noSampleBeatsTheBestApproximationOnTheTestSample() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 6);
        Result r = ApproximationExperiment.run(basis, TestFunction.KINK::value, ALL, new double[] {1, 3}, 5, 400, 9);
        assertTrue(r.bestError() > 0.01, "a kink is not a polynomial");
        for (Cell c : r.cells()) {
            double[] e = c.errors();
            assertEquals(5, e.length);
            double sum = 0;
            int finite = 0;
            for (int i = 0; i < e.length; i++) {
                assertTrue(i == 0 || e[i] >= e[i - 1], "ascending");
                if (Double.isFinite(e[i])) {
                    sum += e[i];
                    finite++;
                }
            }
            assertEquals(sum / finite, c.meanError(), 1e-15 * Math.max(1, c.meanError()), c.toString());
            assertEquals(e[2], c.medianError(), 0, "median of 5 is the 3rd");
            assertEquals(e[4], c.upperError(), 0, "90 % quantile of 5 is the 5th (nearest rank)");
            assertEquals((5 - finite) / 5.0, c.singularFraction(), 0);
            assertTrue(c.meanCondition() >= 1, "cond(G) ≥ 1");
            assertTrue(c.medianError() >= r.bestError() - 1e-12, c.toString());
            assertTrue(c.upperError() >= c.medianError(), c.toString());
            assertTrue(c.stableFraction() >= 0 && c.stableFraction() <= 1);
            if (c.method() != SamplingMethod.REFERENCE_IID && c.method() != SamplingMethod.OPTIMAL_IID) {
                assertEquals(0, c.singularFraction(), c.toString());
            }
        }
    }

    @Test
    void testFunctionsHaveTheirFormulas() {
        double[] x = {0.5, -1.0};
        assertEquals(1 / (1 + 5 * 1.25 / 2), TestFunction.RUNGE.value(x), 1e-15);
        assertEquals(Math.exp(-0.25), TestFunction.EXPONENTIAL.value(x), 1e-15);
        assertEquals(Math.cos(Math.PI / 4 + 0.5 - 0.5), TestFunction.OSCILLATORY.value(x), 1e-15);
        assertEquals(Math.exp(-(0.09 + 1.44)), TestFunction.GAUSSIAN_PEAK.value(x), 1e-15);
        assertEquals(Math.sqrt(0.26), TestFunction.KINK.value(x), 1e-15);
        assertEquals(TestFunction.GAUSSIAN_PEAK, TestFunction.parse("gaussian-peak"));
        assertTrue(assertThrows(Kernels4jException.class, () -> TestFunction.parse("rosenbrock")).getMessage()
                .contains("unknown test function 'rosenbrock'"));
    }

    @Test
    void badSettingsAreRefused() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 3);
        assertThrows(Kernels4jException.class,
                () -> ApproximationExperiment.run(basis, TestFunction.RUNGE::value, ALL, new double[] {0.5}, 2, 100, 1));
        assertThrows(Kernels4jException.class,
                () -> ApproximationExperiment.run(basis, TestFunction.RUNGE::value, ALL, new double[] {2}, 0, 100, 1));
        assertThrows(Kernels4jException.class,
                () -> ApproximationExperiment.run(basis, TestFunction.RUNGE::value, ALL, new double[] {2}, 2, 10, 1));
        assertThrows(Kernels4jException.class,
                () -> ApproximationExperiment.run(basis, TestFunction.RUNGE::value, List.of(), new double[] {2}, 2, 100, 1));
        assertThrows(Kernels4jException.class,
                () -> ApproximationExperiment.run(basis, TestFunction.RUNGE::value, ALL, new double[0], 2, 100, 1));
        assertTrue(assertThrows(Kernels4jException.class,
                () -> ApproximationExperiment.run(basis, x -> 1 / x[0] / 0.0 * 0, ALL, new double[] {2}, 2, 100, 1))
                .getMessage().contains("not finite"));
    }
}
