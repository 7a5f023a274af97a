package org.kernels4j.leastsquares;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.leastsquares.PolynomialBasis.Family;
import org.kernels4j.leastsquares.PolynomialBasis.IndexSet;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.junit.jupiter.api.Test;

class WeightedLeastSquaresTest {

    @Test
    void functionsInTheSpaceAreRecoveredExactly() {
        PolynomialBasis basis = PolynomialBasis.of(Family.HERMITE, 2, IndexSet.TOTAL_DEGREE, 3);
        int m = basis.dimension();
        double[] truth = new double[m];
        Random r = new Random(4);
        for (int j = 0; j < m; j++) {
            truth[j] = r.nextGaussian();
        }
        for (SamplingMethod method : SamplingMethod.values()) {
            int n = method == SamplingMethod.PROJECTION_DPP ? m : 3 * m;
            WeightedSample sample = OptimalSampling.draw(basis, method, n, 12);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                double[] phi = sample.features().row(i);
                for (int j = 0; j < m; j++) {
                    y[i] += phi[j] * truth[j];
                }
            }
            WeightedLeastSquares fit = WeightedLeastSquares.fit(basis, sample, y);
            assertArrayEquals(truth, fit.coefficients(), 1e-9, method.name());
            Matrix x = new Matrix(2, 2);
            x.set(0, 0, 0.4);
            x.set(0, 1, -1.3);
            x.set(1, 0, 2.0);
            double[] expected = new double[2];
            for (int i = 0; i < 2; i++) {
                double[] phi = new double[m];
                basis.evaluate(x.row(i), phi);
                for (int j = 0; j < m; j++) {
                    expected[i] += phi[j] * truth[j];
                }
            }
            assertArrayEquals(expected, fit.predict(x), 1e-9);
            assertEquals(n, fit.size());
        }
    }

    @Test
    void reportsTheWeightedGramMatrixsConditioning() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 5);
        int m = basis.dimension();
        WeightedSample sample = OptimalSampling.draw(basis, SamplingMethod.OPTIMAL_IID, 40, 3);
        // G = (1/n)·Σ w_i φ_i φ_iᵀ built here entry by entry
        Matrix g = new Matrix(m, m);
        for (int i = 0; i < 40; i++) {
            double[] phi = sample.features().row(i);
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    g.set(a, b, g.get(a, b) + sample.weights()[i] * phi[a] * phi[b] / 40);
                }
            }
        }
        double[] lambda = SymmetricEigen.of(g).values();
        double[] y = new double[40];
        java.util.Arrays.fill(y, 1);
        WeightedLeastSquares fit = WeightedLeastSquares.fit(basis, sample, y);
        assertEquals(lambda[m - 1] / lambda[0], fit.gramCondition(), 1e-9 * fit.gramCondition());
        double deviation = Math.max(lambda[m - 1] - 1, 1 - lambda[0]);
        assertEquals(deviation, fit.gramDeviation(), 1e-12);
        assertEquals(deviation <= 0.5, fit.isStable(0.5));
        assertTrue(fit.isStable(fit.gramDeviation()));
        assertFalse(fit.isStable(fit.gramDeviation() * 0.999));
        // the constant is φ₀, so y ≡ 1 is recovered whatever the design
        assertEquals(1, fit.coefficients()[0], 1e-12);
    }

    @Test
    void dppDesignsAreNeverSingularWhereIidOnesCanBe() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 9);
        int m = basis.dimension();
        double[] y = new double[m];
        for (int s = 0; s < 30; s++) {
            WeightedSample dpp = OptimalSampling.draw(basis, SamplingMethod.PROJECTION_DPP, m, s);
            assertTrue(WeightedLeastSquares.fit(basis, dpp, y).gramCondition() < 1e12);
        }
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 3);
        WeightedSample sample = OptimalSampling.draw(basis, SamplingMethod.OPTIMAL_IID, 8, 1);
        assertTrue(assertThrows(Kernels4jException.class, () -> WeightedLeastSquares.fit(basis, sample, new double[7]))
                .getMessage().contains("got 7 values for 8 points"));
        double[] nan = new double[8];
        nan[3] = Double.NaN;
        assertTrue(assertThrows(Kernels4jException.class, () -> WeightedLeastSquares.fit(basis, sample, nan))
                .getMessage().contains("value 3 is NaN"));
        WeightedSample few = OptimalSampling.draw(basis, SamplingMethod.OPTIMAL_IID, 3, 1);
        assertTrue(assertThrows(Kernels4jException.class, () -> WeightedLeastSquares.fit(basis, few, new double[3]))
                .getMessage().contains("needs at least 4 points, got 3"));
        // the same point four times: the design is singular
        Matrix repeated = new Matrix(4, 4);
        double[] phi = new double[4];
        basis.evaluate(new double[] {0.3}, phi);
        for (int i = 0; i < 4; i++) {
            System.arraycopy(phi, 0, repeated.data(), i * 4, 4);
        }
        WeightedSample singular = new WeightedSample(SamplingMethod.OPTIMAL_IID, new Matrix(4, 1), repeated,
                new double[] {1, 1, 1, 1}, null, 4);
        assertTrue(assertThrows(Kernels4jException.class, () -> WeightedLeastSquares.fit(basis, singular, new double[4]))
                .getMessage().contains("is singular"));
        PolynomialBasis other = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 4);
        assertThrows(Kernels4jException.class, () -> WeightedLeastSquares.fit(other, sample, new double[8]));
    }
}
