package org.kernels4j.gp;

import java.util.Arrays;
import org.kernels4j.model.TrainingData;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;

/**
 * Gaussian process classification with the Laplace approximation (Rasmussen &amp; Williams, 2006,
 * §3.4): prior f ~ GP(0, k), likelihood p(y = 1 | f) = σ(f) = 1/(1 + e^(−f)) with y ∈ {0, 1}.
 *
 * <p>Fitting finds the posterior mode f̂ by Newton's method in the numerically stable form of
 * Algorithm 3.1: with W = diag(π(1 − π)), π = σ(f), B = I + W^½KW^½ = LLᵀ,
 * <pre>
 *   b = W·f + (t − π),   a = b − W^½·L⁻ᵀ·L⁻¹·(W^½·K·b),   f ← K·a
 * </pre>
 * until Ψ(f) = log p(y | f) − ½·aᵀf stops rising (step halving when it falls). The approximate
 * log marginal likelihood is log q(y | X) = Ψ(f̂) − Σ log L_ii. Prediction (Algorithm 3.2):
 * mean f̄* = k*ᵀ(t − π̂), variance V = k(x*, x*) − ‖L⁻¹W^½k*‖², and the class-1 probability
 * p = ∫σ(f)·N(f | f̄*, V) df computed by quadrature to about 1e−14 (Gauss–Hermite for V ≤ 2.25, else
 * the split σ = step − remainder with composite Gauss–Legendre; see
 * {@link GaussianProcessClassifierIntegral}). {@link Builder#approximateProbabilities(boolean)}
 * selects instead the probit approximation σ(f̄* / √(1 + πV/8)) (MacKay, 1992), within about 0.02
 * of p. Cost: each Newton step O(n³/3); prediction O(n²) per point, plus ~64–800 function values
 * per point and problem for the exact probability.
 *
 * <p>More than two classes: one binary classifier per class against the rest (one-vs-rest); the
 * probabilities are p_c / Σ_k p_k, where p_c is the class-c-vs-rest probability above, as
 * scikit-learn's {@code GaussianProcessClassifier} does. So each binary p_c is exact, but the
 * normalized vector is a heuristic combination, not the posterior of a multiclass likelihood.
 */
public final class GaussianProcessClassifier implements Estimator<GaussianProcessClassifierModel> {
    private final Kernel kernel;
    private final int maxIterations;
    private final boolean approximateProbabilities;

    private GaussianProcessClassifier(Kernel kernel, int maxIterations, boolean approximateProbabilities) {
        this.kernel = kernel;
        this.maxIterations = maxIterations;
        this.approximateProbabilities = approximateProbabilities;
    }

