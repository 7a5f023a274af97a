package org.kernels4j.svm;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.FitReport;
import org.kernels4j.model.TrainingData;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * Least-squares support vector machines (Suykens &amp; Vandewalle 1999; kernlab's {@code lssvm}): the SVM with
 * squared errors and equality constraints, whose dual is one linear system instead of a QP. For targets t (n×P)
 * the model is {@code f_p(x) = Σ_i α_ip·k(x_i, x) + b_p} with (α, b) the solution of the (n+1)×(n+1) KKT system
 *
 * <pre>
 *   [ 0   1ᵀ       ] [ b ]   [ 0 ]
 *   [ 1   K + I/γ  ] [ α ] = [ t ],      γ &gt; 0 the regularisation (larger γ: less smoothing),
 * </pre>
 *
 * the stationarity conditions of {@code min ½‖f‖²_H + (γ/2)·Σ_i e_i²} subject to {@code t_i = f(x_i) + b + e_i}.
 * It is solved without a dense LU, through the Schur complement of the positive definite block
 * {@code A = K + I/γ}: with one Cholesky factorisation of A (n³/3 flops), {@code u = A⁻¹1} and {@code v = A⁻¹t},
 * {@code b = 1ᵀv / 1ᵀu} and {@code α = v − b·u} (so 1ᵀα = 0). This is exactly kernel ridge regression with an
 * unpenalised intercept at λ = 1/γ, so {@link KernelRidge} does the solve.
 *
 * <p><b>Classification</b> (Suykens' formulation with targets ±1): two classes give one function with
 * t = +1 for the larger label and −1 for the smaller, predicting the larger label where f &gt; 0. With c &gt; 2
 * classes it is one-vs-rest: P = c functions, column p coding class p as +1 and every other class as −1, all
 * sharing the one factorisation; the prediction is the class of the largest f_p. (The classification KKT system
 * {@code [0 yᵀ; y Ω + I/γ]} with {@code Ω_ij = y_i·y_j·K_ij} is the same system after the substitution
 * α_i → y_i·α_i, because y_i² = 1.)
 *
 * <p><b>Regression</b>: t is the n×P target matrix itself. Cost: the Gram matrix (n²·d), the Cholesky
 * (n³/3) and P + 1 triangular solves (2n²·(P+1)); memory one n×n matrix, off the Java heap.
 */
public final class LeastSquaresSvm implements Estimator<LeastSquaresSvmModel> {
    private final Kernel kernel;
    private final double gamma;
    private final boolean classification;

    private LeastSquaresSvm(Builder b) {
        this.kernel = b.kernel;
        this.gamma = b.gamma;
        this.classification = b.classification;
    }

    /** A least-squares SVM classifier (targets one column of class labels); γ = 1 by default. */
    public static Builder classifier(Kernel kernel) {
        return new Builder(kernel, true);
    }

    /** A least-squares SVM regression (targets n×P); γ = 1 by default. */
    public static Builder regression(Kernel kernel) {
        return new Builder(kernel, false);
    }

    /** Options for {@link LeastSquaresSvm}; validated by {@link #build()}. */
    public static final class Builder {
        private final Kernel kernel;
        private final boolean classification;
        private double gamma = 1;

        private Builder(Kernel kernel, boolean classification) {
            if (kernel == null) {
                throw new Kernels4jException("a least-squares SVM needs a kernel");
            }
            this.kernel = kernel;
            this.classification = classification;
        }

        /** The regularisation γ &gt; 0 weighting the squared errors (λ = 1/γ in ridge terms; default 1). */
        public Builder gamma(double value) {
            this.gamma = value;
            return this;
        }

        /** @throws Kernels4jException when γ is not a positive finite number */
        public LeastSquaresSvm build() {
            if (!(gamma > 0) || Double.isInfinite(gamma)) {
                throw new Kernels4jException("least-squares SVM: gamma must be a positive finite number, got " + gamma);
            }
            return new LeastSquaresSvm(this);
        }
    }

    /**
     * Fits the model.
     *
     * @param x n×d inputs
     * @param y n×1 class labels (classifier; at least two distinct values) or n×P targets (regression)
     */
    @Override
    public LeastSquaresSvmModel fit(Matrix x, Matrix y) {
        double[] classes = null;
        Matrix t = y;
        if (classification) {
            classes = TrainingData.requireLabels(x, y);
            if (classes.length < 2) {
                throw new Kernels4jException("least-squares SVM classification needs at least two classes, but every "
                        + "label is " + classes[0]);
            }
            t = codes(y, classes);
        } else {
            TrainingData.require(x, y);
        }
        KernelRidgeModel ridge = KernelRidge.builder(kernel).lambda(1 / gamma).fitIntercept(true).build().fit(x, t);
        FitReport report = FitReport.builder().add("type", classification ? "classification" : "regression")
                .add("gamma", gamma).add("bias", ridge.intercept()).add("jitter", ridge.report().number("jitter", 0))
                .build();
        return new LeastSquaresSvmModel(kernel, x.copy(), ridge.dualCoefficients(), ridge.intercept(), classes, gamma,
                report);
    }

    /** The ±1 target columns: one for two classes (+1 = the larger label), else one per class (one-vs-rest). */
    static Matrix codes(Matrix y, double[] classes) {
        int n = y.rows();
        int p = classes.length == 2 ? 1 : classes.length;
        Matrix t = new Matrix(n, p);
        for (int i = 0; i < n; i++) {
            int c = Arrays.binarySearch(classes, y.get(i, 0));
            if (p == 1) {
                t.set(i, 0, c == 1 ? 1 : -1);
            } else {
                for (int q = 0; q < p; q++) {
                    t.set(i, q, q == c ? 1 : -1);
                }
            }
        }
        return t;
    }

    /** The kernel. */
    public Kernel kernel() {
        return kernel;
    }

    @Override
    public String toString() {
        return "LeastSquaresSvm(kernel=" + kernel.toSpec() + ", gamma=" + gamma + ", "
                + (classification ? "classification" : "regression") + ")";
    }
}
