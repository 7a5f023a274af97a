package org.kernels4j.kernel;

import java.util.List;
import org.kernels4j.Kernels4jException;

/**
 * Student-t mixture kernel: the spectral density is a mixture of Q multivariate Student-t densities
 * with ν degrees of freedom (as in "Solving high-frequency and multi-scale PDEs with Gaussian
 * processes", which uses it beside the Gaussian mixture for heavier-tailed spectra). The Fourier
 * transform of a t density with scale σ is a Matérn correlation of smoothness ν/2, so
 * <pre>
 *   k(x, z) = Σ_q w_q · Π_f cos(2π τ_f μ_qf) · M_{ν/2}(2π·√(ν·Σ_f v_qf τ_f²)),   τ = x − z,
 *   M_a(t) = 2^{1−a}/Γ(a) · t^a · K_a(t)   (the Matérn correlation, M_a(0) = 1),
 * </pre>
 * with v_qf = σ_qf² the squared scales of the t components (their variances when ν &gt; 2 are
 * v·ν/(ν − 2)). As ν → ∞ the t density tends to the Gaussian with variance v and the kernel to
 * {@link SpectralMixtureKernel} with the same w, μ, v; ν = 1, 3, 5 give the closed-form Matérn ½, 3/2,
 * 5/2 envelopes. (For one feature this is cos(2πμτ)·M_{ν/2}(2πσ√ν|τ|).) The cosine product and
 * the parameters are those of {@code sm} (see there); ν is fixed, not learned.
 *
 * <p>Spec: {@code stm(dof=3, q=2, weights=[0.6, 0.4], means=[0.5, 1.7], variances=[0.01, 0.04])};
 * alias {@code student_t_mixture}. Gradients: ∂E/∂log v_qf = −2π²ν·R(r)·v_qf τ_f² with R(r) =
 * −M'(r)/r the Matérn radial factor. Cost per pair and component: one log K evaluation (for ν not in
 * {1, 3, 5}) plus O(d) cosines.
 */
public final class StudentTMixtureKernel implements Kernel {
    /** ν &gt; 0, fixed. */
    public static final KernelCatalog.Param DOF = KernelCatalog.Param.positive("dof", 3,
            "degrees of freedom of the Student-t spectra, > 0 (1, 3, 5: closed-form Matern 1/2, 3/2, 5/2)").fixed();
    /** Q ≥ 1. */
    public static final KernelCatalog.Param Q = KernelCatalog.Param.integer("q", 1, 1, 1000,
            "number of mixture components, 1 to 1000 (default: the longest list given)");
    /** w_q &gt; 0, learnable. */
    public static final KernelCatalog.Param WEIGHTS = KernelCatalog.Param.positive("weights", 1,
            "component weights, > 0, one per component (default 1/q each)").perComponent();
    /** μ_qf &gt; 0, learnable. */
    public static final KernelCatalog.Param MEANS = KernelCatalog.Param.positive("means", 1,
            "spectral means (frequencies), > 0: one per component, or [[per feature], ...]").perComponent();
    /** v_qf = σ_qf² &gt; 0, learnable. */
    public static final KernelCatalog.Param VARIANCES = KernelCatalog.Param.positive("variances", 1,
            "squared scales of the t spectra, > 0: one per component, or [[per feature], ...]").perComponent();
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("stm",
            "sum_q w_q prod_f cos(2 pi tau_f mu_qf) matern_{dof/2}(2 pi sqrt(dof sum_f v_qf tau_f^2)), tau = x - z")
            .aliases("student_t_mixture").params(DOF, Q, WEIGHTS, MEANS, VARIANCES)
            .examples("stm(dof=3, q=2, weights=[0.6, 0.4], means=[0.3, 0.8], variances=[0.05, 0.2])",
                    "stm(dof=1.7, q=1, weights=1.5, means=[[0.2, 0.4, 0.1]], variances=[[0.1, 0.3, 0.05]])",
                    "stm(dof=60, q=2, weights=[1, 0.5], means=[0.1, 0.5], variances=[[0.02, 0.1, 0.3], [0.2, 0.1, 0.05]])",
                    "stm(dof=5, q=1, weights=2, means=0.4, variances=0.1)")
            .factory(a -> new StudentTMixtureKernel(a.number(DOF),
                    SpectralComponents.parse(a, StudentTMixtureKernel.TYPE, Q, WEIGHTS, MEANS, VARIANCES)));

    private final double dof;
    private final SpectralComponents c;
    private final SpectralComponents.Envelope envelope;

    private StudentTMixtureKernel(double dof, SpectralComponents c) {
        this.dof = DOF.check(TYPE.name(), dof);
        this.c = c;
        MaternFunction m = new MaternFunction(dof / 2);
        double radius = 2 * Math.PI * Math.sqrt(dof);
        double slope = -2 * Math.PI * Math.PI * dof;
        this.envelope = new SpectralComponents.Envelope() {
            @Override
            public double value(double s) {
                return m.value(radius * Math.sqrt(s));
            }

            @Override
            public double slope(double s) {
                return slope * m.radialFactor(radius * Math.sqrt(s));
            }
        };
    }

    /**
     * ν degrees of freedom and Q = {@code weights.length} components; {@code means[q]} and
     * {@code variances[q]} hold one value (all features) or one per feature.
     *
     * @throws Kernels4jException for a non-positive or non-finite value or mismatched lengths
     */
    public StudentTMixtureKernel(double dof, double[] weights, double[][] means, double[][] variances) {
        this(dof, new SpectralComponents(TYPE, WEIGHTS, MEANS, VARIANCES, weights, means, variances));
    }

    /** ν. */
    public double dof() {
        return dof;
    }

    /** The weights w_q. */
    public double[] weights() {
        return c.weights.clone();
    }

    /** The spectral means, one row per component. */
    public double[][] means() {
        return SpectralComponents.copy(c.means);
    }

    /** The squared scales v_qf, one row per component. */
    public double[][] variances() {
        return SpectralComponents.copy(c.variances);
    }

    @Override
    public double value(double[] x, double[] z) {
        return c.value(TYPE.name(), x, z, envelope);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        c.computeBlock(TYPE.name(), block, out, envelope);
    }

    /** weights, then means, then variances, as for {@code sm}; ν is fixed. */
    @Override
    public List<Hyperparameter> hyperparameters() {
        return c.hyperparameters(TYPE, WEIGHTS, MEANS, VARIANCES);
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, c.hyperparameterCount());
        double[][][] p = c.split(values);
        return new StudentTMixtureKernel(dof, p[0][0], p[1], p[2]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        c.computeGradientBlock(TYPE.name(), block, out, gradients, envelope);
    }

    @Override
    public String toSpec() {
        Object[] v = c.specValues();
        return TYPE.spec(dof, v[0], v[1], v[2], v[3]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StudentTMixtureKernel && ((StudentTMixtureKernel) o).dof == dof
                && ((StudentTMixtureKernel) o).c.equals(c);
    }

    @Override
    public int hashCode() {
        return c.hashCode() * 31 + Double.hashCode(dof);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