    /**
     * Starts a builder; default: at most 100 Newton iterations per binary problem, probabilities by
     * quadrature.
     */
    public static Builder builder(Kernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private int maxIterations = 100;
        private boolean approximateProbabilities;

        private Builder(Kernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a Gaussian process classifier needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The Newton iteration limit per binary problem (≥ 1). */
        public Builder maxIterations(int limit) {
            this.maxIterations = limit;
            return this;
        }

        /**
         * true: class probabilities by the probit approximation σ(μ/√(1 + πv/8)), cheaper and within
         * about 0.02; false (default): the integral by quadrature, to about 1e−14. Saved in the model
         * file.
         */
        public Builder approximateProbabilities(boolean approximate) {
            this.approximateProbabilities = approximate;
            return this;
        }

        /** @throws Kernels4jException for an iteration limit below 1 */
        public GaussianProcessClassifier build() {
            if (maxIterations < 1) {
                throw new Kernels4jException("the iteration limit must be >= 1, got " + maxIterations);
            }
            return new GaussianProcessClassifier(kernel, maxIterations, approximateProbabilities);
        }
    }

    /**
     * Fits on inputs x (n×d) and class labels y (n×1; any real values, e.g. 0/1 or 0..9; at least
     * two distinct ones).
     */
    @Override
    public GaussianProcessClassifierModel fit(Matrix x, Matrix y) {
        double[] classes = TrainingData.requireLabels(x, y);
        if (classes.length < 2) {
            throw new Kernels4jException("classification needs at least two classes, got only " + Arrays.toString(classes));
        }
        double[] labels = y.data();
        Matrix k = GramEngine.gram(kernel, x);
        int problems = classes.length == 2 ? 1 : classes.length;
        Binary[] binary = new Binary[problems];
        for (int c = 0; c < problems; c++) {
            double positive = classes.length == 2 ? classes[1] : classes[c];
            double[] t = new double[labels.length];
            for (int i = 0; i < t.length; i++) {
                t[i] = labels[i] == positive ? 1 : 0;
            }
            binary[c] = laplace(k, t);
        }
        return new GaussianProcessClassifierModel(kernel, x.copy(), classes, binary, approximateProbabilities);
    }

    /** The Laplace approximation of one binary problem. */
    record Binary(double[] mode, double[] gradient, double[] sqrtW, Matrix lower, double logMarginalLikelihood,
            int iterations) {
    }

    private Binary laplace(Matrix k, double[] t) {
        int n = t.length;
        double[] f = new double[n];
        double[] a = new double[n];
        double psi = objective(f, a, t);
        int iter = 0;
        for (; iter < maxIterations; iter++) {
            double[] pi = sigmoid(f);
            double[] sw = new double[n];
            double[] b = new double[n];
            for (int i = 0; i < n; i++) {
                double w = pi[i] * (1 - pi[i]);
                sw[i] = Math.sqrt(w);
                b[i] = w * f[i] + (t[i] - pi[i]);
            }
            double[] newA;
            try (Cholesky l = Cholesky.factor(bMatrix(k, sw), "Laplace matrix I + W^1/2 K W^1/2")) {
                double[] kb = times(k, b);
                double[] v = new double[n];
                for (int i = 0; i < n; i++) {
                    v[i] = sw[i] * kb[i];
                }
                double[] u = l.solve(v);
                newA = new double[n];
                for (int i = 0; i < n; i++) {
                    newA[i] = b[i] - sw[i] * u[i];
                }
            }
            // the full Newton step, halved while Ψ would fall (rare: the objective is concave)
            double[] da = new double[n];
            for (int i = 0; i < n; i++) {
                da[i] = newA[i] - a[i];
            }
            double step = 1;
            double[] trialA = new double[n];
            double[] trialF = f;
            double trialPsi = Double.NEGATIVE_INFINITY;
            for (int h = 0; h < 30; h++) {
                for (int i = 0; i < n; i++) {
                    trialA[i] = a[i] + step * da[i];
                }
                trialF = times(k, trialA);
                trialPsi = objective(trialF, trialA, t);
                if (trialPsi >= psi - 1e-12 * Math.abs(psi)) {
                    break;
                }
                step *= 0.5;
            }
            boolean done = Math.abs(trialPsi - psi) <= 1e-10 * Math.max(1, Math.abs(psi));
            a = trialA.clone();
            f = trialF;
            psi = trialPsi;
            if (done) {
                iter++;
                break;
            }
        }
        double[] pi = sigmoid(f);
        double[] sw = new double[n];
        double[] grad = new double[n];
        for (int i = 0; i < n; i++) {
            sw[i] = Math.sqrt(pi[i] * (1 - pi[i]));
            grad[i] = t[i] - pi[i];
        }
        Matrix lower;
        double logDetHalf;
        try (Cholesky l = Cholesky.factor(bMatrix(k, sw), "Laplace matrix I + W^1/2 K W^1/2")) {
            lower = l.lower();
            logDetHalf = 0.5 * l.logDeterminant();
        }
        return new Binary(f, grad, sw, lower, psi - logDetHalf, iter);
    }

    /** Ψ = log p(t | f) − ½·aᵀf, with log p = Σ t_i·f_i − log(1 + e^(f_i)) computed without overflow. */
    private static double objective(double[] f, double[] a, double[] t) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += t[i] * f[i] - softplus(f[i]) - 0.5 * a[i] * f[i];
        }
        return s;
    }

    static double softplus(double v) {
        return v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
    }

    static double[] sigmoid(double[] f) {
        double[] p = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            p[i] = sigmoid(f[i]);
        }
        return p;
    }

    static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    private static Matrix bMatrix(Matrix k, double[] sw) {
        int n = sw.length;
        Matrix b = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                b.set(i, j, sw[i] * k.get(i, j) * sw[j] + (i == j ? 1 : 0));
            }
        }
        return b;
    }

    private static double[] times(Matrix k, double[] v) {
        double[] out = new double[v.length];
        org.kernels4j.linalg.Blas.gemv(false, 1.0, k, v, 0.0, out);
        return out;
    }

    /** ∫σ(f)·N(f | mean, var) df by the probit approximation σ(mean/√(1 + π·var/8)). */
    static double probit(double mean, double var) {
        return GaussianProcessClassifierIntegral.probit(mean, var);
    }
}
