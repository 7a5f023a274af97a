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

    /** {@code a[k] ← s·a[k]} over {@code [0, len)}. */
    void scale(double[] a, int len, double s);

    /**
     * One layer of the NNGP/NTK recursion for the ReLU family (φ = a·x below 0, b·x above) on
     * {@code q[off .. off+len)}, the current covariances of one tile row against its columns. With
     * p = si·sj[k], c = clip(q·ri·rj[k], −1, 1) where ri = 1/si and rj = 1/sj (0 for a zero root, so c = 0), θ = arccos c, s = √(1 − c²) and
     * {@code coef = {A = a²+b², B = 2ab, w, bias, α, β}}:
     * T = p·(A(s + (π−θ)c) − B(s − θc))/(2π), Ṫ = (A(π−θ) + Bθ)/(2π), then
     * {@code theta[k] ← α·T + β + w·Ṫ·theta[k]} (when theta is not null) and {@code q[k] ← w·T + bias}.
     * The columns' square roots and their reciprocals are {@code sj[sjOff + k]}, {@code rj[sjOff + k]}
     * for element {@code off + k}; multiplying by reciprocals keeps divisions out of the inner loop.
     */
    void reluFamilyLayer(double[] q, double[] theta, int off, int len, double si, double[] sj, double[] rj, int sjOff, double[] coef);

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
