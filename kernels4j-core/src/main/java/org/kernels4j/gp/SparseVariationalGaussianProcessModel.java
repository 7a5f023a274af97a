package org.kernels4j.gp;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * A fitted {@link SparseVariationalGaussianProcess}: immutable, on the heap, O(m² + m·d) numbers. It keeps
 * the kernel, the likelihood, the inducing inputs Z and the whitened q(v) = N(μ, S) as μ and the factor R
 * of its precision S⁻¹ = R Rᵀ; the prior factor L (L Lᵀ = K(Z, Z) + εI) is recomputed on creation.
 *
 * <p>Latent prediction at x*: with a* = L⁻¹K(Z, x*), mean a*ᵀμ and variance k(x*, x*) − ‖a*‖² + ‖R⁻¹a*‖²,
 * O(m·d + m²) per row, in chunks of {@value #CHUNK} rows. {@link #predict}: for probit and logit the class
 * (of the two labels it was trained on) whose probability is larger, the second label's probability being
 * p(y = 1) = Φ(mean/√(1 + var)) (probit, closed form) or ∫σ(f)·N(f; mean, var) df (logit, by quadrature); otherwise the predictive mean of an
 * observation E[y*]: the latent mean for Gaussian and Student-t, the rate e^(mean + var/2) for Poisson.
 * A regression-type model is a {@link Classifier} without classes ({@link #classes()} null, no
 * probabilities), as SVM regression models are.
 */
public final class SparseVariationalGaussianProcessModel implements Classifier {
    static final int CHUNK = 4096;

    /**
     * What the fit did.
     *
     * @param rows n
     * @param batchSize rows per batch
     * @param epochs passes over the rows
     * @param steps batches processed (optimizer steps)
     * @param naturalStep the natural-gradient step γ used
     * @param learnedHyperparameters whether θ was learned
     * @param learnedInducing whether Z was moved
     * @param elboEstimate the mean of the last epoch's minibatch data terms minus the final KL: an estimate of the
     *     ELBO (the parameters move during the epoch; {@link #elbo} computes it exactly)
     * @param seconds wall time of the fit
     */
    public record Fit(long rows, int batchSize, int epochs, long steps, double naturalStep,
            boolean learnedHyperparameters, boolean learnedInducing, double elboEstimate, double seconds) {
    }

    private final Kernel kernel;
    private final Likelihood likelihood;
    /** The two class labels, ascending (Bernoulli likelihoods); null otherwise. */
    private final double[] classes;
    private final Matrix z;
    private final double[] mean;
    private final Matrix r;
    private final double jitter;
    private final Fit fit;
    private final Matrix l;

    /**
     * @param classes for a Bernoulli likelihood the two class labels (finite, ascending), the second being y = 1 of
     *     the likelihood (null means {0, 1}); ignored otherwise
     */
    SparseVariationalGaussianProcessModel(Kernel kernel, Likelihood likelihood, double[] classes, Matrix z,
            double[] mean, Matrix r, double jitter, Fit fit) {
        this.kernel = kernel;
        this.likelihood = likelihood;
        // (the fit and the codec pass two finite ascending labels; they check them, with their own messages)
        this.classes = !likelihood.isBernoulli() ? null : classes == null ? new double[] {0, 1} : classes.clone();
        this.z = z;
        this.mean = mean;
        this.r = r;
        this.jitter = jitter;
        this.fit = fit;
        this.l = SparseGaussianProcess.factor(kernel, z, jitter);
    }

    /** Latent mean (column 0) and variance (column 1) of f(x*) under q, t×2. */
    public Matrix latent(Matrix xTest) {
        TrainingData.requirePredictionInputs(xTest, z.cols());
        int t = xTest.rows();
        Matrix out = new Matrix(t, 2);
        for (int from = 0; from < t; from += CHUNK) {
            int to = Math.min(t, from + CHUNK);
            SparseVariationalGaussianProcess.Marginals mg = SparseVariationalGaussianProcess.marginals(kernel, z, l,
                    mean, r, xTest.rowRange(from, to));
            for (int i = from; i < to; i++) {
                out.set(i, 0, mg.mean()[i - from]);
                out.set(i, 1, Math.max(mg.variance()[i - from], 0));
            }
        }
        return out;
    }

    /**
     * The more probable of the two class labels (probit, logit; the first one on a tie), else E[y*] (the Poisson
     * rate, the mean for Gaussian and Student-t); t×1.
     */
    @Override
    public Matrix predict(Matrix xTest) {
        Matrix lat = latent(xTest);
        Matrix out = new Matrix(lat.rows(), 1);
        for (int i = 0; i < out.rows(); i++) {
            double v = likelihood.predictiveMean(lat.get(i, 0), lat.get(i, 1));
            out.set(i, 0, likelihood.isBernoulli() ? classes[v > 0.5 ? 1 : 0] : v);
        }
        return out;
    }

    /**
     * The two class labels, ascending, for probit and logit (the labels it was trained on: {0, 1} for 0/1 labels);
     * null (no classes) for the other likelihoods.
     */
    @Override
    public double[] classes() {
        return classes == null ? null : classes.clone();
    }

    /** Labels as the likelihood's 0/1: the index of each label among {@code classes}. */
    static double[] codes(double[] labels, double[] classes) {
        double[] out = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == classes[0]) {
                out[i] = 0;
            } else if (labels[i] == classes[1]) {
                out[i] = 1;
            } else {
                throw new Kernels4jException("row " + (i + 1) + " has label " + labels[i] + ", not one of the classes "
                        + Arrays.toString(classes));
            }
        }
        return out;
    }

    @Override
    public boolean hasProbabilities() {
        return likelihood.isBernoulli();
    }

    /**
     * The probabilities of {@link #classes()}' two labels per row, t×2: 1 − p and p, p = Φ(mean/√(1 + var)) for
     * probit, the expected sigmoid for logit.
     *
     * @throws Kernels4jException for a likelihood that is not Bernoulli
     */
    @Override
    public Matrix probabilities(Matrix xTest) {
        if (!likelihood.isBernoulli()) {
            throw new Kernels4jException("class probabilities need a probit or logit likelihood; this model has "
                    + likelihood.toSpec());
        }
        Matrix lat = latent(xTest);
        Matrix p = new Matrix(lat.rows(), 2);
        for (int i = 0; i < p.rows(); i++) {
            double p1 = likelihood.predictiveMean(lat.get(i, 0), lat.get(i, 1));
            p.set(i, 0, 1 - p1);
            p.set(i, 1, p1);
        }
        return p;
    }

    /**
     * The ELBO Σ_i E_{q(f_i)}[log p(y_i | f_i)] − KL(q(v) ‖ p(v)) on these rows (one pass, in chunks), y n×1
     * valid for the likelihood.
     */
    public double elbo(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        TrainingData.requirePredictionInputs(x, z.cols());
        if (y.cols() != 1) {
            throw new Kernels4jException("the ELBO takes one target column, got " + y.cols());
        }
        double[] obs = classes == null ? y.column(0) : codes(y.column(0), classes);
        likelihood.validate(obs);
        double s = 0;
        for (int from = 0; from < obs.length; from += CHUNK) {
            int to = Math.min(obs.length, from + CHUNK);
            SparseVariationalGaussianProcess.Marginals mg = SparseVariationalGaussianProcess.marginals(kernel, z, l,
                    mean, r, x.rowRange(from, to));
            for (int i = from; i < to; i++) {
                s += likelihood.expectation(obs[i], mg.mean()[i - from], mg.variance()[i - from]).value();
            }
        }
        return s - posterior().kl();
    }

    SparseVariationalGaussianProcess.Posterior posterior() {
        return SparseVariationalGaussianProcess.Posterior.of(mean, r);
    }

    @Override
    public int features() {
        return z.cols();
    }

    /** The kernel (learned, when hyperparameters were learned). */
    public Kernel kernel() {
        return kernel;
    }

    /** The likelihood. */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** The inducing inputs Z, m×d (a copy). */
    public Matrix inducingInputs() {
        return z.copy();
    }

    /** The whitened variational mean μ (m; a copy). */
    public double[] variationalMean() {
        return mean.clone();
    }

    /** R, the lower Cholesky factor of the whitened variational precision S⁻¹ (m×m; a copy). */
    public Matrix precisionFactor() {
        return r.copy();
    }

    /** The relative jitter on K(Z, Z). */
    public double jitter() {
        return jitter;
    }

    /** What the fit did (null for a model read from a file that did not record it). */
    public Fit fit() {
        return fit;
    }

    @Override
    public FitReport report() {
        FitReport.Builder b = FitReport.builder().add("likelihood", likelihood.toSpec()).add("inducing", z.rows());
        if (fit != null) {
            b.add("elbo_estimate", fit.elboEstimate()).add("epochs", fit.epochs()).add("batch_size", fit.batchSize())
                    .add("steps", fit.steps()).add("natural_step", fit.naturalStep())
                    .add("learned", fit.learnedHyperparameters() ? (fit.learnedInducing() ? "hyperparameters, inducing"
                            : "hyperparameters") : fit.learnedInducing() ? "inducing" : "variational only")
                    .add("seconds", fit.seconds());
            if (fit.learnedHyperparameters()) {
                b.add("kernel_learned", kernel.toSpec());
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return "SparseVariationalGaussianProcessModel(" + kernel.toSpec() + ", " + likelihood.toSpec() + ", m = "
                + z.rows() + ")";
    }
}
