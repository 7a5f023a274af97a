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
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;

/**
 * The trained ensemble (immutable, on the heap): the training inputs and targets, the NNGP
 * training kernel and the eigendecomposition of the (regularized) NTK; reusable for many test
 * sets and times.
 */
public final class NtkPredictorModel implements PredictiveVariance {
    private final NtkPredictor options;
    private final Matrix x;
    private final Matrix y;
    private final Matrix kTrain;
    private final SymmetricEigen eig;

    /** Assembles a model (the estimator and model files call this); shapes are checked. */
    public NtkPredictorModel(NtkPredictor options, Matrix x, Matrix y, Matrix kTrain, SymmetricEigen eig) {
        int n = x.rows();
        if (y.rows() != n || kTrain.rows() != n || kTrain.cols() != n || eig.size() != n) {
            throw new Kernels4jException("the NTK model's arrays disagree on the number of training rows " + n);
        }
        this.options = options;
        this.x = x;
        this.y = y;
        this.kTrain = kTrain;
        this.eig = eig;
    }

    /** The estimator's options (kernel, η, regularizer, time). */
    public NtkPredictor options() {
        return options;
    }

    /** A copy of the training inputs. */
    public Matrix trainingInputs() {
        return x.copy();
    }

    /** A copy of the training targets. */
    public Matrix trainingTargets() {
        return y.copy();
    }

    /** A copy of the NNGP training kernel K(X, X). */
    public Matrix nngpTrainingKernel() {
        return kTrain.copy();
    }

    /** The eigendecomposition of the regularized Θ(X, X). */
    public SymmetricEigen ntkEigen() {
        return eig;
    }

    @Override
    public int features() {
        return x.cols();
    }

    @Override
    public FitReport report() {
        double[] l = eig.values();
        return FitReport.builder().add("time", options.time).add("learning_rate", options.learningRate)
                .add("regularizer", options.diagReg).add("absolute_regularizer", options.absoluteReg)
                .add("ntk_min_eigenvalue", l.length == 0 ? Double.NaN : l[0])
                .add("ntk_max_eigenvalue", l.length == 0 ? Double.NaN : l[l.length - 1]).build();
    }

    /** The ensemble's mean at the builder's time, m×k. */
    @Override
    public Matrix predict(Matrix xTest) {
        return predict(xTest, new double[] {options.time}, false).get(0).mean();
    }

    /** The variance of each output at the builder's time, m×k (the same for every output). */
    @Override
    public Matrix predictiveVariance(Matrix xTest) {
        Matrix c = predict(xTest, new double[] {options.time}, true).get(0).covariance();
        Matrix v = new Matrix(xTest.rows(), y.cols());
        for (int i = 0; i < v.rows(); i++) {
            for (int o = 0; o < v.cols(); o++) {
                v.set(i, o, Math.max(c.get(i, i), 0));
            }
        }
        return v;
    }

    /**
     * Mean (and covariance when asked) of the ensemble's outputs on {@code xTest} at each time;
     * {@code Double.POSITIVE_INFINITY} means trained to convergence.
     */
    public List<NtkPredictor.Gaussian> predict(Matrix xTest, double[] times, boolean covariance) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        int n = x.rows();
        int m = xTest.rows();
        double total = (double) n * y.cols();
        double learningRate = options.learningRate;
        NeuralKernel ntk = options.ntk;
        NeuralKernel nngp = options.nngp;
        Matrix v = eig.vectors();
        double[] lambda = eig.values();
        Matrix thetaTest = GramEngine.cross(ntk, xTest, x);
        Matrix b = thetaTest.times(v); // m×n: Θ(X*, X)·V
        Matrix vty = new Matrix(n, y.cols());
        Blas.gemm(true, false, 1.0, v, y, 0.0, vty);
        Matrix kTest = covariance ? GramEngine.cross(nngp, xTest, x) : null;
        Matrix kTestTest = covariance ? GramEngine.gram(nngp, xTest) : null;
        List<NtkPredictor.Gaussian> out = new ArrayList<>();
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
                NtkPredictor.symmetrize(cov);
            }
            out.add(new NtkPredictor.Gaussian(t, mean, cov));
        }
        return out;
    }

    /**
     * The NNGP posterior (Bayesian inference with the NNGP kernel and noise variance equal to the
     * regularizer): mean K(X*, X)(K + σ²I)⁻¹Y and covariance K(X*, X*) − K(X*, X)(K + σ²I)⁻¹K(X, X*).
     */
    public NtkPredictor.Gaussian nngpPosterior(Matrix xTest, boolean covariance) {
        TrainingData.requirePredictionInputs(xTest, x.cols());
        NeuralKernel nngp = options.nngp;
        Matrix kr = kTrain.copy();
        double reg = options.regularizer(kTrain);
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
                NtkPredictor.symmetrize(cov);
            }
            return new NtkPredictor.Gaussian(Double.POSITIVE_INFINITY, mean, cov);
        }
    }
}
