package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;

/**
 * GramBlock's feature-map paths and same-sample entries, against sums written here: mapped inner products
 * and distances for a real map, ⟨φ(z_j), φ(x_i)⟩ = Σ_k φ(x_i)_k·conj(φ(z_j)_k) for a complex one, each path
 * refusing the other kind of map by name, and squared distances exactly 0 wherever a tile pairs a sample
 * with itself, also when that entry is a tile's first column. Tolerances: sums of five products of O(1)
 * (or O(10⁶) squared) terms, 1e-12 relative.
 */
class GramBlockEdgesTest {

    /** φ(x) = x (real). */
    private static final RowFeatureMap REAL = identityMap();

    /** A new real map φ(x) = x, equal only to itself (identity equality, as an anonymous class has). */
    static RowFeatureMap identityMap() {
        return new RowFeatureMap() {
            @Override
            public int width(int d) {
                return d;
            }

            @Override
            public boolean complex() {
                return false;
            }

            @Override
            public void map(double[] x, int offset, int d, double[] out) {
                System.arraycopy(x, offset, out, 0, d);
            }
        };
    }

    /** φ(x)_k = x_k + i·x_k² (complex, interleaved). */
    private static final RowFeatureMap COMPLEX = new RowFeatureMap() {
        @Override
        public int width(int d) {
            return 2 * d;
        }

        @Override
        public boolean complex() {
            return true;
        }

        @Override
        public void map(double[] x, int offset, int d, double[] out) {
            for (int k = 0; k < d; k++) {
                out[2 * k] = x[offset + k];
                out[2 * k + 1] = x[offset + k] * x[offset + k];
            }
        }
    };

    @Test
    void mappedAndComplexProductsMatchPlainSumsAndRefuseTheOtherKindOfMap() {
        int n = 6;
        int d = 5;
        Matrix x = TestData.gaussian(n, d, 1, 21);
        try (GramInputs in = new GramInputs(x, x.columnMeans())) {
            GramBlock block = new GramBlock(in, in, true, n * n);
            try {
                block.moveTo(1, 4, 2, 3); // rows 1..4 against columns 2..4
                double[] out = new double[12];
                double[] re = new double[12];
                double[] im = new double[12];
                block.mappedInnerProducts(REAL, out);
                block.complexInnerProducts(COMPLEX, re, im);
                double[] dist = new double[12];
                block.mappedSquaredDistances(REAL, dist);
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 3; j++) {
                        double dot = 0;
                        double sre = 0;
                        double sim = 0;
                        double sq = 0;
                        for (int k = 0; k < d; k++) {
                            double a = x.get(1 + i, k);
                            double c = x.get(2 + j, k);
                            dot += a * c;
                            sre += a * c + a * a * c * c; // (a + i a²)(c − i c²)
                            sim += a * a * c - a * c * c;
                            sq += (a - c) * (a - c);
                        }
                        assertEquals(dot, out[i * 3 + j], 1e-12, "inner product " + i + ", " + j);
                        assertEquals(sre, re[i * 3 + j], 1e-12 * (1 + Math.abs(sre)), "re " + i + ", " + j);
                        assertEquals(sim, im[i * 3 + j], 1e-12 * (1 + Math.abs(sre)), "im " + i + ", " + j);
                        assertEquals(sq, dist[i * 3 + j], 1e-12 * (1 + sq), "squared distance " + i + ", " + j);
                    }
                }
                assertEquals("the feature map is real; use mappedInnerProducts", assertThrows(
                        IllegalArgumentException.class, () -> block.complexInnerProducts(REAL, re, im)).getMessage());
                assertEquals("the feature map is complex; use complexInnerProducts", assertThrows(
                        IllegalArgumentException.class, () -> block.mappedInnerProducts(COMPLEX, out)).getMessage());
                assertEquals("the feature map is complex; use complexInnerProducts", assertThrows(
                        IllegalArgumentException.class, () -> block.mappedSquaredDistances(COMPLEX, out)).getMessage());
            } finally {
                block.release();
            }
        }
    }

    @Test
    void sameSampleDistancesAreExactlyZeroAlsoInATilesFirstColumn() {
        int n = 40;
        int d = 67; // GEMM sums in blocks, the norms in one pass: rounding residues where the sample meets itself
        Matrix x = TestData.gaussian(n, d, 1000, 8);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, x.get(i, 0) + 1e5 * (i + 1)); // far from the origin: larger residues
        }
        try (GramInputs in = new GramInputs(x, new double[d])) { // no centring: the residues stay
            GramBlock block = new GramBlock(in, in, true, n * n);
            try {
                double[] one = new double[1];
                for (int r = 0; r < n; r++) { // 1×1 tiles on the diagonal: the sample is the tile's column 0
                    block.moveTo(r, 1, r, 1);
                    block.squaredDistances(null, one);
                    assertEquals(0.0, one[0], 0.0, "sample " + r);
                }
                double[] t = new double[100];
                block.moveTo(0, 10, 5, 10); // same samples at (i, i − 5) for i = 5..9
                block.squaredDistances(null, t);
                for (int i = 0; i < 10; i++) {
                    for (int j = 0; j < 10; j++) {
                        if (i - 5 == j) {
                            assertEquals(0.0, t[i * 10 + j], 0.0, "sample " + i);
                        } else {
                            double sq = 0;
                            for (int k = 0; k < d; k++) {
                                double e = x.get(i, k) - x.get(5 + j, k);
                                sq += e * e;
                            }
                            assertEquals(sq, t[i * 10 + j], 1e-9 * sq, "(" + i + ", " + (5 + j) + ")");
                        }
                    }
                }
            } finally {
                block.release();
            }
        }
    }
}
