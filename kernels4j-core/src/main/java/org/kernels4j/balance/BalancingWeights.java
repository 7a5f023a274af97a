package org.kernels4j.balance;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.TrainingData;

/**
 * The result of {@link KernelBalancing#fit}: weights w on the n observed rows (w ≥ 0, Σw = 1) of the
 * form w_i = q_i·ρ(x_i) with the tilt ρ(x) = exp(−λᵀφ(x) − log Z), φ(x) = (k(a_1, x), …, k(a_m, x)),
 * and the balance diagnostics. Immutable.
 *
 * <p>As a {@link Model}, {@link #predict} evaluates ρ at new rows (m×1); with uniform base weights ρ
 * is the fitted density ratio p_target/p_observed, scaled so that its mean over the observed rows
 * is 1 (n·w_i = ρ(x_i)). Prediction costs one K(x, A) block: rows·m kernel evaluations.
 *
 * <p>Diagnostics: the imbalance Φᵀw − μ per anchor, the squared kernel MMD between the weighted
 * observed sample and the target sample (and with the base weights, before balancing), the effective
 * sample size (Σw)²/Σw² = 1/Σw², the largest weight and KL(w‖q). {@link #report()} holds them with the
 * iteration count, the stopping reason and whether the solver converged.
 */
public final class BalancingWeights implements Model {
    private final Kernel kernel;
    private final Matrix anchors;
    private final double[] lambda;
    private final double logZ;
    private final double[] weights;
    private final double[] targetMeans;
    private final double[] achievedMeans;
    private final double c;
    private final double ridge;
    private final double kl;
    private final double mmd;
    private final double mmdBase;
    private final FitReport report;

    BalancingWeights(Kernel kernel, Matrix anchors, double[] lambda, double logZ, double[] weights, double[] targetMeans,
            double[] achievedMeans, double c, double ridge, double kl, double mmd, double mmdBase, FitReport report) {
        this.kernel = kernel;
        this.anchors = anchors.copy();
        this.lambda = lambda.clone();
        this.logZ = logZ;
        this.weights = weights.clone();
        this.targetMeans = targetMeans.clone();
        this.achievedMeans = achievedMeans.clone();
        this.c = c;
        this.ridge = ridge;
        this.kl = kl;
        this.mmd = mmd;
        this.mmdBase = mmdBase;
        this.report = report;
    }

    /** The n weights, one per observed row (a copy); non-negative, summing to 1. */
    public double[] weights() {
        return weights.clone();
    }

    /** The number of observed rows n. */
    public int size() {
        return weights.length;
    }

    /** The m×d anchor points (a copy). */
    public Matrix anchors() {
        return anchors.copy();
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /**
     * The dual solution λ (length m): w_i ∝ q_i·exp(−λᵀφ_i). λ_j = 0 for anchors whose constraint is
     * slack; without a ridge, λ_j &gt; 0 where the weighted mean sits at μ_j + C and λ_j &lt; 0 at μ_j − C.
     */
    public double[] multipliers() {
        return lambda.clone();
    }

    /** μ_j = (1/n_t)·Σ_t k(a_j, z_t), the target means of the anchor functions. */
    public double[] targetMeans() {
        return targetMeans.clone();
    }

    /** Σ_i w_i k(a_j, x_i), the weighted observed means of the anchor functions. */
    public double[] achievedMeans() {
        return achievedMeans.clone();
    }

    /** The signed imbalance per anchor, achievedMeans − targetMeans. */
    public double[] imbalance() {
        double[] d = new double[targetMeans.length];
        for (int j = 0; j < d.length; j++) {
            d[j] = achievedMeans[j] - targetMeans[j];
        }
        return d;
    }

    /** max_j |imbalance_j|. */
    public double maxImbalance() {
        double m = 0;
        for (double v : imbalance()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    /** The constraint tolerance C used. */
    public double constraintTolerance() {
        return c;
    }

    /** The ridge r used (0: hard constraints). */
    public double ridge() {
        return ridge;
    }

    /** KL(w‖q) = Σ w_i log(w_i/q_i), the primal objective. */
    public double klDivergence() {
        return kl;
    }

    /**
     * The squared kernel MMD between the weighted observed sample and the target sample,
     * wᵀK_oo w − (2/n_t)·wᵀK_ot 1 + (1/n_t²)·1ᵀK_tt 1; NaN when the fit skipped it.
     */
    public double mmdSquared() {
        return mmd;
    }

    /** The same MMD² with the base weights q (before balancing); NaN when the fit skipped it. */
    public double baseMmdSquared() {
        return mmdBase;
    }

    /** The effective sample size (Σw)²/Σw² = 1/Σw², between 1 and n. */
    public double effectiveSampleSize() {
        double s = 0;
        for (double v : weights) {
            s += v * v;
        }
        return 1.0 / s;
    }

    /** The largest weight. */
    public double maxWeight() {
        double m = 0;
        for (double v : weights) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The tilt ρ(x) = exp(−λᵀφ(x) − log Z) at each row of x (m×1), so that w_i = q_i·ρ(x_i). */
    @Override
    public Matrix predict(Matrix x) {
        TrainingData.requirePredictionInputs(x, features());
        if (x.rows() == 0) {
            return new Matrix(0, 1);
        }
        Matrix k = GramEngine.cross(kernel, x, anchors);
        Matrix out = new Matrix(x.rows(), 1);
        int m = anchors.rows();
        for (int i = 0; i < x.rows(); i++) {
            double dot = 0;
            for (int j = 0; j < m; j++) {
                dot += k.get(i, j) * lambda[j];
            }
            out.set(i, 0, Math.exp(-dot - logZ));
        }
        return out;
    }

    @Override
    public int features() {
        return anchors.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }

    /** Checks an outcome vector against these weights: same length, all finite. */
    void requireOutcome(double[] outcome) {
        if (outcome == null || outcome.length != weights.length) {
            throw new Kernels4jException("the outcome has " + (outcome == null ? 0 : outcome.length) + " values but the"
                    + " weights are for " + weights.length + " observed rows");
        }
        for (int i = 0; i < outcome.length; i++) {
            if (!Double.isFinite(outcome[i])) {
                throw new Kernels4jException("outcome " + i + " (0-based) is " + outcome[i]
                        + "; drop or impute missing outcomes before weighting");
            }
        }
    }
}
