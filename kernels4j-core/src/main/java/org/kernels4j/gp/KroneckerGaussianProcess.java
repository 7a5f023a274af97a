package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.Specs;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;

/**
 * Exact Gaussian process regression on a Cartesian grid (Saatçi 2011; Wilson et al. 2014): inputs
 * x = (x_1, …, x_D) with x_d taken from axis d's n_d coordinates, a product kernel
 * k(x, z) = Π_d k_d(x_d, z_d) (one {@link Kernel} per axis, each seeing one input column), and
 * y = f(x) + ε, ε ~ N(0, σ²). Then K = ⊗_d K_d, and with the per-axis eigendecompositions
 * K_d = Q_d·Λ_d·Q_dᵀ ({@link org.kernels4j.linalg.SymmetricEigen}) on a complete grid
 * <pre>
 *   (K + σ²I)⁻¹·y = (⊗Q_d)·(⊗Λ_d + σ²)⁻¹·(⊗Q_d)ᵀ·y,     log det(K + σ²I) = Σ_i log(λ_i + σ²)
 *   log p(y) = −½·yᵀα − ½·log det − (N/2)·log 2π
 * </pre>
 * at O(Σ n_d³ + N·Σ n_d) time and O(N + Σ n_d²) memory instead of O(N³) and O(N²). Missing cells
 * (a mask) are handled exactly — not by the approximate "imaginary observations" of Wilson et al. —
 * through the Schur complement on the M missing cells (see {@code KroneckerAlgebra}): extra
 * O(M·N·Σ n_d + M³) time and 8·N·M bytes, so M is capped by {@link Builder#maxMissing}. The results
 * (evidence, its gradient, predictive means and latent variances) equal the dense
 * {@link GaussianProcess}'s on the observed points to rounding.
 *
 * <p>The gradient with respect to log θ of every axis kernel's hyperparameters (in axis order, named
 * {@code axis0.rbf.length}, …) and of σ² ({@code noise}) is exact: ½·tr((ααᵀ − A⁻¹)·∂A) with each
 * trace reduced to one n_d × n_d contraction per axis ({@link org.kernels4j.gram.GramEngine#gradientContractions}).
 * {@link Builder#optimize} maximizes it before the fit. Predictions at arbitrary points (m × D)
 * cost O(N) each for the mean and O(N·(1 + M)) for the variance. One output column.
 *
 * <pre>{@code
 * var gp = KroneckerGaussianProcess.builder(List.of(rbfX, maternT)).noise(0.01).build();
 * KroneckerGaussianProcessModel m = gp.fit(grid);                 // or fit(x, y): the grid is detected
 * }</pre>
 */
public final class KroneckerGaussianProcess implements Estimator<KroneckerGaussianProcessModel> {
    /**
     * Data on a grid: per-axis coordinates (distinct), values in row-major order (the last axis
     * varies fastest) and which cells are observed (values at unobserved cells are ignored).
     */
    public record Grid(List<double[]> axes, double[] values, boolean[] observed) {
        /** Checks the shapes and that coordinates are finite and distinct along each axis. */
        public Grid {
            if (axes.isEmpty()) {
                throw new Kernels4jException("a grid needs at least one axis");
            }
            long n = 1;
            List<double[]> copy = new ArrayList<>();
            for (int d = 0; d < axes.size(); d++) {
                double[] a = axes.get(d).clone();
                if (a.length == 0) {
                    throw new Kernels4jException("grid axis " + d + " has no coordinates");
                }
                double[] sorted = a.clone();
                java.util.Arrays.sort(sorted);
                for (int i = 0; i < sorted.length; i++) {
                    if (!Double.isFinite(sorted[i]) || (i > 0 && sorted[i] == sorted[i - 1])) {
                        throw new Kernels4jException("grid axis " + d + " has a repeated or non-finite coordinate "
                                + sorted[i]);
                    }
                }
                n *= a.length;
                copy.add(a);
            }
            if (n > Integer.MAX_VALUE / 2 || values.length != n || observed.length != n) {
                throw new Kernels4jException("a grid of " + n + " cells needs that many values and mask entries, got "
                        + values.length + " and " + observed.length);
            }
            int seen = 0;
            for (int i = 0; i < n; i++) {
                if (observed[i]) {
                    seen++;
                    if (!Double.isFinite(values[i])) {
                        throw new Kernels4jException("grid cell " + i + " is observed but holds " + values[i]);
                    }
                }
            }
            if (seen == 0) {
                throw new Kernels4jException("the grid has no observed cell");
            }
            axes = List.copyOf(copy);
            values = values.clone();
            observed = observed.clone();
        }

