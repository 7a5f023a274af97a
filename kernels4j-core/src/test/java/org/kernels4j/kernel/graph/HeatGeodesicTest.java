package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

class HeatGeodesicTest {
    @Test
    void heatKernelMatchesTheTaylorExponential() {
        Graph g = GraphMeasureTest.randomGraph();
        double t = 1.3;
        Matrix h = HeatGeodesic.builder().time(t).laplacian(HeatGeodesic.Laplacian.COMBINATORIAL).build()
                .heatKernel(GraphSpectra.of(g));
        GraphMeasureTest.assertClose(GraphMeasureTest.expm(GraphMeasureTest.lin(-t, GraphMeasureTest.laplacian(g), 0,
                GraphMeasureTest.laplacian(g))), h, 1e-11, "heat");
    }

    /**
     * Varadhan on a long path: the continuous-time walk with generator −L is, for 1 ≪ t ≪ n², close to a Gaussian
     * of variance 2t, h_t(k) ≈ e^{−k²/4t}/√(4πt); the Harnack term with σ = 1 cancels the √(4πt) so d_t(i, i+k) → k.
     * On Z the kernel is e^{−2t}I_k(2t) (modified Bessel); from that closed form (evaluated with scipy while writing
     * this test, not copied into it) d_t(i, i+k)/k − 1 for k = 12 changes sign near t = k and then, for t ≥ 2k, is
     * positive and falls like O(1/t): 2.6e-3, 2.0e-3, 1.1e-3, 6.1e-4 at t = 24, 48, 96, 192. Asserted: monotone
     * decrease over those t, below 0.3% at t = 24 and below 0.1% at t = 192 (boundaries at ≥ 7 standard deviations
     * √(2t) do not matter).
     */
    @Test
    void pathGraphDistanceApproachesTheGeodesicAsTheGaussianRegimeTakesOver() {
        int n = 300;
        Graph path = GraphMeasureTest.path(n);
        GraphSpectra spectra = GraphSpectra.of(path);
        int i = 140;
        int k = 12;
        double previous = Double.POSITIVE_INFINITY;
        for (double t : new double[] {24, 48, 96, 192}) {
            Matrix d = HeatGeodesic.builder().time(t).harnack(1).laplacian(HeatGeodesic.Laplacian.COMBINATORIAL)
                    .build().distances(spectra);
            double err = d.get(i, i + k) / k - 1;
            assertTrue(err > 0 && err < (t == 24 ? 0.003 : previous), "error " + err + " at t = " + t);
            assertTrue(err < previous, "error " + err + " at t = " + t + " after " + previous);
            previous = err;
            assertEquals(0, d.get(i, i));
            assertEquals(d.get(i, i + k), d.get(i + k, i));
        }
        assertTrue(previous < 0.001, "relative error " + previous);
        // without the Harnack term the volume factor adds 2t·ln(4πt) to d²: the distance is then clearly larger
        Matrix plain = HeatGeodesic.builder().time(192).laplacian(HeatGeodesic.Laplacian.COMBINATORIAL).build()
                .distances(spectra);
        double expected = Math.sqrt(k * k + 2 * 192 * Math.log(4 * Math.PI * 192));
        assertEquals(expected, plain.get(i, i + k), 0.03 * expected);
    }

