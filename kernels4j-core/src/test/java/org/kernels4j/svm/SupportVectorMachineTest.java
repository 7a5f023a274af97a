package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class SupportVectorMachineTest {

    /** Features and last-column labels of a bundled CSV with a header. */
    static Object[] readCsv(String name) throws Exception {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SupportVectorMachineTest.class.getResourceAsStream("data/" + name), StandardCharsets.UTF_8))) {
            r.readLine();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                rows.add(java.util.Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray());
            }
        }
        int d = rows.get(0).length - 1;
        Matrix x = new Matrix(rows.size(), d);
        double[] y = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x.data(), i * d, d);
            y[i] = rows.get(i)[d];
        }
        return new Object[] {x, y};
    }

    /** Two noisy overlapping Gaussian classes, labels ±1. */
    static double[] twoClasses(Matrix x, long seed) {
        Random r = new Random(seed);
        double[] y = new double[x.rows()];
        for (int i = 0; i < x.rows(); i++) {
            double s = x.get(i, 0) + 0.5 * x.get(i, 1) * x.get(i, 1) - 0.5 + 0.6 * r.nextGaussian();
            y[i] = s > 0 ? 1 : -1;
        }
        return y;
    }

    static double[][] gram(Kernel k, Matrix x) {
        int n = x.rows();
        double[][] g = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i][j] = i == j ? k.selfValue(x.row(i)) : k.value(x.row(i), x.row(j));
            }
        }
        return g;
    }

    /** f(x) = Σ coef·k(sv, x) − ρ by the scalar formula. */
    static double decision(SvmModel m, Matrix x, int row, int problem) {
        double s = -m.rho()[problem];
        Matrix sv = m.supportVectors();
        Matrix coef = m.coefficients();
        for (int i = 0; i < sv.rows(); i++) {
            s += coef.get(i, problem) * m.kernel().value(sv.row(i), x.row(row));
        }
        return s;
    }

    /** α per training row of a binary classifier (α = y·coef ≥ 0). */
    static double[] alphas(SvmModel m, int n) {
        double[] a = new double[n];
        int[] idx = m.supportIndices();
        for (int s = 0; s < idx.length; s++) {
            a[idx[s]] = Math.abs(m.coefficients().get(s, 0));
        }
        return a;
    }

    /**
     * heart_scale, RBF with gamma = 1/13, C = 1 (LIBSVM's defaults). Reference figures printed by
     * LIBSVM 3.24 (Debian libsvm-tools 3.24+ds-6): `svm-train heart_scale` prints "obj = -100.877288,
     * rho = 0.424462, nSV = 132, nBSV = 107", and `svm-predict heart_scale heart_scale.model out` prints
     * "Accuracy = 86.6667% (234/270)". Our classes are sorted (−1 first), LIBSVM's are in order of first
     * appearance (+1 first), so ρ has the opposite sign.
     */
    @Test
    void heartScaleMatchesLibsvm() throws Exception {
        Object[] data = readCsv("heart_scale.csv");
        Matrix x = (Matrix) data[0];
        double[] y = (double[]) data[1];
        Kernel k = KernelSpec.parse("rbf(gamma=" + (1.0 / 13) + ")");
        // the default path (the whole Gram matrix fits the cache budget, so it is computed once), and the
        // row-on-demand path with a small working set and a cache of 40 rows, so that rows are batched,
        // evicted and recomputed, and the active set is shrunk and rebuilt
        checkHeartScale(x, y, SupportVectorMachine.classifier().kernel(k).c(1).build().train(x, y));
        SupportVectorMachine small = SupportVectorMachine.classifier().kernel(k).c(1).workingSet(16).build();
        checkHeartScale(x, y, small.withCacheBytes(40L * 8 * 270).train(KernelSource.of(k, x), x, y));
    }

    private static void checkHeartScale(Matrix x, double[] y, SupportVectorMachine.Training t) {
        SupportVectorMachine.Solve s = t.solves().get(0);
        assertEquals(132, s.supportVectors());
        assertEquals(107, s.boundedSupportVectors());
        assertEquals(132, t.model().supportVectorCount());
        assertEquals(-100.877288, s.objective(), 1e-3 * 100.877288);
        assertEquals(-0.424462, s.rho(), 5e-3);
        double[] pred = t.model().predict(x).data();
        int correct = 0;
        for (int i = 0; i < y.length; i++) {
            correct += pred[i] == y[i] ? 1 : 0;
        }
        assertEquals(234, correct);
    }

    /**
     * The other problem types on the same heart_scale rows, against figures printed by LIBSVM 3.24's
     * svm-train (Debian libsvm-tools 3.24+ds-6) with default gamma 1/13:
     * <ul>
     *   <li>{@code -s 3 -p 0.1} (ε-SVR, C = 1, on the ±1 labels as real targets): "obj = -95.509946,
     *       rho = 0.225125, nSV = 200, nBSV = 145", and svm-predict "Mean squared error = 0.413585";</li>
     *   <li>{@code -s 2 -n 0.3} (one-class): "obj = 1125.742264, rho = 29.341137, nSV = 86, nBSV = 73";</li>
     *   <li>{@code -c 10 -w1 2} (C-SVC, class +1 weighted 2): "obj = -875.007562, rho = 0.895515,
     *       nSV = 127, nBSV = 58" (ρ with the opposite sign here, as classes are sorted).</li>
     * </ul>
     */
    @Test
    void regressionOneClassAndClassWeightsMatchLibsvm() throws Exception {
        Object[] data = readCsv("heart_scale.csv");
        Matrix x = (Matrix) data[0];
        double[] y = (double[]) data[1];
        Kernel k = KernelSpec.parse("rbf(gamma=" + (1.0 / 13) + ")");
        SupportVectorMachine.Training svr = SupportVectorMachine.regression().kernel(k).c(1).epsilon(0.1).build()
                .train(x, y);
        checkSolve(svr.solves().get(0), -95.509946, 0.225125, 200, 145);
        double[] pred = svr.model().predict(x).data();
        double mse = 0;
        for (int i = 0; i < y.length; i++) {
            mse += (pred[i] - y[i]) * (pred[i] - y[i]) / y.length;
        }
        assertEquals(0.413585, mse, 1e-3);
        checkSolve(SupportVectorMachine.oneClass().kernel(k).nu(0.3).build().train(x, null).solves().get(0),
                1125.742264, 29.341137, 86, 73);
        checkSolve(SupportVectorMachine.classifier().kernel(k).c(10).classWeight(1, 2).build().train(x, y).solves()
                .get(0), -875.007562, -0.895515, 127, 58);
    }

    /** Objective to 10⁻⁴ relative (the solvers stop at different points within ε = 10⁻³), ρ to 10⁻², counts exactly. */
    private static void checkSolve(SupportVectorMachine.Solve s, double objective, double rho, int sv, int bsv) {
        assertEquals(objective, s.objective(), 1e-4 * Math.abs(objective));
        assertEquals(rho, s.rho(), 1e-2 * Math.max(1, Math.abs(rho)));
        assertEquals(sv, s.supportVectors());
        assertEquals(bsv, s.boundedSupportVectors());
    }

    @Test
    void binaryDualMatchesBruteForceQp() {
        Matrix x = TestData.gaussian(60, 3, 1.0, 11);
        double[] y = twoClasses(x, 12);
        Kernel k = KernelSpec.parse("rbf(gamma=0.7)");
        double c = 2.0;
        double weight = 3.0; // class +1 gets C·3
        SupportVectorMachine.Training t = SupportVectorMachine.classifier().kernel(k).c(c).classWeight(1, weight)
                .tolerance(1e-7).workingSet(8).build().train(x, y);
        // the model's α and the reference QP in the model's own labelling (class −1 is the positive side)
        int n = y.length;
        double[][] kk = gram(k, x);
        double[][] q = new double[n][n];
        double[] yb = new double[n];
        double[] upper = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            yb[i] = y[i] == -1 ? 1 : -1;
            upper[i] = y[i] == 1 ? c * weight : c;
            p[i] = -1;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                q[i][j] = yb[i] * yb[j] * kk[i][j];
            }
        }
        double[] ref = BruteForceQp.solve(q, p, yb, upper, 0, 200_000);
        double fRef = BruteForceQp.objective(q, p, ref);
        double[] a = alphas(t.model(), n);
        assertEquals(fRef, BruteForceQp.objective(q, p, a), 1e-6 * Math.abs(fRef));
        assertEquals(fRef, t.solves().get(0).objective(), 1e-6 * Math.abs(fRef));
        for (int i = 0; i < n; i++) {
            assertEquals(ref[i], a[i], 1e-3 * c * weight, "alpha " + i);
        }
    }

    @Test
    void kktConditionsHoldToTheTolerance() {
        Matrix x = TestData.gaussian(400, 4, 1.0, 21);
        double[] y = twoClasses(x, 22);
        double c = 5;
        double tol = 1e-3;
        SvmModel m = SupportVectorMachine.classifier().kernel(KernelSpec.parse("rbf(gamma=0.3)")).c(c).tolerance(tol)
                .workingSet(64).build().fit(x, Matrix.column(y));
        double[] a = alphas(m, y.length);
        int free = 0;
        for (int i = 0; i < y.length; i++) {
            double yi = y[i] == -1 ? 1 : -1; // the model's labelling: the first class is the positive side
            double margin = yi * decision(m, x, i, 0);
            if (a[i] == 0) {
                assertTrue(margin >= 1 - tol - 1e-9, "row " + i + " at 0 has margin " + margin);
            } else if (a[i] >= c) {
                assertTrue(margin <= 1 + tol + 1e-9, "row " + i + " at C has margin " + margin);
            } else {
                free++;
                assertEquals(1, margin, tol + 1e-9, "free row " + i);
            }
        }
        assertTrue(free > 0);
        // and the equality constraint Σ y_i α_i = 0
        double s = 0;
        for (double v : m.coefficients().data()) {
            s += v;
        }
        assertEquals(0, s, 1e-9);
    }

    @Test
    void progressRisesMonotonicallyTowardsConvergence() {
        Matrix x = TestData.gaussian(400, 4, 1.0, 21);
        double[] y = twoClasses(x, 22);
        List<long[]> reports = new java.util.concurrent.CopyOnWriteArrayList<>();
        SupportVectorMachine.classifier().kernel(KernelSpec.parse("rbf(gamma=0.3)")).c(5).workingSet(16)
                .progress((done, total, stage) -> reports.add(new long[] {done, total})).build().fit(x, Matrix.column(y));
        assertTrue(reports.size() > 1, "reports: " + reports.size());
        for (int i = 0; i < reports.size(); i++) {
            assertEquals(1000, reports.get(i)[1]);
            assertTrue(reports.get(i)[0] > (i == 0 ? 0 : reports.get(i - 1)[0]) && reports.get(i)[0] <= 1000);
        }
        // three classes: one report per finished pair problem, 1 to 3 of 3
        reports.clear();
        double[] three = new double[400];
        for (int i = 0; i < 400; i++) {
            three[i] = y[i] > 0 ? (x.get(i, 2) > 0 ? 2 : 1) : 0;
        }
        SupportVectorMachine.classifier().kernel(KernelSpec.parse("rbf(gamma=0.3)"))
                .progress((done, total, stage) -> reports.add(new long[] {done, total})).build().fit(x, Matrix.column(three));
        assertEquals(3, reports.size());
        assertEquals(java.util.Set.of(1L, 2L, 3L),
                reports.stream().map(r -> r[0]).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void decisionValuesDoNotDependOnTheOrderOfTrainingRows() {
        Matrix x = TestData.gaussian(300, 3, 1.0, 31);
        double[] y = twoClasses(x, 32);
        Matrix test = TestData.gaussian(50, 3, 1.0, 33);
        int[] perm = org.kernels4j.approx.Landmarks.permutation(300, new Random(34));
        Matrix xp = x.selectRows(perm);
        double[] yp = new double[300];
        for (int i = 0; i < 300; i++) {
            yp[i] = y[perm[i]];
        }
        for (double tol : new double[] {1e-3, 1e-8}) {
            SupportVectorMachine svm = SupportVectorMachine.classifier().kernel(KernelSpec.parse("rbf(gamma=0.5)")).c(3)
                    .tolerance(tol).workingSet(32).build();
            Matrix f1 = svm.fit(x, Matrix.column(y)).decisionValues(test);
            Matrix f2 = svm.fit(xp, Matrix.column(yp)).decisionValues(test);
            // the solutions agree to within the stopping tolerance: |Δf| is a few multiples of it
            assertTrue(f1.maxAbsDifference(f2) < 20 * tol, "tol " + tol + ": " + f1.maxAbsDifference(f2));
        }
    }

    @Test
    void solverSettingsReachTheSameOptimum() {
        Matrix x = TestData.gaussian(500, 5, 1.0, 41);
        double[] y = twoClasses(x, 42);
        Kernel k = KernelSpec.parse("rbf(gamma=0.2)");
        double[] objectives = new double[4];
        int i = 0;
        for (int[] setting : new int[][] {{2, 0}, {2, 1}, {64, 1}, {512, 0}}) {
            objectives[i++] = SupportVectorMachine.classifier().kernel(k).c(10).tolerance(1e-5).workingSet(setting[0])
                    .shrinking(setting[1] == 1).cacheMegabytes(1).build().train(x, y).solves().get(0).objective();
        }
        for (double o : objectives) {
            assertEquals(objectives[0], o, 1e-6 * Math.abs(objectives[0]));
        }
    }

    /** Stopped by the iteration cap while shrunk: the reported objective still uses every exact gradient. */
    @Test
    void iterationCapReportsAConsistentPartialSolution() {
        Matrix x = TestData.gaussian(300, 3, 1.0, 43);
        double[] y = twoClasses(x, 44);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        SupportVectorMachine.Training t = SupportVectorMachine.classifier().kernel(k).c(1).workingSet(2)
                .maxIterations(120).build().withCacheBytes(20L * 8 * 300).train(KernelSource.of(k, x), x, y);
        SupportVectorMachine.Solve s = t.solves().get(0);
        assertEquals(false, s.converged());
        assertTrue(s.gap() > 1e-3);
        double[] a = alphas(t.model(), 300);
        double[][] kk = gram(k, x);
        double f = 0;
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 300; j++) {
                f += 0.5 * a[i] * a[j] * y[i] * y[j] * kk[i][j];
            }
            f -= a[i];
        }
        assertEquals(f, s.objective(), 1e-9 * Math.abs(f));
    }

    @Test
    void precomputedGramGivesTheSameModel() {
        Matrix x = TestData.gaussian(120, 3, 1.0, 51);
        double[] y = twoClasses(x, 52);
        Kernel k = KernelSpec.parse("matern(nu=1.5, length=1.3)");
        SupportVectorMachine svm = SupportVectorMachine.classifier().kernel(k).c(2).tolerance(1e-8).build();
        SvmModel direct = svm.fit(x, Matrix.column(y));
        SvmModel pre = svm.fitPrecomputed(Matrix.of(gram(k, x)), Matrix.column(y));
        assertTrue(pre.isPrecomputed());
        assertArrayEquals(direct.supportIndices(), pre.supportIndices());
        Matrix test = TestData.gaussian(20, 3, 1.0, 53);
        Matrix kt = new Matrix(20, 120);
        for (int i = 0; i < 20; i++) {
            for (int j = 0; j < 120; j++) {
                kt.set(i, j, k.value(test.row(i), x.row(j)));
            }
        }
        assertTrue(direct.decisionValues(test).maxAbsDifference(pre.decisionValues(kt)) < 1e-6);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> pre.predict(test));
        assertTrue(e.getMessage().contains("120 training rows"), e.getMessage());
    }

    /**
     * Any kernel spec trains on the row-on-demand path exactly as from its Gram matrix: a neural
     * kernel, a sum with white noise (whose value depends on sample identity, so the rows' same-sample
     * entries must come from selfValue) and a product.
     */
    @Test
    void rowsOnDemandAgreeWithTheGramMatrixForAnyKernel() {
        Matrix x = TestData.gaussian(150, 4, 1.0, 55);
        double[] y = twoClasses(x, 56);
        for (String spec : new String[] {"ntk(depth=3, activation=relu)", "rbf(gamma=0.3) + white(noise=0.2)",
            "poly(degree=2) * laplacian(gamma=0.2)"}) {
            Kernel k = KernelSpec.parse(spec);
            SupportVectorMachine svm = SupportVectorMachine.classifier().kernel(k).c(2).tolerance(1e-8).workingSet(16)
                    .build();
            double direct = svm.withCacheBytes(30L * 8 * 150).train(KernelSource.of(k, x), x, y).solves().get(0)
                    .objective();
            double fromGram = svm.trainPrecomputed(Matrix.of(gram(k, x)), y).solves().get(0).objective();
            assertEquals(fromGram, direct, 1e-7 * Math.abs(fromGram), spec);
        }
    }

    /**
     * Three classes, pair functions (0,1), (0,2), (1,2): a precomputed model with identity coefficients
     * and ρ = 0 makes the decision values equal to the input row, so the votes can be worked by hand.
     */
    @Test
    void oneVsOneVotingByHand() {
        SvmModel m = new SvmModel(SvmModel.Type.C_SVC, null, null, new int[] {0, 1, 2}, 3, Matrix.identity(3),
                new double[3], new double[] {5, 7, 9}, SvmModel.Multiclass.ONE_VS_ONE, null);
        Matrix f = Matrix.of(new double[][] {
            {1, 1, -1},   // 0 beats 1, 0 beats 2, 2 beats 1: votes 2-0-1 → class 5
            {-1, -1, 1},  // 1, 2, 1: votes 0-2-1 → class 7
            {-1, -1, -1}, // 1, 2, 2: votes 0-1-2 → class 9
            {1, -1, 1},   // 0, 2, 1: a three-way tie → the first class, 5
            {-1, 1, -1},  // 1, 0, 2: a tie again → 5
        });
        assertArrayEquals(new double[] {5, 7, 9, 5, 5}, m.predict(f).data());
        SvmModel ovr = new SvmModel(SvmModel.Type.C_SVC, null, null, new int[] {0, 1, 2}, 3, Matrix.identity(3),
                new double[3], new double[] {5, 7, 9}, SvmModel.Multiclass.ONE_VS_REST, null);
        assertArrayEquals(new double[] {5, 9, 7}, ovr.predict(Matrix.of(new double[][] {{2, 1, 0}, {-3, -2, -1},
            {-1, 0.5, 0.4}})).data());
    }

    @Test
    void multiclassOnIrisVotesAndOneVsRestAgree() throws Exception {
        Object[] data = readCsv("iris.csv");
        Matrix x = (Matrix) data[0];
        double[] y = (double[]) data[1];
        Kernel k = KernelSpec.parse("rbf(gamma=0.25)");
        SvmModel ovo = SupportVectorMachine.classifier().kernel(k).c(1).build().fit(x, Matrix.column(y));
        SvmModel ovr = SupportVectorMachine.classifier().kernel(k).c(1).multiclass(SvmModel.Multiclass.ONE_VS_REST)
                .build().fit(x, Matrix.column(y));
        assertEquals(3, ovo.decisionValues(x).cols());
        assertEquals(3, ovr.decisionValues(x).cols());
        // each pair problem equals a binary SVM trained on that pair's rows alone
        int[] rows01 = java.util.stream.IntStream.range(0, 150).filter(i -> y[i] != 2).toArray();
        double[] y01 = java.util.Arrays.stream(rows01).mapToDouble(i -> y[i]).toArray();
        SvmModel pair = SupportVectorMachine.classifier().kernel(k).c(1).build().fit(x.selectRows(rows01), Matrix.column(y01));
        Matrix f = ovo.decisionValues(x);
        Matrix fp = pair.decisionValues(x);
        for (int i = 0; i < 150; i++) {
            assertEquals(fp.get(i, 0), f.get(i, 0), 1e-9);
        }
        assertTrue(accuracy(ovo.predict(x).data(), y) > 0.95);
        assertTrue(accuracy(ovr.predict(x).data(), y) > 0.93);
    }

    static double accuracy(double[] pred, double[] y) {
        int c = 0;
        for (int i = 0; i < y.length; i++) {
            c += pred[i] == y[i] ? 1 : 0;
        }
        return c / (double) y.length;
    }

    @Test
    void regressionMatchesBruteForceQp() {
        Matrix x = TestData.gaussian(40, 2, 1.0, 61);
        double[] z = new double[40];
        for (int i = 0; i < 40; i++) {
            z[i] = Math.sin(2 * x.get(i, 0)) + 0.3 * x.get(i, 1);
        }
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        double c = 3;
        double eps = 0.15;
        SupportVectorMachine.Training t = SupportVectorMachine.regression().kernel(k).c(c).epsilon(eps).tolerance(1e-8)
                .build().train(x, z);
        int n = 40;
        double[][] kk = gram(k, x);
        double[][] q = new double[2 * n][2 * n];
        double[] yy = new double[2 * n];
        double[] p = new double[2 * n];
        double[] upper = new double[2 * n];
        for (int i = 0; i < 2 * n; i++) {
            yy[i] = i < n ? 1 : -1;
            p[i] = i < n ? eps - z[i] : eps + z[i - n];
            upper[i] = c;
        }
        for (int i = 0; i < 2 * n; i++) {
            for (int j = 0; j < 2 * n; j++) {
                q[i][j] = yy[i] * yy[j] * kk[i % n][j % n];
            }
        }
        double[] ref = BruteForceQp.solve(q, p, yy, upper, 0, 200_000);
        double fRef = BruteForceQp.objective(q, p, ref);
        assertEquals(fRef, t.solves().get(0).objective(), 1e-6 * Math.abs(fRef));
        // the row-on-demand path, where each sample is two columns (α and α*), with a 10-row cache
        SupportVectorMachine onDemand = SupportVectorMachine.regression().kernel(k).c(c).epsilon(eps).tolerance(1e-8)
                .workingSet(8).build().withCacheBytes(10L * 8 * 80);
        assertEquals(fRef, onDemand.train(KernelSource.of(k, x), x, z).solves().get(0).objective(),
                1e-6 * Math.abs(fRef));
        SvmModel m = t.model();
        double[] coef = new double[n];
        int[] idx = m.supportIndices();
        for (int s = 0; s < idx.length; s++) {
            coef[idx[s]] = m.coefficients().get(s, 0);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(ref[i] - ref[i + n], coef[i], 1e-3 * c);
        }
        // free support vectors sit on the tube's edge: |z − f(x)| = ε
        double[] pred = m.predict(x).data();
        for (int i = 0; i < n; i++) {
            if (coef[i] != 0 && Math.abs(coef[i]) < c) {
                assertEquals(eps, Math.abs(z[i] - pred[i]), 1e-6);
            } else if (coef[i] == 0) {
                assertTrue(Math.abs(z[i] - pred[i]) <= eps + 1e-6);
            }
        }
    }

    @Test
    void oneClassMatchesBruteForceAndTheNuProperty() {
        Matrix x = TestData.gaussian(50, 2, 1.0, 71);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        double nu = 0.3;
        SupportVectorMachine.Training t = SupportVectorMachine.oneClass().kernel(k).nu(nu).tolerance(1e-8).build()
                .train(x, null);
        int n = 50;
        double[][] q = gram(k, x);
        double[] ones = new double[n];
        java.util.Arrays.fill(ones, 1);
        double[] ref = BruteForceQp.solve(q, new double[n], ones, ones, nu * n, 200_000);
        double fRef = BruteForceQp.objective(q, new double[n], ref);
        assertEquals(fRef, t.solves().get(0).objective(), 1e-6 * Math.abs(fRef));
        SupportVectorMachine onDemand = SupportVectorMachine.oneClass().kernel(k).nu(nu).tolerance(1e-8).workingSet(6)
                .build().withCacheBytes(10L * 8 * 50);
        assertEquals(fRef, onDemand.train(KernelSource.of(k, x), x, null).solves().get(0).objective(),
                1e-6 * Math.abs(fRef));
        SvmModel m = t.model();
        double sum = 0;
        for (double v : m.coefficients().data()) {
            sum += v;
        }
        assertEquals(nu * n, sum, 1e-9);
        // ν bounds the fraction of bounded SVs from above and of all SVs from below
        SupportVectorMachine.Solve s = t.solves().get(0);
        assertTrue(s.boundedSupportVectors() <= nu * n && nu * n <= s.supportVectors());
        double[] pred = m.predict(x).data();
        long outliers = java.util.Arrays.stream(pred).filter(v -> v < 0).count();
        assertTrue(outliers <= nu * n + 1, "outliers " + outliers);
    }

    @Test
    void plattSigmoidMinimizesItsLoss() {
        Random r = new Random(81);
        int n = 4000;
        double[] f = new double[n];
        boolean[] pos = new boolean[n];
        for (int i = 0; i < n; i++) {
            f[i] = r.nextGaussian();
            pos[i] = r.nextDouble() < 1 / (1 + Math.exp(-1.7 * f[i] + 0.4));
        }
        double[] ab = Probabilities.fitSigmoid(f, pos);
        // the true parameters are A = −1.7, B = 0.4 (Platt's smoothed targets bias the fit only by O(1/n)); the
        // fit must be near them, and no point of a grid around it may have a smaller loss
        assertEquals(-1.7, ab[0], 0.2);
        assertEquals(0.4, ab[1], 0.2);
        double best = loss(f, pos, ab[0], ab[1]);
        for (double da = -0.05; da <= 0.05; da += 0.01) {
            for (double db = -0.05; db <= 0.05; db += 0.01) {
                assertTrue(loss(f, pos, ab[0] + da, ab[1] + db) >= best - 1e-9);
            }
        }
    }

    private static double loss(double[] f, boolean[] pos, double a, double b) {
        int np = 0;
        for (boolean p : pos) {
            np += p ? 1 : 0;
        }
        double hi = (np + 1.0) / (np + 2);
        double lo = 1.0 / (f.length - np + 2);
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            double t = pos[i] ? hi : lo;
            double p = 1 / (1 + Math.exp(a * f[i] + b));
            s -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
        }
        return s;
    }

    @Test
    void pairwiseCouplingRecoversConsistentProbabilities() {
        double[] p = {0.5, 0.3, 0.15, 0.05};
        double[][] r = new double[4][4];
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                r[i][j] = i == j ? 0 : p[i] / (p[i] + p[j]);
            }
        }
        assertArrayEquals(p, Probabilities.couple(r), 1e-12);
    }

    @Test
    void probabilitiesAreNormalizedAndFollowTheVotes() throws Exception {
        Object[] data = readCsv("iris.csv");
        Matrix x = (Matrix) data[0];
        double[] y = (double[]) data[1];
        for (SvmModel.Multiclass scheme : SvmModel.Multiclass.values()) {
            SvmModel m = SupportVectorMachine.classifier().kernel(KernelSpec.parse("rbf(gamma=0.25)")).c(1)
                    .multiclass(scheme).probability(true).seed(3).build().fit(x, Matrix.column(y));
            Matrix prob = m.probabilities(x);
            double[] pred = m.predict(x).data();
            int agree = 0;
            for (int i = 0; i < 150; i++) {
                double sum = 0;
                int best = 0;
                for (int c = 0; c < 3; c++) {
                    assertTrue(prob.get(i, c) >= 0 && prob.get(i, c) <= 1);
                    sum += prob.get(i, c);
                    best = prob.get(i, c) > prob.get(i, best) ? c : best;
                }
                assertEquals(1, sum, 1e-9);
                agree += m.classes()[best] == pred[i] ? 1 : 0;
            }
            assertTrue(agree >= 140, scheme + ": " + agree);
        }
    }

    @Test
    void userMistakesGetClearErrors() {
        Matrix x = TestData.gaussian(10, 2, 1.0, 91);
        double[] y = twoClasses(x, 92);
        Kernel k = KernelSpec.parse("rbf(gamma=1)");
        assertThrows(Kernels4jException.class, () -> SupportVectorMachine.classifier().c(0));
        assertThrows(Kernels4jException.class, () -> SupportVectorMachine.oneClass().nu(1.5));
        assertThrows(Kernels4jException.class, () -> SupportVectorMachine.classifier().nu(0.5));
        String msg = assertThrows(Kernels4jException.class,
                () -> SupportVectorMachine.classifier().kernel(k).build().fit(x, Matrix.column(new double[10]))).getMessage();
        assertTrue(msg.contains("two classes"), msg);
        msg = assertThrows(Kernels4jException.class,
                () -> SupportVectorMachine.classifier().kernel(k).build().fit(x, Matrix.column(new double[9]))).getMessage();
        assertTrue(msg.contains("10 targets"), msg);
        msg = assertThrows(Kernels4jException.class, () -> SupportVectorMachine.classifier().kernel(k)
                .classWeight(3, 2).build().fit(x, Matrix.column(y))).getMessage();
        assertTrue(msg.contains("label 3.0"), msg);
        msg = assertThrows(Kernels4jException.class,
                () -> SupportVectorMachine.classifier().build().fit(x, Matrix.column(y))).getMessage();
        assertTrue(msg.contains("no kernel"), msg);
        assertThrows(Kernels4jException.class,
                () -> SupportVectorMachine.classifier().build().fitPrecomputed(new Matrix(3, 4), Matrix.column(new double[3])));
        Matrix bad = x.copy();
        bad.set(3, 1, Double.NaN);
        assertThrows(Kernels4jException.class, () -> SupportVectorMachine.classifier().kernel(k).build().fit(bad, Matrix.column(y)));
        SvmModel m = SupportVectorMachine.classifier().kernel(k).build().fit(x, Matrix.column(y));
        msg = assertThrows(Kernels4jException.class, () -> m.probabilities(x)).getMessage();
        assertTrue(msg.contains("without probability"), msg);
        msg = assertThrows(Kernels4jException.class, () -> m.predict(new Matrix(2, 3))).getMessage();
        assertTrue(msg.contains("2 features"), msg);
    }
}