        /** A complete grid (every cell observed). */
        public static Grid complete(List<double[]> axes, double[] values) {
            boolean[] all = new boolean[values.length];
            java.util.Arrays.fill(all, true);
            return new Grid(axes, values, all);
        }

        /**
         * The grid spanned by the distinct values of each column of x (n × D), with y (n × 1) at the
         * cells present; the other cells are missing.
         *
         * @throws Kernels4jException when two rows fall in the same cell
         */
        public static Grid fromPoints(Matrix x, Matrix y) {
            TrainingData.require(x, y);
            if (y.cols() != 1) {
                throw new Kernels4jException("a grid GP takes one target column, got " + y.cols());
            }
            int dims = x.cols();
            List<double[]> axes = new ArrayList<>();
            long cells = 1;
            for (int d = 0; d < dims; d++) {
                double[] a = java.util.Arrays.stream(x.column(d)).sorted().distinct().toArray();
                axes.add(a);
                cells *= a.length;
            }
            if (cells > 50_000_000L) {
                throw new Kernels4jException("the points span a grid of " + cells + " cells (axes of "
                        + axes.stream().map(a -> Integer.toString(a.length)).toList() + " distinct values); a grid GP"
                        + " needs inputs on a Cartesian grid");
            }
            double[] values = new double[(int) cells];
            boolean[] observed = new boolean[(int) cells];
            for (int i = 0; i < x.rows(); i++) {
                int cell = 0;
                for (int d = 0; d < dims; d++) {
                    cell = cell * axes.get(d).length + java.util.Arrays.binarySearch(axes.get(d), x.get(i, d));
                }
                if (observed[cell]) {
                    throw new Kernels4jException("row " + (i + 1) + " repeats the grid point of an earlier row; a grid"
                            + " GP takes at most one value per grid cell (average repeats first)");
                }
                observed[cell] = true;
                values[cell] = y.get(i, 0);
            }
            return new Grid(axes, values, observed);
        }

        /** The number of cells N. */
        public int cells() {
            return values.length;
        }

        /** The number of missing cells. */
        public int missing() {
            int m = 0;
            for (boolean o : observed) {
                m += o ? 0 : 1;
            }
            return m;
        }

        /** The observed cells as points (rows of coordinates, row-major cell order) — for the dense GP. */
        public Matrix observedPoints() {
            int dims = axes.size();
            int count = values.length - missing();
            Matrix x = new Matrix(count, dims);
            for (int c = 0, r = 0; c < values.length; c++) {
                if (observed[c]) {
                    int rest = c;
                    for (int d = dims - 1; d >= 0; d--) {
                        x.set(r, d, axes.get(d)[rest % axes.get(d).length]);
                        rest /= axes.get(d).length;
                    }
                    r++;
                }
            }
            return x;
        }

        /** The observed values in the order of {@link #observedPoints()}, as a column. */
        public Matrix observedValues() {
            double[] out = new double[values.length - missing()];
            for (int c = 0, r = 0; c < values.length; c++) {
                if (observed[c]) {
                    out[r++] = values[c];
                }
            }
            return Matrix.column(out);
        }
    }

    private final List<Kernel> kernels;
    private final double noise;
    private final boolean normalizeTargets;
    private final int maxMissing;
    private final HyperparameterSearch search;

    private KroneckerGaussianProcess(List<Kernel> kernels, double noise, boolean normalizeTargets, int maxMissing,
            HyperparameterSearch search) {
        this.kernels = kernels;
        this.noise = noise;
        this.normalizeTargets = normalizeTargets;
        this.maxMissing = maxMissing;
        this.search = search;
    }

