package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;

class LinalgTest {

    @Test
    void gemmMatchesTripleLoopForAllTransposes() {
        Matrix a = TestData.gaussian(7, 5, 1, 1);
        Matrix b = TestData.gaussian(5, 9, 1, 2);
        Matrix ref = TestData.naiveProduct(a, b);
        assertTrue(a.times(b).maxAbsDifference(ref) < 1e-12);
        Matrix c = new Matrix(7, 9);
        Blas.gemm(true, true, 1.0, a.transpose(), b.transpose(), 0.0, c);
        assertTrue(c.maxAbsDifference(ref) < 1e-12);
        Matrix d = TestData.gaussian(7, 9, 1, 3);
        Matrix expected = d.copy();
        for (int i = 0; i < expected.data().length; i++) {
            expected.data()[i] = 0.5 * expected.data()[i] + 2 * ref.data()[i];
        }
        Blas.gemm(false, false, 2.0, a, b, 0.5, d);
        assertTrue(d.maxAbsDifference(expected) < 1e-12);
    }

    @Test
    void syrkAndGemvMatchReferences() {
        Matrix a = TestData.gaussian(6, 4, 1, 4);
        Matrix c = new Matrix(6, 6);
        Blas.syrk(1.0, a, 0.0, c);
        assertTrue(c.maxAbsDifference(TestData.naiveProduct(a, a.transpose())) < 1e-12);
        double[] x = {1, -2, 3, 0.5};
        double[] y = new double[6];
        Blas.gemv(false, 1.0, a, x, 0.0, y);
        Matrix ref = TestData.naiveProduct(a, Matrix.column(x));
        for (int i = 0; i < 6; i++) {
            assertEquals(ref.get(i, 0), y[i], 1e-12);
        }
    }

