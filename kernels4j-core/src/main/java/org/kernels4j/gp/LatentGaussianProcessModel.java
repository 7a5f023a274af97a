package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.TrainingData;

/**
 * A fitted {@link LatentGaussianProcess}: immutable, on the heap. It keeps the training inputs and
 * the Gaussian posterior in site form (mean at the training points, α, √τ and the factor L of
 * I + SKS, n×n), so prediction costs O(m·n²).
 */
public final class LatentGaussianProcessModel implements Model {
    private final Kernel kernel;
    private final Likelihood likelihood;
    private final InferenceMethod inference;
    private final HyperparameterObjective objective;
    private final Matrix x;
    private final GaussianProcessClassifier.Binary posterior;
    private final boolean converged;
    private final double elbo;
    private final double epLike;
    private final HyperparameterSearch.Result search;

    LatentGaussianProcessModel(Kernel kernel, Likelihood likelihood, InferenceMethod inference,
            HyperparameterObjective objective, Matrix x, GaussianProcessClassifier.Binary posterior, boolean converged,
            double elbo, double epLike, HyperparameterSearch.Result search) {
        this.kernel = kernel;
        this.likelihood = likelihood;
        this.inference = inference;
        this.objective = objective;
        this.x = x;
        this.posterior = posterior;
        this.converged = converged;
        this.elbo = elbo;
        this.epLike = epLike;
        this.search = search;
    }

    /** Latent mean (column 0) and variance (column 1) of f(x*), m×2. */
    public Matrix latent(Matrix xTest) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        Matrix ks = GramEngine.cross(kernel, x, xTest); // n × m
        double[] prior = GramEngine.diagonal(kernel, xTest);
        int n = x.rows();
        int m = xTest.rows();
        Matrix scaled = new Matrix(n, m);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                scaled.set(i, j, posterior.sqrtW()[i] * ks.get(i, j));
            }
        }
        Blas.trsm(true, false, posterior.lower(), scaled);
        Matrix out = new Matrix(m, 2);
        for (int j = 0; j < m; j++) {
            double mean = 0;
            double q = 0;
            for (int i = 0; i < n; i++) {
                mean += ks.get(i, j) * posterior.gradient()[i];
                q += scaled.get(i, j) * scaled.get(i, j);
            }
            out.set(j, 0, mean);
            out.set(j, 1, Math.max(prior[j] - q, 0));
        }
        return out;
    }

    /** The predictive mean of an observation E[y*], m×1 (Poisson: the expected count e^(μ + v/2)). */
    @Override
    public Matrix predict(Matrix xTest) {
        Matrix lat = latent(xTest);
        Matrix out = new Matrix(lat.rows(), 1);
        for (int j = 0; j < out.rows(); j++) {
            out.set(j, 0, likelihood.predictiveMean(lat.get(j, 0), lat.get(j, 1)));
        }
        return out;
    }

    /** The value of the {@link #objective()} at the fit (an approximation of log p(y | X)). */
    public double logMarginalLikelihood() {
        return posterior.logMarginalLikelihood();
    }

    /** The posterior mean of f at the training points. */
    public double[] trainingMean() {
        return posterior.mode().clone();
    }

    /** The likelihood. */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** The inference method. */
    public InferenceMethod inference() {
        return inference;
    }

    /** The reported (and, when learned, maximized) objective. */
    public HyperparameterObjective objective() {
        return objective;
    }

    /** The kernel (learned, when a search was set). */
    public Kernel kernel() {
        return kernel;
    }

    /** A copy of the training inputs. */
    public Matrix trainingInputs() {
        return x.copy();
    }

    GaussianProcessClassifier.Binary posterior() {
        return posterior;
    }

    boolean converged() {
        return converged;
    }

    double elbo() {
        return elbo;
    }

    double epLike() {
        return epLike;
    }

    @Override
    public int features() {
        return x.cols();
    }

    @Override
    public FitReport report() {
        FitReport.Builder r = FitReport.builder().add("log_marginal_likelihood", logMarginalLikelihood())
                .add("likelihood", likelihood.toSpec()).add("inference", inference.label())
                .add("objective", objective.label()).add("iterations", posterior.iterations())
                .add("converged", converged).add("elbo", elbo).add("ep_like", epLike);
        if (search != null) {
            r.add("kernel_learned", kernel.toSpec()).add("search_starts", search.starts().size());
        }
        return r.build();
    }

    @Override
    public String toString() {
        return "LatentGaussianProcessModel(" + kernel.toSpec() + ", " + likelihood.toSpec() + ", " + inference.label() + ")";
    }

    static void requireFactor(Matrix lower) {
        for (int i = 0; i < lower.rows(); i++) {
            if (!(lower.get(i, i) > 0)) {
                throw new Kernels4jException("array 'lower' has a non-positive diagonal");
            }
        }
    }
}