    /** Starts a builder with one kernel per axis; defaults: noise 1e-6, no normalization, at most 1000 missing cells. */
    public static Builder builder(List<Kernel> axisKernels) {
        return new Builder(axisKernels);
    }

    /** Options, validated by {@link #build()}. */
    public static final class Builder {
        private final List<Kernel> kernels;
        private double noise = 1e-6;
        private boolean normalizeTargets;
        private int maxMissing = 1000;
        private HyperparameterSearch search;

        private Builder(List<Kernel> kernels) {
            if (kernels == null || kernels.isEmpty() || kernels.stream().anyMatch(java.util.Objects::isNull)) {
                throw new Kernels4jException("a grid GP needs one kernel per axis");
            }
            this.kernels = List.copyOf(kernels);
        }

        /** The noise variance σ² &gt; 0 (learned too with {@link #optimize}). */
        public Builder noise(double value) {
            this.noise = value;
            return this;
        }

        /** Centre and scale the observed values to unit variance before fitting. */
        public Builder normalizeTargets(boolean on) {
            this.normalizeTargets = on;
            return this;
        }

        /** The most missing cells accepted (≥ 0): each costs a grid-sized solve and N doubles of memory. */
        public Builder maxMissing(int value) {
            this.maxMissing = value;
            return this;
        }

        /** Learn every axis kernel's hyperparameters and the noise before fitting. */
        public Builder optimize(HyperparameterSearch value) {
            this.search = value;
            return this;
        }

        /** @throws Kernels4jException for a noise that is not positive and finite or a negative cap */
        public KroneckerGaussianProcess build() {
            if (!(noise > 0) || Double.isInfinite(noise)) {
                throw new Kernels4jException("the grid GP needs a noise variance > 0 and finite, got " + noise);
            }
            if (maxMissing < 0) {
                throw new Kernels4jException("maxMissing must be >= 0, got " + maxMissing);
            }
            return new KroneckerGaussianProcess(kernels, noise, normalizeTargets, maxMissing, search);
        }
    }

    /** The per-axis kernels. */
    public List<Kernel> kernels() {
        return kernels;
    }

    /** The noise variance σ². */
    public double noise() {
        return noise;
    }

    /** Fits on the grid spanned by the points (see {@link Grid#fromPoints}). */
    @Override
    public KroneckerGaussianProcessModel fit(Matrix x, Matrix y) {
        return fit(Grid.fromPoints(x, y));
    }

    /** Conditions on the grid's observed cells, after learning the hyperparameters when a search was set. */
    public KroneckerGaussianProcessModel fit(Grid grid) {
        check(grid);
        if (search != null) {
            HyperparameterSearch.Result r = optimize(grid, search);
            double[] theta = ((ParameterVector) r.kernel()).values();
            KroneckerGaussianProcessModel m = new KroneckerGaussianProcess(kernelsOf(theta), theta[theta.length - 1],
                    normalizeTargets, maxMissing, null).fit(grid);
            return m.withSearch(r);
        }
        double[] shiftScale = shiftScale(grid);
        KroneckerAlgebra algebra = new KroneckerAlgebra(kernels, grid.axes(), grid.observed(), noise);
        double[] alpha = algebra.alpha(filled(grid, shiftScale));
        double lml = logLikelihood(algebra, grid, shiftScale, alpha);
        FitReport report = FitReport.builder().add("log_marginal_likelihood", lml).add("noise", noise)
                .add("cells", grid.cells()).add("missing", grid.missing()).build();
        return new KroneckerGaussianProcessModel(kernels, noise, grid, shiftScale[0], shiftScale[1], algebra, alpha, lml,
                report, null);
    }

    /**
     * log p(y_O | θ) of the observed cells (normalized when normalizing) and its gradient with respect
     * to log θ in {@link #hyperparameters()} order (every axis kernel's, then {@code noise}).
     */
    public HyperparameterSearch.Evidence evidence(Grid grid) {
        check(grid);
        return evidence(kernels, noise, grid);
    }

