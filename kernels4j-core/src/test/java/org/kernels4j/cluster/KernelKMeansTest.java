package org.kernels4j.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.LinearKernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.selection.ClusteringMetrics;

class KernelKMeansTest {

    @Test
    void recoversWellSeparatedBlobsWithAnRbfKernel() {
        Matrix x = ClusterData.blobs(3, 25, 3, 1);
        KernelKMeansModel m = KernelKMeans.builder(RbfKernel.withGamma(0.05)).clusters(3).restarts(3).seed(2).build()
                .fit(x);
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(ClusterData.planted(3, 25), m.labels()));
        assertEquals(3, m.clusters());
        assertEquals(3, m.features());
        // new points near each centre go to the cluster of that centre's training points
        Matrix fresh = ClusterData.blobs(3, 4, 3, 99);
        double[] predicted = m.predict(fresh).column(0);
        for (int i = 0; i < predicted.length; i++) {
            assertEquals(m.labels()[25 * (i / 4)], (int) predicted[i]);
        }
        assertEquals(3, m.report().number("restarts"));
        assertEquals(m.inertia(), m.report().number("inertia"));
    }

    @Test
    void recoversPlantedBlocksOfAGraphFromItsForestKernel() {
        Matrix a = ClusterData.plantedBlocks(3, 20, 0.7, 0.03, 4);
        Matrix k = ClusterData.forestKernel(a);
        int[] planted = ClusterData.planted(3, 20);
        KernelKMeansModel byInertia = KernelKMeans.builder().clusters(3).seed(1).build().fitKernelMatrix(k);
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(planted, byInertia.labels()));
        KernelKMeansModel byModularity = KernelKMeans.builder().clusters(3).seed(1).selectByModularity(a).build()
                .fitKernelMatrix(k);
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(planted, byModularity.labels()));
        assertEquals("modularity", byModularity.report().text("selected by"));
        double[] perRestart = byModularity.report().numbers("modularity per restart");
        double best = java.util.Arrays.stream(perRestart).max().getAsDouble();
        assertEquals(best, byModularity.report().number("modularity"));
        assertEquals(ClusteringMetrics.modularity(a, byModularity.labels()), best, 1e-15);
        // the kernel-matrix model predicts training points from their own kernel rows
        assertArrayEquals(byInertia.labels(), byInertia.predictFromKernelRows(k));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> byInertia.predict(new Matrix(1, 3)));
        assertTrue(e.getMessage().contains("predictFromKernelRows"), e.getMessage());
    }

    @Test
    void bestRestartByInertiaHasTheLeastInertia() {
        Matrix x = ClusterData.blobs(4, 10, 2, 8);
        KernelKMeansModel m = KernelKMeans.builder(RbfKernel.withGamma(0.01)).clusters(6).restarts(6).seed(3)
                .init(KernelKMeans.Init.RANDOM).build().fit(x);
        double[] inertias = m.report().numbers("inertia per restart");
        assertEquals(java.util.Arrays.stream(inertias).min().getAsDouble(), m.inertia());
        assertEquals(inertias[(int) m.report().number("best restart")], m.inertia());
        assertEquals("random", m.report().text("init"));
    }

    @Test
    void objectiveNeverIncreasesAndEqualsTheExplicitSumOfSquares() {
        // overlapping data, random centres and a linear kernel: several Lloyd and move passes
        Random r = new Random(6);
        Matrix x = new Matrix(120, 2);
        for (int i = 0; i < 120; i++) {
            x.set(i, 0, r.nextGaussian());
            x.set(i, 1, r.nextGaussian() * 2);
        }
        for (long seed = 0; seed < 5; seed++) {
            KernelKMeansModel m = KernelKMeans.builder(new LinearKernel()).clusters(5).restarts(1)
                    .init(KernelKMeans.Init.RANDOM).seed(seed).build().fit(x);
            double[] history = m.report().numbers("objective history");
            assertTrue(history.length >= 3, "too few passes to test: " + history.length);
            for (int t = 1; t < history.length; t++) {
                assertTrue(history[t] <= history[t - 1] * (1 + 1e-12), "J rose at pass " + t + ": "
                        + java.util.Arrays.toString(history));
            }
            assertEquals(ClusterData.withinSumOfSquares(x, m.labels()), m.inertia(), 1e-9 * m.inertia());
            assertEquals(history[history.length - 1], m.inertia(), 1e-9 * m.inertia());
        }
    }

    @Test
    void singleNodeMoveCostEqualsTheBruteForceObjectiveChange() {
        Random r = new Random(2);
        Matrix x = new Matrix(14, 3);
        for (int i = 0; i < 14; i++) {
            for (int a = 0; a < 3; a++) {
                x.set(i, a, r.nextGaussian());
            }
        }
        int[] labels = new int[14];
        for (int i = 0; i < 14; i++) {
            labels[i] = i % 4; // every cluster has 3 or 4 points
        }
        labels[13] = 3;
        labels[12] = 3; // cluster 3: {3, 7, 11, 12, 13}; cluster 0: {0, 4, 8}
        for (Geometry g : new Geometry[] {new Geometry.Kernel(ClusterData.linearGram(x)), new Geometry.Features(x)}) {
            g.reset(labels.clone(), 4);
            double before = ClusterData.withinSumOfSquares(x, labels);
            assertEquals(before, g.objective(), 1e-10);
            for (int i = 0; i < 14; i++) {
                for (int c = 0; c < 4; c++) {
                    if (c == labels[i]) {
                        continue;
                    }
                    int[] moved = labels.clone();
                    moved[i] = c;
                    double delta = ClusterData.withinSumOfSquares(x, moved) - before;
                    assertEquals(delta, g.moveCost(i, c), 1e-10, "point " + i + " to " + c);
                }
            }
            // applying a move keeps the O(n) updated sums equal to a recount
            g.move(0, 2);
            labels[0] = 2;
            assertEquals(ClusterData.withinSumOfSquares(x, labels), g.objective(), 1e-10);
            labels[0] = 0;
        }
    }

    @Test
    void aPointAloneInItsClusterNeverMoves() {
        Matrix x = Matrix.of(new double[][] {{0}, {1}, {5}});
        Geometry g = new Geometry.Features(x);
        g.reset(new int[] {0, 0, 1}, 2);
        assertEquals(Double.POSITIVE_INFINITY, g.moveCost(2, 0));
    }

    /** Lloyd's algorithm on the points themselves, written out: assign to the nearest mean, recompute means. */
    private static int[] lloyd(Matrix x, int[] centres, int maxIterations) {
        int n = x.rows();
        int k = centres.length;
        int d = x.cols();
        double[][] mean = new double[k][];
        for (int c = 0; c < k; c++) {
            mean[c] = x.row(centres[c]);
        }
        int[] labels = new int[n];
        java.util.Arrays.fill(labels, -1);
        for (int it = 0; it <= maxIterations; it++) {
            boolean changed = false;
            for (int i = 0; i < n; i++) {
                int best = 0;
                double bestD = Double.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    double s = 0;
                    for (int a = 0; a < d; a++) {
                        s += (x.get(i, a) - mean[c][a]) * (x.get(i, a) - mean[c][a]);
                    }
                    if (s < bestD) {
                        bestD = s;
                        best = c;
                    }
                }
                changed |= best != labels[i];
                labels[i] = best;
            }
            if (!changed) {
                break;
            }
            for (int c = 0; c < k; c++) {
                java.util.Arrays.fill(mean[c], 0);
                int count = 0;
                for (int i = 0; i < n; i++) {
                    if (labels[i] == c) {
                        count++;
                        for (int a = 0; a < d; a++) {
                            mean[c][a] += x.get(i, a);
                        }
                    }
                }
                for (int a = 0; a < d; a++) {
                    mean[c][a] /= count;
                }
            }
        }
        return labels;
    }

    @Test
    void withALinearKernelKernelKMeansIsLloydOnThePoints() {
        Random r = new Random(9);
        Matrix x = new Matrix(80, 2);
        for (int i = 0; i < 80; i++) {
            x.set(i, 0, r.nextGaussian() + (i % 3) * 1.5);
            x.set(i, 1, r.nextGaussian());
        }
        for (int trial = 0; trial < 4; trial++) {
            int[] centres = KMeansRun.randomCentres(80, 4, new Random(trial));
            int[] expected = lloyd(x, centres, 300);
            KMeansRun onKernel = KMeansRun.runFrom(new Geometry.Kernel(ClusterData.linearGram(x)), 4, centres, 300,
                    false);
            KMeansRun onFeatures = KMeansRun.runFrom(new Geometry.Features(x), 4, centres, 300, false);
            assertArrayEquals(expected, onKernel.labels);
            assertArrayEquals(expected, onFeatures.labels);
            assertEquals(ClusterData.withinSumOfSquares(x, expected), onKernel.objective, 1e-9);
            // single-node moves then never end worse than Lloyd from the same start
            KMeansRun moved = KMeansRun.runFrom(new Geometry.Kernel(ClusterData.linearGram(x)), 4, centres, 300, true);
            assertTrue(moved.objective <= onKernel.objective * (1 + 1e-12));
        }
    }

    @Test
    void kMeansPlusPlusNeverPicksAPointTwiceAndFavoursFarPoints() {
        // 30 copies of the origin and one far point: with k = 2 the far point is the second centre
        // unless it was the first (its squared distance carries all the weight)
        Matrix x = new Matrix(31, 1);
        x.set(30, 0, 100);
        for (long seed = 0; seed < 20; seed++) {
            int[] c = KMeansRun.kMeansPlusPlus(new Geometry.Features(x), 2, new Random(seed));
            assertTrue(c[0] == 30 || c[1] == 30, java.util.Arrays.toString(c));
            assertFalse(c[0] == c[1]);
        }
        // all points equal: still k distinct centres and k non-empty clusters
        Matrix same = new Matrix(5, 2);
        KernelKMeansModel m = KernelKMeans.builder(new LinearKernel()).clusters(5).restarts(1).build().fit(same);
        assertEquals(5, java.util.Arrays.stream(m.labels()).distinct().count());
    }

    @Test
    void emptyClustersGetTheFarthestPoints() {
        int[] labels = {0, 0, 0, 0, 1};
        double[] distance = {1, 9, 4, 7, 0};
        KMeansRun.fillEmptyClusters(labels, distance, 4);
        assertArrayEquals(new int[] {0, 2, 0, 3, 1}, labels);
    }

    @Test
    void nystromVariantRecoversBlobsAndPredicts() {
        Matrix x = ClusterData.blobs(3, 30, 4, 12);
        KernelKMeansModel m = KernelKMeans.builder(RbfKernel.withGamma(0.02)).clusters(3).nystrom(20).restarts(3)
                .seed(5).build().fit(x);
        assertTrue(m.isNystrom());
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(ClusterData.planted(3, 30), m.labels()));
        double[] again = m.predict(x).column(0);
        for (int i = 0; i < again.length; i++) {
            assertEquals(m.labels()[i], (int) again[i]);
        }
        assertEquals(20, m.report().number("nystrom landmarks"));
        assertThrows(Kernels4jException.class, () -> m.predictFromKernelRows(new Matrix(1, 90)));
    }

    @Test
    void nystromOverEveryPointEqualsTheExactObjective() {
        // with all n points as landmarks and a non-singular K, Φ·Φᵀ = K: same J for the same labels
        Matrix x = ClusterData.blobs(2, 12, 2, 3);
        RbfKernel kernel = RbfKernel.withGamma(0.3);
        KernelKMeansModel approx = KernelKMeans.builder(kernel).clusters(4).nystrom(24).restarts(2).seed(1).build()
                .fit(x);
        Matrix k = org.kernels4j.gram.GramEngine.gram(kernel, x);
        Geometry.Kernel g = new Geometry.Kernel(k);
        g.reset(approx.labels(), 4);
        assertEquals(g.objective(), approx.inertia(), 1e-8);
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        Matrix x = ClusterData.blobs(2, 3, 2, 1);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> KernelKMeans.builder(new LinearKernel()).clusters(7).build().fit(x));
        assertTrue(e.getMessage().contains("7 clusters of 6 points"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelKMeans.builder().clusters(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> KernelKMeans.builder().clusters(-2));
        e = assertThrows(Kernels4jException.class, () -> KernelKMeans.builder().build());
        assertTrue(e.getMessage().contains("clusters(k)"), e.getMessage());
        KernelKMeans est = KernelKMeans.builder().clusters(2).build();
        e = assertThrows(Kernels4jException.class, () -> est.fitKernelMatrix(new Matrix(3, 4)));
        assertTrue(e.getMessage().contains("square"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> est.fitKernelMatrix(Matrix.of(new double[][] {{1, 0.5}, {0.2, 1}})));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> est.fitKernelMatrix(Matrix.of(new double[][] {{1, Double.NaN}, {Double.NaN, 1}})));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> est.fit(x));
        assertTrue(e.getMessage().contains("fitKernelMatrix"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelKMeans.builder().clusters(2).nystrom(5).build());
        assertTrue(e.getMessage().contains("kernel"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> KernelKMeans.builder(new LinearKernel()).clusters(2).nystrom(9).build().fit(x));
        assertTrue(e.getMessage().contains("9 Nystrom landmarks from 6"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> KernelKMeans.builder().clusters(2)
                .selectByModularity(new Matrix(4, 4)).build().fitKernelMatrix(Matrix.identity(3)));
        assertTrue(e.getMessage().contains("4 nodes but there are 3 points"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> KernelKMeans.builder().restarts(0));
        assertThrows(Kernels4jException.class, () -> KernelKMeans.builder().maxIterations(0));
        assertEquals(KernelKMeans.Init.KMEANS_PLUS_PLUS, KernelKMeans.Init.parse("k-means++"));
        assertThrows(Kernels4jException.class, () -> KernelKMeans.Init.parse("forgy"));
    }

    @Test
    void sameSeedSameResult() {
        Matrix x = ClusterData.blobs(3, 15, 2, 7);
        KernelKMeans est = KernelKMeans.builder(RbfKernel.withGamma(0.001)).clusters(5).seed(42).build();
        assertArrayEquals(est.fit(x).labels(), est.fit(x).labels());
    }

    @Test
    void predictionIsTheNearestCentroidInFeatureSpace() {
        // linear kernel: the feature space is R^d itself, so the centroids are plain means; clusters of
        // unequal sizes make the h_cᵀKh_c / n_c² term matter
        Random r = new Random(31);
        Matrix x = new Matrix(40, 2);
        for (int i = 0; i < 40; i++) {
            x.set(i, 0, r.nextGaussian() + (i < 28 ? 0 : 3));
            x.set(i, 1, r.nextGaussian());
        }
        KernelKMeansModel m = KernelKMeans.builder(new LinearKernel()).clusters(3).seed(4).build().fit(x);
        int[] labels = m.labels();
        double[][] mean = new double[3][2];
        int[] count = new int[3];
        for (int i = 0; i < 40; i++) {
            count[labels[i]]++;
            mean[labels[i]][0] += x.get(i, 0);
            mean[labels[i]][1] += x.get(i, 1);
        }
        Matrix fresh = new Matrix(200, 2);
        for (int i = 0; i < 200; i++) {
            fresh.set(i, 0, 6 * r.nextDouble() - 2);
            fresh.set(i, 1, 6 * r.nextDouble() - 3);
        }
        double[] predicted = m.predict(fresh).column(0);
        for (int i = 0; i < 200; i++) {
            int best = -1;
            double bestD = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 3; c++) {
                double dx = fresh.get(i, 0) - mean[c][0] / count[c];
                double dy = fresh.get(i, 1) - mean[c][1] / count[c];
                if (dx * dx + dy * dy < bestD) {
                    bestD = dx * dx + dy * dy;
                    best = c;
                }
            }
            assertEquals(best, (int) predicted[i], "point " + i);
        }
        // the same from kernel rows on a kernel-matrix fit with the same labels
        KernelKMeansModel onMatrix = KernelKMeans.builder().clusters(3).seed(4).build()
                .fitKernelMatrix(ClusterData.linearGram(x));
        assertArrayEquals(labels, onMatrix.labels());
        int[] fromRows = onMatrix.predictFromKernelRows(fresh.times(x.transpose()));
        for (int i = 0; i < 200; i++) {
            assertEquals((int) predicted[i], fromRows[i]);
        }
        assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(2, 3)));
        assertThrows(Kernels4jException.class, () -> onMatrix.predictFromKernelRows(new Matrix(2, 39)));
    }

    @Test
    void defaultsAreKMeansPlusPlusTenRestartsAndSingleNodeMoves() {
        Matrix x = ClusterData.blobs(2, 10, 2, 3);
        KernelKMeansModel m = KernelKMeans.builder(new LinearKernel()).clusters(2).build().fit(x);
        assertEquals("kmeans++", m.report().text("init"));
        assertEquals(10, m.report().number("restarts"));
        assertEquals(10, m.report().numbers("inertia per restart").length);
        assertEquals("inertia", m.report().text("selected by"));
        // seed 0 by default: the same as asking for it
        assertArrayEquals(m.labels(), KernelKMeans.builder(new LinearKernel()).clusters(2).seed(0).build().fit(x)
                .labels());
        // one Lloyd pass at most when maxIterations is 1
        Random r = new Random(8);
        Matrix noise = new Matrix(60, 2);
        for (int i = 0; i < 60; i++) {
            noise.set(i, 0, r.nextGaussian());
            noise.set(i, 1, r.nextGaussian());
        }
        KernelKMeansModel one = KernelKMeans.builder(new LinearKernel()).clusters(6).maxIterations(1).restarts(1)
                .init(KernelKMeans.Init.RANDOM).singleNodeMoves(false).build().fit(noise);
        assertEquals(1, one.report().number("lloyd passes"));
        assertEquals(0, one.report().number("move passes"));
        KernelKMeansModel full = KernelKMeans.builder(new LinearKernel()).clusters(6).restarts(1)
                .init(KernelKMeans.Init.RANDOM).build().fit(noise);
        assertTrue(full.report().number("lloyd passes") > 1);
    }
}
