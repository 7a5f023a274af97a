package org.kernels4j.linalg;

import java.util.Arrays;

/**
 * A sparse non-negative count vector (feature map of a string or graph kernel): strictly increasing
 * 64-bit keys and their values. The kernels built on it are inner products of such vectors, so the
 * Gram and cross matrices here cost O(nnz) per pair (a merge of the two key lists) and are positive
 * semi-definite by construction. Immutable.
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
     * The Gram matrix K_ij = ⟨f_i, f_j⟩ (n×n, rows in parallel), or, when {@code normalize}, K_ij/√(K_ii K_jj)
     * (a zero vector then has no defined similarity: the caller must rule it out).
     */
    public static Matrix gram(SparseCounts[] f, boolean normalize) {
        int n = f.length;
        Matrix k = new Matrix(n, n);
        double[] a = k.data();
        Parallelism.forEachBlock(n, i -> {
            for (int j = 0; j <= i; j++) {
                a[i * n + j] = f[i].dot(f[j]);
            }
        });
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = a[i * n + i];
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = normalize ? a[i * n + j] / Math.sqrt(d[i] * d[j]) : a[i * n + j];
                a[i * n + j] = v;
                a[j * n + i] = v;
            }
        }
        return k;
    }

    /** The m×n cross matrix K_ij = ⟨rows_i, cols_j⟩, normalized as in {@link #gram} when asked. */
    public static Matrix cross(SparseCounts[] rows, SparseCounts[] cols, boolean normalize) {
        int m = rows.length;
        int n = cols.length;
        Matrix k = new Matrix(m, n);
        double[] a = k.data();
        Parallelism.forEachBlock(m, i -> {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = rows[i].dot(cols[j]);
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
}
