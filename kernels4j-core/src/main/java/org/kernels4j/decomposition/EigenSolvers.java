package org.kernels4j.decomposition;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeMatrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * The iterative top-k eigensolvers of {@link KernelPca} for a symmetric positive semi-definite operator A
 * (the centred Gram matrix J·K·J, J = I − 11ᵀ/n, or K itself) that is only ever multiplied by blocks of
 * vectors. Vectors are held as the ROWS of a b×n matrix, so that a basis is one contiguous array.
 */
final class EigenSolvers {
    private EigenSolvers() {
    }

    /**
     * Runs a small dense step (Gram–Schmidt, Rayleigh–Ritz) as one block task, so its BLAS calls are
     * single-threaded: on a loaded machine, many small multi-threaded calls stall waiting for each other's
     * threads (measured: 4 s instead of 1 s for a 2000-point fit with 25 passes, 2 shared cores).
     */
    static <T> T single(java.util.function.Supplier<T> step) {
        java.util.concurrent.atomic.AtomicReference<T> out = new java.util.concurrent.atomic.AtomicReference<>();
        org.kernels4j.linalg.Parallelism.forEachBlock(1, i -> out.set(step.get()));
        return out.get();
    }

    /** A symmetric n×n operator applied to b vectors at once (the rows of a b×n matrix). */
    interface Operator {
        int size();

        Matrix timesRows(Matrix rows);
    }

    /** The top pairs found: values descending, unit vectors as rows (k×n), and what it cost. */
    record Result(double[] values, Matrix vectorRows, int passes, int restarts, double maxRelativeResidual) {
    }

    /**
     * J·K·J (centred) or K for an off-heap Gram matrix: one pass over K per product, O(n·b) for the
     * centring (J·V subtracts each vector's mean), so K itself is never centred in place.
     */
    static Operator gram(NativeMatrix k, boolean centre) {
        return new Operator() {
            @Override
            public int size() {
                return k.rows();
            }

            @Override
            public Matrix timesRows(Matrix rows) {
                Matrix v = rows.copy();
                if (centre) {
                    centreRows(v);
                }
                Matrix w = k.times(v.transpose()).transpose();
                if (centre) {
                    centreRows(w);
                }
                return w;
            }
        };
    }

