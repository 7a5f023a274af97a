package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

class ClusteringMetricsTest {

    /** ARI by pair counting (a: together in both, b: only in u, c: only in v, d: apart in both). */
    private static double pairCountingAri(int[] u, int[] v) {
        double a = 0;
        double b = 0;
        double c = 0;
        double d = 0;
        for (int i = 0; i < u.length; i++) {
            for (int j = i + 1; j < u.length; j++) {
                boolean su = u[i] == u[j];
                boolean sv = v[i] == v[j];
                if (su && sv) {
                    a++;
                } else if (su) {
                    b++;
                } else if (sv) {
                    c++;
                } else {
                    d++;
                }
            }
        }
        return 2 * (a * d - b * c) / ((a + b) * (b + d) + (a + c) * (c + d));
    }

    private static double entropy(Map<String, Integer> counts, int n) {
        double h = 0;
        for (int c : counts.values()) {
            h -= c / (double) n * Math.log(c / (double) n);
        }
        return h;
    }

    /** NMI as (H(u) + H(v) − H(u, v)) / ((H(u) + H(v))/2), from joint and marginal counts. */
    private static double entropyNmi(int[] u, int[] v) {
        Map<String, Integer> cu = new HashMap<>();
        Map<String, Integer> cv = new HashMap<>();
        Map<String, Integer> joint = new HashMap<>();
        for (int i = 0; i < u.length; i++) {
            cu.merge("" + u[i], 1, Integer::sum);
            cv.merge("" + v[i], 1, Integer::sum);
            joint.merge(u[i] + "," + v[i], 1, Integer::sum);
        }
        double hu = entropy(cu, u.length);
        double hv = entropy(cv, u.length);
        return (hu + hv - entropy(joint, u.length)) / (0.5 * (hu + hv));
    }

