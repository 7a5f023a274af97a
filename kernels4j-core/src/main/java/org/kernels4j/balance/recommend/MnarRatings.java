package org.kernels4j.balance.recommend;

import java.util.Random;
import org.kernels4j.Kernels4jException;

/**
 * A seeded simulator of a user–item rating matrix observed missing not at random (MNAR), with a
 * separate missing-at-random (MAR) test set: the setting of Li et al., "Debiased collaborative
 * filtering with kernel-based causal balancing" (ICLR 2024), and of the Yahoo! R3 and Coat data.
 *
 * <p><b>True ratings.</b> For U users and I items with latent dimension k: user factors p_u and item
 * factors q_i with independent N(0, 1/√k) entries (so p_u·q_i has variance 1 for every k), user
 * and item offsets a_u, b_i ~ N(0, 0.5²), and noise ε_ui ~ N(0, σ²) (σ = {@code noise}):
 * <pre>
 *   r_ui = min(5, max(1, round(3 + a_u + b_i + p_u·q_i + ε_ui)))      on the integer scale 1..5.
 * </pre>
 * Every one of the U·I ratings is drawn and kept (one byte each), so the population mean of any
 * function of (u, i, r) is known exactly.
 *
 * <p><b>Selection (MNAR).</b> Each pair is observed independently with the propensity
 * <pre>
 *   π_ui = P(o_ui = 1 | r_ui, a_u, b_i) = sigmoid(α + s·(r_ui − 3) + t·(a_u + b_i)/0.5),
 * </pre>
 * s = {@code selectionStrength} ≥ 0 on the rating itself (users rate what they like) and t =
 * {@code exposureStrength} ≥ 0 on the true offsets (generous users rate more, good items are shown
 * more); s = t = 0 is MAR, every π = sigmoid(α). α is set by bisection so that the population mean of
 * π equals {@code observedFraction}, so that fraction is the expected share of observed pairs for
 * every s and t. The observed ratings' mean exceeds the population's by Σπr/Σπ − mean r. The
 * rating part acts through the noise too, so a weighting that sees only (u, i) cannot undo all of
 * it, while the exposure part is a function of (u, i) alone; the true propensities are kept for
 * oracle baselines and tests.
 *
 * <p><b>Test set (MAR).</b> {@code testPairs} pairs drawn uniformly with replacement from all U·I
 * pairs, independently of the selection (as a randomly chosen item shown to a random user), with
 * their true ratings.
 *
 * <p>Cost: O(U·I·k) time, U·I bytes of memory. Deterministic for a seed. Immutable.
 */
public final class MnarRatings {
    private final int users;
    private final int items;
    private final byte[] ratings;
    private final double alpha;
    private final double strength;
    private final double exposure;
    private final double[] userOffsets;
    private final double[] itemOffsets;
    private final int[] trainUsers;
    private final int[] trainItems;
    private final int[] testUsers;
    private final int[] testItems;

    private MnarRatings(int users, int items, byte[] ratings, double alpha, double strength, double exposure,
            double[] userOffsets, double[] itemOffsets, int[] trainUsers, int[] trainItems, int[] testUsers,
            int[] testItems) {
        this.users = users;
        this.items = items;
        this.ratings = ratings;
        this.alpha = alpha;
        this.strength = strength;
        this.exposure = exposure;
        this.userOffsets = userOffsets;
        this.itemOffsets = itemOffsets;
        this.trainUsers = trainUsers;
        this.trainItems = trainItems;
        this.testUsers = testUsers;
        this.testItems = testItems;
    }

    /**
     * Starts a builder. Defaults: 300 users, 300 items, k = 4, σ = 0.5, s = 1, t = 0, 5% observed, 5000
     * test pairs, seed 0.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link MnarRatings}; validated by {@link #generate()}. */
    public static final class Builder {
        private int users = 300;
        private int items = 300;
        private int rank = 4;
        private double noise = 0.5;
        private double strength = 1.0;
        private double exposure;
        private double fraction = 0.05;
        private int testPairs = 5000;
        private long seed;

