package org.kernels4j.leastsquares;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * The comparison of Nouy &amp; Michel: the L²(μ) error of weighted least squares against the number of
 * points n, for each {@link SamplingMethod}, over independent trials.
 *
 * <p>The error of a fit f̂ is estimated on a fixed test sample of T points drawn from the optimal density
 * ρ_m with importance weights w = m/k_m: √(Σ w(f − f̂)²/Σ w f²), an unbiased-in-each-sum Monte-Carlo estimate
 * of ‖f − f̂‖/‖f‖ in L²(μ) (w ≤ m wherever φ₁ is constant, so its variance is finite). Drawing the test points
 * from ρ_m rather than μ keeps the floor computable at high degree, where points from μ rarely reach the
 * region in which high-order functions live and the plain Gram matrix is numerically singular. The same
 * test sample gives the best-approximation error: the weighted least-squares fit on the test points
 * themselves, the floor no sampler can beat on that sample. A trial whose design is singular counts as a
 * failure: the mean error and mean condition number are over the other trials, the median and 90 % quantile
 * count it as +∞.
 *
 * <p>Sizes are n = ⌈r·m⌉ for each ratio r; repeated DPPs round n up to a multiple of m; the projection
 * DPP runs only at n = m. Cost: trials × (sampling + O(n·m²) fit + O(T·m) evaluation) per point.
 */
public final class ApproximationExperiment {
    private ApproximationExperiment() {
    }

    /** Smooth test functions on ℝ^d (their inputs are the basis's inputs). */
    public enum TestFunction {
        /** Runge's function 1/(1 + 5‖x‖²/d): analytic, with poles near the real domain. */
        RUNGE("runge"),
        /** exp(Σ_k x_k/d). */
        EXPONENTIAL("exp"),
        /** Genz's oscillatory function cos(π/4 + Σ_k x_k/k). */
        OSCILLATORY("oscillatory"),
        /** Genz's Gaussian peak exp(−Σ_k (x_k − 0.2)²). */
        GAUSSIAN_PEAK("gaussian-peak"),
        /** √(0.01 + x₁²): smooth but with a sharp bend at x₁ = 0, so polynomial errors decay slowly. */
        KINK("kink");

        private final String label;

        TestFunction(String label) {
            this.label = label;
        }

        /** The short name used on the command line. */
        public String label() {
            return label;
        }

        /** f(x). */
        public double value(double[] x) {
            int d = x.length;
            switch (this) {
                case RUNGE: {
                    double s = 0;
                    for (double v : x) {
                        s += v * v;
                    }
                    return 1 / (1 + 5 * s / d);
                }
                case EXPONENTIAL: {
                    double s = 0;
                    for (double v : x) {
                        s += v;
                    }
                    return Math.exp(s / d);
                }
                case OSCILLATORY: {
                    double s = Math.PI / 4;
                    for (int k = 0; k < d; k++) {
                        s += x[k] / (k + 1);
                    }
                    return Math.cos(s);
                }
                case GAUSSIAN_PEAK: {
                    double s = 0;
                    for (double v : x) {
                        s += (v - 0.2) * (v - 0.2);
                    }
                    return Math.exp(-s);
                }
                default:
                    return Math.sqrt(0.01 + x[0] * x[0]);
            }
        }

        /** Parses a short name (runge, exp, oscillatory, gaussian-peak, kink). */
        public static TestFunction parse(String name) {
            String s = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (TestFunction f : values()) {
                if (f.label.equals(s) || f.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(s)) {
                    return f;
                }
            }
            throw new Kernels4jException("unknown test function '" + name
                    + "' (expected runge, exp, oscillatory, gaussian-peak or kink)");
        }
    }

    /**
     * One (method, n) cell of the comparison.
     *
     * @param method         the sampler
     * @param n              the number of points
     * @param meanError      the mean relative L² error over the trials whose design was nonsingular
     * @param medianError    the median over all trials (singular ones count as +∞)
     * @param upperError     the 90 % quantile over all trials
     * @param stableFraction the fraction of trials with ‖G − I‖₂ ≤ ½
     * @param singularFraction the fraction of trials whose weighted Gram matrix was singular
     * @param meanCondition  the mean cond(G) over nonsingular trials
     * @param errors         every trial's relative error, ascending (+∞ for a singular design)
     */
    public record Cell(SamplingMethod method, int n, double meanError, double medianError, double upperError,
            double stableFraction, double singularFraction, double meanCondition, double[] errors) {
        /** The record with a copy of the errors, so the cell stays immutable. */
        public Cell {
            errors = errors.clone();
        }

        @Override
        public double[] errors() {
            return errors.clone();
        }
    }

    /**
     * The whole comparison.
     *
     * @param basis          the approximation space
     * @param bestError      the relative error of the best approximation in the space (on the test sample)
     * @param cells          one cell per method and size, methods in the order given, sizes ascending
     */
    public record Result(String basis, double bestError, List<Cell> cells) {
    }

