package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.ElementOps;

/**
 * Polynomial kernel {@code k(x, z) = (γ·⟨x, z⟩ + c₀)^p} with integer degree p ≥ 1, γ &gt; 0, c₀ ≥ 0
 * (positive semi-definite for these ranges). Spec: {@code poly(degree=3, gamma=1, coef0=1)}.
 */
public final class PolynomialKernel implements Kernel {
    private final int degree;
    private final double gamma;
    private final double coef0;

    /** @throws Kernels4jException for degree &lt; 1, γ ≤ 0 or c₀ &lt; 0 */
    public PolynomialKernel(int degree, double gamma, double coef0) {
        if (degree < 1) {
            throw new Kernels4jException("poly: degree must be a positive integer, got " + degree);
        }
        this.degree = degree;
        this.gamma = Specs.positive("poly", "gamma", gamma);
        this.coef0 = Specs.nonNegative("poly", "coef0", coef0);
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
        return coef0 > 0 ? java.util.List.of(Hyperparameter.of("poly.gamma", gamma), Hyperparameter.of("poly.coef0", coef0))
                : java.util.List.of(Hyperparameter.of("poly.gamma", gamma));
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
        return "poly(degree=" + degree + ", gamma=" + Specs.num(gamma) + ", coef0=" + Specs.num(coef0) + ")";
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
