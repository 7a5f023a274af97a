package org.kernels4j.balance.recommend;

import java.util.Random;
import org.kernels4j.Kernels4jException;

/**
 * Matrix factorisation r̂_ui = μ + b_u + c_i + p_u·q_i trained by minibatch Adam on n observed
 * ratings (u_k, i_k, r_k) with per-pair weights w_k ≥ 0 normalised to Σw = 1, under one of three
 * losses (Li et al., ICLR 2024, and the IPS/DR estimators it plugs its weights into). With
 * Ω(θ) = ‖P‖² + ‖Q‖² + ‖b‖² + ‖c‖² (μ is not penalised) and λ = {@code l2}:
 * <ul>
 *   <li>{@link Loss#NAIVE}: J = (1/n)·Σ_k (r̂_k − r_k)² + λΩ, the plain fit to the observed pairs.</li>
 *   <li>{@link Loss#IPS}: J = Σ_k w_k (r̂_k − r_k)² + λΩ. With w_k ∝ 1/π_k (π the propensity) the data
 *       term is the self-normalised IPS estimate of the mean squared error over all U·I pairs; with
 *       kernel-balancing weights it is the weighted mean that balances the observed pairs to the
 *       target population. Either way it is on the scale of a mean error, like NAIVE's, so one λ
 *       means the same for all three losses.</li>
 *   <li>{@link Loss#DR}: the doubly robust estimate of the same mean error, with an imputation model
 *       r̃ (a second factorisation) and imputed errors ê_ui = (r̂_ui − r̃_ui)²:
 *       <pre>
 *   J = mean_{(u,i) ∈ S} ê_ui + Σ_k w_k·(e_k − ê_k) + λΩ,      e_k = (r̂_k − r_k)²,
 *       </pre>
 *       S a uniform sample of all pairs (G·B fresh pairs per step, G = {@code uniformRatio}); this is
 *       (1/UI)Σ_all [ê + o·w·(e − ê)] with the population mean of ê estimated on S. The imputation
 *       model minimises the IPS loss Σ_k w_k (r̃_k − r_k)² + λΩ(θ̃), <em>alternately</em> with the
 *       prediction model: at each step one Adam step of the imputation model on the observed
 *       minibatch, then one step on J with r̃ held. The two start from different random factors.
 *       <p>What this DR does: at an observed pair the gradient of J in r̂ is 2w_k(r̃_k − r_k),
 *       independent of r̂, while the uniform term pulls r̂ towards r̃ everywhere, so the prediction
 *       model follows the imputation model plus its residuals on the observed pairs scaled by about
 *       U·I·w_k (≈ 1/π). When θ = θ̃ the DR gradient equals the IPS gradient, so the IPS fit is a
 *       fixed point: with an imputation model of the same class trained by the same weights, DR can
 *       at best match IPS, and measured it is a little worse (the amplified residuals are variance).
 *       Measured too: training the imputation model alone first, for {@code epochs} epochs, gave a
 *       worse DR model on MAR test data, so it is not done.
 *       <p>Two departures from the authors' code. It trains the imputation on Σ w·(e − ê)²; with
 *       ê = (r̂ − r̃)² that loss has two minimisers, r̃ = r and r̃ = 2r̂ − r (and a zero gradient at
 *       r̃ = r̂), so a squared error on ratings is used instead. It also leaves ê unweighted in the
 *       observed correction; the textbook form above weights it.</li>
 * </ul>
 *
 * <p><b>Optimisation.</b> Each epoch visits the observed pairs once in a shuffled order, in batches
 * of B; the data term of a batch is scaled by n/|batch| so that it is an unbiased estimate of the
 * full data term, and the L2 gradient 2λθ is applied in full at every step. Adam (β₁ = 0.9,
 * β₂ = 0.999, ε = 10⁻⁸) updates every parameter every step: O(B·k + G·B·k + (U + I)·k) per step.
 * Initialisation: μ = Σ w_k r_k, offsets 0, factors N(0, 0.1²). Seeded and deterministic.
 */
public final class MatrixFactorization {
    /** Which loss the prediction model minimises. */
    public enum Loss {
        /** The unweighted mean squared error on the observed pairs. */
        NAIVE,
        /** The weighted (inverse-propensity or balancing-weight) mean squared error. */
        IPS,
        /** The doubly robust loss with an alternately trained imputation model. */
        DR
    }

