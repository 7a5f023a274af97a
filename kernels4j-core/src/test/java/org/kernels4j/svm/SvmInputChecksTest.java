package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * The documented ranges of every SVM option (the extreme legal value accepted, the next one refused),
 * the model's shape checks, the model file's support-index check, and ν = 1 (every α at its bound).
 */
class SvmInputChecksTest {
    private static final Kernel K = KernelSpec.parse("rbf(gamma=0.5)");

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    @Test
    void optionRangesHaveInclusiveAndExclusiveEnds() {
        assertDoesNotThrow(() -> SupportVectorMachine.classifier().c(Double.MIN_VALUE).tolerance(Double.MIN_VALUE)
                .workingSet(2).maxIterations(1).cacheMegabytes(1).classWeight(1, Double.MIN_VALUE));
        assertDoesNotThrow(() -> SupportVectorMachine.regression().epsilon(0));
        assertDoesNotThrow(() -> SupportVectorMachine.oneClass().nu(1));
        refused(() -> SupportVectorMachine.classifier().c(Double.POSITIVE_INFINITY), "C must be");
        refused(() -> SupportVectorMachine.classifier().c(Double.NaN), "C must be");
        refused(() -> SupportVectorMachine.oneClass().c(1), "one-class SVM is set by nu");
        refused(() -> SupportVectorMachine.regression().epsilon(-1e-300), "epsilon");
        refused(() -> SupportVectorMachine.regression().epsilon(Double.POSITIVE_INFINITY), "epsilon");
        refused(() -> SupportVectorMachine.classifier().epsilon(0.1), "applies only to EPSILON_SVR");
        refused(() -> SupportVectorMachine.oneClass().nu(0), "nu must be in (0, 1]");
        refused(() -> SupportVectorMachine.oneClass().nu(Math.nextUp(1.0)), "nu must be in (0, 1]");
        refused(() -> SupportVectorMachine.classifier().classWeight(1, 0), "class weight");
        refused(() -> SupportVectorMachine.classifier().classWeight(1, Double.POSITIVE_INFINITY), "class weight");
        refused(() -> SupportVectorMachine.regression().classWeight(1, 2), "class weights applies only to C_SVC");
        refused(() -> SupportVectorMachine.regression().multiclass(SvmModel.Multiclass.ONE_VS_REST), "multiclass");
        refused(() -> SupportVectorMachine.oneClass().probability(true), "probability");
        assertDoesNotThrow(() -> SupportVectorMachine.oneClass().probability(false));
        refused(() -> SupportVectorMachine.classifier().tolerance(0), "tolerance");
        refused(() -> SupportVectorMachine.classifier().tolerance(Double.POSITIVE_INFINITY), "tolerance");
        refused(() -> SupportVectorMachine.classifier().cacheMegabytes(0), "cache size");
        refused(() -> SupportVectorMachine.classifier().workingSet(1), "working set");
        refused(() -> SupportVectorMachine.classifier().maxIterations(0), "max iterations");
        SupportVectorMachine svm = SupportVectorMachine.classifier(K).c(3).build();
        assertEquals(3, svm.c());
        assertEquals(7, svm.withC(7).c());
        assertEquals(SvmModel.Type.C_SVC, svm.type());
        assertEquals(K, svm.kernel());
        Kernel other = KernelSpec.parse("laplacian(gamma=1)");
        assertEquals(other, svm.withKernel(other).kernel());
        assertEquals(3, svm.withKernel(other).c());
    }

