package org.kernels4j.leastsquares;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.RandomFourierFeatures;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.leastsquares.PolynomialBasis.Family;
import org.kernels4j.leastsquares.PolynomialBasis.IndexSet;
import org.kernels4j.linalg.Matrix;
import org.junit.jupiter.api.Test;

class OptimalSamplingTest {

    private static Matrix randomMatrix(int n, int m, long seed) {
        Random r = new Random(seed);
        Matrix a = new Matrix(n, m);
        for (int i = 0; i < a.data().length; i++) {
            a.data()[i] = r.nextGaussian();
        }
        return a;
    }

    /** The orthogonal projector onto the column space of F, by classical Gram–Schmidt written here. */
    private static double[][] projector(Matrix f) {
        int n = f.rows();
        int m = f.cols();
        double[][] q = new double[m][];
        for (int j = 0; j < m; j++) {
            double[] v = f.column(j);
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < n; i++) {
                    dot += q[k][i] * v[i];
                }
                for (int i = 0; i < n; i++) {
                    v[i] -= dot * q[k][i];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                v[i] /= norm;
            }
            q[j] = v;
        }
        double[][] p = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                for (int k = 0; k < m; k++) {
                    p[a][b] += q[k][a] * q[k][b];
                }
            }
        }
        return p;
    }

    @Test
    void poolBasisIsOrthonormalOnThePoolAndSpansTheFeatures() {
        Matrix pool = randomMatrix(9, 2, 1);
        Matrix features = randomMatrix(9, 4, 2);
        PoolBasis basis = PoolBasis.ofFeatures(pool, features);
        double[][] p = projector(features);
        double total = 0;
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                double[] a = basis.evaluateIndex(i);
                double[] b = basis.evaluateIndex(j);
                double dot = 0;
                for (int k = 0; k < 4; k++) {
                    dot += a[k] * b[k];
                }
                // φ(x_i)·φ(x_j) = N·(Q Qᵀ)_ij, the projector onto span(F) scaled by N
                assertEquals(9 * p[i][j], dot, 1e-12, "kernel " + i + "," + j);
            }
            assertEquals(p[i][i], basis.leverage(i), 1e-13);
            total += basis.leverage(i);
        }
        assertEquals(4, total, 1e-12);
        assertEquals(4, basis.dimension());
        assertEquals(9, basis.poolSize());
        assertArrayEquals(basis.evaluateIndex(5), basis.evaluate(pool).row(5), 0);
    }

    @Test
    void poolBasisFromAFeatureMapEvaluatesAnywhere() {
        Matrix pool = randomMatrix(40, 3, 3);
        RandomFourierFeatures map = RandomFourierFeatures.of(KernelSpec.parse("rbf(gamma=0.5)"), 6, 3,
                RandomFourierFeatures.Sampling.IID, 5);
        PoolBasis basis = PoolBasis.of(pool, map);
        for (int i = 0; i < 40; i += 7) {
            double[] direct = new double[6];
            basis.evaluate(pool.row(i), direct);
            assertArrayEquals(basis.evaluateIndex(i), direct, 1e-10);
        }
        // a new point: φ(x) = √N·R⁻ᵀ f(x), so φ(x)·φ(x_i) = N·f(x)ᵀ(FᵀF)⁻¹f(x_i) for every pool row i:
        // checked through the projector identity Σ_i φ(x_i)φ(x_i)ᵀ/N = I, i.e. φ(x) = (1/N)Σ_i φ(x_i)(φ(x_i)·φ(x)).
        double[] x = {0.3, -1.2, 0.8};
        double[] phi = new double[6];
        basis.evaluate(x, phi);
        Matrix fx = map.transform(Matrix.wrap(1, 3, x));
        Matrix f = map.transform(pool);
        // least-squares coefficients c of f(x) on... instead compare inner products with pool rows
        for (int i = 0; i < 40; i += 9) {
            double[] pi = basis.evaluateIndex(i);
            double dot = 0;
            for (int k = 0; k < 6; k++) {
                dot += pi[k] * phi[k];
            }
            double reference = 40 * bilinear(f, fx.row(0), f.row(i));
            assertEquals(reference, dot, 1e-8 * Math.max(1, Math.abs(reference)));
        }
    }

    /** aᵀ(FᵀF)⁻¹b by Gaussian elimination written here. */
    private static double bilinear(Matrix f, double[] a, double[] b) {
        int m = f.cols();
        double[][] g = new double[m][m + 1];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int r = 0; r < f.rows(); r++) {
                    s += f.get(r, i) * f.get(r, j);
                }
                g[i][j] = s;
            }
            g[i][m] = b[i];
        }
        for (int c = 0; c < m; c++) {
            int piv = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(g[r][c]) > Math.abs(g[piv][c])) {
                    piv = r;
                }
            }
            double[] t = g[c];
            g[c] = g[piv];
            g[piv] = t;
            for (int r = 0; r < m; r++) {
                if (r != c) {
                    double factor = g[r][c] / g[c][c];
                    for (int k = c; k <= m; k++) {
                        g[r][k] -= factor * g[c][k];
                    }
                }
            }
        }
        double s = 0;
        for (int i = 0; i < m; i++) {
            s += a[i] * g[i][m] / g[i][i];
        }
        return s;
    }

    @Test
    void poolDppHasTheProjectionKernelsInclusionProbabilities() {
        int n = 8;
        int m = 3;
        Matrix features = randomMatrix(n, m, 21);
        PoolBasis basis = PoolBasis.ofFeatures(randomMatrix(n, 1, 22), features);
        double[][] k = projector(features);
        int draws = 20_000;
        int[] single = new int[n];
        int[][] pair = new int[n][n];
        for (int s = 0; s < draws; s++) {
            WeightedSample sample = OptimalSampling.draw(basis, SamplingMethod.PROJECTION_DPP, m, 1000 + s);
            int[] rows = sample.poolRows();
            assertEquals(m, java.util.Arrays.stream(rows).distinct().count(), "a DPP sample has distinct points");
            for (int a = 0; a < m; a++) {
                single[rows[a]]++;
                for (int b = 0; b < m; b++) {
                    if (a != b) {
                        pair[rows[a]][rows[b]]++;
                    }
                }
            }
        }
        for (int i = 0; i < n; i++) {
            double p = k[i][i];
            assertEquals(p, single[i] / (double) draws, 5 * Math.sqrt(p * (1 - p) / draws), "P(i in S) " + i);
            for (int j = i + 1; j < n; j++) {
                double q = k[i][i] * k[j][j] - k[i][j] * k[i][j];
                assertEquals(q, pair[i][j] / (double) draws, 5 * Math.sqrt(q * (1 - q) / draws) + 1e-12,
                        "P(i, j in S) " + i + "," + j);
            }
        }
    }

    /** Enumerates the ordered n-tuples of a pool of N: their volume-rescaled probabilities. */
    private static Map<String, Double> volumeDistribution(PoolBasis basis, int n) {
        int size = basis.poolSize();
        int m = basis.dimension();
        Map<String, Double> p = new HashMap<>();
        int[] t = new int[n];
        int total = (int) Math.pow(size, n);
        double norm = 0;
        for (int code = 0; code < total; code++) {
            int c = code;
            for (int i = 0; i < n; i++) {
                t[i] = c % size;
                c /= size;
            }
            double rho = 1;
            for (int i : t) {
                rho *= basis.leverage(i) / m; // ρ_m(x_i) = ‖Q_i‖²/m
            }
            double det = determinantOfGram(basis, t);
            p.put(java.util.Arrays.toString(t), rho * det);
            norm += rho * det;
        }
        // Cauchy–Binet: E_{ρ^n}[det G] = n!/((n−m)!·n^m)
        double expected = 1;
        for (int i = 0; i < m; i++) {
            expected *= (n - i) / (double) n;
        }
        assertEquals(expected, norm, 1e-12, "normalising constant E[det G]");
        final double z = norm;
        p.replaceAll((key, v) -> v / z);
        return p;
    }

    /** det G for G = (1/n)Σ w_i φ(x_i)φ(x_i)ᵀ, w = m/k_m, by Gaussian elimination written here. */
    private static double determinantOfGram(PoolBasis basis, int[] rows) {
        int m = basis.dimension();
        int n = rows.length;
        double[][] g = new double[m][m];
        for (int r : rows) {
            double[] phi = basis.evaluateIndex(r);
            double k = 0;
            for (double v : phi) {
                k += v * v;
            }
            for (int a = 0; a < m; a++) {
                for (int b = 0; b < m; b++) {
                    g[a][b] += m / k * phi[a] * phi[b] / n;
                }
            }
        }
        double det = 1;
        for (int c = 0; c < m; c++) {
            int piv = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(g[r][c]) > Math.abs(g[piv][c])) {
                    piv = r;
                }
            }
            if (g[piv][c] == 0) {
                return 0;
            }
            if (piv != c) {
                double[] t = g[c];
                g[c] = g[piv];
                g[piv] = t;
                det = -det;
            }
            det *= g[c][c];
            for (int r = c + 1; r < m; r++) {
                double f = g[r][c] / g[c][c];
                for (int k = c; k < m; k++) {
                    g[r][k] -= f * g[c][k];
                }
            }
        }
        return Math.max(det, 0);
    }

    @Test
    void volumeRescaledSamplerDrawsTheEnumeratedDistribution() {
        PoolBasis basis = PoolBasis.ofFeatures(randomMatrix(4, 1, 30), randomMatrix(4, 2, 31));
        int n = 3;
        Map<String, Double> exact = volumeDistribution(basis, n);
        int draws = 30_000;
        Map<String, Integer> counts = new HashMap<>();
        for (int s = 0; s < draws; s++) {
            int[] rows = OptimalSampling.draw(basis, SamplingMethod.VOLUME_RESCALED, n, 77 + s).poolRows();
            counts.merge(java.util.Arrays.toString(rows), 1, Integer::sum);
        }
        for (Map.Entry<String, Double> e : exact.entrySet()) {
            double p = e.getValue();
            double f = counts.getOrDefault(e.getKey(), 0) / (double) draws;
            assertEquals(p, f, 5 * Math.sqrt(p * (1 - p) / draws) + 1e-12, "tuple " + e.getKey());
        }
    }

    @Test
    void volumeRescaledWeightedLeastSquaresIsUnbiasedByEnumeration() {
        // E[â] = a* = (1/N)·Σ_i y_i φ(x_i), the L²(μ) projection coefficients, summed exactly over all tuples.
        int size = 5;
        PoolBasis basis = PoolBasis.ofFeatures(randomMatrix(size, 1, 40), randomMatrix(size, 2, 41));
        double[] y = {0.3, -1.1, 2.0, 0.7, -0.4};
        int n = 3;
        Map<String, Double> exact = volumeDistribution(basis, n);
        double[] mean = new double[2];
        for (Map.Entry<String, Double> e : exact.entrySet()) {
            if (e.getValue() < 1e-15) {
                continue;
            }
            int[] rows = java.util.Arrays.stream(e.getKey().replaceAll("[\\[\\] ]", "").split(","))
                    .mapToInt(Integer::parseInt).toArray();
            WeightedSample sample = sampleOf(basis, rows);
            double[] values = java.util.Arrays.stream(rows).mapToDouble(r -> y[r]).toArray();
            double[] a = WeightedLeastSquares.fit(basis, sample, values).coefficients();
            for (int j = 0; j < 2; j++) {
                mean[j] += e.getValue() * a[j];
            }
        }
        for (int j = 0; j < 2; j++) {
            double target = 0;
            for (int i = 0; i < size; i++) {
                target += y[i] * basis.evaluateIndex(i)[j] / size;
            }
            assertEquals(target, mean[j], 1e-10, "coefficient " + j);
        }
        // and i.i.d. optimal sampling of the same size is biased here (same enumeration with weight Π ρ only)
        double[] iidMean = new double[2];
        double mass = 0;
        int total = (int) Math.pow(size, n);
        for (int code = 0; code < total; code++) {
            int[] rows = {code % size, (code / size) % size, code / (size * size)};
            double p = 1;
            for (int r : rows) {
                p *= basis.leverage(r) / 2;
            }
            if (determinantOfGram(basis, rows) < 1e-12) {
                continue; // singular designs: the i.i.d. estimator is undefined there
            }
            double[] values = java.util.Arrays.stream(rows).mapToDouble(r -> y[r]).toArray();
            double[] a = WeightedLeastSquares.fit(basis, sampleOf(basis, rows), values).coefficients();
            mass += p;
            for (int j = 0; j < 2; j++) {
                iidMean[j] += p * a[j];
            }
        }
        double bias = Math.abs(iidMean[0] / mass - mean[0]) + Math.abs(iidMean[1] / mass - mean[1]);
        assertTrue(bias > 1e-3, "i.i.d. sampling conditioned on a nonsingular design is biased, got " + bias);
    }

    private static WeightedSample sampleOf(PoolBasis basis, int[] rows) {
        int m = basis.dimension();
        Matrix features = new Matrix(rows.length, m);
        double[] w = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] phi = basis.evaluateIndex(rows[i]);
            System.arraycopy(phi, 0, features.data(), i * m, m);
            double k = 0;
            for (double v : phi) {
                k += v * v;
            }
            w[i] = m / k;
        }
        return new WeightedSample(SamplingMethod.VOLUME_RESCALED, new Matrix(rows.length, 1), features, w, rows, rows.length);
    }

    @Test
    void continuousDppHasTheTwoPointDensity() {
        // Legendre degree 1 (φ₀ = 1, φ₁ = √3·t): joint density (1/2)·det[φ_j(x_i)]² = (3/2)(t₂ − t₁)² w.r.t.
        // the uniform probability on [−1,1]², so E[(t₁ − t₂)²] = (3/2)·E_U[(U − V)⁴] = (3/2)(16/15) = 8/5.
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 1);
        int draws = 6000;
        double sum = 0;
        double sumSq = 0;
        long proposals = 0;
        for (int s = 0; s < draws; s++) {
            WeightedSample sample = OptimalSampling.draw(basis, SamplingMethod.PROJECTION_DPP, 2, s);
            assertNull(sample.poolRows());
            double d = sample.points().get(0, 0) - sample.points().get(1, 0);
            sum += d * d;
            sumSq += d * d * d * d;
            proposals += sample.proposals();
        }
        double mean = sum / draws;
        double se = Math.sqrt((sumSq / draws - mean * mean) / draws);
        assertEquals(1.6, mean, 5 * se);
        // expected proposals m·H_m = 2·(1 + 1/2) = 3 per sample, within 5 standard errors (variance ≤ 2 per sample)
        assertEquals(3.0, proposals / (double) draws, 5 * Math.sqrt(2.0 / draws));
    }

    @Test
    void dppPointsHaveTheOptimalDensityAsMarginal() {
        // every point of a projection DPP is distributed as ρ_m, so E[w·φφᵀ] = I over all points drawn
        PolynomialBasis basis = PolynomialBasis.of(Family.HERMITE, 1, IndexSet.TOTAL_DEGREE, 3);
        int m = basis.dimension();
        int draws = 3000;
        double[][] sum = new double[m][m];
        double[][] sumSq = new double[m][m];
        for (int s = 0; s < draws; s++) {
            WeightedSample sample = OptimalSampling.draw(basis, SamplingMethod.REPEATED_DPP, 2 * m, 500 + s);
            for (int i = 0; i < sample.size(); i++) {
                double[] phi = sample.features().row(i);
                for (int a = 0; a < m; a++) {
                    for (int b = 0; b < m; b++) {
                        double v = sample.weights()[i] * phi[a] * phi[b] / sample.size();
                        sum[a][b] += v;
                        sumSq[a][b] += v * v * sample.size();
                    }
                }
            }
        }
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < m; b++) {
                double mean = sum[a][b] / draws;
                // rows within a sample are dependent: bound the SE by treating each sample's mean as one draw
                double se = Math.sqrt(sumSq[a][b] / draws / draws);
                assertEquals(a == b ? 1 : 0, mean, 5 * se, "E[wφφᵀ] " + a + "," + b);
            }
        }
    }

    @Test
    void volumeRescaledEstimateIsUnbiasedOnAContinuousSpace() {
        // Legendre degree 3 (m = 4), n = 6, f(t) = exp(t): the mean of â over draws equals the L² projection
        // coefficients a*_j = ½∫ exp(t)φ_j(t) dt (40-point Golub–Welsch quadrature), within 5 standard errors.
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 3);
        double[][] rule = PolynomialBasisTest.golubWelsch(Family.LEGENDRE, 40);
        double[] target = new double[4];
        double[] phi = new double[4];
        for (int k = 0; k < 40; k++) {
            basis.evaluate(new double[] {rule[0][k]}, phi);
            for (int j = 0; j < 4; j++) {
                target[j] += rule[1][k] * Math.exp(rule[0][k]) * phi[j];
            }
        }
        int draws = 3000;
        double[] sum = new double[4];
        double[] sumSq = new double[4];
        for (int s = 0; s < draws; s++) {
            WeightedSample sample = OptimalSampling.draw(basis, SamplingMethod.VOLUME_RESCALED, 6, 9000 + s);
            double[] y = new double[6];
            for (int i = 0; i < 6; i++) {
                y[i] = Math.exp(sample.points().get(i, 0));
            }
            double[] a = WeightedLeastSquares.fit(basis, sample, y).coefficients();
            for (int j = 0; j < 4; j++) {
                sum[j] += a[j];
                sumSq[j] += a[j] * a[j];
            }
        }
        for (int j = 0; j < 4; j++) {
            double mean = sum[j] / draws;
            double se = Math.sqrt((sumSq[j] / draws - mean * mean) / draws);
            assertEquals(target[j], mean, 5 * se, "coefficient " + j);
        }
    }

    @Test
    void samplesCarryTheirWeightsAndAreReproducible() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 2, IndexSet.TOTAL_DEGREE, 2);
        int m = basis.dimension();
        for (SamplingMethod method : SamplingMethod.values()) {
            int n = method == SamplingMethod.PROJECTION_DPP ? m : 2 * m;
            WeightedSample a = OptimalSampling.draw(basis, method, n, 5);
            WeightedSample b = OptimalSampling.draw(basis, method, n, 5);
            assertArrayEquals(a.points().data(), b.points().data(), 0, method + " reproducible");
            assertNotEquals(a.points().get(0, 0), OptimalSampling.draw(basis, method, n, 6).points().get(0, 0));
            assertEquals(n, a.size());
            if (method == SamplingMethod.REFERENCE_IID || method == SamplingMethod.OPTIMAL_IID) {
                assertEquals(n, a.proposals(), "i.i.d. samplers reject nothing");
            } else {
                assertTrue(a.proposals() >= n, method + " proposals");
            }
            for (int i = 0; i < n; i++) {
                double k = basis.inverseChristoffel(a.points().row(i));
                double w = method == SamplingMethod.REFERENCE_IID ? 1 : m / k;
                assertEquals(w, a.weights()[i], 1e-12 * w, method + " weight " + i);
                assertArrayEquals(basis.evaluate(a.points()).row(i), a.features().row(i), 1e-15);
            }
        }
    }

    @Test
    void badSizesAndPoolsAreRefusedWithOneMessage() {
        PolynomialBasis basis = PolynomialBasis.of(Family.LEGENDRE, 1, IndexSet.TOTAL_DEGREE, 4);
        assertTrue(assertThrows(Kernels4jException.class,
                () -> OptimalSampling.draw(basis, SamplingMethod.PROJECTION_DPP, 6, 1)).getMessage()
                .contains("exactly m = 5 points"));
        assertTrue(assertThrows(Kernels4jException.class,
                () -> OptimalSampling.draw(basis, SamplingMethod.VOLUME_RESCALED, 4, 1)).getMessage()
                .contains("needs n ≥ m (n = 4, m = 5)"));
        assertTrue(assertThrows(Kernels4jException.class,
                () -> OptimalSampling.draw(basis, SamplingMethod.REPEATED_DPP, 12, 1)).getMessage()
                .contains("multiple of m = 5"));
        assertThrows(Kernels4jException.class, () -> OptimalSampling.draw(basis, SamplingMethod.OPTIMAL_IID, 0, 1));
        assertEquals(1, OptimalSampling.draw(basis, SamplingMethod.OPTIMAL_IID, 1, 1).size(), "one point is allowed");
        assertTrue(assertThrows(Kernels4jException.class,
                () -> PoolBasis.ofFeatures(randomMatrix(3, 1, 1), randomMatrix(3, 5, 2))).getMessage()
                .contains("the pool has 3 candidate points but the basis has 5 functions"));
        Matrix dependent = randomMatrix(10, 3, 3);
        for (int i = 0; i < 10; i++) {
            dependent.set(i, 2, 2 * dependent.get(i, 0) - dependent.get(i, 1));
        }
        assertTrue(assertThrows(Kernels4jException.class,
                () -> PoolBasis.ofFeatures(randomMatrix(10, 1, 1), dependent)).getMessage()
                .contains("linearly dependent on the pool"));
        assertThrows(Kernels4jException.class, () -> PoolBasis.ofFeatures(randomMatrix(9, 1, 1), randomMatrix(10, 2, 1)));
        PoolBasis onPool = PoolBasis.ofFeatures(randomMatrix(10, 1, 1), randomMatrix(10, 2, 9));
        assertTrue(assertThrows(Kernels4jException.class, () -> onPool.evaluate(new double[] {123.0}, new double[2]))
                .getMessage().contains("defined on the pool only"));
        assertEquals(SamplingMethod.OPTIMAL_IID, SamplingMethod.parse("leverage"));
        assertEquals(SamplingMethod.REPEATED_DPP, SamplingMethod.parse("repeated-dpp"));
        assertEquals(SamplingMethod.VOLUME_RESCALED, SamplingMethod.parse("VOLUME_RESCALED"));
        assertTrue(assertThrows(Kernels4jException.class, () -> SamplingMethod.parse("kdpp")).getMessage()
                .contains("unknown sampling method 'kdpp'"));
    }
}
