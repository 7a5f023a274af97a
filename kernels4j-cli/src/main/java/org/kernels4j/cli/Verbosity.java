package org.kernels4j.cli;

import java.io.PrintWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The command line's binding of the library's logging. kernels4j logs through {@code System.Logger},
 * whose default backend in the JDK is {@code java.util.logging}; so a level and a handler on the
 * {@code org.kernels4j} logger are all the binding takes (no service file, no dependency, nothing
 * that reaches library users). Quiet by default; with {@code --verbose} every kernels4j record at
 * DEBUG and above (the BLAS in use, jitter added to a Cholesky factorization, an optimizer that did
 * not converge, the scalar fallback without the Vector API) is one line on stderr:
 * {@code kernels4j: debug: BLAS: OpenBLAS 0.3.31 ...}.
 */
final class Verbosity {
    /** Held here because java.util.logging keeps its loggers only weakly: a collected one forgets its level. */
    private static final Logger LIBRARY = Logger.getLogger("org.kernels4j");
    private static Handler handler;

    private Verbosity() {
    }

    /** Quiet ({@code verbose} false) or every record at DEBUG and above to {@code err}; replaces an earlier setting. */
    static synchronized void set(boolean verbose, PrintWriter err) {
        LIBRARY.setUseParentHandlers(false); // never the JDK's default two-line console format
        if (handler != null) {
            LIBRARY.removeHandler(handler);
            handler = null;
        }
        if (!verbose) {
            LIBRARY.setLevel(Level.OFF);
            return;
        }
        handler = new Handler() {
            private final java.util.logging.Formatter text = new java.util.logging.SimpleFormatter();

            @Override
            public void publish(LogRecord r) {
                if (isLoggable(r)) {
                    err.println("kernels4j: " + levelName(r.getLevel()) + ": " + text.formatMessage(r));
                    err.flush();
                }
            }

            @Override
            public void flush() {
                err.flush();
            }

            @Override
            public void close() {
                // err belongs to the caller
            }
        };
        handler.setLevel(Level.ALL);
        LIBRARY.setLevel(Level.FINE); // System.Logger's DEBUG
        LIBRARY.addHandler(handler);
    }

    /** System.Logger's names for java.util.logging's levels (DEBUG is FINE, TRACE is FINER and below). */
    static String levelName(Level level) {
        int v = level.intValue();
        return v >= Level.SEVERE.intValue() ? "error" : v >= Level.WARNING.intValue() ? "warning"
                : v >= Level.INFO.intValue() ? "info" : v >= Level.FINE.intValue() ? "debug" : "trace";
    }
}
