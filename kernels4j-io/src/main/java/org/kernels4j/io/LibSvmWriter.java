package org.kernels4j.io;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Writes LibSVM-format files ({@code label index:value ...}, 1-based indices, zeros omitted), the
 * input format of LIBSVM's {@code svm-train}, atomically. Values are written with
 * {@link Double#toString}, which round-trips exactly through C's {@code strtod}.
 */
public final class LibSvmWriter {
    private LibSvmWriter() {
    }

    /** Writes rows of x with labels y. */
    public static void write(Path file, Matrix x, double[] y) {
        if (y.length != x.rows()) {
            throw new Kernels4jException("LibSVM output: " + x.rows() + " rows but " + y.length + " labels");
        }
        x.requireFinite("LibSVM output");
        AtomicFiles.write(file, out -> {
            BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII));
            int d = x.cols();
            double[] a = x.data();
            for (int i = 0; i < x.rows(); i++) {
                w.write(label(y[i]));
                for (int f = 0; f < d; f++) {
                    double v = a[i * d + f];
                    if (v != 0) {
                        w.write(' ');
                        w.write(Integer.toString(f + 1));
                        w.write(':');
                        w.write(Double.toString(v));
                    }
                }
                w.write('\n');
            }
            w.flush();
        });
    }

    /** A class label as LibSVM files and the CLI print it: "3" for an integer value, else the full double. */
    public static String label(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
