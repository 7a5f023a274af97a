package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.linalg.Matrix;

/** The kNN graph's union rule for k &gt; 1, by hand on a line and by brute force on random points. */
class NearestNeighborGraphTest {
    @Test
    void unionRuleWithTwoNeighboursOnALine() {
        // points 0, 1, 3, 7, 15; the two nearest of each (by hand): 0 → {1, 3}, 1 → {0, 3}, 3 → {1, 0},
        // 7 → {3, 1}, 15 → {7, 3}. Union: 0–1, 0–3, 1–3, 1–7, 3–7, 3–15, 7–15 (7 edges); 1–7, 3–15 and 7–15 are
        // chosen by one side only; 0–7, 0–15, 1–15 by neither.
        Matrix x = Matrix.of(new double[][] {{0}, {1}, {3}, {7}, {15}});
        double h = 3.0;
        Graph g = NearestNeighborGraph.gaussian(x, 2, h);
        double[] p = {0, 1, 3, 7, 15};
        int[][] edges = {{0, 1}, {0, 3}, {1, 3}, {1, 7}, {3, 7}, {3, 15}, {7, 15}};
        Matrix expected = new Matrix(5, 5);
        for (int[] e : edges) {
            int i = index(p, e[0]);
            int j = index(p, e[1]);
            double d = e[1] - e[0];
            expected.set(i, j, Math.exp(-d * d / (2 * h * h)));
            expected.set(j, i, Math.exp(-d * d / (2 * h * h)));
        }
        assertEquals(7, g.edgeCount());
        for (int i = 0; i < 5; i++) {
            assertEquals(String.valueOf(i), g.name(i));
            for (int j = 0; j < 5; j++) {
                assertEquals(expected.get(i, j), g.weight(i, j), 1e-15, "(" + p[i] + ", " + p[j] + ")");
            }
        }
        // automatic bandwidth: 2nd-neighbour distances 3, 2, 3, 6, 12 → median 3, the h above
        Graph auto = NearestNeighborGraph.gaussian(x, 2, 0);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(expected.get(i, j), auto.weight(i, j), 1e-15);
            }
        }
    }

    @Test
    void unionRuleMatchesBruteForceOnRandomPoints() {
        Random r = new Random(17);
        int n = 40;
        int d = 3;
        int k = 4;
        double h = 0.7;
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                x.set(i, c, r.nextGaussian());
            }
        }
        Graph g = NearestNeighborGraph.gaussian(x, k, h);
        // reference: j is among i's k nearest iff fewer than k other points are strictly closer to i
        // (continuous random points: no ties)
        boolean[][] chosen = new boolean[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                int closer = 0;
                for (int q = 0; q < n; q++) {
                    if (q != i && q != j && squared(x, i, q) < squared(x, i, j)) {
                        closer++;
                    }
                }
                chosen[i][j] = closer < k;
            }
        }
        int edges = 0;
        int oneSided = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                boolean edge = chosen[i][j] || chosen[j][i];
                double w = edge ? Math.exp(-squared(x, i, j) / (2 * h * h)) : 0;
                assertEquals(w, g.weight(i, j), 1e-14, "(" + i + ", " + j + ")");
                if (edge && i < j) {
                    edges++;
                    oneSided += chosen[i][j] != chosen[j][i] ? 1 : 0;
                }
            }
        }
        assertEquals(edges, g.edgeCount());
        assertEquals(true, oneSided > 0, "the random cloud should exercise one-sided choices");
    }

    private static int index(double[] p, int value) {
        for (int i = 0; i < p.length; i++) {
            if (p[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException();
    }

    private static double squared(Matrix x, int i, int j) {
        double s = 0;
        for (int c = 0; c < x.cols(); c++) {
            double diff = x.get(i, c) - x.get(j, c);
            s += diff * diff;
        }
        return s;
    }
}
