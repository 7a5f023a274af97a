package org.kernels4j.gp;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * A fitted GP classifier (see {@link GaussianProcessClassifier}): immutable, on the heap.
 * Per binary problem it keeps the Gaussian posterior in site form: its mean at the training points
 * (the mode f̂ for Laplace), α (t − π̂ for logit Laplace), S = √τ (W^½ for Laplace) and the lower
 * Cholesky factor L of B = I + SKS (n×n), so prediction needs no refit: mean k*ᵀα, variance
 * k** − ‖L⁻¹Sk*‖², O(m·n²) per problem. A softmax model ({@link #multiClass()} SOFTMAX) keeps instead,
 * per class, the mode, α = y_c − π̂_c, √π̂_c and the factor of I + D_c^½KD_c^½, and the factor M of
 * Σ_c E_c (R&amp;W Algorithm 3.4): O(C·m·n²) per prediction plus the Monte-Carlo average.
 */
public final class GaussianProcessClassifierModel implements Classifier {
    private final Kernel kernel;
    private final Matrix x;
    private final double[] classes;
    private final GaussianProcessClassifier.Binary[] binary;
    private final boolean approximateProbabilities;
    private final Likelihood likelihood;
    private final InferenceMethod inference;
    private final HyperparameterObjective objective;
    private final HyperparameterSearch.Result search;
    private final SoftmaxLaplace.Posterior softmax;
    private final int predictiveSamples;

    GaussianProcessClassifierModel(Kernel kernel, Matrix x, double[] classes, GaussianProcessClassifier.Binary[] binary,
            boolean approximateProbabilities, Likelihood likelihood, InferenceMethod inference,
            HyperparameterObjective objective, HyperparameterSearch.Result search) {
        this.kernel = kernel;
        this.x = x;
        this.classes = classes;
        this.binary = binary;
        this.approximateProbabilities = approximateProbabilities;
        this.likelihood = likelihood;
        this.inference = inference;
        this.objective = objective;
        this.search = search;
        this.softmax = null;
        this.predictiveSamples = 0;
    }

    /** A softmax model: logit (softmax) likelihood, Laplace, its evidence. */
    GaussianProcessClassifierModel(Kernel kernel, Matrix x, double[] classes, SoftmaxLaplace.Posterior softmax,
            int predictiveSamples, HyperparameterSearch.Result search) {
        this.kernel = kernel;
        this.x = x;
        this.classes = classes;
        this.binary = null;
        this.approximateProbabilities = false;
        this.likelihood = Likelihood.logit();
        this.inference = InferenceMethod.LAPLACE;
        this.objective = HyperparameterObjective.EVIDENCE;
        this.search = search;
        this.softmax = softmax;
        this.predictiveSamples = predictiveSamples;
    }

    /** How the classes are modelled: one-vs-rest binary problems or one softmax likelihood. */
    public MultiClass multiClass() {
        return softmax == null ? MultiClass.ONE_VS_REST : MultiClass.SOFTMAX;
    }

    /** Softmax: the Monte-Carlo draws per test point for the class probabilities (0 for one-vs-rest). */
    public int predictiveSamples() {
        return predictiveSamples;
    }

    SoftmaxLaplace.Posterior softmax() {
        return softmax;
    }

    /** The likelihood: logit or probit (softmax models: logit, whose multi-class form softmax is). */
    public Likelihood likelihood() {
        return likelihood;
    }

    /** The inference method that produced the posterior. */
    public InferenceMethod inference() {
        return inference;
    }

    /** The objective reported by {@link #logMarginalLikelihood()} (and maximized when hyperparameters were learned). */
    public HyperparameterObjective objective() {
        return objective;
    }

    /** Whether probabilities use the probit approximation instead of quadrature. */
    public boolean approximateProbabilities() {
        return approximateProbabilities;
    }

    /** The class-1 probability of one binary problem from its latent mean and variance. */
    private double binaryProbability(double mean, double var) {
        if (likelihood.toSpec().equals("probit")) {
            return likelihood.predictiveMean(mean, var); // Φ(μ/√(1 + v)), exact
        }
        return approximateProbabilities ? GaussianProcessClassifierIntegral.probit(mean, var)
                : GaussianProcessClassifierIntegral.expectedSigmoid(mean, var);
    }

    /** The class labels, ascending. */
    @Override
    public double[] classes() {
        return classes.clone();
    }

    /**
     * The {@link #objective()} (an approximation of log p(y | X): the Laplace or EP evidence, the ELBO
     * or the EP-like estimate), summed over the binary problems; for softmax the Laplace evidence of the
     * joint C-class posterior.
     */
    public double logMarginalLikelihood() {
        if (softmax != null) {
            return softmax.logEvidence();
        }
        double s = 0;
        for (GaussianProcessClassifier.Binary b : binary) {
            s += b.logMarginalLikelihood();
        }
        return s;
    }

    /**
     * The posterior mode f̂ of binary problem c (0 when there are two classes) at the training points;
     * softmax: of latent function c (one per class).
     */
    public double[] mode(int problem) {
        requireProblem(problem);
        return softmax != null ? softmax.mode()[problem].clone() : binary[problem].mode().clone();
    }

    /** Iterations (Newton steps, EP sweeps or CVI steps) taken by binary problem c; softmax: the joint Newton steps. */
    public int iterations(int problem) {
        requireProblem(problem);
        return softmax != null ? softmax.iterations() : binary[problem].iterations();
    }

    private void requireProblem(int problem) {
        if (problem < 0 || problem >= problems()) {
            throw new Kernels4jException("problem " + problem + " does not exist; the model has " + problems());
        }
    }

    /**
     * Latent predictive mean (column 0) and variance (column 1) of binary problem c at xTest
     * (Algorithm 3.2 lines 4–6); softmax: of latent function c, the marginal of {@link #latentCovariances}.
     */
    public Matrix latent(Matrix xTest, int problem) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        requireProblem(problem);
        if (softmax != null) {
            SoftmaxLaplace.Prediction pr = softmaxPrediction(xTest);
            Matrix out = new Matrix(xTest.rows(), 2);
            for (int j = 0; j < xTest.rows(); j++) {
                out.set(j, 0, pr.mean()[j][problem]);
                out.set(j, 1, Math.max(pr.covariance()[j][problem][problem], 0));
            }
            return out;
        }
        GaussianProcessClassifier.Binary b = binary[problem];
        Matrix ks = GramEngine.cross(kernel, x, xTest); // n × m
        double[] prior = GramEngine.diagonal(kernel, xTest);
        int n = x.rows();
        int m = xTest.rows();
        Matrix scaled = new Matrix(n, m);
        double[] kd = ks.data();
        double[] sd = scaled.data();
        double[] mean = new double[m];
        double[] q = new double[m];
        for (int i = 0; i < n; i++) { // row by row: K(X, X*) and V are row-major
            double w = b.sqrtW()[i];
            double a = b.gradient()[i];
            for (int j = 0; j < m; j++) {
                double v = kd[i * m + j];
                sd[i * m + j] = w * v;
                mean[j] += v * a;
            }
        }
        org.kernels4j.linalg.Blas.trsm(true, false, b.lower(), scaled); // V = L⁻¹·W^½·K(X, X*)
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double v = sd[i * m + j];
                q[j] += v * v;
            }
        }
        Matrix out = new Matrix(m, 2);
        for (int j = 0; j < m; j++) {
            out.set(j, 0, mean[j]);
            out.set(j, 1, Math.max(prior[j] - q[j], 0));
        }
        return out;
    }

    /**
     * Softmax only: the latent predictive means (m × C, columns in {@link #classes()} order) of
     * R&amp;W Algorithm 3.4.
     */
    public Matrix latentMeans(Matrix xTest) {
        SoftmaxLaplace.Prediction pr = softmaxPrediction(requireSoftmax(xTest));
        Matrix out = new Matrix(xTest.rows(), classes.length);
        for (int j = 0; j < xTest.rows(); j++) {
            for (int c = 0; c < classes.length; c++) {
                out.set(j, c, pr.mean()[j][c]);
            }
        }
        return out;
    }

    /**
     * Softmax only: the C×C latent predictive covariance Σ*_cc' = δ_cc'(k** − k*ᵀE_c k*) +
     * k*ᵀE_c(Σ_k E_k)⁻¹E_c'k* of each test point (R&amp;W Algorithm 3.4), one new matrix per row of xTest.
     */
    public java.util.List<Matrix> latentCovariances(Matrix xTest) {
        SoftmaxLaplace.Prediction pr = softmaxPrediction(requireSoftmax(xTest));
        java.util.List<Matrix> out = new java.util.ArrayList<>();
        for (double[][] s : pr.covariance()) {
            Matrix m = new Matrix(classes.length, classes.length);
            for (int c = 0; c < classes.length; c++) {
                for (int d = 0; d < classes.length; d++) {
                    m.set(c, d, s[c][d]);
                }
            }
            out.add(m);
        }
        return java.util.List.copyOf(out);
    }

    private Matrix requireSoftmax(Matrix xTest) {
        if (softmax == null) {
            throw new Kernels4jException("joint latent predictions need a softmax model; this one is one-vs-rest "
                    + "(use latent(xTest, problem))");
        }
        TrainingData.requirePredictionInputs(xTest, x.cols());
        return xTest;
    }

    /** Algorithm 3.4 in blocks of 512 test points, so the C·n × block intermediates stay small. */
    private SoftmaxLaplace.Prediction softmaxPrediction(Matrix xTest) {
        int m = xTest.rows();
        double[][] mean = new double[m][];
        double[][][] cov = new double[m][][];
        for (int r0 = 0; r0 < m; r0 += 512) {
            Matrix block = xTest.selectRows(java.util.stream.IntStream.range(r0, Math.min(r0 + 512, m)).toArray());
            SoftmaxLaplace.Prediction p = SoftmaxLaplace.predict(softmax, GramEngine.cross(kernel, x, block),
                    GramEngine.diagonal(kernel, block));
            System.arraycopy(p.mean(), 0, mean, r0, block.rows());
            System.arraycopy(p.covariance(), 0, cov, r0, block.rows());
        }
        return new SoftmaxLaplace.Prediction(mean, cov);
    }

    /**
     * Class probabilities, m × (number of classes), columns in {@link #classes()} order. Softmax:
     * E[softmax(f*)] under the latent predictive N(μ*, Σ*) by Monte Carlo ({@link #predictiveSamples()}
     * draws from a fixed seed, the same for every row). Two classes:
     * p = ∫σ(f)·N(f | μ, v) df of the latent prediction (by quadrature, or the probit approximation
     * when the model was fitted with it) and 1 − p. More: the one-vs-rest probabilities p_c
     * normalized, p_c / Σ_k p_k.
     */
    @Override
    public Matrix probabilities(Matrix xTest) {
        if (softmax != null) {
            TrainingData.requirePredictionInputs(xTest, x.cols());
            return xTest.rows() == 0 ? new Matrix(0, classes.length)
                    : SoftmaxLaplace.probabilities(softmaxPrediction(xTest), predictiveSamples);
        }
        int m = xTest.rows();
        int c = classes.length;
        Matrix p = new Matrix(m, c);
        if (c == 2) {
            Matrix lat = latent(xTest, 0);
            for (int j = 0; j < m; j++) {
                double p1 = binaryProbability(lat.get(j, 0), lat.get(j, 1));
                p.set(j, 0, 1 - p1);
                p.set(j, 1, p1);
            }
            return p;
        }
        for (int k = 0; k < c; k++) {
            Matrix lat = latent(xTest, k);
            for (int j = 0; j < m; j++) {
                p.set(j, k, binaryProbability(lat.get(j, 0), lat.get(j, 1)));
            }
        }
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int k = 0; k < c; k++) {
                s += p.get(j, k);
            }
            for (int k = 0; k < c; k++) {
                p.set(j, k, p.get(j, k) / s);
            }
        }
        return p;
    }

    /** The most probable class label for each row, m×1. */
    @Override
    public Matrix predict(Matrix xTest) {
        Matrix p = probabilities(xTest);
        Matrix out = new Matrix(p.rows(), 1);
        for (int j = 0; j < out.rows(); j++) {
            int best = 0;
            for (int k = 1; k < p.cols(); k++) {
                if (p.get(j, k) > p.get(j, best)) {
                    best = k;
                }
            }
            out.set(j, 0, classes[best]);
        }
        return out;
    }

    @Override
    public int features() {
        return x.cols();
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** A copy of the training inputs. */
    public Matrix trainingInputs() {
        return x.copy();
    }

    /** Number of binary problems: 1 for two classes, else one per class (one-vs-rest); softmax: C latent functions. */
    public int problems() {
        return softmax != null ? classes.length : binary.length;
    }

    /** One-vs-rest only. */
    GaussianProcessClassifier.Binary problem(int c) {
        return binary[c];
    }

    @Override
    public FitReport report() {
        if (softmax != null) {
            FitReport.Builder r = FitReport.builder().add("log_marginal_likelihood", logMarginalLikelihood())
                    .add("multi_class", "softmax").add("latent_functions", classes.length)
                    .add("inference", inference.label()).add("newton_iterations", (long) softmax.iterations())
                    .add("probabilities", "Monte Carlo, " + predictiveSamples + " draws");
            if (search != null) {
                r.add("kernel_learned", kernel.toSpec()).add("search_starts", search.starts().size());
            }
            return r.build();
        }
        long it = 0;
        for (GaussianProcessClassifier.Binary b : binary) {
            it += b.iterations();
        }
        FitReport.Builder r = FitReport.builder().add("log_marginal_likelihood", logMarginalLikelihood())
                .add("multi_class", "ovr").add("problems", binary.length).add("likelihood", likelihood.toSpec()).add("inference", inference.label())
                .add("objective", objective.label())
                .add(inference == InferenceMethod.LAPLACE ? "newton_iterations" : "iterations", it)
                .add("probabilities", likelihood.toSpec().equals("probit") ? "closed form"
                        : approximateProbabilities ? "probit approximation" : "quadrature");
        if (search != null) {
            r.add("kernel_learned", kernel.toSpec()).add("search_starts", search.starts().size());
        }
        return r.build();
    }

    @Override
    public String toString() {
        return "GaussianProcessClassifierModel(" + kernel.toSpec() + ", classes " + Arrays.toString(classes) + ")";
    }
}
