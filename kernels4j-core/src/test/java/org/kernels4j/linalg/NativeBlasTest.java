package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;

/**
 * The BLAS facade, the off-heap buffers and the thread pool against plain loops written here. Products
 * of at most 9 terms of size ~3 are exact to ~1e-14, so 1e-12 leaves margin while a 1 % error fails.
 */
class NativeBlasTest {

    @Test
    void gemmWithOneTransposeAndDegenerateShapes() {
        Matrix a = TestData.gaussian(4, 6, 1, 1);
        Matrix b = TestData.gaussian(5, 6, 1, 2);
        Matrix c = new Matrix(4, 5);
        Blas.gemm(false, true, 1.5, a, b, 0.0, c);
        Matrix ref = TestData.naiveProduct(a, b.transpose());
        for (int i = 0; i < ref.data().length; i++) {
            assertEquals(1.5 * ref.data()[i], c.data()[i], 1e-12);
        }
        Matrix at = TestData.gaussian(6, 4, 1, 3);
        Matrix bb = TestData.gaussian(6, 3, 1, 4);
        Matrix d = new Matrix(4, 3);
        Blas.gemm(true, false, 1.0, at, bb, 0.0, d);
        assertTrue(d.maxAbsDifference(TestData.naiveProduct(at.transpose(), bb)) < 1e-12);
        // k = 0: C ← β·C (β = 0 clears even NaN, as BLAS does)
        Matrix e = Matrix.of(new double[][] {{1, Double.NaN}, {3, 4}});
        Blas.gemm(false, false, 1.0, new Matrix(2, 0), new Matrix(0, 2), 0.0, e);
        assertArrayEquals(new double[] {0, 0, 0, 0}, e.data());
        Matrix f = Matrix.of(new double[][] {{1, 2}, {3, 4}});
        Blas.gemm(false, false, 1.0, new Matrix(2, 0), new Matrix(0, 2), -2.0, f);
        assertArrayEquals(new double[] {-2, -4, -6, -8}, f.data());
        Blas.gemm(false, false, 1.0, new Matrix(0, 3), new Matrix(3, 2), 0.0, new Matrix(0, 2));
        Blas.gemm(false, false, 1.0, new Matrix(2, 3), new Matrix(3, 0), 0.0, new Matrix(2, 0));
        assertThrows(Kernels4jException.class, () -> Blas.gemm(false, false, 1, new Matrix(2, 3), new Matrix(3, 2),
                0, new Matrix(3, 2)));
        assertThrows(Kernels4jException.class, () -> Blas.gemm(false, false, 1, new Matrix(2, 3), new Matrix(3, 2),
                0, new Matrix(2, 3)));
        assertThrows(Kernels4jException.class, () -> Blas.gemm(true, false, 1, new Matrix(2, 3), new Matrix(3, 2),
                0, new Matrix(3, 2)));
    }

