package org.kernels4j.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SpecialFunctions;
import org.kernels4j.regression.NtkPredictor;

/**
 * Learning a permutation of k bits from the k standard basis vectors alone, with an ensemble of
 * infinitely wide networks trained by gradient flow (Giapitzakis, Back de Luca and Fountoulakis,
 * "Exact Learning of Permutations for Nonzero Binary Inputs with Logarithmic Training Size and
 * Quadratic Ensemble Complexity", arXiv:2502.16763, 2025).
 *
 * <p>Training inputs are the rows of I_k and targets the rows of the permutation matrix, so
 * y_i = e_{π(i)}. The test set is all 2^k − 1 nonzero x ∈ {0,1}^k, whose target is π(x) (bit i of x
 * moved to position π(i)). {@link NtkPredictor} gives the Gaussian that the trained network's outputs
 * follow over random initializations: mean μ(x) and covariance Σ(x, x'), the same for all k output
 * coordinates, which are independent. An ensemble of M independently trained networks averages M
 * draws of that Gaussian, so its average is exactly μ + L·Z/√M with LLᵀ = Σ and Z standard normal:
 * one joint draw over the whole test set per (M, trial), whatever M is.
 *
 * <p>The average is then rounded to a binary vector, one of two ways:
 * <ul>
 *   <li>{@link Rounding#TOP_S}: the s largest coordinates become 1, s = number of ones in x
 *       (a permutation preserves it);</li>
 *   <li>{@link Rounding#MIDPOINT}: coordinate j becomes 1 when it exceeds the midpoint of the two
 *       values the mean takes on x. The mean is μ(x) = A(x)·Y with A(x) the predictor's weights on
 *       the training points, and A(x)_i takes one value for x_i = 1 and another for x_i = 0; the
 *       midpoint comes from A(x), so it does not use the labels. Coordinates are then independent,
 *       and the probability that x is mapped exactly is Π_j Φ(±(μ_j(x) − mid(x))·√M/σ(x)), which
 *       {@link Row#predictedRate} reports as an independent check on the simulation.</li>
 * </ul>
 *
 * <p>Cost: m = 2^k − 1 test points; an m×m covariance and its Cholesky factor (m³/3 flops, 8m²
 * bytes each), then O(m²·k) per trial. k ≤ 13 keeps it under 2 GiB.
 */
public final class PermutationLearning {
    /** The largest k: 2^13 − 1 test points, two 8191² matrices. */
    public static final int MAX_K = 13;

    /** How the ensemble average becomes a binary vector. */
    public enum Rounding {
        /** The s largest coordinates become 1, s = number of ones in the input. */
        TOP_S,
        /** Each coordinate is compared with the midpoint of the mean's two values on this input. */
        MIDPOINT
    }

    /**
     * Results for one ensemble size.
     *
     * @param ensembleSize M
     * @param exactRate fraction of the 2^k − 1 inputs mapped exactly, averaged over trials
     * @param standardError standard error of that average over trials
     * @param allExactFraction fraction of trials in which every input was mapped exactly
     * @param predictedRate the expected exact rate in closed form (MIDPOINT only; NaN for TOP_S)
     */
    public record Row(int ensembleSize, double exactRate, double standardError, double allExactFraction,
            double predictedRate) {
    }

    /**
     * @param k number of bits
     * @param permutation π as an array: bit i of the input goes to position π[i]
     * @param meanExactRate exact rate of the rounded mean itself (an infinite ensemble)
     * @param rows one per requested ensemble size
     */
    public record Result(int k, int[] permutation, double meanExactRate, List<Row> rows) {
    }

    private final NeuralKernel kernel;
    private final double time;
    private final double learningRate;
    private final double diagReg;
    private final Rounding rounding;
    private final int trials;
    private final long seed;

    private PermutationLearning(Builder b) {
        this.kernel = b.kernel;
        this.time = b.time;
        this.learningRate = b.learningRate;
        this.diagReg = b.diagReg;
        this.rounding = b.rounding;
        this.trials = b.trials;
        this.seed = b.seed;
    }

    /** A builder with the defaults of the paper's setting: a two-layer ReLU network, t = ∞. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options; all have defaults. */
    public static final class Builder {
        private NeuralKernel kernel = NeuralKernel.ntk(1, Activation.relu(), 2, 0.1);
        private double time = Double.POSITIVE_INFINITY;
        private double learningRate = 1;
        private double diagReg;
        private Rounding rounding = Rounding.TOP_S;
        private int trials = 20;
        private long seed = 1;

