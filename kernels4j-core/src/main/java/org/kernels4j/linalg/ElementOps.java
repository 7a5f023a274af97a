package org.kernels4j.linalg;

/**
 * Element-wise passes over slices {@code a[off .. off+len)} of row-major blocks: the second half
 * of every Gram-block computation (the first half is one GEMM).
 *
 * <p>Two implementations compute the same functions: one on the JDK Vector API and a scalar
 * fallback. When the {@code jdk.incubator.vector} module is present (run with
 * {@code --add-modules jdk.incubator.vector}), {@link #get()} gives the vector passes. The system
 * property {@code kernels4j.simd} chooses otherwise: {@code false} for the scalar passes (no JIT
 * warm-up: until C2 compiles it, Vector API code is hundreds of times slower than the scalar loop,
 * which dominates short runs), {@code warm} for the vector passes once a background warm-up has shown
 * them compiled, the scalar ones until then ({@code WarmingElementOps}, experimental). The choice is
 * logged once on the {@code System.Logger} {@code org.kernels4j.linalg.ElementOps}: INFO when the
 * Vector API is absent (the scalar passes are several times slower on long runs), DEBUG otherwise.
 */
public interface ElementOps {

    /** The implementation in use. */
    static ElementOps get() {
        return Holder.INSTANCE;
    }

    /** The scalar implementation, always available (tests compare against it). */
    static ElementOps scalar() {
        return ScalarElementOps.INSTANCE;
    }

    /** Name of the implementation, e.g. "vector(4 lanes)" or "scalar". */
    String name();

    /**
     * Below this fraction of ‖x‖² + ‖z‖², a squared distance formed as ‖x‖² + ‖z‖² − 2⟨x, z⟩ has lost more than
     * 2⁻³⁶ ≈ 10⁻¹¹ of its value to cancellation per unit of the inner product's relative error (about d·2⁻⁵³): the
     * caller then recomputes it from the rows.
     */
    double CANCELLATION = 0x1p-16;

    /**
     * {@code a[k] ← max(ni + nz[nzOff+k] − 2·a[k], 0)}: squared distances from inner products. Returns true when some
     * entry may have lost its precision to cancellation: before clipping it was below {@link #CANCELLATION}·(ni +
     * nz[k]), or not a number (norms that overflowed); the caller recomputes those entries directly.
     */
    boolean squaredDistances(double[] a, int off, int len, double ni, double[] nz, int nzOff);

    /** {@code a[k] ← exp(s·a[k])}. */
    void expScaled(double[] a, int off, int len, double s);

    /** {@code a[k] ← s·sqrt(a[k])}. */
    void sqrtScaled(double[] a, int off, int len, double s);

    /** {@code a[k] ← (1 + t)·exp(−t)} with {@code t = a[k]} (Matérn 3/2 of a scaled distance). */
    void matern32(double[] a, int off, int len);

    /** {@code a[k] ← (1 + t + t²/3)·exp(−t)} with {@code t = a[k]} (Matérn 5/2). */
    void matern52(double[] a, int off, int len);

    /** {@code a[k] ← (m·a[k] + c)^p} for real p (base must be non-negative unless p is an integer). */
    void powAffine(double[] a, int off, int len, double m, double c, double p);

    /** {@code a[k] ← a[k]·ri·rz[rzOff+k]}. */
    void scaleOuter(double[] a, int off, int len, double ri, double[] rz, int rzOff);

    /** {@code dst[k] ← dst[k] + s·src[k]} over {@code [0, len)}. */
    void addScaled(double[] dst, double[] src, int len, double s);

    /** {@code dst[k] ← dst[k]·src[k]} over {@code [0, len)}. */
    void multiply(double[] dst, double[] src, int len);

    /** Σ_k a[aOff+k]·b[bOff+k] over k ∈ [0, len). */
    double dot(double[] a, int aOff, double[] b, int bOff, int len);

    /** {@code dst[dOff+k] ← dst[dOff+k] + s·src[sOff+k]} over k ∈ [0, len), one rounding (a fused multiply-add). */
    void axpy(double[] dst, int dOff, double[] src, int sOff, int len, double s);

    /** {@code a[k] ← s·a[k]} over {@code [0, len)}. */
    void scale(double[] a, int len, double s);

