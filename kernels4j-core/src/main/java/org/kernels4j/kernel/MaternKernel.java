package org.kernels4j.kernel;

import java.util.Arrays;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.ElementOps;

/**
 * Matérn kernel for half-integer smoothness ν, with r = ‖x − z‖/ℓ (or the ARD distance
 * {@code sqrt(Σ_f (x_f − z_f)²/ℓ_f²)}):
 * <ul>
 *   <li>ν = 1/2: {@code exp(−r)}</li>
 *   <li>ν = 3/2: {@code (1 + √3·r)·exp(−√3·r)}</li>
 *   <li>ν = 5/2: {@code (1 + √5·r + 5r²/3)·exp(−√5·r)}</li>
 * </ul>
 * Spec: {@code matern(nu=2.5, length=1.2)} or {@code matern(nu=1.5, length=[1, 2])}.
 */
public final class MaternKernel implements Kernel {
    private final double nu;
    private final double length;
    private final double[] lengthScales;

    /** Isotropic Matérn; ν must be 0.5, 1.5 or 2.5 and ℓ &gt; 0. */
    public MaternKernel(double nu, double length) {
        this(nu, Specs.positive("matern", "length", length), null);
    }

    /** ARD Matérn with one length scale per feature. */
    public MaternKernel(double nu, double[] lengthScales) {
        this(nu, lengthScales.length == 1 ? Specs.positive("matern", "length", lengthScales[0]) : 1.0,
                lengthScales.length == 1 ? null : Specs.positive("matern", "length", lengthScales));
    }

    private MaternKernel(double nu, double length, double[] lengthScales) {
        if (nu != 0.5 && nu != 1.5 && nu != 2.5) {
            throw new Kernels4jException("matern: nu must be 0.5, 1.5 or 2.5, got " + Specs.num(nu));
        }
        this.nu = nu;
        this.length = length;
        this.lengthScales = lengthScales;
    }

    /** ν. */
    public double nu() {
        return nu;
    }

    /** The isotropic length scale ℓ (1 for ARD kernels, whose scales are in {@link #lengthScales()}). */
    public double length() {
        return length;
    }

    /** Per-feature length scales, or null when the kernel is isotropic. */
    public double[] lengthScales() {
        return lengthScales == null ? null : lengthScales.clone();
    }

    @Override
    public double value(double[] x, double[] z) {
        double r = Math.sqrt(Specs.squaredDistance(x, z, lengthScales)) / length;
        if (nu == 0.5) {
            return Math.exp(-r);
        } else if (nu == 1.5) {
            double t = Math.sqrt(3) * r;
            return (1 + t) * Math.exp(-t);
        }
        double t = Math.sqrt(5) * r;
        return (1 + t + t * t / 3) * Math.exp(-t);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        block.squaredDistances(lengthScales, out);
        ElementOps ops = ElementOps.get();
        if (nu == 0.5) {
            ops.sqrtScaled(out, 0, len, -1.0 / length);
            ops.expScaled(out, 0, len, 1.0);
        } else if (nu == 1.5) {
            ops.sqrtScaled(out, 0, len, Math.sqrt(3) / length);
            ops.matern32(out, 0, len);
        } else {
            ops.sqrtScaled(out, 0, len, Math.sqrt(5) / length);
            ops.matern52(out, 0, len);
        }
    }

    @Override
    public String toSpec() {
        return "matern(nu=" + Specs.num(nu) + ", length=" + (lengthScales != null ? Specs.nums(lengthScales)
                : Specs.num(length)) + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof MaternKernel)) {
            return false;
        }
        MaternKernel k = (MaternKernel) o;
        return k.nu == nu && k.length == length && Arrays.equals(k.lengthScales, lengthScales);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(nu) * 31 + Double.hashCode(length) + Arrays.hashCode(lengthScales);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