    @Test
    void trainingInputsAreChecked() {
        Matrix x = TestData.gaussian(12, 2, 1.0, 401);
        double[] y = SupportVectorMachineTest.twoClasses(x, 402);
        SupportVectorMachine svm = SupportVectorMachine.classifier(K).build();
        refused(() -> svm.fit(x, new Matrix(12, 2)), "one column, got 2");
        refused(() -> svm.train(x, null), "need 12 targets, one per training row, got none");
        double[] bad = y.clone();
        bad[4] = Double.POSITIVE_INFINITY;
        refused(() -> svm.train(x, bad), "target in row 5 is Infinity");
        refused(() -> svm.train(new Matrix(0, 2), new double[0]), "no training rows");
        refused(() -> SupportVectorMachine.classifier(K).classWeight(5, 2).build().train(x, y),
                "class weight given for label 5.0");
        double[] one = new double[12];
        java.util.Arrays.fill(one, 3);
        refused(() -> svm.train(x, one), "every target is 3.0");
        Matrix gram = Matrix.of(SupportVectorMachineTest.gram(K, x));
        gram.set(7, 7, -1e-9);
        refused(() -> SupportVectorMachine.classifier().build().fitPrecomputed(gram, Matrix.column(y)),
                "diagonal entry 7 is -1.0E-9");
        // an asymmetric matrix (the QA report's K[0,1] = 5, K[1,0] = 0.5) is refused with the pair, numbered from 1
        Matrix asymmetric = Matrix.of(SupportVectorMachineTest.gram(K, x));
        asymmetric.set(2, 5, asymmetric.get(2, 5) + 1e-6);
        refused(() -> SupportVectorMachine.classifier().build().fitPrecomputed(asymmetric, Matrix.column(y)),
                "entries (6, 3) = ");
        // rounding-level asymmetry (a Gram matrix summed in another order) is accepted
        Matrix rounded = Matrix.of(SupportVectorMachineTest.gram(K, x));
        rounded.set(2, 5, rounded.get(2, 5) * (1 + 1e-15));
        assertDoesNotThrow(() -> SupportVectorMachine.classifier().build().fitPrecomputed(rounded, Matrix.column(y)));
        // a zero diagonal is legal: the linear kernel of a zero row
        Matrix x0 = x.copy();
        x0.set(7, 0, 0);
        x0.set(7, 1, 0);
        Matrix zeroDiagonal = Matrix.of(SupportVectorMachineTest.gram(KernelSpec.parse("linear()"), x0));
        assertEquals(0, zeroDiagonal.get(7, 7), 0);
        assertDoesNotThrow(() -> SupportVectorMachine.classifier().build().fitPrecomputed(zeroDiagonal, Matrix.column(y)));
        // one-class and regression targets: one-class ignores them, regression needs them
        assertEquals(SvmModel.Type.ONE_CLASS, SupportVectorMachine.oneClass(K).build().fit(x, null).type());
        refused(() -> SupportVectorMachine.regression(K).build().fit(x, null), "need 12 targets");
    }

    /**
     * ν = 1 (documented as legal): the start puts every α at 1 (no remainder variable), which is the
     * only feasible point. Every α at its upper bound only bounds ρ from below (f(x_i) = Σ_j k_ij − ρ ≤ 0
     * at every training point), so ρ must be finite and make f ≤ 0 on the training rows. (Before the
     * fix the solver took the midpoint of that bound and +∞, and training failed with an overflow
     * message.)
     */
    @Test
    void oneClassWithNuOneKeepsEveryPoint() {
        Matrix x = TestData.gaussian(25, 2, 1.0, 411);
        SupportVectorMachine.Training t = SupportVectorMachine.oneClass(K).nu(1).build().train(x, null);
        assertEquals(25, t.model().supportVectorCount());
        for (double a : t.model().coefficients().data()) {
            assertEquals(1.0, a, 0);
        }
        assertEquals(25, t.solves().get(0).boundedSupportVectors());
        double[][] kk = SupportVectorMachineTest.gram(K, x);
        double rho = t.model().rho()[0];
        assertTrue(Double.isFinite(rho));
        for (int i = 0; i < 25; i++) {
            double f = -rho;
            for (int j = 0; j < 25; j++) {
                f += kk[i][j];
            }
            assertTrue(f <= 1e-12, "row " + i + ": f = " + f);
        }
        // ν·n not a whole number: ⌊νn⌋ = 7 at the bound, the eighth takes the remainder; Σα = νn at any ν
        SvmModel m = SupportVectorMachine.oneClass(K).nu(0.3).build().fit(x, null);
        double sum = 0;
        for (double a : m.coefficients().data()) {
            sum += a;
        }
        assertEquals(0.3 * 25, sum, 1e-12);
    }

