package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.SpecialFunctions;

/**
 * Bessel kernel, kernlab's {@code besseldot(sigma, order, degree)}: with t = σ‖x − z‖ and ν the order,
 * <pre>
 *   k(x, z) = ( Γ(ν+1)·(2/t)^ν·J_ν(t) )^p,     k(x, x) = 1
 * </pre>
 * Spec: {@code bessel(sigma=1, order=1, degree=1)}. This is what kernlab's code computes
 * ({@code (besselJ(t, ν)·t^(−ν) / lim)^degree} with lim = 1/(Γ(ν+1)2^ν), the value of J_ν(t)t^(−ν)
 * at t → 0); kernlab's documentation prints a different formula. kernlab snaps t &lt; 10⁻⁴ to the
 * limit; here the power series is used there, which differs by less than 10⁻⁸.
 *
 * <p>Positive semi-definite on R^d exactly when ν ≥ d/2 − 1 (Γ(ν+1)(2/t)^ν J_ν(t) is then the
 * characteristic function of the uniform distribution on a sphere in R^(2ν+2), Schoenberg 1938), and
 * the integer power p keeps it so. With kernlab's default order 1 that is d ≤ 4: for more features
 * raise the order, or expect indefinite Gram matrices. Orders are integers 0..20 here (kernlab also
 * takes fractional ones). Values can be negative (J oscillates), and so can an odd power of them.
 *
 * <p>Hyperparameter σ: with f the base above, t·f'(t) = −Γ(ν+1)(2/t)^ν·t·J_{ν+1}(t), and
 * ∂k/∂log σ = p·f^(p−1)·t·f'(t). One GEMM for the distances, then one pass.
 */
public final class BesselKernel implements Kernel {
    /** The largest order accepted. */
    public static final int MAX_ORDER = 20;
    /** σ &gt; 0, learnable. */
    public static final KernelCatalog.Param SIGMA = KernelCatalog.Param.positive("sigma", 1,
            "scale of the distance, > 0");
    /** ν, an integer 0..20. */
    public static final KernelCatalog.Param ORDER = KernelCatalog.Param.integer("order", 1, 0, MAX_ORDER,
            "order of the Bessel function, integer 0 to 20; PSD on d features when order >= d/2 - 1");
    /** p, an integer ≥ 1. */
    public static final KernelCatalog.Param DEGREE = KernelCatalog.Param.integer("degree", 1, 1, 64,
            "integer power, 1 to 64");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("bessel",
            "k(x,z) = (Gamma(order+1) (2/t)^order J_order(t))^degree, t = sigma |x-z|, k(x,x) = 1")
            .params(SIGMA, ORDER, DEGREE)
            .caveat("positive semi-definite on d features only when order >= d/2 - 1 (default order 1: d <= 4)")
            .examples("bessel(sigma=0.5, order=2, degree=2)", "bessel(sigma=2, order=3, degree=1)")
            .factory(a -> new BesselKernel(a.number(SIGMA), a.integer(ORDER), a.integer(DEGREE)));

    private final double sigma;
    private final int order;
    private final int degree;
    /** Γ(ν+1) = ν!. */
    private final double factorial;

    /** @throws Kernels4jException for σ ≤ 0, an order outside 0..20 or a degree outside 1..64 */
    public BesselKernel(double sigma, int order, int degree) {
        this.sigma = SIGMA.check(TYPE.name(), sigma);
        this.order = ORDER.check(TYPE.name(), order);
        this.degree = DEGREE.check(TYPE.name(), degree);
        double f = 1;
        for (int k = 2; k <= order; k++) {
            f *= k;
        }
        this.factorial = f;
    }

    /** σ. */
    public double sigma() {
        return sigma;
    }

    /** ν. */
    public int order() {
        return order;
    }

    /** p. */
    public int degree() {
        return degree;
    }

    /**
     * The base f(t) = Γ(ν+1)(2/t)^ν J_ν(t), f(0) = 1, and (in {@code slope[0]} when not null) t·f'(t).
     * Below t = 2 from the series f(t) = Σ_k ν!/(k!(ν+k)!)·(−t²/4)^k, which has no cancellation there.
     */
    double base(double t, double[] slope) {
        if (t <= 2) {
            double q = -0.25 * t * t;
            double term = 1;
            double sum = 1;
            double ds = 0;
            for (int k = 1; k < 60; k++) {
                term *= q / ((double) k * (order + k));
                sum += term;
                ds += 2 * k * term;
                if (Math.abs(term) < 1e-18) {
                    break;
                }
            }
            if (slope != null) {
                slope[0] = ds;
            }
            return sum;
        }
        double scale = factorial;
        for (int k = 0; k < order; k++) {
            scale *= 2 / t;
        }
        if (slope != null) {
            slope[0] = -scale * t * SpecialFunctions.besselJ(order + 1, t);
        }
        return scale * SpecialFunctions.besselJ(order, t);
    }

    private double power(double f) {
        return degree == 1 ? f : Math.pow(f, degree);
    }

    @Override
    public double value(double[] x, double[] z) {
        return power(base(sigma * Math.sqrt(Specs.squaredDistance(x, z, null)), null));
    }

    @Override
    public double selfValue(double[] x) {
        return 1.0;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        block.squaredDistances(null, out);
        for (int k = 0; k < len; k++) {
            out[k] = power(base(sigma * Math.sqrt(out[k]), null));
        }
    }

    /** {@code bessel.sigma} (order and degree are discrete). */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of(SIGMA.hyperparameter(TYPE, sigma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 1);
        return new BesselKernel(values[0], order, degree);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        double[] g = gradients[0];
        double[] slope = new double[1];
        block.squaredDistances(null, out);
        for (int k = 0; k < len; k++) {
            double f = base(sigma * Math.sqrt(out[k]), slope);
            double fp = degree == 1 ? 1.0 : Math.pow(f, degree - 1);
            out[k] = power(f);
            g[k] = degree * fp * slope[0];
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(sigma, order, degree);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof BesselKernel)) {
            return false;
        }
        BesselKernel k = (BesselKernel) o;
        return k.sigma == sigma && k.order == order && k.degree == degree;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(sigma, order, degree);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
