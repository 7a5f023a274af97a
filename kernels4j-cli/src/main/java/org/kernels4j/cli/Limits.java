package org.kernels4j.cli;

import java.util.Locale;
import org.kernels4j.Kernels4jException;

/** Refuses up front, with the numbers, what cannot fit in memory. */
final class Limits {
    private Limits() {
    }

    /** An exact solver's n x n matrix (8 n² bytes) against the JVM's maximum heap; {@code fix} says what to use instead. */
    static void requireSquareMatrix(String what, int n, String fix) {
        double bytes = 8.0 * n * n;
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max || (long) n * n > Integer.MAX_VALUE - 8) {
            throw new Kernels4jException(String.format(Locale.ROOT, "%s on %d rows needs the %d x %d kernel matrix, "
                    + "%.3g GB, but this JVM may use at most %.3g GB; %s, or give Java more memory "
                    + "(KERNELS4J_JAVA_OPTS=-Xmx...)", what, n, n, n, bytes * 1e-9, max * 1e-9, fix));
        }
    }
}
