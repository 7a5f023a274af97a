package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;
import org.kernels4j.selection.CrossValidation;

/**
 * Probabilities, votes and model files of the SVM against references written here: Wu, Lin &amp; Weng's
 * coupling (method 2) solved by its Lagrange condition from a quadratic form read off the objective,
 * Platt's sigmoid by the defining formula, votes worked by hand, and Platt's cross-validated decision
 * values rebuilt from separate fits on each fold.
 */
class SvmProbabilitiesAndVotesTest {

    /** Wu–Lin–Weng method 2's objective Σ_i Σ_{j≠i} (r_ji·p_i − r_ij·p_j)², written from its definition. */
    private static double couplingObjective(double[][] r, double[] p) {
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            for (int j = 0; j < p.length; j++) {
                if (j != i) {
                    double d = r[j][i] * p[i] - r[i][j] * p[j];
                    s += d * d;
                }
            }
        }
        return s;
    }

    /**
     * The minimiser of the objective on Σp = 1: the objective is pᵀHp for the symmetric H read off by
     * polarisation (H_tt = obj(e_t), H_tj = (obj(e_t + e_j) − obj(e_t) − obj(e_j))/2), and the
     * Lagrange condition Hp = λe gives p = H⁻¹e / eᵀH⁻¹e.
     */
    private static double[] couplingReference(double[][] r) {
        int k = r.length;
        Matrix h = new Matrix(k, k);
        for (int t = 0; t < k; t++) {
            for (int j = 0; j < k; j++) {
                double[] et = new double[k];
                double[] ej = new double[k];
                double[] both = new double[k];
                et[t] = 1;
                ej[j] = 1;
                both[t] += 1;
                both[j] += 1;
                h.set(t, j, t == j ? couplingObjective(r, et)
                        : 0.5 * (couplingObjective(r, both) - couplingObjective(r, et) - couplingObjective(r, ej)));
            }
        }
        Matrix ones = new Matrix(k, 1);
        java.util.Arrays.fill(ones.data(), 1);
        double[] v = TestData.gaussSolve(h, ones).data();
        double s = 0;
        for (double x : v) {
            s += x;
        }
        double[] p = new double[k];
        for (int t = 0; t < k; t++) {
            p[t] = v[t] / s;
        }
        return p;
    }

    /** Random inconsistent pairwise probabilities r_ij ∈ (0.05, 0.95), r_ji = 1 − r_ij. */
    private static double[][] randomPairwise(int k, Random random) {
        double[][] r = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = i + 1; j < k; j++) {
                r[i][j] = 0.05 + 0.9 * random.nextDouble();
                r[j][i] = 1 - r[i][j];
            }
        }
        return r;
    }

    /**
     * Inconsistent pairwise probabilities (no p reproduces them): the coupled p equals the Lagrange
     * solution to 1e−10 (two direct solves of a well-conditioned k×k system agree to rounding), and no
     * feasible step along e_i − e_j lowers the objective.
     */
    @Test
    void couplingIsWuLinWengMethodTwo() {
        Random random = new Random(101);
        for (int k = 3; k <= 6; k++) {
            for (int trial = 0; trial < 5; trial++) {
                double[][] r = randomPairwise(k, random);
                double[] ref = couplingReference(r);
                boolean nonNegative = true;
                for (double v : ref) {
                    nonNegative &= v >= 0;
                }
                if (!nonNegative) {
                    continue; // the clipped case is not method 2's unconstrained optimum
                }
                double[] p = Probabilities.couple(copy(r));
                assertArrayEquals(ref, p, 1e-10, "k = " + k + ", trial " + trial);
                double best = couplingObjective(r, p);
                for (int i = 0; i < k; i++) {
                    for (int j = 0; j < k; j++) {
                        if (i != j) {
                            double[] q = p.clone();
                            q[i] += 1e-4;
                            q[j] -= 1e-4;
                            assertTrue(couplingObjective(r, q) >= best, "step " + i + "→" + j);
                        }
                    }
                }
            }
        }
    }

    private static double[][] copy(double[][] r) {
        double[][] c = new double[r.length][];
        for (int i = 0; i < r.length; i++) {
            c[i] = r[i].clone();
        }
        return c;
    }

    /** Platt's sigmoid 1/(1 + exp(A·f + B)) on both branches of its stable form, and its clip at 1e−7 (documented). */
    @Test
    void sigmoidIsPlattsFormulaClippedToTheDocumentedRange() {
        double[][] cases = {{0.3, -2, 0.1}, {-1.2, -2, 0.4}, {2, 1.5, -0.5}, {-0.7, 0.8, 0.9}, {0, 3, 0}};
        for (double[] c : cases) {
            double want = 1 / (1 + Math.exp(c[1] * c[0] + c[2]));
            assertEquals(want, Probabilities.sigmoid(c[0], c[1], c[2]), 1e-15, java.util.Arrays.toString(c));
        }
        assertEquals(1e-7, Probabilities.sigmoid(40, 1, 0), 0);
        assertEquals(1 - 1e-7, Probabilities.sigmoid(-40, 1, 0), 0);
        assertEquals(1 - 1e-7, Probabilities.sigmoid(40, -1, 0), 0);
        // just inside the clip: 1/(1 + e^15) ≈ 3.06e−7 is kept as it is
        assertEquals(1 / (1 + Math.exp(15)), Probabilities.sigmoid(15, 1, 0), 1e-20);
        assertEquals(1 / (1 + Math.exp(-15)), Probabilities.sigmoid(-15, 1, 0), 1e-16);
    }

    private static double platt(double f, double[] ab) {
        double p = 1 / (1 + Math.exp(ab[0] * f + ab[1]));
        return Math.min(Math.max(p, 1e-7), 1 - 1e-7);
    }

    /** A precomputed model whose decision values equal its input rows (identity coefficients, ρ = 0). */
    private static SvmModel identityModel(int classes, SvmModel.Multiclass scheme, double[][] sigmoid) {
        int problems = classes == 2 ? 1 : scheme == SvmModel.Multiclass.ONE_VS_ONE ? classes * (classes - 1) / 2 : classes;
        double[] labels = new double[classes];
        for (int c = 0; c < classes; c++) {
            labels[c] = 10 + 3 * c;
        }
        int[] idx = java.util.stream.IntStream.range(0, problems).toArray();
        return new SvmModel(SvmModel.Type.C_SVC, null, null, idx, problems, Matrix.identity(problems),
                new double[problems], labels, scheme, sigmoid);
    }

    /**
     * Probabilities from given decision values, by hand: two classes {p, 1 − p} with p Platt's sigmoid of
     * f; one-vs-rest the sigmoids normalized; one-vs-one the coupling (reference above) of the pair
     * sigmoids in the order (0,1), (0,2), (0,3), (1,2), (1,3), (2,3).
     */
    @Test
    void probabilitiesFromDecisionValuesByHand() {
        double[][] sig = {{-1.5, 0.2}, {-0.7, -0.3}, {-2.2, 0.5}, {-1.1, 0.1}, {-0.9, -0.6}, {-1.8, 0.4}};
        Matrix f = Matrix.of(new double[][] {{0.4, -1.1, 2.0, 0.3, -0.2, 1.5}, {-2.5, 0.7, -0.1, 1.2, 0.9, -1.4},
            {0.05, 0.1, -0.3, 0.2, -0.6, 0.8}});
        // two classes
        SvmModel two = identityModel(2, SvmModel.Multiclass.ONE_VS_ONE, new double[][] {sig[0]});
        Matrix p2 = two.probabilitiesFromDecisions(f.selectColumns(new int[] {0}));
        for (int i = 0; i < 3; i++) {
            double want = platt(f.get(i, 0), sig[0]);
            assertEquals(want, p2.get(i, 0), 1e-15);
            assertEquals(1 - want, p2.get(i, 1), 1e-15);
        }
        // one-vs-rest, four classes
        SvmModel ovr = identityModel(4, SvmModel.Multiclass.ONE_VS_REST, java.util.Arrays.copyOf(sig, 4));
        Matrix f4 = f.selectColumns(new int[] {0, 1, 2, 3});
        Matrix pr = ovr.probabilitiesFromDecisions(f4);
        for (int i = 0; i < 3; i++) {
            double[] raw = new double[4];
            double sum = 0;
            for (int c = 0; c < 4; c++) {
                raw[c] = platt(f4.get(i, c), sig[c]);
                sum += raw[c];
            }
            for (int c = 0; c < 4; c++) {
                assertEquals(raw[c] / sum, pr.get(i, c), 1e-14, "row " + i + ", class " + c);
            }
        }
        // one-vs-one, four classes: six pair functions
        SvmModel ovo = identityModel(4, SvmModel.Multiclass.ONE_VS_ONE, sig);
        Matrix po = ovo.probabilitiesFromDecisions(f);
        assertEquals(0.0, po.maxAbsDifference(ovo.probabilities(f)), 0);
        for (int i = 0; i < 3; i++) {
            double[][] r = new double[4][4];
            int p = 0;
            for (int a = 0; a < 4; a++) {
                for (int b = a + 1; b < 4; b++, p++) {
                    r[a][b] = platt(f.get(i, p), sig[p]);
                    r[b][a] = 1 - r[a][b];
                }
            }
            double[] ref = couplingReference(r);
            for (int c = 0; c < 4; c++) {
                assertEquals(ref[c], po.get(i, c), 1e-10, "row " + i + ", class " + c);
            }
        }
    }

    /**
     * Votes at the edges: a decision value of exactly 0 is not a win for the first class of a pair
     * (f &gt; 0 votes for i, as in LIBSVM), so it goes to the second; one-vs-rest ties go to the first
     * largest; a one-class f of exactly 0 is an outlier; ε-SVR predicts f itself.
     */
    @Test
    void votesAtZeroAndTies() {
        SvmModel two = identityModel(2, SvmModel.Multiclass.ONE_VS_ONE, null);
        assertArrayEquals(new double[] {10, 13, 13}, two.predictFromDecisions(Matrix.column(1e-300, 0, -1e-300)));
        SvmModel three = identityModel(3, SvmModel.Multiclass.ONE_VS_ONE, null);
        // f = (0, 0, 0): every pair votes for its second class: votes 0-1-2 → class 16
        // f = (1, 0, 0): 0 beats 1, 2 beats 0, 2 beats 1: votes 1-0-2 → 16; f = (1, 1, 0): 0 twice → 10
        // f = (0, 1, 1): 1, 0, 1 → votes 1-2-0 → 13
        Matrix f = Matrix.of(new double[][] {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 1}});
        assertArrayEquals(new double[] {16, 16, 10, 13}, three.predictFromDecisions(f));
        SvmModel ovr = identityModel(3, SvmModel.Multiclass.ONE_VS_REST, null);
        Matrix g = Matrix.of(new double[][] {{0.5, 0.5, 0.1}, {-1, 2, 2}, {-3, -3, -3}, {-1, -2, -0.5}});
        assertArrayEquals(new double[] {10, 13, 10, 16}, ovr.predictFromDecisions(g));
        SvmModel oneClass = new SvmModel(SvmModel.Type.ONE_CLASS, null, null, new int[] {0}, 1, Matrix.identity(1),
                new double[1], null, null, null);
        assertArrayEquals(new double[] {1, -1, -1}, oneClass.predictFromDecisions(Matrix.column(1e-300, 0, -2)));
        SvmModel svr = new SvmModel(SvmModel.Type.EPSILON_SVR, null, null, new int[] {0}, 1, Matrix.identity(1),
                new double[1], null, null, null);
        assertArrayEquals(new double[] {2.5, -0.25}, svr.predictFromDecisions(Matrix.column(2.5, -0.25)));
    }

    /**
     * Platt's sigmoid is fitted to 5-fold cross-validated decision values: rebuilt here from a separate
     * SVM fitted on each fold's training rows (the same stratified folds: label +1 is the first class),
     * then fitted by brute-force minimisation of Platt's loss (PlattSigmoidTest). A and B to 10⁻³ as
     * there (the brute-force grid's resolution).
     */
    @Test
    void plattSigmoidIsFittedToCrossValidatedDecisionValues() {
        Random r = new Random(7);
        int n = 70;
        Matrix x = new Matrix(n, 2);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3 == 0 ? 4 : 9;
            x.set(i, 0, (y[i] == 4 ? -0.6 : 0.6) + r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        long seed = 5;
        SvmModel m = SupportVectorMachine.classifier().kernel(k).c(2).probability(true).seed(seed).build()
                .fit(x, Matrix.column(y));
        double[] yb = new double[n];
        for (int i = 0; i < n; i++) {
            yb[i] = y[i] == 4 ? 1 : -1;
        }
        int[] fold = CrossValidation.stratifiedFolds(Matrix.column(yb), 5, seed);
        double[] dec = new double[n];
        for (int f = 0; f < 5; f++) {
            int[] train = CrossValidation.foldRows(fold, f, false);
            int[] test = CrossValidation.foldRows(fold, f, true);
            double[] yt = java.util.Arrays.stream(train).mapToDouble(i -> y[i]).toArray();
            SvmModel part = SupportVectorMachine.classifier().kernel(k).c(2).build().fit(x.selectRows(train),
                    Matrix.column(yt));
            for (int i = 0; i < test.length; i++) {
                dec[test[i]] = SupportVectorMachineTest.decision(part, x.selectRows(test), i, 0);
            }
        }
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            pos[i] = yb[i] > 0;
        }
        double[] ref = PlattSigmoidTest.bruteForce(dec, pos);
        double[] ab = m.sigmoids()[0];
        assertEquals(ref[0], ab[0], 1e-3 * Math.max(1, Math.abs(ref[0])), "A");
        assertEquals(ref[1], ab[1], 1e-3 * Math.max(1, Math.abs(ref[1])), "B");
    }

    /**
     * Three classes with class 2 weighted 3: each one-vs-rest problem c is the dual with y = +1 on class
     * c, −1 elsewhere and C·w(label) per row, whose optimum the projected-gradient QP (BruteForceQp)
     * finds independently (objectives to 1e−6 relative, both solved far below that); each one-vs-one
     * column (0,1), (0,2), (1,2) is a binary SVM fitted on that pair's rows alone, to 1e−7 (the two
     * solves take different paths and agree to a few multiples of the stopping tolerance 1e−8).
     */
    @Test
    void multiclassProblemsAreTheRightBinaryProblems() {
        Matrix x = TestData.gaussian(36, 2, 1.0, 121);
        double[] y = new double[36];
        for (int i = 0; i < 36; i++) {
            y[i] = x.get(i, 0) + 0.3 * x.get(i, 1) > 0.5 ? 7 : x.get(i, 1) > 0 ? 4 : 1;
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.8)");
        double c = 1.5;
        SupportVectorMachine.Training ovr = SupportVectorMachine.classifier().kernel(k).c(c).classWeight(7, 3)
                .multiclass(SvmModel.Multiclass.ONE_VS_REST).tolerance(1e-8).build().train(x, y);
        double[][] kk = SupportVectorMachineTest.gram(k, x);
        double[] classes = {1, 4, 7};
        for (int p = 0; p < 3; p++) {
            double[] yb = new double[36];
            double[] upper = new double[36];
            double[] lin = new double[36];
            double[][] q = new double[36][36];
            for (int i = 0; i < 36; i++) {
                yb[i] = y[i] == classes[p] ? 1 : -1;
                upper[i] = y[i] == 7 ? 3 * c : c;
                lin[i] = -1;
            }
            for (int i = 0; i < 36; i++) {
                for (int j = 0; j < 36; j++) {
                    q[i][j] = yb[i] * yb[j] * kk[i][j];
                }
            }
            double[] ref = BruteForceQp.solve(q, lin, yb, upper, 0, 100_000);
            double fRef = BruteForceQp.objective(q, lin, ref);
            assertEquals(fRef, ovr.solves().get(p).objective(), 1e-6 * Math.abs(fRef), "one-vs-rest problem " + p);
        }
        SvmModel ovo = SupportVectorMachine.classifier().kernel(k).c(c).tolerance(1e-8).build().fit(x, Matrix.column(y));
        Matrix f = ovo.decisionValues(x);
        int[][] pairs = {{0, 1}, {0, 2}, {1, 2}};
        for (int p = 0; p < 3; p++) {
            double a = classes[pairs[p][0]];
            double b = classes[pairs[p][1]];
            int[] rows = java.util.stream.IntStream.range(0, 36).filter(i -> y[i] == a || y[i] == b).toArray();
            double[] yp = java.util.Arrays.stream(rows).mapToDouble(i -> y[i]).toArray();
            SvmModel pair = SupportVectorMachine.classifier().kernel(k).c(c).tolerance(1e-8).build()
                    .fit(x.selectRows(rows), Matrix.column(yp));
            Matrix fp = pair.decisionValues(x);
            for (int i = 0; i < 36; i++) {
                assertEquals(fp.get(i, 0), f.get(i, p), 1e-7, "pair " + p + ", row " + i);
            }
        }
    }

    /** Every kind of SVM model predicts the same after its codec, to the last bit. */
    @Test
    void modelsSurviveTheirCodec() {
        Matrix x = TestData.gaussian(60, 2, 1.0, 111);
        Matrix q = TestData.gaussian(15, 2, 1.0, 112);
        double[] three = new double[60];
        double[] z = new double[60];
        for (int i = 0; i < 60; i++) {
            three[i] = x.get(i, 0) > 0.4 ? 2 : x.get(i, 1) > 0 ? 1 : 0;
            z[i] = Math.sin(x.get(i, 0)) + x.get(i, 1);
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.6)");
        java.util.List<SvmModel> models = java.util.List.of(
                SupportVectorMachine.classifier(k).probability(true).build().fit(x, Matrix.column(three)),
                SupportVectorMachine.classifier(k).multiclass(SvmModel.Multiclass.ONE_VS_REST).probability(true).build()
                        .fit(x, Matrix.column(three)),
                SupportVectorMachine.regression(k).epsilon(0.05).build().fit(x, Matrix.column(z)),
                SupportVectorMachine.oneClass(k).nu(0.2).build().fit(x, null));
        for (SvmModel m : models) {
            SvmModel back = roundTrip(m);
            assertEquals(m.type(), back.type());
            assertEquals(m.multiclass(), back.multiclass());
            assertArrayEquals(m.supportIndices(), back.supportIndices());
            assertEquals(0.0, back.decisionValues(q).maxAbsDifference(m.decisionValues(q)), 0, m.type().name());
            assertEquals(0.0, back.predict(q).maxAbsDifference(m.predict(q)), 0);
            if (m.hasProbabilities()) {
                assertEquals(0.0, back.probabilities(q).maxAbsDifference(m.probabilities(q)), 0);
            }
        }
        // a precomputed-kernel model: inputs are kernel values against the 60 training rows
        Matrix gram = Matrix.of(SupportVectorMachineTest.gram(k, x));
        SvmModel pre = SupportVectorMachine.classifier().c(3).build().fitPrecomputed(gram, Matrix.column(three));
        SvmModel back = roundTrip(pre);
        assertTrue(back.isPrecomputed());
        assertEquals(60, back.inputColumns());
        assertEquals(0.0, back.decisionValues(gram).maxAbsDifference(pre.decisionValues(gram)), 0);
    }

    /**
     * Two rows, one per class: the cross-validation has two folds, and each fold's training rows hold the other
     * class only. LIBSVM's rule ({@code svm_binary_svc_probability}) gives such a fold's test rows the decision of
     * the class it was trained on: +1 for the row of the negative class (7, trained on the positive 3) and −1 for the
     * row of class 3. Platt's fit with LIBSVM's targets (N₊ + 1)/(N₊ + 2) = 2/3 for class 3 and 1/(N₋ + 2) = 1/3
     * for class 7 can then hit both targets exactly: 1/(1 + e^(−A + B)) = 2/3 and 1/(1 + e^(A + B)) = 1/3 give
     * A = ln 2, B = 0, worked by hand (Newton's stopping rule leaves an error of order 10⁻⁵). A rule that gave
     * each class's row its own class's decision would give A = −ln 2. The rule holds for the ν-SVC too (a C-SVC
     * solve on one class gives every test row +1 or −1 by itself, a ν-SVC solve does not).
     */
    @Test
    void oneRowClassesGetTheOtherClassesDecisionInTheCrossValidation() {
        Matrix x = Matrix.of(new double[][] {{0.3, -1.2}, {1.1, 0.4}});
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        for (boolean nu : new boolean[] {false, true}) {
            for (double[] labels : new double[][] {{3, 7}, {7, 3}}) {
                SupportVectorMachine svm = nu
                        ? SupportVectorMachine.nuClassifier(k).nu(0.5).probability(true).seed(5).build()
                        : SupportVectorMachine.classifier().kernel(k).c(1).probability(true).seed(5).build();
                SvmModel m = svm.fit(x, Matrix.column(labels));
                assertArrayEquals(new double[] {3, 7}, m.classes());
                double[] ab = m.sigmoids()[0];
                assertEquals(Math.log(2), ab[0], 1e-3, (nu ? "nu-SVC " : "C-SVC ") + labels[0]);
                assertEquals(0, ab[1], 1e-3, (nu ? "nu-SVC " : "C-SVC ") + labels[0]);
            }
        }
    }

    private static SvmModel roundTrip(SvmModel m) {
        ModelState s = ModelCodecs.encode(m);
        return (SvmModel) ModelCodecs.decode(ModelState.of(s.kind(), s.fields(), s.arrays()));
    }
}