    private final int rank;
    private final int epochs;
    private final int batchSize;
    private final double learningRate;
    private final double l2;
    private final Loss loss;
    private final int uniformRatio;
    private final long seed;

    private MatrixFactorization(Builder b) {
        this.rank = b.rank;
        this.epochs = b.epochs;
        this.batchSize = b.batchSize;
        this.learningRate = b.learningRate;
        this.l2 = b.l2;
        this.loss = b.loss;
        this.uniformRatio = b.uniformRatio;
        this.seed = b.seed;
    }

    /**
     * Starts a builder. Defaults: k = 4, 30 epochs, B = 128, learning rate 0.01, λ = 10⁻³, NAIVE,
     * G = 5, seed 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link MatrixFactorization}; validated by {@link #build()}. */
    public static final class Builder {
        private int rank = 4;
        private int epochs = 30;
        private int batchSize = 128;
        private double learningRate = 0.01;
        private double l2 = 1e-3;
        private Loss loss = Loss.NAIVE;
        private int uniformRatio = 5;
        private long seed;

        private Builder() {
        }

        /** The latent dimension k (≥ 1). */
        public Builder rank(int rank) {
            this.rank = rank;
            return this;
        }

        /** The number of passes over the observed pairs (≥ 1). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** The observed pairs per minibatch B (≥ 1). */
        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /** The Adam step size (&gt; 0). */
        public Builder learningRate(double rate) {
            this.learningRate = rate;
            return this;
        }

        /** The L2 penalty λ ≥ 0 on factors and offsets. */
        public Builder l2(double lambda) {
            this.l2 = lambda;
            return this;
        }

        /** The loss. */
        public Builder loss(Loss loss) {
            this.loss = loss;
            return this;
        }

        /** G ≥ 1: DR draws G·B uniform pairs per step for the mean of the imputed errors. */
        public Builder uniformRatio(int g) {
            this.uniformRatio = g;
            return this;
        }