    /** Subtracts from every row its mean: v ← v·J. */
    static void centreRows(Matrix v) {
        int n = v.cols();
        double[] d = v.data();
        for (int r = 0; r < v.rows(); r++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += d[r * n + i];
            }
            double mean = s / n;
            for (int i = 0; i < n; i++) {
                d[r * n + i] -= mean;
            }
        }
    }

    /**
     * Restarted block Krylov (block Lanczos with full reorthogonalization and Rayleigh–Ritz): from b
     * orthonormal start vectors V, the basis Q = [V, AV, A²V, …] grows (each new block orthogonalized
     * twice against all of Q) to at most {@code maxBasis} vectors; the Ritz pairs of Qᵀ·A·Q (from the
     * products A·Q already computed, no extra pass) give the b best approximations, and the search
     * restarts from them until every one of the k wanted pairs has ‖A·u − θ·u‖ ≤ tol·θ_1. The
     * eigenvalue error is then at most about (tol·θ_1)²/gap. Each product with a b-column block is one
     * pass over A, which for a dense Gram matrix costs what one matrix-vector product costs (the pass is
     * memory-bound), so a block of b vectors moves b times further per pass than ARPACK's single vector.
     */
    static Result blockKrylov(Operator a, int k, int block, int maxBasis, double tol, int maxRestarts, long seed) {
        int n = a.size();
        int b = Math.min(n, block);
        int p = Math.min(n, Math.max(maxBasis, b));
        Matrix v = single(() -> orthonormalRows(gaussianRows(b, n, seed), null));
        int passes = 0;
        for (int restart = 0;; restart++) {
            List<Matrix> qs = new ArrayList<>();
            List<Matrix> ws = new ArrayList<>();
            int size = 0;
            Matrix cur = v;
            while (true) {
                Matrix w = a.timesRows(cur);
                passes++;
                qs.add(cur);
                ws.add(w);
                size += cur.rows();
                if (size >= p) {
                    break;
                }
                Matrix next = single(() -> orthonormalRows(w.copy(), stack(qs, n)));
                if (next.rows() == 0) {
                    break; // the Krylov space is invariant: its Ritz pairs are exact
                }
                if (size + next.rows() > p) {
                    next = next.rowRange(0, p - size);
                }
                cur = next;
            }
            Matrix q = stack(qs, n);
            Matrix w = stack(ws, n);
            int keep = Math.min(b, q.rows());
            Ritz ritz = single(() -> ritz(q, w, keep));
            double worst = maxResidual(ritz, k);
            boolean invariant = size < p && size < n;
            if (worst <= tol || size >= n || invariant || q.rows() < b) {
                return new Result(java.util.Arrays.copyOf(ritz.values, k), ritz.vectors.rowRange(0, k), passes, restart,
                        worst);
            }
            if (restart >= maxRestarts) {
                throw new Kernels4jException("the Lanczos eigensolver did not reach a relative residual of " + tol
                        + " in " + passes + " passes over the kernel matrix (reached " + worst
                        + "); use the dense or randomized solver");
            }
            v = single(() -> orthonormalRows(ritz.vectors, null));
        }
    }

    /**
     * Randomized subspace iteration (Halko, Martinsson &amp; Tropp, 2011, Algorithms 4.3/4.4): l = k +
     * oversampling Gaussian vectors Ω (seeded), Y = A·Ω, then q times Y ← A·orth(Y), and the
     * Rayleigh–Ritz pairs of Q = orth(Y): Qᵀ·A·Q = S·Θ·Sᵀ, u = Q·s. Passes over A: q + 2.
     */
    static Result randomized(Operator a, int k, int oversampling, int powerIterations, long seed) {
        int n = a.size();
        int l = Math.min(n, k + oversampling);
        Matrix y = a.timesRows(gaussianRows(l, n, seed));
        int passes = 1;
        for (int it = 0; it < powerIterations; it++) {
            Matrix current = y;
            y = a.timesRows(single(() -> orthonormalRows(current, null)));
            passes++;
        }
        Matrix last = y;
        Matrix q = single(() -> {
            Matrix o = orthonormalRows(last, null);
            return o.rows() < k ? completeRows(o, k, seed + 1) : o;
        });
        Matrix w = a.timesRows(q);
        passes++;
        Ritz ritz = single(() -> ritz(q, w, k));
        return new Result(ritz.values, ritz.vectors, passes, 0, maxResidual(ritz, k));
    }

    /** Ritz values (descending) and vectors (rows) of the top {@code keep} pairs, with A·u (rows). */
    private record Ritz(double[] values, Matrix vectors, Matrix products) {
    }

    private static Ritz ritz(Matrix q, Matrix w, int keep) {
        int p = q.rows();
        Matrix t = new Matrix(p, p);
        Blas.gemm(false, true, 1.0, q, w, 0.0, t); // Qᵀ·A·Q (rows: Q·(AQ)ᵀ)
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < i; j++) {
                double s = 0.5 * (t.get(i, j) + t.get(j, i));
                t.set(i, j, s);
                t.set(j, i, s);
            }
        }
        SymmetricEigen e = SymmetricEigen.of(t);
        Matrix s = new Matrix(keep, p); // rows: the top eigenvectors of T, largest first
        double[] values = new double[keep];
        for (int j = 0; j < keep; j++) {
            int col = p - 1 - j;
            values[j] = e.value(col);
            for (int i = 0; i < p; i++) {
                s.set(j, i, e.vectors().get(i, col));
            }
        }
        return new Ritz(values, s.times(q), s.times(w));
    }

    /** max over the first k pairs of ‖A·u − θ·u‖ / |θ_1|. */
    private static double maxResidual(Ritz r, int k) {
        int n = r.vectors.cols();
        double top = Math.max(Math.abs(r.values[0]), Double.MIN_NORMAL);
        double worst = 0;
        for (int j = 0; j < Math.min(k, r.values.length); j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                double d = r.products.get(j, i) - r.values[j] * r.vectors.get(j, i);
                s += d * d;
            }
            worst = Math.max(worst, Math.sqrt(s) / top);
        }
        return worst;
    }

    /** Standard normal rows, b×n, from a seeded generator. */
    static Matrix gaussianRows(int b, int n, long seed) {
        Random r = new Random(seed);
        Matrix g = new Matrix(b, n);
        double[] d = g.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextGaussian();
        }
        return g;
    }

    /** Rows of several b_i×n blocks on top of each other. */
    private static Matrix stack(List<Matrix> blocks, int n) {
        int rows = 0;
        for (Matrix m : blocks) {
            rows += m.rows();
        }
        Matrix out = new Matrix(rows, n);
        int at = 0;
        for (Matrix m : blocks) {
            System.arraycopy(m.data(), 0, out.data(), at, m.data().length);
            at += m.data().length;
        }
        return out;
    }

    /**
     * Orthonormal rows spanning the part of v's rows orthogonal to the (orthonormal) rows of
     * {@code basis}, all at BLAS speed: block Gram–Schmidt against the basis, then SVQB (Stathopoulos &amp;
     * Wu, 2002: G = V·Vᵀ = U·S·Uᵀ of the row-normalised block, V ← S^(−½)·Uᵀ·V), the whole done twice
     * ("twice is enough"). Rows that keep no more than 1e-12 of their norm after the projection are rounding
     * noise and dropped, as are directions with S below 1e-12 (dependent rows). v is overwritten.
     */
    static Matrix orthonormalRows(Matrix v, Matrix basis) {
        int n = v.cols();
        for (int pass = 0; pass < 2 && v.rows() > 0; pass++) {
            double[] before = rowNorms(v);
            if (basis != null && basis.rows() > 0) {
                Matrix c = new Matrix(v.rows(), basis.rows());
                Blas.gemm(false, true, 1.0, v, basis, 0.0, c);
                Blas.gemm(false, false, -1.0, c, basis, 1.0, v);
            }
            double[] after = rowNorms(v);
            int kept = 0;
            for (int r = 0; r < after.length; r++) {
                kept += after[r] > 1e-12 * before[r] && after[r] > 0 ? 1 : 0;
            }
            Matrix w = new Matrix(kept, n);
            for (int r = 0, at = 0; r < after.length; r++) {
                if (after[r] > 1e-12 * before[r] && after[r] > 0) {
                    for (int i = 0; i < n; i++) {
                        w.data()[at * n + i] = v.data()[r * n + i] / after[r];
                    }
                    at++;
                }
            }
            v = svqb(w);
        }
        return v;
    }

    /** S^(−½)·Uᵀ·V over the eigenpairs of G = V·Vᵀ with S &gt; 1e-12·(number of rows), for unit rows V. */
    private static Matrix svqb(Matrix v) {
        int b = v.rows();
        if (b == 0) {
            return v;
        }
        Matrix g = new Matrix(b, b);
        Blas.gemm(false, true, 1.0, v, v, 0.0, g);
        SymmetricEigen e = SymmetricEigen.of(g);
        int kept = 0;
        for (int j = 0; j < b; j++) {
            kept += e.value(j) > 1e-12 * b ? 1 : 0;
        }
        Matrix m = new Matrix(kept, b);
        for (int j = b - kept, r = 0; j < b; j++, r++) {
            double s = 1 / Math.sqrt(e.value(j));
            for (int i = 0; i < b; i++) {
                m.set(r, i, e.vectors().get(i, j) * s);
            }
        }
        return m.times(v);
    }

    private static double[] rowNorms(Matrix v) {
        double[] out = new double[v.rows()];
        for (int r = 0; r < out.length; r++) {
            out[r] = norm(v.data(), r * v.cols(), v.cols());
        }
        return out;
    }

    /** Adds seeded random orthonormal rows to q until it has k rows (when the range found was too small). */
    private static Matrix completeRows(Matrix q, int k, long seed) {
        int n = q.cols();
        Matrix extra = orthonormalRows(gaussianRows(k - q.rows(), n, seed), q);
        List<Matrix> both = new ArrayList<>(List.of(q, extra));
        return stack(both, n);
    }

    private static double norm(double[] d, int from, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += d[from + i] * d[from + i];
        }
        return Math.sqrt(s);
    }
}
