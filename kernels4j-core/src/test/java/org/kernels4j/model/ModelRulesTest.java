package org.kernels4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/** The edges of ModelState's field rules, FitReport's records and TrainingData's checks. */
class ModelRulesTest {

    private static ModelState state() {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("lo", 2.0);
        f.put("hi", 5.0);
        f.put("half", 2.5);
        f.put("zero", 0.0);
        f.put("on", true);
        f.put("word", "abc");
        f.put("empty", new double[0]);
        f.put("one", new double[] {1.5});
        Map<String, Matrix> a = new LinkedHashMap<>();
        a.put("m", new Matrix(1, 1));
        return ModelState.of("test", f, a);
    }

    @Test
    void integerBoundsAreInclusive() {
        ModelState s = state();
        assertEquals(2, s.integer("lo", 2, 5));
        assertEquals(5, s.integer("hi", 2, 5));
        assertThrows(Kernels4jException.class, () -> s.integer("lo", 3, 5));
        assertThrows(Kernels4jException.class, () -> s.integer("hi", 2, 4));
        assertThrows(Kernels4jException.class, () -> s.integer("half", 0, 9));
    }

    /** A kernel field that is not text names the field once; one that does not parse is prefixed with the field. */
    @Test
    void kernelFieldMessages() {
        ModelState s = state();
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> s.kernel("half"));
        assertEquals("half must be text", e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> s.kernel("word"));
        assertTrue(e.getMessage().startsWith("word: ") && !e.getMessage().startsWith("word: word"), e.getMessage());
    }

    @Test
    void positiveAndZero() {
        ModelState s = state();
        assertEquals(0.0, s.positive("zero", true));
        assertThrows(Kernels4jException.class, () -> s.positive("zero", false));
        assertEquals(2.5, s.positive("half", false));
    }

    @Test
    void flagsTextsNumbersAndMatrices() {
        ModelState s = state();
        assertTrue(s.flag("on"));
        assertEquals("abc", s.textOrNull("word"));
        assertNull(s.textOrNull("absent"));
        assertEquals(0, s.numbers("empty", 0).length);
        assertThrows(Kernels4jException.class, () -> s.numbers("one", 0));
        assertArrayEquals(new double[] {1.5}, s.numbers("one", -1));
        assertEquals(1, s.matrix("m", 1, 1).rows());
        assertEquals(1, s.matrix("m", -1, -1).rows());
        var e = assertThrows(Kernels4jException.class, () -> s.matrix("m", 0, 1));
        assertTrue(e.getMessage().endsWith("expected 0x1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> s.matrix("m", 1, 0));
        assertTrue(e.getMessage().endsWith("expected 1x0"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> s.matrix("m", 2, -1));
    }

    @Test
    void fitReportHasOnlyWhatWasAdded() {
        FitReport r = FitReport.builder().add("x", 1.0).add("none", (double[]) null).add("arr", new double[] {3}).build();
        assertTrue(r.has("x"));
        assertFalse(r.has("absent"));
        assertFalse(r.has("none"), "a null array is not recorded");
        assertArrayEquals(new double[] {3}, r.numbers("arr"));
    }

    @Test
    void trainingDataChecksTheInputsToo() {
        var e = assertThrows(Kernels4jException.class, () -> TrainingData.require(new Matrix(0, 2), new Matrix(0, 1)));
        assertTrue(e.getMessage().contains("training data is empty"), e.getMessage());
        Matrix nan = Matrix.of(new double[][] {{Double.NaN}});
        assertThrows(Kernels4jException.class, () -> TrainingData.require(nan, new Matrix(1, 1)));
        e = assertThrows(Kernels4jException.class, () -> TrainingData.requireLabels(new Matrix(3, 1), new Matrix(2, 1)));
        assertTrue(e.getMessage().contains("3 rows but the targets have 2"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> TrainingData.requireLabels(new Matrix(0, 1), new Matrix(0, 1)));
    }
}
