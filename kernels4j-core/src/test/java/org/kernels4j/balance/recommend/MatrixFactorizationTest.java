package org.kernels4j.balance.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Matrix factorisation against references written here: the objectives' values from the formula
 * (prediction μ + b_u + c_i + p_u·q_i computed pair by pair) and their gradients by central
 * differences; recovery of a noise-free low-rank matrix; the weight normalisation (uniform weights of
 * any scale reproduce NAIVE exactly); the pair features against the embeddings; determinism and the
 * messages of bad input.
 */
class MatrixFactorizationTest {
    static final int U = 5;
    static final int I = 4;
    static final int K = 2;

    /** μ + b_u + c_i + p_u·q_i from the documented layout [μ, b, c, P, Q], written out. */
    static double prediction(double[] t, int u, int i) {
        double s = t[0] + t[1 + u] + t[1 + U + i];
        for (int f = 0; f < K; f++) {
            s += t[1 + U + I + u * K + f] * t[1 + U + I + U * K + i * K + f];
        }
        return s;
    }

    static double penalty(double[] t, double l2) {
        double s = 0;
        for (int j = 1; j < t.length; j++) {
            s += t[j] * t[j];
        }
        return l2 * s;
    }

    static double[] randomTheta(Random r) {
        double[] t = new double[1 + U + I + (U + I) * K];
        for (int j = 0; j < t.length; j++) {
            t[j] = r.nextGaussian();
        }
        return t;
    }

    interface Objective {
        double value(double[] theta, double[] grad);
    }

    static void checkGradient(Objective f, double[] theta, double expectedValue) {
        double[] grad = new double[theta.length];
        assertEquals(expectedValue, f.value(theta, grad), 1e-10 * Math.max(1, Math.abs(expectedValue)));
        double h = 1e-5;
        double[] scratch = new double[theta.length];
        for (int j = 0; j < theta.length; j++) {
            double[] plus = theta.clone();
            double[] minus = theta.clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (f.value(plus, scratch) - f.value(minus, scratch)) / (2 * h);
            assertEquals(numeric, grad[j], 1e-6 * Math.max(1, Math.abs(numeric)), "coordinate " + j);
        }
    }

    @Test
    void weightedObjectiveValueAndGradientMatchTheFormulaAndCentralDifferences() {
        Random r = new Random(1);
        double[] theta = randomTheta(r);
        int[] u = {0, 1, 4, 4, 2, 3};
        int[] i = {0, 3, 1, 2, 2, 0};
        double[] y = {1, 5, 3, 2, 4, 4};
        double[] w = {0.1, 0.3, 0.05, 0.2, 0.25, 0.1};
        double l2 = 0.07;
        double expected = penalty(theta, l2);
        for (int k = 0; k < u.length; k++) {
            expected += w[k] * Math.pow(prediction(theta, u[k], i[k]) - y[k], 2);
        }
        checkGradient((t, g) -> MatrixFactorization.weightedObjective(t, U, I, K, l2, u, i, y, w, g), theta, expected);
    }

    @Test
    void drObjectiveValueAndGradientMatchTheFormulaAndCentralDifferences() {
        Random r = new Random(2);
        double[] theta = randomTheta(r);
        double[] imputation = randomTheta(r);
        int[] u = {0, 1, 4, 2};
        int[] i = {0, 3, 1, 2};
        double[] y = {1, 5, 3, 4};
        double[] w = {0.4, 0.3, 0.2, 0.1};
        int[] su = {0, 1, 2, 3, 4, 4, 1};
        int[] si = {3, 2, 1, 0, 0, 3, 3};
        double l2 = 0.03;
        // mean_S (r̂ − r̃)² + Σ_O w[(r̂ − r)² − (r̂ − r̃)²] + λΩ
        double expected = penalty(theta, l2);
        for (int t = 0; t < su.length; t++) {
            expected += Math.pow(prediction(theta, su[t], si[t]) - prediction(imputation, su[t], si[t]), 2) / su.length;
        }
        for (int k = 0; k < u.length; k++) {
            double p = prediction(theta, u[k], i[k]);
            expected += w[k] * (Math.pow(p - y[k], 2) - Math.pow(p - prediction(imputation, u[k], i[k]), 2));
        }
        checkGradient((t, g) -> MatrixFactorization.drObjective(t, imputation, U, I, K, l2, u, i, y, w, su, si, g), theta,
                expected);
    }