    @Test
    void smallPartitionsMatchTheTextbookFormulas() {
        int[] u = {0, 0, 0, 1, 1, 1, 2, 2};
        int[] v = {5, 5, 7, 7, 7, 9, 9, 9};
        // contingency by hand: rows {0:[2,1,0], 1:[0,2,1], 2:[0,0,2]}; Σ C(n_ij,2) = 1+1+1 = 3,
        // rows C(3,2)+C(3,2)+C(2,2) = 7, columns C(2,2)+C(3,2)+C(3,2) = 7, C(8,2) = 28
        double expected = 7 * 7 / 28.0;
        double handAri = (3 - expected) / (7 - expected);
        assertEquals(handAri, ClusteringMetrics.adjustedRandIndex(u, v), 1e-14);
        assertEquals(pairCountingAri(u, v), ClusteringMetrics.adjustedRandIndex(u, v), 1e-14);
        assertEquals(entropyNmi(u, v), ClusteringMetrics.normalizedMutualInformation(u, v), 1e-14);
        Random r = new Random(3);
        for (int t = 0; t < 20; t++) {
            int n = 5 + r.nextInt(30);
            int[] a = new int[n];
            int[] b = new int[n];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(1 + t % 4) * 3 - 2;
                b[i] = r.nextInt(2 + t % 3);
            }
            if (java.util.Arrays.stream(a).distinct().count() > 1) {
                assertEquals(pairCountingAri(a, b), ClusteringMetrics.adjustedRandIndex(a, b), 1e-12);
                assertEquals(entropyNmi(a, b), ClusteringMetrics.normalizedMutualInformation(a, b), 1e-12);
            }
        }
    }

    @Test
    void identicalAndRenamedPartitionsScoreOne() {
        int[] u = {0, 0, 1, 1, 2, 2, 2};
        int[] renamed = {4, 4, -1, -1, 0, 0, 0};
        assertEquals(1, ClusteringMetrics.adjustedRandIndex(u, u), 1e-15);
        assertEquals(1, ClusteringMetrics.adjustedRandIndex(u, renamed), 1e-15);
        assertEquals(1, ClusteringMetrics.normalizedMutualInformation(u, renamed), 1e-15);
        // both one cluster: scikit-learn's convention, 1 for both scores
        assertEquals(1, ClusteringMetrics.adjustedRandIndex(new int[] {3, 3, 3}, new int[] {1, 1, 1}));
        assertEquals(1, ClusteringMetrics.normalizedMutualInformation(new int[] {3, 3, 3}, new int[] {1, 1, 1}));
        // one cluster against singletons: no agreement beyond chance
        assertEquals(0, ClusteringMetrics.adjustedRandIndex(new int[] {0, 0, 0}, new int[] {0, 1, 2}), 1e-15);
        assertEquals(0, ClusteringMetrics.normalizedMutualInformation(new int[] {0, 0, 0}, new int[] {0, 1, 2}), 1e-15);
    }

    @Test
    void randomLabelsHaveZeroExpectedAri() {
        // under random permutations of one labelling the ARI has expectation exactly 0 (hypergeometric model)
        int[] u = new int[40];
        for (int i = 0; i < u.length; i++) {
            u[i] = i % 3;
        }
        Random r = new Random(11);
        int trials = 2000;
        double sum = 0;
        double sumSq = 0;
        for (int t = 0; t < trials; t++) {
            int[] v = u.clone();
            for (int i = v.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int s = v[i];
                v[i] = v[j];
                v[j] = s;
            }
            double a = ClusteringMetrics.adjustedRandIndex(u, v);
            sum += a;
            sumSq += a * a;
        }
        double mean = sum / trials;
        double se = Math.sqrt((sumSq / trials - mean * mean) / trials);
        assertTrue(se > 0);
        assertEquals(0, mean, 4 * se);
    }

    @Test
    void modularityOfTwoCliquesJoinedByOneEdge() {
        // two 4-cliques {0..3}, {4..7} and the edge 3–4: 13 edges, 2m = 26; each half has 6 inner edges
        // and degree sum 13, so Q = 2·(6/13 − (13/26)²) = 12/13 − 1/2
        Matrix a = new Matrix(8, 8);
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    if (i != j) {
                        a.set(4 * h + i, 4 * h + j, 1);
                    }
                }
            }
        }
        a.set(3, 4, 1);
        a.set(4, 3, 1);
        assertEquals(12 / 13.0 - 0.5, ClusteringMetrics.modularity(a, new int[] {0, 0, 0, 0, 1, 1, 1, 1}), 1e-14);
        assertEquals(0, ClusteringMetrics.modularity(a, new int[8]), 1e-14);
    }

    @Test
    void modularityEqualsNewmansDoubleSumOnAWeightedGraph() {
        Random r = new Random(5);
        int n = 12;
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double w = r.nextDouble() < 0.5 ? 0 : r.nextDouble() * 3;
                a.set(i, j, w);
                a.set(j, i, w);
            }
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3) + 10;
        }
        double[] k = new double[n];
        double twoM = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i] += a.get(i, j);
                twoM += a.get(i, j);
            }
        }
        double q = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q += labels[i] == labels[j] ? a.get(i, j) - k[i] * k[j] / twoM : 0;
            }
        }
        assertEquals(q / twoM, ClusteringMetrics.modularity(a, labels), 1e-14);
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> ClusteringMetrics.adjustedRandIndex(new int[3], new int[2]));
        assertTrue(e.getMessage().contains("3 and 2"), e.getMessage());
        assertThrows(Kernels4jException.class,
                () -> ClusteringMetrics.normalizedMutualInformation(new int[0], new int[0]));
        Matrix neg = Matrix.of(new double[][] {{0, -1}, {-1, 0}});
        e = assertThrows(Kernels4jException.class, () -> ClusteringMetrics.modularity(neg, new int[2]));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
        // rounding-level asymmetry is accepted, a directed edge is not
        assertEquals(-0.5, ClusteringMetrics.modularity(Matrix.of(new double[][] {{0, 1}, {1 + 1e-14, 0}}),
                new int[] {0, 1}), 1e-12);
        Matrix asym = Matrix.of(new double[][] {{0, 1}, {2, 0}});
        e = assertThrows(Kernels4jException.class, () -> ClusteringMetrics.modularity(asym, new int[2]));
        assertTrue(e.getMessage().contains("symmetric"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> ClusteringMetrics.modularity(new Matrix(2, 2), new int[2]));
        assertTrue(e.getMessage().contains("without edges"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> ClusteringMetrics.modularity(new Matrix(2, 3), new int[2]));
        assertThrows(Kernels4jException.class, () -> ClusteringMetrics.modularity(new Matrix(2, 2), new int[3]));
    }
}
