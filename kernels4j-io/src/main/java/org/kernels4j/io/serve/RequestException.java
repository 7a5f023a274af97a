package org.kernels4j.io.serve;

import org.kernels4j.Kernels4jException;

/** A request the server refuses: the HTTP status (4xx, or 503) and the one-line message sent back as JSON. */
final class RequestException extends Kernels4jException {
    private static final long serialVersionUID = 1L;

    private final int status;

    RequestException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }
}
