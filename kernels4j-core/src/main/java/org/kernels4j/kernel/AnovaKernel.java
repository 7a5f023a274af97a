package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;

/**
 * ANOVA radial basis kernel {@code k(x, z) = (Σ_f exp(−σ·(x_f − z_f)²))^p}, kernlab's
 * {@code anovadot(sigma, degree)}. Spec: {@code anova(sigma=1, degree=1)}.
 *
 * <p>Positive semi-definite: a sum of one-dimensional Gaussian kernels, raised to an integer power
 * (Schur's product theorem). k(x, x) = d^p for d features (kernlab's single-pair call returns 1
 * there, its {@code kernelMatrix} d^p, as here). Costs d exponentials per pair (no GEMM path).
 *
 * <p>Hyperparameter σ: with S = Σ_f e_f, e_f = exp(−σδ_f²), ∂k/∂log σ = −p·S^(p−1)·σ·Σ_f δ_f² e_f.
 */
public final class AnovaKernel implements Kernel {
    /** σ &gt; 0, learnable. */
    public static final KernelCatalog.Param SIGMA = KernelCatalog.Param.positive("sigma", 1,
            "inverse squared width of each one-feature Gaussian, > 0");
    /** p, an integer ≥ 1. */
    public static final KernelCatalog.Param DEGREE = KernelCatalog.Param.integer("degree", 1, 1, 64,
            "integer power, 1 to 64");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("anova",
            "k(x,z) = (sum_f exp(-sigma (x_f - z_f)^2))^degree")
            .params(SIGMA, DEGREE)
            .examples("anova(sigma=0.7, degree=2)", "anova(sigma=2.5, degree=3)")
            .factory(a -> new AnovaKernel(a.number(SIGMA), a.integer(DEGREE)));

    private final double sigma;
    private final int degree;

    /** @throws Kernels4jException for σ ≤ 0 or a degree outside 1..64 */
    public AnovaKernel(double sigma, int degree) {
        this.sigma = SIGMA.check(TYPE.name(), sigma);
        this.degree = DEGREE.check(TYPE.name(), degree);
    }

    /** σ. */
    public double sigma() {
        return sigma;
    }

    /** p. */
    public int degree() {
        return degree;
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        return power(sum(x, 0, z, 0, x.length));
    }

    private double sum(double[] x, int xo, double[] z, int zo, int d) {
        double s = 0;
        for (int f = 0; f < d; f++) {
            double t = x[xo + f] - z[zo + f];
            s += Math.exp(-sigma * t * t);
        }
        return s;
    }

    private double power(double s) {
        return degree == 1 ? s : Math.pow(s, degree);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        block.pairwise((xl, xo, xr, zo, d) -> power(sum(xl, xo, xr, zo, d)), out);
    }

    /** {@code anova.sigma}. */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of(SIGMA.hyperparameter(TYPE, sigma));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 1);
        return new AnovaKernel(values[0], degree);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int rows = block.rows();
        int cols = block.cols();
        int d = block.features();
        double[] xl = block.leftInputs().data();
        double[] xr = block.rightInputs().data();
        double[] g = gradients[0];
        for (int i = 0; i < rows; i++) {
            int xo = (block.rowStart() + i) * d;
            for (int j = 0; j < cols; j++) {
                int zo = (block.colStart() + j) * d;
                double s = 0;
                double w = 0;
                for (int f = 0; f < d; f++) {
                    double t = xl[xo + f] - xr[zo + f];
                    double e = Math.exp(-sigma * t * t);
                    s += e;
                    w += t * t * e;
                }
                double sp = degree == 1 ? 1.0 : Math.pow(s, degree - 1);
                out[i * cols + j] = sp * s;
                g[i * cols + j] = -degree * sp * sigma * w;
            }
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(sigma, degree);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AnovaKernel && ((AnovaKernel) o).sigma == sigma && ((AnovaKernel) o).degree == degree;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(sigma) * 31 + degree;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
