package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;

/** Each point's mean and sample standard deviation of its fold scores, ties, and non-finite features. */
class GridSearchSummaryTest {

    @Test
    void meanAndSampleStandardDeviationOfTheFoldScoresAndTheFirstOfTiedCandidatesWins() {
        Matrix x = TestData.gaussian(60, 2, 1, 31);
        Matrix y = new Matrix(60, 1);
        for (int i = 0; i < 60; i++) {
            y.set(i, 0, Math.sin(x.get(i, 0)) + 0.3 * x.get(i, 1));
        }
        var krr = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(0.1).build();
        var worse = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(100).build();
        GridSearch.Result r = GridSearch.builder().task(CrossValidation.Task.REGRESSION).folds(5).seed(3).build()
                .run(List.of(new GridSearch.Candidate("worse", worse), new GridSearch.Candidate("a", krr),
                        new GridSearch.Candidate("b", krr)), x, y);
        for (GridSearch.Point p : r.points()) {
            double[] s = p.scores();
            assertEquals(5, s.length);
            double mean = (s[0] + s[1] + s[2] + s[3] + s[4]) / 5;
            double ss = 0;
            for (double v : s) {
                ss += (v - mean) * (v - mean);
            }
            assertEquals(mean, p.mean(), 1e-12);
            assertEquals(Math.sqrt(ss / 4), p.standardDeviation(), 1e-12);
            assertTrue(p.standardDeviation() > 0);
        }
        // "a" and "b" are the same estimator: equal scores, and the first of them is the best (lowest RMSE)
        assertEquals(r.points().get(1).mean(), r.points().get(2).mean());
        assertEquals(1, r.best());
        assertTrue(r.seconds() >= 0);
    }

    @Test
    void nonFiniteFeaturesAreRefused() {
        Matrix x = TestData.gaussian(20, 2, 1, 1);
        x.set(3, 1, Double.NaN);
        var krr = KernelRidge.builder(KernelSpec.parse("rbf()")).lambda(0.1).build();
        var e = assertThrows(Kernels4jException.class, () -> GridSearch.builder().task(CrossValidation.Task.REGRESSION)
                .folds(4).build().run(List.of(new GridSearch.Candidate("a", krr)), x, new Matrix(20, 1)));
        assertTrue(e.getMessage().contains("features"), e.getMessage());
    }
}
