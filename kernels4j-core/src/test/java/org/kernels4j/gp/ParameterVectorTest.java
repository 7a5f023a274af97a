package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;

/** The parameter vector that poses as a kernel for the hyperparameter search. */
class ParameterVectorTest {
    @Test
    void valuesBoundsSpecAndChecks() {
        ParameterVector v = new ParameterVector(List.of(new Hyperparameter("a", 1.5, 0.1, 10),
                new Hyperparameter("noise", 0.2, 0.01, 1)), t -> "a=" + t[0] + ", noise=" + t[1]);
        assertArrayEquals(new double[] {1.5, 0.2}, v.values(), 0);
        assertEquals("a=1.5, noise=0.2", v.toSpec());
        assertEquals(v.toSpec(), v.toString());
        // new values keep the names; a value outside the old bounds widens them to include it
        Kernel w = v.withHyperparameters(new double[] {20, 0.5});
        assertEquals("a=20.0, noise=0.5", w.toSpec());
        Hyperparameter a = w.hyperparameters().get(0);
        assertEquals("a", a.name());
        assertEquals(0.1, a.lower(), 0);
        assertEquals(20, a.upper(), 0);
        assertEquals(1, w.hyperparameters().get(1).upper(), 0);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> v.withHyperparameters(new double[] {1}));
        assertEquals("a=1.5, noise=0.2 has 2 hyperparameters, got 1 values", e.getMessage());
        assertThrows(Kernels4jException.class, () -> v.withHyperparameters(new double[] {1, -1}));
        assertThrows(UnsupportedOperationException.class, () -> v.value(new double[] {0}, new double[] {0}));
    }
}
