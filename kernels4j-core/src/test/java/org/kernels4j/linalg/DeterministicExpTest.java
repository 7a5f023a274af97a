package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The exponential the Gram passes use: accurate (against a 40-digit series), and bit-identical between
 * the vector and scalar passes, which is what makes the same command give the same model file.
 */
class DeterministicExpTest {
    private static final MathContext MC = new MathContext(40);

    /** e^x to 40 digits: e^x = (e^(x/2^s))^(2^s) with the Taylor series of the small argument. */
    private static BigDecimal referenceExp(double x) {
        int s = 12;
        BigDecimal a = new BigDecimal(x).divide(BigDecimal.valueOf(1L << s), MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int k = 1; k < 40; k++) {
            term = term.multiply(a, MC).divide(BigDecimal.valueOf(k), MC);
            sum = sum.add(term, MC);
        }
        for (int i = 0; i < s; i++) {
            sum = sum.multiply(sum, MC);
        }
        return sum;
    }

    @Test
    void withinOneUlpOfA40DigitReference() {
        Random rnd = new Random(7);
        double worst = 0;
        for (int i = 0; i < 3000; i++) {
            // all of the normal range, and small arguments where e^x ≈ 1 + x
            double x = i % 3 == 0 ? (rnd.nextDouble() - 0.5) * 1e-3 : -708 + rnd.nextDouble() * 1417;
            double ours = ScalarElementOps.exp(x);
            double err = new BigDecimal(ours).subtract(referenceExp(x), MC).abs()
                    .divide(new BigDecimal(Math.ulp(ours)), MC).doubleValue();
            worst = Math.max(worst, err);
        }
        // a correctly rounded result is within 0.5 ulp; Math.exp promises 1 ulp, and so do we
        assertTrue(worst < 1.0, "largest error " + worst + " ulp");
    }

    @Test
    void edgesOverflowUnderflowAndSpecialValues() {
        assertEquals(1.0, ScalarElementOps.exp(0.0));
        assertEquals(1.0, ScalarElementOps.exp(-0.0));
        assertEquals(Math.E, ScalarElementOps.exp(1.0), Math.ulp(Math.E));
        assertEquals(Double.POSITIVE_INFINITY, ScalarElementOps.exp(709.8));
        assertTrue(Double.isFinite(ScalarElementOps.exp(709.78)));
        assertEquals(Math.exp(709.78), ScalarElementOps.exp(709.78), Math.ulp(Math.exp(709.78)));
        assertEquals(Double.POSITIVE_INFINITY, ScalarElementOps.exp(Double.POSITIVE_INFINITY));
        assertEquals(0.0, ScalarElementOps.exp(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, ScalarElementOps.exp(-746));
        assertTrue(Double.isNaN(ScalarElementOps.exp(Double.NaN)));
        // subnormal results: the smallest positive double, and e^-720 (≈ 2.1e-313) to within its ulp
        assertEquals(Double.MIN_VALUE, ScalarElementOps.exp(-745.0));
        assertEquals(Math.exp(-720), ScalarElementOps.exp(-720), Double.MIN_VALUE);
        assertEquals(Math.exp(-708.5), ScalarElementOps.exp(-708.5), 2 * Math.ulp(Math.exp(-708.5)));
    }

    @Test
    void vectorAndScalarPassesAreBitIdentical() {
        ElementOps fast = ElementOps.get();
        ElementOps plain = ElementOps.scalar();
        Random rnd = new Random(11);
        for (int len : new int[] {1, 3, 8, 37, 256}) {
            double[] v = new double[len];
            for (int k = 0; k < len; k++) {
                v[k] = k % 5 == 0 ? -rnd.nextDouble() * 800 : rnd.nextGaussian() * 10;
            }
            double[] nz = new double[len];
            for (int k = 0; k < len; k++) {
                nz[k] = rnd.nextDouble() * 5;
            }
            compare("expScaled", v, (ops, a) -> ops.expScaled(a, 0, len, -0.7), fast, plain);
            compare("matern32", abs(v), (ops, a) -> ops.matern32(a, 0, len), fast, plain);
            compare("matern52", abs(v), (ops, a) -> ops.matern52(a, 0, len), fast, plain);
            compare("squaredDistances", v, (ops, a) -> ops.squaredDistances(a, 0, len, 3.5, nz, 0), fast, plain);
            compare("powAffine real", abs(v), (ops, a) -> ops.powAffine(a, 0, len, 0.5, 1.0, -1.5), fast, plain);
            compare("powAffine int", v, (ops, a) -> ops.powAffine(a, 0, len, 0.5, 1.0, 3), fast, plain);
        }
    }

    private static double[] abs(double[] v) {
        double[] a = v.clone();
        for (int k = 0; k < a.length; k++) {
            a[k] = Math.abs(a[k]);
        }
        return a;
    }

    private interface Pass {
        void apply(ElementOps ops, double[] a);
    }

    private static void compare(String what, double[] input, Pass pass, ElementOps fast, ElementOps plain) {
        double[] a = input.clone();
        double[] b = input.clone();
        pass.apply(fast, a);
        pass.apply(plain, b);
        for (int k = 0; k < a.length; k++) {
            assertEquals(Double.doubleToRawLongBits(b[k]), Double.doubleToRawLongBits(a[k]),
                    what + " element " + k + " of " + a.length + ": " + a[k] + " vs " + b[k] + " (" + fast.name() + ")");
        }
    }
}
