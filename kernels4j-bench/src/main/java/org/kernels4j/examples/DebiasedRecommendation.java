package org.kernels4j.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.balance.recommend.FactorModel;
import org.kernels4j.balance.recommend.MatrixFactorization;
import org.kernels4j.balance.recommend.MnarRatings;
import org.kernels4j.balance.BalancingWeights;
import org.kernels4j.balance.KernelBalancing;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The debiased collaborative-filtering experiment of Li et al., "Debiased collaborative filtering
 * with kernel-based causal balancing" (ICLR 2024), on ratings observed missing not at random, with
 * the convex, full-batch {@link KernelBalancing} in place of the paper's learned weight model:
 * <ol>
 *   <li>Split the MAR test pairs: the first {@code calibrationFraction} (5%, as the paper) is the
 *       small MAR sample that the naive-Bayes propensity may use; every method is scored on the rest.</li>
 *   <li>Pretrain naive MF on the observed pairs; pair features x_ui = (p_u, b_u, q_i, c_i) from it
 *       ({@link FactorModel#pairFeatures}), each column standardised by the target sample's mean and
 *       standard deviation.</li>
 *   <li>Target population: {@code targetPairs} pairs drawn uniformly from all U·I pairs. Kernel
 *       balancing (Gaussian kernel exp(−γ‖x − y‖²), γ = {@code gammaScale}/d for d feature columns,
 *       m k-means++ anchors from the target, ridge r) gives weights w ≥ 0, Σw = 1, on the observed
 *       pairs: the weighted observed mean of each anchor function matches its uniform mean. The base
 *       weights are the naive-Bayes inverse propensities below, as the paper's weight model
 *       w = sigmoid(MF_w(u, i))·invprop starts from them ({@code naiveBayesBase(false)}: uniform).</li>
 *   <li>Train MF with those weights under the IPS and the DR loss ({@link MatrixFactorization}).</li>
 * </ol>
 * Baselines: naive MF; IPS and DR with the naive-Bayes propensity p̂(o = 1 | r) =
 * P̂(r | o = 1)·P̂(o = 1)/P̂(r), P̂(r | o = 1) from the observed ratings, P̂(r) from the MAR sample
 * (add-one smoothing), P̂(o = 1) = n/(U·I) (the paper's {@code _compute_IPS}); IPS with the true
 * propensity π (an oracle no real data set has). All weights are normalised to Σw = 1, so each IPS
 * loss is Σ_k w_k e_k, an estimate of the mean error over all pairs on the scale of the naive loss
 * (self-normalised IPS).
 *
 * <p>Every model uses the same MF options and seed. Output: the mean squared error of each model on
 * the held-out MAR test pairs, with the balancing diagnostics. Cost: six MF fits of
 * O(epochs·(n + G·n)·k) each and one balancing fit (n·m kernel evaluations per dual evaluation, plus
 * the (n + n_t)²·d MMD diagnostic).
 */
public final class DebiasedRecommendation {
    private final int rank;
    private final int epochs;
    private final double learningRate;
    private final double l2;
    private final int batchSize;
    private final int targetPairs;
    private final int anchors;
    private final double gammaScale;
    private final double ridge;
    private final double calibrationFraction;
    private final boolean naiveBayesBase;
    private final long seed;

    private DebiasedRecommendation(Builder b) {
        this.rank = b.rank;
        this.epochs = b.epochs;
        this.learningRate = b.learningRate;
        this.l2 = b.l2;
        this.batchSize = b.batchSize;
        this.targetPairs = b.targetPairs;
        this.anchors = b.anchors;
        this.gammaScale = b.gammaScale;
        this.ridge = b.ridge;
        this.calibrationFraction = b.calibrationFraction;
        this.naiveBayesBase = b.naiveBayesBase;
        this.seed = b.seed;
    }

    /** Starts a builder. Defaults: 2000 target pairs, 50 anchors, γ·d = 1, ridge 10⁻³, 5% calibration, seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for the experiment; validated by {@link #build()}. */
    public static final class Builder {
        private int rank = 4;
        private int epochs = 30;
        private double learningRate = 0.01;
        private double l2 = 1e-3;
        private int batchSize = 128;
        private int targetPairs = 2000;
        private int anchors = 50;
        private double gammaScale = 1.0;
        private double ridge = 1e-3;
        private double calibrationFraction = 0.05;
        private boolean naiveBayesBase = true;
        private long seed;

        private Builder() {
        }

        /**
         * Whether the balancing starts from the naive-Bayes inverse propensities as base weights (as
         * the paper's w = sigmoid(MF_w)·invprop) rather than from uniform ones; on by default.
         */
        public Builder naiveBayesBase(boolean on) {
            this.naiveBayesBase = on;
            return this;
        }

        /** The MF latent dimension (≥ 1); default 4. */
        public Builder rank(int rank) {
            this.rank = rank;
            return this;
        }

        /** The MF epochs (≥ 1); default 30. */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** The MF Adam step; default 0.01. */
        public Builder learningRate(double rate) {
            this.learningRate = rate;
            return this;
        }

        /** The MF L2 penalty; default 10⁻³. */
        public Builder l2(double lambda) {
            this.l2 = lambda;
            return this;
        }

        /** The MF minibatch size; default 128. */
        public Builder batchSize(int size) {
            this.batchSize = size;
            return this;
        }

        /** The number of uniformly drawn pairs forming the target population (≥ 1). */
        public Builder targetPairs(int count) {
            this.targetPairs = count;
            return this;
        }

        /** The number of balancing anchors m (≥ 1). */
        public Builder anchors(int count) {
            this.anchors = count;
            return this;
        }

        /** γ·d of the Gaussian kernel on the d standardised feature columns (&gt; 0). */
        public Builder gammaScale(double scale) {
            this.gammaScale = scale;
            return this;
        }

        /** The balancing ridge (≥ 0; 0 asks for exact balance). */
        public Builder ridge(double ridge) {
            this.ridge = ridge;
            return this;
        }

        /** The share of MAR test pairs set aside for the naive-Bayes propensity, in (0, 1). */
        public Builder calibrationFraction(double fraction) {
            this.calibrationFraction = fraction;
            return this;
        }

        /** The seed of the MF fits, the target sample and the anchors. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** @throws Kernels4jException for an invalid option */
        public DebiasedRecommendation build() {
            if (targetPairs < 1) {
                throw new Kernels4jException("the target sample needs at least one pair, got " + targetPairs);
            }
            if (!(gammaScale > 0) || Double.isInfinite(gammaScale)) {
                throw new Kernels4jException("the kernel scale γ·d must be a positive finite number, got " + gammaScale);
            }
            if (!(calibrationFraction > 0 && calibrationFraction < 1)) {
                throw new Kernels4jException("the calibration fraction must lie strictly between 0 and 1, got "
                        + calibrationFraction);
            }
            // KernelBalancing validates the anchor count and ridge, MatrixFactorization its own options: build both now
            KernelBalancing.builder(KernelSpec.parse("rbf(gamma=1)")).anchors(anchors,
                    KernelBalancing.AnchorSelection.KMEANS_PLUS_PLUS, seed).ridge(ridge).build();
            DebiasedRecommendation experiment = new DebiasedRecommendation(this);
            experiment.factorization(MatrixFactorization.Loss.NAIVE);
            return experiment;
        }
    }

    /** One model's score. */
    public record Method(String name, double testMse, double seconds) {
    }

    /**
     * The experiment's outcome: per-method MAR-test MSE (time: that model's fit, plus the balancing
     * for the kernel-balanced ones), and the balancing diagnostics: the squared MMD between the
     * observed and the target features under the base weights (before) and the balancing weights
     * (after), the weights' effective sample size 1/Σw², and the largest weight times n.
     */
    public record Result(int users, int items, int observed, int testPairs, List<Method> methods, double mmdBefore,
            double mmdAfter, double effectiveSampleSize, double maxWeightTimesN, double seconds) {
        public Result {
            methods = List.copyOf(methods);
        }

        /** The MSE of the named method. */
        public double mse(String name) {
            for (Method m : methods) {
                if (m.name().equals(name)) {
                    return m.testMse();
                }
            }
            throw new Kernels4jException("no method named '" + name + "' in this result");
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            s.append(String.format(Locale.ROOT, "%d users x %d items, %d observed ratings, %d MAR test pairs scored%n",
                    users, items, observed, testPairs));
            s.append(String.format(Locale.ROOT, "%-10s %10s %8s%n", "method", "test MSE", "time s"));
            for (Method m : methods) {
                s.append(String.format(Locale.ROOT, "%-10s %10.4f %8.2f%n", m.name(), m.testMse(), m.seconds()));
            }
            s.append(String.format(Locale.ROOT,
                    "balancing: MMD^2 %.3g -> %.3g, ESS %.0f of %d, max n*w %.1f; total %.1f s%n", mmdBefore, mmdAfter,
                    effectiveSampleSize, observed, maxWeightTimesN, seconds));
            return s.toString();
        }
    }

    /** Naive MF. These names label {@link Result#methods()}, in the order declared here. */
    public static final String NAIVE = "naive";
    /** IPS with the naive-Bayes propensity from the MAR calibration sample. */
    public static final String IPS_NB = "ips-nb";
    /** DR with the naive-Bayes propensity. */
    public static final String DR_NB = "dr-nb";
    /** IPS with the true propensity (oracle). */
    public static final String IPS_TRUE = "ips-true";
    /** IPS with kernel-balancing weights. */
    public static final String KB_IPS = "kb-ips";
    /** DR with kernel-balancing weights. */
    public static final String KB_DR = "kb-dr";

    /** Runs the experiment on a simulated data set. */
    public Result run(MnarRatings data) {
        long t0 = System.nanoTime();
        int users = data.users();
        int items = data.items();
        int[] u = data.trainUsers();
        int[] i = data.trainItems();
        double[] r = data.trainRatings();
        int n = u.length;
        int[] tu = data.testUsers();
        int[] ti = data.testItems();
        double[] tr = data.testRatings();
        int cal = (int) Math.round(calibrationFraction * tu.length);
        if (cal < 1 || cal >= tu.length) {
            throw new Kernels4jException("the MAR test set of " + tu.length + " pairs is too small to set aside "
                    + calibrationFraction + " of it for calibration");
        }
        double[] calRatings = java.util.Arrays.copyOfRange(tr, 0, cal);
        int[] eu = java.util.Arrays.copyOfRange(tu, cal, tu.length);
        int[] ei = java.util.Arrays.copyOfRange(ti, cal, ti.length);
        double[] er = java.util.Arrays.copyOfRange(tr, cal, tr.length);
        List<Method> methods = new ArrayList<>();

        long s = System.nanoTime();
        FactorModel naive = factorization(MatrixFactorization.Loss.NAIVE).fit(users, items, u, i, r);
        methods.add(new Method(NAIVE, naive.meanSquaredError(eu, ei, er), secondsSince(s)));

        double[] nb = naiveBayesInversePropensity(r, calRatings, (double) n / ((double) users * items));
        s = System.nanoTime();
        FactorModel ipsNb = factorization(MatrixFactorization.Loss.IPS).fit(users, items, u, i, r, nb);
        methods.add(new Method(IPS_NB, ipsNb.meanSquaredError(eu, ei, er), secondsSince(s)));
        s = System.nanoTime();
        FactorModel drNb = factorization(MatrixFactorization.Loss.DR).fit(users, items, u, i, r, nb);
        methods.add(new Method(DR_NB, drNb.meanSquaredError(eu, ei, er), secondsSince(s)));

        double[] pi = data.trainPropensities();
        double[] oracle = new double[n];
        for (int k = 0; k < n; k++) {
            oracle[k] = 1 / pi[k];
        }
        s = System.nanoTime();
        FactorModel ipsTrue = factorization(MatrixFactorization.Loss.IPS).fit(users, items, u, i, r, oracle);
        methods.add(new Method(IPS_TRUE, ipsTrue.meanSquaredError(eu, ei, er), secondsSince(s)));

        s = System.nanoTime();
        BalancingWeights bw = balance(naive, u, i, naiveBayesBase ? nb : null);
        double balanceSeconds = secondsSince(s);
        double[] w = bw.weights();
        s = System.nanoTime();
        FactorModel kbIps = factorization(MatrixFactorization.Loss.IPS).fit(users, items, u, i, r, w);
        methods.add(new Method(KB_IPS, kbIps.meanSquaredError(eu, ei, er), balanceSeconds + secondsSince(s)));
        s = System.nanoTime();
        FactorModel kbDr = factorization(MatrixFactorization.Loss.DR).fit(users, items, u, i, r, w);
        methods.add(new Method(KB_DR, kbDr.meanSquaredError(eu, ei, er), balanceSeconds + secondsSince(s)));

        return new Result(users, items, n, eu.length, methods, bw.baseMmdSquared(), bw.mmdSquared(),
                bw.effectiveSampleSize(), bw.maxWeight() * n, secondsSince(t0));
    }

    /**
     * The kernel-balancing weights of the observed pairs (u_k, i_k) against {@code targetPairs}
     * uniform pairs, on the standardised pair features of {@code pretrained}.
     */
    public BalancingWeights balance(FactorModel pretrained, int[] u, int[] i, double[] baseWeights) {
        Random random = new Random(seed ^ 0x5DEECE66DL);
        int users = pretrained.users();
        int items = pretrained.items();
        int[] gu = new int[targetPairs];
        int[] gi = new int[targetPairs];
        for (int t = 0; t < targetPairs; t++) {
            gu[t] = random.nextInt(users);
            gi[t] = random.nextInt(items);
        }
        Matrix target = pretrained.pairFeatures(gu, gi);
        Matrix observed = pretrained.pairFeatures(u, i);
        double[] mean = target.columnMeans();
        double[] sd = target.columnStandardDeviations(mean);
        for (int j = 0; j < sd.length; j++) {
            sd[j] = sd[j] > 0 ? sd[j] : 1; // a constant column carries no imbalance; leave it unscaled
        }
        target.standardizeColumns(mean, sd);
        observed.standardizeColumns(mean, sd);
        double gamma = gammaScale / target.cols();
        KernelBalancing kb = KernelBalancing.builder(KernelSpec.parse(String.format(Locale.ROOT, "rbf(gamma=%.17g)", gamma)))
                .anchors(Math.min(anchors, targetPairs), KernelBalancing.AnchorSelection.KMEANS_PLUS_PLUS, seed)
                .ridge(ridge).build();
        return kb.fit(observed, baseWeights, target);
    }

    /**
     * 1/p̂ per observed rating with p̂(o = 1 | r) = P̂(r | o = 1)·P̂(o = 1)/P̂(r): P̂(r | o = 1) the share of
     * observed ratings equal to r, P̂(r) the add-one-smoothed share in the MAR sample, P̂(o = 1) the
     * observed fraction. Ratings are matched as integers.
     */
    static double[] naiveBayesInversePropensity(double[] observed, double[] marSample, double observedFraction) {
        java.util.Map<Long, Integer> obs = new java.util.HashMap<>();
        java.util.Map<Long, Integer> mar = new java.util.HashMap<>();
        for (double v : observed) {
            obs.merge(Math.round(v), 1, Integer::sum);
        }
        for (double v : marSample) {
            mar.merge(Math.round(v), 1, Integer::sum);
        }
        java.util.Set<Long> levels = new java.util.HashSet<>(obs.keySet());
        levels.addAll(mar.keySet());
        double[] out = new double[observed.length];
        for (int k = 0; k < observed.length; k++) {
            long level = Math.round(observed[k]);
            double pGivenObserved = obs.get(level) / (double) observed.length;
            double pMar = (mar.getOrDefault(level, 0) + 1.0) / (marSample.length + levels.size());
            out[k] = pMar / (pGivenObserved * observedFraction);
        }
        return out;
    }

    /** The MF configuration shared by every method, with the given loss. */
    public MatrixFactorization factorization(MatrixFactorization.Loss loss) {
        return MatrixFactorization.builder().rank(rank).epochs(epochs).learningRate(learningRate).l2(l2)
                .batchSize(batchSize).loss(loss).seed(seed).build();
    }

    private static double secondsSince(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
