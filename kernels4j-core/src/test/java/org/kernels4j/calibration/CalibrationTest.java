package org.kernels4j.calibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegressionClassifier;
import org.kernels4j.selection.CrossValidation;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * Isotonic regression against the min–max formula, Platt's sigmoid against the stationarity of its
 * likelihood, and the cross-validated calibrated classifier against a fold-by-fold recomputation,
 * over every kind of score.
 */
class CalibrationTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.7)");

    /** The isotonic fit by the O(n³) min–max formula z_i = max_{j≤i} min_{k≥i} mean_w(y_j..y_k). */
    private static double[] minMax(double[] y, double[] w) {
        int n = y.length;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= i; j++) {
                double inner = Double.POSITIVE_INFINITY;
                for (int k = i; k < n; k++) {
                    double s = 0;
                    double sw = 0;
                    for (int l = j; l <= k; l++) {
                        s += w[l] * y[l];
                        sw += w[l];
                    }
                    inner = Math.min(inner, s / sw);
                }
                best = Math.max(best, inner);
            }
            z[i] = best;
        }
        return z;
    }

    @Test
    void pavaMatchesTheMinMaxFormula() {
        Random r = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(9);
            double[] y = new double[n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = trial % 2 == 0 ? r.nextInt(2) : r.nextGaussian();
                w[i] = 0.5 + r.nextInt(3);
            }
            assertArrayEquals(minMax(y, w), IsotonicCalibrator.pava(y, w), 1e-12, "trial " + trial);
        }
    }

    @Test
    void isotonicCalibratorMergesTiesInterpolatesAndClips() {
        double[] s = {0, 1, 1, 2, 3, 4};
        boolean[] pos = {false, true, false, false, true, true};
        // merged: (0: 0, w1), (1: .5, w2), (2: 0, w1), (3: 1), (4: 1) → PAVA pools 1 and 2 to 1/3
        IsotonicCalibrator c = IsotonicCalibrator.fit(s, pos);
        assertEquals(0, c.probability(-5));
        assertEquals(0, c.probability(0));
        assertEquals(1.0 / 6, c.probability(0.5), 1e-15);
        assertEquals(1.0 / 3, c.probability(1.5), 1e-15);
        assertEquals(2.0 / 3, c.probability(2.5), 1e-15);
        assertEquals(1, c.probability(9));
        assertThrows(Kernels4jException.class, () -> new IsotonicCalibrator(new double[] {1, 0}, new double[] {0, 1}));
    }

    @Test
    void plattIsTheStationaryPointOfItsLikelihood() {
        Random r = new Random(8);
        int n = 300;
        double[] f = new double[n];
        boolean[] pos = new boolean[n];
        int n1 = 0;
        for (int i = 0; i < n; i++) {
            f[i] = 2 * r.nextGaussian();
            pos[i] = r.nextDouble() < 1 / (1 + Math.exp(-1.7 * f[i] + 0.4)); // a = −1.7, b = 0.4
            n1 += pos[i] ? 1 : 0;
        }
        SigmoidCalibrator c = SigmoidCalibrator.fit(f, pos);
        double hi = (n1 + 1.0) / (n1 + 2);
        double lo = 1.0 / (n - n1 + 2);
        // the gradient of −Σ t log p + (1 − t) log(1 − p), written out here, vanishes
        double ga = 0;
        double gb = 0;
        for (int i = 0; i < n; i++) {
            double p = 1 / (1 + Math.exp(c.a() * f[i] + c.b()));
            double t = pos[i] ? hi : lo;
            ga += (t - p) * f[i];
            gb += t - p;
        }
        assertEquals(0, ga, 1e-8);
        assertEquals(0, gb, 1e-8);
        assertEquals(-1.7, c.a(), 0.4);
        assertEquals(0.4, c.b(), 0.4);
        // constant scores: 1/(1 + e^b) equals the mean smoothed target
        boolean[] some = {true, false, false, true, false};
        SigmoidCalibrator flat = SigmoidCalibrator.fit(new double[5], some);
        double mean = (2 * (3.0 / 4) + 3 * (1.0 / 5)) / 5;
        assertEquals(mean, flat.probability(0), 1e-10);
    }

    private static Matrix labels(Matrix x, int classes) {
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            double s = x.get(i, 0) + 0.3 * x.get(i, 1) + 0.3 * Math.sin(7 * x.get(i, 1));
            y.set(i, 0, classes == 2 ? (s > 0 ? 1 : -1) : (s < -0.5 ? 4 : s < 0.5 ? 7 : 9));
        }
        return y;
    }

    /** The fitted sigmoid equals one refitted here from the same stratified folds' SVM decision values. */
    @Test
    void binaryCalibrationRepeatsTheFoldByFoldRecipe() {
        Matrix x = TestData.gaussian(80, 2, 1, 31);
        Matrix y = labels(x, 2);
        SupportVectorMachine svm = SupportVectorMachine.classifier(RBF).c(1).build();
        CalibratedClassifierModel m = CalibratedClassifier.builder(svm).folds(4).seed(9).build().fit(x, y);
        int[] fold = CrossValidation.stratifiedFolds(y, 4, 9);
        double[] f = new double[80];
        for (int k = 0; k < 4; k++) {
            int[] tr = CrossValidation.foldRows(fold, k, false);
            int[] te = CrossValidation.foldRows(fold, k, true);
            SvmModel s = svm.fit(x.selectRows(tr), y.selectRows(tr));
            Matrix d = s.decisionValues(x.selectRows(te));
            for (int i = 0; i < te.length; i++) {
                f[te[i]] = -d.get(i, 0); // an SVM's f > 0 means the first class (−1)
            }
        }
        boolean[] pos = new boolean[80];
        for (int i = 0; i < 80; i++) {
            pos[i] = y.get(i, 0) == 1;
        }
        SigmoidCalibrator ref = SigmoidCalibrator.fit(f, pos);
        assertEquals(-1, m.orientation());
        assertEquals(Scores.DECISION, m.scores());
        SigmoidCalibrator got = (SigmoidCalibrator) m.calibrators().get(0);
        assertEquals(ref.a(), got.a(), 1e-12);
        assertEquals(ref.b(), got.b(), 1e-12);
        Matrix q = TestData.gaussian(20, 2, 1.2, 32);
        Matrix p = m.probabilities(q);
        Matrix d = svm.fit(x, y).decisionValues(q);
        for (int i = 0; i < 20; i++) {
            assertEquals(ref.probability(-d.get(i, 0)), p.get(i, 1), 1e-12);
            assertEquals(1, p.get(i, 0) + p.get(i, 1), 1e-15);
        }
    }

    /** Every score source, both methods, two and three classes: probabilities in [0, 1] summing to 1, sensible labels. */
    @Test
    void everyScoreSourceGivesProbabilities() {
        Matrix x = TestData.gaussian(90, 2, 1, 41);
        Matrix q = TestData.gaussian(40, 2, 1, 42);
        Object[][] cases = {
            {SupportVectorMachine.classifier(RBF).build(), Scores.DECISION, 2},
            {SupportVectorMachine.classifier(RBF).build(), Scores.DECISION_ONE_VS_ONE, 3},
            {SupportVectorMachine.classifier(RBF).multiclass(SvmModel.Multiclass.ONE_VS_REST).build(), Scores.DECISION, 3},
            {RegressionClassifier.of(KernelRidge.builder(RBF).lambda(0.1).build()), Scores.DECISION, 2},
            {RegressionClassifier.of(KernelRidge.builder(RBF).lambda(0.1).build()), Scores.DECISION, 3},
            {GaussianProcessClassifier.builder(KernelSpec.parse("4*rbf(length=1)")).build(), Scores.PROBABILITY, 2},
            {GaussianProcessClassifier.builder(KernelSpec.parse("4*rbf(length=1)")).build(), Scores.PROBABILITY, 3},
            {PrivateKernelSum.builder(RBF).features(200).epsilon(50).frequencySeed(3).buildClassifier(),
                Scores.SIMILARITY, 2},
            {PrivateKernelSum.builder(RBF).features(200).epsilon(50).frequencySeed(3).buildClassifier(),
                Scores.SIMILARITY, 3},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            Estimator<? extends org.kernels4j.model.Model> base = (Estimator<? extends org.kernels4j.model.Model>) c[0];
            int k = (Integer) c[2];
            Matrix y = labels(x, k);
            Matrix truth = labels(q, k);
            for (CalibratedClassifier.Method method : CalibratedClassifier.Method.values()) {
                String what = base.getClass().getSimpleName() + " " + k + " classes " + method;
                CalibratedClassifierModel m = CalibratedClassifier.builder(base).method(method).folds(3).build().fit(x, y);
                assertEquals(c[1], m.scores(), what);
                assertEquals(k == 2 ? 1 : k, m.calibrators().size(), what);
                Matrix p = m.probabilities(q);
                double[] pred = m.predict(q).data();
                int right = 0;
                for (int i = 0; i < q.rows(); i++) {
                    double s = 0;
                    for (int j = 0; j < k; j++) {
                        assertTrue(p.get(i, j) >= 0 && p.get(i, j) <= 1, what);
                        s += p.get(i, j);
                    }
                    assertEquals(1, s, 1e-12, what);
                    right += pred[i] == truth.get(i, 0) ? 1 : 0;
                }
                assertTrue(right >= (k == 2 ? 30 : 22), what + ": " + right + " of 40 right");
                assertTrue(m.report().has("base"), what);
            }
        }
    }

    /** A regression model, or a classifier with nothing to calibrate, fails with a clear message. */
    @Test
    void baseModelsWithoutScoresAreRefused() {
        Matrix x = TestData.gaussian(30, 2, 1, 5);
        Matrix y = labels(x, 2);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> CalibratedClassifier.builder(
                KernelRidge.builder(RBF).build()).build().fit(x, y));
        assertTrue(e.getMessage().contains("needs a classifier"), e.getMessage());
        Estimator<Classifier> bare = (xx, yy) -> new Classifier() {
            public double[] classes() {
                return new double[] {-1, 1};
            }

            public boolean hasProbabilities() {
                return false;
            }

            public Matrix probabilities(Matrix z) {
                throw new Kernels4jException("none");
            }

            public Matrix predict(Matrix z) {
                return new Matrix(z.rows(), 1);
            }

            public int features() {
                return 2;
            }

            public FitReport report() {
                return FitReport.EMPTY;
            }
        };
        e = assertThrows(Kernels4jException.class, () -> CalibratedClassifier.builder(bare).build().fit(x, y));
        assertTrue(e.getMessage().contains("neither decision values, similarity scores nor probabilities"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> CalibratedClassifier.builder(bare).folds(1).build());
        assertTrue(e.getMessage().contains("at least 2 folds"), e.getMessage());
        assertEquals(CalibratedClassifier.Method.ISOTONIC, CalibratedClassifier.Method.parse("Isotonic"));
        assertThrows(Kernels4jException.class, () -> CalibratedClassifier.Method.parse("beta"));
        assertTrue(!(bare.fit(x, y) instanceof DecisionFunction));
    }
}
