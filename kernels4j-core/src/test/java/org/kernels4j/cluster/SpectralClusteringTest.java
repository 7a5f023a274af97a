package org.kernels4j.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.selection.ClusteringMetrics;

class SpectralClusteringTest {

    @Test
    void topEigenpairsSatisfyTheEigenEquationAndMatchTheFullDecomposition() {
        Random r = new Random(4);
        int n = 30;
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextGaussian();
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        SymmetricEigen top = SymmetricEigen.range(a, n - 3, n); // the 4 largest
        double[] all = SymmetricEigen.of(a).values();
        for (int c = 0; c < 4; c++) {
            assertEquals(all[n - 4 + c], top.value(c), 1e-10);
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a.get(i, j) * top.vectors().get(j, c);
                }
                assertEquals(top.value(c) * top.vectors().get(i, c), av, 1e-9);
                norm += top.vectors().get(i, c) * top.vectors().get(i, c);
            }
            assertEquals(1, norm, 1e-12);
        }
        SymmetricEigen bottom = SymmetricEigen.range(a, 1, 2);
        assertEquals(all[0], bottom.value(0), 1e-10);
        assertEquals(all[1], bottom.value(1), 1e-10);
    }

    @Test
    void eigenvaluesAreThoseOfTheNormalisedAffinityWithoutItsDiagonal() {
        Matrix x = ClusterData.blobs(3, 10, 2, 5);
        Matrix w = GramEngine.gram(RbfKernel.withGamma(0.05), x);
        int n = w.rows();
        Matrix m = new Matrix(n, n);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                d[i] += i == j ? 0 : w.get(i, j);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                m.set(i, j, i == j ? 0 : w.get(i, j) / Math.sqrt(d[i] * d[j]));
            }
        }
        double[] all = SymmetricEigen.of(m).values();
        SpectralClusteringModel model = SpectralClustering.builder().clusters(3).build().fitAffinity(w);
        assertArrayEquals(new double[] {all[n - 1], all[n - 2], all[n - 3]}, model.eigenvalues(), 1e-10);
        assertEquals(all[n - 4], model.report().number("next eigenvalue"), 1e-10);
        assertEquals(1.0, model.eigenvalues()[0], 1e-12); // the constant-degree vector D^½·1
    }

    @Test
    void recoversBlobsWithEveryLaplacianAndPredictsNewPoints() {
        Matrix x = ClusterData.blobs(3, 20, 3, 2);
        Matrix fresh = ClusterData.blobs(3, 3, 3, 77);
        for (SpectralClustering.Laplacian l : SpectralClustering.Laplacian.values()) {
            SpectralClusteringModel m = SpectralClustering.builder(RbfKernel.withGamma(0.05)).clusters(3).laplacian(l)
                    .seed(1).build().fit(x);
            assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(ClusterData.planted(3, 20), m.labels()), l.name());
            double[] p = m.predict(fresh).column(0);
            for (int i = 0; i < p.length; i++) {
                assertEquals(m.labels()[20 * (i / 3)], (int) p[i], l + " point " + i);
            }
            assertFalse(m.report().has("warning"));
        }
    }

    @Test
    void theExtensionOfATrainingPointIsItsOwnEmbeddingRow() {
        // with the self-affinity removed, the Nyström extension of x_i reproduces row i exactly
        // (M·v = λ·v, D⁻¹W·u = λ·u, W·u = (D − λ)·u), so every training point keeps its label
        Matrix a = ClusterData.plantedBlocks(3, 12, 0.6, 0.1, 21);
        for (SpectralClustering.Laplacian l : SpectralClustering.Laplacian.values()) {
            SpectralClusteringModel m = SpectralClustering.builder().clusters(3).laplacian(l).build().fitAffinity(a);
            assertArrayEquals(m.labels(), m.predictFromAffinityRows(a), l.name());
        }
    }

    @Test
    void recoversPlantedGraphBlocks() {
        Matrix a = ClusterData.plantedBlocks(4, 15, 0.6, 0.03, 13);
        SpectralClusteringModel m = SpectralClustering.builder().clusters(4).seed(3).build().fitAffinity(a);
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(ClusterData.planted(4, 15), m.labels()));
        assertEquals("symmetric", m.report().text("laplacian"));
        assertEquals(10, m.report().number("restarts"));
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(1, 2)));
        assertTrue(e.getMessage().contains("predictFromAffinityRows"), e.getMessage());
    }

    @Test
    void moreComponentsThanClustersIsReportedNotFatal() {
        Matrix a = ClusterData.plantedBlocks(3, 6, 1.0, 0.0, 1); // three disjoint 6-cliques
        for (SpectralClustering.Laplacian l : SpectralClustering.Laplacian.values()) {
            SpectralClusteringModel two = SpectralClustering.builder().clusters(2).laplacian(l).build().fitAffinity(a);
            assertTrue(two.report().text("warning").contains("more than 2 connected components"), l.name());
            SpectralClusteringModel three = SpectralClustering.builder().clusters(3).laplacian(l).build()
                    .fitAffinity(a);
            assertFalse(three.report().has("warning"), l.name());
            assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(ClusterData.planted(3, 6), three.labels()), l.name());
        }
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        SpectralClustering est = SpectralClustering.builder().clusters(2).build();
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> est.fitAffinity(Matrix.of(new double[][] {{0, -1, 1}, {-1, 0, 1}, {1, 1, 0}})));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> est.fitAffinity(Matrix.of(new double[][] {{0, 1, 0}, {1, 0, 0}, {0, 0, 5}})));
        assertTrue(e.getMessage().contains("point 2 has no affinity"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> SpectralClustering.builder().clusters(4).build().fitAffinity(Matrix.identity(3)));
        assertTrue(e.getMessage().contains("4 clusters of 3 points"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> est.fitAffinity(Matrix.of(new double[][] {{0, 1}, {2, 0}})));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> SpectralClustering.builder().clusters(0));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> est.fit(new Matrix(3, 2)));
        assertTrue(e.getMessage().contains("fitAffinity"), e.getMessage());
        assertEquals(SpectralClustering.Laplacian.RANDOM_WALK, SpectralClustering.Laplacian.parse("rw"));
        assertThrows(Kernels4jException.class, () -> SpectralClustering.Laplacian.parse("signless"));
    }
}
