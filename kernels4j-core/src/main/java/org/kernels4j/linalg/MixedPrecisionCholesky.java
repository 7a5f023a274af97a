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
 * the float32 factor is freed before a fallback factors A. As with {@link Cholesky}, only the lower triangle of A is
 * read.
 */
public final class MixedPrecisionCholesky {
    /** A refinement step whose residual is above this fraction of the previous one stops the mixed path. */
    public static final double CONTRACTION = 0.5;
    /** Refinement steps tried before falling back (each costs one pass over A). */
    public static final int MAX_STEPS = 30;
    /** {@link Precision#AUTO} takes the mixed path from this order on. */
    public static final int AUTO_MIN_SIZE = 4096;

    private static final double EPS64 = Math.ulp(1.0) / 2;
    private static final int CONVERT_COLUMNS = 256;
    /** Up to this many right-hand sides are refined column by column with BLAS-2 calls. */
    private static final int VECTOR_COLUMNS = 4;
    private static final System.Logger LOG = System.getLogger(MixedPrecisionCholesky.class.getName());

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
     * @param a symmetric positive definite (only its lower triangle is read)
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
        long start = System.nanoTime();
        long[] phases = new long[3]; // conversion done, spotrf done, refinement done
        try (FloatPointer low = new FloatPointer((long) n * n)) {
            // ‖A‖_∞ from the lower triangle (LAPACK dlansy): the scale of the stopping test; NaN when A has one
            double norm = Parallelism.blas(() -> openblas.LAPACKE_dlansy(openblas.LAPACK_COL_MAJOR, (byte) 'I',
                    (byte) 'U', n, a.buffer().at(0), n));
            boolean fits = Double.isFinite(norm) && toFloat(a, low);
            phases[0] = System.nanoTime();
            if (!fits) {
                reason = "an entry of " + name + " is not finite or beyond float32's range";
                x = null;
            } else {
                int info = Parallelism.blas(() -> openblas.LAPACKE_spotrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', n,
                        low, n));
                phases[1] = System.nanoTime();
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
                    phases[2] = System.nanoTime();
                    // phase times, so that a user can see where a slow solve went (--verbose)
                    LOG.log(System.Logger.Level.DEBUG, () -> String.format(Locale.ROOT, "mixed-precision Cholesky "
                            + "n=%d: float32 copy %.3f s, spotrf %.3f s, %d refinement steps %.3f s", n,
                            (phases[0] - start) / 1e9, (phases[1] - phases[0]) / 1e9, stepsTaken[0],
                            (phases[2] - phases[1]) / 1e9));
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
     * The lower triangle of A (row-major), i.e. the upper triangle read column-major, rounded to float32 into
     * {@code low} by LAPACK {@code dlag2s} on column bands in parallel: band [j0, j1) converts only rows 0..j1 of
     * those columns, so about half of A is read and the part below is left unset (spotrf and spotrs never read it).
     * Native rather than a Java loop because each JNI block copy costs more than the conversion (measured: a Java
     * pass took about half of spotrf's time at n = 6,000 on 2 loaded cores). Returns false when an entry overflows
     * float32.
     */
    private static boolean toFloat(NativeMatrix a, FloatPointer low) {
        int n = a.rows();
        int bands = Math.max(1, Math.min(64, n / CONVERT_COLUMNS));
        int width = (n + bands - 1) / bands;
        boolean[] overflow = new boolean[bands];
        Parallelism.forEachBlock(bands, p -> {
            int j0 = p * width;
            int j1 = Math.min(n, j0 + width);
            if (j0 >= j1) {
                return;
            }
            FloatPointer dst = new FloatPointer(low).position((long) j0 * n);
            int info = openblas.LAPACKE_dlag2s(openblas.LAPACK_COL_MAJOR, j1, j1 - j0, a.buffer().at((long) j0 * n), n,
                    dst, n);
            overflow[p] = info != 0;
        });
        for (boolean o : overflow) {
            if (o) {
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
                floatSolve(low, n, rhs, k);
                rhs.position(0).get(scaled, 0, n * k);
                for (int c = 0; c < k; c++) {
                    for (int i = 0; i < n; i++) {
                        xCols[c * n + i] += scale[c] * scaled[c * n + i];
                    }
                }
                // R = B − A·X in float64; A's row-major lower triangle is its column-major upper one
                xNative.position(0).put(xCols, 0, n * k);
                rNative.position(0).put(bCols, 0, n * k);
                residual(a, xNative, rNative, k);
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

    /**
     * {@code rhs ← (L·Lᵀ)⁻¹·rhs} in float32 (n×k, column-major). Up to {@link #VECTOR_COLUMNS} columns go through
     * two {@code strsv} calls each: {@code spotrs} runs the matrix-matrix {@code strsm}, which was about 7× slower
     * together with {@code dsymm} below for one column (3 steps at n = 6,000: 1.3 s against 0.18 s, 2 loaded
     * cores).
     */
    private static void floatSolve(FloatPointer low, int n, FloatPointer rhs, int k) {
        if (k <= VECTOR_COLUMNS) {
            Parallelism.blas(() -> {
                for (int c = 0; c < k; c++) {
                    FloatPointer col = new FloatPointer(rhs).position((long) c * n);
                    // the row-major lower L is the column-major upper U = Lᵀ: Uᵀ·z = r, then U·d = z
                    openblas.cblas_strsv(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasTrans,
                            openblas.CblasNonUnit, n, low, n, col, 1);
                    openblas.cblas_strsv(openblas.CblasColMajor, openblas.CblasUpper, openblas.CblasNoTrans,
                            openblas.CblasNonUnit, n, low, n, col, 1);
                }
                return null;
            });
            return;
        }
        int info = Parallelism.blas(() -> openblas.LAPACKE_spotrs(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, k, low, n,
                rhs.position(0), n));
        if (info != 0) {
            throw new IllegalStateException("spotrs failed with info " + info);
        }
    }

    /**
     * {@code R ← R − A·X} in float64 (n×k, column-major) on the off-heap A: A's row-major lower triangle is its
     * column-major upper one. {@code dsymv} per column for a few columns ({@code dsymm} is slower there, as above).
     */
    private static void residual(NativeMatrix a, DoublePointer x, DoublePointer r, int k) {
        int n = a.rows();
        Parallelism.blas(() -> {
            if (k <= VECTOR_COLUMNS) {
                for (int c = 0; c < k; c++) {
                    openblas.cblas_dsymv(openblas.CblasColMajor, openblas.CblasUpper, n, -1.0, a.buffer().at(0), n,
                            new DoublePointer(x).position((long) c * n), 1, 1.0,
                            new DoublePointer(r).position((long) c * n), 1);
                }
            } else {
                openblas.cblas_dsymm(openblas.CblasColMajor, openblas.CblasLeft, openblas.CblasUpper, n, k, -1.0,
                        a.buffer().at(0), n, x.position(0), n, 1.0, r.position(0), n);
            }
            return null;
        });
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
