package org.kernels4j.thinning;

import java.util.Arrays;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * KT-SWAP (Dwivedi &amp; Mackey, Alg. 1b; goodpoints' {@code best} and {@code refine}) against the
 * empirical distribution of n reference rows, under the target kernel k.
 *
 * <p><b>Select</b>: among the candidate coresets, the one with the least
 * {@code MMD² − k̄̄ = (1/s²) Σ_{a,b∈S} k(a, b) − (2/s) Σ_{a∈S} k̄(a)}, with k̄(z) = (1/n) Σ_i k(z, x_i).
 * <b>Refine</b>: for each slot t in turn, the row o in it is replaced by the reference row i that
 * minimises the MMD of the coreset with o removed and i added:
 * <pre>  i* = argmin_i  k(x_i, x_i) + 2·Σ_{a∈S∖{o}} k(x_i, a) − 2s·k̄(x_i)</pre>
 * (o itself is one of the choices and is kept unless another row is strictly better, so the MMD never
 * increases). The vector {@code Σ_{a∈S} k(x_i, a)} over all i is kept up to date with one kernel column
 * per change. With {@code unique}, rows already in the coreset are not candidates.
 * Cost: O(n·s) kernel values for the refine pass, s² per candidate for the selection.
 */
final class KtSwap {
    private KtSwap() {
    }

    /** The coreset (rows of the reference x) and its MMD² to the reference. */
    record Result(int[] coreset, double mmdSquared) {
    }

    /** The candidate with the least MMD to the reference, then refined when {@code refine} is set. */
    static Result run(Kernel kernel, Matrix x, int[][] candidates, double[] rowMeans, boolean refine, boolean unique) {
        int best = 0;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int c = 0; c < candidates.length; c++) {
            double v = relativeMmdSquared(kernel, x, candidates[c], rowMeans);
            if (v < bestValue) {
                bestValue = v;
                best = c;
            }
        }
        double grand = 0;
        for (double v : rowMeans) {
            grand += v;
        }
        grand /= rowMeans.length;
        if (!refine) {
            return new Result(candidates[best].clone(), bestValue + grand);
        }
        return refine(kernel, x, candidates[best], rowMeans, unique, grand);
    }

    static double relativeMmdSquared(Kernel kernel, Matrix x, int[] s, double[] rowMeans) {
        double[] g = SmallGram.gram(kernel, x, s, s.length);
        double sum = 0;
        for (double v : g) {
            sum += v;
        }
        double lin = 0;
        for (int i : s) {
            lin += rowMeans[i];
        }
        return sum / ((double) s.length * s.length) - 2 * lin / s.length;
    }

    static Result refine(Kernel kernel, Matrix x, int[] start, double[] rowMeans, boolean unique, double grand) {
        int n = x.rows();
        int s = start.length;
        int[] coreset = start.clone();
        Matrix ones = new Matrix(s, 1);
        Arrays.fill(ones.data(), 1.0);
        double[] sums = GramEngine.crossTimes(kernel, x, x.selectRows(coreset), ones,
                org.kernels4j.ProgressListener.NONE).data();
        double[] diag = GramEngine.diagonal(kernel, x);
        int[] count = new int[n];
        for (int i : coreset) {
            count[i]++;
        }
        double[] column = new double[n];
        try (SmallGram.Columns columns = SmallGram.columns(kernel, x)) {
            // the row leaving slot t is start[t] (each slot is visited once), so its column comes from a batch
            int batch = (int) Math.max(1, Math.min(s, (1L << 22) / n));
            double[] block = new double[0];
            int blockStart = 0;
            for (int t = 0; t < s; t++) {
                int old = coreset[t];
                if (t == blockStart + batch || t == 0) {
                    blockStart = t;
                    int[] next = Arrays.copyOfRange(start, t, Math.min(s, t + batch));
                    block = columns.batch(next);
                }
                int off = (t - blockStart) * n;
                for (int i = 0; i < n; i++) {
                    sums[i] -= block[off + i];
                }
                count[old]--;
                int chosen = old;
                double bestScore = diag[old] + 2 * sums[old] - 2.0 * s * rowMeans[old];
                for (int i = 0; i < n; i++) {
                    if (unique && count[i] > 0) {
                        continue;
                    }
                    double score = diag[i] + 2 * sums[i] - 2.0 * s * rowMeans[i];
                    if (score < bestScore) {
                        bestScore = score;
                        chosen = i;
                    }
                }
                if (chosen != old) {
                    columns.column(chosen, column);
                    for (int i = 0; i < n; i++) {
                        sums[i] += column[i];
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        sums[i] += block[off + i];
                    }
                }
                count[chosen]++;
                coreset[t] = chosen;
            }
        }
        double quad = 0;
        double lin = 0;
        for (int i : coreset) {
            quad += sums[i];
            lin += rowMeans[i];
        }
        double mmd2 = quad / ((double) s * s) - 2 * lin / s + grand;
        return new Result(coreset, mmd2);
    }

}
