package org.kernels4j.linalg;

/**
 * Element-wise passes over slices {@code a[off .. off+len)} of row-major blocks: the second half
 * of every Gram-block computation (the first half is one GEMM).
 *
 * <p>Two implementations compute the same functions: one on the JDK Vector API (whose lane-wise
 * EXP, SIN and POW are intrinsics on x86) and a scalar fallback. {@link #get()} picks the vector
 * one when the {@code jdk.incubator.vector} module is present (run with
 * {@code --add-modules jdk.incubator.vector}) unless the system property
 * {@code kernels4j.simd=false} is set.
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

    /** {@code a[k] ← max(ni + nz[nzOff+k] − 2·a[k], 0)}: squared distances from inner products. */
    void squaredDistances(double[] a, int off, int len, double ni, double[] nz, int nzOff);

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

    /** {@code dst[dOff+k] ← dst[dOff+k] + s·src[sOff+k]} over k ∈ [0, len). */
    void axpy(double[] dst, int dOff, double[] src, int sOff, int len, double s);

    /** {@code a[k] ← s·a[k]} over {@code [0, len)}. */
    void scale(double[] a, int len, double s);

    /**
     * All L layers of the NNGP/NTK recursion for the ReLU family (φ = a·x below 0, b·x above) on
     * {@code q[off .. off+len)}: one tile row's first-layer covariances against its columns; column
     * k of the row is element {@code off + k}. Per layer l, with p = si[l]·sj[l][k],
     * c = {@link ArcCosine#clipCorrelation}(q·rj[l][k]·ri) where ri = 1/si[l] and rj are the columns' reciprocal roots
     * (0 for a zero root, so c = 0), θ = arccos c, s = √(1 − c²) and
     * {@code coef = {A = a²+b², B = 2ab, w, bias, α, β}}:
     * T = p·(A(s + (π−θ)c) − B(s − θc))/(2π), Ṫ = (A(π−θ) + Bθ)/(2π), then
     * {@code theta[k] ← α·T + β + w·Ṫ·theta[k]} (when theta is not null) and {@code q[k] ← w·T + bias}.
     * On return q holds the last layer's covariances (the NNGP) and theta the NTK. Only correlations
     * travel between layers, so intermediate covariances are never stored; multiplying by reciprocals
     * keeps divisions out of the loop. θ and s come from {@link ArcCosine}. {@code scratch} holds at
     * least 3·len doubles (the vector implementation runs each layer as short loops through it,
     * because one loop this large exceeds the JIT's register and inlining budgets and runs at half
     * speed). Depth L = {@code si.length}; {@code sj[l]}, {@code rj[l]} have at least len entries.
     */
    void reluFamilyRow(double[] q, double[] theta, int off, int len, double[] si, double[][] sj, double[][] rj,
            double[] coef, double[] scratch);

    /** Lazy, thread-safe choice of the implementation. */
    final class Holder {
        static final ElementOps INSTANCE = choose();

        private Holder() {
        }

        private static ElementOps choose() {
            if (!Boolean.parseBoolean(System.getProperty("kernels4j.simd", "true"))) {
                return ScalarElementOps.INSTANCE;
            }
            if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
                return ScalarElementOps.INSTANCE;
            }
            try {
                return (ElementOps) Class.forName("org.kernels4j.linalg.VectorElementOps").getField("INSTANCE")
                        .get(null);
            } catch (ReflectiveOperationException | LinkageError e) {
                return ScalarElementOps.INSTANCE;
            }
        }
    }
}
