package org.kernels4j.linalg;

import java.util.Arrays;

/**
 * A sparse non-negative count vector (feature map of a string or graph kernel): strictly increasing
 * 64-bit keys and their values. The kernels built on it (string and graph kernels) are inner products
 * of such vectors, so their Gram matrices are positive semi-definite by construction. {@link #dot} merges
 * two key lists, O(nnz) per pair; {@link #gram} and {@link #cross} go through an inverted index instead.
 * Immutable.
 */
public final class SparseCounts {
    private final long[] keys;
    private final double[] values;

    private SparseCounts(long[] keys, double[] values) {
        this.keys = keys;
        this.values = values;
    }

    /** The vector with one count per occurrence: {@code keys[0..size)} in any order, repeats summed. */
    public static SparseCounts ofOccurrences(long[] keys, int size) {
        long[] k = Arrays.copyOf(keys, size);
        Arrays.sort(k);
        int distinct = 0;
        double[] c = new double[size];
        for (int i = 0; i < size; i++) {
            if (distinct > 0 && k[distinct - 1] == k[i]) {
                c[distinct - 1]++;
            } else {
                k[distinct] = k[i];
                c[distinct++] = 1;
            }
        }
        return new SparseCounts(Arrays.copyOf(k, distinct), Arrays.copyOf(c, distinct));
    }

    /** The vector with {@code values[i]} at the distinct {@code keys[i]} (any order). */
    public static SparseCounts of(long[] keys, double[] values) {
        if (keys.length != values.length) {
            throw new IllegalArgumentException(keys.length + " keys but " + values.length + " values");
        }
        Integer[] order = new Integer[keys.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Long.compare(keys[x], keys[y]));
        long[] k = new long[keys.length];
        double[] v = new double[keys.length];
        for (int i = 0; i < order.length; i++) {
            k[i] = keys[order[i]];
            v[i] = values[order[i]];
            if (i > 0 && k[i] == k[i - 1]) {
                throw new IllegalArgumentException("key " + k[i] + " is repeated");
            }
        }
        return new SparseCounts(k, v);
    }

    /** The number of non-zero entries. */
    public int nonZeros() {
        return keys.length;
    }

    /** Σ_key this[key]·other[key], by merging the sorted keys: O(nnz(this) + nnz(other)). */
    public double dot(SparseCounts other) {
        long[] a = keys;
        long[] b = other.keys;
        double s = 0;
        int i = 0;
        int j = 0;
        while (i < a.length && j < b.length) {
            if (a[i] < b[j]) {
                i++;
            } else if (a[i] > b[j]) {
                j++;
            } else {
                s += values[i++] * other.values[j++];
            }
        }
        return s;
    }