    @Test
    void modelShapesAreChecked() {
        Matrix sv = TestData.gaussian(3, 2, 1.0, 421);
        int[] idx = {0, 1, 2};
        Matrix coef = Matrix.column(1, -0.5, -0.5);
        double[] classes = {0, 1};
        SvmModel.Type c = SvmModel.Type.C_SVC;
        SvmModel.Multiclass ovo = SvmModel.Multiclass.ONE_VS_ONE;
        assertDoesNotThrow(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], classes, ovo, null));
        refused(() -> new SvmModel(c, K, null, idx, 3, coef, new double[1], classes, ovo, null), "no support vectors");
        refused(() -> new SvmModel(c, K, sv.rowRange(0, 2), idx, 3, coef, new double[1], classes, ovo, null),
                "3 support indices but 2 support vectors");
        refused(() -> new SvmModel(c, K, sv, idx, 3, new Matrix(3, 2), new double[1], classes, ovo, null),
                "coefficients must be 3x1");
        refused(() -> new SvmModel(c, K, sv, idx, 3, new Matrix(2, 1), new double[1], classes, ovo, null),
                "coefficients must be 3x1");
        refused(() -> new SvmModel(c, K, sv, new int[] {0, 1, 3}, 3, coef, new double[1], classes, ovo, null),
                "support index 3 is outside the 3 training rows");
        refused(() -> new SvmModel(c, K, sv, new int[] {0, -1, 2}, 3, coef, new double[1], classes, ovo, null),
                "support index -1");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[] {Double.NaN}, classes, ovo, null), "rho");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], new double[] {1, 0}, ovo, null), "sorted");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], new double[] {1}, ovo, null), "two classes");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], classes, null, null), "two classes");
        refused(() -> new SvmModel(SvmModel.Type.EPSILON_SVR, K, sv, idx, 3, coef, new double[1], classes, null, null),
                "only classifiers have classes");
        refused(() -> new SvmModel(c, K, sv, idx, 3, new Matrix(3, 2), new double[2], classes, ovo, null),
                "expected 1 decision functions, got 2");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], classes, ovo, new double[][] {{1, 2}, {3, 4}}),
                "2 sigmoids for 1");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], classes, ovo, new double[][] {{1}}),
                "two finite numbers");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], classes, ovo,
                new double[][] {{1, Double.NaN}}), "two finite numbers");
        refused(() -> new SvmModel(c, K, sv, idx, 3, coef, new double[1], classes, ovo,
                new double[][] {{Double.POSITIVE_INFINITY, 1}}), "two finite numbers");
        // three classes: 3 pair functions one-vs-one, 3 one-vs-rest; four classes: 6 and 4
        double[] four = {0, 1, 2, 3};
        refused(() -> new SvmModel(c, K, sv, idx, 3, new Matrix(3, 4), new double[4], four, ovo, null),
                "expected 6 decision functions, got 4");
        assertDoesNotThrow(() -> new SvmModel(c, K, sv, idx, 3, new Matrix(3, 4), new double[4], four,
                SvmModel.Multiclass.ONE_VS_REST, null));
        SvmModel m = new SvmModel(c, K, sv, idx, 3, coef, new double[1], classes, ovo, null);
        refused(() -> m.decisionValues(new Matrix(1, 3)), "trained on 2 features, got 3");
        refused(() -> m.predictFromDecisions(new Matrix(1, 2)), "1 decision functions, got 2 columns");
        refused(() -> SupportVectorMachine.regression(K).build().fit(sv, Matrix.column(1, 2, 3)).probabilities(sv),
                "need a classifier");
        assertEquals(2, m.features());
        assertEquals(3, m.trainingRows());
        assertEquals(false, m.isPrecomputed());
        assertEquals(0, m.solves().size());
        assertEquals(3, m.report().number("support_vectors"), 0);
        assertEquals("c_svc", m.report().text("type"));
        // no support vectors: every decision value is −ρ
        SvmModel empty = new SvmModel(SvmModel.Type.EPSILON_SVR, K, new Matrix(0, 2), new int[0], 3, new Matrix(0, 1),
                new double[] {-0.25}, null, null, null);
        assertEquals(0.0, empty.decisionValues(sv).maxAbsDifference(Matrix.column(0.25, 0.25, 0.25)), 0);
    }

    /** A model file whose support index is not a whole row number below the training rows is refused. */
    @Test
    void modelFilesCheckTheirSupportIndices() {
        Matrix x = TestData.gaussian(20, 2, 1.0, 431);
        double[] y = SupportVectorMachineTest.twoClasses(x, 432);
        ModelState s = ModelCodecs.encode(SupportVectorMachine.classifier(K).build().fit(x, Matrix.column(y)));
        int nsv = s.arrays().get("support_indices").rows();
        for (double bad : new double[] {20, -1, 1.5}) {
            Map<String, Matrix> arrays = new LinkedHashMap<>(s.arrays());
            Matrix idx = arrays.get("support_indices").copy();
            idx.set(nsv - 1, 0, bad);
            arrays.put("support_indices", idx);
            refused(() -> ModelCodecs.decode(ModelState.of(s.kind(), s.fields(), arrays)), "support index " + bad);
        }
        Map<String, Matrix> arrays = new LinkedHashMap<>(s.arrays());
        Matrix idx = arrays.get("support_indices").copy();
        idx.set(nsv - 1, 0, 19);
        arrays.put("support_indices", idx);
        assertEquals(19, ((SvmModel) ModelCodecs.decode(ModelState.of(s.kind(), s.fields(), arrays))).supportIndices()[nsv - 1]);
    }
}