    @Test
    void drGradientEqualsTheIpsGradientWhereThePredictionIsTheImputation() {
        // with r̂ ≡ r̃ the uniform term is flat and w(e − ê) has gradient 2w(r̂ − r)·∂r̂: the IPS gradient
        Random r = new Random(3);
        double[] theta = randomTheta(r);
        int[] u = {0, 1, 4, 2, 3};
        int[] i = {0, 3, 1, 2, 2};
        double[] y = {1, 5, 3, 4, 2};
        double[] w = {0.4, 0.1, 0.2, 0.1, 0.2};
        double[] dr = new double[theta.length];
        double[] ips = new double[theta.length];
        MatrixFactorization.drObjective(theta, theta.clone(), U, I, K, 0.05, u, i, y, w, new int[] {1, 2, 3},
                new int[] {0, 1, 3}, dr);
        MatrixFactorization.weightedObjective(theta, U, I, K, 0.05, u, i, y, w, ips);
        assertArrayEquals(ips, dr, 1e-12);
    }

    @Test
    void recoversANoiseFreeLowRankMatrixFromHalfItsEntries() {
        Random r = new Random(4);
        int users = 30;
        int items = 25;
        double[][] p = new double[users][2];
        double[][] q = new double[items][2];
        for (double[] row : p) {
            row[0] = r.nextGaussian();
            row[1] = r.nextGaussian();
        }
        for (double[] row : q) {
            row[0] = r.nextGaussian();
            row[1] = r.nextGaussian();
        }
        int n = 0;
        int[] u = new int[users * items];
        int[] i = new int[users * items];
        double[] y = new double[users * items];
        int[] hu = new int[users * items];
        int[] hi = new int[users * items];
        double[] hy = new double[users * items];
        int h = 0;
        double var = 0;
        for (int a = 0; a < users; a++) {
            for (int b = 0; b < items; b++) {
                double v = 3 + p[a][0] * q[b][0] + p[a][1] * q[b][1];
                var += Math.pow(v - 3, 2) / (users * items);
                if (r.nextBoolean()) {
                    u[n] = a;
                    i[n] = b;
                    y[n++] = v;
                } else {
                    hu[h] = a;
                    hi[h] = b;
                    hy[h++] = v;
                }
            }
        }
        FactorModel m = MatrixFactorization.builder().rank(2).epochs(200).batchSize(64).learningRate(0.02).l2(1e-6)
                .seed(1).build().fit(users, items, java.util.Arrays.copyOf(u, n), java.util.Arrays.copyOf(i, n),
                        java.util.Arrays.copyOf(y, n));
        double held = m.meanSquaredError(java.util.Arrays.copyOf(hu, h), java.util.Arrays.copyOf(hi, h),
                java.util.Arrays.copyOf(hy, h));
        // rank 2 from half of 750 entries (≈ 375 for 1 + 55 + 110 parameters): the held-out error is a small
        // share of the ratings' variance (measured 1.5e-8 of it; a wrong gradient sign or factor fails)
        assertTrue(held < 0.02 * var, "held-out MSE " + held + " variance " + var);
    }

