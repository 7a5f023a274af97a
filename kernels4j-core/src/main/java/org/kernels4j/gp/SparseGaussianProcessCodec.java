package org.kernels4j.gp;

import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code sgpr}: the full kernel spec (signal + white noise) and the bound as
 * fields; the inducing inputs {@code inducing} (m×d), the mean weights {@code beta} (m×k), the
 * variance matrix {@code variance_matrix} = M⁻¹ − Σ (m×m), {@code intercept} (target shifts, 1×k)
 * and {@code target_scale} (1×k) as arrays. Prediction needs nothing else; nothing is refitted.
 */
public final class SparseGaussianProcessCodec extends ModelCodec<SparseGaussianProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "sgpr";

    /** The codec (registered with ServiceLoader). */
    public SparseGaussianProcessCodec() {
        super(KIND, SparseGaussianProcessModel.class);
    }

    @Override
    public ModelState encode(SparseGaussianProcessModel m) {
        ModelState.Builder s = ModelState.builder(KIND).put("kernel", m.kernel().toSpec());
        if (Double.isFinite(m.bound())) {
            s.put("bound", m.bound());
        }
        return s.array("inducing", m.inducingInputs())
                .array("beta", m.meanWeights())
                .array("variance_matrix", m.varianceMatrix())
                .array("intercept", Matrix.wrap(1, m.outputs(), m.targetShifts()))
                .array("target_scale", Matrix.wrap(1, m.outputs(), m.targetScales()))
                .build();
    }

    @Override
    public SparseGaussianProcessModel decode(ModelState s) {
        Kernel kernel = s.kernel("kernel");
        SparseGaussianProcess.Split split;
        try {
            split = SparseGaussianProcess.split(kernel);
        } catch (org.kernels4j.Kernels4jException e) {
            throw new org.kernels4j.Kernels4jException("field 'kernel': " + e.getMessage());
        }
        Matrix z = s.matrix("inducing");
        int m = z.rows();
        Matrix beta = s.matrix("beta", m, -1);
        int k = beta.cols();
        Matrix cov = s.matrix("variance_matrix", m, m);
        double[] shift = s.matrix("intercept", 1, k).data();
        double[] scale = s.matrix("target_scale", 1, k).data();
        for (double v : scale) {
            if (!(v > 0)) {
                throw new org.kernels4j.Kernels4jException("array 'target_scale' must hold positive numbers, got " + v);
            }
        }
        double bound = s.has("bound") ? s.number("bound") : Double.NaN;
        return new SparseGaussianProcessModel(kernel, split.signal(), z, beta, cov, shift, scale, bound, null);
    }
}
