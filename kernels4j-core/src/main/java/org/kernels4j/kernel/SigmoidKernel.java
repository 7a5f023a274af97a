package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;

/**
 * Sigmoid (hyperbolic tangent) kernel {@code k(x, z) = tanh(γ·⟨x, z⟩ + c₀)}, scikit-learn's
 * {@code sigmoid_kernel(gamma, coef0)} and kernlab's {@code tanhdot(scale, offset)}. Spec:
 * {@code sigmoid(gamma=1, coef0=1)} (alias {@code tanh}).
 *
 * <p><b>Not positive semi-definite in general</b> (Lin &amp; Lin 2003: for no γ &gt; 0, c₀ is the
 * Gram matrix PSD on every data set; e.g. k(x, x) = tanh(γ‖x‖² + c₀) &lt; 0 for c₀ &lt; −γ‖x‖²,
 * and two points with equal large norms and opposite directions give a 2×2 Gram matrix with a
 * negative eigenvalue). Consequences: learners that factor K by Cholesky (Gaussian processes, kernel
 * ridge with a small λ) fail on such data with a {@link org.kernels4j.linalg.NotPositiveDefiniteException};
 * the SVM accepts it, as LIBSVM does (its solver replaces non-positive curvature by τ = 10⁻¹²).
 *
 * <p>Defaults are kernlab's (γ = 1, c₀ = 1); scikit-learn's default γ is 1/d. Only γ is a
 * hyperparameter: c₀ may be any real number (negative offsets are common), which log space cannot
 * hold. ∂k/∂log γ = (1 − k²)·γ⟨x, z⟩.
 */
public final class SigmoidKernel implements Kernel {
    /** γ &gt; 0, learnable. */
    public static final KernelCatalog.Param GAMMA = KernelCatalog.Param.positive("gamma", 1,
            "scale of the inner product, > 0");
    /** c₀, any real number (not a hyperparameter). */
    public static final KernelCatalog.Param COEF0 = KernelCatalog.Param.number("coef0", 1, "offset, any real number");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("sigmoid",
            "k(x,z) = tanh(gamma*<x,z> + coef0)")
            .aliases("tanh").params(GAMMA, COEF0)
            .indefinite("NOT positive semi-definite in general: Cholesky-based learners (gp, krr with small lambda)"
                    + " may fail; svc/svr accept it as LIBSVM does")
            .examples("sigmoid(gamma=0.3, coef0=-0.5)", "sigmoid(gamma=0.05, coef0=0)")
            .factory(a -> new SigmoidKernel(a.number(GAMMA), a.number(COEF0)));

    private final double gamma;
    private final double coef0;

    /** @throws Kernels4jException for γ ≤ 0 or a non-finite c₀ */
    public SigmoidKernel(double gamma, double coef0) {
        this.gamma = GAMMA.check(TYPE.name(), gamma);
        if (!Double.isFinite(coef0)) {
            throw new Kernels4jException(TYPE.name() + ": coef0 must be a finite number, got " + Specs.num(coef0));
        }
        this.coef0 = coef0;
    }

    /** γ. */
    public double gamma() {
        return gamma;
    }

    /** c₀. */
    public double coef0() {
        return coef0;
    }

    @Override
    public double value(double[] x, double[] z) {
        return Math.tanh(gamma * Specs.dot(x, z) + coef0);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.innerProducts(out);
        int len = block.rows() * block.cols();
        for (int k = 0; k < len; k++) {
            out[k] = Math.tanh(gamma * out[k] + coef0);
        }
    }

    /** {@code sigmoid.gamma}. */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of(GAMMA.hyperparameter(TYPE, gamma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 1);
        return new SigmoidKernel(values[0], coef0);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        double[] g = gradients[0];
        block.innerProducts(g);
        for (int k = 0; k < len; k++) {
            double gs = gamma * g[k];
            double t = Math.tanh(gs + coef0);
            out[k] = t;
            g[k] = (1 - t * t) * gs;
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(gamma, coef0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigmoidKernel && ((SigmoidKernel) o).gamma == gamma && ((SigmoidKernel) o).coef0 == coef0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(gamma, coef0);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
