package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/** The parameter range of the discrete Laplace sampler is inclusive at both ends: [1, 2^55]. */
class DiscreteLaplaceEdgesTest {

    @Test
    void bothEndsOfTheParameterRangeAreAccepted() {
        DiscreteLaplace d = new DiscreteLaplace(new Random(3));
        long max = DiscreteLaplace.MAX;
        assertTrue(Math.abs(d.discreteLaplace(1, 1)) < 1000);
        assertTrue(Math.abs(d.discreteLaplace(max, max)) < 1000);
        assertTrue(Math.abs(d.discreteLaplace(1, max)) <= 1);
        d.discreteLaplace(max, 1);
        for (long[] ts : new long[][] {{0, 1}, {1, 0}, {max + 1, 1}, {1, max + 1}}) {
            assertThrows(Kernels4jException.class, () -> d.discreteLaplace(ts[0], ts[1]));
        }
    }
}
