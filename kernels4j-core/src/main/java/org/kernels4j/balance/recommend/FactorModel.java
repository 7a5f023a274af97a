package org.kernels4j.balance.recommend;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * A fitted matrix-factorisation rating model, r̂_ui = μ + b_u + c_i + p_u·q_i, with U×k user factors
 * P, I×k item factors Q, user offsets b, item offsets c and a global mean μ. Immutable; built by
 * {@link MatrixFactorization#fit}. A prediction costs O(k).
 */
public final class FactorModel {
    private final int users;
    private final int items;
    private final int rank;
    private final double[] theta; // [μ, b (U), c (I), P (U·k, row-major), Q (I·k, row-major)]

    FactorModel(int users, int items, int rank, double[] theta) {
        this.users = users;
        this.items = items;
        this.rank = rank;
        this.theta = theta.clone();
    }

    /** The number of users U. */
    public int users() {
        return users;
    }

    /** The number of items I. */
    public int items() {
        return items;
    }

    /** The latent dimension k. */
    public int rank() {
        return rank;
    }

    /** The global mean μ. */
    public double globalMean() {
        return theta[0];
    }

    /** r̂_ui = μ + b_u + c_i + p_u·q_i. */
    public double predict(int user, int item) {
        check(user, item);
        return predict(theta, users, items, rank, user, item);
    }

    /** r̂ for each pair (users[t], items[t]). */
    public double[] predict(int[] users, int[] items) {
        requirePairs(users, items);
        double[] out = new double[users.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = predict(users[t], items[t]);
        }
        return out;
    }

    /** The mean squared error (1/n)·Σ_t (r̂_t − r_t)² over the given pairs and ratings. */
    public double meanSquaredError(int[] users, int[] items, double[] ratings) {
        double[] p = predict(users, items);
        if (ratings.length != p.length) {
            throw new Kernels4jException(ratings.length + " ratings for " + p.length + " pairs");
        }
        double s = 0;
        for (int t = 0; t < p.length; t++) {
            s += (p[t] - ratings[t]) * (p[t] - ratings[t]);
        }
        return s / p.length;
    }

    /** The U×k user factors P (a copy). */
    public Matrix userFactors() {
        return Matrix.wrap(users, rank, java.util.Arrays.copyOfRange(theta, pOffset(users, items), pOffset(users, items)
                + users * rank));
    }

    /** The I×k item factors Q (a copy). */
    public Matrix itemFactors() {
        int q = qOffset(users, items, rank);
        return Matrix.wrap(items, rank, java.util.Arrays.copyOfRange(theta, q, q + items * rank));
    }

    /** The user offsets b (a copy). */
    public double[] userBiases() {
        return java.util.Arrays.copyOfRange(theta, 1, 1 + users);
    }

    /** The item offsets c (a copy). */
    public double[] itemBiases() {
        return java.util.Arrays.copyOfRange(theta, 1 + users, 1 + users + items);
    }

    /**
     * Pair features x_ui = (p_u, b_u, q_i, c_i), one row of length 2k + 2 per pair: the concatenated
     * user and item embeddings of Li et al. (ICLR 2024), with each side's offset as one more
     * embedding coordinate (the paper's MF has no offsets).
     */
    public Matrix pairFeatures(int[] users, int[] items) {
        requirePairs(users, items);
        int d = 2 * rank + 2;
        Matrix x = new Matrix(users.length, d);
        double[] data = x.data();
        int p = pOffset(this.users, this.items);
        int q = qOffset(this.users, this.items, rank);
        for (int t = 0; t < users.length; t++) {
            int u = users[t];
            int i = items[t];
            check(u, i);
            int row = t * d;
            System.arraycopy(theta, p + u * rank, data, row, rank);
            data[row + rank] = theta[1 + u];
            System.arraycopy(theta, q + i * rank, data, row + rank + 1, rank);
            data[row + 2 * rank + 1] = theta[1 + this.users + i];
        }
        return x;
    }

    double[] parameters() {
        return theta.clone();
    }

    static int pOffset(int users, int items) {
        return 1 + users + items;
    }

    static int qOffset(int users, int items, int rank) {
        return 1 + users + items + users * rank;
    }

    static double predict(double[] theta, int users, int items, int rank, int u, int i) {
        int p = pOffset(users, items) + u * rank;
        int q = qOffset(users, items, rank) + i * rank;
        double s = theta[0] + theta[1 + u] + theta[1 + users + i];
        for (int f = 0; f < rank; f++) {
            s += theta[p + f] * theta[q + f];
        }
        return s;
    }

    private void requirePairs(int[] us, int[] is) {
        if (us.length != is.length) {
            throw new Kernels4jException(us.length + " users but " + is.length + " items: pairs need one of each");
        }
    }

    private void check(int u, int i) {
        if (u < 0 || u >= users || i < 0 || i >= items) {
            throw new Kernels4jException("pair (" + u + ", " + i + ") is outside the model's " + users + " users and "
                    + items + " items");
        }
    }
}
