package org.kernels4j.decomposition;

import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.Model;
import org.kernels4j.model.TrainingData;

/**
 * A fitted kernel PCA ({@link KernelPca}): immutable. Every solver ends in the same form: basis points
 * b_1 … b_p (the n training rows, or the m Nyström landmarks), coefficients A (p×k) and
 * <pre>
 *   t(x) = k̃(x)·A − o,   k̃(x)_i = k(x, b_i) − mean_l k(x, b_l) − r̄_i + ḡ   (kernel-centred solvers)
 *                        k̃(x)_i = k(x, b_i)                                  (Nyström, uncentred)
 * </pre>
 * where r̄ and ḡ are the row means and grand mean of the training Gram matrix (scikit-learn's
 * {@code KernelCenterer}: {@code K_fit_rows_}, {@code K_fit_all_}), A = U·Λ^(−½) for the exact-family
 * solvers (columns of zero eigenvalue are 0) and o = 0; for Nyström, A = P·V and o = μ·V (μ the mean
 * training feature). {@link #predict} is {@link #transform}: the m×k projections.
 *
 * <p>A model fitted by {@link KernelPca#fitKernelMatrix} is "precomputed": it has no kernel or basis
 * points, and {@link #transform} takes m×n rows of kernel values against the n training points
 * ({@link #features()} = n).
 *
 * <p>Cost of {@link #transform}: O(m·p·d) kernel work at BLAS speed plus 2·m·p·k flops, in row blocks
 * (no m×p matrix is stored).
 */
public final class KernelPcaModel implements Model {
    /** The learned pre-image map: x̂(z) = K_z(z, Z)·B with B = (K_z(Z, Z) + αI)⁻¹·X. */
    record Inverse(Kernel kernel, double alpha, Matrix dual) {
    }

    private final Kernel kernel;
    private final Matrix basis;
    private final Matrix coefficients;
    private final double[] rowMeans;
    private final double grandMean;
    private final double[] offset;
    private final double[] eigenvalues;
    private final double trace;
    private final Matrix projections;
    private final Inverse inverse;
    private final String solver;
    private final boolean centred;
    private final FitReport report;

    KernelPcaModel(Kernel kernel, Matrix basis, Matrix coefficients, double[] rowMeans, double grandMean,
            double[] offset, double[] eigenvalues, double trace, Matrix projections, Inverse inverse, String solver,
            boolean centred, FitReport report) {
        int p = coefficients.rows();
        int k = coefficients.cols();
        if ((kernel == null) != (basis == null)) {
            throw new Kernels4jException("a kernel PCA model needs both a kernel and basis points, or neither");
        }
        if (basis != null && basis.rows() != p) {
            throw new Kernels4jException("kernel PCA model has " + basis.rows() + " basis points but " + p
                    + " rows of coefficients");
        }
        if (rowMeans != null && rowMeans.length != p) {
            throw new Kernels4jException("kernel PCA model has " + rowMeans.length + " kernel row means for " + p
                    + " basis points");
        }
        if (offset.length != k || eigenvalues.length != k || projections.cols() != k) {
            throw new Kernels4jException("kernel PCA model has " + k + " components but " + offset.length
                    + " offsets, " + eigenvalues.length + " eigenvalues and " + projections.cols()
                    + " projection columns");
        }
        if (basis == null && projections.rows() != p) {
            throw new Kernels4jException("a precomputed kernel PCA model has " + projections.rows()
                    + " training projections but " + p + " rows of coefficients");
        }
        if (inverse != null && inverse.dual().rows() != projections.rows()) {
            throw new Kernels4jException("the inverse map has " + inverse.dual().rows() + " rows for "
                    + projections.rows() + " training points");
        }
        this.kernel = kernel;
        this.basis = basis;
        this.coefficients = coefficients;
        this.rowMeans = rowMeans == null ? null : rowMeans.clone();
        this.grandMean = grandMean;
        this.offset = offset.clone();
        this.eigenvalues = eigenvalues.clone();
        this.trace = trace;
        this.projections = projections;
        this.inverse = inverse;
        this.solver = solver;
        this.centred = centred;
        this.report = report;
    }

    /** The projections of new points: m×k (see the class comment); the same as {@link #transform}. */
    @Override
    public Matrix predict(Matrix x) {
        return transform(x);
    }

