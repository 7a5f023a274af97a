package org.kernels4j.thinning;

import java.util.List;
import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.LaplacianKernel;
import org.kernels4j.kernel.MaternKernel;
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
 * Power kernels are implemented for Gaussian kernels ({@code rbf}, optionally scaled) with α in [½, 1], and,
 * given the data's dimension ({@link #of(Kernel, int)}), for Matérn kernels of any order and Euclidean Laplace
 * kernels (Matérn-½), whose power kernels are Matérn kernels of order α(ν + d/2) − d/2; other kernels (IMQ,
 * L1 Laplace, …) are refused with a message. Immutable.
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

    /**
     * The split kernel for target kernel k on data of dimension d. Gaussian kernels as in {@link #of(Kernel)};
     * for a Matérn kernel of order ν and length ℓ (optionally scaled; Laplace exp(−γ‖x−y‖₂) is Matérn-½ with
     * ℓ = 1/γ), whose spectral density is ∝ (2ν/ℓ² + ‖ω‖²)^{−(ν + d/2)}, the α-power kernel has the density raised
     * to α: Matérn of order ν_α = α(ν + d/2) − d/2 and length ℓ·√(ν_α/ν) (Dwivedi &amp; Mackey, generalized KT),
     * which needs ν_α &gt; 0, i.e. α &gt; d/(2ν + d). Per-feature lengths scale alike.
     */
    public Kernel of(Kernel k, int d) {
        if (kind == Kind.TARGET || (kind == Kind.POWER && alpha == 1)) {
            return k;
        }
        Kernel inner = k instanceof ScaledKernel ? ((ScaledKernel) k).kernel() : k;
        MaternKernel matern = asMatern(inner);
        if (matern == null) {
            return of(k);
        }
        double nu = matern.nu();
        double nuAlpha = alpha * (nu + 0.5 * d) - 0.5 * d;
        if (!(nuAlpha > 0)) {
            throw new Kernels4jException(String.format(java.util.Locale.ROOT,
                    "the %s-power kernel of %s in %d dimensions does not exist: it needs alpha > d/(2 nu + d) = %.4g",
                    alpha == 0.5 ? "square-root" : "alpha", k.toSpec(), d, d / (2 * nu + d)));
        }
        double stretch = Math.sqrt(nuAlpha / nu);
        double[] lengths = matern.lengthScales();
        MaternKernel power;
        if (lengths == null) {
            power = new MaternKernel(nuAlpha, matern.length() * stretch);
        } else {
            double[] scaled = new double[lengths.length];
            for (int f = 0; f < lengths.length; f++) {
                scaled[f] = lengths[f] * stretch;
            }
            power = new MaternKernel(nuAlpha, scaled);
        }
        if (kind == Kind.POWER) {
            return power;
        }
        return new SumKernel(List.of(matern, power)); // both have sup-norm 1
    }

    /** A Matérn kernel, or a Euclidean Laplace kernel as Matérn-½ (ℓ = 1/γ); null for anything else. */
    private static MaternKernel asMatern(Kernel inner) {
        if (inner instanceof MaternKernel) {
            return (MaternKernel) inner;
        }
        if (inner instanceof LaplacianKernel && !((LaplacianKernel) inner).isL1()) {
            return new MaternKernel(0.5, 1 / ((LaplacianKernel) inner).gamma());
        }
        return null;
    }

    /** The split kernel for target kernel k (Gaussian kernels; Matérn and Laplace kernels need {@link #of(Kernel, int)}). */
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
        if (!isGaussian(k)) {
            return null; // a Matérn power kernel is not a function of the target's values
        }
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

    /**
     * Whether power split kernels (root, α-power, KT+) exist for k whatever the data: a Gaussian kernel, optionally
     * scaled (the default split kernels use this; Matérn power kernels depend on d, see the three-argument form).
     */
    public static boolean hasPowerKernel(Kernel k) {
        return isGaussian(k);
    }

    /**
     * Whether the α-power kernel of k exists on data of dimension d: always for Gaussian kernels; for Matérn of
     * order ν (Laplace: ν = ½) when α(ν + d/2) − d/2 &gt; 0.
     */
    public static boolean hasPowerKernel(Kernel k, int d, double alpha) {
        Kernel inner = k instanceof ScaledKernel ? ((ScaledKernel) k).kernel() : k;
        if (inner instanceof RbfKernel) {
            return true;
        }
        MaternKernel m = asMatern(inner);
        return m != null && alpha * (m.nu() + 0.5 * d) - 0.5 * d > 0;
    }

    private static boolean isGaussian(Kernel k) {
        Kernel inner = k instanceof ScaledKernel ? ((ScaledKernel) k).kernel() : k;
        return inner instanceof RbfKernel;
    }

    /** Refuses a kernel that has no split kernel of this kind (before any data is seen). */
    void requireSupported(Kernel k) {
        Kernel inner = k instanceof ScaledKernel ? ((ScaledKernel) k).kernel() : k;
        if (kind == Kind.TARGET || (kind == Kind.POWER && alpha == 1) || isGaussian(k) || asMatern(inner) != null) {
            return;
        }
        gaussian(k); // throws the message naming the supported kernels
    }

    private static RbfKernel gaussian(Kernel k) {
        Kernel inner = k instanceof ScaledKernel ? ((ScaledKernel) k).kernel() : k;
        if (!(inner instanceof RbfKernel)) {
            throw new Kernels4jException("square-root, power and KT+ split kernels are implemented for Gaussian kernels "
                    + "(rbf, optionally scaled) only here, got " + k.toSpec() + "; Matérn and Laplace kernels take "
                    + "them with the data's dimension, other kernels target KT (split kernel = k)");
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