    @Test
    void offHeapTriangularProductsFactorAndInverseAgainstLoops() {
        int n = 7;
        Matrix lower = TestData.gaussian(n, n, 1, 21);
        Matrix full = TestData.gaussian(5, n, 1, 22);
        Matrix vtv = new Matrix(n, n);
        Matrix btimes = new Matrix(5, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = Math.max(i, j); k < n; k++) {
                    s += lower.get(k, i) * lower.get(k, j); // (VᵀV)_ij over the lower triangle only
                }
                vtv.set(i, j, s);
            }
        }
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = j; k < n; k++) {
                    s += full.get(r, k) * lower.get(k, j);
                }
                btimes.set(r, j, s);
            }
        }
        try (NativeMatrix v = NativeMatrix.copyOf(lower); NativeMatrix b = NativeMatrix.copyOf(full);
                NativeMatrix c = NativeMatrix.copyOf(Matrix.identity(5))) {
            Blas.lauumLower(v); // the strict upper triangle is neither read nor written
            Blas.trmmRightLower(2.0, NativeMatrix.copyOf(lower), b);
            Blas.syrkLower(0.5, NativeMatrix.copyOf(full), c);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(j <= i ? vtv.get(i, j) : lower.get(i, j), v.get(i, j), 1e-12, "lauum " + i + "," + j);
                }
            }
            for (int r = 0; r < 5; r++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(2 * btimes.get(r, j), b.get(r, j), 1e-12);
                }
                for (int j = 0; j < 5; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += full.get(r, k) * full.get(j, k);
                    }
                    assertEquals(j <= r ? 0.5 * s : (r == j ? 1 : 0), c.get(r, j), 1e-12, "syrk " + r + "," + j);
                }
            }
        }
        // factor and invert in place: (L·Lᵀ)·inverse = I for A = BBᵀ + I; an indefinite matrix is refused
        Matrix a = new Matrix(n, n);
        Blas.syrk(1, TestData.gaussian(n, n, 1, 23), 0, a);
        for (int i = 0; i < n; i++) {
            a.set(i, i, a.get(i, i) + 1);
        }
        try (NativeMatrix f = NativeMatrix.copyOf(a)) {
            assertTrue(Blas.choleskyInPlace(f));
            Blas.inverseFromCholeskyInPlace(f);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int k = 0; k < n; k++) {
                        s += a.get(i, k) * f.get(Math.max(k, j), Math.min(k, j));
                    }
                    assertEquals(i == j ? 1 : 0, s, 1e-10, "A·A⁻¹ at " + i + "," + j);
                }
            }
        }
        try (NativeMatrix f = NativeMatrix.copyOf(Matrix.of(new double[][] {{1, 2}, {2, 1}}))) {
            assertFalse(Blas.choleskyInPlace(f));
        }
    }

    @Test
    void offHeapTriangularProductsAndSolvesAgainstLoops() {
        int n = 6;
        Matrix lower = TestData.gaussian(n, n, 1, 31);
        for (int i = 0; i < n; i++) {
            lower.set(i, i, 2 + Math.abs(lower.get(i, i))); // well away from singular
        }
        Matrix x = TestData.gaussian(n, 3, 1, 32);   // the left solves' unknowns, n×k
        Matrix xr = TestData.gaussian(4, n, 1, 33);  // the right solve's unknowns, m×n
        Matrix lx = new Matrix(n, 3);
        Matrix ltx = new Matrix(n, 3);
        Matrix xl = new Matrix(4, n);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double s = 0;
                double t = 0;
                for (int k = 0; k < n; k++) {
                    s += (k <= i ? lower.get(i, k) : 0) * x.get(k, c);
                    t += (i <= k ? lower.get(k, i) : 0) * x.get(k, c);
                }
                lx.set(i, c, s);
                ltx.set(i, c, t);
            }
        }
        for (int r = 0; r < 4; r++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = j; k < n; k++) {
                    s += xr.get(r, k) * lower.get(k, j);
                }
                xl.set(r, j, s);
            }
        }
        Matrix garbageAbove = lower.copy();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                garbageAbove.set(i, j, 1e6); // only the lower triangle may be read
            }
        }
        try (NativeMatrix l = NativeMatrix.copyOf(garbageAbove); NativeMatrix b1 = NativeMatrix.copyOf(lx);
                NativeMatrix b2 = NativeMatrix.copyOf(ltx); NativeMatrix b3 = NativeMatrix.copyOf(xl)) {
            try (NativeMatrix p1 = NativeMatrix.copyOf(x); NativeMatrix p2 = NativeMatrix.copyOf(x)) {
                Blas.trmmLeftLower(false, l, p1);
                Blas.trmmLeftLower(true, l, p2);
                for (int i = 0; i < n; i++) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(lx.get(i, c), p1.get(i, c), 1e-12, "L·X at " + i + "," + c);
                        assertEquals(ltx.get(i, c), p2.get(i, c), 1e-12, "Lᵀ·X at " + i + "," + c);
                    }
                }
                assertThrows(Kernels4jException.class, () -> Blas.trmmLeftLower(false, l, NativeMatrix.copyOf(xr)));
            }
            Blas.trsmLeftLower(false, l, b1);
            Blas.trsmLeftLower(true, l, b2);
            Blas.trsmRightLower(l, b3);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    assertEquals(x.get(i, c), b1.get(i, c), 1e-12, "L⁻¹·(L·X) at " + i + "," + c);
                    assertEquals(x.get(i, c), b2.get(i, c), 1e-12, "L⁻ᵀ·(Lᵀ·X) at " + i + "," + c);
                }
            }
            for (int r = 0; r < 4; r++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(xr.get(r, j), b3.get(r, j), 1e-12, "(X·L)·L⁻¹ at " + r + "," + j);
                }
            }
            assertThrows(Kernels4jException.class, () -> Blas.trsmLeftLower(false, l, NativeMatrix.copyOf(xr)));
            assertThrows(Kernels4jException.class, () -> Blas.trsmRightLower(l, NativeMatrix.copyOf(x)));
        }
    }

    /**
     * The panel-wise products and solves with a lower-triangular right-hand side against plain loops (products) and
     * the round trip (solves), at sizes below, at and across the panel width; only the lower triangle of the
     * transposed forms is specified.
     */
    @Test
    void triangularOperationsOnLowerTriangularMatricesMatchLoops() {
        java.util.Random rnd = new java.util.Random(21);
        for (int n : new int[] {1, 7, 96, 97, 250}) {
            Matrix l = new Matrix(n, n);
            Matrix b = new Matrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    l.set(i, j, rnd.nextGaussian() / Math.sqrt(n));
                    b.set(i, j, rnd.nextGaussian());
                }
                l.set(i, i, 1 + rnd.nextDouble());
                b.set(i, i, 0.5 + rnd.nextDouble());
            }
            Matrix lb = new Matrix(n, n);
            Matrix ltb = new Matrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    double t = 0;
                    for (int k = 0; k < n; k++) {
                        s += (k <= i ? l.get(i, k) : 0) * b.get(k, j);
                        t += (i <= k ? l.get(k, i) : 0) * b.get(k, j);
                    }
                    lb.set(i, j, s);
                    ltb.set(i, j, t);
                }
            }
            Matrix garbageAbove = l.copy();
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    garbageAbove.set(i, j, 1e6);
                }
            }
            try (NativeMatrix lf = NativeMatrix.copyOf(garbageAbove); NativeMatrix p1 = NativeMatrix.copyOf(b);
                    NativeMatrix p2 = NativeMatrix.copyOf(b); NativeMatrix s1 = NativeMatrix.copyOf(lb)) {
                Blas.trmmLeftLowerOnLower(false, lf, p1);
                Blas.trmmLeftLowerOnLower(true, lf, p2);
                Blas.trsmLeftLowerOnLower(false, lf, s1);
                // a lower-triangular C for the transposed solve: Lᵀ·B with its upper triangle cleared
                double[] upperCleared = ltb.copy().data();
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        upperCleared[i * n + j] = 0;
                    }
                }
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertEquals(lb.get(i, j), p1.get(i, j), 1e-12, "L·B at " + i + "," + j + ", n = " + n);
                        assertEquals(b.get(i, j), s1.get(i, j), 1e-12, "L⁻¹·(L·B) at " + i + "," + j + ", n = " + n);
                        if (j <= i) {
                            assertEquals(ltb.get(i, j), p2.get(i, j), 1e-12, "Lᵀ·B at " + i + "," + j + ", n = " + n);
                        }
                    }
                }
                // L⁻ᵀ·C for a lower-triangular C: compare the lower triangle with the full solve's
                try (NativeMatrix c = NativeMatrix.copyOf(Matrix.wrap(n, n, upperCleared));
                        NativeMatrix full = NativeMatrix.copyOf(Matrix.wrap(n, n, upperCleared))) {
                    Blas.trsmLeftLowerOnLower(true, lf, c);
                    Blas.trsmLeftLower(true, lf, full);
                    for (int i = 0; i < n; i++) {
                        for (int j = 0; j <= i; j++) {
                            assertEquals(full.get(i, j), c.get(i, j), 1e-10 * (1 + Math.abs(full.get(i, j))),
                                    "lower(L⁻ᵀ·C) at " + i + "," + j + ", n = " + n);
                        }
                    }
                }
            }
        }
        try (NativeMatrix sq = new NativeMatrix(3, 3); NativeMatrix wide = new NativeMatrix(3, 4)) {
            String solve = assertThrows(Kernels4jException.class, () -> Blas.trsmLeftLowerOnLower(false, sq, wide))
                    .getMessage();
            assertTrue(solve.startsWith("triangular solve of lower-triangular matrices"), solve);
            String product = assertThrows(Kernels4jException.class, () -> Blas.trmmLeftLowerOnLower(true, sq, wide))
                    .getMessage();
            assertTrue(product.startsWith("triangular product of lower-triangular matrices"), product);
            String plain = assertThrows(Kernels4jException.class, () -> Blas.trmmLeftLower(false, sq, new NativeMatrix(4,
                    3))).getMessage();
            assertTrue(plain.startsWith("triangular product: L is"), plain);
            String plainSolve = assertThrows(Kernels4jException.class, () -> Blas.trsmRightLower(sq, new NativeMatrix(3,
                    4))).getMessage();
            assertTrue(plainSolve.startsWith("triangular solve: L is"), plainSolve);
        }
        try (NativeBuffer small = new NativeBuffer(8)) { // 3×3 needs 9
            String lauum = assertThrows(Kernels4jException.class, () -> Blas.lauumLower(small, 3)).getMessage();
            assertEquals("the buffer holds 8 doubles, 9 needed", lauum);
        }
    }

    /** lower(α·B·V) for a full B and lower-triangular V against a loop, across panel boundaries; B and V unchanged. */
    @Test
    void lowerPartOfAProductWithALowerTriangularMatrixMatchesALoop() {
        java.util.Random rnd = new java.util.Random(23);
        for (int n : new int[] {1, 5, 96, 200}) {
            Matrix b = TestData.gaussian(n, n, 1, 24 + n);
            Matrix v = new Matrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j <= i; j++) {
                    v.set(i, j, rnd.nextGaussian());
                }
            }
            try (NativeMatrix bn = NativeMatrix.copyOf(b); NativeMatrix vn = NativeMatrix.copyOf(v);
                    NativeMatrix out = new NativeMatrix(n, n)) {
                Blas.lowerOfProductWithLower(2, bn, vn, out);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j <= i; j++) {
                        double s = 0;
                        for (int k = j; k < n; k++) {
                            s += b.get(i, k) * v.get(k, j);
                        }
                        assertEquals(2 * s, out.get(i, j), 1e-11 * (1 + Math.abs(s)), "(" + i + "," + j + "), n = " + n);
                    }
                }
                assertEquals(0.0, bn.toMatrix().maxAbsDifference(b), 0.0);
                assertEquals(0.0, vn.toMatrix().maxAbsDifference(v), 0.0);
            }
        }
    }

    /** L⁻ᵀ·S·L⁻¹ by dsygst against Gaussian elimination: X = L⁻ᵀ·S solved, then (L⁻ᵀ·Xᵀ)ᵀ. */
    @Test
    void congruenceByDsygstMatchesTwoEliminations() {
        java.util.Random rnd = new java.util.Random(22);
        for (int n : new int[] {1, 2, 9, 130}) {
            Matrix l = new Matrix(n, n);
            Matrix s = new Matrix(n, n);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < i; j++) {
                    l.set(i, j, rnd.nextGaussian() / Math.sqrt(n));
                    double v = rnd.nextGaussian();
                    s.set(i, j, v);
                    s.set(j, i, v);
                }
                l.set(i, i, 1 + rnd.nextDouble());
                s.set(i, i, rnd.nextGaussian());
            }
            Matrix x = org.kernels4j.TestData.gaussSolve(l.transpose(), s); // L⁻ᵀ·S
            Matrix expected = org.kernels4j.TestData.gaussSolve(l.transpose(), x.transpose()).transpose();
            Matrix poisoned = l.copy();
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    poisoned.set(i, j, 1e6);
                }
            }
            double[] out = s.copy().data();
            try (NativeMatrix lf = NativeMatrix.copyOf(poisoned); NativeMatrix w1 = new NativeMatrix(n, n);
                    NativeMatrix w2 = new NativeMatrix(n, n)) {
                Blas.congruenceInverseLower(lf, out, w1, w2);
            }
            double scale = 0;
            for (double v : expected.data()) {
                scale = Math.max(scale, Math.abs(v));
            }
            assertTrue(Matrix.wrap(n, n, out).maxAbsDifference(expected) < 1e-10 * (1 + scale),
                    "n = " + n + ": " + Matrix.wrap(n, n, out).maxAbsDifference(expected));
        }
    }

    @Test
    void gemmNtOnOffHeapBuffersWithOffsets() {
        int m = 3;
        int n = 4;
        int k = 5;
        Matrix a = TestData.gaussian(m + 2, k, 1, 5);
        Matrix b = TestData.gaussian(n + 1, k, 1, 6);
        try (NativeBuffer na = NativeBuffer.copyOf(a.data()); NativeBuffer nb = NativeBuffer.copyOf(b.data());
                NativeBuffer nc = new NativeBuffer(7 + m * n)) {
            assertEquals((long) (m + 2) * k, na.length());
            Blas.gemmNT(na, 2L * k, nb, k, nc, 7, m, n, k); // rows 2.. of A against rows 1.. of B
            double[] c = new double[m * n];
            nc.copyTo(7, c, 0, m * n);
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int f = 0; f < k; f++) {
                        s += a.get(2 + i, f) * b.get(1 + j, f);
                    }
                    assertEquals(s, c[i * n + j], 1e-12);
                }
            }
            Blas.gemmNT(na, nb, nc, m, n, k);
            nc.copyTo(0, c, 0, m * n);
            assertEquals(a.get(0, 0) * b.get(0, 0) + a.get(0, 1) * b.get(0, 1) + a.get(0, 2) * b.get(0, 2)
                    + a.get(0, 3) * b.get(0, 3) + a.get(0, 4) * b.get(0, 4), c[0], 1e-12);
        }
    }

    @Test
    void syrkGemvTrsmEdges() {
        Matrix a = TestData.gaussian(5, 3, 1, 7);
        Matrix c = TestData.gaussian(5, 5, 1, 8);
        Matrix sym = c.copy();
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                sym.set(i, j, c.get(Math.min(i, j), Math.max(i, j))); // the upper triangle is the one read
            }
        }
        Blas.syrk(2.0, a, 0.5, c);
        Matrix aat = TestData.naiveProduct(a, a.transpose());
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(2 * aat.get(i, j) + 0.5 * sym.get(i, j), c.get(i, j), 1e-12, "syrk " + i + ", " + j);
            }
        }
        Blas.syrk(1, new Matrix(0, 3), 0, new Matrix(0, 0));
        assertThrows(Kernels4jException.class, () -> Blas.syrk(1, a, 0, new Matrix(5, 4)));
        assertThrows(Kernels4jException.class, () -> Blas.syrk(1, a, 0, new Matrix(4, 5)));

        double[] x = {1, -1, 2, 0.5, 3};
        double[] y = {1, 2, 3};
        Blas.gemv(true, 2.0, a, x, -1.0, y);
        for (int j = 0; j < 3; j++) {
            double s = 0;
            for (int i = 0; i < 5; i++) {
                s += a.get(i, j) * x[i];
            }
            assertEquals(2 * s - (j + 1), y[j], 1e-12);
        }
        double[] z = {1, 2};
        Blas.gemv(false, 1.0, new Matrix(2, 0), new double[0], 3.0, z);
        assertArrayEquals(new double[] {3, 6}, z);
        Blas.gemv(false, 1.0, new Matrix(0, 2), new double[2], 3.0, new double[0]);
        assertThrows(Kernels4jException.class, () -> Blas.gemv(false, 1, a, new double[5], 0, new double[5]));
        assertThrows(Kernels4jException.class, () -> Blas.gemv(false, 1, a, new double[3], 0, new double[3]));

        Matrix u = Matrix.of(new double[][] {{2, 1, -1}, {0, 4, 2}, {0, 0, 8}});
        Matrix rhs = Matrix.of(new double[][] {{1, 0}, {2, 1}, {8, 4}});
        Matrix sol = rhs.copy();
        Blas.trsm(false, false, u, sol);
        assertTrue(sol.maxAbsDifference(TestData.gaussSolve(u, rhs)) < 1e-14);
        Blas.trsm(true, false, new Matrix(0, 0), new Matrix(0, 2));
        Matrix noCols = new Matrix(3, 0);
        Blas.trsm(true, false, u, noCols);
        assertThrows(Kernels4jException.class, () -> Blas.trsm(true, false, new Matrix(3, 2), new Matrix(3, 1)));
        assertThrows(Kernels4jException.class, () -> Blas.trsm(true, false, u, new Matrix(2, 1)));
    }

    @Test
    void nativeBufferCopiesWithOffsets() {
        try (NativeBuffer b = new NativeBuffer(10)) {
            assertEquals(10, b.length());
            b.copyFrom(new double[] {9, 8, 7, 6}, 1, 4, 3); // 8, 7, 6 to positions 4, 5, 6
            b.set(0, -1);
            assertEquals(-1.0, b.get(0));
            assertEquals(8.0, b.get(4));
            double[] out = {0, 0, 0, 0, 0};
            b.copyTo(5, out, 2, 2);
            assertArrayEquals(new double[] {0, 0, 7, 6, 0}, out);
            b.close(); // closing twice is harmless
        }
        try (NativeBuffer empty = NativeBuffer.copyOf(new double[0])) {
            assertEquals(0, empty.length());
        }
    }

    @Test
    void nativeMatrixBlocksAndDiagonals() {
        assertThrows(Kernels4jException.class, () -> new NativeMatrix(-1, 2));
        assertThrows(Kernels4jException.class, () -> new NativeMatrix(2, -1));
        Matrix m = TestData.gaussian(3, 5, 1, 9);
        try (NativeMatrix nm = NativeMatrix.copyOf(m)) {
            assertEquals("3x5", nm.shape());
            assertArrayEquals(new double[] {m.get(0, 0), m.get(1, 1), m.get(2, 2)}, nm.diagonal());
            nm.addToDiagonal(1.5);
            Matrix back = nm.toMatrix();
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 5; j++) {
                    assertEquals(m.get(i, j) + (i == j ? 1.5 : 0), back.get(i, j), 0.0);
                }
            }
            // full-width blocks take the one-copy path; narrower ones go row by row
            double[] rows = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
            nm.putBlock(1, 0, 2, 5, rows);
            double[] got = new double[10];
            nm.getBlock(1, 0, 2, 5, got);
            assertArrayEquals(rows, got);
            assertEquals(6.0, nm.get(2, 0));
            nm.putBlock(0, 3, 3, 2, new double[] {-1, -2, -3, -4, -5, -6});
            assertEquals(-4.0, nm.get(1, 4));
            assertEquals(-5.0, nm.get(2, 3));
            assertEquals(3.0, nm.get(1, 2));
            nm.set(0, 0, 42);
            nm.set(2, 3, 7.5);
            assertEquals(7.5, nm.toMatrix().get(2, 3), 0.0, "set writes element (2, 3) at 2·5 + 3");
            assertEquals(42.0, nm.toMatrix().get(0, 0), 0.0);
            double[] part = {9, 9, 9, 9, 9, 9};
            nm.getBlock(0, 2, 2, 2, part);
            assertArrayEquals(new double[] {m.get(0, 2), -1, 3, -3, 9, 9}, part, "two rows, nothing past them");
            nm.getBlock(3, 5, 0, 0, part); // an empty block at the far corner is in bounds
            int[][] bad = {{-1, 0, 1, 1}, {0, -1, 1, 1}, {0, 0, -1, 1}, {0, 0, 1, -1}, {2, 0, 2, 1}, {0, 4, 1, 2}};
            for (int[] q : bad) {
                assertThrows(IndexOutOfBoundsException.class, () -> nm.getBlock(q[0], q[1], q[2], q[3], new double[8]));
                assertThrows(IndexOutOfBoundsException.class, () -> nm.putBlock(q[0], q[1], q[2], q[3], new double[8]));
            }
            IndexOutOfBoundsException oob = assertThrows(IndexOutOfBoundsException.class,
                    () -> nm.getBlock(2, 1, 2, 3, new double[6]));
            assertEquals("block [2, 4) x [1, 4) outside a 3x5 matrix", oob.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> nm.get(3, 0));
            assertThrows(IndexOutOfBoundsException.class, () -> nm.set(0, 5, 1));
        }
        try (NativeMatrix tall = new NativeMatrix(4, 2)) {
            tall.putBlock(0, 0, 4, 2, new double[] {1, 2, 3, 4, 5, 6, 7, 8});
            assertArrayEquals(new double[] {1, 4}, tall.diagonal());
            tall.addToDiagonal(10);
            assertArrayEquals(new double[] {11, 2, 3, 14, 5, 6, 7, 8}, tall.toMatrix().data());
        }
    }

    @Test
    void forEachBlockRunsEveryBlockOnceForAnyThreadCount() {
        int saved = Parallelism.threads();
        try {
            for (int threads : new int[] {1, 2, 4}) {
                Parallelism.setThreads(threads);
                assertEquals(threads, Parallelism.threads());
                AtomicIntegerArray hits = new AtomicIntegerArray(23);
                AtomicInteger nested = new AtomicInteger();
                Parallelism.forEachBlock(23, b -> {
                    assertTrue(Parallelism.insideBlock());
                    hits.incrementAndGet(b);
                    if (b == 5) {
                        Parallelism.forEachBlock(3, c -> nested.incrementAndGet()); // runs inline
                        assertEquals(7, Parallelism.blas(() -> 7));
                    }
                });
                for (int b = 0; b < 23; b++) {
                    assertEquals(1, hits.get(b), "block " + b + " with " + threads + " threads");
                }
                assertEquals(3, nested.get());
                assertFalse(Parallelism.insideBlock());
                Parallelism.forEachBlock(0, b -> {
                    throw new AssertionError("no blocks");
                });
                Parallelism.forEachBlock(-1, b -> {
                    throw new AssertionError("no blocks");
                });
                assertEquals(5, Parallelism.blas(() -> 5));
            }
        } finally {
            Parallelism.setThreads(saved);
        }
        assertThrows(Kernels4jException.class, () -> Parallelism.setThreads(0));
        assertEquals(saved, Parallelism.threads());
    }

    @Test
    void forEachBlockRethrowsTheFirstFailure() {
        int saved = Parallelism.threads();
        try {
            for (int threads : new int[] {1, 3}) {
                Parallelism.setThreads(threads);
                IllegalStateException ise = new IllegalStateException("boom");
                Object got = assertThrows(IllegalStateException.class, () -> Parallelism.forEachBlock(8, b -> {
                    if (b == 6) {
                        throw ise;
                    }
                }));
                assertSame(ise, got);
                assertThrows(StackOverflowError.class, () -> Parallelism.forEachBlock(4, b -> {
                    if (b == 2) {
                        throw new StackOverflowError("deep");
                    }
                }));
                Kernels4jException wrapped = assertThrows(Kernels4jException.class,
                        () -> Parallelism.forEachBlock(4, b -> sneakyThrow(new java.io.IOException("io"))));
                assertTrue(wrapped.getCause() instanceof java.io.IOException);
                assertFalse(Parallelism.insideBlock());
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> void sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
