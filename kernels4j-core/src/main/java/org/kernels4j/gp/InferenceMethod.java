package org.kernels4j.gp;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/**
 * How the posterior of a latent GP under a non-Gaussian likelihood is approximated by a Gaussian
 * q(f) = N(μ, Σ), Σ = (K⁻¹ + diag τ)⁻¹, μ = Σ·ν, with one Gaussian site (τ_i, ν_i) per datum.
 */
public enum InferenceMethod {
    /** The posterior mode by Newton's method, curvature at the mode (R&amp;W Algorithm 3.1). */
    LAPLACE,
    /** Expectation propagation: sites match the tilted moments (R&amp;W Algorithm 3.5, parallel, damped). */
    EP,
    /** Conjugate-computation VI: natural-gradient steps on the ELBO in site form (Khan &amp; Lin 2017). */
    CVI;

    /** Reads laplace, ep or cvi (any case). */
    public static InferenceMethod parse(String name) {
        for (InferenceMethod m : values()) {
            if (m.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return m;
            }
        }
        throw new Kernels4jException("unknown inference '" + name + "'; expected laplace, ep or cvi");
    }

    /** The lower-case name that {@link #parse} reads. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
