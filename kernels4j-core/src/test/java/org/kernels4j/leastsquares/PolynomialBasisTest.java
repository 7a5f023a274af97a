package org.kernels4j.leastsquares;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.leastsquares.PolynomialBasis.Family;
import org.kernels4j.leastsquares.PolynomialBasis.IndexSet;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.junit.jupiter.api.Test;

class PolynomialBasisTest {

    /**
     * Gauss quadrature for the probability measure of the family by Golub–Welsch: nodes are the
     * eigenvalues of the Jacobi matrix, weights the squared first components of its eigenvectors.
     * A different route from the Newton iteration of linalg.Quadrature.
     */
    static double[][] golubWelsch(Family family, int n) {
        Matrix j = new Matrix(n, n);
        for (int k = 1; k < n; k++) {
            double b = family == Family.LEGENDRE ? k / Math.sqrt(4.0 * k * k - 1) : Math.sqrt(k);
            j.set(k, k - 1, b);
            j.set(k - 1, k, b);
        }
        SymmetricEigen e = SymmetricEigen.of(j);
        double[] nodes = e.values();
        double[] weights = new double[n];
        for (int i = 0; i < n; i++) {
            double v = e.vectors().get(0, i);
            weights[i] = v * v;
        }
        return new double[][] {nodes, weights};
    }

    @Test
    void indexSetsHaveTheirCounts() {
        assertEquals(35, PolynomialBasis.of(Family.LEGENDRE, 3, IndexSet.TOTAL_DEGREE, 4).dimension()); // C(7,3)
        assertEquals(125, PolynomialBasis.of(Family.HERMITE, 3, IndexSet.TENSOR_PRODUCT, 4).dimension());
        int count = 0;
        for (int a = 0; a <= 9; a++) {
            for (int b = 0; b <= 9; b++) {
                if ((a + 1) * (b + 1) <= 10) {
                    count++;
                }
            }
        }
        assertEquals(count, PolynomialBasis.of(Family.LEGENDRE, 2, IndexSet.HYPERBOLIC_CROSS, 9).dimension());
        PolynomialBasis b = PolynomialBasis.of(Family.LEGENDRE, 2, IndexSet.TOTAL_DEGREE, 2);
        assertEquals("[0, 0]", java.util.Arrays.toString(b.multiIndex(0)));
        assertEquals("[1, 0]", java.util.Arrays.toString(b.multiIndex(1)));
        assertEquals("[0, 1]", java.util.Arrays.toString(b.multiIndex(2)));
        assertEquals("[2, 0]", java.util.Arrays.toString(b.multiIndex(3)));
        assertEquals("legendre, d=2, total degree 2 (m=6)", b.describe());
    }