        private Builder() {
        }

        /** The number of users U (≥ 1). */
        public Builder users(int users) {
            this.users = users;
            return this;
        }

        /** The number of items I (≥ 1). */
        public Builder items(int items) {
            this.items = items;
            return this;
        }

        /** The latent dimension k (≥ 1) of the true factors. */
        public Builder rank(int rank) {
            this.rank = rank;
            return this;
        }

        /** The standard deviation σ ≥ 0 of the rating noise before rounding. */
        public Builder noise(double sigma) {
            this.noise = sigma;
            return this;
        }

        /** The MNAR strength s ≥ 0 in sigmoid(α + s·(r − 3)); 0 gives MAR. */
        public Builder selectionStrength(double s) {
            this.strength = s;
            return this;
        }

        /**
         * The exposure strength t ≥ 0 in sigmoid(α + s·(r − 3) + t·(a_u + b_i)/0.5): selection on the
         * true user and item offsets (generous users rate more, good items are shown more); 0 by default.
         */
        public Builder exposureStrength(double t) {
            this.exposure = t;
            return this;
        }

        /** The expected share of observed pairs, in (0, 1). */
        public Builder observedFraction(double fraction) {
            this.fraction = fraction;
            return this;
        }

        /** The number of MAR test pairs (≥ 1). */
        public Builder testPairs(int count) {
            this.testPairs = count;
            return this;
        }

        /** The random seed. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Draws the data set.
         *
         * @throws Kernels4jException for an invalid option
         */
        public MnarRatings generate() {
            if (users < 1 || items < 1) {
                throw new Kernels4jException("the simulator needs at least one user and one item, got " + users
                        + " users and " + items + " items");
            }
            if ((long) users * items > Integer.MAX_VALUE - 8) {
                throw new Kernels4jException("the simulator keeps all U·I ratings; " + users + "·" + items
                        + " is more than it can hold");
            }
            if (rank < 1) {
                throw new Kernels4jException("the latent dimension must be >= 1, got " + rank);
            }
            if (!(noise >= 0) || Double.isInfinite(noise)) {
                throw new Kernels4jException("the rating noise must be a finite number >= 0, got " + noise);
            }
            if (!(strength >= 0) || Double.isInfinite(strength)) {
                throw new Kernels4jException("the selection strength must be a finite number >= 0, got " + strength);
            }
            if (!(exposure >= 0) || Double.isInfinite(exposure)) {
                throw new Kernels4jException("the exposure strength must be a finite number >= 0, got " + exposure);
            }
            if (!(fraction > 0 && fraction < 1)) {
                throw new Kernels4jException("the observed fraction must lie strictly between 0 and 1, got " + fraction);
            }
            if (testPairs < 1) {
                throw new Kernels4jException("the test set needs at least one pair, got " + testPairs);
            }
            Random random = new Random(seed);
            double sd = Math.pow(rank, -0.25);
            double[] p = gaussians(random, users * rank, sd);
            double[] q = gaussians(random, items * rank, sd);
            double[] a = gaussians(random, users, 0.5);
            double[] b = gaussians(random, items, 0.5);
            int n = users * items;
            byte[] r = new byte[n];
            for (int u = 0; u < users; u++) {
                for (int i = 0; i < items; i++) {
                    double dot = 0;
                    for (int f = 0; f < rank; f++) {
                        dot += p[u * rank + f] * q[i * rank + f];
                    }
                    double z = 3 + a[u] + b[i] + dot + noise * random.nextGaussian();
                    int v = (int) Math.max(1, Math.min(5, Math.round(z)));
                    r[u * items + i] = (byte) v;
                }
            }
            double[] logits = new double[n];
            for (int k = 0; k < n; k++) {
                logits[k] = strength * (r[k] - 3) + exposure * (a[k / items] + b[k % items]) / 0.5;
            }
            double alpha = intercept(logits, fraction);
            int[] obsU = new int[n];
            int[] obsI = new int[n];
            int m = 0;
            for (int k = 0; k < n; k++) {
                if (random.nextDouble() < sigmoid(alpha + logits[k])) {
                    obsU[m] = k / items;
                    obsI[m] = k % items;
                    m++;
                }
            }
            if (m == 0) {
                throw new Kernels4jException("the simulator observed no rating; raise the observed fraction or the sizes");
            }
            int[] tu = new int[testPairs];
            int[] ti = new int[testPairs];
            for (int t = 0; t < testPairs; t++) {
                tu[t] = random.nextInt(users);
                ti[t] = random.nextInt(items);
            }
            return new MnarRatings(users, items, r, alpha, strength, exposure, a, b, java.util.Arrays.copyOf(obsU, m),
                    java.util.Arrays.copyOf(obsI, m), tu, ti);
        }
    }

