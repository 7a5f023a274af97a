package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;

/**
 * What the SVM reports about its solves and what it refuses, each against a value this test derives itself: LIBSVM's
 * ν-feasibility bound 2·min(n₁, n₂)/(n₁ + n₂) for every pair (one-vs-one) or class against the rest (one-vs-rest),
 * the ν-SVC's solve report against the C-SVC with C = 1/r it equals (Chang &amp; Lin 2001), and the refusals of
 * probabilities, non-finite inputs and unsorted classes. Written for the survivors of the 2026-12-07 PIT run of
 * {@code SupportVectorMachine} and {@code SvmModel} (docs/mutation/svm-nu-2026-12-07.md).
 */
class SvmReportsAndRefusalsTest {
    private static final Kernel K = KernelSpec.parse("rbf(gamma=0.5)");

    /** Three classes of 10, 20 and 30 rows (labels 3, 7, 11). */
    private static Matrix[] threeClasses() {
        Matrix[] d = NuSvmTest.blobs(60, 3, 2, 41);
        double[] y = new double[60];
        for (int i = 0; i < 60; i++) {
            y[i] = i < 10 ? 3 : i < 30 ? 7 : 11;
        }
        return new Matrix[] {d[0], Matrix.column(y)};
    }

    private static String refusal(org.junit.jupiter.api.function.Executable e) {
        return assertThrows(Kernels4jException.class, e).getMessage();
    }

    /**
     * One-vs-rest: class 3 (10 rows) against the rest (50) allows ν ≤ 2·10/60 = 1/3. One-vs-one: the tightest pair is
     * 3 (10) against 11 (30), ν ≤ 2·10/40 = 0.5. So ν = 0.4 is refused one-vs-rest only, ν = 0.55 both ways, and
     * each message names the pair and its bound.
     */
    @Test
    void nuFeasibilityIsCheckedPerPairOrPerClassAgainstTheRest() {
        Matrix[] d = threeClasses();
        SupportVectorMachine.Builder ovr = SupportVectorMachine.nuClassifier(K).multiclass(SvmModel.Multiclass.ONE_VS_REST);
        String rest = refusal(() -> ovr.nu(0.4).build().fit(d[0], d[1]));
        assertTrue(rest.contains("class 3.0 (10 rows) against the rest (50 rows)"), rest);
        assertTrue(rest.contains("= " + 2.0 * 10 / 60), rest);
        SvmModel pairs = SupportVectorMachine.nuClassifier(K).nu(0.4).build().fit(d[0], d[1]);
        assertEquals(3, pairs.rho().length);
        SvmModel atBound = SupportVectorMachine.nuClassifier(K).nu(1.0 / 3).multiclass(SvmModel.Multiclass.ONE_VS_REST)
                .build().fit(d[0], d[1]);
        assertEquals(3, atBound.rho().length);
        String pair = refusal(() -> SupportVectorMachine.nuClassifier(K).nu(0.55).build().fit(d[0], d[1]));
        assertTrue(pair.contains("class 3.0 (10 rows) against class 11.0 (30 rows)"), pair);
        assertTrue(pair.contains("= 0.5"), pair);
        String restAgain = refusal(() -> SupportVectorMachine.nuClassifier(K).nu(0.55)
                .multiclass(SvmModel.Multiclass.ONE_VS_REST).build().fit(d[0], d[1]));
        assertTrue(restAgain.contains("against the rest"), restAgain);
    }

