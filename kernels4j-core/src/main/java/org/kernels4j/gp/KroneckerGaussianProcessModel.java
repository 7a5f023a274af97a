package org.kernels4j.gp;

import java.util.List;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;
import org.kernels4j.model.TrainingData;

/**
 * A grid GP conditioned on the observed cells (see {@link KroneckerGaussianProcess}): immutable, on
 * the heap. It keeps the grid, the per-axis eigendecompositions, α (N, zero at missing cells) and
 * the missing-cell factor V (N × M). Mean at x*: Σ_cells k(x*, cell)·α_cell with k(x*, ·) = ⊗_d
 * k_d(x*_d, axis_d), O(N); latent variance k(x*, x*) − k*ᵀ·(C_OO)⁻¹·k*, O(N·(1 + M)).
 */
public final class KroneckerGaussianProcessModel implements PredictiveVariance {
    private final List<Kernel> kernels;
    private final double noise;
    private final KroneckerGaussianProcess.Grid grid;
    private final double shift;
    private final double scale;
    private final KroneckerAlgebra algebra;
    private final double[] alpha;
    private final double logMarginalLikelihood;
    private final FitReport report;
    private final HyperparameterSearch.Result search;

    KroneckerGaussianProcessModel(List<Kernel> kernels, double noise, KroneckerGaussianProcess.Grid grid, double shift,
            double scale, KroneckerAlgebra algebra, double[] alpha, double logMarginalLikelihood, FitReport report,
            HyperparameterSearch.Result search) {
        this.kernels = List.copyOf(kernels);
        this.noise = noise;
        this.grid = grid;
        this.shift = shift;
        this.scale = scale;
        this.algebra = algebra;
        this.alpha = alpha;
        this.logMarginalLikelihood = logMarginalLikelihood;
        this.report = report;
        this.search = search;
    }

    KroneckerGaussianProcessModel withSearch(HyperparameterSearch.Result result) {
        FitReport r = FitReport.builder().addAll(report).add("search", result.toString()).build();
        return new KroneckerGaussianProcessModel(kernels, noise, grid, shift, scale, algebra, alpha,
                logMarginalLikelihood, r, result);
    }

    /** The per-axis kernels (learned ones when a search ran). */
    public List<Kernel> kernels() {
        return kernels;
    }

    /** The noise variance σ². */
    public double noise() {
        return noise;
    }

    /** The training grid. */
    public KroneckerGaussianProcess.Grid grid() {
        return grid;
    }

    /** {shift, scale} applied to the observed values (0 and 1 when not normalizing). */
    double[] shiftAndScale() {
        return new double[] {shift, scale};
    }

    /** The hyperparameter search that ran before the fit, or null. */
    public HyperparameterSearch.Result search() {
        return search;
    }

    /** log p(y_O | θ) (of the normalized values when normalizing). */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** A copy of α = (K_OO + σ²I)⁻¹·y_O laid out on the grid (zero at missing cells). */
    public double[] alpha() {
        return alpha.clone();
    }

    @Override
    public int features() {
        return grid.axes().size();
    }

    @Override
    public FitReport report() {
        return report;
    }

    @Override
    public Matrix predict(Matrix x) {
        TrainingData.requirePredictionInputs(x, features());
        Matrix out = new Matrix(x.rows(), 1);
        for (int r = 0; r < x.rows(); r++) {
            double[] k = algebra.outer(algebra.queryVectors(kernels, x.row(r)));
            double s = 0;
            for (int i = 0; i < k.length; i++) {
                s += k[i] * alpha[i];
            }
            out.set(r, 0, s * scale + shift);
        }
        return out;
    }

    @Override
    public Matrix predictiveVariance(Matrix x) {
        TrainingData.requirePredictionInputs(x, features());
        Matrix out = new Matrix(x.rows(), 1);
        for (int r = 0; r < x.rows(); r++) {
            double[] row = x.row(r);
            double prior = 1;
            for (int d = 0; d < kernels.size(); d++) {
                prior *= kernels.get(d).value(new double[] {row[d]}, new double[] {row[d]});
            }
            double v = prior - algebra.quadratic(algebra.queryVectors(kernels, row));
            out.set(r, 0, Math.max(v, 0) * scale * scale);
        }
        return out;
    }
}
