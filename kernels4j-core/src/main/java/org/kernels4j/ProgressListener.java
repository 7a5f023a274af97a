package org.kernels4j;

/**
 * Receives progress reports from long computations (Gram matrices, fits). Calls may come from
 * worker threads; implementations must be thread-safe and cheap.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores all reports. */
    ProgressListener NONE = (done, total, stage) -> { };

    /**
     * @param done units of work finished so far
     * @param total units of work in all
     * @param stage short name of the current stage, e.g. "gram" or "cholesky"
     */
    void progress(long done, long total, String stage);
}
