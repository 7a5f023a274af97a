package org.kernels4j.thinning;

import java.util.List;
import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.kernel.ScaledKernel;
import org.kernels4j.kernel.SumKernel;

/**
 * The kernel KT-SPLIT uses to halve, derived from the target kernel k (which KT-SWAP and the MMD use).
 *
 * <ul>
 *   <li>{@link #target()}: k itself (target KT; dimension-free integration error for each f in the RKHS).</li>
 *   <li>{@link #power(double)}: the α-power kernel k_α, whose Fourier transform is that of k raised to α.
 *       {@link #root()} is α = ½, the square-root kernel of the original KT (k = ∫ k_rt(x, z) k_rt(z, y) dz up
 *       to a constant). For the Gaussian kernel exp(−‖x−y‖²/(2σ²)), k_α ∝ exp(−‖x−y‖²/(2ασ²)): γ becomes γ/α
 *       (per-feature lengths ℓ_f become ℓ_f·√α). KT-SPLIT's decisions do not change when its kernel is
 *       multiplied by a constant, so the constant is dropped.</li>
 *   <li>{@link #plus(double)}: KT+, the split kernel {@code k/‖k‖_∞ + k_α/‖k_α‖_∞}, which keeps both the
 *       target-KT and the power-KT guarantees (Dwivedi &amp; Mackey, "Generalized kernel thinning", 2022;
 *       goodpoints' "combo" kernels are normalised to sup-norm 1 the same way).</li>
 * </ul>
 * Power kernels are implemented for Gaussian kernels ({@code rbf}, optionally scaled) with α in [½, 1];
 * other kernels (Laplace → Matérn, Matérn → Matérn of lower order, IMQ) have power kernels too, but
 * kernels4j's Matérn takes only ν ∈ {0.5, 1.5, 2.5}, so they are refused with a message. Immutable.
 */
public final class SplitKernel {
    private enum Kind { TARGET, POWER, PLUS }

    private final Kind kind;
    private final double alpha;

    private SplitKernel(Kind kind, double alpha) {
        this.kind = kind;
        this.alpha = alpha;
    }

    /** Target KT: split with k. */
    public static SplitKernel target() {
        return new SplitKernel(Kind.TARGET, 1);
    }

    /** Square-root KT: the ½-power kernel. */
    public static SplitKernel root() {
        return power(0.5);
    }

    /** α-power KT, α in [½, 1] (α = 1 is target KT). */
    public static SplitKernel power(double alpha) {
        return new SplitKernel(Kind.POWER, checkAlpha(alpha));
    }

    /** KT+: k/‖k‖_∞ + k_α/‖k_α‖_∞, α in [½, 1]. */
    public static SplitKernel plus(double alpha) {
        return new SplitKernel(Kind.PLUS, checkAlpha(alpha));
    }

    private static double checkAlpha(double alpha) {
        if (!(alpha >= 0.5 && alpha <= 1)) {
            throw new Kernels4jException("power kernel exponent alpha must be in [0.5, 1], got " + alpha);
        }
        return alpha;
    }

    /** The exponent α (1 for target KT). */
    public double alpha() {
        return alpha;
    }

    /** The split kernel for target kernel k. */
    public Kernel of(Kernel k) {
        if (kind == Kind.TARGET || (kind == Kind.POWER && alpha == 1)) {
            return k;
        }
        RbfKernel rbf = gaussian(k);
        RbfKernel power = power(rbf, alpha);
        if (kind == Kind.POWER) {
            return power;
        }
        return new SumKernel(List.of(rbf, power)); // both have sup-norm 1
    }

    /**
     * The split kernel's values as a function of the target's, so that one pass of target-kernel tiles serves
     * both (KT's row means and its first halving): identity for target KT (any k); for k = c·exp(−γ‖x−y‖²)
     * (c = 1 unless scaled) u = k/c and u^{1/α} (α-power, u² for the square root) or u + u^{1/α} (KT+), which
     * are {@link #of}'s kernels exactly in exact arithmetic.
     */
    TargetToSplit fromTarget(Kernel k) {
        if (kind == Kind.TARGET || (kind == Kind.POWER && alpha == 1)) {
            return new TargetToSplit(1, 1, false);
        }
        gaussian(k);
        double c = k instanceof ScaledKernel ? ((ScaledKernel) k).scale() : 1;
        return new TargetToSplit(1 / c, 1 / alpha, kind == Kind.PLUS);
    }

    /** v ↦ (v·inverseScale)^power, plus v·inverseScale when {@code plus}; see {@link #fromTarget}. */
    record TargetToSplit(double inverseScale, double power, boolean plus) {
        /** Maps {@code a[0 .. len)} in place. */
        void apply(double[] a, int len) {
            if (inverseScale == 1 && power == 1 && !plus) {
                return;
            }
            for (int k = 0; k < len; k++) {
                double u = a[k] * inverseScale;
                double p = power == 2 ? u * u : power == 1 ? u : Math.pow(u, power);
                a[k] = plus ? u + p : p;
            }
        }
    }

    /** Whether power split kernels (root, α-power, KT+) are available for k: a Gaussian kernel, optionally scaled. */
    public static boolean hasPowerKernel(Kernel k) {
        Kernel inner = k instanceof ScaledKernel ? ((ScaledKernel) k).kernel() : k;
        return inner instanceof RbfKernel;
    }

    private static RbfKernel gaussian(Kernel k) {
        Kernel inner = k instanceof ScaledKernel ? ((ScaledKernel) k).kernel() : k;
        if (!(inner instanceof RbfKernel)) {
            throw new Kernels4jException("square-root, power and KT+ split kernels are implemented for Gaussian kernels "
                    + "(rbf, optionally scaled) only, got " + k.toSpec() + "; use target KT (split kernel = k) for it");
        }
        return (RbfKernel) inner;
    }

    private static RbfKernel power(RbfKernel rbf, double alpha) {
        double[] lengths = rbf.lengthScales();
        if (lengths == null) {
            return RbfKernel.withGamma(rbf.gamma() / alpha);
        }
        double[] scaled = new double[lengths.length];
        for (int f = 0; f < lengths.length; f++) {
            scaled[f] = lengths[f] * Math.sqrt(alpha);
        }
        return RbfKernel.withLengths(scaled);
    }

    @Override
    public String toString() {
        switch (kind) {
            case TARGET:
                return "target";
            case POWER:
                return alpha == 0.5 ? "root" : String.format(Locale.ROOT, "power(alpha=%s)", alpha);
            default:
                return String.format(Locale.ROOT, "kt+(alpha=%s)", alpha);
        }
    }
}