    /**
     * The projections t(x) of the rows of x onto the k components (m×k). For a precomputed model, x holds
     * kernel values: row i is k(x_i, ·) against the n training points.
     */
    public Matrix transform(Matrix x) {
        if (basis == null) {
            if (x.cols() != coefficients.rows()) {
                throw new Kernels4jException("this kernel PCA was fitted to a kernel matrix of "
                        + coefficients.rows() + " points, so it transforms rows of " + coefficients.rows()
                        + " kernel values, but got " + x.cols());
            }
            x.requireFinite("kernel rows");
        } else {
            TrainingData.requirePredictionInputs(x, basis.cols());
        }
        int p = coefficients.rows();
        int k = coefficients.cols();
        boolean centred = rowMeans != null;
        Matrix a = coefficients;
        if (centred) { // one more column, 1/p, gives mean_l k(x, b_l) in the same pass
            a = new Matrix(p, k + 1);
            for (int i = 0; i < p; i++) {
                System.arraycopy(coefficients.data(), i * k, a.data(), i * (k + 1), k);
                a.set(i, k, 1.0 / p);
            }
        }
        Matrix t;
        if (basis == null) {
            t = new Matrix(x.rows(), a.cols());
            Blas.gemm(false, false, 1.0, x, a, 0.0, t);
        } else {
            t = GramEngine.crossTimes(kernel, x, basis, a, ProgressListener.NONE);
        }
        double[] colSums = new double[k];
        double[] meanDotA = new double[k];
        if (centred) {
            for (int i = 0; i < p; i++) {
                for (int j = 0; j < k; j++) {
                    colSums[j] += coefficients.get(i, j);
                    meanDotA[j] += rowMeans[i] * coefficients.get(i, j);
                }
            }
        }
        Matrix out = new Matrix(x.rows(), k);
        for (int r = 0; r < x.rows(); r++) {
            double rowMean = centred ? t.get(r, k) : 0;
            for (int j = 0; j < k; j++) {
                double v = t.get(r, j);
                if (centred) {
                    v += (grandMean - rowMean) * colSums[j] - meanDotA[j];
                }
                out.set(r, j, v - offset[j]);
            }
        }
        return out;
    }

    /**
     * Pre-images of projections z (m×k) by the learned map x̂(z) = K_z(z, Z)·B (m×d); only for a model
     * fitted with {@link KernelPca.Builder#fitInverseTransform}.
     */
    public Matrix inverseTransform(Matrix z) {
        if (inverse == null) {
            throw new Kernels4jException("this kernel PCA model has no inverse map: fit it with fitInverseTransform");
        }
        if (z.cols() != components()) {
            throw new Kernels4jException("the model has " + components() + " components but the projections have "
                    + z.cols() + " columns");
        }
        z.requireFinite("projections");
        return GramEngine.crossTimes(inverse.kernel(), z, projections, inverse.dual(), ProgressListener.NONE);
    }

    /** Whether {@link #inverseTransform} is available. */
    public boolean hasInverseTransform() {
        return inverse != null;
    }

    /** The number of components k. */
    public int components() {
        return eigenvalues.length;
    }

    /** The eigenvalues λ_1 ≥ … ≥ λ_k of the centred Gram matrix K̃ (of K when uncentred; zeros clipped). */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /**
     * λ_j / tr(K̃): the share of the total feature-space variance (Σ_i ‖φ(x_i) − mean φ‖², which equals
     * the trace of the centred Gram matrix, the sum of all n of its eigenvalues) carried by each component;
     * uncentred, relative to tr(K). For Nyström, both are those of the Nyström Gram matrix Φ̃Φ̃ᵀ.
     */
    public double[] explainedVarianceRatio() {
        double[] r = new double[eigenvalues.length];
        for (int j = 0; j < r.length; j++) {
            r[j] = trace > 0 ? eigenvalues[j] / trace : 0;
        }
        return r;
    }

    /** tr(K̃), the denominator of {@link #explainedVarianceRatio}. */
    public double totalVariance() {
        return trace;
    }

    /** The projections of the training points, √λ_j·u_j (n×k, a copy); what fit_transform returns. */
    public Matrix trainingProjections() {
        return projections.copy();
    }

    /** Whether the model was fitted to a kernel matrix (it transforms kernel rows, not points). */
    public boolean precomputed() {
        return basis == null;
    }

    /** The kernel (null for a precomputed model). */
    public Kernel kernel() {
        return kernel;
    }

    /** The solver's description, e.g. {@code exact}, {@code nystrom(m=200, uniform)}. */
    public String solver() {
        return solver;
    }

    /** Whether the Gram matrix (or, for Nyström, the features) was centred. */
    public boolean centred() {
        return centred;
    }

    @Override
    public int features() {
        return basis == null ? coefficients.rows() : basis.cols();
    }

    @Override
    public FitReport report() {
        return report;
    }

    // ---- for the codec ----

    Matrix basis() {
        return basis;
    }

    Matrix coefficients() {
        return coefficients;
    }

    double[] rowMeans() {
        return rowMeans == null ? null : rowMeans.clone();
    }

    double grandMean() {
        return grandMean;
    }

    double[] offset() {
        return offset.clone();
    }

    Inverse inverse() {
        return inverse;
    }

    @Override
    public String toString() {
        return "KernelPcaModel(" + (kernel == null ? "precomputed" : kernel.toSpec()) + ", k=" + components()
                + ", solver=" + solver + ")";
    }
}
