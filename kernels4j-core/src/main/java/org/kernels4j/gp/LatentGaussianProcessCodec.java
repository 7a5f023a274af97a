package org.kernels4j.gp;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code latent-gp}: fields kernel, likelihood (its spec), inference, objective,
 * log_marginal_likelihood, iterations, converged, elbo, ep_like; arrays train_x (n×d) and, n×1 each,
 * mean, alpha and sqrt_tau, and lower (n×n, the factor of I + SKS).
 */
public final class LatentGaussianProcessCodec extends ModelCodec<LatentGaussianProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "latent-gp";

    /** The codec (registered with ServiceLoader). */
    public LatentGaussianProcessCodec() {
        super(KIND, LatentGaussianProcessModel.class);
    }

    @Override
    public ModelState encode(LatentGaussianProcessModel m) {
        GaussianProcessClassifier.Binary p = m.posterior();
        return ModelState.builder(KIND).put("kernel", m.kernel().toSpec()).put("likelihood", m.likelihood().toSpec())
                .put("inference", m.inference().label()).put("objective", m.objective().label())
                .put("log_marginal_likelihood", p.logMarginalLikelihood()).put("iterations", p.iterations())
                .put("converged", m.converged()).put("elbo", m.elbo()).put("ep_like", m.epLike())
                .array("train_x", m.trainingInputs()).array("mean", Matrix.column(p.mode()))
                .array("alpha", Matrix.column(p.gradient())).array("sqrt_tau", Matrix.column(p.sqrtW()))
                .array("lower", p.lower()).build();
    }

    @Override
    public LatentGaussianProcessModel decode(ModelState s) {
        Matrix x = s.matrix("train_x");
        int n = x.rows();
        Matrix lower = s.matrix("lower", n, n);
        LatentGaussianProcessModel.requireFactor(lower);
        GaussianProcessClassifier.Binary p = new GaussianProcessClassifier.Binary(s.matrix("mean", n, 1).column(0),
                s.matrix("alpha", n, 1).column(0), s.matrix("sqrt_tau", n, 1).column(0), lower,
                s.number("log_marginal_likelihood"), (int) s.number("iterations"));
        return new LatentGaussianProcessModel(s.kernel("kernel"), Likelihood.parse(s.text("likelihood")),
                InferenceMethod.parse(s.text("inference")), HyperparameterObjective.parse(s.text("objective")), x, p,
                s.flag("converged"), s.number("elbo"), s.number("ep_like"), null);
    }
}
