package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code kron-gp}. Fields: {@code axes}, the number of axes D;
 * {@code kernel.<d>}, each axis kernel's spec; {@code options.noise} σ²;
 * {@code options.normalize}; the log marginal likelihood. Arrays: {@code axis.<d>} (n_d × 1
 * coordinates), {@code values} (N × 1, row-major, 0 at missing cells) and {@code observed} (N × 1,
 * 1 or 0). Loading refits (O(Σ n_d³ + N·Σ n_d + M·N·Σ n_d)), which reproduces the model exactly.
 */
public final class KroneckerGaussianProcessCodec extends ModelCodec<KroneckerGaussianProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "kron-gp";

    /** The codec (registered with ServiceLoader). */
    public KroneckerGaussianProcessCodec() {
        super(KIND, KroneckerGaussianProcessModel.class);
    }

    @Override
    public ModelState encode(KroneckerGaussianProcessModel m) {
        KroneckerGaussianProcess.Grid g = m.grid();
        ModelState.Builder s = ModelState.builder(KIND).put("axes", (long) g.axes().size())
                .put("options.noise", m.noise())
                .put("options.normalize", m.shiftAndScale()[0] != 0 || m.shiftAndScale()[1] != 1)
                .put("log_marginal_likelihood", m.logMarginalLikelihood());
        for (int d = 0; d < g.axes().size(); d++) {
            s.put("kernel." + d, m.kernels().get(d).toSpec());
            s.array("axis." + d, Matrix.column(g.axes().get(d)));
        }
        double[] observed = new double[g.cells()];
        double[] values = new double[g.cells()];
        for (int i = 0; i < observed.length; i++) {
            observed[i] = g.observed()[i] ? 1 : 0;
            values[i] = g.observed()[i] ? g.values()[i] : 0;
        }
        return s.array("values", Matrix.column(values)).array("observed", Matrix.column(observed)).build();
    }

    @Override
    public KroneckerGaussianProcessModel decode(ModelState s) {
        int dims = s.integer("axes", 1, 64);
        List<Kernel> kernels = new ArrayList<>();
        List<double[]> axes = new ArrayList<>();
        long cells = 1;
        for (int d = 0; d < dims; d++) {
            kernels.add(s.kernel("kernel." + d));
            double[] a = s.matrix("axis." + d, -1, 1).data();
            axes.add(a);
            cells *= a.length;
        }
        if (cells > Integer.MAX_VALUE / 2) {
            throw new Kernels4jException("the model's grid has " + cells + " cells, too many");
        }
        double[] values = s.matrix("values", (int) cells, 1).data();
        double[] flags = s.matrix("observed", (int) cells, 1).data();
        boolean[] observed = new boolean[flags.length];
        int missing = 0;
        for (int i = 0; i < flags.length; i++) {
            if (flags[i] != 0 && flags[i] != 1) {
                throw new Kernels4jException("array 'observed' must hold 0 or 1, got " + flags[i]);
            }
            observed[i] = flags[i] == 1;
            missing += observed[i] ? 0 : 1;
        }
        KroneckerGaussianProcess gp = KroneckerGaussianProcess.builder(kernels).noise(s.positive("options.noise", false))
                .normalizeTargets(s.flag("options.normalize")).maxMissing(missing).build();
        try {
            return gp.fit(new KroneckerGaussianProcess.Grid(axes, values, observed));
        } catch (Kernels4jException e) {
            // the fitted model is rebuilt from its stored grid: a failure here is the file's, not a training problem
            // (whose message would advise scaling the targets or raising the noise)
            throw new Kernels4jException("the stored grid does not rebuild a model (" + e.getMessage() + "); its "
                    + "'values', axes or options are not those of a fitted grid GP");
        }
    }
}