    @Test
    void classicalMdsRecoversPlanarPointsAndSmacofDoesNotIncreaseStress() {
        Random r = new Random(5);
        int n = 12;
        Matrix x = new Matrix(n, 2);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 3 * r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
        }
        Matrix d = distances(x);
        MultidimensionalScaling.Embedding e = MultidimensionalScaling.classical(d, 2);
        Matrix back = distances(e.points());
        assertTrue(d.maxAbsDifference(back) < 1e-10, "distances recovered up to rotation");
        assertEquals(0, e.stress(), 1e-18);
        // non-Euclidean input: classical in 1-D is only a start; SMACOF's stress is no larger and ends at a fixed point
        Matrix noisy = d.copy();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = d.get(i, j) * (1 + 0.2 * r.nextDouble());
                noisy.set(i, j, v);
                noisy.set(j, i, v);
            }
        }
        MultidimensionalScaling.Embedding start = MultidimensionalScaling.classical(noisy, 1);
        MultidimensionalScaling.Embedding one = MultidimensionalScaling.smacof(noisy, 1, 1, 0);
        MultidimensionalScaling.Embedding many = MultidimensionalScaling.smacof(noisy, 1, 500, 1e-12);
        assertTrue(one.stress() <= start.stress() + 1e-12);
        assertTrue(many.stress() <= one.stress() + 1e-12);
        assertEquals(MultidimensionalScaling.stress(many.points(), noisy), many.stress(), 1e-9);
        assertEquals(1, one.iterations());
        assertThrows(Kernels4jException.class, () -> MultidimensionalScaling.classical(noisy, 0));
        Matrix asym = noisy.copy();
        asym.set(0, 1, asym.get(0, 1) + 1);
        assertTrue(assertThrows(Kernels4jException.class, () -> MultidimensionalScaling.classical(asym, 2))
                .getMessage().contains("symmetric"));
    }

    static Matrix distances(Matrix x) {
        int n = x.rows();
        Matrix d = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int c = 0; c < x.cols(); c++) {
                    double v = x.get(i, c) - x.get(j, c);
                    s += v * v;
                }
                d.set(i, j, Math.sqrt(s));
            }
        }
        return d;
    }

    @Test
    void knnGraphJoinsNearestPointsWithGaussianWeightsSymmetrically() {
        // points on a line at 0, 1, 3, 7: with k = 1 the nearest of 0 is 1, of 1 is 0, of 3 is 1, of 7 is 3
        Matrix x = Matrix.of(new double[][] {{0}, {1}, {3}, {7}});
        Graph g = NearestNeighborGraph.gaussian(x, 1, 2.0);
        assertEquals(Math.exp(-1 / 8.0), g.weight(0, 1), 1e-15);
        assertEquals(Math.exp(-4 / 8.0), g.weight(1, 2), 1e-15);
        assertEquals(Math.exp(-16 / 8.0), g.weight(2, 3), 1e-15);
        assertEquals(g.weight(2, 3), g.weight(3, 2));
        assertEquals(0, g.weight(0, 2));
        assertEquals(3, g.edgeCount());
        // automatic bandwidth: the median of the 1st-neighbour distances 1, 1, 2, 4 is 1.5
        Graph auto = NearestNeighborGraph.gaussian(x, 1, 0);
        assertEquals(Math.exp(-1 / (2 * 2.25)), auto.weight(0, 1), 1e-15);
        assertThrows(Kernels4jException.class, () -> NearestNeighborGraph.gaussian(x, 4, 1));
    }

    @Test
    void badInput() {
        assertThrows(Kernels4jException.class, () -> HeatGeodesic.builder().time(0));
        assertThrows(Kernels4jException.class, () -> HeatGeodesic.builder().harnack(1.5));
        Graph two = Graph.builder().edge("a", "b").edge("c", "d").build();
        String m = assertThrows(Kernels4jException.class, () -> HeatGeodesic.builder().build().distances(two))
                .getMessage();
        assertTrue(m.contains("2 connected components"), m);
        // far pairs at a small t saturate at the documented cap instead of failing
        Matrix far = HeatGeodesic.builder().time(0.5).laplacian(HeatGeodesic.Laplacian.COMBINATORIAL).build()
                .distances(GraphMeasureTest.path(60));
        assertEquals(far.get(0, 59), far.get(0, 58), 1e-12);
        assertTrue(far.get(0, 1) < far.get(0, 2));
    }

    @Test
    void normalisedHeatKernelMatchesTheTaylorExponentialOfLsym() {
        Graph g = GraphMeasureTest.randomGraph();
        double t = 0.8;
        Matrix h = HeatGeodesic.builder().time(t).harnack(0).build().heatKernel(GraphSpectra.of(g));
        double[][] dm = GraphMeasureTest.degreeMatrix(g, -0.5);
        double[][] lsym = GraphMeasureTest.mul(GraphMeasureTest.mul(dm, GraphMeasureTest.laplacian(g)), dm);
        GraphMeasureTest.assertClose(GraphMeasureTest.expm(GraphMeasureTest.lin(-t, lsym, 0, lsym)), h, 1e-11,
                "normalised heat");
    }

    @Test
    void distancesAreExactlySymmetricAndFarPairsSaturateAtTheDocumentedCap() {
        Matrix d = HeatGeodesic.builder().time(2).harnack(0.5).build().distances(GraphMeasureTest.randomGraph());
        for (int i = 0; i < d.rows(); i++) {
            for (int j = 0; j < d.rows(); j++) {
                assertEquals(d.get(i, j), d.get(j, i), 0, i + "," + j);
            }
        }
        // path of 60 at t = 0.5: H(0, 59) is far below 10⁻¹⁵·max H, so d = sqrt(−4t·ln(10⁻¹⁵·max H)) with max H from
        // the Taylor exponential of −tL
        double t = 0.5;
        Graph path = GraphMeasureTest.path(60);
        double[][] h = GraphMeasureTest.expm(GraphMeasureTest.lin(-t, GraphMeasureTest.laplacian(path), 0,
                GraphMeasureTest.laplacian(path)));
        double max = 0;
        for (double[] row : h) {
            for (double v : row) {
                max = Math.max(max, v);
            }
        }
        assertTrue(max < 0.9, "max H " + max);
        double cap = Math.sqrt(-4 * t * Math.log(1e-15 * max));
        Matrix far = HeatGeodesic.builder().time(t).laplacian(HeatGeodesic.Laplacian.COMBINATORIAL).build()
                .distances(path);
        assertEquals(cap, far.get(0, 59), 1e-9 * cap);
    }

    @Test
    void smacofStepIsTheGuttmanTransformAndStopsByTheRelativeDecrease() {
        Random r = new Random(8);
        int n = 9;
        Matrix x = new Matrix(n, 2);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 2 * r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
        }
        Matrix noisy = distances(x);
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double v = noisy.get(i, j) * (1 + 0.3 * r.nextDouble());
                noisy.set(i, j, v);
                noisy.set(j, i, v);
            }
        }
        // X₁ = B(X₀)·X₀/n, B_ij = −Δ_ij/d_ij (i ≠ j), B_ii = −Σ_{j≠i} B_ij (de Leeuw's Guttman transform)
        Matrix x0 = MultidimensionalScaling.classical(noisy, 2).points();
        Matrix d0 = distances(x0);
        double[][] want = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double bij = i == j ? 0 : -noisy.get(i, j) / d0.get(i, j);
                for (int c = 0; c < 2; c++) {
                    want[i][c] += (bij * x0.get(j, c) - bij * x0.get(i, c)) / n;
                }
            }
        }
        Matrix x1 = MultidimensionalScaling.smacof(noisy, 2, 1, 0).points();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(want[i][c], x1.get(i, c), 1e-12, i + "," + c);
            }
        }
        MultidimensionalScaling.Embedding none = MultidimensionalScaling.smacof(noisy, 2, 0, 0.1);
        assertEquals(0, none.iterations());
        assertEquals(0.0, none.points().maxAbsDifference(x0), 0);
        // stop at the first step whose stress falls by at most tolerance × the previous stress
        double tolerance = 1e-3;
        double previous = MultidimensionalScaling.stress(x0, noisy);
        int expected = -1;
        double expectedStress = 0;
        for (int m = 1; m <= 200 && expected < 0; m++) {
            double s = MultidimensionalScaling.smacof(noisy, 2, m, 0).stress();
            if (previous - s <= tolerance * previous) {
                expected = m;
                expectedStress = s;
            }
            previous = s;
        }
        assertTrue(expected > 2, "stops after " + expected);
        MultidimensionalScaling.Embedding stopped = MultidimensionalScaling.smacof(noisy, 2, 500, tolerance);
        assertEquals(expected, stopped.iterations());
        assertEquals(expectedStress, stopped.stress(), 0);
    }

    @Test
    void mdsEdgeCases() {
        // all points at one place: every b is 0 (no 0/0), the embedding stays at the origin
        MultidimensionalScaling.Embedding zero = MultidimensionalScaling.smacof(new Matrix(3, 3), 1, 5, 0);
        for (double v : zero.points().data()) {
            assertEquals(0.0, v, 0);
        }
        // two points at distance 2 placed at 0 and 1: raw stress (1 − 2)² = 1
        assertEquals(1.0, MultidimensionalScaling.stress(Matrix.of(new double[][] {{0}, {1}}),
                Matrix.of(new double[][] {{0, 2}, {2, 0}})), 0);
        Matrix tri = Matrix.of(new double[][] {{0, 3, 4}, {3, 0, 5}, {4, 5, 0}});
        assertEquals(3, MultidimensionalScaling.classical(tri, 3).points().cols()); // k = n is allowed
        // asymmetry is judged relative to the entry: 5e−7 on 1000 is within 10⁻⁹·1000
        Matrix big = Matrix.of(new double[][] {{0, 1000, 1000}, {1000 + 5e-7, 0, 1000}, {1000, 1000, 0}});
        assertEquals(2, MultidimensionalScaling.classical(big, 2).points().cols());
    }

    @Test
    void knnGraphEdgesOfItsRanges() {
        assertEquals(1, NearestNeighborGraph.gaussian(Matrix.of(new double[][] {{0}, {1}}), 1, 1).edgeCount());
        Matrix four = Matrix.of(new double[][] {{0}, {1}, {3}, {7}});
        assertEquals(6, NearestNeighborGraph.gaussian(four, 3, 1).edgeCount());
        // five points, not in order: 1st-neighbour distances 8, 1, 4, 1, 2, median 2
        Graph g = NearestNeighborGraph.gaussian(Matrix.of(new double[][] {{15}, {0}, {7}, {1}, {3}}), 1, 0);
        assertEquals(Math.exp(-64 / 8.0), g.weight(0, 2), 1e-15);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> NearestNeighborGraph.gaussian(Matrix.of(new double[][] {{0}, {0}, {0}, {5}}), 1, 0));
        assertTrue(e.getMessage().contains("the median distance to the 1-th neighbour is 0"), e.getMessage());
    }
}