        private Builder() {
        }

        /** The network (its NTK and NNGP); default ntk(depth=1, activation=relu, w_var=2, b_var=0.1). */
        public Builder kernel(NeuralKernel k) {
            this.kernel = k;
            return this;
        }

        /** Training time t ≥ 0, or infinity (default). */
        public Builder time(double t) {
            if (!(t >= 0)) {
                throw new Kernels4jException("the training time must be >= 0 (or infinity), got " + t);
            }
            this.time = t;
            return this;
        }

        /** Learning rate η &gt; 0 (default 1; only η·t matters). */
        public Builder learningRate(double eta) {
            this.learningRate = eta;
            return this;
        }

        /** Relative diagonal regularizer, as in {@link NtkPredictor.Builder#regularizer} (default 0). */
        public Builder diagReg(double r) {
            this.diagReg = r;
            return this;
        }

        /** Rounding rule (default TOP_S). */
        public Builder rounding(Rounding r) {
            this.rounding = r;
            return this;
        }

        /** Independent ensembles drawn per ensemble size (default 20). */
        public Builder trials(int t) {
            if (t < 1) {
                throw new Kernels4jException("trials must be >= 1, got " + t);
            }
            this.trials = t;
            return this;
        }

        /** Seed for the permutation and the draws (default 1). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public PermutationLearning build() {
            NtkPredictor.builder(kernel).learningRate(learningRate).regularizer(diagReg, false).build(); // validates η and the regularizer
            return new PermutationLearning(this);
        }
    }

    /** A seeded uniformly random permutation of 0..k−1 (Fisher–Yates). */
    public static int[] randomPermutation(int k, long seed) {
        return Landmarks.permutation(k, new Random(seed));
    }

    /** All 2^k − 1 nonzero binary vectors; row r − 1 holds the bits of r (bit i in column i). */
    public static Matrix nonzeroBinaryInputs(int k) {
        int m = (1 << k) - 1;
        Matrix x = new Matrix(m, k);
        for (int r = 1; r <= m; r++) {
            for (int i = 0; i < k; i++) {
                x.set(r - 1, i, (r >> i) & 1);
            }
        }
        return x;
    }

    /** Runs the experiment with a random permutation of k bits drawn from the seed. */
    public Result run(int k, int[] ensembleSizes) {
        if (k < 2 || k > MAX_K) {
            throw new Kernels4jException("k must be between 2 and " + MAX_K + ", got " + k);
        }
        return run(randomPermutation(k, seed), ensembleSizes);
    }

    /** Runs the experiment for the permutation π (bit i goes to position π[i]). */
    public Result run(int[] permutation, int[] ensembleSizes) {
        int k = permutation.length;
        if (k < 2 || k > MAX_K) {
            throw new Kernels4jException("k must be between 2 and " + MAX_K + ", got " + k);
        }
        boolean[] seen = new boolean[k];
        for (int p : permutation) {
            if (p < 0 || p >= k || seen[p]) {
                throw new Kernels4jException("not a permutation of 0.." + (k - 1) + ": " + Arrays.toString(permutation));
            }
            seen[p] = true;
        }
        for (int m : ensembleSizes) {
            if (m < 1) {
                throw new Kernels4jException("ensemble sizes must be >= 1, got " + m);
            }
        }
        Matrix xTrain = Matrix.identity(k);
        Matrix yTrain = new Matrix(k, k);
        for (int i = 0; i < k; i++) {
            yTrain.set(i, permutation[i], 1);
        }
        Matrix xTest = nonzeroBinaryInputs(k);
        int m = xTest.rows();
        Matrix target = new Matrix(m, k);
        for (int r = 0; r < m; r++) {
            for (int i = 0; i < k; i++) {
                target.set(r, permutation[i], xTest.get(r, i));
            }
        }
        NtkPredictor predictor = NtkPredictor.builder(kernel).learningRate(learningRate).regularizer(diagReg, false).build();
        double[] times = {time};
        NtkPredictor.Gaussian g = predictor.fit(xTrain, yTrain).predict(xTest, times, true).get(0);
        // A(x): the weights on the training points, i.e. the mean for identity targets; labels unused.
        Matrix weights = predictor.fit(xTrain, Matrix.identity(k)).predict(xTest, times, false).get(0).mean();
        double[] midpoint = midpoints(xTest, weights);
        Matrix mean = g.mean();
        double meanRate = exactCount(mean, xTest, target, midpoint) / (double) m;

        Matrix lower;
        try (Cholesky chol = Cholesky.factor(g.covariance(), "ensemble covariance over the test inputs")) {
            lower = chol.lower();
        }
        Random rng = new Random(seed ^ 0x9E3779B97F4A7C15L);
        List<Row> rows = new ArrayList<>();
        for (int size : ensembleSizes) {
            double sum = 0;
            double sumSq = 0;
            int allExact = 0;
            for (int trial = 0; trial < trials; trial++) {
                Matrix z = new Matrix(m, k);
                double[] zd = z.data();
                for (int i = 0; i < zd.length; i++) {
                    zd[i] = rng.nextGaussian();
                }
                Matrix average = lower.times(z);
                double[] ad = average.data();
                double[] md = mean.data();
                double scale = 1 / Math.sqrt(size);
                for (int i = 0; i < ad.length; i++) {
                    ad[i] = md[i] + scale * ad[i];
                }
                int exact = exactCount(average, xTest, target, midpoint);
                double rate = exact / (double) m;
                sum += rate;
                sumSq += rate * rate;
                if (exact == m) {
                    allExact++;
                }
            }
            double avg = sum / trials;
            double se = trials > 1 ? Math.sqrt(Math.max(0, (sumSq - trials * avg * avg) / (trials - 1)) / trials) : 0;
            double predicted = rounding == Rounding.MIDPOINT ? predictedRate(mean, g.covariance(), target, midpoint, size)
                    : Double.NaN;
            rows.add(new Row(size, avg, se, allExact / (double) trials, predicted));
        }
        return new Result(k, permutation.clone(), meanRate, rows);
    }