    /**
     * The Gram matrix K_ij = ⟨f_i, f_j⟩ (n×n), or, when {@code normalize}, K_ij/√(K_ii K_jj) (a zero
     * vector then has no defined similarity: the caller must rule it out).
     * <p>Computed as a sparse X·Xᵀ through an inverted index (the SpGEMM of scipy.sparse): for row i,
     * every key's posting list of (row j ≤ i, value) is added into a dense accumulator, so the cost is
     * Σ_key nnz_key²/2 multiply-adds without the branches of pairwise merges; rows run in parallel.
     */
    public static Matrix gram(SparseCounts[] f, boolean normalize) {
        int n = f.length;
        Postings p = Postings.of(f);
        Matrix k = new Matrix(n, n);
        double[] a = k.data();
        int[][] ids = p.ownIds;
        Parallelism.forEachBlock(blocks(n), b -> {
            double[] acc = new double[n];
            for (int i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) {
                int[] id = ids[i];
                double[] v = f[i].values;
                for (int q = 0; q < id.length; q++) {
                    double c = v[q];
                    for (int t = p.start[id[q]], end = p.start[id[q] + 1]; t < end && p.rows[t] <= i; t++) {
                        acc[p.rows[t]] += c * p.values[t];
                    }
                }
                System.arraycopy(acc, 0, a, i * n, i + 1);
                java.util.Arrays.fill(acc, 0, i + 1, 0.0);
            }
        });
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) {
            scale[i] = normalize ? 1 / Math.sqrt(a[i * n + i]) : 1;
        }
        // scale the lower triangle row by row, then mirror it in tiles (a column-wise pass would miss the cache)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] *= scale[i] * scale[j];
            }
        }
        final int tile = 64;
        for (int ib = 0; ib < n; ib += tile) {
            for (int jb = 0; jb <= ib; jb += tile) {
                for (int i = ib; i < Math.min(n, ib + tile); i++) {
                    for (int j = jb; j < Math.min(i, jb + tile); j++) {
                        a[j * n + i] = a[i * n + j];
                    }
                }
            }
        }
        return k;
    }

    /** The m×n cross matrix K_ij = ⟨rows_i, cols_j⟩, normalized as in {@link #gram} when asked; same method. */
    public static Matrix cross(SparseCounts[] rows, SparseCounts[] cols, boolean normalize) {
        int m = rows.length;
        int n = cols.length;
        Postings p = Postings.of(cols);
        Matrix k = new Matrix(m, n);
        double[] a = k.data();
        int[][] ids = p.idsOf(rows);
        Parallelism.forEachBlock(blocks(m), b -> {
            double[] acc = new double[n];
            for (int i = b * BLOCK; i < Math.min(m, (b + 1) * BLOCK); i++) {
                int[] id = ids[i];
                double[] v = rows[i].values;
                for (int q = 0; q < id.length; q++) {
                    if (id[q] < 0) {
                        continue; // a key no column has
                    }
                    double c = v[q];
                    for (int t = p.start[id[q]], end = p.start[id[q] + 1]; t < end; t++) {
                        acc[p.rows[t]] += c * p.values[t];
                    }
                }
                System.arraycopy(acc, 0, a, i * n, n);
                java.util.Arrays.fill(acc, 0.0);
            }
        });
        if (normalize) {
            double[] dc = new double[n];
            for (int j = 0; j < n; j++) {
                dc[j] = cols[j].dot(cols[j]);
            }
            for (int i = 0; i < m; i++) {
                double dr = rows[i].dot(rows[i]);
                for (int j = 0; j < n; j++) {
                    a[i * n + j] /= Math.sqrt(dr * dc[j]);
                }
            }
        }
        return k;
    }

    private static final int BLOCK = 16;

    private static int blocks(int n) {
        return (n + BLOCK - 1) / BLOCK;
    }

    /** Column-wise storage: for each distinct key (id = rank among the sorted distinct keys) its (row, value) list. */
    private static final class Postings {
        final long[] keys;
        final int[] start;
        final int[] rows;
        final double[] values;
        /** The ids of the keys of the vectors these postings were built from. */
        final int[][] ownIds;

        private Postings(long[] keys, int[] start, int[] rows, double[] values, int[][] ownIds) {
            this.keys = keys;
            this.start = start;
            this.rows = rows;
            this.values = values;
            this.ownIds = ownIds;
        }

        static Postings of(SparseCounts[] f) {
            int total = 0;
            for (SparseCounts v : f) {
                total += v.keys.length;
            }
            long[] all = new long[total];
            int c = 0;
            for (SparseCounts v : f) {
                System.arraycopy(v.keys, 0, all, c, v.keys.length);
                c += v.keys.length;
            }
            java.util.Arrays.sort(all);
            int distinct = 0;
            for (int i = 0; i < total; i++) {
                if (distinct == 0 || all[distinct - 1] != all[i]) {
                    all[distinct++] = all[i];
                }
            }
            long[] keys = java.util.Arrays.copyOf(all, distinct);
            int[] start = new int[distinct + 1];
            int[][] ids = new int[f.length][];
            for (int r = 0; r < f.length; r++) {
                ids[r] = new int[f[r].keys.length];
                for (int q = 0; q < ids[r].length; q++) {
                    ids[r][q] = java.util.Arrays.binarySearch(keys, f[r].keys[q]);
                    start[ids[r][q] + 1]++;
                }
            }
            for (int t = 0; t < distinct; t++) {
                start[t + 1] += start[t];
            }
            int[] fill = java.util.Arrays.copyOf(start, distinct);
            int[] rows = new int[total];
            double[] values = new double[total];
            for (int r = 0; r < f.length; r++) { // rows in increasing order within each list
                for (int q = 0; q < ids[r].length; q++) {
                    int at = fill[ids[r][q]]++;
                    rows[at] = r;
                    values[at] = f[r].values[q];
                }
            }
            return new Postings(keys, start, rows, values, ids);
        }

        /** For each vector, the ids of its keys (−1 for a key not in these postings). */
        int[][] idsOf(SparseCounts[] f) {
            int[][] ids = new int[f.length][];
            for (int r = 0; r < f.length; r++) {
                ids[r] = new int[f[r].keys.length];
                for (int q = 0; q < ids[r].length; q++) {
                    int at = java.util.Arrays.binarySearch(keys, f[r].keys[q]);
                    ids[r][q] = at >= 0 ? at : -1;
                }
            }
            return ids;
        }
    }
}
