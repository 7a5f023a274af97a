package org.kernels4j.balance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * The estimators on top of balancing weights against closed forms: exact balance of a linear kernel
 * makes the weighted mean of any linear outcome the target's mean; the doubly robust estimate with
 * the true, noise-free outcome function is the target mean of that function whatever the weights,
 * and with a constant model it is the IPS estimate; the plug-in standard error against its exact
 * expectation and the Monte-Carlo variance of the estimate under resampled noise; adaptive and
 * leverage anchors against brute-force choices.
 */
class BalancedEstimatorsTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.5)");

    /** A model computing g(row) for each row. */
    static Model model(ToDoubleFunction<double[]> g, int d) {
        return new Model() {
            @Override
            public Matrix predict(Matrix x) {
                Matrix out = new Matrix(x.rows(), 1);
                for (int i = 0; i < x.rows(); i++) {
                    out.set(i, 0, g.applyAsDouble(x.row(i)));
                }
                return out;
            }

            @Override
            public int features() {
                return d;
            }

            @Override
            public FitReport report() {
                return FitReport.builder().build();
            }
        };
    }

    private static BalancingWeights rbfWeights(Matrix obs, Matrix target) {
        return KernelBalancing.builder(RBF).anchors(12, KernelBalancing.AnchorSelection.KMEANS_PLUS_PLUS, 3).ridge(1e-3)
                .build().fit(obs, target);
    }

    @Test
    void exactLinearBalanceGivesTheTargetMeanOfEveryLinearOutcome() {
        Random r = new Random(5);
        Matrix obs = KernelBalancingTest.gaussian(200, 3, 0.4, r);
        Matrix target = KernelBalancingTest.gaussian(300, 3, 0.0, r);
        BalancingWeights w = KernelBalancing.builder(KernelSpec.parse("linear()")).anchors(Matrix.identity(3))
                .tolerance(1e-10).build().fit(obs, target);
        double[] b = {0.7, -1.3, 2.1};
        double[] y = new double[obs.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = 4 + b[0] * obs.get(i, 0) + b[1] * obs.get(i, 1) + b[2] * obs.get(i, 2);
        }
        double truth = 4;
        for (int t = 0; t < target.rows(); t++) {
            for (int j = 0; j < 3; j++) {
                truth += b[j] * target.get(t, j) / target.rows();
            }
        }
        // the constraint tolerance 1e-10 on each of 3 means, times |b| ≤ 2.1
        assertEquals(truth, BalancedEstimators.mean(w, y).estimate(), 1e-8);
        // the unweighted mean is far off: the observed rows are shifted by 0.4 in every coordinate
        double plain = 0;
        for (double v : y) {
            plain += v / y.length;
        }
        assertTrue(Math.abs(plain - truth) > 0.4 * 1.5 * 0.5, "plain " + plain + " truth " + truth);
    }

    @Test
    void doublyRobustWithTheTrueNoiseFreeOutcomeIsTheTargetMeanWhateverTheWeights() {
        Random r = new Random(6);
        Matrix obs = KernelBalancingTest.gaussian(150, 2, 0.8, r);
        Matrix target = KernelBalancingTest.gaussian(90, 2, 0.0, r);
        ToDoubleFunction<double[]> f = v -> Math.sin(2 * v[0]) + v[0] * v[1] + Math.exp(-v[1] * v[1]);
        double[] y = new double[obs.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = f.applyAsDouble(obs.row(i));
        }
        double mean = 0;
        double[] ft = new double[target.rows()];
        for (int t = 0; t < ft.length; t++) {
            ft[t] = f.applyAsDouble(target.row(t));
            mean += ft[t] / ft.length;
        }
        double ss = 0;
        for (double v : ft) {
            ss += (v - mean) * (v - mean);
        }
        double sampleVariance = ss / (ft.length - 1);
        // poorly balancing weights (2 anchors) make no difference: every residual is 0
        BalancingWeights w = KernelBalancing.builder(RBF).anchors(2, KernelBalancing.AnchorSelection.RANDOM, 1)
                .ridge(1e-2).build().fit(obs, target);
        BalancedEstimate dr = BalancedEstimators.doublyRobustMean(w, obs, y, target, model(f, 2));
        assertEquals(mean, dr.estimate(), 1e-12);
        assertEquals(Math.sqrt(sampleVariance / ft.length), dr.standardError(), 1e-12);
        // while the IPS estimate with the same weights is off
        assertTrue(Math.abs(BalancedEstimators.mean(w, y).estimate() - mean) > 0.05);
    }

    @Test
    void doublyRobustWithAConstantModelIsTheIpsEstimate() {
        Random r = new Random(7);
        Matrix obs = KernelBalancingTest.gaussian(120, 2, 0.5, r);
        Matrix target = KernelBalancingTest.gaussian(100, 2, 0.0, r);
        double[] y = new double[obs.rows()];
        for (int i = 0; i < y.length; i++) {
            y[i] = obs.get(i, 0) * obs.get(i, 0) + r.nextGaussian();
        }
        BalancingWeights w = rbfWeights(obs, target);
        double[] wt = w.weights();
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += wt[i] * y[i];
        }
        double ips = sum;
        BalancedEstimate mean = BalancedEstimators.mean(w, y);
        assertEquals(ips, mean.estimate(), 1e-12);
        assertEquals(ips, BalancedEstimators.weightedMean(w, y), 1e-12);
        for (double c : new double[] {-3, 0, 2.5}) {
            BalancedEstimate dr = BalancedEstimators.doublyRobustMean(w, obs, y, target, model(v -> c, 2));
            // c + Σw(y − c) = Σwy because Σw = 1
            assertEquals(ips, dr.estimate(), 1e-12);
            double v = 0;
            for (int i = 0; i < y.length; i++) {
                v += wt[i] * wt[i] * (y[i] - c) * (y[i] - c);
            }
            assertEquals(Math.sqrt(v), dr.standardError(), 1e-12);
        }
        // with c = the IPS estimate, the DR error is the IPS plug-in error
        assertEquals(mean.standardError(), BalancedEstimators.doublyRobustMean(w, obs, y, target, model(v -> ips, 2))
                .standardError(), 1e-12);
        assertEquals(w.effectiveSampleSize(), mean.effectiveSampleSize(), 0);
    }

    @Test
    void plugInErrorMatchesItsExpectationAndTheVarianceUnderResampledNoise() {
        Random r = new Random(8);
        Matrix obs = KernelBalancingTest.gaussian(80, 2, 0.6, r);
        Matrix target = KernelBalancingTest.gaussian(120, 2, 0.0, r);
        BalancingWeights w = rbfWeights(obs, target);
        double[] wt = w.weights();
        double sumW2 = 0;
        double sumW3 = 0;
        for (double v : wt) {
            sumW2 += v * v;
            sumW3 += v * v * v;
        }
        // y_i = 2 + ε_i, ε ~ N(0, σ²): Var τ̂ = σ²Σw², and E[Σw_i²(ε_i − Σw_kε_k)²] = σ²(Σw² − 2Σw³ + (Σw²)²)
        double sigma = 1.5;
        double varTau = sigma * sigma * sumW2;
        double expectedSe2 = sigma * sigma * (sumW2 - 2 * sumW3 + sumW2 * sumW2);
        int reps = 4000;
        double m1 = 0;
        double m2 = 0;
        double se2 = 0;
        double se2sq = 0;
        for (int k = 0; k < reps; k++) {
            double[] y = new double[wt.length];
            for (int i = 0; i < y.length; i++) {
                y[i] = 2 + sigma * r.nextGaussian();
            }
            BalancedEstimate e = BalancedEstimators.mean(w, y);
            m1 += e.estimate() / reps;
            m2 += e.estimate() * e.estimate() / reps;
            double s2 = e.standardError() * e.standardError();
            se2 += s2 / reps;
            se2sq += s2 * s2 / reps;
        }
        double empiricalVar = (m2 - m1 * m1) * reps / (reps - 1);
        // the sample variance of 4000 normal draws has relative SE √(2/3999) = 2.2 %; 5 SE = 11 %
        assertEquals(varTau, empiricalVar, 0.11 * varTau);
        double se2Sd = Math.sqrt((se2sq - se2 * se2) / reps);
        assertEquals(expectedSe2, se2, 5 * se2Sd, "5 standard errors of the Monte-Carlo mean");
        assertEquals(2, m1, 5 * Math.sqrt(varTau / reps));
    }

    @Test
    void intervalUsesTheNormalQuantile() {
        BalancedEstimate e = new BalancedEstimate("x", 1.0, 0.5, "test", 10);
        double[] ci = e.interval(0.95);
        // Φ⁻¹(0.975) = 1.959963984540054 (Abramowitz & Stegun table 26.5)
        assertEquals(1 - 1.959963984540054 * 0.5, ci[0], 1e-9);
        assertEquals(1 + 1.959963984540054 * 0.5, ci[1], 1e-9);
        // Φ⁻¹(0.95) = 1.6448536269514722 for a 90 % interval
        assertEquals(1 + 1.6448536269514722 * 0.5, e.interval(0.90)[1], 1e-9);
        assertThrows(Kernels4jException.class, () -> e.interval(1.0));
        assertThrows(Kernels4jException.class, () -> e.interval(0));
        assertThrows(Kernels4jException.class, () -> new BalancedEstimate("x", Double.NaN, 1, "m", 1));
        assertThrows(Kernels4jException.class, () -> new BalancedEstimate("x", 1, -1, "m", 1));
    }

    @Test
    void adaptiveAnchorsAreTheRowsWithTheLargestCoefficients() {
        Random r = new Random(9);
        Matrix x = KernelBalancingTest.gaussian(30, 2, 0, r);
        Matrix alpha = new Matrix(30, 2);
        double[] size = new double[30];
        for (int i = 0; i < 30; i++) {
            alpha.set(i, 0, r.nextGaussian());
            alpha.set(i, 1, r.nextGaussian());
            size[i] = Math.abs(alpha.get(i, 0)) + Math.abs(alpha.get(i, 1));
        }
        // a tie with the largest: row 3 gets row 17's size, so both must be taken, in row order
        int largest = 0;
        for (int i = 1; i < 30; i++) {
            largest = size[i] > size[largest] ? i : largest;
        }
        alpha.set(3, 0, alpha.get(largest, 0));
        alpha.set(3, 1, -alpha.get(largest, 1));
        size[3] = size[largest];
        KernelRidgeModel fit = new KernelRidgeModel(RBF, x, alpha, new double[2], 1.0, null);
        Matrix a = KernelBalancing.adaptiveAnchors(fit, 5);
        // brute force: the 5 rows whose size is beaten by fewer than 5 others (no other ties in Gaussian draws)
        int k = 0;
        for (int i = 0; i < 30; i++) {
            int above = 0;
            for (int j = 0; j < 30; j++) {
                above += size[j] > size[i] ? 1 : 0;
            }
            if (above < 5) {
                assertArrayEquals(x.row(i), a.row(k++), 0);
            }
        }
        assertEquals(5, k);
        assertThrows(Kernels4jException.class, () -> KernelBalancing.adaptiveAnchors(fit, 31));
        assertThrows(Kernels4jException.class, () -> KernelBalancing.adaptiveAnchors(fit, 0));
    }

    @Test
    void leverageAnchorsFindIsolatedTargetRows() {
        // 490 target rows in a tight cluster and 10 isolated ones: each isolated row has ridge leverage
        // ≈ 1, the cluster's rows share ≈ 1 between them, so 20 leverage anchors take most isolated rows
        // where uniform sampling takes 20·10/500 = 0.4 on average
        Random r = new Random(10);
        Matrix target = new Matrix(500, 2);
        for (int i = 0; i < 490; i++) {
            target.set(i, 0, 0.01 * r.nextGaussian());
            target.set(i, 1, 0.01 * r.nextGaussian());
        }
        for (int i = 490; i < 500; i++) {
            target.set(i, 0, 10 * (i - 489));
            target.set(i, 1, -7 * (i - 489));
        }
        Matrix obs = KernelBalancingTest.gaussian(50, 2, 0, r);
        BalancingWeights w = KernelBalancing.builder(RBF).anchors(20, KernelBalancing.AnchorSelection.LEVERAGE, 4)
                .ridge(1).computeMmd(false).build().fit(obs, target);
        Matrix a = w.anchors();
        int isolated = 0;
        for (int j = 0; j < a.rows(); j++) {
            isolated += Math.abs(a.get(j, 0)) > 5 ? 1 : 0;
        }
        assertTrue(isolated >= 8, isolated + " isolated rows among the leverage anchors");
    }

    @Test
    void badInputGetsAClearMessage() {
        Random r = new Random(11);
        Matrix obs = KernelBalancingTest.gaussian(40, 2, 0.3, r);
        Matrix target = KernelBalancingTest.gaussian(50, 2, 0, r);
        BalancingWeights w = rbfWeights(obs, target);
        double[] y = new double[40];
        y[7] = Double.NaN;
        assertMessage(() -> BalancedEstimators.mean(w, y), "outcome 7");
        assertMessage(() -> BalancedEstimators.mean(w, new double[39]), "39 values");
        assertMessage(() -> BalancedEstimators.doublyRobustMean(w, obs, new double[40], new Matrix(0, 2),
                model(v -> 0, 2)), "target sample is empty");
        assertMessage(() -> BalancedEstimators.doublyRobustMean(w, target, new double[40], target, model(v -> 0, 2)),
                "50 rows were given");
        assertMessage(() -> BalancedEstimators.doublyRobustMean(w, obs, new double[40], target, model(v -> v[0] > 1
                ? Double.NaN : 0, 2)), "predicts NaN");
        Model twoOutputs = new Model() {
            @Override
            public Matrix predict(Matrix x) {
                return new Matrix(x.rows(), 2);
            }

            @Override
            public int features() {
                return 2;
            }

            @Override
            public FitReport report() {
                return FitReport.builder().build();
            }
        };
        assertMessage(() -> BalancedEstimators.doublyRobustMean(w, obs, new double[40], target, twoOutputs),
                "one value per row");
        assertMessage(() -> BalancedEstimators.doublyRobustMean(w, obs, new double[40], target, null), "no outcome model");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String part) {
        Kernels4jException e = assertThrows(Kernels4jException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
