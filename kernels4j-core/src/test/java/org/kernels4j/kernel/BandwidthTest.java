package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;

/** {@link Bandwidth} against brute force over all pairs, R's quantile definition and exact special cases. */
class BandwidthTest {

    /** R: quantile(c(1, 2, 3, 4, 10), c(0.1, 0.5, 0.9)) gives 1.4, 3, 7.6 (type 7). */
    @Test
    void quantileIsRsDefaultType7() {
        double[] v = {1, 2, 3, 4, 10};
        assertEquals(1.4, Bandwidth.quantile(v, 0.1), 1e-15);
        assertEquals(3.0, Bandwidth.quantile(v, 0.5), 0.0);
        assertEquals(7.6, Bandwidth.quantile(v, 0.9), 1e-15);
        assertEquals(5.0, Bandwidth.quantile(new double[] {5}, 0.9), 0.0);
    }

    /** The vertices of a simplex are all at squared distance 2: every quantile is 2, so every γ is 1/2. */
    @Test
    void sigestOnEquidistantPointsGivesOneOverTheDistance() {
        Matrix simplex = Matrix.identity(6);
        Bandwidth.Sigest s = Bandwidth.sigest(simplex, 20, false, 3);
        assertEquals(0.5, s.gammaLow(), 0.0);
        assertEquals(0.5, s.gammaMedian(), 0.0);
        assertEquals(0.5, s.gammaHigh(), 0.0);
        assertTrue(s.pairs() > 80 && s.pairs() < 120, "about 5/6 of 120 pairs are distinct, got " + s.pairs());
    }

    /** With many sampled pairs the three values approach 1/quantile over all pairs i ≠ j (brute force). */
    @Test
    void sigestConvergesToTheAllPairsQuantiles() {
        Matrix x = TestData.gaussian(200, 3, 1.5, 21);
        double[] all = allSquaredDistances(x);
        Arrays.sort(all);
        Bandwidth.Sigest s = Bandwidth.sigest(x, 200, false, 5); // 40,000 pairs
        assertEquals(1 / Bandwidth.quantile(all, 0.9), s.gammaLow(), 0.04 / Bandwidth.quantile(all, 0.9));
        assertEquals(1 / Bandwidth.quantile(all, 0.5), s.gammaMedian(), 0.04 / Bandwidth.quantile(all, 0.5));
        assertEquals(1 / Bandwidth.quantile(all, 0.1), s.gammaHigh(), 0.04 / Bandwidth.quantile(all, 0.1));
        assertTrue(s.gammaLow() < s.gammaMedian() && s.gammaMedian() < s.gammaHigh());
    }

    /**
     * kernlab's scaling: standardize = true equals standardize = false on features standardized here
     * (mean, sample standard deviation), with the same seed; so it ignores each feature's unit.
     */
    @Test
    void sigestStandardizesLikeRsScale() {
        Matrix x = TestData.gaussian(60, 3, 1, 31);
        Matrix byHand = x.copy();
        Matrix rescaled = x.copy();
        for (int f = 0; f < 3; f++) {
            double mean = 0;
            for (int i = 0; i < 60; i++) {
                mean += x.get(i, f) / 60;
            }
            double ss = 0;
            for (int i = 0; i < 60; i++) {
                ss += (x.get(i, f) - mean) * (x.get(i, f) - mean);
            }
            double sd = Math.sqrt(ss / 59);
            for (int i = 0; i < 60; i++) {
                byHand.set(i, f, (x.get(i, f) - mean) / sd);
                rescaled.set(i, f, 1000.0 * (f + 1) * x.get(i, f) - 7);
            }
        }
        Bandwidth.Sigest a = Bandwidth.sigest(x, 0.5, true, 9);
        Bandwidth.Sigest b = Bandwidth.sigest(byHand, 0.5, false, 9);
        Bandwidth.Sigest c = Bandwidth.sigest(rescaled, 0.5, true, 9);
        assertEquals(b.pairs(), a.pairs());
        assertTrue(a.pairs() <= 30 && a.pairs() >= 25, "floor(0.5·60) = 30 pairs drawn, less those with i = j: "
                + a.pairs());
        assertEquals(b.gammaMedian(), a.gammaMedian(), 1e-12 * b.gammaMedian());
        assertEquals(b.gammaLow(), a.gammaLow(), 1e-12 * b.gammaLow());
        assertEquals(a.gammaHigh(), c.gammaHigh(), 1e-9 * a.gammaHigh());
        assertTrue(a.standardized());
        assertEquals(a, Bandwidth.sigest(x, 0.5, true, 9), "same seed, same result");
        assertNotEquals(a, Bandwidth.sigest(x, 0.5, true, 10));
        assertEquals(a, Bandwidth.sigest(x, 9), "kernlab's defaults: frac 0.5, scaled");
        double m = Bandwidth.median(byHand, 1).distance();
        assertEquals(m, Bandwidth.median(x, true, 1).distance(), 1e-12 * m);
        assertEquals(m, Bandwidth.median(rescaled, true, 1).distance(), 1e-9 * m);
    }

