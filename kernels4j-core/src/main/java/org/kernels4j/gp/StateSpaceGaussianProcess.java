package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * Exact Gaussian process regression on one input dimension in O(n) time, by writing the
 * covariance as a linear SDE ({@link StateSpaceKernel}: Matérn-½, 3/2, 5/2 and resonators, and sums
 * of those) and running a Kalman filter and Rauch–Tung–Striebel smoother over the sorted inputs
 * (Hartikainen &amp; Särkkä 2010; Särkkä &amp; Solin 2019). Model: f ~ GP(0, k), y_i = f(t_i) + ε_i,
 * ε_i ~ N(0, σ²), σ² = {@code noise} &gt; 0. The results are those of the dense
 * {@link GaussianProcess} with the same kernel and noise, to rounding:
 * <pre>
 *   log p(y | t, θ) = Σ_i log N(y_i; H·m⁻_i, S_i)      (the prediction-error decomposition)
 *   mean(t*), Var f(t*)                                  from the smoother run over the training and
 *                                                        test times interleaved
 * </pre>
 * Inputs may be unsorted and repeated (repeats cost nothing: A = I, Q = 0 between them); targets
 * are n×k (k outputs sharing the kernel and noise). The gradient of the log marginal likelihood with
 * respect to every log hyperparameter (each component's variance, length and frequency, then
 * {@code noise}) is exact, from the filter's forward sensitivity equations. Cost: evidence O(n·d³),
 * with gradient O(n·J·d³) for state dimension d (p per Matérn-(p−½) component, 2p per resonator)
 * and J hyperparameters, plus O(n log n) for sorting; memory O(n·k) (predictions O((n+m)·d²)).
 *
 * <p>With {@link Builder#optimize} the fit first maximizes the evidence over the hyperparameters and
 * the noise ({@code noise} is its name for {@link HyperparameterSearch.Builder#fix}); with
 * {@code normalizeTargets} each output is centred and scaled first, as in {@link GaussianProcess}.
 *
 * <pre>{@code
 * var gp = StateSpaceGaussianProcess.builder(StateSpaceKernel.parse("2*matern(nu=1.5, length=3)"))
 *         .noise(0.1).build();
 * StateSpaceGaussianProcessModel m = gp.fit(t, y);          // t is n×1
 * Matrix mean = m.predict(tNew), var = m.predictiveVariance(tNew);
 * }</pre>
 */
public final class StateSpaceGaussianProcess implements Estimator<StateSpaceGaussianProcessModel> {
    private final StateSpaceKernel kernel;
    private final double noise;
    private final boolean normalizeTargets;
    private final HyperparameterSearch search;

    private StateSpaceGaussianProcess(StateSpaceKernel kernel, double noise, boolean normalizeTargets,
            HyperparameterSearch search) {
        this.kernel = kernel;
        this.noise = noise;
        this.normalizeTargets = normalizeTargets;
        this.search = search;
    }

    /** Starts a builder; defaults: noise σ² = 1e-6, no normalization, no search. */
    public static Builder builder(StateSpaceKernel kernel) {
        return new Builder(kernel);
    }

    /** A builder for a kernel made of Matérn kernels (see {@link StateSpaceKernel#fromKernel}). */
    public static Builder builder(Kernel kernel) {
        return new Builder(StateSpaceKernel.fromKernel(kernel));
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final StateSpaceKernel kernel;
        private double noise = 1e-6;
        private boolean normalizeTargets;
        private HyperparameterSearch search;

        private Builder(StateSpaceKernel kernel) {
            if (kernel == null) {
                throw new Kernels4jException("a state-space Gaussian process needs a kernel");
            }
            this.kernel = kernel;
        }

        /** The observation noise variance σ² &gt; 0 (learned too when {@link #optimize} is set). */
        public Builder noise(double value) {
            this.noise = value;
            return this;
        }

        /** Centre and scale each output to unit variance before fitting. */
        public Builder normalizeTargets(boolean on) {
            this.normalizeTargets = on;
            return this;
        }

        /** Learn the hyperparameters and noise by maximizing the evidence before fitting. */
        public Builder optimize(HyperparameterSearch value) {
            this.search = value;
            return this;
        }

        /** @throws Kernels4jException for a noise that is not positive and finite */
        public StateSpaceGaussianProcess build() {
            if (!(noise > 0) || Double.isInfinite(noise)) {
                throw new Kernels4jException("the state-space GP needs a noise variance > 0 and finite, got " + noise);
            }
            return new StateSpaceGaussianProcess(kernel, noise, normalizeTargets, search);
        }
    }

    /** The kernel. */
    public StateSpaceKernel kernel() {
        return kernel;
    }

    /** The noise variance σ². */
    public double noise() {
        return noise;
    }

    /** The same GP with another kernel and noise. */
    public StateSpaceGaussianProcess with(StateSpaceKernel otherKernel, double otherNoise) {
        return new StateSpaceGaussianProcess(otherKernel, otherNoise, normalizeTargets, search);
    }

    @Override
    public StateSpaceGaussianProcessModel fit(Matrix x, Matrix y) {
        Sorted s = sorted(x, y);
        if (search != null) {
            HyperparameterSearch.Result r = optimize(x, y, search);
            double[] theta = ((ParameterVector) r.kernel()).values();
            StateSpaceGaussianProcess learned = new StateSpaceGaussianProcess(kernelOf(theta),
                    theta[theta.length - 1], normalizeTargets, null);
            StateSpaceGaussianProcessModel m = learned.fit(x, y);
            return m.withSearch(r);
        }
        GaussianProcess.Targets t = GaussianProcess.normalize(s.y, normalizeTargets);
        double lml = KalmanRecursions.evidence(kernel, noise, s.t, t.values().data(), y.cols(), false).value();
        FitReport report = FitReport.builder().add("log_marginal_likelihood", lml).add("noise", noise)
                .add("state_dimension", kernel.stateDimension()).build();
        return new StateSpaceGaussianProcessModel(kernel, noise, Matrix.wrap(s.t.length, 1, s.t), t.values(),
                t.shift(), t.scale(), lml, report, null);
    }

    /**
     * log p(y | t, θ) summed over outputs (of the normalized targets when normalizing) and its
     * gradient with respect to log θ in {@link #hyperparameters()} order: the kernel's
     * hyperparameters, then {@code noise}.
     */
    public HyperparameterSearch.Evidence evidence(Matrix x, Matrix y) {
        Sorted s = sorted(x, y);
        Matrix yn = GaussianProcess.normalize(s.y, normalizeTargets).values();
        return KalmanRecursions.evidence(kernel, noise, s.t, yn.data(), y.cols(), true);
    }

    /** The learnable parameters: {@link StateSpaceKernel#hyperparameters()} then {@code noise}. */
    public List<Hyperparameter> hyperparameters() {
        List<Hyperparameter> out = new ArrayList<>(kernel.hyperparameters());
        out.add(Hyperparameter.of("noise", noise));
        return out;
    }

    /** Maximizes {@link #evidence} over {@link #hyperparameters()}; the result's kernel holds θ in that order. */
    public HyperparameterSearch.Result optimize(Matrix x, Matrix y, HyperparameterSearch with) {
        Sorted s = sorted(x, y);
        Matrix yn = GaussianProcess.normalize(s.y, normalizeTargets).values();
        ParameterVector start = new ParameterVector(hyperparameters(),
                theta -> kernelOf(theta).toSpec() + " + noise " + org.kernels4j.kernel.Specs.num(theta[theta.length - 1]));
        return with.maximize(start, k -> {
            double[] theta = ((ParameterVector) k).values();
            return KalmanRecursions.evidence(kernelOf(theta), theta[theta.length - 1], s.t, yn.data(), y.cols(), true);
        });
    }

    /** The kernel with the first values of θ (the last is the noise). */
    StateSpaceKernel kernelOf(double[] theta) {
        return kernel.withHyperparameters(java.util.Arrays.copyOf(theta, theta.length - 1));
    }

    /** Inputs sorted ascending with the targets permuted alike (a stable sort keeps repeats in order). */
    record Sorted(double[] t, Matrix y) {
    }

    static Sorted sorted(Matrix x, Matrix y) {
        TrainingData.require(x, y);
        if (x.cols() != 1) {
            throw new Kernels4jException("a state-space GP takes one input column (time), got " + x.cols()
                    + "; use the dense or grid GP for more");
        }
        int n = x.rows();
        int[] order = order(x.data());
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = x.get(order[i], 0);
        }
        return new Sorted(t, y.selectRows(order));
    }

    static int[] order(double[] values) {
        boolean sorted = true;
        for (int i = 1; i < values.length && sorted; i++) {
            sorted = values[i] >= values[i - 1];
        }
        if (sorted) { // the common case of time series: skip the boxed sort
            int[] identity = new int[values.length];
            for (int i = 0; i < identity.length; i++) {
                identity[i] = i;
            }
            return identity;
        }
        Integer[] idx = new Integer[values.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(values[a], values[b]));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
