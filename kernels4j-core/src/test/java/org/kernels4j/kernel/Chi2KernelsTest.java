package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;

/**
 * The homogeneous and skewed χ² kernels through the Gram engine (their block code), against the closed forms
 * written here: Σ 2/(1/a + 1/b) over features where both are positive (the harmonic-mean form), and
 * Π sech((ln(a + c) − ln(b + c))/2) (the log-space form); the input checks' messages; equality and specs.
 */
class Chi2KernelsTest {
    private static Matrix histograms(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                x.set(i, f, r.nextDouble() < 0.25 ? 0 : 3 * r.nextDouble());
            }
        }
        return x;
    }

    private static double harmonic(double[] x, double[] z) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            if (x[f] > 0 && z[f] > 0) {
                s += 2 / (1 / x[f] + 1 / z[f]);
            }
        }
        return s;
    }

    private static double sech(double[] x, double[] z, double c) {
        double p = 1;
        for (int f = 0; f < x.length; f++) {
            p /= Math.cosh((Math.log(x[f] + c) - Math.log(z[f] + c)) / 2);
        }
        return p;
    }

    @Test
    void gramAndCrossMatchTheClosedForms() {
        Matrix x = histograms(7, 5, 1);
        Matrix z = histograms(4, 5, 2);
        Kernel hom = HomogeneousChi2Kernel.of();
        Kernel skew = SkewedChi2Kernel.of(0.6);
        Matrix[] grams = {GramEngine.gram(hom, x), GramEngine.gram(skew, x)};
        Matrix[] crosses = {GramEngine.cross(hom, x, z), GramEngine.cross(skew, x, z)};
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                assertEquals(harmonic(x.row(i), x.row(j)), grams[0].get(i, j), 1e-13);
                assertEquals(sech(x.row(i), x.row(j), 0.6), grams[1].get(i, j), 1e-13);
            }
            for (int j = 0; j < 4; j++) {
                assertEquals(harmonic(x.row(i), z.row(j)), crosses[0].get(i, j), 1e-13);
                assertEquals(sech(x.row(i), z.row(j), 0.6), crosses[1].get(i, j), 1e-13);
            }
        }
        // zero features are valid histograms; a zero pair adds nothing
        assertEquals(1.0, hom.value(new double[] {0, 1}, new double[] {0, 1}), 0);
        // features just above −c are valid for the skewed kernel: (−c + ε) against itself is 1
        assertEquals(1.0, skew.value(new double[] {-0.5}, new double[] {-0.5}), 1e-15);
    }

    private static String message(org.junit.jupiter.api.function.Executable call) {
        return assertThrows(Kernels4jException.class, call).getMessage();
    }

    @Test
    void badFeaturesAreNamedWithTheirRowAndInput() {
        Kernel hom = HomogeneousChi2Kernel.of();
        Matrix x = Matrix.of(new double[][] {{1, 2}, {3, 4}, {5, -1}});
        Matrix z = Matrix.of(new double[][] {{1, 2}, {-2, 4}});
        Matrix ok = Matrix.of(new double[][] {{1, 2}, {3, 4}});
        assertEquals("homogeneous_chi2 needs non-negative features (histograms, counts), got -1 at row 2, feature 1"
                + " (counted from 0)", message(() -> GramEngine.gram(hom, x)));
        assertTrue(message(() -> GramEngine.cross(hom, ok, z))
                .endsWith("got -2 at row 1 of the second input, feature 0 (counted from 0)"));
        assertTrue(message(() -> GramEngine.cross(hom, x, ok))
                .endsWith("got -1 at row 2 of the first input, feature 1 (counted from 0)"));
        assertTrue(message(() -> hom.value(new double[] {1}, new double[] {Double.NaN}))
                .endsWith("in feature 0 (counted from 0)"));
        assertThrows(Kernels4jException.class, () -> hom.value(new double[] {1, 2}, new double[] {1}));
        Kernel skew = SkewedChi2Kernel.of(2);
        assertEquals("skewed_chi2(c=2) needs features > -c, got -2 at row 2, feature 1 (counted from 0)",
                message(() -> GramEngine.gram(skew, Matrix.of(new double[][] {{1, 2}, {3, 4}, {5, -2}}))));
        assertTrue(message(() -> GramEngine.cross(skew, ok, Matrix.of(new double[][] {{1, 2}, {-3, 4}})))
                .endsWith("got -3 at row 1 of the second input, feature 0 (counted from 0)"));
        assertTrue(message(() -> GramEngine.cross(skew, Matrix.of(new double[][] {{-2, 2}}), ok))
                .endsWith("got -2 at row 0 of the first input, feature 0 (counted from 0)"));
        assertTrue(message(() -> GramEngine.cross(skew, Matrix.of(new double[][] {{1, 2}, {-3, 4}}), ok))
                .endsWith("got -3 at row 1 of the first input, feature 0 (counted from 0)"));
        assertTrue(message(() -> GramEngine.gram(hom, Matrix.of(new double[][] {{-1, 2}, {3, 4}})))
                .endsWith("got -1 at row 0, feature 0 (counted from 0)"));
        assertTrue(message(() -> skew.value(new double[] {1}, new double[] {-2}))
                .endsWith("in feature 0 (counted from 0)"));
        assertThrows(Kernels4jException.class, () -> skew.value(new double[] {1, 2}, new double[] {1}));
    }

    @Test
    void equalityAndSpecs() {
        assertEquals(HomogeneousChi2Kernel.of(), KernelSpec.parse("homogeneous_chi2()"));
        assertEquals(HomogeneousChi2Kernel.of().hashCode(), KernelSpec.parse("chi2_homogeneous()").hashCode());
        assertNotEquals(HomogeneousChi2Kernel.of(), SkewedChi2Kernel.of(1));
        assertEquals("homogeneous_chi2()", HomogeneousChi2Kernel.of().toString());
        assertEquals(SkewedChi2Kernel.of(0.5), KernelSpec.parse("skewed_chi2(c=0.5)"));
        assertEquals(SkewedChi2Kernel.of(0.5).hashCode(), SkewedChi2Kernel.of(0.5).hashCode());
        assertNotEquals(SkewedChi2Kernel.of(0.5), SkewedChi2Kernel.of(0.25));
        assertNotEquals(SkewedChi2Kernel.of(0.5).hashCode(), SkewedChi2Kernel.of(0.25).hashCode());
        assertNotEquals(SkewedChi2Kernel.of(0.5), HomogeneousChi2Kernel.of());
        assertEquals("skewed_chi2(c=0.5)", SkewedChi2Kernel.of(0.5).toString());
        assertEquals("skewed_chi2(c=0.5)", SkewedChi2Kernel.of(0.5).toSpec());
        assertEquals(0.5, SkewedChi2Kernel.of(0.5).c(), 0);
    }
}