    /** mid(x) = (value of A(x)_i where x_i = 1 + value where x_i = 0)/2; −∞ when x is all ones. */
    private static double[] midpoints(Matrix x, Matrix weights) {
        int m = x.rows();
        int k = x.cols();
        double[] mid = new double[m];
        for (int r = 0; r < m; r++) {
            double on = 0;
            double off = 0;
            int ones = 0;
            for (int i = 0; i < k; i++) {
                if (x.get(r, i) == 1) {
                    on += weights.get(r, i);
                    ones++;
                } else {
                    off += weights.get(r, i);
                }
            }
            mid[r] = ones == k ? Double.NEGATIVE_INFINITY : 0.5 * (on / ones + off / (k - ones));
        }
        return mid;
    }

    private int exactCount(Matrix f, Matrix x, Matrix target, double[] midpoint) {
        int m = f.rows();
        int k = f.cols();
        int exact = 0;
        double[] row = new double[k];
        for (int r = 0; r < m; r++) {
            boolean ok = true;
            if (rounding == Rounding.MIDPOINT) {
                for (int j = 0; j < k && ok; j++) {
                    ok = (f.get(r, j) > midpoint[r] ? 1 : 0) == target.get(r, j);
                }
            } else {
                int ones = 0;
                for (int i = 0; i < k; i++) {
                    ones += (int) x.get(r, i);
                    row[i] = f.get(r, i);
                }
                // the s-th largest value is the threshold; ties beyond it count as errors
                double[] sorted = row.clone();
                Arrays.sort(sorted);
                double threshold = sorted[k - ones];
                int above = 0;
                for (int j = 0; j < k && ok; j++) {
                    boolean on = row[j] >= threshold;
                    above += on ? 1 : 0;
                    ok = (on ? 1 : 0) == target.get(r, j);
                }
                ok &= above == ones;
            }
            if (ok) {
                exact++;
            }
        }
        return exact;
    }

    /** Expected exact rate under MIDPOINT rounding: mean over x of Π_j Φ(±(μ_j − mid)·√M/σ). */
    private static double predictedRate(Matrix mean, Matrix cov, Matrix target, double[] midpoint, int size) {
        int m = mean.rows();
        int k = mean.cols();
        double total = 0;
        for (int r = 0; r < m; r++) {
            double sd = Math.sqrt(Math.max(cov.get(r, r), 0) / size);
            double p = 1;
            for (int j = 0; j < k; j++) {
                double margin = (mean.get(r, j) - midpoint[r]) * (target.get(r, j) == 1 ? 1 : -1);
                if (sd > 0) {
                    p *= SpecialFunctions.normalCdf(margin / sd);
                } else if (!(margin > 0)) {
                    p = 0;
                }
            }
            total += p;
        }
        return total / m;
    }
}
