package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegressionClassifier;
import org.kernels4j.regression.RegularizationPath;

class CrossValidationTest {

    @Test
    void foldsPartitionTheRowsEvenlyAndStratifyClasses() {
        int[] fold = CrossValidation.shuffledFolds(23, 5, 3);
        int[] sizes = new int[5];
        for (int f : fold) {
            sizes[f]++;
        }
        for (int s : sizes) {
            assertTrue(s == 4 || s == 5, "fold size " + s);
        }
        Matrix y = new Matrix(30, 1);
        for (int i = 0; i < 30; i++) {
            y.set(i, 0, i < 20 ? 7 : -1); // 20 of one class, 10 of the other
        }
        int[] strat = CrossValidation.stratifiedFolds(y, 5, 4);
        for (int f = 0; f < 5; f++) {
            int a = 0;
            int b = 0;
            for (int i = 0; i < 30; i++) {
                if (strat[i] == f) {
                    a += y.get(i, 0) == 7 ? 1 : 0;
                    b += y.get(i, 0) == -1 ? 1 : 0;
                }
            }
            assertEquals(4, a, "class 7 in fold " + f);
            assertEquals(2, b, "class -1 in fold " + f);
        }
    }

    /**
     * With one row per fold and fixed λ, the fold scores are the leave-one-out residuals, whose
     * mean square RegularizationPath computes in closed form from one eigendecomposition.
     */
    @Test
    void leaveOneOutFoldsAgreeWithTheClosedFormLooError() {
        Matrix x = TestData.gaussian(40, 3, 1, 8);
        Matrix y = new Matrix(40, 1);
        for (int i = 0; i < 40; i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)) + 0.3 * x.get(i, 1) * x.get(i, 2));
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.4)");
        for (boolean intercept : new boolean[] {false, true}) {
            double lambda = 0.05;
            GridSearch.Point r = CrossValidation.run(
                    KernelRidge.builder(k).lambda(lambda).fitIntercept(intercept).build(), x, y,
                    CrossValidation.Task.REGRESSION, 40, 1, false);
            double sumSq = 0;
            for (double s : r.scores()) {
                sumSq += s * s;
            }
            RegularizationPath path = RegularizationPath.compute(GramEngine.gram(k, x), y, new double[] {lambda},
                    RegularizationPath.Criterion.LOO, intercept);
            assertEquals(path.looMse()[0], sumSq / 40, 1e-10 * path.looMse()[0], "intercept " + intercept);
        }
    }

    @Test
    void separableClassesAreClassifiedPerfectlyAndStandardizationUsesTheTrainingFold() {
        Matrix x = TestData.gaussian(60, 2, 0.3, 9);
        Matrix y = new Matrix(60, 1);
        for (int i = 0; i < 60; i++) {
            int c = i % 3;
            y.set(i, 0, 10 + c);
            x.set(i, 0, x.get(i, 0) + 1000 * c); // wildly different scales: standardization matters
            x.set(i, 1, x.get(i, 1) * 1e-3);
        }
        GridSearch.Point r = CrossValidation.run(RegressionClassifier.of(KernelRidge.builder(KernelSpec.parse(
                "rbf(gamma=0.5)")).lambda(1e-3).fitIntercept(true).build()), x, y, CrossValidation.Task.CLASSIFICATION, 4, 2, true);
        for (double s : r.scores()) {
            assertEquals(1.0, s, 0.0);
        }
        Matrix train = Matrix.of(new double[][] {{1, 5}, {3, 5}});
        Matrix test = Matrix.of(new double[][] {{5, 6}});
        CrossValidation.standardize(train, test);
        assertEquals(-1, train.get(0, 0), 1e-15);
        assertEquals(1, train.get(1, 0), 1e-15);
        assertEquals(3, test.get(0, 0), 1e-15); // (5 − 2)/1: the held-out row does not move the statistics
        assertEquals(0, train.get(0, 1), 0.0); // a constant column is only centred
        assertEquals(1, test.get(0, 1), 0.0);
    }

    @Test
    void badArgumentsAreRejected() {
        KernelRidge krr = KernelRidge.builder(KernelSpec.parse("rbf()")).lambda(1).build();
        Matrix x = TestData.gaussian(10, 2, 1, 1);
        Matrix y = new Matrix(10, 1);
        assertThrows(Kernels4jException.class,
                () -> CrossValidation.run(krr, x, y, CrossValidation.Task.REGRESSION, 1, 1, false));
        assertThrows(Kernels4jException.class,
                () -> CrossValidation.run(krr, x, y, CrossValidation.Task.REGRESSION, 11, 1, false));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> CrossValidation.run(krr, x, y, CrossValidation.Task.CLASSIFICATION, 2, 1, false));
        assertTrue(e.getMessage().contains("at least two classes"), e.getMessage());
        assertThrows(Kernels4jException.class,
                () -> CrossValidation.run(krr, x, new Matrix(9, 1), CrossValidation.Task.REGRESSION, 2, 1, false));
    }
}
