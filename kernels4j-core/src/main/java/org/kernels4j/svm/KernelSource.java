package org.kernels4j.svm;

import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.gram.KernelRows;
import org.kernels4j.linalg.Matrix;

/**
 * Where the SMO solver gets kernel values: a kernel spec evaluated on training rows (batched
 * through {@link KernelRows}), or a Gram matrix the user computed (precomputed kernels: graph,
 * quantum, anything).
 */
abstract class KernelSource {
    /** Number of training samples. */
    abstract int samples();

    /** k(x_s, x_s). */
    abstract double selfValue(int s);

    /** Prepares a set of column samples; rows against them are then computed many times. */
    abstract Columns columns(int[] columnSamples);

    /** {@code out[r] = Σ_c k(x_{rows[r]}, x_{cols[c]})·coef[c]} for every r. */
    abstract double[] times(int[] rows, int[] cols, double[] coef);

    /** Kernel rows against one prepared set of columns. */
    interface Columns extends AutoCloseable {
        /** {@code out[r][c] = k(x_{rows[r]}, x_{columns[c]})} for r &lt; count and every column c. */
        void rows(int[] rows, int count, double[][] out);

        @Override
        void close();
    }

    /** The same kernel on the training samples {@code rows} only (sample i of the result is rows[i] here). */
    abstract KernelSource subset(int[] rows);

    /** A kernel evaluated on the rows of x. */
    static KernelSource of(Kernel kernel, Matrix x) {
        return new FromKernel(kernel, x);
    }

    /** A precomputed n×n Gram matrix (symmetric; its diagonal must be positive). */
    static KernelSource precomputed(Matrix gram) {
        if (gram.rows() != gram.cols()) {
            throw new Kernels4jException("a precomputed kernel must be a square n×n Gram matrix of the training rows, got "
                    + gram.shape());
        }
        gram.requireFinite("precomputed kernel");
        return new Precomputed(gram, null);
    }

    private static final class FromKernel extends KernelSource {
        private final Kernel kernel;
        private final Matrix x;

        FromKernel(Kernel kernel, Matrix x) {
            this.kernel = kernel;
            this.x = x;
        }

        @Override
        int samples() {
            return x.rows();
        }

        @Override
        double selfValue(int s) {
            return kernel.selfValue(x.row(s));
        }

        @Override
        Columns columns(int[] columnSamples) {
            KernelRows rows = new KernelRows(kernel, x.selectRows(columnSamples));
            // where each sample sits among the columns (at most twice: ε-SVR lists a sample for α and α*)
            int[] first = new int[x.rows()];
            int[] second = new int[x.rows()];
            java.util.Arrays.fill(first, -1);
            java.util.Arrays.fill(second, -1);
            for (int c = 0; c < columnSamples.length; c++) {
                int s = columnSamples[c];
                if (first[s] < 0) {
                    first[s] = c;
                } else {
                    second[s] = c;
                }
            }
            return new Columns() {
                @Override
                public void rows(int[] r, int count, double[][] out) {
                    int[] which = java.util.Arrays.copyOf(r, count);
                    int[] same = new int[count];
                    for (int i = 0; i < count; i++) {
                        same[i] = first[which[i]];
                    }
                    rows.compute(x.selectRows(which), same, count == out.length ? out
                            : java.util.Arrays.copyOf(out, count));
                    for (int i = 0; i < count; i++) {
                        int c2 = second[which[i]];
                        if (c2 >= 0) {
                            out[i][c2] = out[i][same[i]];
                        }
                    }
                }

                @Override
                public void close() {
                    rows.close();
                }
            };
        }

        @Override
        KernelSource subset(int[] rows) {
            return new FromKernel(kernel, x.selectRows(rows));
        }

        @Override
        double[] times(int[] rows, int[] cols, double[] coef) {
            if (rows.length == 0 || cols.length == 0) {
                return new double[rows.length];
            }
            double[] out = GramEngine.crossTimes(kernel, x.selectRows(rows), x.selectRows(cols), Matrix.column(coef),
                    ProgressListener.NONE).data();
            // the tiled cross product does not know which pairs are the same sample: give those their self value
            java.util.Map<Integer, Integer> colOf = new java.util.HashMap<>();
            for (int c = 0; c < cols.length; c++) {
                colOf.put(cols[c], c);
            }
            for (int r = 0; r < rows.length; r++) {
                Integer c = colOf.get(rows[r]);
                if (c != null) {
                    double[] xi = x.row(rows[r]);
                    out[r] += coef[c] * (kernel.selfValue(xi) - kernel.value(xi, xi));
                }
            }
            return out;
        }
    }

    private static final class Precomputed extends KernelSource {
        private final Matrix gram;
        private final int[] index; // sample → row of gram, or null for the identity

        Precomputed(Matrix gram, int[] index) {
            this.gram = gram;
            this.index = index;
        }

        private int at(int s) {
            return index == null ? s : index[s];
        }

        @Override
        int samples() {
            return index == null ? gram.rows() : index.length;
        }

        @Override
        double selfValue(int s) {
            return gram.get(at(s), at(s));
        }

        @Override
        KernelSource subset(int[] rows) {
            int[] map = new int[rows.length];
            for (int i = 0; i < rows.length; i++) {
                map[i] = at(rows[i]);
            }
            return new Precomputed(gram, map);
        }

        @Override
        Columns columns(int[] columnSamples) {
            int n = gram.cols();
            double[] g = gram.data();
            int m = columnSamples.length;
            int[] cols = new int[m];
            for (int c = 0; c < m; c++) {
                cols[c] = at(columnSamples[c]);
            }
            return new Columns() {
                @Override
                public void rows(int[] rows, int count, double[][] out) {
                    for (int r = 0; r < count; r++) {
                        int base = at(rows[r]) * n;
                        double[] o = out[r];
                        for (int c = 0; c < m; c++) {
                            o[c] = g[base + cols[c]];
                        }
                    }
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        double[] times(int[] rows, int[] cols, double[] coef) {
            int n = gram.cols();
            double[] g = gram.data();
            double[] out = new double[rows.length];
            for (int r = 0; r < rows.length; r++) {
                int base = at(rows[r]) * n;
                double s = 0;
                for (int c = 0; c < cols.length; c++) {
                    s += g[base + at(cols[c])] * coef[c];
                }
                out[r] = s;
            }
            return out;
        }
    }
}
