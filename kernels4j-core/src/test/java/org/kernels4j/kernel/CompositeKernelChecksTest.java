package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.Matrix;

/**
 * Documented contracts of the composite kernels and of hyperparameter vectors that the formula tests do not reach:
 * bounds 0 &lt; lower ≤ upper &lt; ∞, one positive finite value per parameter in {@code withHyperparameters} (also
 * for kernels without parameters and for scaled kernels), value equality of sums and of the linear kernel, its
 * printed form, the mark of a repeated name after the first path part, and ∂K/∂log s = K for a scale over a sum
 * on a Gram matrix of several tiles (the closed form of the scale's derivative).
 */
class CompositeKernelChecksTest {

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    @Test
    void boundsAreZeroExclusiveAndMayCoincide() {
        refused(() -> new Hyperparameter("a", 1, 0, 2), "0 < lower <= upper < inf");
        Hyperparameter fixed = assertDoesNotThrow(() -> new Hyperparameter("a", 1, 1, 1));
        assertEquals(1, fixed.lower(), 0);
        assertEquals(1, fixed.upper(), 0);
    }

    @Test
    void replacementValuesAreCountedAndPositive() {
        refused(() -> KernelSpec.parse("linear()").withHyperparameters(new double[] {1}), "has 0 hyperparameters, got 1");
        assertEquals(KernelSpec.parse("linear()"), KernelSpec.parse("linear()").withHyperparameters(new double[0]));
        refused(() -> KernelSpec.parse("3*rbf(length=2)").withHyperparameters(new double[] {2, 0.5, 7}),
                "has 2 hyperparameters, got 3");
        refused(() -> KernelSpec.parse("rbf(length=2)").withHyperparameters(new double[] {0}), "must be positive");
    }

    @Test
    void equalityAndPrintedForms() {
        Kernel linear = KernelSpec.parse("linear()");
        assertNotEquals(linear, KernelSpec.parse("rbf(length=1)"));
        assertEquals(linear, KernelSpec.parse("linear()"));
        assertEquals(linear.toSpec(), linear.toString());
        assertEquals(linear, KernelSpec.parse(linear.toString()));
        Kernel sum = KernelSpec.parse("rbf(length=1) + linear()");
        assertEquals(sum, KernelSpec.parse("rbf(length=1) + linear()"));
        assertNotEquals(sum, KernelSpec.parse("rbf(length=2) + linear()"));
        assertNotEquals(sum, linear);
    }

    @Test
    void aRepeatedVectorNameIsMarkedAfterItsFirstPathPart() {
        Kernel k = KernelSpec.parse("rbf(length=[1, 2]) + rbf(length=[3, 4])");
        List<String> names = k.hyperparameters().stream().map(Hyperparameter::name).toList();
        assertEquals(List.of("rbf.length[0]", "rbf.length[1]", "rbf#2.length[0]", "rbf#2.length[1]"), names);
    }

    /**
     * For K = s·(k₁ + k₂), ∂K/∂log s = s·(k₁ + k₂) = K. On 300 rows the Gram gradients span several 256-row tiles,
     * so a tile buffer is reused; the derivative must equal the Gram matrix entry by entry (10⁻¹² relative).
     */
    @Test
    void theScaleDerivativeOfAScaledSumIsTheGramMatrixOverSeveralTiles() {
        Kernel k = KernelSpec.parse("2.5*(rbf(length=1) + rbf(length=3))");
        assertEquals("scale", k.hyperparameters().get(0).name());
        Matrix x = TestData.gaussian(300, 2, 1, 77);
        Matrix dScale = GramEngine.gramGradients(k, x)[0];
        Matrix gram = GramEngine.gram(k, x);
        assertEquals(0, dScale.maxAbsDifference(gram), 1e-12 * 5);
    }

    /**
     * A product's gradient pass hands its factors' scratch arrays back even when a factor refuses its block: the
     * factor's own refusal (chi2 on a negative feature, named with its row and feature) must reach the caller, not
     * an error of the clean-up of the arrays the later factors never borrowed.
     */
    @Test
    void aFactorsRefusalInTheGradientPassReachesTheCaller() {
        Kernel k = KernelSpec.parse("chi2(gamma=1) * rbf(length=1)");
        Matrix x = Matrix.of(new double[][] {{0.5, 1}, {0.25, -2}, {1, 1}});
        refused(() -> GramEngine.gramGradients(k, x), "needs non-negative features");
    }
}
