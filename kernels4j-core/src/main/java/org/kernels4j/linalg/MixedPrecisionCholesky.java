package org.kernels4j.linalg;

import java.util.Locale;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.kernels4j.Kernels4jException;

/**
 * Solves {@code A·X = B} for a symmetric positive definite float64 A (n×n) and B (n×k) with a float32
 * Cholesky factorization refined to float64 accuracy, and falls back to the float64 {@link Cholesky} when the
 * conditioning does not allow it.
 *
 * <p>Method (the scheme of LAPACK's {@code dsposv}, with a contraction test added):
 * <ol>
 * <li>A is rounded to float32 ({@code A₃₂}, n² floats beside A) and factored {@code A₃₂ = L·Lᵀ} by OpenBLAS
 * {@code spotrf}: n³/3 flops at float32 speed, about half the time of {@code dpotrf}.</li>
 * <li>{@code X₀ = 0, R₀ = B}; step j: {@code X_j = X_{j−1} + (L·Lᵀ)⁻¹·R_{j−1}} (float32 triangular solves of
 * the residual scaled per column to unit maximum, so that no target overflows float32), then
 * {@code R_j = B − A·X_j} in float64 ({@code dsymm} on the off-heap A, 2n²k flops, one pass over A).</li>
 * <li>Converged when every column c has {@code ‖r_c‖_∞ ≤ √n·ε₆₄·‖A‖_∞·‖x_c‖_∞} (a backward error as small as a
 * float64 Cholesky solve's own, {@code dsposv}'s test). The forward error is then that of the float64 solve,
 * at most about κ(A)·√n·ε₆₄.</li>
 * </ol>
 * Each step multiplies the error by about κ(A)·ε₃₂ (ε₃₂ = 6·10⁻⁸), so refinement works while κ(A) ≪ 10⁷. The
 * fallback is decided by what happens, not by an estimate of κ: {@code spotrf} fails (A₃₂ not positive
 * definite), A has an entry beyond float32's range, a step does not contract ({@code max_c ‖r_c‖_∞} over its
 * value one step earlier, or over {@code ‖B‖_∞} at the first step, above {@link #CONTRACTION} = 0.5), or
 * {@link #MAX_STEPS} steps do not converge. Then the float32 factor is freed and A, untouched so far, is factored
 * in place by {@link Cholesky#factorInPlace} (with its jitter escalation); the {@link Result} names the reason.
 *
 * <p>No log-determinant is offered: {@code 2·Σ log L_ii} of the float32 factor has an error of order
 * n·κ·ε₃₂ (relative to each log L_ii), far from float64. A caller that needs {@code log det A} (GP evidence) uses
 * {@link Cholesky}; {@link Result#factor()} is non-null exactly when the fallback produced a float64 factor.
 *
 * <p>Memory: A (n² doubles, read in place) plus the float32 factor (n² floats), so 1.5× a float64 Cholesky's;
 * the float32 factor is freed before a fallback factors A. A must hold both triangles (as the Gram engine writes
 * it): its infinity norm is taken over whole rows.
 */
public final class MixedPrecisionCholesky {
    /** A refinement step whose residual is above this fraction of the previous one stops the mixed path. */
    public static final double CONTRACTION = 0.5;
    /** Refinement steps tried before falling back (each costs one pass over A). */
    public static final int MAX_STEPS = 30;
    /** {@link Precision#AUTO} takes the mixed path from this order on. */
    public static final int AUTO_MIN_SIZE = 4096;

    private static final double EPS64 = Math.ulp(1.0) / 2;
    private static final int CONVERT_ROWS = 32;

    private MixedPrecisionCholesky() {
    }

    /**
     * The outcome of a solve.
     *
     * @param solution X (n×k)
     * @param mixed whether X came from the refined float32 factor (false: from the float64 fallback)
     * @param steps refinement steps taken on the mixed path (also when it then fell back); 0 when not tried
     * @param relativeResidual {@code ‖B − A·X‖_F / ‖B‖_F} of the returned X on the mixed path (0 for B = 0); NaN
     *     after a fallback, where A has been overwritten by its factor
     * @param fallbackReason why the float64 path was taken, or null
     * @param factor the float64 Cholesky after a fallback (owned by the caller, who closes it), else null
     */
    public record Result(Matrix solution, boolean mixed, int steps, double relativeResidual, String fallbackReason,
            Cholesky factor) {
        /** The float64 jitter of the fallback factor, 0 on the mixed path. */
        public double jitter() {
            return factor == null ? 0 : factor.jitter();
        }
    }