    private static double[] gaussians(Random random, int count, double sd) {
        double[] v = new double[count];
        for (int j = 0; j < count; j++) {
            v[j] = sd * random.nextGaussian();
        }
        return v;
    }

    /** α with (1/n)·Σ_k sigmoid(α + ℓ_k) = fraction, by bisection (the left side increases in α). */
    private static double intercept(double[] logits, double fraction) {
        double lo = -60;
        double hi = 60;
        for (int it = 0; it < 60; it++) {
            double mid = 0.5 * (lo + hi);
            double mean = 0;
            for (double l : logits) {
                mean += sigmoid(mid + l);
            }
            if (mean / logits.length < fraction) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /** The number of users U. */
    public int users() {
        return users;
    }

    /** The number of items I. */
    public int items() {
        return items;
    }

    /** The true rating r_ui in 1..5 of any pair, observed or not. */
    public int rating(int user, int item) {
        return ratings[index(user, item)];
    }

    /** The true propensity π_ui = sigmoid(α + s·(r_ui − 3) + t·(a_u + b_i)/0.5) of any pair. */
    public double propensity(int user, int item) {
        int k = index(user, item);
        return sigmoid(alpha + strength * (ratings[k] - 3) + exposure * (userOffsets[user] + itemOffsets[item]) / 0.5);
    }

    /** The intercept α set so that the mean propensity is the requested observed fraction. */
    public double intercept() {
        return alpha;
    }

    /** The MNAR strength s. */
    public double selectionStrength() {
        return strength;
    }

    /** The exposure strength t. */
    public double exposureStrength() {
        return exposure;
    }

    /** The number of observed (training) pairs. */
    public int observedCount() {
        return trainUsers.length;
    }

    /** The users of the observed pairs, in row-major pair order (a copy). */
    public int[] trainUsers() {
        return trainUsers.clone();
    }

    /** The items of the observed pairs (a copy). */
    public int[] trainItems() {
        return trainItems.clone();
    }

    /** The ratings of the observed pairs. */
    public double[] trainRatings() {
        return ratingsOf(trainUsers, trainItems);
    }

    /** The true propensities of the observed pairs. */
    public double[] trainPropensities() {
        double[] p = new double[trainUsers.length];
        for (int k = 0; k < p.length; k++) {
            p[k] = propensity(trainUsers[k], trainItems[k]);
        }
        return p;
    }

    /** The users of the MAR test pairs (a copy). */
    public int[] testUsers() {
        return testUsers.clone();
    }

    /** The items of the MAR test pairs (a copy). */
    public int[] testItems() {
        return testItems.clone();
    }

    /** The true ratings of the MAR test pairs. */
    public double[] testRatings() {
        return ratingsOf(testUsers, testItems);
    }

    private double[] ratingsOf(int[] us, int[] is) {
        double[] r = new double[us.length];
        for (int k = 0; k < r.length; k++) {
            r[k] = ratings[us[k] * items + is[k]];
        }
        return r;
    }

    private int index(int user, int item) {
        if (user < 0 || user >= users || item < 0 || item >= items) {
            throw new Kernels4jException("pair (" + user + ", " + item + ") is outside the " + users + "×" + items
                    + " rating matrix");
        }
        return user * items + item;
    }
}
