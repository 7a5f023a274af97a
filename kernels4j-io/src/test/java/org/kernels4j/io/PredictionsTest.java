package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.ProgressListener;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/** The outputs shared by {@code predict} and the server: what each model has, and each part by another route. */
class PredictionsTest {
    static Matrix points(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < x.data().length; i++) {
            x.data()[i] = r.nextGaussian();
        }
        return x;
    }

    /** Three classes 1, 2, 3 by the sign pattern of the first coordinate, with some overlap. */
    static Matrix labels(Matrix x) {
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            double u = x.get(i, 0);
            y.set(i, 0, u < -0.4 ? 1 : u < 0.4 ? 2 : 3);
        }
        return y;
    }

    @Test
    void svmAnswersFromOneKernelPassEqualTheModelsOwnMethods() {
        Matrix x = points(90, 2, 1);
        Matrix z = points(25, 2, 2);
        SvmModel m = SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=0.7)")).c(2).probability(true).seed(3)
                .build().fit(x, labels(x));
        assertEquals(EnumSet.allOf(Predictions.Output.class).size() - 1, Predictions.available(m).size());
        assertEquals(EnumSet.of(Predictions.Output.PREDICTION, Predictions.Output.PROBABILITIES,
                Predictions.Output.DECISION), Predictions.available(m));
        Predictions p = Predictions.of(m, z, Predictions.available(m), ProgressListener.NONE);
        assertEquals(0, p.values().maxAbsDifference(m.predict(z)));
        assertEquals(0, p.decisions().maxAbsDifference(m.decisionValues(z)));
        assertTrue(p.probabilities().maxAbsDifference(m.probabilities(z)) < 1e-15);
        assertNull(p.std());
        Predictions labelsOnly = Predictions.of(m, z, EnumSet.noneOf(Predictions.Output.class), ProgressListener.NONE);
        assertNull(labelsOnly.probabilities());
        assertNull(labelsOnly.decisions());
        assertEquals(0, labelsOnly.values().maxAbsDifference(m.predict(z)));

        SavedModel saved = new SavedModel(m, List.of("u", "v"), "y", ClassLabels.inOrder(List.of("x", "a", "b", "c")));
        // one-vs-one in LIBSVM's order: (1,2), (1,3), (2,3), classes named by the model file's names
        assertEquals(List.of("a vs b", "a vs c", "b vs c"), Predictions.decisionNames(saved, 3));
        SvmModel ovr = SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=0.7)"))
                .multiclass(SvmModel.Multiclass.ONE_VS_REST).build().fit(x, labels(x));
        assertEquals(List.of("1 vs rest", "2 vs rest", "3 vs rest"),
                Predictions.decisionNames(new SavedModel(ovr, List.of("u", "v"), "y"), 3));
        SvmModel svr = SupportVectorMachine.regression(KernelSpec.parse("rbf(gamma=0.7)")).build().fit(x, x.rowRange(0, 90)
                .selectColumns(new int[] {1}));
        assertEquals("-", Predictions.decisionName(new SavedModel(svr, List.of("u", "v"), "y"), 0));
        assertEquals(EnumSet.of(Predictions.Output.PREDICTION, Predictions.Output.DECISION), Predictions.available(svr));
    }

    @Test
    void stdIsTheSquareRootOfTheVarianceAndMissingOutputsAreRefusedByName() {
        Matrix x = points(40, 1, 4);
        Matrix y = new Matrix(40, 1);
        for (int i = 0; i < 40; i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)));
        }
        Matrix z = points(7, 1, 5);
        GaussianProcessModel gp = GaussianProcess.builder(KernelSpec.parse("1*rbf(length=0.5) + white(noise=0.05)"))
                .build().fit(x, y);
        Predictions p = Predictions.of(gp, z, EnumSet.of(Predictions.Output.STD), ProgressListener.NONE);
        Matrix var = gp.predictiveVariance(z);
        for (int i = 0; i < 7; i++) {
            assertEquals(var.get(i, 0), p.std().get(i, 0) * p.std().get(i, 0), 1e-14 * var.get(i, 0));
        }
        assertEquals(0, p.values().maxAbsDifference(gp.predict(z)));
        // an input whose squared distances overflow (1e160): the Gram engine sums its differences directly, so the
        // point is far from every training row, its kernel row is 0 and its std the prior's, √(1 + 0.05)
        Matrix huge = Matrix.column(0.3, 1e160);
        Predictions far = Predictions.of(gp, huge, EnumSet.of(Predictions.Output.STD), ProgressListener.NONE);
        assertEquals(Math.sqrt(gp.predictiveVariance(huge).get(1, 0)), far.std().get(1, 0), 0.0);
        assertEquals(Math.sqrt(1.05), far.std().get(1, 0), 1e-9);
        assertEquals(EnumSet.of(Predictions.Output.PREDICTION, Predictions.Output.STD), Predictions.available(gp));
        assertEquals("0", Predictions.decisionName(new SavedModel(gp, List.of("u"), "y"), 0));

        var krr = KernelRidge.builder(KernelSpec.parse("rbf(gamma=1)")).lambda(1e-3).build().fit(x, y);
        assertEquals(EnumSet.of(Predictions.Output.PREDICTION), Predictions.available(krr));
        assertEquals(0, Predictions.of(krr, z, EnumSet.of(Predictions.Output.PREDICTION), ProgressListener.NONE).values()
                .maxAbsDifference(krr.predict(z)));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> Predictions.of(krr, z, EnumSet.of(Predictions.Output.STD), ProgressListener.NONE));
        assertEquals("a 'krr' model has no std output (it has: prediction)", e.getMessage());
        assertThrows(Kernels4jException.class, () -> Predictions.of(krr, z, EnumSet.of(Predictions.Output.DECISION),
                ProgressListener.NONE));
        assertThrows(Kernels4jException.class, () -> Predictions.of(krr, z,
                EnumSet.of(Predictions.Output.PROBABILITIES), ProgressListener.NONE));
        assertEquals(Predictions.Output.PROBABILITIES, Predictions.Output.of(" Probabilities "));
        assertEquals("unknown output 'proba' (expected prediction, std, probabilities or decision)",
                assertThrows(Kernels4jException.class, () -> Predictions.Output.of("proba")).getMessage());
    }
}
