package org.kernels4j.thinning;

import java.util.LinkedHashMap;
import java.util.Map;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;

/**
 * Kernel herding (Chen, Welling &amp; Smola, 2010) over the input rows as candidates, as greedy MMD
 * minimisation: with z_1..z_t chosen, the next point is
 * <pre>  z_{t+1} = argmin_i MMD²({z_1..z_t, x_i}, P_n) = argmin_i k(x_i, x_i) + 2·Σ_{r≤t} k(x_i, z_r) − 2(t+1)·k̄(x_i)</pre>
 * with k̄(x) = (1/n) Σ_j k(x, x_j); for kernels with a constant diagonal (every stationary kernel) this is
 * exactly herding's argmax of k̄(x) − (1/(t+1)) Σ_r k(x, z_r). Ties go to the lowest row. A row may be
 * chosen more than once; the coreset lists each chosen row once, in order of first choice, with weight
 * (times chosen)/size. Deterministic (the seed is not used). Cost: n² kernel values for k̄, then one kernel
 * column (n values) and O(n) work per step: O(n² + n·s). The MMD to the input is returned with it.
 */
public final class KernelHerding implements Thinner {
    private final Kernel kernel;

    private KernelHerding(Kernel kernel) {
        this.kernel = kernel;
    }

    /** Herding for the target kernel k. */
    public static KernelHerding of(Kernel kernel) {
        if (kernel == null) {
            throw new org.kernels4j.Kernels4jException("kernel herding needs a kernel");
        }
        return new KernelHerding(kernel);
    }

    @Override
    public String name() {
        return "herding";
    }

    @Override
    public void requireSize(int n, int size) {
        Thinning.requireSize(n, size);
    }

    /** @param size any number of steps 1..n */
    @Override
    public Coreset thin(Matrix x, int size, long seed) {
        int n = Thinning.requireData(x);
        Thinning.requireSize(n, size);
        Steps run = steps(x, size, Mmd.rowMeans(kernel, x));
        int[] chosen = run.chosen();
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int i : chosen) {
            counts.merge(i, 1, Integer::sum);
        }
        int[] idx = new int[counts.size()];
        double[] w = new double[counts.size()];
        int at = 0;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            idx[at] = e.getKey();
            w[at] = e.getValue() / (double) size;
            at++;
        }
        double total = 0;
        for (double v : w) {
            total += v;
        }
        w[w.length - 1] += 1 - total; // exact sum 1 after rounding
        return new Coreset(idx, w, Mmd.root(run.mmdSquared()), name());
    }

    /** The herding sequence (rows of x, with repeats) and the MMD² of its empirical distribution. */
    record Steps(int[] chosen, double mmdSquared) {
    }

    /** The herding sequence z_1..z_size. */
    Steps steps(Matrix x, int size, double[] rowMeans) {
        int n = x.rows();
        double[] diag = org.kernels4j.gram.GramEngine.diagonal(kernel, x);
        double[] sums = new double[n];
        double[] column = new double[n];
        int[] out = new int[size];
        double grand = 0;
        for (double v : rowMeans) {
            grand += v;
        }
        grand /= n;
        double quad = 0;
        double lin = 0;
        try (SmallGram.Columns columns = SmallGram.columns(kernel, x)) {
            for (int t = 0; t < size; t++) {
                int best = 0;
                double bestScore = Double.POSITIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    double score = diag[i] + 2 * sums[i] - 2.0 * (t + 1) * rowMeans[i];
                    if (score < bestScore) {
                        bestScore = score;
                        best = i;
                    }
                }
                out[t] = best;
                quad += diag[best] + 2 * sums[best];
                lin += rowMeans[best];
                columns.column(best, column);
                for (int i = 0; i < n; i++) {
                    sums[i] += column[i];
                }
            }
        }
        return new Steps(out, quad / ((double) size * size) - 2 * lin / size + grand);
    }
}
