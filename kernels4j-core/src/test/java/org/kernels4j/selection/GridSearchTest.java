package org.kernels4j.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gp.GaussianProcessClassifier;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.KernelMatrixEstimator;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.RegressionClassifier;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.svm.SupportVectorMachine;

class GridSearchTest {

    private static Matrix twoClasses(Matrix x, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            double s = x.get(i, 0) + 0.5 * x.get(i, 1) * x.get(i, 1) - 0.5 + 0.6 * r.nextGaussian();
            y.set(i, 0, s > 0 ? 1 : -1);
        }
        return y;
    }

    /** Each candidate's fold scores, computed by hand: standardize on the training fold, fit, predict, score. */
    private static double[] byHand(Estimator<?> e, Matrix x, Matrix y, int[] fold, int folds, boolean classify) {
        double[] s = new double[folds];
        for (int f = 0; f < folds; f++) {
            final int ff = f;
            int[] tr = IntStream.range(0, x.rows()).filter(i -> fold[i] != ff).toArray();
            int[] te = IntStream.range(0, x.rows()).filter(i -> fold[i] == ff).toArray();
            Matrix xTr = x.selectRows(tr);
            Matrix xTe = x.selectRows(te);
            CrossValidation.standardize(xTr, xTe);
            Matrix pred = e.fit(xTr, y.selectRows(tr)).predict(xTe);
            Matrix truth = y.selectRows(te);
            s[f] = classify ? ClassificationMetrics.of(truth.data(), pred.data()).accuracy()
                    : RegressionMetrics.of(truth, pred).rmse();
        }
        return s;
    }

    /** Shared kernel matrices (and the parallel candidates) give exactly the scores of a plain fit/predict loop. */
    @Test
    void sharedKernelMatricesGiveTheScoresOfFittingEachCandidateAlone() {
        Matrix x = TestData.gaussian(150, 3, 1.0, 5);
        Matrix y = twoClasses(x, 6);
        List<GridSearch.Candidate> candidates = new ArrayList<>();
        for (String spec : List.of("rbf(gamma=0.2)", "laplacian(gamma=0.5)")) {
            Kernel k = KernelSpec.parse(spec);
            for (double c : new double[] {0.5, 4}) {
                candidates.add(new GridSearch.Candidate(spec + " C=" + c,
                        SupportVectorMachine.classifier(k).tolerance(1e-6).c(c).build()));
            }
            candidates.add(new GridSearch.Candidate(spec + " krr", RegressionClassifier.of(KernelRidge.builder(k)
                    .selectLambda(KernelRidge.logGrid(1e-3, 10, 5), RegularizationPath.Criterion.LOO).build())));
        }
        candidates.add(new GridSearch.Candidate("gpc", GaussianProcessClassifier.builder(KernelSpec.parse("rbf()"))
                .build()));
        GridSearch.Builder b = GridSearch.builder().task(CrossValidation.Task.CLASSIFICATION).folds(4).seed(9)
                .standardize(true);
        GridSearch.Result shared = b.gramBytes(1L << 30).build().run(candidates, x, y);
        GridSearch.Result direct = b.gramBytes(0).build().run(candidates, x, y);
        int[] fold = CrossValidation.stratifiedFolds(y, 4, 9);
        int best = 0;
        for (int c = 0; c < candidates.size(); c++) {
            double[] want = byHand(candidates.get(c).estimator(), x, y, fold, 4, true);
            for (int f = 0; f < 4; f++) {
                assertEquals(want[f], shared.points().get(c).scores()[f], 1e-12, candidates.get(c).label());
                assertEquals(want[f], direct.points().get(c).scores()[f], 1e-12, candidates.get(c).label());
            }
            best = shared.points().get(c).mean() > shared.points().get(best).mean() ? c : best;
        }
        assertEquals(best, shared.best());
        // kernel ridge reports the λ it chose on each training fold, from either path
        for (GridSearch.Result r : List.of(shared, direct)) {
            assertEquals(4, r.points().get(2).reports().size());
            assertTrue(r.points().get(2).reports().get(0).number("lambda") > 0);
        }
    }

    @Test
    void kernelRidgeFromKernelMatricesEqualsItsFitFromFeatures() {
        Matrix x = TestData.gaussian(60, 2, 1, 3);
        Matrix xt = TestData.gaussian(9, 2, 1, 4);
        Matrix y = new Matrix(60, 2);
        for (int i = 0; i < 60; i++) {
            y.set(i, 0, Math.cos(x.get(i, 0)));
            y.set(i, 1, x.get(i, 1));
        }
        Kernel k = KernelSpec.parse("matern(nu=2.5, length=0.8)");
        for (KernelRidge krr : List.of(KernelRidge.builder(k).lambda(0.1).fitIntercept(true).build(),
                KernelRidge.builder(k).selectLambda(KernelRidge.logGrid(1e-4, 1, 5), RegularizationPath.Criterion.LOO)
                        .build())) {
            KernelMatrixEstimator.Prediction p = krr.fitPredict(GramEngine.gram(k, x), y, GramEngine.cross(k, xt, x));
            assertEquals(0.0, p.values().maxAbsDifference(krr.fit(x, y).predict(xt)), 1e-10);
            assertEquals(krr.fit(x, y).lambda(), p.report().number("lambda"));
        }
    }

    @Test
    void regressionIsScoredByRmseAndMistakesAreNamed() {
        Matrix x = TestData.gaussian(80, 2, 1.0, 7);
        Matrix z = new Matrix(80, 1);
        for (int i = 0; i < 80; i++) {
            z.set(i, 0, Math.sin(x.get(i, 0)));
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        List<GridSearch.Candidate> svr = List.of(
                new GridSearch.Candidate("C=0.01", SupportVectorMachine.regression(k).epsilon(0.05).c(0.01).build()),
                new GridSearch.Candidate("C=10", SupportVectorMachine.regression(k).epsilon(0.05).c(10).build()));
        GridSearch.Result r = GridSearch.builder().folds(3).seed(1).build().run(svr, x, z);
        assertEquals(1, r.best()); // a tiny C cannot fit sin(x)
        assertTrue(r.points().get(1).mean() < r.points().get(0).mean());
        assertThrows(Kernels4jException.class, () -> GridSearch.builder().folds(1).build());
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> GridSearch.builder()
                .task(CrossValidation.Task.CLASSIFICATION).folds(3).build().run(List.of(new GridSearch.Candidate("krr",
                        KernelRidge.builder(k).build())), x, z));
        assertTrue(e.getMessage().contains("classification"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> GridSearch.builder().build().run(List.of(), x, z));
        assertTrue(e.getMessage().contains("at least one candidate"), e.getMessage());
    }
}
