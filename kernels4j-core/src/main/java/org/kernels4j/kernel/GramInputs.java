package org.kernels4j.kernel;

import java.util.HashMap;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeBuffer;

/**
 * One set of input rows prepared for tiled GEMMs: per {@link FeatureView}, an off-heap copy of the
 * transformed rows and their squared norms, made once per Gram computation and shared by all
 * tiles and threads.
 */
public final class GramInputs implements AutoCloseable {
    final Matrix x;
    final double[] center;
    private final Map<FeatureView, Prepared> prepared = new HashMap<>();

    static final class Prepared {
        final NativeBuffer rows;
        final double[] squaredNorms;

        Prepared(NativeBuffer rows, double[] squaredNorms) {
            this.rows = rows;
            this.squaredNorms = squaredNorms;
        }
    }

    public GramInputs(Matrix x, double[] center) {
        this.x = x;
        this.center = center;
    }

    synchronized Prepared view(FeatureView view) {
        Prepared p = prepared.get(view);
        if (p != null) {
            return p;
        }
        int n = x.rows();
        int d = x.cols();
        if (view.map != null) {
            p = mapped(view.map);
            prepared.put(view, p);
            return p;
        }
        if (view.inverseScales != null && view.inverseScales.length != d) {
            throw new Kernels4jException("the kernel has " + view.inverseScales.length
                    + " per-feature length scales but the data has " + d + " features");
        }
        double[] src = x.data();
        int w = view.width(d);
        boolean copy = view.centered || view.inverseScales != null || view.omega > 0;
        double[] t = copy ? new double[n * w] : src;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int f = 0; f < d; f++) {
                double v = src[i * d + f];
                if (view.omega > 0) {
                    t[i * w + 2 * f] = Math.cos(view.omega * v);
                    t[i * w + 2 * f + 1] = Math.sin(view.omega * v);
                    continue;
                }
                if (view.centered) {
                    v -= center[f];
                }
                if (view.inverseScales != null) {
                    v *= view.inverseScales[f];
                }
                if (copy) {
                    t[i * d + f] = v;
                }
                s += v * v;
            }
            norms[i] = view.omega > 0 ? d : s;
        }
        p = new Prepared(NativeBuffer.copyOf(t), norms);
        prepared.put(view, p);
        return p;
    }

    /**
     * φ of every row, written straight off-heap row by row (no n×width array on the heap) and computed
     * on all threads: the tile workers that need it wait on this object meanwhile.
     */
    private Prepared mapped(RowFeatureMap map) {
        int n = x.rows();
        int d = x.cols();
        int w = map.width(d);
        long doubles = (long) n * w;
        long bytes = doubles * Double.BYTES;
        long limit = org.bytedeco.javacpp.Pointer.maxBytes();
        long free = limit - org.bytedeco.javacpp.Pointer.totalBytes();
        if (limit > 0 && bytes > free) {
            throw new Kernels4jException("the mapped features of " + n + " rows need " + memory(bytes)
                    + " off the heap (" + w + " doubles per row), but only " + memory(Math.max(0, free))
                    + " of the " + memory(limit) + " allowed are free; use fewer rows per call or raise "
                    + "-Dorg.bytedeco.javacpp.maxBytes");
        }
        NativeBuffer rows = new NativeBuffer(doubles);
        double[] norms = new double[n];
        double[] src = x.data();
        ThreadLocal<double[]> rowBuffer = ThreadLocal.withInitial(() -> new double[w]);
        try {
            org.kernels4j.linalg.Parallelism.forEachPreparation(n, i -> {
                double[] row = rowBuffer.get();
                map.map(src, i * d, d, row);
                double s = 0;
                for (int k = 0; k < w; k++) {
                    s += row[k] * row[k];
                }
                norms[i] = s;
                rows.copyFrom(row, 0, (long) i * w, w);
            });
        } catch (RuntimeException | Error e) {
            rows.close();
            throw e;
        }
        return new Prepared(rows, norms);
    }

    /** A byte count in the unit a person reads: "1.5 GiB", "640 MiB". */
    static String memory(long bytes) {
        if (bytes >= 1L << 30) {
            return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        }
        return String.format(java.util.Locale.ROOT, "%.0f MiB", Math.ceil(bytes / (double) (1L << 20)));
    }

    @Override
    public synchronized void close() {
        for (Prepared p : prepared.values()) {
            p.rows.close();
        }
        prepared.clear();
    }
}
