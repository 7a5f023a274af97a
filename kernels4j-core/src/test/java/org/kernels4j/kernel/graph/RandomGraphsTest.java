package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
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

    /** Edges of g joining two different communities. */
    private static int crossingEdges(RandomGraphs.Planted p) {
        int[] labels = p.labels();
        int crossing = 0;
        for (int i = 0; i < labels.length; i++) {
            for (int j = i + 1; j < labels.length; j++) {
                crossing += p.graph().weight(i, j) > 0 && labels[i] != labels[j] ? 1 : 0;
            }
        }
        return crossing;
    }

    /** Nodes per community; every label must be in [0, k). */
    private static int[] communitySizes(int[] labels, int k) {
        int[] count = new int[k];
        for (int c : labels) {
            assertTrue(c >= 0 && c < k, "label " + c + " outside [0, " + k + ")");
            count[c]++;
        }
        return count;
    }

    /**
     * Community sizes drawn on [10, 10] are all 10; n nodes that are not a multiple of 10 leave a last community of
     * n mod 10 &lt; min, which is folded into the others. Reference: the balanced split of n into k = ⌊n/10⌋
     * communities, each of ⌊n/k⌋ or ⌈n/k⌉ nodes, all k non-empty (every place is filled).
     */
    @Test
    void lfrFoldsAShortLastCommunityEvenlyIntoTheOthers() {
        for (int n : new int[] {35, 36, 41, 47, 59}) {
            int k = n / 10;
            for (long seed = 1; seed <= 8; seed++) {
                int[] sizes = communitySizes(RandomGraphs.lfr(n, 3, 5, 2.5, 1.5, 0.3, 10, 10, seed).labels(), k);
                for (int c = 0; c < k; c++) {
                    assertTrue(sizes[c] == n / k || sizes[c] == (n + k - 1) / k,
                            "n = " + n + ", seed " + seed + ": sizes " + Arrays.toString(sizes));
                }
            }
        }
    }

    /**
     * Average = maximum degree = 9 makes every drawn degree 9, and μ = 0 makes all 9 stubs internal, so every node
     * fits every community of 10: the documented placement ("a random community large enough to hold them") is then
     * a uniformly random partition into ten communities of ten, exchangeable in the nodes. Reference: for such a
     * partition P(node i and node i + 1 share a community) = 9/99, so over 99 consecutive pairs and 5 seeds the
     * count of such pairs has mean 45 and variance about 41 (per seed 99·p(1 − p) ≈ 8.2; the covariances of
     * overlapping and disjoint pairs, −0.17 and +0.17 in all, cancel; 8.23 in 10⁵ simulated partitions); the bound
     * is the mean + 5·√45. A placement that fills the communities one after another in node order gives 90 per seed.
     * No edge may join two communities (every stub is internal and every node fits).
     */
    @Test
    void lfrPlacesNodesAtRandomAmongTheCommunitiesThatHoldThem() {
        int together = 0;
        for (long seed = 1; seed <= 5; seed++) {
            RandomGraphs.Planted p = RandomGraphs.lfr(100, 9, 9, 2.5, 1.5, 0, 10, 10, seed);
            int[] labels = p.labels();
            assertArrayEquals(new int[] {10, 10, 10, 10, 10, 10, 10, 10, 10, 10}, communitySizes(labels, 10));
            for (int i = 0; i + 1 < 100; i++) {
                together += labels[i] == labels[i + 1] ? 1 : 0;
            }
            assertEquals(0, crossingEdges(p), "seed " + seed);
        }
        assertTrue(together < 45 + 5 * Math.sqrt(45), "consecutive nodes in one community: " + together);
    }

    /**
     * Average = maximum degree = 11 with μ = 0 and communities of 10: no community can hold a node's 11 internal
     * stubs, so each node keeps the 9 its community can hold and its other 2 stubs become external (the degree is the
     * drawn one). Reference: the 120 external stubs are paired uniformly at random; a pair joins two communities
     * unless both stubs are in one community, probability 19/119, so about 60·100/119 ≈ 50 crossing edges are
     * expected (fewer only by the rare repeated pair), with a standard deviation of about √(60·0.84·0.16) ≈ 2.9; at
     * least 30 are required (7 standard deviations below).
     */
    @Test
    void lfrStubsACommunityCannotHoldBecomeExternal() {
        for (long seed = 1; seed <= 3; seed++) {
            RandomGraphs.Planted p = RandomGraphs.lfr(60, 11, 11, 2.5, 1.5, 0, 10, 10, seed);
            communitySizes(p.labels(), 6);
            double[] degree = p.graph().degrees();
            for (double d : degree) {
                assertTrue(d <= 11, "realised degrees never exceed the drawn 11: " + d);
            }
            int crossing = crossingEdges(p);
            assertTrue(crossing >= 30, "seed " + seed + ": crossing edges " + crossing);
        }
    }

    /**
     * Nodes are placed by decreasing internal degree, each into a community that can hold its internal stubs. With
     * 105 nodes and sizes drawn on [10, 10], the five surplus nodes are folded into communities 0–4, which get 11
     * places each (55), the others 10. Average degree 9.2 with maximum 10 and τ₁ = 2 draws degrees on [a, 10]
     * with a ≈ 8.48 (the mean of x^−2 there, ln(10/a)/(1/a − 1/10), is 9.2): P(x ≥ 9.5) = (1/9.5 − 1/10)/(1/a − 1/10)
     * ≈ 0.29 of them round to 10 (about 31 nodes, binomial standard deviation 4.7), the rest to 9. With μ = 0 a node of
     * degree 10 fits only a community of 11, one of degree 9 fits every community; since fewer than 55 nodes have
     * degree 10 (55 is 5 standard deviations above the mean), placing them first lets every node be held, so no
     * stub becomes external and no edge may join two communities. (Placing nodes in index order fills the 11-place
     * communities with nodes of degree 9 as well and leaves late nodes of degree 10 without room.)
     */
    @Test
    void lfrWithoutMixingKeepsEveryEdgeInsideWhenTheCommunitiesCanHoldEveryNode() {
        for (long seed = 1; seed <= 6; seed++) {
            RandomGraphs.Planted p = RandomGraphs.lfr(105, 9.2, 10, 2.0, 1.5, 0, 10, 10, seed);
            int[] sizes = communitySizes(p.labels(), 10);
            assertArrayEquals(new int[] {11, 11, 11, 11, 11, 10, 10, 10, 10, 10}, sizes);
            for (double d : p.graph().degrees()) {
                assertTrue(d <= 10, "realised degrees never exceed the drawn ones: " + d);
            }
            assertEquals(0, crossingEdges(p), "seed " + seed);
        }
    }
}
