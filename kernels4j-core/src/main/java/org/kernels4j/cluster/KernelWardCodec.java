package org.kernels4j.cluster;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code kernel-ward}. Fields: {@code kernel} (spec; absent for a model fitted on a kernel
 * matrix, which has {@code options.precomputed = true}) and {@code options.clusters} (m, where the tree is cut).
 * Arrays: {@code merges} ((n−1)×4: left id, right id, cost, size, in SciPy's linkage numbering), {@code basis}
 * (n×d training rows; absent when precomputed) and {@code within} (1×m, T_c of the cut's clusters). The labels and
 * J are recomputed from the merges, which are checked to form a tree.
 */
public final class KernelWardCodec extends ModelCodec<KernelWardModel> {
    /** The kind written into files. */
    public static final String KIND = "kernel-ward";

    /** The codec (registered with ServiceLoader). */
    public KernelWardCodec() {
        super(KIND, KernelWardModel.class);
    }

    @Override
    public ModelState encode(KernelWardModel m) {
        ModelState.Builder s = ModelState.builder(KIND);
        if (m.kernel() == null) {
            s.put("options.precomputed", true);
        } else {
            s.put("kernel", m.kernel().toSpec());
        }
        List<KernelWardModel.Merge> merges = m.merges();
        Matrix t = new Matrix(merges.size(), 4);
        for (int r = 0; r < merges.size(); r++) {
            KernelWardModel.Merge g = merges.get(r);
            t.set(r, 0, g.left());
            t.set(r, 1, g.right());
            t.set(r, 2, g.cost());
            t.set(r, 3, g.size());
        }
        double[] within = m.within();
        return s.put("options.clusters", (long) m.clusters()).array("merges", t).array("basis", m.trainingRows())
                .array("within", Matrix.wrap(1, within.length, within)).build();
    }

    @Override
    public KernelWardModel decode(ModelState s) {
        boolean precomputed = s.has("options.precomputed") && s.flag("options.precomputed");
        Matrix t = s.matrix("merges", -1, 4);
        int n = t.rows() + 1;
        int clusters = s.integer("options.clusters", 1, n);
        List<KernelWardModel.Merge> merges = new ArrayList<>();
        int[] size = new int[2 * n - 1];
        java.util.Arrays.fill(size, 0, n, 1);
        boolean[] used = new boolean[2 * n - 1];
        for (int r = 0; r < n - 1; r++) {
            int left = id(t.get(r, 0), n + r, r);
            int right = id(t.get(r, 1), n + r, r);
            if (left == right || used[left] || used[right]) {
                throw new Kernels4jException("array 'merges' row " + r + " merges a cluster that was merged before");
            }
            used[left] = true;
            used[right] = true;
            size[n + r] = size[left] + size[right];
            if (t.get(r, 3) != size[n + r] || !(t.get(r, 2) >= 0)) {
                throw new Kernels4jException("array 'merges' row " + r + ": size must be " + size[n + r]
                        + " and the cost non-negative");
            }
            merges.add(new KernelWardModel.Merge(left, right, t.get(r, 2), size[n + r]));
        }
        int[] labels = KernelWardModel.cut(merges, n, clusters);
        double objective = 0;
        for (int r = 0; r < n - clusters; r++) {
            objective += merges.get(r).cost();
        }
        Kernel kernel = precomputed ? null : s.kernel("kernel");
        Matrix basis = precomputed ? null : s.matrix("basis", n, -1);
        double[] within = s.matrix("within", 1, clusters).data();
        FitReport report = FitReport.builder().add("method", "kernel Ward").add("clusters", (long) clusters)
                .add("objective", objective).add("merges", (long) merges.size()).build();
        return new KernelWardModel(merges, n, clusters, labels, objective,
                new KernelCentroids(labels, clusters, within), kernel, basis, report);
    }

    private static int id(double v, int limit, int row) {
        if (!(v >= 0 && v < limit) || v != Math.rint(v)) {
            throw new Kernels4jException("array 'merges' row " + row + " names cluster " + v + "; ids are integers 0.."
                    + (limit - 1));
        }
        return (int) v;
    }
}
