package org.kernels4j.gp;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code ss-gp}. Fields: {@code kernel}, the {@link StateSpaceKernel} spec;
 * {@code options.noise} σ²; the log marginal likelihood. Arrays: {@code train_t} (n×1, ascending),
 * {@code train_y} (normalized targets in that order, n×k), {@code intercept} (shift, 1×k) and
 * {@code target_scale} (1×k). Predictions rerun the O(n) smoother, so nothing else is stored.
 */
public final class StateSpaceGaussianProcessCodec extends ModelCodec<StateSpaceGaussianProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "ss-gp";

    /** The codec (registered with ServiceLoader). */
    public StateSpaceGaussianProcessCodec() {
        super(KIND, StateSpaceGaussianProcessModel.class);
    }

    @Override
    public ModelState encode(StateSpaceGaussianProcessModel m) {
        ModelState.Builder s = ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("options.noise", m.noise());
        if (Double.isFinite(m.logMarginalLikelihood())) {
            s.put("log_marginal_likelihood", m.logMarginalLikelihood());
        }
        return s.array("train_t", m.trainingTimes())
                .array("train_y", m.normalizedTargets())
                .array("intercept", Matrix.wrap(1, m.outputs(), m.targetShifts()))
                .array("target_scale", Matrix.wrap(1, m.outputs(), m.targetScales()))
                .build();
    }

    @Override
    public StateSpaceGaussianProcessModel decode(ModelState s) {
        StateSpaceKernel kernel = StateSpaceKernel.parse(s.text("kernel"));
        double noise = s.positive("options.noise", false);
        Matrix t = s.matrix("train_t", -1, 1);
        Matrix y = s.matrix("train_y", t.rows(), -1);
        double[] shift = s.matrix("intercept", 1, y.cols()).data();
        double[] scale = s.matrix("target_scale", 1, y.cols()).data();
        double lml = s.has("log_marginal_likelihood") ? s.number("log_marginal_likelihood") : Double.NaN;
        FitReport report = FitReport.builder().add("log_marginal_likelihood", lml).add("noise", noise)
                .add("state_dimension", kernel.stateDimension()).build();
        return new StateSpaceGaussianProcessModel(kernel, noise, t, y, shift, scale, lml, report, null);
    }
}