    /** Exact median of ‖x_i − x_j‖ over all i &lt; j, for an even (780) and an odd (15) number of pairs. */
    @Test
    void medianHeuristicIsTheExactMedianForSmallData() {
        for (int n : new int[] {40, 6}) {
            Matrix x = TestData.gaussian(n, 3, 2, 41 + n);
            double[] d = allPairDistances(x);
            Arrays.sort(d);
            double expected = d.length % 2 == 1 ? d[d.length / 2] : (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
            Bandwidth.Median m = Bandwidth.median(x, 1);
            assertEquals(expected, m.distance(), 1e-15 * expected, "n = " + n);
            assertTrue(m.exact());
            assertEquals(n * (n - 1) / 2, m.pairs());
            assertEquals(1 / (2 * expected * expected), m.gamma(), 1e-12 * m.gamma());
            assertEquals(RbfKernel.withLength(m.distance()), m.rbf());
        }
    }

    /** Beyond 2,000 rows a seeded sample of 200,000 pairs gives the all-pairs median to within 1%. */
    @Test
    void medianHeuristicSamplesPairsForLargeData() {
        Matrix x = TestData.gaussian(2100, 2, 1, 51);
        double[] d = allPairDistances(x);
        Arrays.sort(d);
        double exact = (d[d.length / 2 - 1] + d[d.length / 2]) / 2;
        Bandwidth.Median m = Bandwidth.median(x, 2);
        assertFalse(m.exact());
        assertEquals(Bandwidth.SAMPLED_PAIRS, m.pairs());
        assertEquals(exact, m.distance(), 0.01 * exact);
        assertEquals(m, Bandwidth.median(x, 2));
    }

    @Test
    void badInputsAreClearErrors() {
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> Bandwidth.median(new Matrix(1, 3), 1));
        assertEquals("median heuristic needs at least 2 rows, got 1", e.getMessage());
        Matrix same = Matrix.of(new double[][] {{1, 2}, {1, 2}, {1, 2}});
        e = assertThrows(Kernels4jException.class, () -> Bandwidth.sigest(same, 1));
        assertTrue(e.getMessage().contains("distance 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Bandwidth.median(same, 1));
        assertTrue(e.getMessage().contains("median pairwise distance is 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> Bandwidth.sigest(TestData.gaussian(10, 2, 1, 1), 0.05, true, 1));
        assertTrue(e.getMessage().contains("gives 0 pairs"), e.getMessage());
        Matrix nan = TestData.gaussian(5, 2, 1, 1);
        nan.set(2, 1, Double.NaN);
        e = assertThrows(Kernels4jException.class, () -> Bandwidth.median(nan, 1));
        assertTrue(e.getMessage().contains("row 2, column 1"), e.getMessage());
    }

    private static double[] allSquaredDistances(Matrix x) {
        int n = x.rows();
        int d = x.cols();
        double[] v = x.data();
        double[] out = new double[n * (n - 1) / 2];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double s = 0;
                for (int f = 0; f < d; f++) {
                    double t = v[i * d + f] - v[j * d + f];
                    s += t * t;
                }
                out[k++] = s;
            }
        }
        return out;
    }

    private static double[] allPairDistances(Matrix x) {
        double[] s = allSquaredDistances(x);
        for (int k = 0; k < s.length; k++) {
            s[k] = Math.sqrt(s[k]);
        }
        return s;
    }
}
