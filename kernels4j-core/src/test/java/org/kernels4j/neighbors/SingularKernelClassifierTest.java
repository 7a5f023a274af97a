package org.kernels4j.neighbors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;

/**
 * The singular-kernel classifier and the NTK depth sweep against brute force written here: scores
 * by Math.pow over explicit distance loops, 1-NN by scanning, the majority by counting, and the
 * ridgeless NTK classifier by an eigendecomposition-based inverse of Θ (TestData.inverseByEigen).
 */
class SingularKernelClassifierTest {
    private static final Matrix X = TestData.gaussian(30, 3, 1, 51);
    private static final Matrix Q = TestData.gaussian(12, 3, 1, 52);

    private static Matrix labels(Matrix x) {
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            double s = x.get(i, 0) - 0.5 * x.get(i, 2);
            y.set(i, 0, s < -0.4 ? 2 : s < 0.6 ? 5 : 8);
        }
        return y;
    }

    private static double dist(Matrix a, int i, Matrix b, int j) {
        double s = 0;
        for (int k = 0; k < a.cols(); k++) {
            s += Math.pow(a.get(i, k) - b.get(j, k), 2);
        }
        return Math.sqrt(s);
    }

    @Test
    void scoresMatchBruteForceHilbertVotes() {
        Matrix y = labels(X);
        double[] classes = {2, 5, 8};
        for (double alpha : new double[] {Double.NaN, 1.5, 7}) {
            SingularKernelClassifier.Builder b = SingularKernelClassifier.builder();
            if (!Double.isNaN(alpha)) {
                b.alpha(alpha);
            }
            SingularKernelClassifierModel m = b.build().fit(X, y);
            double a = Double.isNaN(alpha) ? 3 : alpha;
            assertEquals(a, m.alpha());
            Matrix p = m.probabilities(Q);
            Matrix pred = m.predict(Q);
            for (int r = 0; r < Q.rows(); r++) {
                double[] s = new double[3];
                double total = 0;
                for (int i = 0; i < X.rows(); i++) {
                    double w = Math.pow(dist(Q, r, X, i), -a);
                    s[java.util.Arrays.binarySearch(classes, y.get(i, 0))] += w;
                    total += w;
                }
                int best = 0;
                for (int c = 0; c < 3; c++) {
                    assertEquals(s[c] / total, p.get(r, c), 1e-12, "alpha " + a);
                    best = s[c] > s[best] ? c : best;
                }
                assertEquals(classes[best], pred.get(r, 0));
            }
        }
    }

    @Test
    void limitsAreNearestNeighbourAndMajorityAndTrainingPointsAreInterpolated() {
        Matrix y = labels(X);
        Matrix nn = SingularKernelClassifier.nearestNeighbour().fit(X, y).predict(Q);
        Matrix maj = SingularKernelClassifier.majorityVote().fit(X, y).predict(Q);
        int[] count = new int[9];
        for (int i = 0; i < X.rows(); i++) {
            count[(int) y.get(i, 0)]++;
        }
        int mode = 2;
        for (int c : new int[] {5, 8}) {
            mode = count[c] > count[mode] ? c : mode;
        }
        for (int r = 0; r < Q.rows(); r++) {
            int near = 0;
            for (int i = 1; i < X.rows(); i++) {
                near = dist(Q, r, X, i) < dist(Q, r, X, near) ? i : near;
            }
            assertEquals(y.get(near, 0), nn.get(r, 0));
            assertEquals(mode, maj.get(r, 0));
        }
        // a query equal to a training row takes its label, whatever the others say (infinite weight)
        SingularKernelClassifierModel m = SingularKernelClassifier.builder().alpha(0.5).build().fit(X, y);
        Matrix back = m.predict(X);
        for (int i = 0; i < X.rows(); i++) {
            assertEquals(y.get(i, 0), back.get(i, 0));
        }
        FitReport rep = m.report();
        assertEquals(0.5, rep.number("alpha"));
        assertThrows(Kernels4jException.class, () -> SingularKernelClassifier.builder().alpha(-1).build());
        assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(2, 4)));
    }

    @Test
    void depthSweepMatchesBruteForceNtkClassifierAndAgreementCounts() {
        Matrix x = NtkDepthSweep.normalizeRows(X);
        Matrix q = NtkDepthSweep.normalizeRows(Q);
        Matrix y = labels(X);
        Matrix yq = labels(Q);
        NeuralKernel arch = NeuralKernel.ntk(1, Activation.relu(), 2, 0.05);
        NtkDepthSweep.Result res = NtkDepthSweep.run(arch, new int[] {1, 3}, x, y, q, yq, Double.NaN);
        assertEquals(3.0, res.alpha());
        Matrix nn = SingularKernelClassifier.nearestNeighbour().fit(x, y).predict(q);
        Matrix maj = SingularKernelClassifier.majorityVote().fit(x, y).predict(q);
        Matrix sing = SingularKernelClassifier.builder().build().fit(x, y).predict(q);
        List<NtkDepthSweep.Row> rows = res.rows();
        double[] classes = {2, 5, 8};
        for (int t = 0; t < 2; t++) {
            NeuralKernel k = NeuralKernel.ntk(t == 0 ? 1 : 3, Activation.relu(), 2, 0.05);
            Matrix inv = TestData.inverseByEigen(GramEngine.gram(k, x), new double[1]);
            Matrix cross = GramEngine.cross(k, q, x);
            int acc = 0, agreeNn = 0, agreeMaj = 0, agreeSing = 0;
            for (int r = 0; r < q.rows(); r++) {
                double[] score = new double[3];
                for (int i = 0; i < x.rows(); i++) {
                    double coef = 0;
                    for (int j = 0; j < x.rows(); j++) {
                        coef += cross.get(r, j) * inv.get(j, i);
                    }
                    score[java.util.Arrays.binarySearch(classes, y.get(i, 0))] += coef;
                }
                int best = 0;
                for (int c = 1; c < 3; c++) {
                    best = score[c] > score[best] ? c : best;
                }
                double label = classes[best];
                acc += label == yq.get(r, 0) ? 1 : 0;
                agreeNn += label == nn.get(r, 0) ? 1 : 0;
                agreeMaj += label == maj.get(r, 0) ? 1 : 0;
                agreeSing += label == sing.get(r, 0) ? 1 : 0;
            }
            NtkDepthSweep.Row row = rows.get(t);
            assertEquals(acc / 12.0, row.ntkAccuracy(), 1e-12, "depth " + row.depth());
            assertEquals(agreeNn / 12.0, row.agreesWithNearestNeighbour(), 1e-12);
            assertEquals(agreeMaj / 12.0, row.agreesWithMajority(), 1e-12);
            assertEquals(agreeSing / 12.0, row.agreesWithSingularKernel(), 1e-12);
        }
        assertThrows(Kernels4jException.class, () -> NtkDepthSweep.run(arch, new int[] {-1}, x, y, q, null, 1));
    }
}
