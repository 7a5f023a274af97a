package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link SymmetricEigen#top} and {@link SymmetricEigen#range} at the ends of their documented
 * ranges (1 ≤ k ≤ n; 1 ≤ from ≤ to ≤ n): the pairs satisfy A·v = λ·v and the values are those of
 * the full decomposition by the other LAPACK routine ({@link SymmetricEigen#of}, dsyevd).
 */
class SymmetricEigenRangeTest {

    @Test
    void topAndRangeAcceptTheEndsOfTheirRanges() {
        int n = 5;
        Random r = new Random(8);
        Matrix a = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double v = r.nextGaussian();
                a.set(i, j, v);
                a.set(j, i, v);
            }
        }
        double[] all = SymmetricEigen.of(a).values();
        SymmetricEigen[] parts = {SymmetricEigen.top(a, 1), SymmetricEigen.top(a, n), SymmetricEigen.range(a, 1, n),
            SymmetricEigen.range(a, 1, 1), SymmetricEigen.range(a, n, n)};
        int[] first = {n - 1, 0, 0, 0, n - 1};
        for (int p = 0; p < parts.length; p++) {
            SymmetricEigen e = parts[p];
            for (int k = 0; k < e.size(); k++) {
                double lambda = e.value(k);
                assertEquals(all[first[p] + k], lambda, 1e-12, "part " + p + " pair " + k);
                for (int i = 0; i < n; i++) {
                    double av = 0;
                    for (int j = 0; j < n; j++) {
                        av += a.get(i, j) * e.vectors().get(j, k);
                    }
                    assertEquals(lambda * e.vectors().get(i, k), av, 1e-12, "A v = lambda v");
                }
            }
        }
    }
}
