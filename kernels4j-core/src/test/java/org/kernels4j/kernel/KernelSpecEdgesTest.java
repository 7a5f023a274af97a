package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Spec parsing at the edges: numbers and values that end the text (no reading past it), specs cut
 * off inside a call, the nesting limit exactly, zero scale factors, and the "did you mean"
 * suggestion at edit distances 1 (suggested) and 3 (not).
 */
class KernelSpecEdgesTest {

    @Test
    void numbersAtTheEndOfTheText() {
        assertEquals(new ScaledKernel(2, new LinearKernel()), KernelSpec.parse("linear()*2"));
        assertEquals(new ScaledKernel(2.5, new LinearKernel()), KernelSpec.parse("linear()*2.5"));
        assertEquals(new ScaledKernel(1e-3, new LinearKernel()), KernelSpec.parse("linear()*1e-3"));
        assertEquals(new ScaledKernel(3e2, new LinearKernel()), KernelSpec.parse("linear()*3E+2"));
        assertEquals(new ScaledKernel(0.5, new LinearKernel()), KernelSpec.parse("linear()*+.5"));
        assertEquals(new ScaledKernel(6, new LinearKernel()), KernelSpec.parse("2*linear()*3"));
        assertEquals(new ScaledKernel(6, new LinearKernel()), KernelSpec.parse("(2*3)*linear()"));
        assertEquals(RbfKernel.withGamma(0.25), KernelSpec.parse("rbf(gamma=2.5e-1)"));
        for (String[] bad : new String[][] {{"linear()*2e", "unexpected 'e'"}, {"linear()*2e+", "unexpected 'e'"},
            {"linear()*", "spec ended"}, {"rbf(gamma=", "expected a value for 'gamma'"},
            {"rbf(gamma=1,", "expected a parameter name"}, {"rbf(gamma=1, ", "expected a parameter name"},
            {"rbf(gamma", "expected '='"}, {"rbf(length=[1, 2", "expected ']'"}, {"rbf(length=[1,", "number"},
            {"rbf(", "expected a parameter name"}, {"rbf(gamma=1", "expected ')'"},
            {"laplacian(norm=", "expected a value for 'norm'"}, {"0*rbf()", "a scale factor must be positive"},
            {"linear()*0", "positive"}, {"rbf(gamma=-)", "expected a number but found '-'"}, {"linear()*-", "expected a number"}}) {
            KernelSpecException e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse(bad[0]), bad[0]);
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + ": " + e.getMessage());
        }
    }

    @Test
    void nestingLimitIsExact() {
        int max = KernelSpec.MAX_DEPTH;
        String ok = "(".repeat(max) + "linear()" + ")".repeat(max);
        assertEquals(new LinearKernel(), KernelSpec.parse(ok));
        String deep = "(".repeat(max + 1) + "linear()" + ")".repeat(max + 1);
        KernelSpecException e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse(deep));
        assertTrue(e.getMessage().contains("nested deeper than " + max), e.getMessage());
        assertEquals(max + 1, e.column());
        // many groups one after another are not nested: the depth counts back down after each
        String wide = String.join(" + ", java.util.Collections.nCopies(max + 20, "(linear())"));
        assertEquals(max + 20, ((SumKernel) KernelSpec.parse(wide)).terms().size());
    }

    @Test
    void suggestionsForMisspelledNames() {
        String[][] typos = {{"cosin()", "cosine"}, {"lapacian()", "laplacian"}, {"periodc()", "periodic"},
            {"mattern()", "matern"}, {"liner()", "linear"}, {"rbff()", "rbf"}, {"whte()", "white"}};
        for (String[] t : typos) {
            KernelSpecException e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse(t[0]));
            assertTrue(e.getMessage().contains("did you mean '" + t[1] + "'"), t[0] + ": " + e.getMessage());
        }
        // edit distance 3 from rbf and farther from every other name: no suggestion
        KernelSpecException e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse("rbfxyz()"));
        assertTrue(e.getMessage().contains("unknown kernel 'rbfxyz'") && !e.getMessage().contains("did you mean"),
                e.getMessage());
    }

    /**
     * A one-letter name is at distance 1 from the two-letter "sm" (the first name listed at that distance; none
     * is at 0, and names of three letters or more are at least 2 away), so "sm" is the suggestion; a distance
     * table whose first row is wrong puts every name within 1 and suggests the first one listed, "linear".
     */
    @Test
    void aOneLetterNameGetsTheNearestSuggestion() {
        KernelSpecException e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse("s()"));
        assertTrue(e.getMessage().contains("did you mean 'sm'"), e.getMessage());
    }

    /** A list item that is no number names the character found; integer values stop at 10⁶ exactly. */
    @Test
    void badListItemsAndTheIntegerLimits() {
        KernelSpecException e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse("rbf(length=[1, ])"));
        assertTrue(e.getMessage().contains("expected a number but found ']'"), e.getMessage());
        KernelSpec.parse("zz(shots=1000000, seed=1000000)"); // 10⁶ is an integer to the parser
        e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse("zz(shots=1000001)"));
        assertTrue(e.getMessage().contains("must be an integer"), e.getMessage());
        String atLimit;
        try {
            KernelSpec.parse("zz(entanglement=[[0, 1000000]])");
            atLimit = null;
        } catch (RuntimeException ex) {
            atLimit = ex.getMessage();
        }
        assertTrue(atLimit == null || !atLimit.contains("must list non-negative integers"),
                "10⁶ is an index to the parser: " + atLimit);
        e = assertThrows(KernelSpecException.class, () -> KernelSpec.parse("zz(entanglement=[[0, 1000001]])"));
        assertTrue(e.getMessage().contains("must list non-negative integers"), e.getMessage());
    }
}
