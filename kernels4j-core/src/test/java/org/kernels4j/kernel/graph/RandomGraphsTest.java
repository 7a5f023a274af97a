package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

class RandomGraphsTest {
    /** Edge densities inside and between blocks within 4 standard errors of p_in and p_out (binomial counts). */
    @Test
    void blockModelDensitiesMatchTheirProbabilities() {
        int n = 300;
        double pIn = 0.3;
        double pOut = 0.05;
        RandomGraphs.Planted p = RandomGraphs.stochasticBlockModel(n, 3, pIn, pOut, 11);
        int[] labels = p.labels();
        long inPairs = 0;
        long inEdges = 0;
        long outPairs = 0;
        long outEdges = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                boolean edge = p.graph().weight(i, j) > 0;
                if (labels[i] == labels[j]) {
                    inPairs++;
                    inEdges += edge ? 1 : 0;
                } else {
                    outPairs++;
                    outEdges += edge ? 1 : 0;
                }
            }
        }
        assertEquals(3 * 100 * 99 / 2, inPairs);
        assertEquals(pIn, (double) inEdges / inPairs, 4 * Math.sqrt(pIn * (1 - pIn) / inPairs));
        assertEquals(pOut, (double) outEdges / outPairs, 4 * Math.sqrt(pOut * (1 - pOut) / outPairs));
        assertArrayEquals(labels, RandomGraphs.stochasticBlockModel(n, 3, pIn, pOut, 11).labels());
        assertEquals(p.graph().adjacency().maxAbsDifference(
                RandomGraphs.stochasticBlockModel(n, 3, pIn, pOut, 11).graph().adjacency()), 0.0);
        int[] uneven = RandomGraphs.stochasticBlockModel(7, 3, 1, 0, 1).labels();
        assertArrayEquals(new int[] {0, 0, 0, 1, 1, 2, 2}, uneven);
        assertThrows(Kernels4jException.class, () -> RandomGraphs.stochasticBlockModel(10, 11, 0.5, 0.1, 1));
        assertThrows(Kernels4jException.class, () -> RandomGraphs.stochasticBlockModel(10, 2, 1.5, 0.1, 1));
    }

    @Test
    void lfrGraphHasItsMixingAndDegreesApproximately() {
        int n = 1000;
        double mu = 0.2;
        RandomGraphs.Planted p = RandomGraphs.lfr(n, 15, 50, 2.5, 1.5, mu, 20, 100, 3);
        Graph g = p.graph();
        int[] labels = p.labels();
        double external = 0;
        double total = 0;
        int biggest = 0;
        int[] count = new int[n];
        for (int i = 0; i < n; i++) {
            count[labels[i]]++;
            for (int j = 0; j < n; j++) {
                if (g.weight(i, j) > 0) {
                    total++;
                    external += labels[i] != labels[j] ? 1 : 0;
                }
            }
        }
        for (int c : count) {
            biggest = Math.max(biggest, c);
            assertTrue(c == 0 || c >= 20, "community of size " + c);
        }
        assertTrue(biggest <= 100 + 20, "largest community " + biggest);
        double mean = total / n;
        // dropped self-loops and repeats lower degrees (documented: about 15%); rounding of the internal share moves μ by < 0.05
        assertTrue(mean > 0.8 * 15 && mean < 1.1 * 15, "mean degree " + mean);
        assertEquals(mu, external / total, 0.05);
        assertThrows(Kernels4jException.class, () -> RandomGraphs.lfr(n, 15, 50, 2.5, 1.5, 1.2, 20, 100, 3));
    }
}