    /**
     * Runs the comparison.
     *
     * @param ratios   the values r of n/m (each ≥ 1)
     * @param trials   independent repetitions per cell (≥ 1)
     * @param testSize T, the size of the test sample (≥ 10·m)
     */
    public static Result run(OrthonormalBasis basis, ToDoubleFunction<double[]> f, List<SamplingMethod> methods,
            double[] ratios, int trials, int testSize, long seed) {
        int m = basis.dimension();
        if (trials < 1) {
            throw new Kernels4jException("the number of trials must be at least 1, got " + trials);
        }
        if (testSize < 10 * m) {
            throw new Kernels4jException("the test sample needs at least 10·m = " + 10 * m + " points, got " + testSize);
        }
        if (ratios.length == 0) {
            throw new Kernels4jException("give at least one ratio n/m");
        }
        for (double r : ratios) {
            if (!(r >= 1) || Double.isInfinite(r)) {
                throw new Kernels4jException("every ratio n/m must be a finite number ≥ 1, got " + r);
            }
        }
        if (methods.isEmpty()) {
            throw new Kernels4jException("give at least one sampling method");
        }
        Random random = new Random(new java.util.SplittableRandom(seed).nextLong());
        int d = basis.inputDimension();
        Matrix test = new Matrix(testSize, d);
        double[] truth = new double[testSize];
        double norm = 0;
        for (int i = 0; i < testSize; i++) {
            double[] x = basis.sampleOptimal(random);
            System.arraycopy(x, 0, test.data(), i * d, d);
            truth[i] = f.applyAsDouble(x);
            if (!Double.isFinite(truth[i])) {
                throw new Kernels4jException("the function is not finite at a test point (" + Arrays.toString(x) + ")");
            }
            norm += truth[i] * truth[i];
        }
        Matrix testFeatures = basis.evaluate(test);
        double[] testWeights = new double[testSize];
        norm = 0;
        for (int i = 0; i < testSize; i++) {
            double k = 0;
            for (int j = 0; j < m; j++) {
                double v = testFeatures.get(i, j);
                k += v * v;
            }
            testWeights[i] = m / k;
            norm += testWeights[i] * truth[i] * truth[i];
        }
        WeightedSample whole = new WeightedSample(SamplingMethod.OPTIMAL_IID, test, testFeatures, testWeights, null,
                testSize);
        double best = relativeError(WeightedLeastSquares.fit(basis, whole, truth).coefficients(), testFeatures,
                testWeights, truth, norm);
        List<Cell> cells = new ArrayList<>();
        for (SamplingMethod method : methods) {
            java.util.TreeSet<Integer> sizes = new java.util.TreeSet<>();
            for (double r : ratios) {
                int n = (int) Math.ceil(r * m - 1e-9);
                if (method == SamplingMethod.REPEATED_DPP) {
                    n = ((n + m - 1) / m) * m;
                }
                if (method == SamplingMethod.PROJECTION_DPP && n != m) {
                    continue;
                }
                sizes.add(n);
            }
            for (int n : sizes) {
                cells.add(cell(basis, f, method, n, trials, random.nextLong(), testFeatures, testWeights, truth, norm));
            }
        }
        return new Result(basis.describe(), best, List.copyOf(cells));
    }

    private static Cell cell(OrthonormalBasis basis, ToDoubleFunction<double[]> f, SamplingMethod method, int n,
            int trials, long seed, Matrix testFeatures, double[] testWeights, double[] truth, double norm) {
        double[] errors = new double[trials];
        int stable = 0;
        int singular = 0;
        double errorSum = 0;
        double conditionSum = 0;
        for (int t = 0; t < trials; t++) {
            WeightedSample sample = OptimalSampling.draw(basis, method, n, seed + t);
            double[] y = new double[n];
            for (int i = 0; i < n; i++) {
                y[i] = f.applyAsDouble(sample.points().row(i));
            }
            try {
                WeightedLeastSquares fit = WeightedLeastSquares.fit(basis, sample, y);
                errors[t] = relativeError(fit.coefficients(), testFeatures, testWeights, truth, norm);
                errorSum += errors[t];
                conditionSum += fit.gramCondition();
                if (fit.isStable(0.5)) {
                    stable++;
                }
            } catch (Kernels4jException e) {
                errors[t] = Double.POSITIVE_INFINITY;
                singular++;
            }
        }
        Arrays.sort(errors);
        int ok = trials - singular;
        return new Cell(method, n, ok == 0 ? Double.NaN : errorSum / ok, quantile(errors, 0.5), quantile(errors, 0.9),
                stable / (double) trials, singular / (double) trials, ok == 0 ? Double.NaN : conditionSum / ok, errors);
    }

    private static double quantile(double[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double relativeError(double[] a, Matrix features, double[] weights, double[] truth, double norm) {
        int m = a.length;
        double[] fd = features.data();
        double s = 0;
        for (int i = 0; i < truth.length; i++) {
            double p = 0;
            for (int j = 0; j < m; j++) {
                p += fd[i * m + j] * a[j];
            }
            s += weights[i] * (truth[i] - p) * (truth[i] - p);
        }
        return Math.sqrt(s / norm);
    }

}
