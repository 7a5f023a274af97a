package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Precision;

/**
 * Exact kernel ridge with {@code precision(MIXED)} against the float64 Cholesky fit ({@code DOUBLE}, the dense
 * reference): coefficients to 1e-10, intercepts, and test RMSE to 1e-6 relative; the fallback on a tiny λ recorded
 * in the report; options refused where they do not apply.
 */
class MixedPrecisionKernelRidgeTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.5)");

    private static Matrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = r.nextGaussian();
        }
        return x;
    }

    /** Two outputs: a smooth function plus noise, and the same with an offset of 3 and a scale of 100. */
    private static Matrix target(Matrix x, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), 2);
        for (int i = 0; i < x.rows(); i++) {
            double f = Math.sin(2 * x.get(i, 0)) + 0.3 * x.get(i, 1);
            y.set(i, 0, f + 0.1 * r.nextGaussian());
            y.set(i, 1, 100 * (f + 3) + 0.1 * r.nextGaussian());
        }
        return y;
    }

    private static double relativeDifference(Matrix got, Matrix want) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < want.data().length; i++) {
            num += Math.pow(got.data()[i] - want.data()[i], 2);
            den += Math.pow(want.data()[i], 2);
        }
        return Math.sqrt(num / den);
    }

    private static double rmse(Matrix pred, Matrix y) {
        double s = 0;
        for (int i = 0; i < y.data().length; i++) {
            s += Math.pow(pred.data()[i] - y.data()[i], 2);
        }
        return Math.sqrt(s / y.data().length);
    }

    @Test
    void mixedFitEqualsFloat64FitWithIntercept() {
        Matrix x = gaussian(400, 3, 1);
        Matrix y = target(x, 2);
        Matrix xt = gaussian(200, 3, 3);
        Matrix yt = target(xt, 4);
        KernelRidgeModel ref = KernelRidge.builder(RBF).lambda(1e-2).fitIntercept(true).build().fit(x, y);
        KernelRidgeModel mixed = KernelRidge.builder(RBF).lambda(1e-2).fitIntercept(true).precision(Precision.MIXED)
                .build().fit(x, y);
        assertEquals("mixed", mixed.report().text("precision"));
        assertTrue(mixed.report().number("refinement_steps") >= 2, mixed.report().toString());
        assertTrue(mixed.report().number("relative_residual") < 1e-12, mixed.report().toString());
        assertFalse(mixed.report().has("precision_fallback"));
        assertFalse(ref.report().has("precision"));
        assertTrue(relativeDifference(mixed.dualCoefficients(), ref.dualCoefficients()) < 1e-10);
        for (int o = 0; o < 2; o++) {
            assertEquals(ref.intercept()[o], mixed.intercept()[o], 1e-10 * Math.abs(ref.intercept()[o]));
        }
        double want = rmse(ref.predict(xt), yt);
        assertEquals(want, rmse(mixed.predict(xt), yt), 1e-6 * want);
    }

    @Test
    void tinyLambdaFallsBackAndSaysSo() {
        Matrix x = gaussian(300, 2, 5);
        Matrix y = target(x, 6);
        KernelRidgeModel ref = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.05)")).lambda(1e-10).build().fit(x, y);
        KernelRidgeModel mixed = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.05)")).lambda(1e-10)
                .precision(Precision.MIXED).build().fit(x, y);
        assertEquals("double", mixed.report().text("precision"));
        assertTrue(mixed.report().text("precision_fallback").endsWith("solved by the float64 Cholesky"),
                mixed.report().toString());
        assertEquals(ref.report().number("jitter"), mixed.report().number("jitter"));
        assertTrue(relativeDifference(mixed.dualCoefficients(), ref.dualCoefficients()) < 1e-12);
    }

    @Test
    void autoBelowItsThresholdIsTheFloat64Path() {
        Matrix x = gaussian(100, 2, 7);
        Matrix y = target(x, 8);
        KernelRidgeModel ref = KernelRidge.builder(RBF).lambda(0.1).build().fit(x, y);
        KernelRidgeModel auto = KernelRidge.builder(RBF).lambda(0.1).precision(Precision.AUTO).build().fit(x, y);
        assertFalse(auto.report().has("precision"));
        assertEquals(0, relativeDifference(auto.dualCoefficients(), ref.dualCoefficients()));
    }

    @Test
    void precisionOnlyForTheFixedLambdaCholesky() {
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> KernelRidge.builder(RBF)
                .selectLambda(new double[] {0.1, 1}, RegularizationPath.Criterion.GCV).precision(Precision.MIXED).build());
        assertEquals("kernel ridge regression: precision mixed applies to the Cholesky solve at a fixed lambda, not to "
                + "a parameter grid or the tikhonov filter (they use an eigendecomposition)", e.getMessage());
        assertThrows(Kernels4jException.class, () -> KernelRidge.builder(RBF).precision(null));
        assertTrue(KernelRidge.builder(RBF).precision(Precision.MIXED).build().toString().contains("precision=mixed"));
        assertFalse(KernelRidge.builder(RBF).build().toString().contains("precision"));
    }
}
