package org.kernels4j.regression;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;
import org.kernels4j.spectral.SpectralFilter;

/**
 * Self-distillation of kernel ridge regression with the weight on the ground truth chosen afresh at every
 * round (Borup &amp; Andersen, 2021, "Even your teacher needs guidance"). With S = K(K + λI)⁻¹ the teacher is
 * ridge, f_0 = S·y, and round t fits ridge to a mix of the targets and the last fit:
 * <pre>
 *   f_t = S·(a_t·y + (1 − a_t)·f_{t−1}),   a_t ∈ [0, 1].
 * </pre>
 * f_t is affine in a_t, f_t = S·f_{t−1} + a_t·S·(y − f_{t−1}), so the a_t that brings f_t closest to a
 * reference r (squared distance at the training points) is the closed form
 * {@code a_t = ⟨S(y − f_{t−1}), r − S·f_{t−1}⟩ / ‖S(y − f_{t−1})‖²}, clipped to [0, 1] (the distance is a convex
 * quadratic in a_t, so the clipped value is the constrained optimum). Everything is computed in the eigenbasis of
 * K = Q·diag(μ)·Qᵀ, where S is diag(μ/(μ+λ)): O(n) per round after one eigendecomposition (9n³).
 *
 * <p>The reference is what the weights are optimal for: the noise-free regression function at the training
 * points in a simulation (the "oracle" weights that the paper analyses), or an independent estimate of it. With
 * a_t = 1 a round returns ridge's fit S·y, so no round is further from the reference than ridge. For one weight shared
 * by every round see {@link SpectralFilter#selfDistillation}.
 */
public final class SelfDistillation {
    /**
     * The rounds.
     *
     * @param weights a_1 … a_T, one per round
     * @param distances mean squared distance ‖f_t − r‖²/n to the reference for t = 0 (ridge) … T
     * @param model the last round's fit as a kernel expansion f_T(x) = Σ_i α_i·k(x_i, x)
     */
    public record Result(double[] weights, double[] distances, KernelRidgeModel model) {
        /** Copies the arrays. */
        public Result {
            weights = weights.clone();
            distances = distances.clone();
        }

        @Override
        public double[] weights() {
            return weights.clone();
        }

        @Override
        public double[] distances() {
            return distances.clone();
        }
    }

    private SelfDistillation() {
    }

    /**
     * Runs T rounds with the optimal weight at each.
     *
     * @param kernel the kernel
     * @param x n×d training inputs
     * @param y n×1 targets
     * @param reference n×1 reference values at the training rows
     * @param lambda ridge λ &gt; 0 of every round
     * @param rounds T ≥ 0
     */
    public static Result withOptimalWeights(Kernel kernel, Matrix x, Matrix y, Matrix reference, double lambda,
            int rounds) {
        TrainingData.require(x, y);
        if (y.cols() != 1 || reference.cols() != 1 || reference.rows() != y.rows()) {
            throw new Kernels4jException("self-distillation needs one target column and a reference of the same shape, "
                    + "got " + y.shape() + " and " + reference.shape());
        }
        reference.requireFinite("reference values");
        if (!(lambda > 0) || Double.isInfinite(lambda)) {
            throw new Kernels4jException("self-distillation needs a ridge lambda > 0, got " + lambda);
        }
        if (rounds < 0) {
            throw new Kernels4jException("the number of rounds must be >= 0, got " + rounds);
        }
        int n = x.rows();
        SymmetricEigen eig = SymmetricEigen.ofInPlace(GramEngine.gram(kernel, x));
        Matrix q = eig.vectors();
        double[] mu = eig.values();
        double[] z = new double[n];
        double[] r = new double[n];
        Blas.gemv(true, 1.0, q, y.column(0), 0.0, z);
        Blas.gemv(true, 1.0, q, reference.column(0), 0.0, r);
        double[] s = new double[n];
        for (int j = 0; j < n; j++) {
            mu[j] = Math.max(mu[j], 0);
            s[j] = mu[j] / (mu[j] + lambda);
        }
        // e = the target of the current round in the eigenbasis; the fit is s∘e
        double[] e = z.clone();
        double[] weights = new double[rounds];
        double[] distances = new double[rounds + 1];
        distances[0] = distance(s, e, r);
        for (int t = 0; t < rounds; t++) {
            double num = 0;
            double den = 0;
            for (int j = 0; j < n; j++) {
                double fit = s[j] * e[j];
                double sf = s[j] * fit; // S·f_{t−1}
                double d = s[j] * (z[j] - fit); // S(y − f_{t−1})
                num += d * (r[j] - sf);
                den += d * d;
            }
            double a = den > 0 ? Math.min(1, Math.max(0, num / den)) : 1;
            weights[t] = a;
            for (int j = 0; j < n; j++) {
                e[j] = a * z[j] + (1 - a) * s[j] * e[j];
            }
            distances[t + 1] = distance(s, e, r);
        }
        double[] coef = new double[n];
        for (int j = 0; j < n; j++) {
            coef[j] = e[j] / (mu[j] + lambda);
        }
        double[] alpha = new double[n];
        Blas.gemv(false, 1.0, q, coef, 0.0, alpha);
        FitReport report = FitReport.builder().add("filter", "self-distillation(optimal weights)").add("lambda", lambda)
                .add("rounds", rounds).add("weights", weights).build();
        KernelRidgeModel model = new KernelRidgeModel(kernel, x.copy(), Matrix.wrap(n, 1, alpha), new double[1], lambda,
                null, report);
        return new Result(weights, distances, model);
    }

    private static double distance(double[] s, double[] e, double[] r) {
        double sum = 0;
        for (int j = 0; j < s.length; j++) {
            double d = s[j] * e[j] - r[j];
            sum += d * d;
        }
        return sum / s.length;
    }
}
