package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.ElementOps;

/**
 * Polynomial kernel {@code k(x, z) = (γ·⟨x, z⟩ + c₀)^p} with integer degree p ≥ 1, γ &gt; 0, c₀ ≥ 0
 * (positive semi-definite for these ranges). Spec: {@code poly(degree=3, gamma=1, coef0=1)}.
 */
public final class PolynomialKernel implements Kernel {
    /** p, an integer ≥ 1 (discrete, not a hyperparameter). */
    public static final KernelCatalog.Param DEGREE = KernelCatalog.Param.integer("degree", 3, 1, Integer.MAX_VALUE,
            "positive integer degree");
    /** γ &gt; 0, learnable. */
    public static final KernelCatalog.Param GAMMA = KernelCatalog.Param.positive("gamma", 1, "scale of the inner product, > 0");
    /** c₀ ≥ 0, learnable while positive. */
    public static final KernelCatalog.Param COEF0 = KernelCatalog.Param.nonNegative("coef0", 1, "offset, >= 0");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("poly", "k(x,z) = (gamma*<x,z> + coef0)^degree")
            .aliases("polynomial").params(DEGREE, GAMMA, COEF0)
            .examples("poly(degree=2, gamma=0.5, coef0=0)", "poly(degree=4, gamma=0.3, coef0=2)")
            .factory(a -> new PolynomialKernel(a.integer(DEGREE), a.number(GAMMA), a.number(COEF0)));

    private final int degree;
    private final double gamma;
    private final double coef0;

    /** @throws Kernels4jException for degree &lt; 1, γ ≤ 0 or c₀ &lt; 0 */
    public PolynomialKernel(int degree, double gamma, double coef0) {
        this.degree = DEGREE.check(TYPE.name(), degree);
        this.gamma = GAMMA.check(TYPE.name(), gamma);
        this.coef0 = COEF0.check(TYPE.name(), coef0);
    }

    /** p. */
    public int degree() {
        return degree;
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
        return Math.pow(gamma * Specs.dot(x, z) + coef0, degree);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.innerProducts(out);
        ElementOps.get().powAffine(out, 0, block.rows() * block.cols(), gamma, coef0, degree);
    }

    /**
     * {@code poly.gamma}, and {@code poly.coef0} when c₀ &gt; 0 (the degree is discrete). With
     * s = ⟨x, z⟩ and b = γs + c₀: ∂k/∂log γ = p·b^(p−1)·γs, ∂k/∂log c₀ = p·b^(p−1)·c₀.
     */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return coef0 > 0 ? java.util.List.of(GAMMA.hyperparameter(TYPE, gamma), COEF0.hyperparameter(TYPE, coef0))
                : java.util.List.of(GAMMA.hyperparameter(TYPE, gamma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, coef0 > 0 ? 2 : 1);
        return new PolynomialKernel(degree, values[0], coef0 > 0 ? values[1] : 0.0);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        double[] gg = gradients[0];
        block.innerProducts(gg);
        for (int k = 0; k < len; k++) {
            double gs = gamma * gg[k];
            double b = gs + coef0;
            double bp = degree == 1 ? 1.0 : Math.pow(b, degree - 1);
            out[k] = bp * b;
            gg[k] = degree * bp * gs;
            if (coef0 > 0) {
                gradients[1][k] = degree * bp * coef0;
            }
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(degree, gamma, coef0);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof PolynomialKernel)) {
            return false;
        }
        PolynomialKernel k = (PolynomialKernel) o;
        return k.degree == degree && k.gamma == gamma && k.coef0 == coef0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(degree, gamma, coef0);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