    /**
     * The ν-SVC solve, rescaled by 1/r, is the C-SVC solve for C = 1/r (the largest |coefficient|): its reported
     * objective (LIBSVM's: the ν objective divided by r²) plus the linear term ν·l·C is the C-SVC's objective, and
     * ρ and the counts of support and bounded support vectors equal the C-SVC's own; the model report lists the
     * problem.
     */
    @Test
    void nuSolveReportIsTheCsvcSolveReport() {
        Matrix[] d = NuSvmTest.blobs(100, 2, 1.5, 9);
        for (double nu : new double[] {0.25, 0.6}) {
            SvmModel nuModel = SupportVectorMachine.nuClassifier(K).nu(nu).tolerance(1e-9).build().fit(d[0], d[1]);
            double c = 0;
            for (double v : nuModel.coefficients().data()) {
                c = Math.max(c, Math.abs(v));
            }
            SvmModel cModel = SupportVectorMachine.classifier(K).c(c).tolerance(1e-9).build().fit(d[0], d[1]);
            List<SupportVectorMachine.Solve> ns = nuModel.solves();
            List<SupportVectorMachine.Solve> cs = cModel.solves();
            assertEquals(1, ns.size());
            SupportVectorMachine.Solve a = ns.get(0);
            SupportVectorMachine.Solve b = cs.get(0);
            // LIBSVM reports ½α_νᵀQα_ν/r², the quadratic part of the C-SVC objective ½αᵀQα − eᵀα at α = α_ν/r; the
            // linear part is eᵀα_ν/r = ν·l·C, since the ν-SVC dual has eᵀα_ν = ν·l
            assertEquals(b.objective(), a.objective() - nu * 100 * c, 1e-6 * Math.abs(b.objective()), "objective, nu "
                    + nu);
            assertEquals(b.rho(), a.rho(), 1e-5, "rho, nu " + nu);
            assertEquals(b.supportVectors(), a.supportVectors(), "support vectors, nu " + nu);
            // bounded: α = C exactly in both (rows at the bound within rounding may differ by one or two)
            assertTrue(Math.abs(b.boundedSupportVectors() - a.boundedSupportVectors()) <= 2,
                    a.boundedSupportVectors() + " vs " + b.boundedSupportVectors());
            assertTrue(a.boundedSupportVectors() > 0 && a.boundedSupportVectors() < a.supportVectors());
            List<FitReport> parts = nuModel.report().parts("problems");
            assertEquals(1, parts.size());
            assertEquals(a.objective(), parts.get(0).number("objective"), 1e-12 * Math.abs(a.objective()));
        }
    }

    @Test
    void withCKeepsTheClassWeights() {
        Matrix[] d = NuSvmTest.blobs(80, 2, 1.0, 12);
        SupportVectorMachine weighted = SupportVectorMachine.classifier(K).c(1).classWeight(3, 5).build();
        SvmModel viaWithC = SupportVectorMachine.classifier(K).c(7).classWeight(3, 5).build().withC(1).fit(d[0], d[1]);
        SvmModel direct = weighted.fit(d[0], d[1]);
        SvmModel unweighted = SupportVectorMachine.classifier(K).c(1).build().fit(d[0], d[1]);
        assertEquals(direct.rho()[0], viaWithC.rho()[0], 1e-12);
        assertTrue(Math.abs(direct.rho()[0] - unweighted.rho()[0]) > 1e-3, "the weight matters on these data");
    }

    @Test
    void probabilitiesAreRefusedWithoutTheirTraining() {
        Matrix[] d = NuSvmTest.blobs(40, 2, 1.0, 13);
        SvmModel plain = SupportVectorMachine.classifier(K).build().fit(d[0], d[1]);
        assertTrue(refusal(() -> plain.probabilities(d[0])).contains("trained without probability estimates"));
        assertTrue(refusal(() -> plain.probabilitiesFromDecisions(new Matrix(3, 1)))
                .contains("trained without probability estimates"));
        SvmModel regression = SupportVectorMachine.regression(K).build().fit(d[0], d[1]);
        assertTrue(refusal(() -> regression.probabilities(d[0])).contains("probabilities need a classifier"));
        SvmModel withProb = SupportVectorMachine.classifier(K).probability(true).build().fit(d[0], d[1]);
        assertTrue(refusal(() -> withProb.probabilitiesFromDecisions(new Matrix(3, 2)))
                .contains("1 decision functions, got 2 columns"));
    }

    @Test
    void nonFiniteInputsAreNamedByKind() {
        Matrix[] d = NuSvmTest.blobs(30, 2, 1.0, 14);
        SvmModel model = SupportVectorMachine.classifier(K).build().fit(d[0], d[1]);
        Matrix bad = d[0].copy();
        bad.set(2, 1, Double.NaN);
        String msg = refusal(() -> model.decisionValues(bad));
        assertTrue(msg.contains("input data"), msg);
        assertFalse(msg.contains("precomputed"), msg);
        Matrix gram = org.kernels4j.gram.GramEngine.gram(K, d[0]);
        SvmModel pre = SupportVectorMachine.classifier().build().fitPrecomputed(gram, d[1]);
        Matrix badGram = gram.copy();
        badGram.set(0, 0, Double.POSITIVE_INFINITY);
        String pmsg = refusal(() -> pre.decisionValues(badGram));
        assertTrue(pmsg.contains("precomputed kernel values"), pmsg);
    }

    @Test
    void repeatedClassLabelsAreRefused() {
        Matrix sv = Matrix.wrap(2, 1, new double[] {0, 1});
        String msg = refusal(() -> new SvmModel(SvmModel.Type.C_SVC, K, sv, new int[] {0, 1}, 2,
                Matrix.wrap(2, 1, new double[] {1, -1}), new double[] {0}, new double[] {1, 1},
                SvmModel.Multiclass.ONE_VS_ONE, null));
        assertTrue(msg.contains("distinct and sorted"), msg);
    }
}
