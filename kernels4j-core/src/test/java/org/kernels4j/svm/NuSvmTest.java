package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelState;

/**
 * ν-SVC and ν-SVR (LIBSVM's Solver_NU) against what the ν formulation promises, checked from the model's
 * predictions by this test's own counting: the ν-property (margin errors ≤ ν·n ≤ support vectors), equality
 * with the C-SVC / ε-SVR it corresponds to (Chang &amp; Lin 2001: C = 1/r, ε = the tube width read off the
 * free support vectors here), the same optimum along another solver path (tiny working set, shrinking, rows
 * on demand), the model file, and the refusals.
 */
class NuSvmTest {
    private static final Kernel K = KernelSpec.parse("rbf(gamma=0.5)");

    /** Two overlapping Gaussian classes (labels 3 and 7, to catch ±1 assumptions), or three with {@code k = 3}. */
    static Matrix[] blobs(int n, int k, double shift, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 2);
        double[] y = new double[n];
        double[] labels = {3, 7, 11};
        for (int i = 0; i < n; i++) {
            int c = i % k;
            y[i] = labels[c];
            x.set(i, 0, r.nextGaussian() + shift * Math.cos(2 * Math.PI * c / k));
            x.set(i, 1, r.nextGaussian() + shift * Math.sin(2 * Math.PI * c / k));
        }
        return new Matrix[] {x, Matrix.column(y)};
    }

    private static Matrix[] sine(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 1);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 6 * r.nextDouble() - 3);
            z[i] = Math.sin(x.get(i, 0)) + 0.3 * r.nextGaussian();
        }
        return new Matrix[] {x, Matrix.column(z)};
    }

    /**
     * Two classes: at most ν·n rows have y·f &lt; 1 (margin errors; f scaled to margin 1 as LIBSVM does)
     * and at least ν·n rows are support vectors, for several ν and two data sets (the slack 2 rows covers
     * the rows that sit exactly on the margin to within the tolerance); the bounded support vectors are the
     * margin errors and number at most ν·n too.
     */
    @Test
    void nuPropertyHoldsForTwoClasses() {
        for (long seed : new long[] {1, 2}) {
            Matrix[] d = blobs(120, 2, seed == 1 ? 2 : 1, seed);
            double[] y = d[1].data();
            // ν well above the separable limit: near it r → 0 and ε on the unscaled problem is no accuracy at all
            for (double nu : seed == 1 ? new double[] {0.3, 0.6} : new double[] {0.45, 0.8}) {
                SvmModel m = SupportVectorMachine.nuClassifier(K).nu(nu).tolerance(1e-6).build().fit(d[0], d[1]);
                assertEquals(SvmModel.Type.NU_SVC, m.type());
                Matrix f = m.decisionValues(d[0]);
                int marginErrors = 0;
                for (int i = 0; i < y.length; i++) {
                    double sign = y[i] == 3 ? 1 : -1; // f > 0 votes for the smaller class
                    marginErrors += sign * f.get(i, 0) < 1 - 1e-4 ? 1 : 0;
                }
                String at = "seed " + seed + ", nu " + nu;
                assertTrue(marginErrors <= nu * y.length + 2, at + ": " + marginErrors + " margin errors");
                assertTrue(m.supportVectorCount() >= nu * y.length - 1e-9, at + ": " + m.supportVectorCount() + " SVs");
                // the margin is 1 after LIBSVM's scaling: free support vectors sit on it
                double c = maxAbs(m.coefficients());
                int bounded = 0;
                for (double a : m.coefficients().data()) {
                    bounded += Math.abs(a) >= c * (1 - 1e-9) ? 1 : 0;
                }
                assertTrue(bounded <= nu * y.length + 1e-9, at + ": " + bounded + " bounded SVs");
                for (int s = 0; s < m.supportVectorCount(); s++) {
                    double a = Math.abs(m.coefficients().get(s, 0));
                    if (a < c * (1 - 1e-6)) {
                        int row = m.supportIndices()[s];
                        assertEquals(1, (y[row] == 3 ? 1 : -1) * f.get(row, 0), 1e-3, at + ", free SV " + row);
                    }
                }
            }
        }
    }

    /** Three classes one-vs-one: the ν-property holds for each pair's decision function on that pair's rows. */
    @Test
    void nuPropertyHoldsPerPairForThreeClasses() {
        Matrix[] d = blobs(90, 3, 1.5, 5);
        double[] y = d[1].data();
        double nu = 0.5;
        SvmModel m = SupportVectorMachine.nuClassifier(K).nu(nu).tolerance(1e-6).build().fit(d[0], d[1]);
        Matrix f = m.decisionValues(d[0]);
        double[] labels = {3, 7, 11};
        int p = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++, p++) {
                int rows = 0;
                int errors = 0;
                for (int i = 0; i < y.length; i++) {
                    if (y[i] == labels[a] || y[i] == labels[b]) {
                        rows++;
                        errors += (y[i] == labels[a] ? 1 : -1) * f.get(i, p) < 1 - 1e-4 ? 1 : 0;
                    }
                }
                int svs = 0;
                for (int s = 0; s < m.supportVectorCount(); s++) {
                    svs += m.coefficients().get(s, p) != 0 ? 1 : 0;
                }
                assertTrue(errors <= nu * rows + 2, "pair " + a + b + ": " + errors + " margin errors of " + rows);
                assertTrue(svs >= nu * rows - 1e-9, "pair " + a + b + ": " + svs + " SVs of " + rows);
            }
        }
        int correct = 0;
        double[] pred = m.predict(d[0]).data();
        for (int i = 0; i < y.length; i++) {
            correct += pred[i] == y[i] ? 1 : 0;
        }
        assertTrue(correct > 0.7 * y.length, correct + " of " + y.length); // blobs 2.6 apart: Bayes rate ≈ 0.8
    }

    /**
     * Chang &amp; Lin (2001): the ν-SVC solution, scaled by 1/r, is the C-SVC solution for C = 1/r, which is the
     * largest |coefficient| (the bound of the margin errors). Both solved to 10⁻⁸: decision values agree.
     */
    @Test
    void nuSvcIsTheCsvcWithCEqualOneOverR() {
        Matrix[] d = blobs(100, 2, 1.5, 9);
        Matrix test = blobs(40, 2, 1.5, 10)[0];
        for (double nu : new double[] {0.25, 0.6}) {
            SvmModel nuModel = SupportVectorMachine.nuClassifier(K).nu(nu).tolerance(1e-8).build().fit(d[0], d[1]);
            double c = maxAbs(nuModel.coefficients());
            SvmModel cModel = SupportVectorMachine.classifier(K).c(c).tolerance(1e-8).build().fit(d[0], d[1]);
            double[] fn = nuModel.decisionValues(test).data();
            double[] fc = cModel.decisionValues(test).data();
            assertArrayEquals(fc, fn, 1e-5, "nu " + nu);
            assertEquals(cModel.rho()[0], nuModel.rho()[0], 1e-5);
        }
    }

    /**
     * ν-SVR is ε-SVR with ε the tube width it found, which this test reads off the free support vectors
     * (|z − f| = ε there); the ν-property: at most ν·n rows outside the tube, at least ν·n support vectors.
     */
    @Test
    void nuSvrIsEpsilonSvrWithItsTubeAndHasTheNuProperty() {
        Matrix[] d = sine(100, 3);
        double[] z = d[1].data();
        double c = 2;
        for (double nu : new double[] {0.2, 0.5}) {
            SvmModel m = SupportVectorMachine.nuRegression(K).nu(nu).c(c).tolerance(1e-8).build().fit(d[0], d[1]);
            assertEquals(SvmModel.Type.NU_SVR, m.type());
            double[] f = m.predict(d[0]).data();
            double eps = 0;
            int free = 0;
            for (int s = 0; s < m.supportVectorCount(); s++) {
                double a = Math.abs(m.coefficients().get(s, 0));
                if (a < c * (1 - 1e-6)) {
                    int row = m.supportIndices()[s];
                    eps += Math.abs(z[row] - f[row]);
                    free++;
                }
            }
            assertTrue(free > 0);
            eps /= free;
            int outside = 0;
            for (int i = 0; i < z.length; i++) {
                outside += Math.abs(z[i] - f[i]) > eps + 1e-4 ? 1 : 0;
            }
            assertTrue(outside <= nu * z.length + 1, "nu " + nu + ": " + outside + " outside the tube");
            assertTrue(m.supportVectorCount() >= nu * z.length - 1e-9, m.supportVectorCount() + " SVs");
            SvmModel e = SupportVectorMachine.regression(K).c(c).epsilon(eps).tolerance(1e-8).build().fit(d[0], d[1]);
            Matrix test = sine(30, 4)[0];
            assertArrayEquals(e.predict(test).data(), m.predict(test).data(), 1e-5, "nu " + nu);
        }
    }

    /**
     * The same optimum along another path: working sets of 6 with shrinking and kernel rows computed on
     * demand through a 1-byte cache (the solver keeps one working set's rows), against the default.
     */
    @Test
    void anotherSolverPathReachesTheSameOptimum() {
        Matrix[] d = blobs(50, 2, 1, 12);
        SupportVectorMachine.Builder b = SupportVectorMachine.nuClassifier(K).nu(0.5).tolerance(1e-7);
        SvmModel whole = b.build().fit(d[0], d[1]);
        SvmModel small = b.workingSet(6).shrinking(true).build().withCacheBytes(1)
                .train(KernelSource.of(K, d[0]), d[0], d[1].data()).model();
        Matrix test = blobs(30, 2, 1, 13)[0];
        assertArrayEquals(whole.decisionValues(test).data(), small.decisionValues(test).data(), 1e-4);
        Matrix[] r = sine(40, 14);
        SupportVectorMachine.Builder rb = SupportVectorMachine.nuRegression(K).nu(0.4).tolerance(1e-7);
        SvmModel rw = rb.build().fit(r[0], r[1]);
        SvmModel rs = rb.workingSet(6).build().withCacheBytes(1).train(KernelSource.of(K, r[0]), r[0], r[1].data())
                .model();
        // the dual optimum is unique: the objective agrees to the tolerance; ρ is not here (with one variable at
        // its bound or just inside it, both within 1e-7 of the KKT conditions, LIBSVM's rule averages different
        // free variables), so the kernel expansions f + ρ are compared, and ρ only within the gap that allows
        double ow = rw.report().parts("problems").get(0).number("objective");
        double os = rs.report().parts("problems").get(0).number("objective");
        assertEquals(ow, os, 1e-6 * Math.abs(ow));
        double[] fw = rw.predict(r[0]).data();
        double[] fs = rs.predict(r[0]).data();
        for (int i = 0; i < fw.length; i++) {
            assertEquals(fw[i] + rw.rho()[0], fs[i] + rs.rho()[0], 1e-4, "kernel expansion at row " + i);
        }
        assertEquals(rw.rho()[0], rs.rho()[0], 0.01);
    }

    /** Probabilities as for C-SVC (rows sum to 1, larger for the predicted class), and the model file keeps the type. */
    @Test
    void probabilitiesAndModelFile() {
        Matrix[] d = blobs(90, 3, 2.5, 21);
        SvmModel m = SupportVectorMachine.nuClassifier(K).nu(0.3).probability(true).build().fit(d[0], d[1]);
        Matrix p = m.probabilities(d[0]);
        double[] pred = m.predict(d[0]).data();
        int agree = 0;
        for (int i = 0; i < d[0].rows(); i++) {
            double sum = 0;
            int best = 0;
            for (int c = 0; c < 3; c++) {
                sum += p.get(i, c);
                best = p.get(i, c) > p.get(i, best) ? c : best;
            }
            assertEquals(1, sum, 1e-9);
            agree += m.classes()[best] == pred[i] ? 1 : 0;
        }
        assertTrue(agree > 0.9 * d[0].rows(), agree + " rows");
        SvmCodec codec = new SvmCodec();
        for (SvmModel model : new SvmModel[] {m,
                SupportVectorMachine.nuRegression(K).nu(0.5).build().fit(sine(40, 2)[0], sine(40, 2)[1])}) {
            ModelState s = codec.encode(model);
            assertEquals(model.type().name().toLowerCase(java.util.Locale.ROOT), s.text("type"));
            SvmModel back = codec.decode(s);
            assertEquals(model.type(), back.type());
            Matrix x = model.type() == SvmModel.Type.NU_SVC ? d[0] : sine(40, 2)[0];
            assertArrayEquals(model.decisionValues(x).data(), back.decisionValues(x).data(), 0);
        }
    }

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    /**
     * ν outside (0, 1], C for ν-SVC, ε for ν-SVR, class weights for ν-SVC, and LIBSVM's infeasible ν: with 10
     * and 40 rows ν may reach 2·10/50 = 0.4 and no further.
     */
    @Test
    void badInputIsRefusedWithOneMessage() {
        refused(() -> SupportVectorMachine.nuClassifier().nu(0), "nu must be in (0, 1]");
        refused(() -> SupportVectorMachine.nuRegression().nu(Math.nextUp(1.0)), "nu must be in (0, 1]");
        refused(() -> SupportVectorMachine.nuClassifier().nu(Double.NaN), "nu must be in (0, 1]");
        refused(() -> SupportVectorMachine.nuClassifier().c(2), "nu-SVC is set by nu");
        refused(() -> SupportVectorMachine.nuRegression().epsilon(0.1), "applies only to EPSILON_SVR");
        refused(() -> SupportVectorMachine.nuClassifier().classWeight(1, 2), "applies only to C_SVC");
        refused(() -> SupportVectorMachine.regression().nu(0.5), "nu applies only to");
        Matrix x = blobs(50, 2, 1, 30)[0];
        double[] y = new double[50];
        for (int i = 0; i < 50; i++) {
            y[i] = i < 10 ? 1 : 2;
        }
        refused(() -> SupportVectorMachine.nuClassifier(K).nu(Math.nextUp(0.4)).build().fit(x, Matrix.column(y)),
                "specified nu is infeasible");
        SvmModel ok = SupportVectorMachine.nuClassifier(K).nu(0.4).build().fit(x, Matrix.column(y));
        assertTrue(ok.supportVectorCount() >= 20);
        refused(() -> SupportVectorMachine.nuClassifier(K).nu(0.5).multiclass(SvmModel.Multiclass.ONE_VS_REST).build()
                .fit(x, Matrix.column(y)), "specified nu is infeasible");
    }

    private static double maxAbs(Matrix m) {
        double c = 0;
        for (double v : m.data()) {
            c = Math.max(c, Math.abs(v));
        }
        return c;
    }
}
