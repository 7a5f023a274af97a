package org.kernels4j.kernel;

/**
 * von Mises–Fisher kernel on the unit sphere, k(x, z) = exp(κ·(x̂ᵀẑ − 1)) with x̂ = x/‖x‖: the
 * (unnormalised) vMF density of concentration κ in its mean direction, equivalently an RBF kernel of
 * the chordal distance, exp(−κ‖x̂ − ẑ‖²/2). Positive semi-definite on any sphere (the exponential of
 * the PSD cosine kernel, by Schur's product theorem). k(x, x) = 1; the amplitude σ² is a scale:
 * {@code 2*vmf(kappa=5)}.
 *
 * <p>Rows are normalised rather than refused: data that is meant to be on the sphere (directions,
 * normalised embeddings) is rarely exactly of norm 1 after rounding or file round trips, and a
 * direction is what the kernel compares. A zero row has no direction: its cosine with anything is
 * taken as 0 (as in {@code cosine}), so it is equally similar, exp(−κ), to every point, itself
 * included.
 *
 * <p>Spec: {@code vmf(kappa=2)}; alias {@code von_mises_fisher}. κ &gt; 0 is learnable:
 * ∂k/∂log κ = κ(x̂ᵀẑ − 1)·k. Cost: one GEMM for the inner products, one exp per pair.
 */
public final class VonMisesFisherKernel implements Kernel {
    /** κ &gt; 0, learnable. */
    public static final KernelCatalog.Param KAPPA = KernelCatalog.Param.positive("kappa", 1,
            "concentration, > 0 (larger: more local)");
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("vmf",
            "k(x,z) = exp(kappa (<x,z>/(|x| |z|) - 1)), rows normalised to the unit sphere")
            .aliases("von_mises_fisher").params(KAPPA)
            .examples("vmf(kappa=4)", "vmf(kappa=0.3)")
            .factory(a -> new VonMisesFisherKernel(a.number(KAPPA)));

    private static final CosineKernel COSINE = new CosineKernel();
    private final double kappa;

    /** κ &gt; 0. */
    public VonMisesFisherKernel(double kappa) {
        this.kappa = KAPPA.check(TYPE.name(), kappa);
    }

    /** κ. */
    public double kappa() {
        return kappa;
    }

    @Override
    public double value(double[] x, double[] z) {
        return Math.exp(kappa * (COSINE.value(x, z) - 1));
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        COSINE.computeBlock(block, out);
        int len = block.rows() * block.cols();
        for (int k = 0; k < len; k++) {
            out[k] = Math.exp(kappa * (out[k] - 1));
        }
    }

    /** {@code vmf.kappa}. */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        return java.util.List.of(KAPPA.hyperparameter(TYPE, kappa));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, 1);
        return new VonMisesFisherKernel(values[0]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        double[] g = gradients[0];
        COSINE.computeBlock(block, out);
        int len = block.rows() * block.cols();
        for (int k = 0; k < len; k++) {
            double a = kappa * (out[k] - 1);
            out[k] = Math.exp(a);
            g[k] = a * out[k];
        }
    }

    @Override
    public String toSpec() {
        return TYPE.spec(kappa);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VonMisesFisherKernel && ((VonMisesFisherKernel) o).kappa == kappa;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(kappa) + 17;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
