package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
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
    void thinProductsOfALargeMatrixMatchTheTripleLoop() {
        // op(A) of 1100 × 1000 ≥ 2^20 entries with 1 and 3 right-hand columns takes the Java path (no JNI copy)
        Matrix a = TestData.gaussian(1100, 1000, 1, 5);
        for (int cols : new int[] {1, 3}) {
            for (boolean transA : new boolean[] {false, true}) {
                int m = transA ? 1000 : 1100;
                int k = transA ? 1100 : 1000;
                Matrix b = TestData.gaussian(k, cols, 1, 6 + cols);
                Matrix c = TestData.gaussian(m, cols, 1, 9);
                Matrix product = new Matrix(m, cols);
                for (int i = 0; i < m; i++) {
                    for (int o = 0; o < cols; o++) {
                        double sum = 0;
                        for (int l = 0; l < k; l++) {
                            sum += (transA ? a.get(l, i) : a.get(i, l)) * b.get(l, o);
                        }
                        product.set(i, o, sum);
                    }
                }
                Matrix before = c.copy();
                Blas.gemm(transA, false, 1.5, a, b, -0.5, c);
                // β = 0 ignores whatever C held (NaN included), as BLAS does
                Matrix nan = new Matrix(m, cols);
                java.util.Arrays.fill(nan.data(), Double.NaN);
                Blas.gemm(transA, false, 1.0, a, b, 0.0, nan);
                for (int i = 0; i < m; i++) {
                    for (int o = 0; o < cols; o++) {
                        String where = "transA " + transA + " cols " + cols + " at " + i + "," + o;
                        assertEquals(1.5 * product.get(i, o) - 0.5 * before.get(i, o), c.get(i, o), 1e-11, where);
                        assertEquals(product.get(i, o), nan.get(i, o), 1e-11, where);
                    }
                }
            }
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
    void rightTriangularSolveMatchesGaussianElimination() {
        Matrix t = TestData.gaussian(10, 10, 1, 9);
        for (int i = 0; i < 10; i++) {
            for (int j = i + 1; j < 10; j++) {
                t.set(i, j, 0);
            }
            t.set(i, i, 3 + Math.abs(t.get(i, i)));
        }
        Matrix b = TestData.gaussian(3, 10, 1, 10);
        // X·T = B ⇔ Tᵀ·Xᵀ = Bᵀ and X·Tᵀ = B ⇔ T·Xᵀ = Bᵀ, by elimination on the transposed systems
        Matrix x = b.copy();
        Blas.trsmRight(true, false, t, x);
        assertTrue(x.maxAbsDifference(TestData.gaussSolve(t.transpose(), b.transpose()).transpose()) < 1e-12);
        Matrix xt = b.copy();
        Blas.trsmRight(true, true, t, xt);
        assertTrue(xt.maxAbsDifference(TestData.gaussSolve(t, b.transpose()).transpose()) < 1e-12);
        Matrix u = t.transpose(); // upper triangular: only its upper triangle may be read
        Matrix poisoned = u.copy();
        poisoned.set(5, 2, 1e6);
        Matrix xu = b.copy();
        Blas.trsmRight(false, false, poisoned, xu);
        assertTrue(xu.maxAbsDifference(TestData.gaussSolve(u.transpose(), b.transpose()).transpose()) < 1e-12);
        assertThrows(Kernels4jException.class, () -> Blas.trsmRight(true, false, t, new Matrix(3, 9)));
        // products: B·T and 2·B·Tᵀ against the naive product with the triangle written out
        Matrix bt = b.copy();
        Matrix garbageAbove = t.copy();
        garbageAbove.set(2, 5, 1e6); // only the lower triangle may be read
        Blas.trmmRight(true, false, 1, garbageAbove, bt);
        assertTrue(bt.maxAbsDifference(TestData.naiveProduct(b, t)) < 1e-12);
        Matrix btt = b.copy();
        Blas.trmmRight(true, true, 2, t, btt);
        Matrix twice = TestData.naiveProduct(b, t.transpose());
        for (int e = 0; e < twice.data().length; e++) {
            twice.data()[e] *= 2;
        }
        assertTrue(btt.maxAbsDifference(twice) < 1e-12);
        String product = assertThrows(Kernels4jException.class, () -> Blas.trmmRight(true, false, 1, t,
                new Matrix(3, 9))).getMessage();
        assertTrue(product.startsWith("triangular product: T is 10x10"), product);
        String solve = assertThrows(Kernels4jException.class, () -> Blas.trsmRight(true, false, t, new Matrix(3, 9)))
                .getMessage();
        assertTrue(solve.startsWith("triangular solve: T is 10x10"), solve);
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
        int depth = 3;
        // {q_s, q_b, t_s, t_b, κ, γ, ntk}: ReLU's NTK, a leaky ReLU's (κ > 0) with γ ≠ 1, and an NNGP
        for (double[] con : new double[][] {{0.4, 0.1, 0.4, 0.1, 0, 1, 1}, {0.3, 0.05, 0.7, 0.2, 0.4, 2.5, 1},
            {0.5, 0, 0.5, 0, 0, 1, 0}}) {
            double[][] col = new double[2 * depth + 1][n];
            for (double[] c : col) {
                for (int i = 0; i < n; i++) {
                    c[i] = 0.5 + r.nextDouble();
                }
            }
            for (int i = 0; i < n; i += 9) {
                col[0][i] = 0; // a zero reciprocal root: that column's correlation is 0
            }
            double[] row = new double[3 * depth + 1];
            for (int i = 0; i < row.length; i++) {
                row[i] = 0.2 + 0.5 * r.nextDouble();
            }
            double[] q1 = new double[n];
            for (int i = 1; i < n; i++) {
                // correlations spread over ±1.3: beyond ±1 exercises the clip, ±(1 − 1e-16) the snap
                double target = (2 * r.nextDouble() - 1) * 1.3;
                q1[i] = col[0][i - 1] == 0 ? target : (target / (row[0] * col[0][i - 1]) - con[1]) / con[0];
            }
            q1[3] = ((1 - 1e-16) / (row[0] * col[0][2]) - con[1]) / con[0];
            double[] ip = q1.clone();
            double[] q2 = q1.clone();
            double[] unknown = {-1, -1, -1};
            v.reluFamilyRow(q1, 1, n - 1, row, col, con, unknown, new double[2 * n]);
            s.reluFamilyRow(q2, 1, n - 1, row, col, con, unknown, new double[2 * n]);
            assertEquals(0.0, q1[0], 0.0, "outside the slice");
            for (int k = 1; k < n; k++) {
                assertTrue(Double.isFinite(q1[k]), "relu row " + k);
                assertEquals(q2[k], q1[k], 1e-14 * Math.max(1, Math.abs(q2[k])), "relu row " + k);
                // by hand: the documented recursion with Math.acos, independent of ArcCosine
                int j = k - 1;
                double c = (con[0] * ip[k] + con[1]) * row[0] * col[0][j];
                double t = (con[2] * ip[k] + con[3]) * row[0] * col[0][j];
                for (int l = 0; l < depth; l++) {
                    double x = Math.abs(c) > 1 - 0x1p-50 ? 1 : Math.abs(c);
                    double theta = Math.acos(x);
                    double d = (c >= 0 ? Math.PI - theta : theta) + con[4];
                    double g = Math.sqrt(1 - x * x) + d * c;
                    double a = row[1 + 3 * l] * col[1 + 2 * l][j];
                    double next = a * g + row[2 + 3 * l] * col[2 + 2 * l][j];
                    t = a * d * t + next + row[3 + 3 * l] * col[2 + 2 * l][j];
                    c = next;
                }
                double expected = con[6] != 0 ? con[5] * t : c;
                assertEquals(expected, q2[k], 1e-13 * Math.abs(expected), "relu row by hand " + k);
            }
        }
        // Rows whose correlations stay ≥ 0, or in (½, 1], at every layer take the shorter loops; they must
        // agree too. With c ≥ ½: g ≥ sin(π/3) + (2π/3)·½ ≈ 1.91, so a ≥ 0.3 keeps c' = a·g + B·b above 0.57.
        double[][] col = new double[2 * depth + 1][n];
        for (double[] c : col) {
            for (int i = 0; i < n; i++) {
                c[i] = 0.8 + 0.4 * r.nextDouble();
            }
        }
        double[] row = new double[3 * depth + 1];
        for (int l = 0; l < depth; l++) {
            row[1 + 3 * l] = 0.3 + 0.1 * r.nextDouble();
            row[2 + 3 * l] = 0.05 * r.nextDouble();
            row[3 + 3 * l] = 0.1 * r.nextDouble();
        }
        row[0] = 1;
        double[] con = {1, 0, 1, 0.5, 0, 1, 1};
        double[] q1 = new double[n];
        for (int i = 0; i < n; i++) {
            // c₀ in (0.51, 1.01]: beyond 1 and within 1e-16 of it exercise the clip and the snap
            q1[i] = (i % 5 == 0 ? 1 - 1e-16 : 0.51 + 0.5 * r.nextDouble()) / col[0][i];
        }
        for (double[] lower : new double[][] {{0.5 + 1e-9, 0.5 + 1e-9, 0.5 + 1e-9}, {0, 0, 0}, {0, 0.51, 0}}) {
            double[] q2 = q1.clone();
            double[] q3 = q1.clone();
            v.reluFamilyRow(q2, 0, n, row, col, con, lower, new double[2 * n]);
            s.reluFamilyRow(q3, 0, n, row, col, con, lower, new double[2 * n]);
            for (int i = 0; i < n; i++) {
                assertEquals(q3[i], q2[i], 1e-14 * Math.max(1, Math.abs(q3[i])), "relu row with c ≥ " + lower[0] + ", " + i);
            }
        }
        // c₀ in [0, 1]: the ≥ 0 loop with both branches of arccos (κ = 0 and B, b ≥ 0 keep every later c ≥ 0)
        for (int i = 0; i < n; i++) {
            q1[i] = r.nextDouble() / col[0][i];
        }
        double[] q2 = q1.clone();
        v.reluFamilyRow(q1, 0, n, row, col, con, new double[] {0, 0, 0}, new double[2 * n]);
        s.reluFamilyRow(q2, 0, n, row, col, con, new double[] {0, 0, 0}, new double[2 * n]);
        for (int i = 0; i < n; i++) {
            assertEquals(q2[i], q1[i], 1e-14 * Math.max(1, Math.abs(q2[i])), "relu row with c ≥ 0, element " + i);
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

    @Test
    void arcCosineIsWithinOneUlpOfStrictMath() {
        Random r = new Random(11);
        double worst = 0;
        for (int i = 0; i < 400_000; i++) {
            // uniform on [-1, 1], then points within 1e-16 .. 1 of ±1, then exact special points
            double c = i < 200_000 ? 2 * r.nextDouble() - 1
                    : (r.nextBoolean() ? 1 : -1) * (1 - Math.pow(10, -16 * r.nextDouble()));
            double ref = StrictMath.acos(c);
            worst = Math.max(worst, Math.abs(ArcCosine.acos(c) - ref) / Math.ulp(ref));
        }
        assertTrue(worst <= 1, "arccos worst ulp " + worst);
        assertEquals(0.0, ArcCosine.acos(1), 0.0);
        assertEquals(Math.PI, ArcCosine.acos(-1), 0.0);
        assertEquals(Math.PI / 2, ArcCosine.acos(0), 0.0);
        assertEquals(Math.PI / 3, ArcCosine.acos(0.5), Math.ulp(Math.PI / 3));
        assertTrue(Double.isNaN(ArcCosine.acos(1.0000001)));
        assertTrue(Double.isNaN(ArcCosine.acos(Double.NaN)));
    }
}
