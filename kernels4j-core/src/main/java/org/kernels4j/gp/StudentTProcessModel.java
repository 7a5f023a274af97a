package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.PredictiveVariance;

/**
 * A Student-t process conditioned on (X, y) (formulas in {@link StudentTProcess}): the Gaussian
 * conditional given the kernel's scale (a {@link GaussianProcessModel}: X, L, α, target shift and
 * scale) plus the prior degrees of freedom ν, the shape factor c and β_o = y_oᵀA⁻¹y_o per output.
 * Immutable, on the heap.
 *
 * <p>Per output o, at a test row, with s²_GP the Gaussian process variance of f(x*):
 * location = GP mean, squared scale = (νc + β_o)/(ν+n)·s²_GP, dof ν + n, and variance
 * = (νc + β_o)/(ν+n−2)·s²_GP. Costs as {@link GaussianProcessModel}.
 */
public final class StudentTProcessModel implements PredictiveVariance {
    private final GaussianProcessModel conditional;
    private final double nu;
    private final double shapeScale;
    private final double[] quadraticForms;
    private final double logMarginalLikelihood;
    private final FitReport report;
    private final HyperparameterSearch.Result search;
    private final double priorShape;
    private final double priorScale;

    /**
     * Assembles a model (the estimator and model files call this).
     *
     * @param conditional the Gaussian process with the same kernel, noise and data
     * @param nu prior degrees of freedom ν &gt; 0
     * @param shapeScale c &gt; 0
     * @param quadraticForms β_o ≥ 0, one per output
     * @param priorShape the inverse-gamma a, or NaN in the covariance view
     * @param priorScale the inverse-gamma b, or NaN in the covariance view
     */
    public StudentTProcessModel(GaussianProcessModel conditional, double nu, double shapeScale, double[] quadraticForms,
            double logMarginalLikelihood, FitReport report, HyperparameterSearch.Result search, double priorShape,
            double priorScale) {
        if (!(nu > 0) || Double.isInfinite(nu) || !(shapeScale > 0) || Double.isInfinite(shapeScale)) {
            throw new Kernels4jException("a Student-t process needs nu > 0 and shape scale c > 0, finite, got nu = " + nu
                    + ", c = " + shapeScale);
        }
        if (quadraticForms.length != conditional.outputs()) {
            throw new Kernels4jException("the model has " + conditional.outputs() + " outputs but "
                    + quadraticForms.length + " quadratic forms");
        }
        for (double b : quadraticForms) {
            if (!(b >= 0) || Double.isInfinite(b)) {
                throw new Kernels4jException("the quadratic forms y'A^-1y must be >= 0 and finite, got " + b);
            }
        }
        this.conditional = conditional;
        this.nu = nu;
        this.shapeScale = shapeScale;
        this.quadraticForms = quadraticForms.clone();
        this.logMarginalLikelihood = logMarginalLikelihood;
        this.report = report;
        this.search = search;
        this.priorShape = priorShape;
        this.priorScale = priorScale;
    }

    StudentTProcessModel withSearch(HyperparameterSearch.Result result) {
        FitReport r = FitReport.builder().addAll(report).add("search", result.toString()).build();
        return new StudentTProcessModel(conditional, nu, shapeScale, quadraticForms, logMarginalLikelihood, r, result,
                priorShape, priorScale);
    }

    /** The Gaussian conditional given the scale: same kernel, noise, data, mean. */
    public GaussianProcessModel conditional() {
        return conditional;
    }

    /** The kernel (the learned one when a search ran). */
    public Kernel kernel() {
        return conditional.kernel();
    }

    /** The prior degrees of freedom ν (the learned one when it was learned). */
    public double priorDegreesOfFreedom() {
        return nu;
    }

    /** The predictive degrees of freedom ν + n. */
    public double degreesOfFreedom() {
        return nu + conditional.trainingInputs().rows();
    }

    /** c, the factor on K + σ²I in the prior shape matrix. */
    public double shapeScale() {
        return shapeScale;
    }

    /** β_o = y_oᵀA⁻¹y_o per output (of the normalized targets when normalizing). */
    public double[] quadraticForms() {
        return quadraticForms.clone();
    }

    /** The inverse-gamma prior (a, b) of the scale-mixture view, or null in the covariance view. */
    public double[] inverseGammaPrior() {
        return Double.isNaN(priorShape) ? null : new double[] {priorShape, priorScale};
    }

    /** log p(y | X, θ, ν), summed over outputs; NaN when unknown. */
    public double logMarginalLikelihood() {
        return logMarginalLikelihood;
    }

    /** The hyperparameter search that ran before the fit, or null. */
    public HyperparameterSearch.Result search() {
        return search;
    }

    @Override
    public FitReport report() {
        return report;
    }

    @Override
    public int features() {
        return conditional.features();
    }

    /** Number of outputs k. */
    public int outputs() {
        return conditional.outputs();
    }

    /** The predictive location (mean when ν + n &gt; 1), m × k: the Gaussian process mean. */
    @Override
    public Matrix predict(Matrix xTest) {
        return conditional.predict(xTest);
    }

    /** The squared scale of the predictive Student-t per test row and output, m × k: (νc + β_o)/(ν+n)·s²_GP. */
    public Matrix predictiveScale(Matrix xTest) {
        return rescaled(conditional.predictiveVariance(xTest), degreesOfFreedom());
    }

    /**
     * The predictive variance of f(x*), m × k: (νc + β_o)/(ν+n−2)·s²_GP; +∞ when ν + n ≤ 2 (the
     * t has no variance).
     */
    @Override
    public Matrix predictiveVariance(Matrix xTest) {
        double dof = degreesOfFreedom();
        Matrix v = conditional.predictiveVariance(xTest);
        if (!(dof > 2)) {
            java.util.Arrays.fill(v.data(), Double.POSITIVE_INFINITY);
            return v;
        }
        return rescaled(v, dof - 2);
    }

    private Matrix rescaled(Matrix gaussian, double denominator) {
        for (int i = 0; i < gaussian.rows(); i++) {
            for (int o = 0; o < gaussian.cols(); o++) {
                gaussian.set(i, o, gaussian.get(i, o) * (nu * shapeScale + quadraticForms[o]) / denominator);
            }
        }
        return gaussian;
    }
}
