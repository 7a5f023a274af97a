package org.kernels4j;

/**
 * The one exception type for mistakes a user can fix: bad shapes, NaN or infinite values,
 * unknown kernel names, malformed files, matrices that are not positive definite.
 *
 * <p>The message is a single line that names the problem and, where there is one, the file,
 * line and column. Command-line tools print it as is and exit with a non-zero code; they
 * never show a stack trace for this type.
 */
public class Kernels4jException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message one line naming the problem */
    public Kernels4jException(String message) {
        super(message);
    }

    /**
     * @param message one line naming the problem
     * @param cause the underlying error, kept for debugging
     */
    public Kernels4jException(String message, Throwable cause) {
        super(message, cause);
    }
}
