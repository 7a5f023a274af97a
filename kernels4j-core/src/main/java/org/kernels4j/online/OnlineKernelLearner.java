package org.kernels4j.online;

import java.util.Objects;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;

/**
 * Online kernel learning with a budget, as kernlab's {@code inlearn}/{@code onlearn}: NORMA (Kivinen, Smola
 * &amp; Williamson 2004, "Online learning with kernels") for classification, ε-insensitive regression and
 * novelty detection, and the kernel perceptron. One pass over the rows in order; each row x_t with target
 * y_t updates the expansion f(x) = Σ_j α_j·k(x_j, x) (+ b), which keeps at most {@code budget} terms (the
 * oldest is dropped when a new one needs room: NORMA's truncation).
 *
 * <p>NORMA is stochastic gradient descent in the RKHS on λ/2·‖f‖² + ℓ(f(x_t), y_t) with step η: every
 * step first shrinks all α by (1 − ηλ), then, when the loss is active at f_t(x_t) (evaluated before the
 * step), adds a term for x_t. The margin ρ (classification, novelty) or tube ε (regression) is learned too,
 * with ν as in the ν-SVM (the losses of the paper's §3.3–3.4):
 * <ul>
 *   <li>{@link Type#CLASSIFICATION} (labels ±1 from the two classes, the smaller class +1):
 *       loss max(0, ρ − y·f) − νρ, f = Σα·k + b; if y·f &lt; ρ: α_t = ηy, b += ηy, ρ −= η(1 − ν);
 *       else ρ += ην.</li>
 *   <li>{@link Type#REGRESSION}: loss max(0, |y − f| − ε) + νε; if |y − f| &gt; ε:
 *       α_t = η·sign(y − f), b += η·sign(y − f), ε += η(1 − ν); else ε −= ην.</li>
 *   <li>{@link Type#NOVELTY}: loss max(0, ρ − f) − νρ, f = Σα·k (no b); if f &lt; ρ: α_t = η,
 *       ρ −= η(1 − ν); else ρ += ην. The decision value is f − ρ (&gt; 0 inlier, as the one-class SVM).</li>
 *   <li>{@link Type#PERCEPTRON} (classification, no shrinking, no bias): if y·f ≤ 0: α_t = y. On data
 *       separable with margin γ by a unit-norm function and k(x, x) ≤ R², at most (R/γ)² mistakes
 *       (Novikoff), with a budget at least that large.</li>
 * </ul>
 * ρ and ε never go below 0. kernlab's {@code onlearn(obj, x, y, nu, lambda)} is NORMA with η = kernlab's
 * λ and a regulariser of 1 ({@code learningRate(λ).lambda(1)}), except that kernlab tests each row against
 * the prediction kept from the previous row; here each row is tested against its own prediction, as the paper.
 *
 * <p>Estimator contract: {@link #fit} returns an immutable {@link OnlineKernelModel}; streaming goes on with
 * {@link OnlineKernelModel#partialFit}, which returns a new model and leaves the old one unchanged (it copies
 * the buffer, O(budget·d), once per call, so feed it batches rather than single rows when rows are many).
 * Cost per row: one kernel row against the buffer, O(budget·d). Immutable; build with {@link #builder}.
 */
public final class OnlineKernelLearner implements Estimator<OnlineKernelModel> {
    /** What is learned. */
    public enum Type {
        /** NORMA binary classification with the ν-margin. */
        CLASSIFICATION,
        /** NORMA ε-insensitive regression with ν-adaptive ε. */
        REGRESSION,
        /** NORMA novelty detection (online one-class). */
        NOVELTY,
        /** The kernel perceptron (binary classification). */
        PERCEPTRON;

        /** True for the two classifiers. */
        public boolean isClassifier() {
            return this == CLASSIFICATION || this == PERCEPTRON;
        }
    }

