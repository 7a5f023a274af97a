package org.kernels4j.bench;

import java.util.ArrayList;
import java.util.List;
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
 * modifppr, heatpr), each plain and log, on an SBM graph: the eigen route ({@link PreparedMeasure}: one shared
 * decomposition per matrix, then one {@code dsyrk} per value, the log taken from the same product) against
 * recomputing each kernel per value densely — Cholesky inverse where the matrix is SPD (walk, forest, modifppr),
 * LU inverse ({@code dgetrf}/{@code dgetri}) for ppr, and expm by Padé(13) scaling and squaring (Higham 2005, as
 * scipy's {@code expm}) with BLAS GEMMs and {@code dgesv} — then ln of that. Both routes are timed in one run, and
 * their largest relative difference (over entries, |a − b|/max|b|; for logs, |a − b|/max(1, |b|)) is reported.
 *
 * <p>STATUS (unfinished): the first full run (n = 600) died with SIGSEGV after the Cholesky baselines, most likely in
 * the LAPACKE_dgesv / dgetri calls on heap arrays below; not yet debugged, no numbers measured.
 */
public final class GraphKernelBenchmark {
    /**
     * @param n nodes (SBM with 2 blocks, p_in = 20/n·2, p_out = 4/n·2, seed 1000 + n)
     * @param values parameter values t′ of the eigen sweep, evenly in (0, 1)
     * @param denseValues how many of those the dense baseline recomputes (≤ values; per-value time is what is compared)
     */
    public record Options(int n, int values, int denseValues) {
    }

    /**
     * @param measure plain measure id
     * @param eigenSecondsPerValue eigen route, plain + log, per value (decomposition excluded)
     * @param denseSecondsPerValue dense route, plain + log, per value
     * @param maxRelativeDifference largest relative difference between the routes, plain and log
     */
    public record Row(String measure, double eigenSecondsPerValue, double denseSecondsPerValue,
            double maxRelativeDifference) {
    }

    /**
     * @param decompositionSeconds the three shared eigendecompositions (A, L, D^-1/2 A D^-1/2)
     * @param eigenSweepSeconds eigen route: decompositions + every value of every measure
     * @param denseSweepSecondsEstimate dense route for the same number of values (per-value time × values)
     * @param ratio denseSweepSecondsEstimate / eigenSweepSeconds
     */
    public record Result(int n, int edges, double decompositionSeconds, List<Row> rows, double eigenSweepSeconds,
            double denseSweepSecondsEstimate, double ratio) {
        /** Copies the rows. */
        public Result {
            rows = List.copyOf(rows);
        }
    }

    private static final GraphMeasure[] MEASURES = {GraphMeasure.WALK, GraphMeasure.FOREST, GraphMeasure.COMM,
        GraphMeasure.HEAT, GraphMeasure.NHEAT, GraphMeasure.PPR, GraphMeasure.MODIFPPR, GraphMeasure.HEATPR};

    private GraphKernelBenchmark() {
    }

    /** Runs the benchmark. */
    public static Result run(Options o) {
        Graph g = RandomGraphs.stochasticBlockModel(o.n(), 2, 40.0 / o.n(), 8.0 / o.n(), 1000 + o.n()).graph();
        // the log forms need a connected graph; the SBM at these densities is connected with overwhelming probability
        g.requireConnected("the benchmark's log kernels");
        double[] grid = new double[o.values()];
        for (int k = 0; k < grid.length; k++) {
            grid[k] = (k + 1.0) / (grid.length + 1.0);
        }
        long t0 = System.nanoTime();
        GraphSpectra spectra = GraphSpectra.of(g);
        spectra.adjacency();
        spectra.laplacian();
        spectra.normalizedAdjacency("benchmark kernels");
        double decomposition = (System.nanoTime() - t0) / 1e9;
        List<Row> rows = new ArrayList<>();
        double eigenAll = decomposition;
        double densePerValueAll = 0;
        for (GraphMeasure m : MEASURES) {
            PreparedMeasure plain = m.prepare(spectra);
            PreparedMeasure log = GraphMeasure.valueOf("LOG_" + m.name()).prepare(spectra);
            long s = System.nanoTime();
            for (double tp : grid) {
                plain.kernelAtScaled(tp);
                log.kernelAtScaled(tp);
            }
            double eigen = (System.nanoTime() - s) / 1e9;
            eigenAll += eigen;
            double dense = 0;
            double diff = 0;
            int step = Math.max(1, grid.length / Math.max(1, o.denseValues()));
            int count = 0;
            for (int k = 0; k < grid.length && count < o.denseValues(); k += step, count++) {
                double t = plain.parameter(grid[k]);
                long d0 = System.nanoTime();
                Matrix h = dense(m, g, t);
                Matrix lh = GraphKernels.log(h, g, "dense " + m.id());
                dense += (System.nanoTime() - d0) / 1e9;
                diff = Math.max(diff, relative(plain.kernel(t), h, false));
                diff = Math.max(diff, relative(log.kernel(t), lh, true));
            }
            double densePerValue = dense / count;
            densePerValueAll += densePerValue;
            rows.add(new Row(m.id(), eigen / grid.length, densePerValue, diff));
        }
        double denseSweep = densePerValueAll * grid.length;
        return new Result(g.size(), g.edgeCount(), decomposition, rows, eigenAll, denseSweep, denseSweep / eigenAll);
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
        Parallelism.blas(() -> openblas.LAPACKE_dgetrf(openblas.LAPACK_ROW_MAJOR, n, n, c.data(), n, piv));
        Parallelism.blas(() -> openblas.LAPACKE_dgetri(openblas.LAPACK_ROW_MAJOR, n, c.data(), n, piv));
        return c;
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
        Parallelism.blas(() -> openblas.LAPACKE_dgesv(openblas.LAPACK_ROW_MAJOR, n, n, q.data(), n, piv, p.data(), n));
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

    /** Prints a run: {@code GraphKernelBenchmark n values denseValues}. */
    public static void main(String[] args) {
        Options o = new Options(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        run(new Options(200, 3, 2)); // warm-up
        Result r = run(o);
        System.out.printf("n=%d edges=%d decompositions %.2fs%n", r.n(), r.edges(), r.decompositionSeconds());
        for (Row row : r.rows()) {
            System.out.printf("%-9s eigen %.4fs/value  dense %.4fs/value  x%.1f  maxRelDiff %.1e%n", row.measure(),
                    row.eigenSecondsPerValue(), row.denseSecondsPerValue(),
                    row.denseSecondsPerValue() / row.eigenSecondsPerValue(), row.maxRelativeDifference());
        }
        System.out.printf("sweep: eigen %.1fs (incl. decompositions), dense %.1fs (estimated from per-value), ratio %.1f%n",
                r.eigenSweepSeconds(), r.denseSweepSecondsEstimate(), r.ratio());
    }
}
