package org.kernels4j.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.LinearKernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.selection.ClusteringMetrics;

class KernelWardTest {

    /**
     * Greedy Ward on explicit feature rows, by brute force: at each step try every pair of current
     * clusters, score the merge by the change of the within-cluster sum of squares, merge the cheapest.
     * Returns the costs in order and checks each partition against the model's cut.
     */
    private static void assertGreedyBruteForce(Matrix features, KernelWardModel model) {
        int n = features.rows();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i;
        }
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            alive.add(i);
        }
        for (int step = 0; step < n - 1; step++) {
            double before = ClusterData.withinSumOfSquares(features, dense(labels));
            double best = Double.POSITIVE_INFINITY;
            int bestA = -1;
            int bestB = -1;
            for (int a = 0; a < alive.size(); a++) {
                for (int b = a + 1; b < alive.size(); b++) {
                    int[] merged = merge(labels, alive.get(a), alive.get(b));
                    double delta = ClusterData.withinSumOfSquares(features, dense(merged)) - before;
                    if (delta < best) {
                        best = delta;
                        bestA = a;
                        bestB = b;
                    }
                }
            }
            labels = merge(labels, alive.get(bestA), alive.get(bestB));
            alive.remove(bestB);
            assertEquals(best, model.merges().get(step).cost(), 1e-9 * (1 + Math.abs(best)), "merge " + step);
            assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(labels, model.cut(n - step - 1)),
                    "cut after " + step);
        }
    }

    private static int[] merge(int[] labels, int a, int b) {
        int[] out = labels.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == b) {
                out[i] = a;
            }
        }
        return out;
    }

    private static int[] dense(int[] labels) {
        int[] out = new int[labels.length];
        java.util.Map<Integer, Integer> names = new java.util.HashMap<>();
        for (int i = 0; i < labels.length; i++) {
            out[i] = names.computeIfAbsent(labels[i], k -> names.size());
        }
        return out;
    }

    private static Matrix randomPoints(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < d; a++) {
                x.set(i, a, r.nextGaussian() + (i % 3));
            }
        }
        return x;
    }

    @Test
    void mergeCostsEqualTheBruteForceChangeOfTheSumOfSquaresWithALinearKernel() {
        Matrix x = randomPoints(18, 3, 1);
        KernelWardModel m = KernelWard.builder(new LinearKernel()).clusters(3).build().fit(x);
        assertGreedyBruteForce(x, m);
        assertEquals(ClusterData.withinSumOfSquares(x, m.labels()), m.objective(), 1e-9);
    }

    @Test
    void mergeCostsEqualTheBruteForceChangeInTheRbfFeatureSpace() {
        Matrix x = randomPoints(16, 2, 2);
        Matrix k = GramEngine.gram(RbfKernel.withGamma(0.4), x);
        Matrix features; // K = LLᵀ: the rows of L are explicit features of the kernel
        try (Cholesky c = Cholesky.factor(k, "K")) {
            features = c.lower();
        }
        KernelWardModel m = KernelWard.builder().clusters(4).build().fitKernelMatrix(k);
        assertGreedyBruteForce(features, m);
        assertEquals(ClusterData.withinSumOfSquares(features, m.labels()), m.objective(), 1e-9);
        assertEquals(m.objective(), m.report().number("objective"));
    }

    @Test
    void treeIsWellFormed() {
        Matrix x = randomPoints(25, 2, 3);
        KernelWardModel m = KernelWard.builder(new LinearKernel()).clusters(2).build().fit(x);
        int n = 25;
        assertEquals(n - 1, m.merges().size());
        boolean[] used = new boolean[2 * n - 1];
        int[] size = new int[2 * n - 1];
        java.util.Arrays.fill(size, 0, n, 1);
        for (int s = 0; s < n - 1; s++) {
            KernelWardModel.Merge g = m.merges().get(s);
            assertTrue(g.left() < g.right() && g.right() < n + s, g.toString());
            assertTrue(!used[g.left()] && !used[g.right()], "a cluster merged twice: " + g);
            used[g.left()] = true;
            used[g.right()] = true;
            size[n + s] = size[g.left()] + size[g.right()];
            assertEquals(size[n + s], g.size());
            assertTrue(s == 0 || g.cost() >= m.merges().get(s - 1).cost());
        }
        assertEquals(n, m.merges().get(n - 2).size());
        assertArrayEquals(new int[n], m.cut(1));
        int[] singletons = m.cut(n);
        for (int i = 0; i < n; i++) {
            assertEquals(i, singletons[i]);
        }
        assertArrayEquals(m.labels(), m.cut(2));
    }

    @Test
    void recoversBlobsAndPlantedGraphBlocks() {
        Matrix x = ClusterData.blobs(3, 20, 2, 4);
        KernelWardModel m = KernelWard.builder(RbfKernel.withGamma(0.05)).clusters(3).build().fit(x);
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(ClusterData.planted(3, 20), m.labels()));
        double[] again = m.predict(x).column(0);
        for (int i = 0; i < again.length; i++) {
            assertEquals(m.labels()[i], (int) again[i]);
        }
        Matrix a = ClusterData.plantedBlocks(4, 15, 0.7, 0.02, 9);
        KernelWardModel g = KernelWard.builder().clusters(4).build().fitKernelMatrix(ClusterData.forestKernel(a));
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(ClusterData.planted(4, 15), g.labels()));
        assertArrayEquals(g.labels(), g.predictFromKernelRows(ClusterData.forestKernel(a)));
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> KernelWard.builder().clusters(5).build().fitKernelMatrix(Matrix.identity(3)));
        assertTrue(e.getMessage().contains("5 clusters of 3 points"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelWard.builder().clusters(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelWard.builder().build());
        assertTrue(e.getMessage().contains("clusters(m)"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> KernelWard.builder().clusters(1).build()
                        .fitKernelMatrix(Matrix.of(new double[][] {{1, 2}, {3, 1}})));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        KernelWardModel m = KernelWard.builder().clusters(1).build().fitKernelMatrix(Matrix.identity(3));
        e = assertThrows(Kernels4jException.class, () -> m.cut(4));
        assertTrue(e.getMessage().contains("into 4 clusters"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> m.cut(0));
        e = assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(1, 2)));
        assertTrue(e.getMessage().contains("predictFromKernelRows"), e.getMessage());
    }
}
