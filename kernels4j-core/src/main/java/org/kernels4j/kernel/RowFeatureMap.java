package org.kernels4j.kernel;

/**
 * A feature map φ applied to each input row once per Gram computation, before the GEMM: for kernels
 * that are a simple function of ⟨φ(x), φ(z)⟩ with an explicit but costly φ, such as the quantum
 * feature-map kernels (φ(x) a 2ⁿ-entry statevector). {@link GramInputs} prepares φ of every row
 * once, on all threads, and every tile then reads the prepared rows in place.
 *
 * <p>Implementations must be immutable, and {@code equals} must be true exactly for maps that give
 * the same φ (prepared rows are shared between kernels with equal maps).
 */
public interface RowFeatureMap {

    /** Doubles per mapped row for {@code d} input features: interleaved (re, im) pairs when {@link #complex()}. */
    int width(int d);

    /** Whether φ is complex-valued, stored as interleaved (re, im) pairs. */
    boolean complex();

    /**
     * Writes φ(x) for the row {@code x[offset, offset + d)} into {@code out[0, width(d))}.
     * Called concurrently from several threads, with distinct {@code out} arrays.
     */
    void map(double[] x, int offset, int d, double[] out);
}
