package org.kernels4j.thinning;

import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Gram matrices of small row subsets and single kernel columns. Below {@link #DIRECT} rows the pairwise
 * formula in plain Java beats {@link GramEngine}'s set-up (off-heap copies, a task per tile), which
 * dominates KT's many small halvings and candidate scores; above it the engine's GEMM tiles win.
 */
final class SmallGram {
    static final int DIRECT = 128;

    private SmallGram() {
    }

    /** K(x[idx], x[idx]) row-major, s×s (symmetric; the diagonal by {@link Kernel#selfValue}). */
    static double[] gram(Kernel kernel, Matrix x, int[] idx, int count) {
        if (count > DIRECT) {
            return GramEngine.gram(kernel, x.selectRows(java.util.Arrays.copyOf(idx, count))).data();
        }
        double[][] r = new double[count][];
        for (int i = 0; i < count; i++) {
            r[i] = x.row(idx[i]);
        }
        double[] g = new double[count * count];
        for (int i = 0; i < count; i++) {
            g[i * count + i] = kernel.selfValue(r[i]);
            for (int j = 0; j < i; j++) {
                double v = kernel.value(r[i], r[j]);
                g[i * count + j] = v;
                g[j * count + i] = v;
            }
        }
        return g;
    }

    /** The rows of x as arrays, for {@link #column}. */
    static double[][] rows(Matrix x) {
        double[][] r = new double[x.rows()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = x.row(i);
        }
        return r;
    }

    /** out[i] = k(x_i, x_o), with k(x_o, x_o) by {@link Kernel#selfValue}. */
    static void column(Kernel kernel, double[][] rows, int o, double[] out) {
        double[] z = rows[o];
        for (int i = 0; i < rows.length; i++) {
            out[i] = i == o ? kernel.selfValue(z) : kernel.value(rows[i], z);
        }
    }

    /** Kernel columns k(·, x_o) over all rows of x: one at a time in plain Java; batches by GEMM tiles for large x. */
    static Columns columns(Kernel kernel, Matrix x) {
        return new Columns(kernel, x);
    }

    /** See {@link #columns}. */
    static final class Columns implements AutoCloseable {
        private final Kernel kernel;
        private final Matrix x;
        private final double[][] rows;
        private final org.kernels4j.gram.KernelRows engine;

        Columns(Kernel kernel, Matrix x) {
            this.kernel = kernel;
            this.x = x;
            this.rows = SmallGram.rows(x);
            this.engine = x.rows() <= 4 * DIRECT ? null : new org.kernels4j.gram.KernelRows(kernel, x);
        }

        /**
         * out[i] = k(x_i, x_o), always in plain Java: one column is n pairwise values, cheaper than a call into
         * the tiled engine (which hands tiles to threads) for every n this package meets.
         */
        void column(int o, double[] out) {
            SmallGram.column(kernel, rows, o, out);
        }

        /** The columns of the rows {@code os}, one after another (os.length × n, row-major). */
        double[] batch(int[] os) {
            int n = x.rows();
            double[] out = new double[os.length * n];
            if (engine == null) {
                double[] col = new double[n];
                for (int b = 0; b < os.length; b++) {
                    SmallGram.column(kernel, rows, os[b], col);
                    System.arraycopy(col, 0, out, b * n, n);
                }
            } else {
                engine.compute(x.selectRows(os), os.clone(), out);
            }
            return out;
        }

        @Override
        public void close() {
            if (engine != null) {
                engine.close();
            }
        }
    }
}
