package org.kernels4j.kernel;

import org.kernels4j.Kernels4jException;

/** A kernel spec could not be parsed; {@link #column()} is the 1-based column of the problem. */
public final class KernelSpecException extends Kernels4jException {
    private static final long serialVersionUID = 1L;
    private final int column;

    KernelSpecException(String spec, int column, String problem) {
        super("invalid kernel spec '" + spec + "' at column " + column + ": " + problem);
        this.column = column;
    }

    /** 1-based column in the spec text where the problem was found. */
    public int column() {
        return column;
    }
}
