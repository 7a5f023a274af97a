package org.kernels4j.kernel;

import java.math.BigDecimal;
import org.kernels4j.Kernels4jException;

/** Number formatting and argument checks shared by the kernel classes. */
public final class Specs {
    private Specs() {
    }

    /** Shortest decimal text that parses back to exactly {@code v} ("2", "0.5", "1e-06"). */
    public static String num(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) {
            return s;
        }
        return new BigDecimal(s.substring(0, e)).stripTrailingZeros().toPlainString() + "e" + s.substring(e + 1);
    }

    public static String nums(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(num(v[i]));
        }
        return sb.append(']').toString();
    }

    public static double positive(String kernel, String param, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new Kernels4jException(kernel + ": " + param + " must be a positive finite number, got " + num(v));
        }
        return v;
    }

    public static double nonNegative(String kernel, String param, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new Kernels4jException(kernel + ": " + param + " must be a non-negative finite number, got "
                    + num(v));
        }
        return v;
    }

    public static double[] positive(String kernel, String param, double[] v) {
        if (v.length == 0) {
            throw new Kernels4jException(kernel + ": " + param + " must not be an empty list");
        }
        for (double x : v) {
            positive(kernel, param, x);
        }
        return v.clone();
    }

    public static double squaredDistance(double[] x, double[] z, double[] lengthScales) {
        requireSameLength(x, z);
        if (lengthScales != null && lengthScales.length != x.length) {
            throw new Kernels4jException("the kernel has " + lengthScales.length
                    + " per-feature length scales but the data has " + x.length + " features");
        }
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            double t = x[f] - z[f];
            if (lengthScales != null) {
                t /= lengthScales[f];
            }
            s += t * t;
        }
        return s;
    }

    public static double dot(double[] x, double[] z) {
        requireSameLength(x, z);
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            s += x[f] * z[f];
        }
        return s;
    }

    public static void requireSameLength(double[] x, double[] z) {
        if (x.length != z.length) {
            throw new Kernels4jException("vectors have different lengths: " + x.length + " and " + z.length);
        }
    }
}
