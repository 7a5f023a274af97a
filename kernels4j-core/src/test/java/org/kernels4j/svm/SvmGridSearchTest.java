package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.selection.ClassificationMetrics;
import org.kernels4j.selection.CrossValidation;
import org.kernels4j.linalg.Matrix;

class SvmGridSearchTest {

    /** Every grid point's fold scores equal a plain loop of fit-on-features and predict (no shared kernel matrices). */
    @Test
    void sharedKernelMatricesGiveTheSameScoresAsTrainingEachPointAlone() {
        Matrix x = TestData.gaussian(150, 3, 1.0, 5);
        double[] y = SupportVectorMachineTest.twoClasses(x, 6);
        List<Kernel> kernels = List.of(KernelSpec.parse("rbf(gamma=0.2)"), KernelSpec.parse("laplacian(gamma=0.5)"));
        double[] cs = {0.5, 4};
        SupportVectorMachine base = SupportVectorMachine.classifier().tolerance(1e-6).build();
        SvmGridSearch.Result shared = new SvmGridSearch(base, kernels, cs, 4, 9, true, 1L << 30).run(x, y);
        SvmGridSearch.Result direct = new SvmGridSearch(base, kernels, cs, 4, 9, true, 0).run(x, y);
        int[] fold = CrossValidation.stratifiedFolds(Matrix.column(y.clone()), 4, 9);
        for (int k = 0; k < kernels.size(); k++) {
            for (int j = 0; j < cs.length; j++) {
                SvmGridSearch.Point p = shared.points().get(k * cs.length + j);
                SvmGridSearch.Point q = direct.points().get(k * cs.length + j);
                for (int f = 0; f < 4; f++) {
                    final int ff = f;
                    int[] tr = IntStream.range(0, 150).filter(i -> fold[i] != ff).toArray();
                    int[] te = IntStream.range(0, 150).filter(i -> fold[i] == ff).toArray();
                    Matrix xTr = x.selectRows(tr);
                    Matrix xTe = x.selectRows(te);
                    CrossValidation.standardize(xTr, xTe);
                    double[] yTr = IntStream.of(tr).mapToDouble(i -> y[i]).toArray();
                    double[] yTe = IntStream.of(te).mapToDouble(i -> y[i]).toArray();
                    double acc = ClassificationMetrics.of(yTe, base.withKernel(kernels.get(k)).withC(cs[j]).fit(xTr, yTr)
                            .predict(xTe)).accuracy();
                    assertEquals(acc, p.scores()[f], 1e-12);
                    assertEquals(acc, q.scores()[f], 1e-12);
                }
            }
        }
        int best = 0;
        for (int i = 1; i < shared.points().size(); i++) {
            best = shared.points().get(i).mean() > shared.points().get(best).mean() ? i : best;
        }
        assertEquals(best, shared.best());
    }

    @Test
    void regressionIsScoredByRmseAndOneClassIsRefused() {
        Matrix x = TestData.gaussian(80, 2, 1.0, 7);
        double[] z = new double[80];
        for (int i = 0; i < 80; i++) {
            z[i] = Math.sin(x.get(i, 0));
        }
        SvmGridSearch.Result r = new SvmGridSearch(SupportVectorMachine.regression().epsilon(0.05).build(),
                List.of(KernelSpec.parse("rbf(gamma=0.5)")), new double[] {0.01, 10}, 3, 1, false, 1L << 30).run(x, z);
        // a tiny C cannot fit sin(x); the best point is the one with the smaller RMSE
        assertEquals(1, r.best());
        assertEquals(true, r.points().get(1).mean() < r.points().get(0).mean());
        assertThrows(Kernels4jException.class, () -> new SvmGridSearch(SupportVectorMachine.oneClass().build(),
                List.of(KernelSpec.parse("rbf(gamma=1)")), new double[] {1}, 3, 1, false, 0));
    }
}
