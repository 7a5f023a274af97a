package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/**
 * {@link KernelCatalog.Param} used directly, as a kernel class declares and checks its parameters: the range
 * message of an integer parameter (a range of at most four values is listed, a wider one given by its ends),
 * the integer check refused on a parameter of another kind, and hyperparameters only from learnable ones.
 */
class KernelCatalogParamTest {

    @Test
    void integerRangesOfAtMostFourValuesAreListedAndWiderOnesGivenByTheirEnds() {
        KernelCatalog.Param four = KernelCatalog.Param.integer("k", 1, 1, 4, "a small integer");
        assertEquals(4, four.check("t", 4));
        assertEquals("t: k must be 1, 2, 3 or 4, got 9",
                assertThrows(Kernels4jException.class, () -> four.check("t", 9)).getMessage());
        KernelCatalog.Param five = KernelCatalog.Param.integer("k", 1, 1, 5, "a small integer");
        assertEquals("t: k must be between 1 and 5, got 9",
                assertThrows(Kernels4jException.class, () -> five.check("t", 9)).getMessage());
        KernelCatalog.Param number = KernelCatalog.Param.number("x", 1, "any number");
        assertThrows(IllegalStateException.class, () -> number.check("t", 3), "an integer check on a number");
    }

    @Test
    void onlyLearnableParametersAreHyperparameters() {
        assertTrue(RbfKernel.GAMMA.learnable());
        assertFalse(PolynomialKernel.DEGREE.learnable());
        KernelCatalog.Param fixed = KernelCatalog.Param.number("x", 1, "any number");
        assertFalse(fixed.learnable());
        assertThrows(IllegalStateException.class, () -> fixed.hyperparameters(RbfKernel.TYPE, new double[] {1, 2}));
        assertThrows(IllegalStateException.class, () -> fixed.hyperparameter(RbfKernel.TYPE, 1));
        assertEquals(2, RbfKernel.GAMMA.hyperparameters(RbfKernel.TYPE, new double[] {1, 2}).size());
    }
}