    /**
     * All L layers of the NNGP/NTK recursion for the ReLU family (φ = a·x below 0, b·x above, a ≠ b)
     * on one tile row {@code out[off .. off+len)}, in correlation form: element k holds the inner
     * product ip = ⟨x, z_k⟩ on entry (column k of the row) and the kernel on return.
     *
     * <p>Layouts: {@code rowCoef = {r₀, A₀, B₀, Δ₀, A₁, B₁, Δ₁, …}} (3L + 1 values),
     * {@code colCoef = {ρ, α₀, β₀, α₁, β₁, …}} (2L + 1 arrays of at least len values, element k
     * belonging to column k) and {@code con = {q_s, q_b, t_s, t_b, κ, γ, ntk}}. Per element, with
     * R = r₀·ρ[k]:
     * <pre>
     *   c ← (q_s·ip + q_b)·R,    t ← (t_s·ip + t_b)·R
     *   for l = 0 … L−1:  x = |c| (1 within {@link ArcCosine#SNAP} of it), θ = arccos x, s = √(1 − x²),
     *                     d = (c ≥ 0 ? π − θ : θ) + κ,  g = s + d·c,  a = A_l·α_l[k],  b = β_l[k]
     *                     c ← a·g + B_l·b,   t ← a·d·t + c + Δ_l·b
     *   out[k] ← ntk ≠ 0 ? γ·t : c
     * </pre>
     * The caller chooses the coefficients so that c is the correlation and t the tangent kernel
     * divided by both pre-activation standard deviations (NeuralKernel), which leaves one
     * arccos, two square roots and about 40 flops per element and layer, and no division. The
     * vector implementation runs each layer as one loop over the row, which stays in L1 cache;
     * {@code scratch} holds at least 2·len doubles. {@code cLower[l]} (L values) is a lower bound,
     * proved by the caller, of every correlation entering layer l (−1 when nothing is known); the
     * vector implementation runs shorter loops where it is ≥ 0 (no sign handling) or &gt; ½ (no
     * |c| ≤ ½ branch either).
     */
    void reluFamilyRow(double[] out, int off, int len, double[] rowCoef, double[][] colCoef, double[] con,
            double[] cLower, double[] scratch);

    /**
     * {@code dst[k] ← dst[k] + mask[k]·src[k + shift]} over k ∈ [lo, hi): one tap of a convolution
     * run as a shift of a flattened array, the mask zeroing what falls into the padding.
     */
    void addMaskedShifted(double[] dst, double[] src, double[] mask, int lo, int hi, int shift);

    /**
     * One ReLU-family dual activation (φ = a·x below 0, b·x above, a ≠ b), entry by entry, for the
     * convolutional kernels, whose entries each carry their own pair of standard deviations, given as
     * an outer product: entry i ∈ [0, len) of {@code k[off ..]} has σσ' = sRow·sCol[colOff + i] and
     * 1/(σσ') = rRow·rCol[colOff + i] (0 where a variance is 0). With the correlation
     * c = k·rRow·rCol clipped to [−1, 1] and snapped to ±1 within {@link ArcCosine#SNAP},
     * θ = arccos c, s = √(1 − c²) and d = π − θ + κ:
     * <pre>
     *   k ← ν·σσ'·(s + d·c),    t ← t·ν·d   (t null: the NNGP, k only; t shares k's offset)
     * </pre>
     * With ν = (a − b)²/(2π) and κ = 2abπ/(a − b)² this is
     * T = σσ'/(2π)·[A(s + (π − θ)c) − B(s − θc)] and Ṫ = [A(π − θ) + Bθ]/(2π), A = a² + b², B = 2ab.
     * One arccos polynomial, two square roots and about 30 flops per entry; the outer product saves
     * the caller building σσ' and 1/(σσ') entry by entry.
     */
    void reluFamilyDualOuter(double[] k, double[] t, int off, int len, double sRow, double rRow, double[] sCol,
            double[] rCol, int colOff, double nu, double kappa);

    /** Lazy, thread-safe choice of the implementation. */
    final class Holder {
        static final ElementOps INSTANCE = choose();

        private Holder() {
        }

        private static ElementOps choose() {
            System.Logger log = System.getLogger(ElementOps.class.getName());
            String mode = System.getProperty("kernels4j.simd", "true").strip().toLowerCase(java.util.Locale.ROOT);
            if (mode.equals("false")) {
                log.log(System.Logger.Level.DEBUG, "element-wise passes: scalar (kernels4j.simd=false)");
                return ScalarElementOps.INSTANCE;
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                log.log(System.Logger.Level.INFO, "the Vector API is absent: element-wise passes run scalar, several"
                        + " times slower; run java with --add-modules jdk.incubator.vector");
                return ScalarElementOps.INSTANCE;
            }
            try {
                Class<?> type = Class.forName("org.kernels4j.linalg.VectorElementOps");
                ElementOps vector = (ElementOps) type.getField("INSTANCE").get(null);
                ElementOps ops = !mode.equals("warm") ? vector
                        : new WarmingElementOps(vector, type.getField("LANES").getInt(null));
                log.log(System.Logger.Level.DEBUG, () -> "element-wise passes: " + ops.name());
                return ops;
            } catch (ReflectiveOperationException | LinkageError e) {
                log.log(System.Logger.Level.INFO, "the Vector API could not be loaded (" + e
                        + "): element-wise passes run scalar, several times slower");
                return ScalarElementOps.INSTANCE;
            }
        }
    }
}
