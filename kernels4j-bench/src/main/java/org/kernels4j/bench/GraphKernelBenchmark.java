package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import org.bytedeco.openblas.global.openblas;
import org.kernels4j.kernel.graph.Graph;
import org.kernels4j.kernel.graph.GraphKernels;
import org.kernels4j.kernel.graph.GraphMeasure;
import org.kernels4j.kernel.graph.GraphSpectra;
import org.kernels4j.kernel.graph.PreparedMeasure;
import org.kernels4j.kernel.graph.RandomGraphs;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * {@code bench graph}: a parameter sweep of the eight spectral graph kernels (walk, forest, comm, heat, nheat, ppr,
 * modifppr, heatpr), each plain and log (16 measures), on an SBM graph. The eigen route ({@link PreparedMeasure}: three
 * shared decompositions, then per measure and value one {@code dsyrk}, for a log measure followed by the element-wise
 * log) against recomputing each kernel per value densely — Cholesky inverse ({@code dpotrf}/{@code dpotri}) where the
 * matrix is SPD (walk I − tA, forest I + tL, modifppr D − αA), LU inverse ({@code dgetrf}/{@code dgetri}) for ppr's
 * I − αD⁻¹A, and expm by Padé(13) scaling and squaring (Higham 2005, the degree-13 branch of scipy's {@code expm})
 * with BLAS GEMMs and {@code dgesv} for comm, heat, nheat, heatpr — a dense log measure is the dense plain kernel
 * plus its element-wise log. (scipy chooses the Padé degree 3…13 from norm estimates; this baseline always uses 13,
 * which at small norms costs at most 2 GEMMs more than scipy's choice — the squarings dominate at large t.) Both routes are timed in one run; their largest relative difference (plain:
 * |a − b|/max|b|; log: |a − b|/max(1, |b|)) is reported per measure.
 *
 * <p>The dense route recomputes {@code denseValues} of the grid's values (spread over it) per measure; its time per
 * value is what is compared, and the dense sweep time is that per-value time × the number of values.
 *
 * <p>Why the LU calls run on their own thread: OpenBLAS's threaded {@code getrf} keeps a job table of about
 * MAX_CPU_NUMBER² cache lines (≈ 2 MB in the bytedeco build) on the calling thread's stack; a Java thread's default
 * 1 MB stack overflows and the JVM dies with SIGSEGV (with {@code -Xss4m}, or one BLAS thread, it does not). Cholesky,
 * GEMM and the eigensolvers do not do this.
 */
public final class GraphKernelBenchmark {
    /**
     * @param n nodes (SBM with 2 blocks, p_in = 40/n, p_out = 8/n, seed 1000 + n)
     * @param values parameter values t′ of the sweep, evenly in (0, 1): (k + 1)/(values + 1)
     * @param denseValues how many of those the dense baseline recomputes per measure (1 ≤ denseValues ≤ values)
     */
    public record Options(int n, int values, int denseValues) {
        /** Checks the ranges. */
        public Options {
            if (n < 10 || values < 1 || denseValues < 1 || denseValues > values) {
                throw new IllegalArgumentException("need n >= 10, values >= 1, 1 <= denseValues <= values; got " + n
                        + ", " + values + ", " + denseValues);
            }
        }

        /** The run: n = 2,000, 30 values, 3 of them recomputed densely per measure. */
        public static Options full() {
            return new Options(2000, 30, 3);
        }

        /** A quick run (seconds): n = 300, 30 values, 3 recomputed densely. */
        public static Options quick() {
            return new Options(300, 30, 3);
        }
    }

    /**
     * @param measure measure id (e.g. "walk", "log-walk")
     * @param eigenSecondsPerValue eigen route per value (decompositions excluded)
     * @param denseSecondsPerValue dense route per value
     * @param maxRelativeDifference largest relative difference between the routes over the dense values
     */
    public record Row(String measure, double eigenSecondsPerValue, double denseSecondsPerValue,
            double maxRelativeDifference) {
        /** dense / eigen time per value. */
        public double ratio() {
            return denseSecondsPerValue / eigenSecondsPerValue;
        }
    }

    /**
     * @param decompositionSeconds the three shared eigendecompositions (A, L, D^-1/2 A D^-1/2)
     * @param eigenSweepSeconds eigen route: decompositions + every value of every measure
     * @param denseSweepSecondsEstimate dense route for the same values (per-value time × values, summed over measures)
     * @param ratio denseSweepSecondsEstimate / eigenSweepSeconds
     */
    public record Result(int n, int edges, int values, double decompositionSeconds, List<Row> rows,
            double eigenSweepSeconds, double denseSweepSecondsEstimate, double ratio) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }

        /** Largest relative difference between the routes over all measures. */
        public double maxRelativeDifference() {
            double m = 0;
            for (Row r : rows) {
                m = Math.max(m, r.maxRelativeDifference());
            }
            return m;
        }
    }

    /** The plain measures of the sweep; each comes with its log form. */
    static final GraphMeasure[] MEASURES = {GraphMeasure.WALK, GraphMeasure.FOREST, GraphMeasure.COMM,
        GraphMeasure.HEAT, GraphMeasure.NHEAT, GraphMeasure.PPR, GraphMeasure.MODIFPPR, GraphMeasure.HEATPR};

    private GraphKernelBenchmark() {
    }

    /** The sweep's rescaled values (k + 1)/(values + 1), k = 0 … values − 1. */
    static double[] grid(int values) {
        double[] grid = new double[values];
        for (int k = 0; k < values; k++) {
            grid[k] = (k + 1.0) / (values + 1.0);
        }
        return grid;
    }

    /** The benchmark's graph: a 2-block SBM, connected (checked: the log forms need it). */
    static Graph graph(int n) {
        Graph g = RandomGraphs.stochasticBlockModel(n, 2, 40.0 / n, 8.0 / n, 1000 + n).graph();
        g.requireConnected("the benchmark's log kernels");
        return g;
    }

    /** Runs the benchmark. */
    public static Result run(Options o) {
        Graph g = graph(o.n());
        double[] grid = grid(o.values());
        long t0 = System.nanoTime();
        GraphSpectra spectra = GraphSpectra.of(g);
        spectra.adjacency();
        spectra.laplacian();
        spectra.normalizedAdjacency("benchmark kernels");
        double decomposition = (System.nanoTime() - t0) / 1e9;
        List<Row> rows = new ArrayList<>();
        double eigenAll = decomposition;
        double denseAll = 0;
        int step = grid.length / o.denseValues();
        for (GraphMeasure m : MEASURES) {
            PreparedMeasure plain = m.prepare(spectra);
            PreparedMeasure log = GraphMeasure.valueOf("LOG_" + m.name()).prepare(spectra);
            double[] eigen = new double[2];
            PreparedMeasure[] both = {plain, log};
            for (int w = 0; w < 2; w++) {
                long s = System.nanoTime();
                for (double tp : grid) {
                    both[w].kernelAtScaled(tp);
                }
                eigen[w] = (System.nanoTime() - s) / 1e9;
                eigenAll += eigen[w];
            }
            double densePlain = 0;
            double denseLog = 0;
            double[] diff = new double[2];
            for (int c = 0; c < o.denseValues(); c++) {
                double t = plain.parameter(grid[step / 2 + c * step]);
                long d0 = System.nanoTime();
                Matrix h = dense(m, g, t);
                long d1 = System.nanoTime();
                Matrix lh = GraphKernels.log(h, g, "dense " + m.id());
                long d2 = System.nanoTime();
                densePlain += (d1 - d0) / 1e9;
                denseLog += (d2 - d0) / 1e9; // the log measure needs the plain kernel first
                diff[0] = Math.max(diff[0], relative(plain.kernel(t), h, false));
                diff[1] = Math.max(diff[1], relative(log.kernel(t), lh, true));
            }
            double[] densePerValue = {densePlain / o.denseValues(), denseLog / o.denseValues()};
            for (int w = 0; w < 2; w++) {
                denseAll += densePerValue[w] * grid.length;
                rows.add(new Row(both[w].measure().id(), eigen[w] / grid.length, densePerValue[w], diff[w]));
            }
        }
        return new Result(g.size(), g.edgeCount(), grid.length, decomposition, rows, eigenAll, denseAll,
                denseAll / eigenAll);
    }

    private static double relative(Matrix a, Matrix b, boolean log) {
        double scale = 0;
        for (double v : b.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        double worst = 0;
        for (int k = 0; k < a.data().length; k++) {
            double bk = b.data()[k];
            worst = Math.max(worst, Math.abs(a.data()[k] - bk) / (log ? Math.max(1, Math.abs(bk)) : scale));
        }
        return worst;
    }

    /** The kernel by a dense inverse or matrix exponential of the defining matrix. */
    static Matrix dense(GraphMeasure m, Graph g, double t) {
        int n = g.size();
        Matrix a = g.adjacency();
        double[] d = g.degrees();
        Matrix x = new Matrix(n, n);
        double[] xd = x.data();
        double[] ad = a.data();
        switch (m) {
            case WALK, FOREST, MODIFPPR -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double diag = i != j ? 0 : m == GraphMeasure.MODIFPPR ? d[i] : 1 + (m == GraphMeasure.FOREST ? t * d[i] : 0);
                        xd[i * n + j] = diag - t * ad[i * n + j]; // I − tA, I + tD − tA, D − αA
                    }
                }
                return Cholesky.factor(x, m.id()).inverse();
            }
            case PPR -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        xd[i * n + j] = (i == j ? 1 : 0) - t * ad[i * n + j] / d[i];
                    }
                }
                return luInverse(x);
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double v = ad[i * n + j];
                        xd[i * n + j] = switch (m) {
                            case COMM -> t * v;
                            case HEAT -> -t * ((i == j ? d[i] : 0) - v);
                            case NHEAT -> -t * ((i == j ? 1 : 0) - v / Math.sqrt(d[i] * d[j]));
                            default -> -t * ((i == j ? 1 : 0) - v / d[i]); // HEATPR
                        };
                    }
                }
                return expm(x);
            }
        }
    }

    static Matrix luInverse(Matrix x) {
        int n = x.rows();
        Matrix c = x.copy();
        int[] piv = new int[n];
        check("dgetrf", Parallelism.blas(() -> onLargeStack(
                () -> openblas.LAPACKE_dgetrf(openblas.LAPACK_ROW_MAJOR, n, n, c.data(), n, piv))));
        check("dgetri", Parallelism.blas(() -> onLargeStack(
                () -> openblas.LAPACKE_dgetri(openblas.LAPACK_ROW_MAJOR, n, c.data(), n, piv))));
        return c;
    }

    private static void check(String routine, int info) {
        if (info != 0) {
            throw new IllegalStateException(routine + " failed, info = " + info);
        }
    }

    /** Runs a LAPACK call on a thread with a 64 MB stack (see the class comment: threaded getrf's stack use). */
    static int onLargeStack(IntSupplier call) {
        int[] out = new int[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                out[0] = call.getAsInt();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "lapack-large-stack", 64L << 20);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (failure[0] != null) {
            throw new IllegalStateException(failure[0]);
        }
        return out[0];
    }

    private static final double[] B = {64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800.,
        129060195264000., 10559470521600., 670442572800., 33522128640., 1323241920., 40840800., 960960., 16380., 182.,
        1.};

    /** exp(X) by Padé(13) with scaling and squaring (Higham 2005; θ₁₃ = 5.37, the 1-norm decides the scaling). */
    static Matrix expm(Matrix x) {
        int n = x.rows();
        double norm = 0;
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += Math.abs(x.get(i, j));
            }
            norm = Math.max(norm, s);
        }
        int s = Math.max(0, (int) Math.ceil(Math.log(norm / 5.371920351148152) / Math.log(2)));
        Matrix a = x.copy();
        double f = Math.pow(2, -s);
        for (int k = 0; k < a.data().length; k++) {
            a.data()[k] *= f;
        }
        Matrix a2 = mul(a, a);
        Matrix a4 = mul(a2, a2);
        Matrix a6 = mul(a4, a2);
        Matrix id = Matrix.identity(n);
        Matrix u1 = comb(B[13], a6, B[11], a4, B[9], a2, 0, id);
        Matrix u = comb(1, mul(a6, u1), B[7], a6, B[5], a4, B[3], a2);
        add(u, B[1], id);
        u = mul(a, u);
        Matrix v1 = comb(B[12], a6, B[10], a4, B[8], a2, 0, id);
        Matrix v = comb(1, mul(a6, v1), B[6], a6, B[4], a4, B[2], a2);
        add(v, B[0], id);
        Matrix p = comb(1, v, 1, u, 0, id, 0, id);
        Matrix q = comb(1, v, -1, u, 0, id, 0, id);
        int[] piv = new int[n];
        check("dgesv", Parallelism.blas(() -> onLargeStack(
                () -> openblas.LAPACKE_dgesv(openblas.LAPACK_ROW_MAJOR, n, n, q.data(), n, piv, p.data(), n))));
        Matrix r = p;
        for (int k = 0; k < s; k++) {
            r = mul(r, r);
        }
        return r;
    }

    private static Matrix mul(Matrix a, Matrix b) {
        Matrix c = new Matrix(a.rows(), b.cols());
        Blas.gemm(false, false, 1, a, b, 0, c);
        return c;
    }

    private static Matrix comb(double c1, Matrix m1, double c2, Matrix m2, double c3, Matrix m3, double c4, Matrix m4) {
        Matrix out = new Matrix(m1.rows(), m1.cols());
        double[] o = out.data();
        for (int k = 0; k < o.length; k++) {
            o[k] = c1 * m1.data()[k] + c2 * m2.data()[k] + c3 * m3.data()[k] + c4 * m4.data()[k];
        }
        return out;
    }

    private static void add(Matrix m, double c, Matrix id) {
        for (int k = 0; k < m.data().length; k++) {
            m.data()[k] += c * id.data()[k];
        }
    }

    /** Prints a run: {@code GraphKernelBenchmark [quick | n values denseValues]} (no argument: the full run). */
    public static void main(String[] args) {
        Options o = args.length == 0 ? Options.full() : args[0].equals("quick") ? Options.quick()
                : new Options(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        run(new Options(200, 3, 1)); // warm-up (JIT, native libraries)
        Result r = run(o);
        System.out.printf("n=%d edges=%d values=%d threads=%d, decompositions %.2fs%n", r.n(), r.edges(), r.values(),
                Parallelism.threads(), r.decompositionSeconds());
        for (Row row : r.rows()) {
            System.out.printf("%-13s eigen %.4fs/value  dense %.4fs/value  x%.1f  maxRelDiff %.1e%n", row.measure(),
                    row.eigenSecondsPerValue(), row.denseSecondsPerValue(), row.ratio(), row.maxRelativeDifference());
        }
        System.out.printf("sweep: eigen %.1fs (incl. decompositions), dense %.1fs (per-value x values), ratio %.1f%n",
                r.eigenSweepSeconds(), r.denseSweepSecondsEstimate(), r.ratio());
    }
}
