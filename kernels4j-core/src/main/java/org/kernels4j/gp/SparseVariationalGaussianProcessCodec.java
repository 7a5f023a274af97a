package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code svgp}: fields kernel (spec), likelihood (spec), jitter, for probit and logit the two
 * class labels ({@code classes}, ascending, the second being y = 1; absent in files written before it: 0 and 1),
 * and what the fit did
 * (rows, batch_size, epochs, steps, natural_step, learned_hyperparameters, learned_inducing, elbo_estimate,
 * seconds); arrays {@code inducing} (Z, m×d), {@code q_mean} (the whitened variational mean μ, m×1) and
 * {@code precision_factor} (R, m×m lower triangular with a positive diagonal: S⁻¹ = R Rᵀ). The prior factor
 * is recomputed from the kernel and Z on loading, by the same code as at the fit, so predictions match.
 */
public final class SparseVariationalGaussianProcessCodec extends ModelCodec<SparseVariationalGaussianProcessModel> {
    /** The kind written into files. */
    public static final String KIND = "svgp";

    /** The codec (registered with ServiceLoader). */
    public SparseVariationalGaussianProcessCodec() {
        super(KIND, SparseVariationalGaussianProcessModel.class);
    }

    @Override
    public ModelState encode(SparseVariationalGaussianProcessModel m) {
        ModelState.Builder s = ModelState.builder(KIND).put("kernel", m.kernel().toSpec())
                .put("likelihood", m.likelihood().toSpec()).put("jitter", m.jitter());
        if (m.classes() != null) {
            s.put("classes", m.classes());
        }
        SparseVariationalGaussianProcessModel.Fit f = m.fit();
        if (f != null) {
            s.put("rows", f.rows()).put("batch_size", (long) f.batchSize()).put("epochs", (long) f.epochs())
                    .put("steps", f.steps()).put("natural_step", f.naturalStep())
                    .put("learned_hyperparameters", f.learnedHyperparameters())
                    .put("learned_inducing", f.learnedInducing()).put("seconds", f.seconds());
            if (Double.isFinite(f.elboEstimate())) {
                s.put("elbo_estimate", f.elboEstimate());
            }
        }
        return s.array("inducing", m.inducingInputs()).array("q_mean", Matrix.column(m.variationalMean()))
                .array("precision_factor", m.precisionFactor()).build();
    }

    @Override
    public SparseVariationalGaussianProcessModel decode(ModelState s) {
        Matrix z = s.matrix("inducing");
        int m = z.rows();
        double[] mean = s.matrix("q_mean", m, 1).column(0);
        Matrix r = s.matrix("precision_factor", m, m);
        try {
            Cholesky.requireFactor(r);
        } catch (Kernels4jException e) {
            throw new Kernels4jException("array 'precision_factor': " + e.getMessage());
        }
        SparseVariationalGaussianProcessModel.Fit fit = null;
        if (s.has("steps")) {
            fit = new SparseVariationalGaussianProcessModel.Fit((long) s.number("rows"),
                    s.integer("batch_size", 1, Integer.MAX_VALUE), s.integer("epochs", 1, Integer.MAX_VALUE),
                    (long) s.number("steps"), s.number("natural_step"), s.flag("learned_hyperparameters"),
                    s.flag("learned_inducing"), s.has("elbo_estimate") ? s.number("elbo_estimate") : Double.NaN,
                    s.number("seconds"));
        }
        Likelihood lik;
        try {
            lik = Likelihood.parse(s.text("likelihood"));
        } catch (Kernels4jException e) {
            throw new Kernels4jException("field 'likelihood': " + e.getMessage());
        }
        double[] classes = null;
        if (s.has("classes")) {
            if (!lik.isBernoulli()) {
                throw new Kernels4jException("field 'classes' is only valid for the probit and logit likelihoods, not "
                        + lik.toSpec());
            }
            classes = s.numbers("classes", 2);
            if (!(classes[1] > classes[0])) {
                throw new Kernels4jException("field 'classes' must be strictly ascending");
            }
        }
        return new SparseVariationalGaussianProcessModel(s.kernel("kernel"), lik, classes, z, mean, r,
                s.positive("jitter", true), fit);
    }
}
