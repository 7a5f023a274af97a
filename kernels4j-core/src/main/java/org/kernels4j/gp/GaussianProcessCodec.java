package org.kernels4j.gp;

import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code gp}. Fields: the kernel spec, {@code options.noise} σ², the log
 * marginal likelihood and the Cholesky jitter. Arrays: {@code train_x} (n×d); the mean as a kernel
 * expansion, {@code dual_coef} β = α·scale (n×k) and {@code intercept} = shift (1×k), so that
 * mean(x*) = K(x*, X)·β + intercept can be computed from the file alone (e.g. in NumPy);
 * {@code target_scale} (1×k); and {@code cholesky}, the lower factor L of K + σ²I (n×n), so that
 * loading predicts variances without an O(n³) refactorization. Files written before the factor was
 * stored (they lack {@code cholesky}) still load: the factor is then recomputed once.
 */
public final class GaussianProcessCodec extends ModelCodec<GaussianProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "gp";

    /** The codec (registered with ServiceLoader). */
    public GaussianProcessCodec() {
        super(KIND, GaussianProcessModel.class);
    }

    @Override
    public ModelState encode(GaussianProcessModel m) {
        ModelState.Builder s = ModelState.builder(KIND)
                .put("kernel", m.kernel().toSpec())
                .put("options.noise", m.noise());
        if (Double.isFinite(m.logMarginalLikelihood())) {
            s.put("log_marginal_likelihood", m.logMarginalLikelihood());
        }
        return s.put("jitter", m.jitter())
                .array("train_x", m.trainingInputs())
                .array("dual_coef", m.toKernelRidgeModel().dualCoefficients())
                .array("intercept", Matrix.wrap(1, m.outputs(), m.targetShifts()))
                .array("target_scale", Matrix.wrap(1, m.outputs(), m.targetScales()))
                .array("cholesky", m.choleskyFactor())
                .build();
    }

    @Override
    public GaussianProcessModel decode(ModelState s) {
        Kernel kernel = s.kernel("kernel");
        double noise = s.positive("options.noise", true);
        Matrix x = s.matrix("train_x");
        int n = x.rows();
        Matrix beta = s.matrix("dual_coef", n, -1);
        int k = beta.cols();
        double[] shift = s.matrix("intercept", 1, k).data();
        double[] scale = s.matrix("target_scale", 1, k).data();
        for (double v : scale) {
            if (!(v > 0)) {
                throw new org.kernels4j.Kernels4jException("array 'target_scale' must hold positive numbers, got " + v);
            }
        }
        Matrix alpha = beta.copy();
        for (int i = 0; i < n; i++) {
            for (int o = 0; o < k; o++) {
                alpha.set(i, o, alpha.get(i, o) / scale[o]);
            }
        }
        Matrix lower;
        double jitter;
        if (s.hasArray("cholesky")) {
            lower = s.matrix("cholesky", n, n);
            jitter = s.has("jitter") ? s.positive("jitter", true) : 0;
        } else {
            try (Cholesky c = GaussianProcess.builder(kernel).noise(noise).build().factor(x, true)) {
                lower = c.lower();
                jitter = c.jitter();
            }
        }
        double lml = s.has("log_marginal_likelihood") ? s.number("log_marginal_likelihood") : Double.NaN;
        FitReport report = FitReport.builder().add("log_marginal_likelihood", lml).add("noise", noise)
                .add("jitter", jitter).build();
        return new GaussianProcessModel(kernel, noise, x, lower, jitter, alpha, shift, scale, lml, report, null);
    }
}
