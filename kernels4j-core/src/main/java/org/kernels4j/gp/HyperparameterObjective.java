package org.kernels4j.gp;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/**
 * What hyperparameter learning maximizes for a latent GP with a non-Gaussian likelihood, given the
 * Gaussian sites (τ, ν) the {@link InferenceMethod} found.
 */
public enum HyperparameterObjective {
    /**
     * The evidence lower bound E_q[log p(y | f)] − KL(q ‖ p(f)) of the posterior approximation q.
     */
    ELBO,
    /**
     * The EP marginal-likelihood formula (R&amp;W eq. 3.65) evaluated at the method's sites: EP's own
     * evidence for EP; with CVI sites the "EP-like" estimate of Li, John &amp; Solin (ICML 2023).
     */
    EP_LIKE,
    /**
     * The method's own evidence approximation: the Laplace evidence for LAPLACE, the EP evidence for
     * EP, the ELBO for CVI.
     */
    EVIDENCE;

    /** Reads elbo, ep-like or evidence (any case). */
    public static HyperparameterObjective parse(String name) {
        for (HyperparameterObjective o : values()) {
            if (o.label().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return o;
            }
        }
        throw new Kernels4jException("unknown objective '" + name + "'; expected elbo, ep-like or evidence");
    }

    /** The lower-case name that {@link #parse} reads (ep-like with a hyphen). */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
