package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;

/** {@link SymmetricEigen#top} (dsyevr, index range) and {@link NativeMatrix#times}, against other routes. */
class TopEigenpairsTest {
    private static Matrix symmetric(int n, long seed) {
        Matrix g = TestData.gaussian(n, n, 1, seed);
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a.set(i, j, g.get(i, j) + g.get(j, i));
            }
        }
        return a;
    }

    @Test
    void topPairsAreTheLargestOfTheFullDecomposition() {
        int n = 30;
        int k = 4;
        Matrix a = symmetric(n, 1);
        Matrix before = a.copy();
        SymmetricEigen full = SymmetricEigen.of(a);
        SymmetricEigen top = SymmetricEigen.top(a, k);
        assertEquals(0.0, a.maxAbsDifference(before), 0.0, "the input is not changed");
        assertEquals(k, top.size());
        assertEquals(n, top.vectors().rows());
        assertEquals(k, top.vectors().cols());
        for (int j = 0; j < k; j++) {
            double want = full.value(n - k + j); // ascending, like of()
            assertEquals(want, top.value(j), 1e-12 * Math.abs(full.value(n - 1)));
            // A·v = λ·v, computed by a naive product, and ‖v‖ = 1
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = top.vectors().get(i, j);
            }
            Matrix av = TestData.naiveProduct(before, Matrix.column(v));
            double norm = 0;
            for (int i = 0; i < n; i++) {
                assertEquals(top.value(j) * v[i], av.get(i, 0), 1e-10);
                norm += v[i] * v[i];
            }
            assertEquals(1.0, norm, 1e-12);
        }
    }

    @Test
    void topRefusesBadCounts() {
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> SymmetricEigen.top(symmetric(3, 2), 4));
        assertTrue(e.getMessage().contains("cannot take the 4 largest eigenpairs of a 3x3 matrix"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> SymmetricEigen.top(symmetric(3, 2), 0));
        assertTrue(e.getMessage().contains("cannot take the 0 largest"), e.getMessage());
    }

    /**
     * 200 rows are multiplied in four row bands of 64, 64, 64 and 8 (the band is at least 64 rows), on the
     * block workers: every row against the plain triple loop.
     */
    @Test
    void nativeTimesOverSeveralRowBandsIsTheProduct() {
        Matrix a = TestData.gaussian(200, 7, 1, 5);
        Matrix v = TestData.gaussian(7, 3, 1, 6);
        try (NativeMatrix na = NativeMatrix.copyOf(a)) {
            assertEquals(0.0, na.times(v).maxAbsDifference(TestData.naiveProduct(a, v)), 1e-12);
        }
    }

    @Test
    void nativeTimesIsTheProduct() {
        Matrix a = TestData.gaussian(7, 5, 1, 3);
        Matrix v = TestData.gaussian(5, 3, 1, 4);
        try (NativeMatrix na = NativeMatrix.copyOf(a)) {
            assertEquals(0.0, na.times(v).maxAbsDifference(TestData.naiveProduct(a, v)), 1e-12);
            Kernels4jException e = assertThrows(Kernels4jException.class, () -> na.times(new Matrix(4, 2)));
            assertTrue(e.getMessage().contains("cannot multiply a 7x5 matrix by a 4x2 one"), e.getMessage());
        }
    }
}
