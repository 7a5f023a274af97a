package org.kernels4j.cluster;

import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Nystrom;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code kernel-kmeans}. Fields: {@code kernel} (spec; absent for a model fitted on a kernel
 * matrix, which has {@code options.precomputed = true}), {@code options.clusters} (k), {@code options.inertia} (J),
 * {@code options.nystrom}. Arrays: {@code labels} (1×n, the training labels 0..k−1); for an exact-kernel fit
 * {@code basis} (n×d, the training rows; absent when precomputed) and {@code within} (1×k, T_c = Σ_{i,j∈c} K_ij,
 * which with the labels gives the nearest-centroid rule from kernel rows); for a Nyström fit {@code landmarks}
 * (m×d), {@code projection} (m×D, kept as fitted so each feature keeps its sign) and {@code centroids} (k×D).
 */
public final class KernelKMeansCodec extends ModelCodec<KernelKMeansModel> {
    /** The kind written into files. */
    public static final String KIND = "kernel-kmeans";

    /** The codec (registered with ServiceLoader). */
    public KernelKMeansCodec() {
        super(KIND, KernelKMeansModel.class);
    }

    @Override
    public ModelState encode(KernelKMeansModel m) {
        ModelState.Builder s = ModelState.builder(KIND);
        int[] labels = m.labels();
        if (m.kernel() == null) {
            s.put("options.precomputed", true);
        } else {
            s.put("kernel", m.kernel().toSpec());
        }
        s.put("options.clusters", (long) m.clusters()).put("options.inertia", m.inertia())
                .put("options.nystrom", m.isNystrom()).array("labels", row(labels));
        if (m.isNystrom()) {
            Nystrom map = m.map();
            return s.array("landmarks", map.landmarks()).array("projection", map.projection())
                    .array("centroids", m.featureCentroids()).build();
        }
        double[] within = m.within();
        return s.array("basis", m.trainingRows()).array("within", Matrix.wrap(1, within.length, within)).build();
    }

    @Override
    public KernelKMeansModel decode(ModelState s) {
        boolean precomputed = s.has("options.precomputed") && s.flag("options.precomputed");
        boolean nystrom = s.flag("options.nystrom");
        int k = s.integer("options.clusters", 1, Integer.MAX_VALUE);
        double inertia = s.number("options.inertia");
        int[] labels = labels(s.matrix("labels"), k);
        FitReport report = FitReport.builder().add("method", "kernel k-means").add("clusters", (long) k)
                .add("inertia", inertia).build();
        if (nystrom) {
            if (precomputed) {
                throw new Kernels4jException("options.nystrom and options.precomputed cannot both be true");
            }
            Kernel kernel = s.kernel("kernel");
            Matrix landmarks = s.matrix("landmarks");
            Nystrom map = Nystrom.withProjection(kernel, landmarks, s.matrix("projection", landmarks.rows(), -1));
            Matrix centroids = s.matrix("centroids", k, map.outputDimension());
            return KernelKMeansModel.decoded(labels, k, inertia, null, kernel, null, map, centroids, report);
        }
        int n = labels.length;
        Kernel kernel = precomputed ? null : s.kernel("kernel");
        Matrix basis = precomputed ? null : s.matrix("basis", n, -1);
        double[] within = s.matrix("within", 1, k).data();
        return KernelKMeansModel.decoded(labels, k, inertia, within, kernel, basis, null, null, report);
    }

    static Matrix row(int[] labels) {
        Matrix m = new Matrix(1, labels.length);
        for (int i = 0; i < labels.length; i++) {
            m.set(0, i, labels[i]);
        }
        return m;
    }

    /** A 1×n array of labels, each an integer in 0..k−1 and every cluster non-empty. */
    static int[] labels(Matrix a, int k) {
        if (a.rows() != 1 || a.cols() < k) {
            throw new Kernels4jException("array 'labels' has shape " + a.shape() + ", expected 1xn with n >= " + k);
        }
        int[] out = new int[a.cols()];
        boolean[] seen = new boolean[k];
        for (int i = 0; i < out.length; i++) {
            double v = a.get(0, i);
            if (!(v >= 0 && v < k) || v != Math.rint(v)) {
                throw new Kernels4jException("array 'labels' holds " + v + " at " + i + "; labels are integers 0.."
                        + (k - 1));
            }
            out[i] = (int) v;
            seen[out[i]] = true;
        }
        for (int c = 0; c < k; c++) {
            if (!seen[c]) {
                throw new Kernels4jException("array 'labels' has no point in cluster " + c);
            }
        }
        return out;
    }
}
