package org.kernels4j.linalg;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/**
 * The arithmetic of an exact symmetric positive definite solve {@code A·X = B} (see
 * {@link MixedPrecisionCholesky}).
 */
public enum Precision {
    /** Float64 Cholesky ({@code dpotrf}, n³/3 flops) and triangular solves: the reference path. */
    DOUBLE,
    /**
     * Float32 Cholesky ({@code spotrf}) refined to float64 accuracy, falling back to {@link #DOUBLE} when the
     * conditioning does not allow it (detected, see {@link MixedPrecisionCholesky}).
     */
    MIXED,
    /**
     * {@link #MIXED} from n ≥ {@link MixedPrecisionCholesky#AUTO_MIN_SIZE} on (where the factorization dominates the
     * time), {@link #DOUBLE} below.
     */
    AUTO;

    /** Whether a solve of order n takes the mixed path first. */
    public boolean mixedFor(int n) {
        return this == MIXED || (this == AUTO && n >= MixedPrecisionCholesky.AUTO_MIN_SIZE);
    }

    /** The lower-case name, as the CLI writes it. */
    public String toSpec() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code double}, {@code mixed} or {@code auto} (any case).
     *
     * @throws Kernels4jException naming the accepted words
     */
    public static Precision parse(String text) {
        if (text != null) {
            for (Precision p : values()) {
                if (p.name().equalsIgnoreCase(text.trim())) {
                    return p;
                }
            }
        }
        throw new Kernels4jException("unknown precision '" + text + "'; expected double, mixed or auto");
    }
}