        /** The random seed (initialisation, batch order, uniform pairs). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws Kernels4jException for an invalid option */
        public MatrixFactorization build() {
            if (rank < 1) {
                throw new Kernels4jException("the latent dimension must be >= 1, got " + rank);
            }
            if (epochs < 1) {
                throw new Kernels4jException("the number of epochs must be >= 1, got " + epochs);
            }
            if (batchSize < 1) {
                throw new Kernels4jException("the batch size must be >= 1, got " + batchSize);
            }
            if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
                throw new Kernels4jException("the learning rate must be a positive finite number, got " + learningRate);
            }
            if (!(l2 >= 0) || Double.isInfinite(l2)) {
                throw new Kernels4jException("the L2 penalty must be a finite number >= 0, got " + l2);
            }
            if (loss == null) {
                throw new Kernels4jException("no loss given");
            }
            if (uniformRatio < 1) {
                throw new Kernels4jException("the uniform-sample ratio G must be >= 1, got " + uniformRatio);
            }
            return new MatrixFactorization(this);
        }
    }

    /** Fits with the NAIVE loss (uniform weights). */
    public FactorModel fit(int users, int items, int[] u, int[] i, double[] r) {
        return fit(users, items, u, i, r, null);
    }

    /**
     * Fits to the observed ratings r_k of pairs (u_k, i_k) of a users×items matrix, with weights w
     * (length n, ≥ 0, not all 0, normalised here to sum 1) for IPS and DR; null weights mean uniform,
     * and NAIVE takes none.
     *
     * @throws Kernels4jException for mismatched, out-of-range or non-finite input
     */
    public FactorModel fit(int users, int items, int[] u, int[] i, double[] r, double[] weights) {
        int n = validate(users, items, u, i, r);
        if (loss == Loss.NAIVE && weights != null) {
            throw new Kernels4jException("the NAIVE loss weighs every observed pair alike; use IPS or DR for weights");
        }
        double[] w = normalised(weights, n);
        Random random = new Random(seed);
        double[] theta = initial(users, items, w, r, random);
        double[] imputation = loss == Loss.DR ? initial(users, items, w, r, random) : null;
        Adam adam = new Adam(theta.length);
        Adam adamImputation = loss == Loss.DR ? new Adam(theta.length) : null;
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        int b = Math.min(batchSize, n);
        int[] bu = new int[b];
        int[] bi = new int[b];
        double[] br = new double[b];
        double[] bw = new double[b];
        int s = loss == Loss.DR ? uniformRatio * b : 0;
        int[] su = new int[s];
        int[] si = new int[s];
        double[] grad = new double[theta.length];
        for (int epoch = 0; epoch < epochs; epoch++) {
            shuffle(order, random);
            for (int start = 0; start < n; start += b) {
                int size = Math.min(b, n - start);
                double scale = (double) n / size;
                for (int t = 0; t < size; t++) {
                    int k = order[start + t];
                    bu[t] = u[k];
                    bi[t] = i[k];
                    br[t] = r[k];
                    bw[t] = w[k] * scale;
                }
                int[] cu = size == b ? bu : java.util.Arrays.copyOf(bu, size);
                int[] ci = size == b ? bi : java.util.Arrays.copyOf(bi, size);
                double[] cr = size == b ? br : java.util.Arrays.copyOf(br, size);
                double[] cw = size == b ? bw : java.util.Arrays.copyOf(bw, size);
                if (loss == Loss.DR) {
                    weightedObjective(imputation, users, items, rank, l2, cu, ci, cr, cw, grad);
                    adamImputation.step(imputation, grad, learningRate);
                    for (int t = 0; t < s; t++) {
                        su[t] = random.nextInt(users);
                        si[t] = random.nextInt(items);
                    }
                    drObjective(theta, imputation, users, items, rank, l2, cu, ci, cr, cw, su, si, grad);
                } else {
                    weightedObjective(theta, users, items, rank, l2, cu, ci, cr, cw, grad);
                }
                adam.step(theta, grad, learningRate);
            }
        }
        return new FactorModel(users, items, rank, theta);
    }

    /**
     * Σ_t c_t (r̂_t − y_t)² + λΩ(θ) over the listed pairs, with its gradient in {@code grad}
     * (overwritten). The one primitive every loss here is built from.
     */
    static double squaredTerms(double[] theta, int users, int items, int rank, double l2, int[] u, int[] i,
            double[] target, double[] coef, double[] grad, boolean reset) {
        if (reset) {
            java.util.Arrays.fill(grad, 0);
        }
        int pOff = FactorModel.pOffset(users, items);
        int qOff = FactorModel.qOffset(users, items, rank);
        double f = 0;
        for (int t = 0; t < u.length; t++) {
            double e = FactorModel.predict(theta, users, items, rank, u[t], i[t]) - target[t];
            f += coef[t] * e * e;
            double g = 2 * coef[t] * e;
            grad[0] += g;
            grad[1 + u[t]] += g;
            grad[1 + users + i[t]] += g;
            int p = pOff + u[t] * rank;
            int q = qOff + i[t] * rank;
            for (int k = 0; k < rank; k++) {
                grad[p + k] += g * theta[q + k];
                grad[q + k] += g * theta[p + k];
            }
        }
        return f;
    }

    /** Adds λΩ(θ) and its gradient; returns λΩ. */
    static double penalty(double[] theta, double l2, double[] grad) {
        double f = 0;
        for (int j = 1; j < theta.length; j++) {
            f += l2 * theta[j] * theta[j];
            grad[j] += 2 * l2 * theta[j];
        }
        return f;
    }

    /** The NAIVE/IPS objective Σ_t w_t (r̂_t − r_t)² + λΩ and its gradient (grad overwritten). */
    static double weightedObjective(double[] theta, int users, int items, int rank, double l2, int[] u, int[] i,
            double[] r, double[] w, double[] grad) {
        double f = squaredTerms(theta, users, items, rank, l2, u, i, r, w, grad, true);
        return f + penalty(theta, l2, grad);
    }

    /**
     * The DR objective of the prediction model θ with the imputation model θ̃ held:
     * (1/|S|)Σ_S (r̂ − r̃)² + Σ_t w_t[(r̂_t − r_t)² − (r̂_t − r̃_t)²] + λΩ(θ), gradient in grad (overwritten).
     */
    static double drObjective(double[] theta, double[] imputation, int users, int items, int rank, double l2, int[] u,
            int[] i, double[] r, double[] w, int[] su, int[] si, double[] grad) {
        int s = su.length;
        double[] imputedS = new double[s];
        double[] coefS = new double[s];
        for (int t = 0; t < s; t++) {
            imputedS[t] = FactorModel.predict(imputation, users, items, rank, su[t], si[t]);
            coefS[t] = 1.0 / s;
        }
        double[] imputedO = new double[u.length];
        double[] minusW = new double[u.length];
        for (int t = 0; t < u.length; t++) {
            imputedO[t] = FactorModel.predict(imputation, users, items, rank, u[t], i[t]);
            minusW[t] = -w[t];
        }
        double f = squaredTerms(theta, users, items, rank, l2, su, si, imputedS, coefS, grad, true);
        f += squaredTerms(theta, users, items, rank, l2, u, i, r, w, grad, false);
        f += squaredTerms(theta, users, items, rank, l2, u, i, imputedO, minusW, grad, false);
        return f + penalty(theta, l2, grad);
    }

    private double[] initial(int users, int items, double[] w, double[] r, Random random) {
        double[] theta = new double[FactorModel.qOffset(users, items, rank) + items * rank];
        double mean = 0;
        for (int k = 0; k < r.length; k++) {
            mean += w[k] * r[k];
        }
        theta[0] = mean;
        for (int j = FactorModel.pOffset(users, items); j < theta.length; j++) {
            theta[j] = 0.1 * random.nextGaussian();
        }
        return theta;
    }

    private static void shuffle(int[] a, Random random) {
        for (int k = a.length - 1; k > 0; k--) {
            int j = random.nextInt(k + 1);
            int t = a[k];
            a[k] = a[j];
            a[j] = t;
        }
    }

    private static double[] normalised(double[] weights, int n) {
        double[] w = new double[n];
        if (weights == null) {
            java.util.Arrays.fill(w, 1.0 / n);
            return w;
        }
        if (weights.length != n) {
            throw new Kernels4jException(weights.length + " weights for " + n + " observed ratings");
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            if (!(weights[k] >= 0) || Double.isInfinite(weights[k])) {
                throw new Kernels4jException("weight " + k + " is " + weights[k] + "; weights must be finite and >= 0");
            }
            sum += weights[k];
        }
        if (!(sum > 0)) {
            throw new Kernels4jException("all weights are 0");
        }
        for (int k = 0; k < n; k++) {
            w[k] = weights[k] / sum;
        }
        return w;
    }

    private static int validate(int users, int items, int[] u, int[] i, double[] r) {
        if (users < 1 || items < 1) {
            throw new Kernels4jException("matrix factorisation needs at least one user and one item, got " + users
                    + " and " + items);
        }
        if (u == null || i == null || r == null) {
            throw new Kernels4jException("matrix factorisation needs users, items and ratings");
        }
        if (u.length != i.length || u.length != r.length) {
            throw new Kernels4jException("matrix factorisation: " + u.length + " users, " + i.length + " items and "
                    + r.length + " ratings; one of each per observed pair");
        }
        if (u.length == 0) {
            throw new Kernels4jException("matrix factorisation: no observed ratings");
        }
        for (int k = 0; k < u.length; k++) {
            if (u[k] < 0 || u[k] >= users || i[k] < 0 || i[k] >= items) {
                throw new Kernels4jException("observed pair " + k + " is (" + u[k] + ", " + i[k] + "), outside the "
                        + users + "×" + items + " matrix");
            }
            if (!Double.isFinite(r[k])) {
                throw new Kernels4jException("observed rating " + k + " is " + r[k]);
            }
        }
        return u.length;
    }

    /** Adam state for one parameter vector. */
    private static final class Adam {
        private final double[] m;
        private final double[] v;
        private int t;

        Adam(int size) {
            m = new double[size];
            v = new double[size];
        }

        void step(double[] x, double[] g, double rate) {
            t++;
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            for (int j = 0; j < x.length; j++) {
                m[j] = 0.9 * m[j] + 0.1 * g[j];
                v[j] = 0.999 * v[j] + 0.001 * g[j] * g[j];
                x[j] -= rate * (m[j] / c1) / (Math.sqrt(v[j] / c2) + 1e-8);
            }
        }
    }
}
