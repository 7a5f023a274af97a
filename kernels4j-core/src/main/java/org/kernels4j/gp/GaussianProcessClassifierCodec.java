package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code gpc}: the kernel spec, the classes and, per binary problem p, its
 * approximate log marginal likelihood and Newton iterations as fields; the training inputs
 * {@code train_x} (n×d) and, stacked by problem, {@code mode}, {@code gradient} (t − π̂) and
 * {@code sqrt_w} (each n×P) and {@code lower} (the Cholesky factors of B, P·n × n) as arrays; the
 * flag {@code approximate_probabilities} (probit approximation instead of quadrature; optional,
 * files written before it existed read as false, i.e. exact probabilities); {@code likelihood}
 * (logit|probit), {@code inference} (laplace|ep|cvi) and {@code objective} (elbo|ep-like|evidence),
 * optional too: older files are logit Laplace with the evidence. The arrays hold the site form:
 * {@code mode} is the posterior mean, {@code gradient} α, {@code sqrt_w} √τ, {@code lower} the factor
 * of I + SKS.
 *
 * <p>Layout version 2 (field {@code gpc_format}; files without it are version 1 and load as before)
 * adds {@code multi_class} (ovr|softmax; absent: ovr). A softmax file has one column per class in
 * {@code mode} (f̂_c), {@code gradient} (y_c − π̂_c) and {@code sqrt_w} (√π̂_c), C factors of
 * I + D_c^½KD_c^½ stacked in {@code lower}, the factor of Σ_c E_c in {@code sum_lower} (n×n), one
 * evidence and one iteration count, and {@code predictive_samples}.
 */
public final class GaussianProcessClassifierCodec extends ModelCodec<GaussianProcessClassifierModel> {
    /** The kind written into files. */
    public static final String KIND = "gpc";
    /** The layout version this build writes and the newest it reads. */
    static final int FORMAT = 2;

    /** The codec (registered with ServiceLoader). */
    public GaussianProcessClassifierCodec() {
        super(KIND, GaussianProcessClassifierModel.class);
    }

    @Override
    public ModelState encode(GaussianProcessClassifierModel m) {
        if (m.multiClass() == MultiClass.SOFTMAX) {
            return encodeSoftmax(m);
        }
        Matrix x = m.trainingInputs();
        int n = x.rows();
        int p = m.problems();
        Matrix mode = new Matrix(n, p);
        Matrix gradient = new Matrix(n, p);
        Matrix sqrtW = new Matrix(n, p);
        Matrix lower = new Matrix(p * n, n);
        double[] lml = new double[p];
        double[] iterations = new double[p];
        for (int c = 0; c < p; c++) {
            GaussianProcessClassifier.Binary b = m.problem(c);
            for (int i = 0; i < n; i++) {
                mode.set(i, c, b.mode()[i]);
                gradient.set(i, c, b.gradient()[i]);
                sqrtW.set(i, c, b.sqrtW()[i]);
            }
            System.arraycopy(b.lower().data(), 0, lower.data(), c * n * n, n * n);
            lml[c] = b.logMarginalLikelihood();
            iterations[c] = b.iterations();
        }
        return ModelState.builder(KIND)
                .put("gpc_format", FORMAT)
                .put("multi_class", MultiClass.ONE_VS_REST.label())
                .put("kernel", m.kernel().toSpec())
                .put("classes", m.classes())
                .put("log_marginal_likelihood", lml)
                .put("iterations", iterations)
                .put("approximate_probabilities", m.approximateProbabilities())
                .put("likelihood", m.likelihood().toSpec())
                .put("inference", m.inference().label())
                .put("objective", m.objective().label())
                .array("train_x", x)
                .array("mode", mode)
                .array("gradient", gradient)
                .array("sqrt_w", sqrtW)
                .array("lower", lower)
                .build();
    }

    private static ModelState encodeSoftmax(GaussianProcessClassifierModel m) {
        SoftmaxLaplace.Posterior p = m.softmax();
        Matrix x = m.trainingInputs();
        int n = x.rows();
        int c = p.classes();
        Matrix mode = new Matrix(n, c);
        Matrix gradient = new Matrix(n, c);
        Matrix sqrtW = new Matrix(n, c);
        Matrix lower = new Matrix(c * n, n);
        for (int k = 0; k < c; k++) {
            for (int i = 0; i < n; i++) {
                mode.set(i, k, p.mode()[k][i]);
                gradient.set(i, k, p.alpha()[k][i]);
                sqrtW.set(i, k, p.sqrtPi()[k][i]);
            }
            System.arraycopy(p.lower()[k].data(), 0, lower.data(), k * n * n, n * n);
        }
        return ModelState.builder(KIND)
                .put("gpc_format", FORMAT)
                .put("multi_class", MultiClass.SOFTMAX.label())
                .put("kernel", m.kernel().toSpec())
                .put("classes", m.classes())
                .put("log_marginal_likelihood", new double[] {p.logEvidence()})
                .put("iterations", new double[] {p.iterations()})
                .put("converged", p.converged())
                .put("predictive_samples", m.predictiveSamples())
                .put("likelihood", m.likelihood().toSpec())
                .put("inference", m.inference().label())
                .put("objective", m.objective().label())
                .array("train_x", x)
                .array("mode", mode)
                .array("gradient", gradient)
                .array("sqrt_w", sqrtW)
                .array("lower", lower)
                .array("sum_lower", p.sumLower())
                .build();
    }