    private HyperparameterSearch.Evidence evidence(List<Kernel> ks, double sigma2, Grid grid) {
        double[] shiftScale = shiftScale(grid);
        KroneckerAlgebra algebra = new KroneckerAlgebra(ks, grid.axes(), grid.observed(), sigma2);
        double[] alpha = algebra.alpha(filled(grid, shiftScale));
        double lml = logLikelihood(algebra, grid, shiftScale, alpha);
        return new HyperparameterSearch.Evidence(lml, algebra.gradient(ks, alpha));
    }

    /** The learnable parameters: each axis kernel's as {@code axis<d>.<name>}, then {@code noise}. */
    public List<Hyperparameter> hyperparameters() {
        List<Hyperparameter> out = new ArrayList<>();
        for (int d = 0; d < kernels.size(); d++) {
            for (Hyperparameter h : kernels.get(d).hyperparameters()) {
                out.add(new Hyperparameter("axis" + d + "." + h.name(), h.value(), h.lower(), h.upper()));
            }
        }
        out.add(Hyperparameter.of("noise", noise));
        return out;
    }

    /** Maximizes {@link #evidence} over {@link #hyperparameters()}; the result's kernel holds θ in that order. */
    public HyperparameterSearch.Result optimize(Grid grid, HyperparameterSearch with) {
        check(grid);
        ParameterVector start = new ParameterVector(hyperparameters(), theta -> {
            List<String> specs = kernelsOf(theta).stream().map(Kernel::toSpec).toList();
            return "grid" + specs + " + noise " + Specs.num(theta[theta.length - 1]);
        });
        return with.maximize(start, k -> {
            double[] theta = ((ParameterVector) k).values();
            return evidence(kernelsOf(theta), theta[theta.length - 1], grid);
        });
    }

    /** The axis kernels at θ (the last entry of θ is the noise). */
    List<Kernel> kernelsOf(double[] theta) {
        List<Kernel> out = new ArrayList<>();
        int at = 0;
        for (Kernel k : kernels) {
            int count = k.hyperparameters().size();
            out.add(count == 0 ? k : k.withHyperparameters(java.util.Arrays.copyOfRange(theta, at, at + count)));
            at += count;
        }
        return out;
    }

    private void check(Grid grid) {
        if (grid.axes().size() != kernels.size()) {
            throw new Kernels4jException("the grid has " + grid.axes().size() + " axes but " + kernels.size()
                    + " axis kernels were given");
        }
        if (grid.missing() > maxMissing) {
            throw new Kernels4jException("the grid has " + grid.missing() + " missing cells of " + grid.cells()
                    + "; the exact grid GP accepts at most " + maxMissing + " (raise maxMissing, at "
                    + (8L * grid.cells() / 1_000_000) + " MB each, or use the dense or sparse GP)");
        }
    }

    /** {shift, scale} of the observed values (0 and 1 unless normalizing). */
    private double[] shiftScale(Grid grid) {
        GaussianProcess.Targets t = GaussianProcess.normalize(grid.observedValues(), normalizeTargets);
        return new double[] {t.shift()[0], t.scale()[0]};
    }

    private static double[] filled(Grid grid, double[] shiftScale) {
        double[] y = new double[grid.cells()];
        for (int i = 0; i < y.length; i++) {
            y[i] = grid.observed()[i] ? (grid.values()[i] - shiftScale[0]) / shiftScale[1] : 0;
        }
        return y;
    }

    private static double logLikelihood(KroneckerAlgebra algebra, Grid grid, double[] shiftScale, double[] alpha) {
        double[] y = filled(grid, shiftScale);
        double fit = 0;
        for (int i = 0; i < y.length; i++) {
            fit += y[i] * alpha[i];
        }
        int n = grid.cells() - grid.missing();
        double lml = -0.5 * fit - 0.5 * algebra.logDeterminant() - 0.5 * n * Math.log(2 * Math.PI);
        if (!Double.isFinite(lml)) {
            throw new Kernels4jException("grid GP: the log marginal likelihood is " + lml
                    + "; scale the targets or raise the noise");
        }
        return lml;
    }
}
