package org.kernels4j.linalg;

import org.kernels4j.Kernels4jException;

/** A symmetric matrix could not be factored by Cholesky, even after adding jitter to its diagonal. */
public final class NotPositiveDefiniteException extends Kernels4jException {
    private static final long serialVersionUID = 1L;

    /** @param message names the matrix and the largest jitter tried */
    public NotPositiveDefiniteException(String message) {
        super(message);
    }
}