    @Test
    void gemmRejectsMismatchedShapes() {
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> Blas.gemm(false, false, 1, new Matrix(2, 3), new Matrix(4, 2), 0, new Matrix(2, 2)));
        assertTrue(e.getMessage().contains("gemm shapes"));
    }

    @Test
    void choleskySolveAndLogDeterminantMatchDirectComputation() {
        Matrix g = TestData.gaussian(30, 30, 1, 5);
        Matrix a = TestData.naiveProduct(g, g.transpose());
        for (int i = 0; i < 30; i++) {
            a.set(i, i, a.get(i, i) + 1);
        }
        Cholesky ch = Cholesky.factor(a, "A");
        assertEquals(0.0, ch.jitter());
        Matrix l = ch.lower();
        assertTrue(TestData.naiveProduct(l, l.transpose()).maxAbsDifference(a) < 1e-10);
        Matrix b = TestData.gaussian(30, 3, 1, 6);
        assertTrue(ch.solve(b).maxAbsDifference(TestData.gaussSolve(a, b)) < 1e-9);
        // log det from the eigenvalues, an independent route
        double ld = 0;
        for (double v : SymmetricEigen.of(a).values()) {
            ld += Math.log(v);
        }
        assertEquals(ld, ch.logDeterminant(), 1e-9);
        Matrix y = ch.solveLower(b);
        assertTrue(TestData.naiveProduct(l, y).maxAbsDifference(b) < 1e-10);
        Matrix z = ch.solveLowerTransposed(b);
        assertTrue(TestData.naiveProduct(l.transpose(), z).maxAbsDifference(b) < 1e-10);
    }

    @Test
    void jitterRetriesRestoreTheMatrixAcrossManyTiles() {
        // n = 1100 spans three 512-row restore tiles, so every kind of tile (diagonal, below,
        // ragged edge) is undone and refactored; the result must factor A + δI exactly.
        int n = 1100;
        Matrix v = TestData.gaussian(n, 40, 1, 12);
        Matrix a = new Matrix(n, n);
        Blas.syrk(1.0, v, 0.0, a); // rank 40: plain Cholesky fails
        try (Cholesky ch = Cholesky.factor(a, "rank-40 matrix")) {
            assertTrue(ch.jitter() > 0);
            Matrix l = ch.lower();
            Matrix rebuilt = new Matrix(n, n);
            Blas.gemm(false, true, 1.0, l, l, 0.0, rebuilt);
            for (int i = 0; i < n; i++) {
                a.set(i, i, a.get(i, i) + ch.jitter());
            }
            assertTrue(rebuilt.maxAbsDifference(a) < 1e-9 * n, "max error " + rebuilt.maxAbsDifference(a));
        }
    }

    @Test
    void nativeMatrixBlocksRoundTrip() {
        Matrix m = TestData.gaussian(9, 7, 1, 13);
        try (NativeMatrix nm = NativeMatrix.copyOf(m)) {
            assertEquals(0.0, nm.toMatrix().maxAbsDifference(m));
            double[] block = new double[3 * 4];
            nm.getBlock(2, 1, 3, 4, block);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(m.get(2 + i, 1 + j), block[i * 4 + j]);
                    block[i * 4 + j] = -block[i * 4 + j];
                }
            }
            nm.putBlock(2, 1, 3, 4, block);
            nm.addToDiagonal(10);
            for (int i = 0; i < 9; i++) {
                for (int j = 0; j < 7; j++) {
                    boolean inBlock = i >= 2 && i < 5 && j >= 1 && j < 5;
                    double expected = (inBlock ? -1 : 1) * m.get(i, j) + (i == j ? 10 : 0);
                    assertEquals(expected, nm.get(i, j), 1e-15);
                }
            }
            assertThrows(IndexOutOfBoundsException.class, () -> nm.getBlock(8, 0, 2, 1, block));
        }
    }

    @Test
    void choleskyAddsJitterToSemiDefiniteMatrices() {
        Matrix v = TestData.gaussian(20, 3, 1, 7);
        Matrix a = TestData.naiveProduct(v, v.transpose()); // rank 3, singular
        Cholesky ch = Cholesky.factor(a, "rank-3 matrix");
        assertTrue(ch.jitter() > 0);
        Matrix l = ch.lower();
        Matrix rebuilt = TestData.naiveProduct(l, l.transpose());
        for (int i = 0; i < 20; i++) {
            a.set(i, i, a.get(i, i) + ch.jitter());
        }
        assertTrue(rebuilt.maxAbsDifference(a) < 1e-9);
    }

    @Test
    void indefiniteMatrixGivesClearError() {
        Matrix a = Matrix.of(new double[][] {{1, 0}, {0, -1}});
        NotPositiveDefiniteException e = assertThrows(NotPositiveDefiniteException.class,
                () -> Cholesky.factor(a, "test matrix"));
        assertTrue(e.getMessage().startsWith("test matrix (2x2) is not positive definite"), e.getMessage());
    }

    @Test
    void eigendecompositionReconstructsTheMatrix() {
        Matrix g = TestData.gaussian(25, 25, 1, 8);
        Matrix a = TestData.naiveProduct(g, g.transpose());
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] w = e.values();
        for (int i = 1; i < w.length; i++) {
            assertTrue(w[i] >= w[i - 1]);
        }
        Matrix q = e.vectors();
        Matrix qd = q.copy();
        for (int i = 0; i < 25; i++) {
            for (int j = 0; j < 25; j++) {
                qd.set(i, j, q.get(i, j) * w[j]);
            }
        }
        assertTrue(TestData.naiveProduct(qd, q.transpose()).maxAbsDifference(a) < 1e-9);
    }

    @Test
    void triangularSolveMatchesGaussianElimination() {
        Matrix t = TestData.gaussian(10, 10, 1, 9);
        for (int i = 0; i < 10; i++) {
            for (int j = i + 1; j < 10; j++) {
                t.set(i, j, 0);
            }
            t.set(i, i, 3 + Math.abs(t.get(i, i)));
        }
        Matrix b = TestData.gaussian(10, 2, 1, 10);
        Matrix x = b.copy();
        Blas.trsm(true, false, t, x);
        assertTrue(x.maxAbsDifference(TestData.gaussSolve(t, b)) < 1e-12);
        Matrix xt = b.copy();
        Blas.trsm(true, true, t, xt);
        assertTrue(xt.maxAbsDifference(TestData.gaussSolve(t.transpose(), b)) < 1e-12);
    }

    @Test
    void vectorAndScalarElementOpsAgree() {
        ElementOps v = ElementOps.get();
        ElementOps s = ElementOps.scalar();
        java.util.Random r = new java.util.Random(11);
        int n = 37;
        double[] base = new double[n];
        double[] nz = new double[n];
        for (int i = 0; i < n; i++) {
            base[i] = r.nextDouble() * 3;
            nz[i] = r.nextDouble() * 5;
        }
        java.util.List<java.util.function.BiConsumer<ElementOps, double[]>> ops = java.util.List.of(
                (o, a) -> o.squaredDistances(a, 1, n - 1, 4.0, nz, 0),
                (o, a) -> o.expScaled(a, 0, n, -0.7),
                (o, a) -> o.sqrtScaled(a, 2, n - 2, 1.3),
                (o, a) -> o.matern32(a, 0, n),
                (o, a) -> o.matern52(a, 0, n),
                (o, a) -> o.powAffine(a, 0, n, 0.5, 1.0, 3),
                (o, a) -> o.powAffine(a, 0, n, 0.5, 1.0, -1.7),
                (o, a) -> o.scaleOuter(a, 0, n, 1.5, nz, 0),
                (o, a) -> o.addScaled(a, nz, n, 0.3),
                (o, a) -> o.multiply(a, nz, n),
                (o, a) -> o.scale(a, n, -2));
        for (double[] coef : new double[][] {{1, 0, 2, 0.1, 2, 0.1}, {1.25, -1, 1.5, 0, 64, 1}}) {
            double[] sj = new double[n];
            double[] rj = new double[n];
            for (int i = 0; i < n; i++) {
                sj[i] = i % 9 == 0 ? 0 : 0.5 + r.nextDouble(); // zero roots exercise the c = 0 convention
                rj[i] = sj[i] > 0 ? 1 / sj[i] : 0;
            }
            double[] q1 = new double[n];
            for (int i = 0; i < n; i++) {
                q1[i] = (2 * r.nextDouble() - 1.2) * sj[i] * 1.3; // some correlations beyond ±1 exercise the clip
            }
            double[] t1 = nz.clone();
            double[] q2 = q1.clone();
            double[] t2 = nz.clone();
            v.reluFamilyLayer(q1, t1, 1, n - 1, 1.3, sj, rj, 1, coef);
            s.reluFamilyLayer(q2, t2, 1, n - 1, 1.3, sj, rj, 1, coef);
            for (int i = 0; i < n; i++) {
                assertEquals(q2[i], q1[i], 1e-14 * Math.max(1, Math.abs(q2[i])), "relu layer q " + i);
                assertEquals(t2[i], t1[i], 1e-14 * Math.max(1, Math.abs(t2[i])), "relu layer theta " + i);
            }
        }
        for (var op : ops) {
            double[] a1 = base.clone();
            double[] a2 = base.clone();
            op.accept(v, a1);
            op.accept(s, a2);
            for (int i = 0; i < n; i++) {
                assertEquals(a2[i], a1[i], 1e-14 * Math.max(1, Math.abs(a2[i])), v.name() + " element " + i);
            }
        }
    }
}
