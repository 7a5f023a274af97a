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

    @Override
    public synchronized void close() {
        for (Prepared p : prepared.values()) {
            p.rows.close();
        }
        prepared.clear();
    }
}
