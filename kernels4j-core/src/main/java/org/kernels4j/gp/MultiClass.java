package org.kernels4j.gp;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/**
 * How {@link GaussianProcessClassifier} handles C classes (R&amp;W 2006, §3.5).
 */
public enum MultiClass {
    /**
     * One binary GP classifier per class against the rest (a single one for two classes); the class
     * probabilities are the binary probabilities p_c normalized by Σ_k p_k, as scikit-learn does. Cost:
     * C independent binary Laplace (or EP, CVI) fits, each Newton step O(n³/3).
     */
    ONE_VS_REST("ovr"),
    /**
     * One latent GP f_c per class (C of them, also for two classes) sharing one kernel, with the softmax
     * likelihood p(y = c | f) = exp(f_c) / Σ_k exp(f_k); the Laplace approximation of the joint posterior
     * by R&amp;W Algorithm 3.3 (O(C·n³) per Newton step) and predictions by Algorithm 3.4 (class
     * probabilities by Monte Carlo over the C-variate Gaussian predictive).
     */
    SOFTMAX("softmax");

    private final String label;

    MultiClass(String label) {
        this.label = label;
    }

    /** Reads {@code ovr} (also {@code one-vs-rest}) or {@code softmax}, any case. */
    public static MultiClass parse(String name) {
        String s = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        if (s.equals("one-vs-rest") || s.equals("one_vs_rest")) {
            return ONE_VS_REST;
        }
        for (MultiClass m : values()) {
            if (m.label.equals(s)) {
                return m;
            }
        }
        throw new Kernels4jException("unknown multi-class mode '" + name + "'; expected softmax or ovr");
    }

    /** The lower-case name that {@link #parse} reads and model files hold. */
    public String label() {
        return label;
    }
}
