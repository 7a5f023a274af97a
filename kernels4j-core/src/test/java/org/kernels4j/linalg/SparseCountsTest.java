package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SparseCounts on its own (the string and graph kernel tests reach it through their feature maps):
 * every entry of {@code gram} and {@code cross}, plain and normalized, against the inner product of
 * the same vectors held as hash maps and summed key by key here, for sizes that span several row
 * blocks (16) and mirror tiles (64), with keys that only one side has, negative keys and empty
 * vectors. The counts are small integers, so unnormalized sums are exact; normalized entries are
 * compared to 1e-14 (a few roundings of a quotient of exact integers).
 */
class SparseCountsTest {

    /** n random vectors over keys drawn from [−spread, spread), with repeats (counts) and some empty. */
    private static long[][] occurrences(int n, int spread, long seed) {
        Random r = new Random(seed);
        long[][] occ = new long[n][];
        for (int i = 0; i < n; i++) {
            int size = i % 23 == 5 ? 0 : 1 + r.nextInt(12);
            occ[i] = new long[size];
            for (int t = 0; t < size; t++) {
                occ[i][t] = r.nextInt(2 * spread) - spread;
            }
        }
        return occ;
    }

    private static Map<Long, Double> counts(long[] occ) {
        Map<Long, Double> m = new HashMap<>();
        for (long k : occ) {
            m.merge(k, 1.0, Double::sum);
        }
        return m;
    }

    private static double dot(Map<Long, Double> a, Map<Long, Double> b) {
        double s = 0;
        for (Map.Entry<Long, Double> e : a.entrySet()) {
            s += e.getValue() * b.getOrDefault(e.getKey(), 0.0);
        }
        return s;
    }

    private static SparseCounts[] vectors(long[][] occ) {
        SparseCounts[] f = new SparseCounts[occ.length];
        for (int i = 0; i < occ.length; i++) {
            long[] padded = java.util.Arrays.copyOf(occ[i], occ[i].length + 3); // only the first size count
            padded[occ[i].length] = 999_999;
            f[i] = SparseCounts.ofOccurrences(padded, occ[i].length);
        }
        return f;
    }

    @Test
    void gramMatchesKeyByKeyInnerProductsOverSeveralBlocksAndTiles() {
        long[][] occ = occurrences(150, 20, 3);
        SparseCounts[] f = vectors(occ);
        for (boolean normalize : new boolean[] {false, true}) {
            Matrix k = SparseCounts.gram(f, normalize);
            assertEquals(150, k.rows());
            assertEquals(150, k.cols());
            for (int i = 0; i < 150; i++) {
                Map<Long, Double> a = counts(occ[i]);
                assertEquals(counts(occ[i]).size(), f[i].nonZeros(), "distinct keys of row " + i);
                for (int j = 0; j < 150; j++) {
                    Map<Long, Double> b = counts(occ[j]);
                    double ref = dot(a, b);
                    if (normalize) {
                        if (occ[i].length == 0 || occ[j].length == 0) {
                            continue; // no defined similarity (the caller rules it out)
                        }
                        ref /= Math.sqrt(dot(a, a) * dot(b, b));
                        assertEquals(ref, k.get(i, j), 1e-14, "normalized (" + i + ", " + j + ")");
                    } else {
                        assertEquals(ref, k.get(i, j), 0.0, "(" + i + ", " + j + ")");
                        assertEquals(ref, f[i].dot(f[j]), 0.0, "dot (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void crossMatchesKeyByKeyInnerProductsWithKeysOnOneSideOnly() {
        long[][] rows = occurrences(37, 30, 5); // keys in [−30, 30)
        long[][] cols = occurrences(20, 15, 6); // keys in [−15, 15): many row keys no column has
        SparseCounts[] fr = vectors(rows);
        SparseCounts[] fc = vectors(cols);
        for (boolean normalize : new boolean[] {false, true}) {
            Matrix k = SparseCounts.cross(fr, fc, normalize);
            assertEquals(37, k.rows());
            assertEquals(20, k.cols());
            for (int i = 0; i < 37; i++) {
                Map<Long, Double> a = counts(rows[i]);
                for (int j = 0; j < 20; j++) {
                    Map<Long, Double> b = counts(cols[j]);
                    double ref = dot(a, b);
                    if (normalize) {
                        if (rows[i].length == 0 || cols[j].length == 0) {
                            continue;
                        }
                        ref /= Math.sqrt(dot(a, a) * dot(b, b));
                        assertEquals(ref, k.get(i, j), 1e-14, "normalized (" + i + ", " + j + ")");
                    } else {
                        assertEquals(ref, k.get(i, j), 0.0, "(" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void explicitValuesAreSortedByKeyAndRepeatsRefused() {
        SparseCounts a = SparseCounts.of(new long[] {7, -3, 100}, new double[] {2, 0.5, 4});
        SparseCounts b = SparseCounts.of(new long[] {100, 7, 8}, new double[] {3, -1, 9});
        assertEquals(3, a.nonZeros());
        assertEquals(2 * -1 + 4 * 3, a.dot(b), 0.0);
        assertEquals(2 * -1 + 4 * 3, b.dot(a), 0.0);
        assertEquals(4 + 0.25 + 16, a.dot(a), 0.0);
        Matrix k = SparseCounts.gram(new SparseCounts[] {a, b}, false);
        assertEquals(a.dot(b), k.get(0, 1), 0.0);
        assertEquals(a.dot(b), k.get(1, 0), 0.0);
        assertEquals(1 + 9 + 81, k.get(1, 1), 0.0);
        assertEquals("key 7 is repeated",
                assertThrows(IllegalArgumentException.class,
                        () -> SparseCounts.of(new long[] {7, 1, 7}, new double[] {1, 2, 3})).getMessage());
        assertThrows(IllegalArgumentException.class, () -> SparseCounts.of(new long[] {1}, new double[] {1, 2}));
    }
}
