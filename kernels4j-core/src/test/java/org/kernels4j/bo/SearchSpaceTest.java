package org.kernels4j.bo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;

/** Search-space mappings and the messages for bad definitions and points. */
class SearchSpaceTest {
    private static void refused(Executable e, String... parts) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        for (String p : parts) {
            assertTrue(msg.contains(p), msg);
        }
    }

    @Test
    void mapsUnitCoordinatesOnEachScale() {
        SearchSpace s = SearchSpace.builder().continuous("x", -5, 10).logScale("lr", 1e-4, 1e-1).integer("k", 1, 8)
                .build();
        assertEquals(3, s.dimension());
        assertEquals("lr", s.parameters().get(1).name());
        double[] mid = s.fromUnit(new double[] {0.5, 0.5, 0.5});
        assertEquals(2.5, mid[0], 1e-12);
        assertEquals(Math.sqrt(1e-4 * 1e-1), mid[1], 1e-15); // geometric mean on a log scale
        assertEquals(5, mid[2], 0); // 1 + ⌊0.5·8⌋: eight equal bins
        double[] lo = s.fromUnit(new double[] {0, 0, 0});
        double[] hi = s.fromUnit(new double[] {1, 1, 1});
        assertArrayEquals(new double[] {-5, 1e-4, 1}, lo, 1e-15);
        assertArrayEquals(new double[] {10, 1e-1, 8}, hi, 1e-15);
        double[] clamped = s.fromUnit(new double[] {-0.2, 1.3, 2});
        assertArrayEquals(new double[] {-5, 1e-1, 8}, clamped, 1e-15);
        double[] p = {7, 0.003, 6};
        double[] u = s.toUnit(p);
        assertEquals(0.8, u[0], 1e-12);
        assertEquals(Math.log(30) / Math.log(1000), u[1], 1e-12);
        assertEquals(5.5 / 8, u[2], 1e-12); // the centre of 6's bin
        assertArrayEquals(p, s.fromUnit(u), 1e-12);
        assertEquals(3, s.fromUnit(new double[] {0, 0, 0.3})[2], 0); // 1 + ⌊2.4⌋
        assertEquals(2, s.fromUnit(new double[] {0, 0, 0.2})[2], 0); // 1 + ⌊1.6⌋
    }

    @Test
    void boxIsContinuousAndNamedInOrder() {
        SearchSpace s = SearchSpace.box(new double[] {0, -1}, new double[] {1, 1});
        assertEquals("x1", s.parameters().get(0).name());
        assertEquals("x2", s.parameters().get(1).name());
        assertEquals(SearchSpace.Type.CONTINUOUS, s.parameters().get(1).type());
        assertEquals(0, s.fromUnit(new double[] {0.3, 0.5})[1], 1e-15);
        refused(() -> SearchSpace.box(new double[] {0}, new double[] {1, 2}), "1 lower and 2 upper");
    }

    @Test
    void refusesBadDefinitions() {
        refused(() -> SearchSpace.builder().build(), "at least one parameter");
        refused(() -> SearchSpace.builder().continuous("x", 1, 1), "parameter x", "greater than lower bound 1");
        refused(() -> SearchSpace.builder().continuous("x", 2, 1), "upper bound 1.0");
        refused(() -> SearchSpace.builder().continuous("x", Double.NEGATIVE_INFINITY, 1), "finite");
        refused(() -> SearchSpace.builder().continuous("x", 0, Double.NaN), "finite");
        refused(() -> SearchSpace.builder().logScale("lr", 0, 1), "log-scaled", "lower > 0");
        refused(() -> SearchSpace.builder().add(new SearchSpace.Parameter("k", SearchSpace.Type.INTEGER, 0.5, 3, false)),
                "integer bounds");
        refused(() -> SearchSpace.builder().continuous("a b", 0, 1), "letters, digits");
        refused(() -> SearchSpace.builder().continuous("", 0, 1), "non-empty");
        refused(() -> SearchSpace.builder().continuous("x", 0, 1).integer("x", 0, 3).build(), "x appears twice");
        refused(() -> SearchSpace.builder().add(null), "null");
        refused(() -> new SearchSpace.Parameter("x", null, 0, 1, false), "type");
    }

    @Test
    void refusesPointsOutsideTheSpace() {
        SearchSpace s = SearchSpace.builder().continuous("x", 0, 1).integer("k", 1, 4).build();
        s.requireInside(new double[] {0, 1});
        s.requireInside(new double[] {1, 4});
        refused(() -> s.requireInside(new double[] {0.5}), "needs 2 values", "got 1");
        refused(() -> s.requireInside(null), "needs 2 values", "none");
        refused(() -> s.requireInside(new double[] {1.0001, 2}), "parameter x = 1.0001 is outside [0.0, 1.0]");
        refused(() -> s.requireInside(new double[] {0.5, 0}), "parameter k = 0.0 is outside");
        refused(() -> s.requireInside(new double[] {0.5, 2.5}), "parameter k = 2.5 must be an integer");
        refused(() -> s.requireInside(new double[] {Double.NaN, 2}), "parameter x = NaN");
        refused(() -> s.toUnit(new double[] {2, 2}), "outside");
    }
}
