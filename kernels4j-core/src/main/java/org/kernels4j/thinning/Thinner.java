package org.kernels4j.thinning;

import org.kernels4j.linalg.Matrix;

/** A method that picks a coreset of a given size from the rows of a sample. Implementations are immutable. */
public interface Thinner {
    /**
     * A coreset of {@code size} rows of x.
     *
     * @param x n×d sample, finite, at least one row
     * @param size the output size (which sizes are allowed depends on the method; a wrong one is refused
     *     with a {@link org.kernels4j.Kernels4jException} that lists the allowed ones)
     * @param seed seeds every random choice: the same seed gives the same coreset
     */
    Coreset thin(Matrix x, int size, long seed);

    /**
     * Checks, before any work, that {@code size} is an output size this method can give for n input rows.
     *
     * @throws org.kernels4j.Kernels4jException naming the allowed sizes when it is not
     */
    void requireSize(int n, int size);

    /** A short name: kt, kt+, compress++, herding, iid, standard. */
    String name();
}