    private final Type type;
    private final Kernel kernel;
    private final int budget;
    private final double learningRate;
    private final double lambda;
    private final double nu;

    private OnlineKernelLearner(Builder b) {
        this.type = b.type;
        this.kernel = b.kernel;
        this.budget = b.budget;
        this.learningRate = b.learningRate;
        this.lambda = b.lambda;
        this.nu = b.nu;
        if (type != Type.PERCEPTRON && !(learningRate * lambda < 1)) {
            throw new Kernels4jException("learning rate * lambda must be below 1 (each step shrinks the coefficients "
                    + "by 1 - learning rate * lambda), got " + learningRate + " * " + lambda);
        }
    }

    /** A builder: budget 1000 (kernlab's buffersize), learning rate η = 0.1, λ = 0.01, ν = 0.2 (kernlab's). */
    public static Builder builder(Type type, Kernel kernel) {
        return new Builder(type, kernel);
    }

    /** The empty model for rows of {@code features} columns and, for the classifiers, the two classes. */
    public OnlineKernelModel start(int features, double[] classes) {
        return OnlineKernelModel.empty(this, features, classes);
    }

    /**
     * One pass over the rows of x (n×d) in order. Targets y (n×1): two class labels for the classifiers (the
     * smaller is +1), values for regression, ignored (may be null) for novelty.
     */
    @Override
    public OnlineKernelModel fit(Matrix x, Matrix y) {
        double[] classes = null;
        if (type.isClassifier()) {
            if (y == null) {
                throw new Kernels4jException(type + " needs class labels");
            }
            classes = java.util.Arrays.stream(y.data()).distinct().sorted().toArray();
            if (classes.length != 2) {
                throw new Kernels4jException("online " + type.name().toLowerCase(java.util.Locale.ROOT)
                        + " is binary: needs exactly two classes, found " + classes.length);
            }
        }
        return start(x.cols(), classes).partialFit(x, y);
    }

    /** What is learned. */
    public Type type() {
        return type;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    /** The most terms the expansion keeps. */
    public int budget() {
        return budget;
    }

    /** η. */
    public double learningRate() {
        return learningRate;
    }

    /** λ. */
    public double lambda() {
        return lambda;
    }

    /** ν. */
    public double nu() {
        return nu;
    }

    /** Options for {@link OnlineKernelLearner}; every setter validates at once. */
    public static final class Builder {
        private final Type type;
        private final Kernel kernel;
        private int budget = 1000;
        private double learningRate = 0.1;
        private double lambda = 0.01;
        private double nu = 0.2;

        private Builder(Type type, Kernel kernel) {
            this.type = Objects.requireNonNull(type, "type");
            this.kernel = Objects.requireNonNull(kernel, "kernel");
        }

        /** The most terms kept, ≥ 1 (default 1000); the oldest is dropped first. */
        public Builder budget(int value) {
            if (value < 1) {
                throw new Kernels4jException("budget must be at least 1 term, got " + value);
            }
            this.budget = value;
            return this;
        }

        /** The step η &gt; 0 (default 0.1; not used by the perceptron). */
        public Builder learningRate(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new Kernels4jException("learning rate must be a positive number, got " + value);
            }
            this.learningRate = value;
            return this;
        }

        /** The regulariser λ ≥ 0 (default 0.01; not used by the perceptron); ηλ must stay below 1. */
        public Builder lambda(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new Kernels4jException("lambda must be a number >= 0, got " + value);
            }
            this.lambda = value;
            return this;
        }

        /** ν ∈ (0, 1] for the margin or tube (default 0.2; not used by the perceptron). */
        public Builder nu(double value) {
            if (!(value > 0 && value <= 1)) {
                throw new Kernels4jException("nu must be in (0, 1], got " + value);
            }
            this.nu = value;
            return this;
        }

        /** The learner. */
        public OnlineKernelLearner build() {
            return new OnlineKernelLearner(this);
        }
    }
}