    @Test
    void basisIsOrthonormalUnderTensorGaussQuadrature() {
        for (Family family : Family.values()) {
            PolynomialBasis basis = PolynomialBasis.of(family, 2, IndexSet.TOTAL_DEGREE, 5);
            double[][] rule = golubWelsch(family, 7); // exact for degree 13 ≥ 10 per axis
            int m = basis.dimension();
            double[][] gram = new double[m][m];
            double[] phi = new double[m];
            for (int a = 0; a < 7; a++) {
                for (int b = 0; b < 7; b++) {
                    basis.evaluate(new double[] {rule[0][a], rule[0][b]}, phi);
                    double w = rule[1][a] * rule[1][b];
                    for (int i = 0; i < m; i++) {
                        for (int k = 0; k < m; k++) {
                            gram[i][k] += w * phi[i] * phi[k];
                        }
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                for (int k = 0; k < m; k++) {
                    assertEquals(i == k ? 1 : 0, gram[i][k], 1e-12, family + " gram " + i + "," + k);
                }
            }
        }
    }

    @Test
    void squaredCdfMatchesQuadratureOfTheDensity() {
        for (Family family : Family.values()) {
            PolynomialBasis basis = PolynomialBasis.of(family, 1, IndexSet.TOTAL_DEGREE, 6);
            for (int a = 0; a <= 6; a++) {
                for (double x : new double[] {-2.5, -0.9, -0.3, 0, 0.41, 0.95, 1.7}) {
                    if (family == Family.LEGENDRE && Math.abs(x) > 1) {
                        assertEquals(x < 0 ? 0 : 1, basis.squaredCdf(a, x), 0);
                        continue;
                    }
                    double expected = integrateDensity(basis, a, family == Family.LEGENDRE ? -1 : -14, x);
                    assertEquals(expected, basis.squaredCdf(a, x), 1e-12, family + " a=" + a + " x=" + x);
                }
            }
        }
    }

    /** ∫ p_a² dμ₁ over [lo, x] by composite Gauss–Legendre (Golub–Welsch nodes) on 200 panels. */
    private static double integrateDensity(PolynomialBasis basis, int a, double lo, double x) {
        double[][] rule = golubWelsch(Family.LEGENDRE, 10);
        int panels = 200;
        double h = (x - lo) / panels;
        double[] phi = new double[basis.dimension()];
        double s = 0;
        for (int p = 0; p < panels; p++) {
            for (int k = 0; k < 10; k++) {
                double t = lo + h * (p + 0.5 * (1 + rule[0][k]));
                basis.evaluate(new double[] {t}, phi);
                double mu = basis.family() == Family.LEGENDRE ? 0.5 : Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
                // rule weights sum to 1 (probability); the panel's length is h
                s += h * rule[1][k] * phi[a] * phi[a] * mu;
            }
        }
        return s;
    }

    @Test
    void squaredSamplesFollowTheirCdf() {
        int n = 20_000;
        for (Family family : Family.values()) {
            PolynomialBasis basis = PolynomialBasis.of(family, 1, IndexSet.TOTAL_DEGREE, 4);
            Random random = new Random(7);
            int a = family == Family.LEGENDRE ? 3 : 4;
            double[] draws = new double[n];
            for (int i = 0; i < n; i++) {
                draws[i] = basis.sampleSquared(a, random.nextDouble());
            }
            double lo = family == Family.LEGENDRE ? -1 : -14;
            for (double x : new double[] {-1.5, -0.7, -0.2, 0.1, 0.6, 0.9, 2.2}) {
                if (family == Family.LEGENDRE && Math.abs(x) >= 1) {
                    continue;
                }
                double f = integrateDensity(basis, a, lo, x);
                long below = java.util.Arrays.stream(draws).filter(v -> v <= x).count();
                double se = Math.sqrt(f * (1 - f) / n);
                assertEquals(f, below / (double) n, 5 * se + 1e-9, family + " empirical CDF at " + x);
            }
            // the quantile function inverts the CDF
            for (double u : new double[] {1e-6, 0.013, 0.5, 0.77, 0.999}) {
                assertEquals(u, basis.squaredCdf(a, basis.sampleSquared(a, u)), 1e-12, family + " F(F⁻¹(u))");
            }
        }
    }

    @Test
    void optimalDensityMakesTheWeightedGramTheIdentityInExpectation() {
        // E_{x∼ρ_m}[w(x)·φ(x)φ(x)ᵀ] = I with w = m/k_m; every entry within 5 Monte-Carlo standard errors.
        for (Family family : Family.values()) {
            PolynomialBasis basis = PolynomialBasis.of(family, 2, IndexSet.HYPERBOLIC_CROSS, 3);
            int m = basis.dimension();
            int n = 12_000;
            double[][] sum = new double[m][m];
            double[][] sumSq = new double[m][m];
            Random random = new Random(11);
            double[] phi = new double[m];
            for (int s = 0; s < n; s++) {
                double[] x = basis.sampleOptimal(random);
                basis.evaluate(x, phi);
                double k = 0;
                for (double v : phi) {
                    k += v * v;
                }
                assertEquals(k, basis.inverseChristoffel(x), 1e-12 * k);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        double v = m / k * phi[i] * phi[j];
                        sum[i][j] += v;
                        sumSq[i][j] += v * v;
                    }
                }
            }
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double mean = sum[i][j] / n;
                    double se = Math.sqrt(Math.max(sumSq[i][j] / n - mean * mean, 0) / n);
                    assertEquals(i == j ? 1 : 0, mean, 5 * se + 1e-12, family + " E[wφφᵀ] " + i + "," + j);
                }
            }
        }
    }

    @Test
    void referenceSamplesHaveTheMeasuresMoments() {
        Random random = new Random(3);
        PolynomialBasis legendre = PolynomialBasis.of(Family.LEGENDRE, 3, IndexSet.TOTAL_DEGREE, 1);
        PolynomialBasis hermite = PolynomialBasis.of(Family.HERMITE, 3, IndexSet.TOTAL_DEGREE, 1);
        int n = 20_000;
        double l2 = 0;
        double h2 = 0;
        for (int i = 0; i < n; i++) {
            double[] x = legendre.sampleReference(random);
            assertTrue(x[0] >= -1 && x[0] <= 1);
            l2 += x[1] * x[1];
            double h = hermite.sampleReference(random)[2];
            h2 += h * h;
        }
        assertEquals(1.0 / 3, l2 / n, 5 * Math.sqrt((1.0 / 5 - 1.0 / 9) / n));
        assertEquals(1.0, h2 / n, 5 * Math.sqrt(2.0 / n));
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        assertTrue(assertThrows(Kernels4jException.class, () -> Family.parse("chebyshev")).getMessage()
                .contains("unknown polynomial family 'chebyshev'"));
        assertTrue(assertThrows(Kernels4jException.class, () -> IndexSet.parse("full")).getMessage()
                .contains("unknown index set 'full'"));
        assertEquals(IndexSet.HYPERBOLIC_CROSS, IndexSet.parse("hyperbolic"));
        assertEquals(IndexSet.TENSOR_PRODUCT, IndexSet.parse("tensor"));
        assertEquals(Family.HERMITE, Family.parse(" Hermite"));
        assertThrows(Kernels4jException.class, () -> PolynomialBasis.of(Family.LEGENDRE, 0, IndexSet.TOTAL_DEGREE, 2));
        assertThrows(Kernels4jException.class, () -> PolynomialBasis.of(Family.LEGENDRE, 2, IndexSet.TOTAL_DEGREE, -1));
        assertEquals(1, PolynomialBasis.of(Family.HERMITE, 3, IndexSet.TOTAL_DEGREE, 0).dimension(), "degree 0: constants");
        assertEquals(201, PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 200).dimension());
        assertThrows(Kernels4jException.class, () -> PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 201));
        assertTrue(assertThrows(Kernels4jException.class,
                () -> PolynomialBasis.of(Family.LEGENDRE, 10, IndexSet.TENSOR_PRODUCT, 3)).getMessage()
                .contains("more than 20000 functions"));
        PolynomialBasis b = PolynomialBasis.of(Family.LEGENDRE, 2, IndexSet.TOTAL_DEGREE, 2);
        assertThrows(Kernels4jException.class, () -> b.evaluate(new double[] {0.1}, new double[6]));
        assertThrows(Kernels4jException.class, () -> b.evaluate(new double[] {0.1, Double.NaN}, new double[6]));
        assertThrows(Kernels4jException.class, () -> b.evaluate(new Matrix(3, 3)));
    }
}
