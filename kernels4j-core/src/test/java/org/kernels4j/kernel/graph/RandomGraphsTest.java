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

    @Test
    void blockModelAcceptsTheEndsOfItsRanges() {
        assertEquals(1, RandomGraphs.stochasticBlockModel(2, 2, 1, 1, 1).graph().edgeCount()); // n = 2, k = n
        assertEquals(6, RandomGraphs.stochasticBlockModel(4, 1, 1, 1, 1).graph().edgeCount()); // k = 1
        // p = 1 always joins, p = 0 never: block sizes 1 and 2 give the one inside pair (1, 2)
        Graph single = RandomGraphs.stochasticBlockModel(new int[] {1, 2}, 1, 0, 1).graph();
        assertEquals(1, single.edgeCount());
        assertEquals(1.0, single.weight(1, 2));
        Graph bipartite = RandomGraphs.stochasticBlockModel(new int[] {2, 2}, 0, 1, 1).graph();
        assertEquals(4, bipartite.edgeCount());
        assertEquals(0.0, bipartite.weight(0, 1));
        assertEquals(0.0, bipartite.weight(2, 3));
    }

    @Test
    void lfrAcceptsTheEndsOfItsRangesAndKeepsEqualCommunitiesExact() {
        // n = 2, average = max degree = 1 = n − 1, min = max community = n, μ = 0: one community, one edge
        RandomGraphs.Planted two = RandomGraphs.lfr(2, 1, 1, 2.5, 1.5, 0, 2, 2, 1);
        assertEquals(1, two.graph().edgeCount());
        assertArrayEquals(new int[] {0, 0}, two.labels());
        assertThrows(Kernels4jException.class, () -> RandomGraphs.lfr(10, 3, 10, 2.5, 1.5, 0.2, 5, 5, 1)); // max = n
        for (double[] taus : new double[][] {{1, 1.5}, {2.5, 1}}) {
            Kernels4jException e = assertThrows(Kernels4jException.class,
                    () -> RandomGraphs.lfr(10, 3, 6, taus[0], taus[1], 0.2, 5, 5, 1));
            assertTrue(e.getMessage().contains("LFR graph needs exponents > 1"), e.getMessage());
        }
        // community sizes drawn from a power law on [10, 10] are all 10: 40 nodes make exactly four of ten
        for (double mu : new double[] {0.2, 1}) {
            RandomGraphs.Planted p = RandomGraphs.lfr(40, 4, 8, 2.5, 1.5, mu, 10, 10, 5);
            int[] labels = p.labels();
            int[] count = new int[4];
            int inside = 0;
            for (int i = 0; i < 40; i++) {
                count[labels[i]]++;
                for (int j = i + 1; j < 40; j++) {
                    inside += p.graph().weight(i, j) > 0 && labels[i] == labels[j] ? 1 : 0;
                }
            }
            assertArrayEquals(new int[] {10, 10, 10, 10}, count, "mu " + mu);
            if (mu == 1) {
                assertEquals(0, inside, "μ = 1: no internal stubs, and external pairs inside a community are dropped");
            }
        }
        // τ₁ = 2 (the mean's logarithmic case): the drawn mean is still the requested one (realised ≈ 15% lower)
        int n = 1000;
        RandomGraphs.Planted p = RandomGraphs.lfr(n, 15, 50, 2.0, 1.5, 0.2, 20, 100, 4);
        double mean = 2.0 * p.graph().edgeCount() / n;
        assertTrue(mean > 0.8 * 15 && mean < 1.1 * 15, "mean degree " + mean);
    }
}
