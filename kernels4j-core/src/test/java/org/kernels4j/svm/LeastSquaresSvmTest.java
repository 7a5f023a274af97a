package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/** LS-SVM against the dense (n+1)×(n+1) KKT systems solved by Gaussian elimination in the test. */
class LeastSquaresSvmTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.8)");
    private static final Matrix X = TestData.gaussian(30, 2, 1, 3);

    /** The Gram matrix by direct kernel evaluation (no GEMM). */
    private static Matrix gram(Matrix x) {
        Matrix k = new Matrix(x.rows(), x.rows());
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.rows(); j++) {
                k.set(i, j, RBF.value(x.row(i), x.row(j)));
            }
        }
        return k;
    }

    /** Solves [0 sᵀ; s Q + I/γ][b; a] = [0; rhs] densely (s = 1 for regression, s = y for Suykens' classifier). */
    private static double[] kkt(Matrix q, double[] s, double[] rhs, double gamma) {
        int n = s.length;
        Matrix a = new Matrix(n + 1, n + 1);
        Matrix r = new Matrix(n + 1, 1);
        for (int i = 0; i < n; i++) {
            a.set(0, i + 1, s[i]);
            a.set(i + 1, 0, s[i]);
            r.set(i + 1, 0, rhs[i]);
            for (int j = 0; j < n; j++) {
                a.set(i + 1, j + 1, q.get(i, j) + (i == j ? 1 / gamma : 0));
            }
        }
        return TestData.gaussSolve(a, r).column(0);
    }

    @Test
    void regressionSolvesTheKktSystem() {
        double[] t = new double[X.rows()];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.sin(2 * X.get(i, 0)) + 0.3 * X.get(i, 1) + 4; // an offset the bias must absorb
        }
        double gamma = 7;
        LeastSquaresSvmModel m = LeastSquaresSvm.regression(RBF).gamma(gamma).build().fit(X, Matrix.column(t));
        double[] ones = new double[t.length];
        java.util.Arrays.fill(ones, 1);
        double[] ref = kkt(gram(X), ones, t, gamma);
        assertEquals(ref[0], m.bias()[0], 1e-9);
        Matrix alpha = m.dualCoefficients();
        double sum = 0;
        for (int i = 0; i < t.length; i++) {
            assertEquals(ref[i + 1], alpha.get(i, 0), 1e-9);
            sum += alpha.get(i, 0);
        }
        assertEquals(0, sum, 1e-9, "the first KKT row: 1ᵀα = 0");
        assertNull(m.classes());
        // training predictions: f(x_i) = t_i − α_i/γ (the error e_i = α_i/γ)
        Matrix f = m.predict(X);
        for (int i = 0; i < t.length; i++) {
            assertEquals(t[i] - ref[i + 1] / gamma, f.get(i, 0), 1e-9);
        }
    }

    @Test
    void binaryClassificationIsSuykensSystemWithOmega() {
        double[] y = new double[X.rows()];
        Matrix labels = new Matrix(X.rows(), 1);
        for (int i = 0; i < y.length; i++) {
            boolean pos = X.get(i, 0) * X.get(i, 1) > 0;
            y[i] = pos ? 1 : -1;
            labels.set(i, 0, pos ? 5 : 2); // +1 codes the larger label
        }
        Matrix k = gram(X);
        Matrix omega = new Matrix(y.length, y.length);
        for (int i = 0; i < y.length; i++) {
            for (int j = 0; j < y.length; j++) {
                omega.set(i, j, y[i] * y[j] * k.get(i, j));
            }
        }
        double[] ones = new double[y.length];
        java.util.Arrays.fill(ones, 1);
        double gamma = 3;
        double[] ref = kkt(omega, y, ones, gamma); // [0 yᵀ; y Ω+I/γ][b; a] = [0; 1]
        LeastSquaresSvmModel m = LeastSquaresSvm.classifier(RBF).gamma(gamma).build().fit(X, labels);
        assertEquals(ref[0], m.bias()[0], 1e-9);
        Matrix alpha = m.dualCoefficients();
        for (int i = 0; i < y.length; i++) {
            assertEquals(y[i] * ref[i + 1], alpha.get(i, 0), 1e-9, "α_i = y_i·a_i");
        }
        assertArrayEquals(new double[] {2, 5}, m.classes());
        Matrix f = m.decisionValues(X);
        Matrix p = m.predict(X);
        int agree = 0;
        for (int i = 0; i < y.length; i++) {
            assertEquals(f.get(i, 0) > 0 ? 5 : 2, p.get(i, 0));
            agree += (f.get(i, 0) > 0) == (y[i] > 0) ? 1 : 0;
        }
        assertTrue(agree >= 27, "training accuracy " + agree + "/30");
        assertFalse(m.hasProbabilities());
        assertThrows(Kernels4jException.class, () -> m.probabilities(X));
    }

    @Test
    void multiclassIsOneVsRestWithArgmax() {
        Matrix labels = new Matrix(X.rows(), 1);
        for (int i = 0; i < X.rows(); i++) {
            double s = X.get(i, 0);
            labels.set(i, 0, s < -0.4 ? 0 : s < 0.4 ? 1 : 2);
        }
        double gamma = 10;
        LeastSquaresSvmModel m = LeastSquaresSvm.classifier(RBF).gamma(gamma).build().fit(X, labels);
        Matrix k = gram(X);
        double[] ones = new double[X.rows()];
        java.util.Arrays.fill(ones, 1);
        Matrix alpha = m.dualCoefficients();
        assertEquals(3, alpha.cols());
        for (int c = 0; c < 3; c++) {
            double[] t = new double[X.rows()];
            for (int i = 0; i < t.length; i++) {
                t[i] = labels.get(i, 0) == c ? 1 : -1;
            }
            double[] ref = kkt(k, ones, t, gamma);
            assertEquals(ref[0], m.bias()[c], 1e-9);
            for (int i = 0; i < t.length; i++) {
                assertEquals(ref[i + 1], alpha.get(i, c), 1e-9);
            }
        }
        Matrix f = m.decisionValues(X);
        Matrix p = m.predict(X);
        for (int i = 0; i < X.rows(); i++) {
            int best = 0;
            for (int c = 1; c < 3; c++) {
                best = f.get(i, c) > f.get(i, best) ? c : best;
            }
            assertEquals(best, p.get(i, 0));
        }
    }

    @Test
    void badInputHasClearMessages() {
        var e = assertThrows(Kernels4jException.class, () -> LeastSquaresSvm.classifier(RBF).gamma(0).build());
        assertTrue(e.getMessage().contains("gamma must be a positive finite number, got 0.0"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> LeastSquaresSvm.regression(RBF).gamma(-1).build());
        Matrix one = new Matrix(X.rows(), 1);
        java.util.Arrays.fill(one.data(), 3);
        e = assertThrows(Kernels4jException.class, () -> LeastSquaresSvm.classifier(RBF).build().fit(X, one));
        assertTrue(e.getMessage().contains("at least two classes, but every label is 3.0"), e.getMessage());
    }

    /**
     * The model's input checks and what its report and file say: a prediction with the wrong number of features is
     * refused with the training-data message, a NaN regression target too, the report's "type" names the task
     * before and after a codec round trip, and features() is the training width.
     */
    @Test
    void modelChecksItsInputsAndNamesItsTask() {
        Matrix y = new Matrix(X.rows(), 1);
        for (int i = 0; i < X.rows(); i++) {
            y.set(i, 0, X.get(i, 0) > 0 ? 2 : 5);
        }
        LeastSquaresSvmModel clf = LeastSquaresSvm.classifier(RBF).build().fit(X, y);
        LeastSquaresSvmModel reg = LeastSquaresSvm.regression(RBF).build().fit(X, X.selectColumns(new int[] {1}));
        assertEquals(2, clf.features());
        var e = assertThrows(Kernels4jException.class, () -> clf.decisionValues(new Matrix(4, 3)));
        assertEquals("the model was trained on 2 features but the data has 3", e.getMessage());
        Matrix nanTarget = X.selectColumns(new int[] {1});
        nanTarget.set(4, 0, Double.NaN);
        e = assertThrows(Kernels4jException.class, () -> LeastSquaresSvm.regression(RBF).build().fit(X, nanTarget));
        assertTrue(e.getMessage().contains("row 4"), e.getMessage());
        LeastSquaresSvmCodec codec = new LeastSquaresSvmCodec();
        assertEquals("classification", clf.report().text("type"));
        assertEquals("regression", reg.report().text("type"));
        assertEquals("classification", codec.decode(codec.encode(clf)).report().text("type"));
        assertEquals("regression", codec.decode(codec.encode(reg)).report().text("type"));
    }
}
