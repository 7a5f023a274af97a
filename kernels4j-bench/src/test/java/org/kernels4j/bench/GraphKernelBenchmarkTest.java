package org.kernels4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.graph.GraphMeasure;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/** The graph-kernel benchmark's dense baseline is right, and its quick run's two routes agree (time not checked). */
class GraphKernelBenchmarkTest {
    @Test
    void padeExpmMatchesRotationsAndLuInverseInverts() {
        // exp([[0, a], [−a, 0]]) = [[cos a, sin a], [−sin a, cos a]]; a = 20 needs 2 squarings (1-norm 20 > θ₁₃ = 5.37)
        for (double a : new double[] {0.3, 20}) {
            Matrix e = GraphKernelBenchmark.expm(Matrix.of(new double[][] {{0, a}, {-a, 0}}));
            assertEquals(Math.cos(a), e.get(0, 0), 1e-13);
            assertEquals(Math.sin(a), e.get(0, 1), 1e-13);
            assertEquals(-Math.sin(a), e.get(1, 0), 1e-13);
            assertEquals(Math.cos(a), e.get(1, 1), 1e-13);
        }
        // exp of a diagonal matrix with a large entry: e^{−30}, e^{2}
        Matrix d = GraphKernelBenchmark.expm(Matrix.of(new double[][] {{-30, 0}, {0, 2}}));
        assertEquals(Math.exp(-30), d.get(0, 0), 1e-12 * Math.exp(-30));
        assertEquals(Math.exp(2), d.get(1, 1), 1e-13 * Math.exp(2));
        assertEquals(0, d.get(0, 1), 0);
        // the LU inverse (threaded getrf on its own large-stack thread) at a size where OpenBLAS splits the work
        int n = 300;
        java.util.Random r = new java.util.Random(5);
        Matrix x = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                x.set(i, j, r.nextGaussian() + (i == j ? n : 0));
            }
        }
        Matrix inv = GraphKernelBenchmark.luInverse(x);
        Matrix p = new Matrix(n, n);
        Blas.gemm(false, false, 1, x, inv, 0, p);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1 : 0, p.get(i, j), 1e-12);
            }
        }
    }

    @Test
    void quickRunComputesEveryPlainAndLogKernelAlikeByBothRoutes() {
        GraphKernelBenchmark.Options o = GraphKernelBenchmark.Options.quick();
        // one thread: threaded OpenBLAS getrf spin-waits badly on a loaded machine (0.5 s instead of 13 ms at n = 300)
        int threads = Parallelism.threads();
        GraphKernelBenchmark.Result r;
        Parallelism.setThreads(1);
        try {
            r = GraphKernelBenchmark.run(o);
        } finally {
            Parallelism.setThreads(threads);
        }
        assertEquals(o.n(), r.n());
        assertEquals(30, r.values());
        assertEquals(2 * GraphKernelBenchmark.MEASURES.length, r.rows().size());
        double dense = 0;
        double eigen = r.decompositionSeconds();
        for (int k = 0; k < r.rows().size(); k++) {
            GraphKernelBenchmark.Row row = r.rows().get(k);
            GraphMeasure plain = GraphKernelBenchmark.MEASURES[k / 2];
            assertEquals(k % 2 == 0 ? plain.id() : "log-" + plain.id(), row.measure());
            // the two routes are independent (eigendecomposition vs Cholesky/LU/Padé): agreement to ~1e-10
            assertTrue(row.maxRelativeDifference() < 1e-9, row.toString());
            assertTrue(row.eigenSecondsPerValue() > 0 && row.denseSecondsPerValue() > 0, row.toString());
            dense += row.denseSecondsPerValue() * r.values();
            eigen += row.eigenSecondsPerValue() * r.values();
        }
        assertEquals(dense, r.denseSweepSecondsEstimate(), 1e-9 * dense);
        assertEquals(eigen, r.eigenSweepSeconds(), 1e-9 * eigen);
        assertEquals(dense / eigen, r.ratio(), 1e-9 * r.ratio());
    }
}
