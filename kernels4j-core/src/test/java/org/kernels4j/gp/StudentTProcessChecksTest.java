package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The Student-t process's documented edge cases and argument checks: the inverse-gamma prior's
 * scale b &gt; 0, the model's ν &gt; 0, c &gt; 0 and β ≥ 0 (β = 0 for zero targets is allowed), the
 * predictive variance +∞ when ν + n ≤ 2 (the t has no variance), the prior (a, b) kept by the
 * model, and the training-data check of {@code evidence}.
 */
class StudentTProcessChecksTest {
    private static final Kernel KERNEL = KernelSpec.parse("1.5*rbf(length=0.9)");

    @Test
    void theInverseGammaScaleMustBePositive() {
        var e = assertThrows(Kernels4jException.class, () -> StudentTProcess.builder(KERNEL).inverseGammaPrior(1, 0).build());
        assertTrue(e.getMessage().contains("scale b > 0"), e.getMessage());
    }

    /** The mixture view keeps its prior (a, b) in the model. */
    @Test
    void theModelKeepsTheInverseGammaPrior() {
        Matrix x = TestData.gaussian(6, 1, 1.0, 3);
        Matrix y = Matrix.column(1.0, -0.5, 0.3, 0.9, -1.2, 0.1);
        StudentTProcessModel m = StudentTProcess.builder(KERNEL).noise(0.01).inverseGammaPrior(0.8, 2).build().fit(x, y);
        assertArrayEquals(new double[] {0.8, 2}, m.inverseGammaPrior(), 0);
        assertEquals(null, StudentTProcess.builder(KERNEL).noise(0.01).build().fit(x, y).inverseGammaPrior());
    }

    /** Zero targets give β = yᵀA⁻¹y = 0, which is allowed: the fit works and predicts 0 with scale ν·c/(ν+n)·s². */
    @Test
    void zeroTargetsHaveAZeroQuadraticForm() {
        Matrix x = TestData.gaussian(5, 1, 1.0, 4);
        StudentTProcessModel m = StudentTProcess.builder(KERNEL).noise(0.01).degreesOfFreedom(4).build()
                .fit(x, new Matrix(5, 1));
        assertEquals(0, m.quadraticForms()[0], 0);
        Matrix q = Matrix.column(0.2, 1.7);
        assertEquals(0, m.predict(q).get(1, 0), 0);
        double gpVariance = m.conditional().predictiveVariance(q).get(1, 0);
        // c = (ν − 2)/ν in the covariance view
        assertEquals(4 * 0.5 / (4 + 5) * gpVariance, m.predictiveScale(q).get(1, 0), 1e-12 * gpVariance);
    }

    /** ν + n = 2 (a = ½: ν = 1, one point) and ν + n = 1.5: the predictive variance is +∞, even where s²_GP = 0. */
    @Test
    void thePredictiveVarianceIsInfiniteWithoutEnoughDegreesOfFreedom() {
        Matrix x = Matrix.column(0.4);
        Matrix y = Matrix.column(1.3);
        Matrix q = Matrix.column(0.4, 2.5);
        for (double a : new double[] {0.5, 0.25}) {
            StudentTProcessModel m = StudentTProcess.builder(KERNEL).noise(0).inverseGammaPrior(a, 1).build().fit(x, y);
            assertEquals(2 * a + 1, m.degreesOfFreedom(), 0);
            Matrix v = m.predictiveVariance(q);
            assertEquals(Double.POSITIVE_INFINITY, v.get(0, 0), "at the training point, a = " + a);
            assertEquals(Double.POSITIVE_INFINITY, v.get(1, 0), "away from it, a = " + a);
        }
    }

    /** The public model constructor refuses ν = 0, c = 0 and a negative quadratic form. */
    @Test
    void theModelConstructorChecksItsArguments() {
        Matrix x = TestData.gaussian(4, 1, 1.0, 5);
        GaussianProcessModel gp = GaussianProcess.builder(KERNEL).noise(0.01).build().fit(x, Matrix.column(1.0, 2, 3, 4));
        var e = assertThrows(Kernels4jException.class, () -> new StudentTProcessModel(gp, 0, 1, new double[] {1}, 0, null,
                null, Double.NaN, Double.NaN));
        assertTrue(e.getMessage().contains("nu > 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new StudentTProcessModel(gp, 3, 0, new double[] {1}, 0, null,
                null, Double.NaN, Double.NaN));
        assertTrue(e.getMessage().contains("c > 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new StudentTProcessModel(gp, 3, 1, new double[] {-1e-9}, 0, null,
                null, Double.NaN, Double.NaN));
        assertTrue(e.getMessage().contains(">= 0 and finite"), e.getMessage());
    }

    /** evidence and optimize check the training data first (5 rows of x, 6 targets). */
    @Test
    void evidenceAndOptimizeCheckTheRowCounts() {
        Matrix x = TestData.gaussian(5, 1, 1.0, 6);
        Matrix y = new Matrix(6, 1);
        StudentTProcess tp = StudentTProcess.builder(KERNEL).noise(0.01).build();
        var e = assertThrows(Kernels4jException.class, () -> tp.evidence(x, y));
        assertTrue(e.getMessage().contains("5 rows but the targets have 6"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> tp.optimize(x, y, HyperparameterSearch.builder().build()));
        assertTrue(e.getMessage().contains("5 rows but the targets have 6"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> tp.fit(x, y));
        assertTrue(e.getMessage().contains("5 rows but the targets have 6"), e.getMessage());
    }
}
