package org.kernels4j.linalg;

import org.bytedeco.openblas.global.openblas;
import org.kernels4j.Kernels4jException;

/**
 * A thin facade over OpenBLAS (bundled in the {@code org.bytedeco:openblas} jars, so no system
 * install is needed). All matrices are row-major {@link Matrix} objects. Calls go through
 * {@link Parallelism#blas}, so a call made outside a block task may use all threads and one made
 * inside a block task stays single-threaded.
 */
public final class Blas {
    private Blas() {
    }

    /**
     * General matrix product {@code C ← α·op(A)·op(B) + β·C} ({@code dgemm}), where op transposes
     * when asked. Cost 2·m·n·k flops.
     */
    public static void gemm(boolean transA, boolean transB, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new Kernels4jException("gemm shapes do not match: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + c.shape());
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleInPlace(c, beta);
            return;
        }
        if (!transB && n <= THIN_COLUMNS && (long) m * k >= THIN_MIN_ENTRIES) {
            thinProduct(transA, alpha, a, b, beta, c);
            return;
        }
        Parallelism.blas(2L * m * n * k, () -> {
            openblas.cblas_dgemm(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                    transB ? openblas.CblasTrans : openblas.CblasNoTrans, m, n, k, alpha, a.data(), a.cols(),
                    b.data(), b.cols(), beta, c.data(), n);
            return null;
        });
    }

    /** At most this many right-hand columns take {@link #thinProduct}. */
    static final int THIN_COLUMNS = 8;
    /** ... and only when op(A) has at least this many entries. */
    static final long THIN_MIN_ENTRIES = 1L << 20;

    /**
     * {@code C ← α·op(A)·B + β·C} for a large A and a B of at most {@link #THIN_COLUMNS} columns, in Java. Hand-written
     * on purpose: such a product is memory-bound (one pass over A), and a heap array handed to OpenBLAS through JNI is
     * copied in and out, which costs far more than the pass itself (a 4000×4000 {@code dgemv} took 0.7–0.9 s through
     * JNI where this loop took 0.01–0.02 s in the same run, 2 cores). Row blocks of op(A) run in parallel, each sum in
     * a fixed order, so the result does not depend on the thread count.
     */
    private static void thinProduct(boolean transA, double alpha, Matrix a, Matrix b, double beta, Matrix c) {
        int m = c.rows();
        int n = c.cols();
        int k = b.rows();
        double[] ad = a.data();
        double[] bd = b.data();
        double[] cd = c.data();
        int lda = a.cols();
        final int block = 256;
        int blocks = (m + block - 1) / block;
        Parallelism.forEachBlock(blocks, p -> {
            int r0 = p * block;
            int r1 = Math.min(m, r0 + block);
            int width = r1 - r0;
            double[] acc = new double[n * width]; // acc[o·width + (i − r0)]
            if (transA) {
                // C[i][o] = Σ_l A[l][i]·B[l][o]: for each row l of A, an axpy over its entries r0 … r1
                for (int l = 0; l < k; l++) {
                    int ao = l * lda + r0;
                    for (int o = 0; o < n; o++) {
                        double bv = bd[l * n + o];
                        if (bv == 0) {
                            continue;
                        }
                        int co = o * width;
                        for (int i = 0; i < width; i++) {
                            acc[co + i] += bv * ad[ao + i];
                        }
                    }
                }
            } else {
                // C[i][o] = Σ_l A[i][l]·B[l][o]: a dot product along row i of A per output column
                for (int i = 0; i < width; i++) {
                    int ao = (r0 + i) * lda;
                    for (int o = 0; o < n; o++) {
                        double sum = 0;
                        for (int l = 0; l < k; l++) {
                            sum += ad[ao + l] * bd[l * n + o];
                        }
                        acc[o * width + i] = sum;
                    }
                }
            }
            for (int i = 0; i < width; i++) {
                for (int o = 0; o < n; o++) {
                    int ci = (r0 + i) * n + o;
                    cd[ci] = alpha * acc[o * width + i] + (beta == 0 ? 0 : beta * cd[ci]);
                }
            }
        });
    }