    private static Matrix requireFactor(Matrix l, String what) {
        for (int i = 0; i < l.rows(); i++) {
            if (!(l.get(i, i) > 0)) {
                throw new Kernels4jException("array " + what + " has a non-positive diagonal");
            }
        }
        return l;
    }

    private static GaussianProcessClassifierModel decodeSoftmax(ModelState s, double[] classes) {
        int c = classes.length;
        double lml = s.numbers("log_marginal_likelihood", 1)[0];
        int iterations = (int) s.numbers("iterations", 1)[0];
        int samples = s.integer("predictive_samples", 100, Integer.MAX_VALUE);
        Matrix x = s.matrix("train_x");
        int n = x.rows();
        Matrix mode = s.matrix("mode", n, c);
        Matrix gradient = s.matrix("gradient", n, c);
        Matrix sqrtW = s.matrix("sqrt_w", n, c);
        Matrix lower = s.matrix("lower", c * n, n);
        Matrix sumLower = requireFactor(s.matrix("sum_lower", n, n), "'sum_lower'");
        double[][] f = new double[c][];
        double[][] alpha = new double[c][];
        double[][] sqrtPi = new double[c][];
        Matrix[] factors = new Matrix[c];
        for (int k = 0; k < c; k++) {
            f[k] = mode.column(k);
            alpha[k] = gradient.column(k);
            sqrtPi[k] = sqrtW.column(k);
            double[] l = new double[n * n];
            System.arraycopy(lower.data(), k * n * n, l, 0, n * n);
            factors[k] = requireFactor(Matrix.wrap(n, n, l), "'lower' of class " + k);
        }
        SoftmaxLaplace.Posterior p = new SoftmaxLaplace.Posterior(f, alpha, sqrtPi, factors, sumLower, lml, iterations,
                !s.has("converged") || s.flag("converged"));
        return new GaussianProcessClassifierModel(s.kernel("kernel"), x, classes, p, samples, null);
    }

    @Override
    public GaussianProcessClassifierModel decode(ModelState s) {
        int format = s.has("gpc_format") ? s.integer("gpc_format", 1, Integer.MAX_VALUE) : 1;
        if (format > FORMAT) {
            throw new Kernels4jException("field 'gpc_format' is " + format + ", newer than this build reads (up to "
                    + FORMAT + "); upgrade kernels4j");
        }
        MultiClass multiClass = s.has("multi_class") ? MultiClass.parse(s.text("multi_class")) : MultiClass.ONE_VS_REST;
        double[] classes = s.numbers("classes", -1);
        if (classes.length < 2) {
            throw new Kernels4jException("field 'classes' must list at least two classes");
        }
        for (int i = 1; i < classes.length; i++) {
            if (!(classes[i] > classes[i - 1])) {
                throw new Kernels4jException("field 'classes' must be strictly ascending");
            }
        }
        if (multiClass == MultiClass.SOFTMAX) {
            return decodeSoftmax(s, classes);
        }
        int p = classes.length == 2 ? 1 : classes.length;
        double[] lml = s.numbers("log_marginal_likelihood", p);
        double[] iterations = s.numbers("iterations", p);
        Matrix x = s.matrix("train_x");
        int n = x.rows();
        Matrix mode = s.matrix("mode", n, p);
        Matrix gradient = s.matrix("gradient", n, p);
        Matrix sqrtW = s.matrix("sqrt_w", n, p);
        Matrix lower = s.matrix("lower", p * n, n);
        GaussianProcessClassifier.Binary[] binary = new GaussianProcessClassifier.Binary[p];
        for (int c = 0; c < p; c++) {
            double[] l = new double[n * n];
            System.arraycopy(lower.data(), c * n * n, l, 0, n * n);
            Matrix lc = Matrix.wrap(n, n, l);
            for (int i = 0; i < n; i++) {
                if (!(lc.get(i, i) > 0)) {
                    throw new Kernels4jException("array 'lower' of problem " + c + " has a non-positive diagonal");
                }
            }
            binary[c] = new GaussianProcessClassifier.Binary(mode.column(c), gradient.column(c), sqrtW.column(c), lc,
                    lml[c], (int) iterations[c]);
        }
        boolean approximate = s.has("approximate_probabilities") && s.flag("approximate_probabilities");
        Likelihood likelihood = s.has("likelihood") ? Likelihood.parse(s.text("likelihood")) : Likelihood.logit();
        if (!likelihood.isBernoulli()) {
            throw new Kernels4jException("field 'likelihood' must be logit or probit, got " + likelihood.toSpec());
        }
        InferenceMethod inference = s.has("inference") ? InferenceMethod.parse(s.text("inference"))
                : InferenceMethod.LAPLACE;
        HyperparameterObjective objective = s.has("objective") ? HyperparameterObjective.parse(s.text("objective"))
                : HyperparameterObjective.EVIDENCE;
        return new GaussianProcessClassifierModel(s.kernel("kernel"), x, classes, binary, approximate, likelihood,
                inference, objective, null);
    }
}
