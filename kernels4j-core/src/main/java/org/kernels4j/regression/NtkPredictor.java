package org.kernels4j.regression;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

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
 * at t = ∞, the pseudo-inverse). {@link Fit#nngpPosterior} gives exact Bayesian inference with the
 * NNGP kernel instead.
 *
 * <p>Cost: three kernel matrices, one eigendecomposition (≈ 9n³ flops), then per time
 * O(m·n² + m²·n) for m test points; memory O(n² + m·n + m²).
 */
public final class NtkPredictor {
    private final NeuralKernel ntk;
    private final NeuralKernel nngp;
    private final double learningRate;
    private final double diagReg;
    private final boolean absoluteReg;

    private NtkPredictor(NeuralKernel kernel, double learningRate, double diagReg, boolean absoluteReg) {
        this.ntk = kernel.withKind(NeuralKernel.Kind.NTK);
        this.nngp = kernel.withKind(NeuralKernel.Kind.NNGP);
        this.learningRate = learningRate;
        this.diagReg = diagReg;
        this.absoluteReg = absoluteReg;
    }

    /**
     * A predictor for the network that {@code kernel} describes (NNGP or NTK spec; both kernels of
     * the same network are used).
     *
     * @param learningRate η &gt; 0 (only η·t matters)
     * @param diagReg regularizer added to the training kernels' diagonal, ≥ 0
     * @param absoluteReg false (Neural Tangents' default): the regularizer is diagReg·mean(diag Θ)
     *     (and diagReg·mean(diag K) for the NNGP posterior); true: diagReg itself
     */
    public static NtkPredictor of(NeuralKernel kernel, double learningRate, double diagReg, boolean absoluteReg) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new Kernels4jException("the learning rate must be positive and finite, got " + learningRate);
        }
        if (!(diagReg >= 0) || Double.isInfinite(diagReg)) {
            throw new Kernels4jException("the diagonal regularizer must be >= 0 and finite, got " + diagReg);
        }
        return new NtkPredictor(kernel, learningRate, diagReg, absoluteReg);
    }

    /** A Gaussian over test outputs: mean m×k and covariance m×m (shared by the k outputs), or null. */
    public record Gaussian(double time, Matrix mean, Matrix covariance) {
    }

    /** Computes the training kernels and the eigendecomposition of the NTK. */
    public Fit fit(Matrix x, Matrix y) {
        KernelRidge.requireTrainingData(x, y);
        int n = x.rows();
        Matrix theta = GramEngine.gram(ntk, x);
        Matrix k = GramEngine.gram(nngp, x);
        double reg = regularizer(theta);
        for (int i = 0; i < n; i++) {
            theta.set(i, i, theta.get(i, i) + reg);
        }
        SymmetricEigen eig = SymmetricEigen.ofInPlace(theta);
        return new Fit(x.copy(), y.copy(), k, eig);
    }

    private double regularizer(Matrix m) {
        if (absoluteReg) {
            return diagReg;
        }
        double t = 0;
        for (int i = 0; i < m.rows(); i++) {
            t += m.get(i, i);
        }
        return diagReg * t / m.rows();
    }

    /** The training state; reusable for many test sets and times. */
    public final class Fit {
        private final Matrix x;
        private final Matrix y;
        private final Matrix kTrain;
        private final SymmetricEigen eig;

        private Fit(Matrix x, Matrix y, Matrix kTrain, SymmetricEigen eig) {
            this.x = x;
            this.y = y;
            this.kTrain = kTrain;
            this.eig = eig;
        }

        /**
         * Mean (and covariance when asked) of the ensemble's outputs on {@code xTest} at each time;
         * {@code Double.POSITIVE_INFINITY} means trained to convergence.
         */
        public List<Gaussian> predict(Matrix xTest, double[] times, boolean covariance) {
            int n = x.rows();
            int m = xTest.rows();
            double total = (double) n * y.cols();
            Matrix v = eig.vectors();
            double[] lambda = eig.values();
            Matrix thetaTest = GramEngine.cross(ntk, xTest, x);
            Matrix b = thetaTest.times(v); // m×n: Θ(X*, X)·V
            Matrix vty = new Matrix(n, y.cols());
            Blas.gemm(true, false, 1.0, v, y, 0.0, vty);
            Matrix kTest = covariance ? GramEngine.cross(nngp, xTest, x) : null;
            Matrix kTestTest = covariance ? GramEngine.gram(nngp, xTest) : null;
            List<Gaussian> out = new ArrayList<>();
            for (double t : times) {
                if (!(t >= 0)) {
                    throw new Kernels4jException("times must be >= 0 (or infinity), got " + t);
                }
                double[] g = new double[n];
                double rate = learningRate * t / total;
                for (int i = 0; i < n; i++) {
                    double l = Math.max(lambda[i], 0);
                    if (Double.isInfinite(t)) {
                        g[i] = l > 1e-12 * Math.abs(lambda[n - 1]) ? 1 / l : 0;
                    } else {
                        g[i] = l * rate < 1e-8 ? rate * (1 - l * rate / 2) : -Math.expm1(-l * rate) / l;
                    }
                }
                // A_t = B·diag(g)·Vᵀ
                Matrix bg = b.copy();
                for (int r = 0; r < m; r++) {
                    for (int i = 0; i < n; i++) {
                        bg.set(r, i, bg.get(r, i) * g[i]);
                    }
                }
                Matrix a = new Matrix(m, n);
                Blas.gemm(false, true, 1.0, bg, v, 0.0, a);
                Matrix mean = a.times(y);
                Matrix cov = null;
                if (covariance) {
                    Matrix ak = new Matrix(m, m); // A·K(X, X*)
                    Blas.gemm(false, true, 1.0, a, kTest, 0.0, ak);
                    Matrix akx = a.times(kTrain); // A·K(X, X)
                    Matrix akxa = new Matrix(m, m);
                    Blas.gemm(false, true, 1.0, akx, a, 0.0, akxa);
                    cov = kTestTest.copy();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < m; j++) {
                            cov.set(i, j, cov.get(i, j) - ak.get(i, j) - ak.get(j, i) + akxa.get(i, j));
                        }
                    }
                    symmetrize(cov);
                }
                out.add(new Gaussian(t, mean, cov));
            }
            return out;
        }

        /**
         * The NNGP posterior (Bayesian inference with the NNGP kernel and noise variance equal to the
         * regularizer): mean K(X*, X)(K + σ²I)⁻¹Y and covariance K(X*, X*) − K(X*, X)(K + σ²I)⁻¹K(X, X*).
         */
        public Gaussian nngpPosterior(Matrix xTest, boolean covariance) {
            Matrix kr = kTrain.copy();
            double reg = regularizer(kTrain);
            for (int i = 0; i < kr.rows(); i++) {
                kr.set(i, i, kr.get(i, i) + reg);
            }
            Matrix kTest = GramEngine.cross(nngp, xTest, x);
            try (Cholesky chol = Cholesky.factor(kr, "NNGP training kernel")) {
                Matrix mean = kTest.times(chol.solve(y));
                Matrix cov = null;
                if (covariance) {
                    Matrix w = chol.solveLower(kTest.transpose()); // L⁻¹K(X, X*)
                    cov = GramEngine.gram(nngp, xTest);
                    Matrix ww = new Matrix(xTest.rows(), xTest.rows());
                    Blas.gemm(true, false, 1.0, w, w, 0.0, ww);
                    for (int i = 0; i < cov.data().length; i++) {
                        cov.data()[i] -= ww.data()[i];
                    }
                    symmetrize(cov);
                }
                return new Gaussian(Double.POSITIVE_INFINITY, mean, cov);
            }
        }
    }

    private static void symmetrize(Matrix c) {
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