    /**
     * Tile GEMM on off-heap buffers: {@code C[0..m)[0..n) ← A_rows · B_rowsᵀ} where
     * {@code A_rows} are m consecutive rows of length k starting at {@code aOffset} and
     * {@code B_rows} n rows starting at {@code bOffset}; C is written densely with leading
     * dimension n at {@code cOffset}.
     */
    public static void gemmNT(NativeBuffer a, long aOffset, NativeBuffer b, long bOffset, NativeBuffer c, long cOffset,
            int m, int n, int k) {
        Parallelism.blas(2L * m * n * k, () -> {
            openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasTrans, m, n, k, 1.0,
                    a.at(aOffset), k, b.at(bOffset), k, 0.0, c.at(cOffset), n);
            return null;
        });
    }

    /**
     * Complex tile GEMM on off-heap buffers of interleaved (re, im) pairs ({@code zgemm}):
     * {@code C[i][j] ← Σ_k A_ik·conj(B_jk)} for the m rows of A (k complex entries each, from complex
     * index {@code aRow·k}) and the n rows of B (from {@code bRow·k}); C is m×n complex, dense. Cost
     * 8·m·n·k real flops.
     */
    public static void zgemmNC(NativeBuffer a, long aRow, NativeBuffer b, long bRow, NativeBuffer c, int m, int n,
            int k) {
        Parallelism.blas(8L * m * n * k, () -> {
            try (org.bytedeco.javacpp.DoublePointer one = new org.bytedeco.javacpp.DoublePointer(1.0, 0.0);
                    org.bytedeco.javacpp.DoublePointer zero = new org.bytedeco.javacpp.DoublePointer(0.0, 0.0)) {
                openblas.cblas_zgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasConjTrans, m, n, k,
                        one, a.untypedAt(2 * aRow * k), k, b.untypedAt(2 * bRow * k), k, zero, c.untypedAt(0), n);
            }
            return null;
        });
    }

    /** Same-shape product on off-heap buffers, {@code C ← A·Bᵀ}, no offsets; for benchmarks. */
    public static void gemmNT(NativeBuffer a, NativeBuffer b, NativeBuffer c, int m, int n, int k) {
        gemmNT(a, 0, b, 0, c, 0, m, n, k);
    }

    /**
     * Symmetric rank-k update {@code C ← α·A·Aᵀ + β·C} ({@code dsyrk}), filling both triangles
     * of C. A is n×k, C is n×n. Cost n²·k flops.
     */
    public static void syrk(double alpha, Matrix a, double beta, Matrix c) {
        int n = a.rows();
        int k = a.cols();
        if (c.rows() != n || c.cols() != n) {
            throw new Kernels4jException("syrk: C must be " + n + "x" + n + ", got " + c.shape());
        }
        if (n == 0) {
            return;
        }
        Parallelism.blas((long) n * n * k, () -> {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasNoTrans, n, k, alpha,
                    a.data(), Math.max(1, k), beta, c.data(), n);
            return null;
        });
        double[] d = c.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                d[i * n + j] = d[j * n + i];
            }
        }
    }

    /**
     * Transposed symmetric rank-k update on off-heap buffers, {@code C ← AᵀA + β·C} ({@code dsyrk}), writing only
     * the upper triangle of the cols×cols matrix C (row-major); A is rows×cols, row-major. Off-heap on purpose:
     * accumulating a normal matrix band by band would otherwise copy C through JNI in and out on every band.
     * Cost rows·cols² flops.
     */
    public static void syrkUpperTransposed(NativeBuffer a, int rows, int cols, double beta, NativeBuffer c) {
        if (rows == 0 || cols == 0) {
            return;
        }
        Parallelism.blas((long) rows * cols * cols, () -> {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasUpper, openblas.CblasTrans, cols, rows, 1.0,
                    a.at(0), cols, beta, c.at(0), cols);
            return null;
        });
    }

    /**
     * {@code B ← B·L⁻ᵀ} in place on off-heap buffers ({@code dtrsm}, right side), for a lower-triangular cols×cols L
     * (only its lower triangle is read) and a rows×cols B, both row-major. Cost rows·cols² flops.
     */
    public static void trsmRightLowerTransposed(NativeBuffer l, int cols, NativeBuffer b, int rows) {
        if (rows == 0 || cols == 0) {
            return;
        }
        Parallelism.blas((long) rows * cols * cols, () -> {
            openblas.cblas_dtrsm(openblas.CblasRowMajor, openblas.CblasRight, openblas.CblasLower,
                    openblas.CblasTrans, openblas.CblasNonUnit, rows, cols, 1.0, l.at(0), cols, b.at(0), cols);
            return null;
        });
    }

    /** Matrix-vector product {@code y ← α·op(A)·x + β·y} ({@code dgemv}). */
    public static void gemv(boolean transA, double alpha, Matrix a, double[] x, double beta, double[] y) {
        int m = transA ? a.cols() : a.rows();
        int n = transA ? a.rows() : a.cols();
        if (x.length != n || y.length != m) {
            throw new Kernels4jException("gemv shapes do not match: op(A) " + m + "x" + n + ", x " + x.length
                    + ", y " + y.length);
        }
        if (m == 0) {
            return;
        }
        if (n == 0) {
            for (int i = 0; i < m; i++) {
                y[i] *= beta;
            }
            return;
        }
        Parallelism.blas(2L * m * n, () -> {
            openblas.cblas_dgemv(openblas.CblasRowMajor, transA ? openblas.CblasTrans : openblas.CblasNoTrans,
                    a.rows(), a.cols(), alpha, a.data(), a.cols(), x, 1, beta, y, 1);
            return null;
        });
    }

    /**
     * Solves {@code op(T)·X = B} in place of B for triangular T ({@code dtrsm}, left side).
     *
     * @param lower whether T is lower triangular (only that triangle is read)
     */
    public static void trsm(boolean lower, boolean transT, Matrix t, Matrix b) {
        heapTriangular(true, true, lower, transT, 1.0, t, b);
    }

    /**
     * Solves {@code X·op(T) = B} in place of B for triangular T ({@code dtrsm}, right side): B ← B·op(T)⁻¹, B m×n,
     * T n×n. Cost m·n² flops; backward stable, unlike multiplying by an explicit inverse.
     *
     * @param lower whether T is lower triangular (only that triangle is read)
     */
    public static void trsmRight(boolean lower, boolean transT, Matrix t, Matrix b) {
        heapTriangular(true, false, lower, transT, 1.0, t, b);
    }

    /** {@link #trsm}, {@link #trsmRight} and {@link #trmmRight}: dtrsm or dtrmm on heap matrices in one place. */
    private static void heapTriangular(boolean solve, boolean left, boolean lower, boolean transT, double alpha,
            Matrix t, Matrix b) {
        int n = t.rows();
        if (t.cols() != n || (left ? b.rows() : b.cols()) != n) {
            throw new Kernels4jException("triangular " + (solve ? "solve" : "product") + ": T is " + t.shape()
                    + ", B is " + b.shape());
        }
        if (b.rows() == 0 || b.cols() == 0) {
            return;
        }
        int side = left ? openblas.CblasLeft : openblas.CblasRight;
        int uplo = lower ? openblas.CblasLower : openblas.CblasUpper;
        int trans = transT ? openblas.CblasTrans : openblas.CblasNoTrans;
        Parallelism.blas((long) n * n * (left ? b.cols() : b.rows()), () -> {
            if (solve) {
                openblas.cblas_dtrsm(openblas.CblasRowMajor, side, uplo, trans, openblas.CblasNonUnit, b.rows(),
                        b.cols(), alpha, t.data(), n, b.data(), b.cols());
            } else {
                openblas.cblas_dtrmm(openblas.CblasRowMajor, side, uplo, trans, openblas.CblasNonUnit, b.rows(),
                        b.cols(), alpha, t.data(), n, b.data(), b.cols());
            }
            return null;
        });
    }

    /**
     * {@code B ← α·B·op(T)} in place for a triangular T ({@code dtrmm}, right side; only T's triangle named by
     * {@code lower} is read). B is m×n, T n×n. Cost m·n² flops, half of the GEMM with a dense T.
     */
    public static void trmmRight(boolean lower, boolean transT, double alpha, Matrix t, Matrix b) {
        heapTriangular(false, false, lower, transT, alpha, t, b);
    }

    /**
     * {@code B ← α·B·T} in place on off-heap row-major matrices for a lower-triangular T ({@code dtrmm}, right
     * side; only T's lower triangle is read): B is m×n, T n×n. Cost m·n² flops; no copy through the JNI.
     */
    public static void trmmRightLower(double alpha, NativeMatrix t, NativeMatrix b) {
        lowerTriangular(false, false, false, alpha, "T", t, b);
    }

    /**
     * {@code B ← op(L)⁻¹·B} in place on off-heap row-major matrices ({@code dtrsm}, left side) for a lower-triangular
     * n×n L (only its lower triangle is read; op(L) = Lᵀ when {@code transposed}) and an n×k B. Cost n²·k flops.
     * Unlike multiplying by an explicit inverse, the solve is backward stable: its error grows with cond(L),
     * not cond(L)².
     */
    public static void trsmLeftLower(boolean transposed, NativeMatrix l, NativeMatrix b) {
        lowerTriangular(true, true, transposed, 1.0, "L", l, b);
    }

    /**
     * {@code B ← op(L)·B} in place on off-heap row-major matrices ({@code dtrmm}, left side) for a lower-triangular
     * n×n L (only its lower triangle is read; op(L) = Lᵀ when {@code transposed}) and an n×k B. Cost n²·k flops.
     */
    public static void trmmLeftLower(boolean transposed, NativeMatrix l, NativeMatrix b) {
        lowerTriangular(false, true, transposed, 1.0, "L", l, b);
    }

    /**
     * {@code B ← B·L⁻¹} in place on off-heap row-major matrices ({@code dtrsm}, right side) for a lower-triangular
     * n×n L (only its lower triangle is read) and an m×n B. Cost m·n² flops.
     */
    public static void trsmRightLower(NativeMatrix l, NativeMatrix b) {
        lowerTriangular(true, false, false, 1.0, "L", l, b);
    }

    /** Column panel width of {@link #lowerOnLower}: wide enough for BLAS-3 speed, narrow enough to skip the zeros. */
    private static final int PANEL = 96;

    /**
     * {@code B ← op(L)⁻¹·B} in place for lower-triangular n×n L and B, off-heap row-major: n³/3 flops instead of the
     * n³ of {@link #trsmLeftLower}, by solving column panel [j, j + w) on the trailing rows only (B's rows above j
     * are zero there). Without transposition the result is the lower-triangular L⁻¹B exactly (B's zeros above the
     * diagonal stay zero). Transposed, only the lower triangle of L⁻ᵀB is formed: entries above the diagonal are
     * unspecified (zero outside the panels' diagonal blocks). Only L's lower triangle is read.
     */
    public static void trsmLeftLowerOnLower(boolean transposed, NativeMatrix l, NativeMatrix b) {
        lowerOnLower(true, transposed, l, b);
    }

    /**
     * {@code B ← op(L)·B} in place for lower-triangular n×n L and B, off-heap row-major, n³/3 flops (as {@link
     * #trsmLeftLowerOnLower}): L·B is lower triangular and formed exactly; for Lᵀ·B only the lower triangle is formed,
     * entries above the diagonal are unspecified.
     */
    public static void trmmLeftLowerOnLower(boolean transposed, NativeMatrix l, NativeMatrix b) {
        lowerOnLower(false, transposed, l, b);
    }

    private static void lowerOnLower(boolean solve, boolean transposed, NativeMatrix t, NativeMatrix b) {
        int n = t.rows();
        if (t.cols() != n || b.rows() != n || b.cols() != n) {
            throw new Kernels4jException("triangular " + (solve ? "solve" : "product") + " of lower-triangular "
                    + "matrices: L is " + t.shape() + ", B is " + b.shape());
        }
        int trans = transposed ? openblas.CblasTrans : openblas.CblasNoTrans;
        Parallelism.blas((long) n * n * n / 3, () -> {
            for (int j = 0; j < n; j += PANEL) {
                int w = Math.min(PANEL, n - j);
                long corner = (long) j * n + j;
                // rows [j, n) of columns [j, j + w): B's rows above j are zero in these columns, and (op(L)·B) or
                // (op(L)⁻¹·B) on rows ≥ j involves only L's trailing block L[j:, j:]
                if (solve) {
                    openblas.cblas_dtrsm(openblas.CblasRowMajor, openblas.CblasLeft, openblas.CblasLower, trans,
                            openblas.CblasNonUnit, n - j, w, 1.0, t.buffer().at(corner), n, b.buffer().at(corner), n);
                } else {
                    openblas.cblas_dtrmm(openblas.CblasRowMajor, openblas.CblasLeft, openblas.CblasLower, trans,
                            openblas.CblasNonUnit, n - j, w, 1.0, t.buffer().at(corner), n, b.buffer().at(corner), n);
                }
            }
            return null;
        });
    }

    /**
     * The lower triangle of {@code α·B·V} into {@code out} for an n×n B and a lower-triangular n×n V, off-heap
     * row-major: column panel [j, j + w) on rows [j, n) is one {@code dgemm} with B[j:, j:] (V's rows above j are
     * zero there), ⅔n³ flops where the full product by {@code dtrmm} costs n³. Entries of {@code out} above the
     * diagonal are unspecified; B and V are not modified ({@code out} must be a third matrix).
     */
    public static void lowerOfProductWithLower(double alpha, NativeMatrix b, NativeMatrix v, NativeMatrix out) {
        int n = v.rows();
        if (v.cols() != n || b.rows() != n || b.cols() != n || out.rows() != n || out.cols() != n) {
            throw new Kernels4jException("lower part of B·V: B is " + b.shape() + ", V is " + v.shape() + ", the output "
                    + out.shape());
        }
        Parallelism.blas(2L * n * n * n / 3, () -> {
            for (int j = 0; j < n; j += PANEL) {
                int w = Math.min(PANEL, n - j);
                long corner = (long) j * n + j;
                openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, n - j, w,
                        n - j, alpha, b.buffer().at(corner), n, v.buffer().at(corner), n, 0.0, out.buffer().at(corner), n);
            }
            return null;
        });
    }

    /**
     * {@code S ← L⁻ᵀ·S·L⁻¹} for a symmetric n×n S (a row-major heap array, both triangles on entry and on return) and
     * a lower-triangular off-heap L (only its lower triangle is read), by LAPACK {@code dsygst} in n³ flops instead of
     * two triangular solves' 2n³: the congruence that turns a symmetric adjoint in L-whitened coordinates back into
     * one for K = LLᵀ. dsygst forms inv(M)·A·inv(Mᵀ) for a lower-triangular M; with J the order reversal,
     * J·L⁻ᵀ·S·L⁻¹·J is that form for M = (J·L·J)ᵀ, and reversing a row-major array applies J on both sides.
     * {@code sWork} and {@code lWork} (n×n, off-heap) are overwritten.
     */
    public static void congruenceInverseLower(NativeMatrix l, double[] s, NativeMatrix sWork, NativeMatrix lWork) {
        int n = l.rows();
        if (l.cols() != n || s.length != (long) n * n || sWork.rows() != n || sWork.cols() != n || lWork.rows() != n
                || lWork.cols() != n) {
            throw new Kernels4jException("congruence: L is " + l.shape() + ", S has " + s.length + " entries, the work "
                    + "matrices are " + sWork.shape() + " and " + lWork.shape());
        }
        if (n == 0) {
            return;
        }
        double[] heap = new double[n * n];
        l.getBlock(0, 0, n, n, heap);
        reverse(heap);
        lWork.putBlock(0, 0, n, n, heap);
        System.arraycopy(s, 0, heap, 0, heap.length);
        reverse(heap);
        sWork.putBlock(0, 0, n, n, heap);
        int info = Parallelism.blas((long) n * n * n, Parallelism.SMALL_FACTORIZATION_FLOPS, () -> openblas.LAPACKE_dsygst(openblas.LAPACK_COL_MAJOR, 1, (byte) 'L', n,
                sWork.buffer().at(0), n, lWork.buffer().at(0), n));
        if (info != 0) {
            throw new IllegalStateException("dsygst failed with info " + info);
        }
        sWork.getBlock(0, 0, n, n, heap);
        // dsygst wrote the col-major lower triangle, i.e. the row-major upper one; reversed, the lower one of S
        for (int e = 0; e < heap.length; e++) {
            s[e] = heap[heap.length - 1 - e];
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                s[j * n + i] = s[i * n + j];
            }
        }
    }

    private static void reverse(double[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * The off-heap triangular operations above in one place: {@code dtrsm} ({@code solve}) or {@code dtrmm} with the
     * lower-triangular n×n T on the left or right of the row-major B, in place, T transposed when asked.
     */
    private static void lowerTriangular(boolean solve, boolean left, boolean transposed, double alpha, String name,
            NativeMatrix t, NativeMatrix b) {
        int n = t.rows();
        if (t.cols() != n || (left ? b.rows() : b.cols()) != n) {
            throw new Kernels4jException("triangular " + (solve ? "solve" : "product") + ": " + name + " is "
                    + t.shape() + ", B is " + b.shape());
        }
        int rows = b.rows();
        int cols = b.cols();
        if (rows == 0 || cols == 0) {
            return;
        }
        int side = left ? openblas.CblasLeft : openblas.CblasRight;
        int trans = transposed ? openblas.CblasTrans : openblas.CblasNoTrans;
        Parallelism.blas((long) n * n * (left ? cols : rows), () -> {
            if (solve) {
                openblas.cblas_dtrsm(openblas.CblasRowMajor, side, openblas.CblasLower, trans, openblas.CblasNonUnit,
                        rows, cols, alpha, t.buffer().at(0), n, b.buffer().at(0), cols);
            } else {
                openblas.cblas_dtrmm(openblas.CblasRowMajor, side, openblas.CblasLower, trans, openblas.CblasNonUnit,
                        rows, cols, alpha, t.buffer().at(0), n, b.buffer().at(0), cols);
            }
            return null;
        });
    }

    /**
     * {@code lower(C) ← α·A·Aᵀ} on off-heap row-major matrices ({@code dsyrk}): A is n×k, C n×n; only C's lower
     * triangle (diagonal included) is written, the strict upper triangle is left as it was. Cost n²·k flops.
     */
    public static void syrkLower(double alpha, NativeMatrix a, NativeMatrix c) {
        int n = a.rows();
        int k = a.cols();
        if (c.rows() != n || c.cols() != n) {
            throw new Kernels4jException("syrk: C must be " + n + "x" + n + ", got " + c.shape());
        }
        if (n == 0) {
            return;
        }
        Parallelism.blas((long) n * n * k, () -> {
            openblas.cblas_dsyrk(openblas.CblasRowMajor, openblas.CblasLower, openblas.CblasNoTrans, n, k, alpha,
                    a.buffer().at(0), Math.max(1, k), 0.0, c.buffer().at(0), n);
            return null;
        });
    }

    /**
     * {@code lower(V) ← lower(Vᵀ·V)} in place for a lower-triangular row-major n×n V (only its lower triangle is
     * read or written), by LAPACK {@code dlauum}: n³/3 flops, a third of {@link #syrkLower} on the same square
     * factor, because both triangles' zeros are skipped. (For V·Vᵀ hand over J·Vᵀ·J, J the order reversal:
     * (J·Vᵀ·J)ᵀ(J·Vᵀ·J) = J·V·Vᵀ·J.)
     */
    public static void lauumLower(NativeMatrix v) {
        int n = v.rows();
        if (v.cols() != n) {
            throw new Kernels4jException("dlauum needs a square matrix, got " + v.shape());
        }
        lauumLower(v.buffer(), n);
    }

    /**
     * {@link #lauumLower(NativeMatrix)} on the first n² doubles of a buffer, row-major: for a caller that kept a
     * triangular inverse in a reused workspace ({@link Cholesky#inverseDiagonal(NativeBuffer)} leaves L⁻¹ there, and
     * lower(L⁻ᵀL⁻¹) is then (L·Lᵀ)⁻¹ for n³/3 more flops).
     */
    public static void lauumLower(NativeBuffer v, int n) {
        if (v.length() < (long) n * n) {
            throw new Kernels4jException("the buffer holds " + v.length() + " doubles, " + (long) n * n + " needed");
        }
        if (n == 0) {
            return;
        }
        // the row-major lower triangle is the column-major upper one: dlauum('U') forms U·Uᵀ with U = Vᵀ
        int info = Parallelism.blas((long) n * n * n / 3, Parallelism.SMALL_FACTORIZATION_FLOPS, () -> openblas.LAPACKE_dlauum(openblas.LAPACK_COL_MAJOR, (byte) 'U', n,
                v.at(0), n));
        if (info != 0) {
            throw new IllegalStateException("dlauum failed with info " + info);
        }
    }

    /**
     * Cholesky factorization in place without jitter ({@code dpotrf}): the lower triangle of the row-major
     * symmetric n×n {@code a} becomes L with A = L·Lᵀ (the strict upper triangle is not touched). Returns false,
     * with {@code a}'s lower triangle partly overwritten, when A is not numerically positive definite. n³/3 flops.
     * {@link Cholesky} is the general tool (jitter, solves); this is for a caller that reuses one buffer.
     */
    public static boolean choleskyInPlace(NativeMatrix a) {
        if (a.cols() != a.rows()) {
            throw new Kernels4jException("Cholesky needs a square matrix, got " + a.shape());
        }
        if (a.rows() == 0) {
            return true;
        }
        int info = potrfLower(a);
        if (info < 0) {
            throw new IllegalStateException("dpotrf rejected argument " + (-info));
        }
        return info == 0;
    }

    /**
     * Overwrites the lower Cholesky factor L held in {@code l}'s lower triangle (row-major) with the lower
     * triangle of (L·Lᵀ)⁻¹, in place ({@code dpotri}: 2n³/3 flops).
     */
    public static void inverseFromCholeskyInPlace(NativeMatrix l) {
        if (l.cols() != l.rows()) {
            throw new Kernels4jException("dpotri needs a square matrix, got " + l.shape());
        }
        if (l.rows() == 0) {
            return;
        }
        int info = potriLower(l);
        if (info != 0) {
            throw new IllegalStateException("dpotri failed with info " + info);
        }
    }

    // Why COL_MAJOR with 'U' below: LAPACKE's row-major entry points transpose the whole n×n matrix
    // into a temporary and back (n² extra memory, two slow passes). The lower triangle of a row-major
    // array is, byte for byte, the upper triangle of the same array read column-major, so calling the
    // column-major routine on the upper triangle does the same work with no transposition.

    /** LAPACK {@code dpotrf} on the lower triangle of a row-major n×n off-heap matrix; returns LAPACK's info. */
    static int potrfLower(NativeMatrix a) {
        int n = a.rows();
        return Parallelism.blas((long) n * n * n / 3, Parallelism.SMALL_FACTORIZATION_FLOPS, () -> openblas.LAPACKE_dpotrf(openblas.LAPACK_COL_MAJOR, (byte) 'U', n,
                a.buffer().at(0), n));
    }

    /**
     * LAPACK {@code dpotri}: overwrites the lower Cholesky factor L (row-major, off heap) with the
     * lower triangle of (L·Lᵀ)⁻¹; returns LAPACK's info.
     */
    static int potriLower(NativeMatrix a) {
        int n = a.rows();
        return Parallelism.blas(2L * n * n * n / 3, Parallelism.SMALL_FACTORIZATION_FLOPS, () -> openblas.LAPACKE_dpotri(openblas.LAPACK_COL_MAJOR, (byte) 'U', n,
                a.buffer().at(0), n));
    }

    /**
     * LAPACK {@code dtrtri}: overwrites the lower-triangular L (row-major, off heap; its strict upper
     * triangle is neither read nor written) with L⁻¹; returns LAPACK's info. Cost n³/3 flops.
     */
    static int trtriLower(NativeBuffer a, int n) {
        return Parallelism.blas((long) n * n * n / 3, Parallelism.SMALL_FACTORIZATION_FLOPS, () -> openblas.LAPACKE_dtrtri(openblas.LAPACK_COL_MAJOR, (byte) 'U', (byte) 'N', n,
                a.at(0), n));
    }

    /**
     * LAPACK {@code dpotrs} with the lower Cholesky factor L held row-major in {@code l}: B ← (L·Lᵀ)⁻¹·B,
     * where B is n×nrhs stored COLUMN-major off the heap.
     */
    static int potrsLower(NativeMatrix l, NativeBuffer bColumnMajor, int nrhs) {
        int n = l.rows();
        return Parallelism.blas(2L * n * n * nrhs, () -> openblas.LAPACKE_dpotrs(openblas.LAPACK_COL_MAJOR, (byte) 'U', n, nrhs,
                l.buffer().at(0), n, bColumnMajor.at(0), n));
    }

    /**
     * {@code B ← op(L)⁻¹·B} for the lower-triangular L held row-major in {@code l} ({@code dtrsm}); B is
     * n×nrhs row-major off the heap.
     */
    static void trsmLower(NativeMatrix l, boolean transL, NativeBuffer b, int nrhs) {
        int n = l.rows();
        Parallelism.blas((long) n * n * nrhs, () -> {
            openblas.cblas_dtrsm(openblas.CblasRowMajor, openblas.CblasLeft, openblas.CblasLower,
                    transL ? openblas.CblasTrans : openblas.CblasNoTrans, openblas.CblasNonUnit, n, nrhs, 1.0,
                    l.buffer().at(0), n, b.at(0), nrhs);
            return null;
        });
    }

    /**
     * LAPACK {@code dsyevd} on the lower triangle of a row-major symmetric array: eigenvalues ascending
     * into w; eigenvector k ends up in ROW k of a (the column-major result read row-major).
     */
    static int syevdRows(double[] a, int n, double[] w) {
        return Parallelism.blas(9L * n * n * n, () -> openblas.LAPACKE_dsyevd(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n, a,
                n, w));
    }

    /**
     * LAPACK {@code dsyevr} with an index range on the lower triangle of a row-major symmetric array
     * (destroyed): the eigenvalues with ascending 1-based indices from..to into w[0..k), k = to − from + 1,
     * their eigenvectors column-major into z (n×k, leading dimension n); found[0] is the number of pairs
     * found. Returns LAPACK's info.
     */
    static int syevrRange(double[] a, int n, int from, int to, int[] found, double[] w, double[] z) {
        int[] support = new int[2 * Math.max(1, to - from + 1)];
        return Parallelism.blas(2L * n * n * n, () -> openblas.LAPACKE_dsyevr(openblas.LAPACK_COL_MAJOR, (byte) 'V', (byte) 'I',
                (byte) 'U', n, a, n, 0.0, 0.0, from, to, 0.0, found, w, z, n, support));
    }

    private static void scaleInPlace(Matrix c, double beta) {
        double[] d = c.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = beta == 0 ? 0 : beta * d[i];
        }
    }
}