    /** Solves with a copy of {@code a} (heap); see {@link #solveInPlace}. */
    public static Result solve(Matrix a, Matrix b, String name) {
        if (a.cols() != a.rows()) {
            throw new Kernels4jException(name + " must be square for Cholesky, got " + a.shape());
        }
        return solveInPlace(NativeMatrix.copyOf(a), b, name);
    }

    /**
     * Solves {@code A·X = B}, taking over {@code a}: on the mixed path it is only read and is closed before
     * returning; on a fallback it becomes the float64 factor returned in {@link Result#factor()}.
     *
     * @param a symmetric positive definite, both triangles filled
     * @param b n×k right-hand sides, not modified
     * @param name the matrix's name in messages
     * @throws Kernels4jException when a is not square, B's rows do not match, or A or B has a non-finite value
     * @throws NotPositiveDefiniteException when even the float64 fallback with jitter fails
     */
    public static Result solveInPlace(NativeMatrix a, Matrix b, String name) {
        int n = a.rows();
        int k = b.cols();
        if (a.cols() != n) {
            a.close();
            throw new Kernels4jException(name + " must be square for Cholesky, got " + a.shape());
        }
        if (b.rows() != n) {
            a.close();
            throw new Kernels4jException("right-hand side has " + b.rows() + " rows, expected " + n);
        }
        double[] bd = b.data();
        for (int i = 0; i < bd.length; i++) {
            if (!Double.isFinite(bd[i])) {
                a.close();
                throw new Kernels4jException("right-hand side has a non-finite value at row " + (i / Math.max(1, k))
                        + ", column " + (i % Math.max(1, k)));
            }
        }
        if (n == 0 || k == 0) {
            a.close();
            return new Result(new Matrix(n, k), true, 0, 0, null, null);
        }
        String reason;
        int[] stepsTaken = {0};
        double[] residualOut = {Double.NaN};
        Matrix x;
        try (FloatPointer low = new FloatPointer((long) n * n)) {
            double[] rowSums = new double[n];
            boolean fits = toFloat(a, low, rowSums);
            double norm = 0;
            for (double s : rowSums) {
                norm = Math.max(norm, s);
            }
            if (!fits) {
                reason = "an entry of " + name + " is not finite or beyond float32 range";
                x = null;
            } else {
                int info = Parallelism.blas(() -> openblas.LAPACKE_spotrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', n,
                        low, n));
                if (info < 0) {
                    throw new IllegalStateException("spotrf rejected argument " + (-info));
                }
                if (info > 0) {
                    reason = "the float32 Cholesky failed at column " + info;
                    x = null;
                } else {
                    String[] why = new String[1];
                    x = refine(a, low, b, norm, stepsTaken, residualOut, why);
                    reason = why[0];
                }
            }
        }
        if (x != null) {
            a.close();
            return new Result(x, true, stepsTaken[0], residualOut[0], null, null);
        }
        Cholesky chol = Cholesky.factorInPlace(a, name, true);
        Matrix solution;
        try {
            solution = chol.solve(b);
        } catch (RuntimeException | Error e) {
            chol.close();
            throw e;
        }
        return new Result(solution, false, stepsTaken[0], Double.NaN, reason + "; solved by the float64 Cholesky",
                chol);
    }

    /**
     * A rounded to float32 into {@code low} (column-major = the row-major layout read transposed; A is symmetric),
     * and the row sums of |A| into {@code rowSums}. Hand-written rather than {@code LAPACKE_dlag2s} because the
     * norm comes from the same pass over A, and the row blocks run in parallel. Returns false when an entry is not
     * finite or overflows float32.
     */
    private static boolean toFloat(NativeMatrix a, FloatPointer low, double[] rowSums) {
        int n = a.rows();
        int blocks = (n + CONVERT_ROWS - 1) / CONVERT_ROWS;
        boolean[] bad = new boolean[blocks];
        Parallelism.forEachBlock(blocks, p -> {
            int r0 = p * CONVERT_ROWS;
            int h = Math.min(n, r0 + CONVERT_ROWS) - r0;
            double[] rows = new double[h * n];
            float[] out = new float[h * n];
            a.getBlock(r0, 0, h, n, rows);
            for (int r = 0; r < h; r++) {
                double s = 0;
                for (int c = 0; c < n; c++) {
                    double v = rows[r * n + c];
                    float f = (float) v;
                    out[r * n + c] = f;
                    s += Math.abs(v);
                    if (Float.isInfinite(f) || Float.isNaN(f)) {
                        bad[p] = true;
                    }
                }
                rowSums[r0 + r] = s;
            }
            new FloatPointer(low).position((long) r0 * n).put(out, 0, h * n);
        });
        for (boolean b : bad) {
            if (b) {
                return false;
            }
        }
        return true;
    }

    /** The refinement loop; returns X, or null with the reason in {@code why[0]}. */
    private static Matrix refine(NativeMatrix a, FloatPointer low, Matrix b, double norm, int[] stepsTaken,
            double[] residualOut, String[] why) {
        int n = a.rows();
        int k = b.cols();
        // X, R and B column-major (column c at c·n), the layout of LAPACK's right-hand sides
        double[] bCols = b.transpose().data();
        double[] xCols = new double[n * k];
        double[] rCols = bCols.clone();
        double previous = maxAbs(bCols, 0, n * k);
        double threshold = Math.sqrt(n) * EPS64 * norm;
        float[] scaled = new float[n * k];
        double[] scale = new double[k];
        try (FloatPointer rhs = new FloatPointer((long) n * k); DoublePointer xNative = new DoublePointer((long) n * k);
                DoublePointer rNative = new DoublePointer((long) n * k)) {
            if (previous == 0) {
                residualOut[0] = 0;
                return new Matrix(n, k);
            }
            for (int step = 1; step <= MAX_STEPS; step++) {
                stepsTaken[0] = step;
                // D = (L·Lᵀ)⁻¹·R in float32, each column scaled to unit maximum first
                for (int c = 0; c < k; c++) {
                    double m = maxAbs(rCols, c * n, n);
                    scale[c] = m == 0 ? 1 : m;
                    for (int i = 0; i < n; i++) {
                        scaled[c * n + i] = (float) (rCols[c * n + i] / scale[c]);
                    }
                }
                rhs.position(0).put(scaled, 0, n * k);
                int info = Parallelism.blas(() -> openblas.LAPACKE_spotrs(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, k,
                        low, n, rhs, n));
                if (info != 0) {
                    throw new IllegalStateException("spotrs failed with info " + info);
                }
                rhs.position(0).get(scaled, 0, n * k);
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < n; i++) {
                        xCols[c * n + i] += scale[c] * scaled[c * n + i];
                    }
                }
                // R = B − A·X in float64; A's row-major lower triangle is its column-major upper one
                xNative.position(0).put(xCols, 0, n * k);
                rNative.position(0).put(bCols, 0, n * k);
                Parallelism.blas(() -> {
                    openblas.cblas_dsymm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasUpper, n, k, -1.0,
                            a.buffer().at(0), n, xNative, n, 1.0, rNative, n);
                    return null;
                });
                rNative.position(0).get(rCols, 0, n * k);
                boolean converged = true;
                double worst = 0;
                for (int c = 0; c < k; c++) {
                    double r = maxAbs(rCols, c * n, n);
                    worst = Double.isNaN(r) || Double.isNaN(worst) ? Double.NaN : Math.max(worst, r);
                    converged &= r <= threshold * maxAbs(xCols, c * n, n);
                }
                if (Double.isNaN(worst)) {
                    why[0] = "the refinement produced a non-finite residual at step " + step;
                    return null;
                }
                if (converged) {
                    residualOut[0] = frobenius(rCols) / frobenius(bCols);
                    return Matrix.wrap(k, n, xCols).transpose();
                }
                double ratio = worst / previous;
                if (ratio > CONTRACTION) {
                    why[0] = String.format(Locale.ROOT, "the mixed-precision refinement did not contract (residual "
                            + "ratio %.3g > %.2g at step %d)", ratio, CONTRACTION, step);
                    return null;
                }
                previous = worst;
            }
            why[0] = "the mixed-precision refinement did not converge in " + MAX_STEPS + " steps";
            return null;
        }
    }

    private static double maxAbs(double[] v, int from, int count) {
        double m = 0;
        for (int i = from; i < from + count; i++) {
            double a = Math.abs(v[i]);
            if (Double.isNaN(a)) {
                return Double.NaN;
            }
            m = Math.max(m, a);
        }
        return m;
    }

    private static double frobenius(double[] v) {
        double scale = maxAbs(v, 0, v.length);
        if (scale == 0) {
            return 0;
        }
        double s = 0;
        for (double e : v) {
            s += (e / scale) * (e / scale);
        }
        return scale * Math.sqrt(s);
    }
}
