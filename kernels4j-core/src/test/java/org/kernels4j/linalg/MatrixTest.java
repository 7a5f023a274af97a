package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;

/**
 * Matrix's element access, copies, views and column statistics against plain loops over the
 * row-major layout data[i·cols + j], with small hand-checkable examples. Values are copied or
 * computed in the same order as the definition, so most checks are exact.
 */
class MatrixTest {

    @Test
    void constructionAndLayout() {
        Matrix m = Matrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals(2, m.rows());
        assertEquals(3, m.cols());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, m.data());
        assertEquals(6.0, m.get(1, 2));
        m.set(0, 1, -7);
        assertEquals(-7.0, m.data()[1]);
        assertArrayEquals(new double[] {4, 5, 6}, m.row(1));
        assertArrayEquals(new double[] {-7, 5}, m.column(1));
        assertEquals("2x3", m.shape());
        Matrix empty = Matrix.of(new double[0][]);
        assertEquals(0, empty.rows());
        assertEquals(0, empty.cols());
        Kernels4jException ragged = assertThrows(Kernels4jException.class,
                () -> Matrix.of(new double[][] {{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("row 1 has 1 values, expected 2"), ragged.getMessage());

        double[] backing = {1, 2, 3, 4, 5, 6};
        Matrix w = Matrix.wrap(3, 2, backing);
        assertSame(backing, w.data());
        assertEquals(6.0, w.get(2, 1));
        assertThrows(Kernels4jException.class, () -> Matrix.wrap(2, 2, backing));
        assertThrows(Kernels4jException.class, () -> Matrix.wrap(4, 2, backing));

        double[] values = {3, 1, 4};
        Matrix c = Matrix.column(values);
        values[0] = 99;
        assertEquals(3, c.rows());
        assertEquals(1, c.cols());
        assertArrayEquals(new double[] {3, 1, 4}, c.data(), "column copies its values");

        Matrix id = Matrix.identity(4);
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 1.0 : 0.0, id.get(i, j));
            }
        }
    }

    @Test
    void shapesAreChecked() {
        assertEquals(0, Matrix.checkedSize(0, 5));
        assertEquals(35, Matrix.checkedSize(5, 7));
        assertThrows(Kernels4jException.class, () -> Matrix.checkedSize(-1, 3));
        assertThrows(Kernels4jException.class, () -> Matrix.checkedSize(3, -1));
        assertEquals(Integer.MAX_VALUE - 8, Matrix.checkedSize(1, Integer.MAX_VALUE - 8));
        Kernels4jException big = assertThrows(Kernels4jException.class, () -> Matrix.checkedSize(65536, 32768));
        assertTrue(big.getMessage().contains("too large"), big.getMessage());
        assertThrows(Kernels4jException.class, () -> Matrix.checkedSize(1, Integer.MAX_VALUE - 7));
        Matrix a = new Matrix(2, 3);
        a.requireSameShape(new Matrix(2, 3), "a and b");
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> a.requireSameShape(new Matrix(3, 2), "a and b"));
        assertEquals("a and b have different shapes: 2x3 and 3x2", e.getMessage());
        assertThrows(Kernels4jException.class, () -> a.requireSameShape(new Matrix(2, 2), "x"));
        assertThrows(Kernels4jException.class, () -> a.maxAbsDifference(new Matrix(1, 3)));
    }

    @Test
    void copiesAreDeepAndTransposeCrossesBlocks() {
        Matrix a = TestData.gaussian(70, 130, 1, 1);
        Matrix c = a.copy();
        c.set(0, 0, 1e9);
        assertFalse(a.get(0, 0) == 1e9, "copy is deep");
        // 70×130: ragged 4×4 register blocks on both sides (70 = 4·17 + 2, 130 = 4·32 + 2); 259×262 also spans two
        // 256-wide bands in each direction, with 3 and 2 left over
        for (Matrix m : new Matrix[] {a, TestData.gaussian(259, 262, 2, 1)}) {
            Matrix t = m.transpose();
            assertEquals(m.cols(), t.rows());
            assertEquals(m.rows(), t.cols());
            for (int i = 0; i < m.rows(); i++) {
                for (int j = 0; j < m.cols(); j++) {
                    if (t.get(j, i) != m.get(i, j)) {
                        throw new AssertionError(m.shape() + " transpose at " + i + ", " + j);
                    }
                }
            }
        }
        assertEquals(0, new Matrix(0, 4).transpose().cols());
    }

    @Test
    void stridedTransposeCopiesEveryEntryOfTheBlockAndNothingElse() {
        java.util.Random r = new java.util.Random(11);
        // rows and columns below, at and above one group of eight destination rows, ragged ones, and rows across
        // bands of 256 source rows; strides wider than the block on both sides, offsets on both sides
        int[] counts = {0, 1, 3, 4, 5, 7, 8, 9, 11, 16, 17, 255, 256, 257, 600};
        for (int rows : counts) {
            for (int cols : counts) {
                int srcOff = 5;
                int srcStride = cols + 2;
                int dstOff = 4;
                int dstStride = rows + 3;
                double[] src = new double[srcOff + rows * srcStride + 1];
                for (int k = 0; k < src.length; k++) {
                    src[k] = r.nextGaussian();
                }
                double[] before = new double[dstOff + cols * dstStride + 2];
                for (int k = 0; k < before.length; k++) {
                    before[k] = 10 + k;
                }
                double[] dst = before.clone();
                double[] srcBefore = src.clone();
                Matrix.transpose(src, srcOff, srcStride, rows, cols, dst, dstOff, dstStride);
                // the reference: each destination slot of the block by the definition, all other slots untouched
                boolean[] inBlock = new boolean[dst.length];
                for (int i = 0; i < rows; i++) {
                    for (int j = 0; j < cols; j++) {
                        int d = dstOff + j * dstStride + i;
                        inBlock[d] = true;
                        assertEquals(src[srcOff + i * srcStride + j], dst[d], 0.0,
                                rows + "x" + cols + " entry (" + i + ", " + j + ")");
                    }
                }
                for (int k = 0; k < dst.length; k++) {
                    if (!inBlock[k]) {
                        assertEquals(before[k], dst[k], 0.0, rows + "x" + cols + " wrote outside the block at " + k);
                    }
                }
                assertArrayEquals(srcBefore, src, rows + "x" + cols + " changed its source");
            }
        }
    }

    @Test
    void rowAndColumnSelections() {
        Matrix a = Matrix.of(new double[][] {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}, {10, 11, 12}});
        Matrix r = a.rowRange(1, 3);
        assertArrayEquals(new double[] {4, 5, 6, 7, 8, 9}, r.data());
        assertEquals(2, r.rows());
        assertEquals(0, a.rowRange(4, 4).rows());
        assertEquals(4, a.rowRange(0, 4).rows());
        assertThrows(Kernels4jException.class, () -> a.rowRange(-1, 2));
        assertThrows(Kernels4jException.class, () -> a.rowRange(0, 5));
        assertThrows(Kernels4jException.class, () -> a.rowRange(3, 2));
        Matrix s = a.selectRows(new int[] {3, 0, 3});
        assertArrayEquals(new double[] {10, 11, 12, 1, 2, 3, 10, 11, 12}, s.data());
        Matrix c = a.selectColumns(new int[] {2, 0});
        assertEquals(4, c.rows());
        assertEquals(2, c.cols());
        assertArrayEquals(new double[] {3, 1, 6, 4, 9, 7, 12, 10}, c.data());
    }

    @Test
    void productMatchesTripleLoop() {
        Matrix a = TestData.gaussian(6, 4, 1, 2);
        Matrix b = TestData.gaussian(4, 5, 1, 3);
        // 4 products per entry, |a·b| ≲ 10: 1e-13 is ~100 ulps, a 1 % error is ~1e-2
        assertTrue(a.times(b).maxAbsDifference(TestData.naiveProduct(a, b)) < 1e-13);
    }

    @Test
    void columnStatisticsAndStandardization() {
        Matrix a = Matrix.of(new double[][] {{1, 10, -3}, {2, 20, -3}, {6, 60, -3}});
        // means 3, 30, −3; population variances ((−2)² + (−1)² + 3²)/3 = 14/3, then ×100, then 0
        assertArrayEquals(new double[] {3, 30, -3}, a.columnMeans(), 1e-15);
        double[] sd = a.columnStandardDeviations(a.columnMeans());
        assertEquals(Math.sqrt(14.0 / 3), sd[0], 1e-15);
        assertEquals(Math.sqrt(1400.0 / 3), sd[1], 1e-13);
        assertEquals(0.0, sd[2], 0.0);
        // about other centres: √((1/n)Σ(x − c)²) with c = 0 for column 0 is √(41/3)
        assertEquals(Math.sqrt(41.0 / 3), a.columnStandardDeviations(new double[] {0, 30, -3})[0], 1e-15);
        assertArrayEquals(new double[] {0, 0}, new Matrix(0, 2).columnMeans());
        assertArrayEquals(new double[] {0, 0}, new Matrix(0, 2).columnStandardDeviations(new double[2]));
        // values near 1e160 (finite; their squares overflow): the same column scaled by 1e160, times 1e160
        Matrix big = Matrix.of(new double[][] {{1e160}, {2e160}, {6e160}});
        assertEquals(Math.sqrt(14.0 / 3) * 1e160, big.columnStandardDeviations(big.columnMeans())[0], 1e145);
        Matrix s = a.copy();
        s.standardizeColumns(new double[] {3, 30, -3}, new double[] {2, 10, 1});
        assertArrayEquals(new double[] {-1, -2, 0, -0.5, -1, 0, 1.5, 3, 0}, s.data(), 1e-15);
        assertArrayEquals(new double[] {1 + 100 + 9, 4 + 400 + 9, 36 + 3600 + 9}, a.rowSquaredNorms(), 1e-12);
        assertArrayEquals(new double[0], new Matrix(0, 3).rowSquaredNorms());
    }

    @Test
    void requireFiniteNamesTheFirstBadElement() {
        Matrix a = new Matrix(3, 4);
        assertSame(a, a.requireFinite("ok"));
        a.set(2, 1, Double.NaN);
        a.set(2, 3, Double.NEGATIVE_INFINITY);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> a.requireFinite("training data"));
        assertEquals("training data has a NaN value at row 2, column 1 (counted from 0)", e.getMessage());
        a.set(2, 1, 0);
        e = assertThrows(Kernels4jException.class, () -> a.requireFinite("x"));
        assertEquals("x has a infinite value at row 2, column 3 (counted from 0)", e.getMessage());
        a.set(2, 3, 0);
        a.set(0, 0, Double.POSITIVE_INFINITY);
        assertThrows(Kernels4jException.class, () -> a.requireFinite("x"));
    }

    @Test
    void maxAbsDifferenceIsTheLargestGap() {
        Matrix a = Matrix.of(new double[][] {{1, 2}, {3, 4}});
        Matrix b = Matrix.of(new double[][] {{1.5, 2}, {3, 1}});
        assertEquals(3.0, a.maxAbsDifference(b));
        assertEquals(3.0, b.maxAbsDifference(a));
        assertEquals(0.0, a.maxAbsDifference(a.copy()));
    }

    @Test
    void toStringShowsAtMostSixRowsAndColumns() {
        Matrix small = Matrix.of(new double[][] {{1, 2}, {3, 4}});
        assertEquals("Matrix 2x2\n  " + String.format("%10.4g %10.4g", 1.0, 2.0) + "\n  "
                + String.format("%10.4g %10.4g", 3.0, 4.0), small.toString());
        Matrix big = new Matrix(8, 9);
        String s = big.toString();
        String[] lines = s.split("\n");
        assertEquals("Matrix 8x9", lines[0]);
        assertEquals(8, lines.length, "a header, six rows and an ellipsis line");
        assertTrue(lines[1].endsWith(" ..."), lines[1]);
        assertEquals(6, lines[1].trim().split(" +").length - 1, "six values and the ellipsis");
        assertEquals("  ...", lines[7]);
        String exact = new Matrix(6, 6).toString();
        assertFalse(exact.contains("..."), exact);
    }
}