    @Test
    void uniformWeightsOfAnyScaleReproduceTheNaiveFitAndOtherWeightsDoNot() {
        MnarRatings d = MnarRatings.builder().users(40).items(30).observedFraction(0.3).seed(2).generate();
        int[] u = d.trainUsers();
        int[] i = d.trainItems();
        double[] y = d.trainRatings();
        MatrixFactorization.Builder b = MatrixFactorization.builder().epochs(5).seed(3);
        FactorModel naive = b.build().fit(40, 30, u, i, y);
        double[] seven = new double[y.length];
        java.util.Arrays.fill(seven, 7.0);
        FactorModel ips = b.loss(MatrixFactorization.Loss.IPS).build().fit(40, 30, u, i, y, seven);
        assertArrayEquals(naive.parameters(), ips.parameters(), 1e-12);
        double[] tilted = y.clone(); // weight ∝ rating: a different loss, a different fit
        FactorModel other = b.build().fit(40, 30, u, i, y, tilted);
        assertNotEquals(naive.predict(0, 0), other.predict(0, 0), 1e-6);
        FactorModel again = b.build().fit(40, 30, u, i, y, tilted);
        assertArrayEquals(other.parameters(), again.parameters(), 0.0);
    }

    @Test
    void pairFeaturesConcatenateTheUserAndItemEmbeddings() {
        MnarRatings d = MnarRatings.builder().users(20).items(10).observedFraction(0.3).seed(2).generate();
        FactorModel m = MatrixFactorization.builder().rank(3).epochs(2).seed(1).build()
                .fit(20, 10, d.trainUsers(), d.trainItems(), d.trainRatings());
        Matrix x = m.pairFeatures(new int[] {4, 19}, new int[] {9, 0});
        assertEquals(8, x.cols());
        int[][] pairs = {{4, 9}, {19, 0}};
        for (int row = 0; row < 2; row++) {
            int u = pairs[row][0];
            int i = pairs[row][1];
            double dot = 0;
            for (int f = 0; f < 3; f++) {
                assertEquals(m.userFactors().get(u, f), x.get(row, f), 0.0);
                assertEquals(m.itemFactors().get(i, f), x.get(row, 4 + f), 0.0);
                dot += m.userFactors().get(u, f) * m.itemFactors().get(i, f);
            }
            assertEquals(m.userBiases()[u], x.get(row, 3), 0.0);
            assertEquals(m.itemBiases()[i], x.get(row, 7), 0.0);
            assertEquals(m.globalMean() + m.userBiases()[u] + m.itemBiases()[i] + dot, m.predict(u, i), 1e-12);
        }
    }

    @Test
    void badInputNamesTheProblem() {
        MatrixFactorization mf = MatrixFactorization.builder().build();
        int[] u = {0, 1};
        int[] i = {0, 2};
        double[] y = {3, 4};
        assertTrue(assertThrows(Kernels4jException.class, () -> mf.fit(2, 2, u, i, y)).getMessage().contains("outside"));
        assertTrue(assertThrows(Kernels4jException.class, () -> mf.fit(2, 3, u, i, new double[] {3}))
                .getMessage().contains("one of each"));
        assertTrue(assertThrows(Kernels4jException.class, () -> mf.fit(2, 3, u, i, y, new double[] {1, 1}))
                .getMessage().contains("NAIVE"));
        MatrixFactorization ips = MatrixFactorization.builder().loss(MatrixFactorization.Loss.IPS).build();
        assertTrue(assertThrows(Kernels4jException.class, () -> ips.fit(2, 3, u, i, y, new double[] {1, -1}))
                .getMessage().contains("weight 1"));
        assertTrue(assertThrows(Kernels4jException.class, () -> ips.fit(2, 3, u, i, y, new double[] {0, 0}))
                .getMessage().contains("all weights are 0"));
        assertTrue(assertThrows(Kernels4jException.class, () -> MatrixFactorization.builder().learningRate(0).build())
                .getMessage().contains("learning rate"));
        assertTrue(assertThrows(Kernels4jException.class, () -> MatrixFactorization.builder().uniformRatio(0).build())
                .getMessage().contains("uniform-sample ratio"));
    }
}
