package org.kernels4j.regression;

import org.kernels4j.model.TrainingData;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.Estimator;

/**
 * Predictions of an infinite ensemble of infinitely wide networks trained by gradient flow on the
 * mean squared error (Lee et al., 2019): the quantities Neural Tangents computes with
 * {@code gradient_descent_mse_ensemble}, with the same conventions.
 *
 * <p>Training minimises L = ‖f(X) − Y‖²_F / (2·N), N = n·k (the number of target entries), by gradient
 * flow with learning rate η, from a random initialization whose outputs are the NNGP prior
 * f₀ ~ GP(0, K). In the infinite-width limit the network is linear in its parameters, so with
 * Θ the NTK on the training inputs (plus the optional diagonal regularizer) and
 * {@code A_t = Θ(X*, X)·Θ⁻¹·(I − e^{−ηΘt/N})}:
 * <pre>
 *   mean(t) = A_t·Y
 *   cov(t)  = K(X*, X*) − A_t·K(X, X*) − K(X*, X)·A_tᵀ + A_t·K(X, X)·A_tᵀ
 * </pre>
 * (the same for every output column). At t = ∞, A = Θ(X*, X)·Θ⁻¹, so the mean is kernel ridge
 * regression with the NTK. All requested times share ONE eigendecomposition Θ = V·diag(λ)·Vᵀ,
 * in which Θ⁻¹(I − e^{−ηΘt/N}) = V·diag((1 − e^{−ηλt/N})/λ)·Vᵀ (with the limit ηt/N for λ = 0 and,
 * at t = ∞, the pseudo-inverse). {@link NtkPredictorModel#nngpPosterior} gives exact Bayesian
 * inference with the NNGP kernel instead.
 *
 * <p>As an {@link Estimator}, the model's {@code predict} is the mean at the builder's
 * {@link Builder#time} (default ∞) and its {@code predictiveVariance} the diagonal of cov(t).
 *
 * <p>Cost: three kernel matrices, one eigendecomposition (≈ 9n³ flops), then per time
 * O(m·n² + m²·n) for m test points; memory O(n² + m·n + m²).
 */
public final class NtkPredictor implements Estimator<NtkPredictorModel> {
    final NeuralKernel ntk;
    final NeuralKernel nngp;
    final double learningRate;
    final double diagReg;
    final boolean absoluteReg;
    final double time;

    private NtkPredictor(NeuralKernel kernel, double learningRate, double diagReg, boolean absoluteReg, double time) {
        this.time = time;
        this.ntk = kernel.withKind(NeuralKernel.Kind.NTK);
        this.nngp = kernel.withKind(NeuralKernel.Kind.NNGP);
        this.learningRate = learningRate;
        this.diagReg = diagReg;
        this.absoluteReg = absoluteReg;
    }

    /**
     * Starts a builder for the network that {@code kernel} describes (NNGP or NTK spec; both
     * kernels of the same network are used). Defaults: η = 1, no regularizer, t = ∞.
     */
    public static Builder builder(NeuralKernel kernel) {
        return new Builder(kernel);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final NeuralKernel kernel;
        private double learningRate = 1;
        private double diagReg;
        private boolean absoluteReg;
        private double time = Double.POSITIVE_INFINITY;

        private Builder(NeuralKernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("the NTK predictor needs a neural kernel (nngp or ntk)");
            }
            this.kernel = kernel;
        }

        /** η &gt; 0 (only η·t matters). */
        public Builder learningRate(double value) {
            this.learningRate = value;
            return this;
        }

        /**
         * Regularizer added to the training kernels' diagonal, ≥ 0. Relative by default (Neural
         * Tangents' convention): diagReg·mean(diag Θ), and diagReg·mean(diag K) for the NNGP
         * posterior; with {@code absolute}, diagReg itself.
         */
        public Builder regularizer(double value, boolean absolute) {
            this.diagReg = value;
            this.absoluteReg = absolute;
            return this;
        }

        /** The training time t ≥ 0 at which {@code predict} evaluates the ensemble (∞: converged). */
        public Builder time(double value) {
            this.time = value;
            return this;
        }

        /** @throws Kernels4jException for η ≤ 0, a negative regularizer or a negative time */
        public NtkPredictor build() {
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new Kernels4jException("the learning rate must be positive and finite, got " + learningRate);
            }
            if (!(diagReg >= 0) || Double.isInfinite(diagReg)) {
                throw new Kernels4jException("the diagonal regularizer must be >= 0 and finite, got " + diagReg);
            }
            if (!(time >= 0)) {
                throw new Kernels4jException("the training time must be >= 0 (or infinity), got " + time);
            }
            return new NtkPredictor(kernel, learningRate, diagReg, absoluteReg, time);
        }
    }

    /** A Gaussian over test outputs: mean m×k and covariance m×m (shared by the k outputs), or null. */
    public record Gaussian(double time, Matrix mean, Matrix covariance) {
    }

    /** Computes the training kernels and the eigendecomposition of the NTK. */
    @Override
    public NtkPredictorModel fit(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        int n = x.rows();
        Matrix theta = GramEngine.gram(ntk, x);
        Matrix k = GramEngine.gram(nngp, x);
        double reg = regularizer(theta);
        for (int i = 0; i < n; i++) {
            theta.set(i, i, theta.get(i, i) + reg);
        }
        SymmetricEigen eig = SymmetricEigen.ofInPlace(theta);
        return new NtkPredictorModel(this, x.copy(), y.copy(), k, eig);
    }

    /** The neural kernel (NTK form). */
    public NeuralKernel kernel() {
        return ntk;
    }

    /** η. */
    public double learningRate() {
        return learningRate;
    }

    /** The diagonal regularizer. */
    public double regularizer() {
        return diagReg;
    }

    /** Whether the regularizer is absolute rather than relative to the mean diagonal. */
    public boolean absoluteRegularizer() {
        return absoluteReg;
    }

    /** The training time at which {@code predict} evaluates. */
    public double time() {
        return time;
    }

    double regularizer(Matrix m) {
        if (absoluteReg) {
            return diagReg;
        }
        double t = 0;
        for (int i = 0; i < m.rows(); i++) {
            t += m.get(i, i);
        }
        return diagReg * t / m.rows();
    }

    static void symmetrize(Matrix c) {
        int m = c.rows();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (c.get(i, j) + c.get(j, i));
                c.set(i, j, s);
                c.set(j, i, s);
            }
        }
    }
}
