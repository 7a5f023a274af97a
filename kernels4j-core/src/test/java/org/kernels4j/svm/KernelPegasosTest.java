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

/**
 * Kernel Pegasos against (a) the paper's update written out here step by step, iterates averaged by
 * summing them (not by the harmonic-number shortcut the learner uses), and (b) the exact optimum of the
 * same no-bias SVM, found here by exact coordinate descent on its box-constrained dual: the averaged
 * iterate's primal objective lies above the optimum and below it plus G²(1 + ln T)/(2λT).
 */
class KernelPegasosTest {
    private static final Kernel K = KernelSpec.parse("rbf(gamma=0.5)");

    /** Primal P(c) = λ/2·cᵀKc + mean hinge of y·Kc, for f = Σ c_j·k(x_j, ·). */
    private static double primal(double[][] k, double[] y, double[] c, double lambda) {
        int n = y.length;
        double norm = 0;
        double hinge = 0;
        for (int i = 0; i < n; i++) {
            double f = 0;
            for (int j = 0; j < n; j++) {
                f += k[i][j] * c[j];
            }
            norm += c[i] * f;
            hinge += Math.max(0, 1 - y[i] * f);
        }
        return lambda / 2 * norm + hinge / n;
    }

    private static double[][] gram(Matrix x) {
        int n = x.rows();
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i][j] = K.value(x.row(i), x.row(j));
            }
        }
        return k;
    }

    /** Coefficients of every training row in the model's (single) decision function. */
    private static double[] coefficientsByRow(SvmModel m, int n, int column) {
        double[] c = new double[n];
        int[] idx = m.supportIndices();
        for (int s = 0; s < idx.length; s++) {
            c[idx[s]] = m.coefficients().get(s, column);
        }
        return c;
    }

    @Test
    void matchesThePapersUpdateWrittenOutHere() {
        Matrix[] d = NuSvmTest.blobs(20, 2, 1.5, 4);
        double[] labels = d[1].data();
        double[][] k = gram(d[0]);
        double lambda = 0.1;
        int steps = 300;
        for (boolean averaging : new boolean[] {false, true}) {
            SvmModel m = KernelPegasos.builder(K).lambda(lambda).iterations(steps).averaging(averaging).seed(7).build()
                    .fit(d[0], d[1]);
            double[] y = new double[20];
            for (int i = 0; i < 20; i++) {
                y[i] = labels[i] == 3 ? 1 : -1;
            }
            Random rng = new Random(7);
            double[] alpha = new double[20];
            double[] sumOfIterates = new double[20];
            for (int t = 1; t <= steps; t++) {
                int i = rng.nextInt(20);
                double s = 0;
                for (int j = 0; j < 20; j++) {
                    s += alpha[j] * y[j] * k[i][j];
                }
                if (y[i] * s / (lambda * t) < 1) {
                    alpha[i]++;
                }
                for (int j = 0; j < 20; j++) {
                    sumOfIterates[j] += alpha[j] / (lambda * t);
                }
            }
            double[] expected = new double[20];
            for (int j = 0; j < 20; j++) {
                expected[j] = y[j] * (averaging ? sumOfIterates[j] / steps : alpha[j] / (lambda * steps));
            }
            assertArrayEquals(expected, coefficientsByRow(m, 20, 0), 1e-12, "averaging " + averaging);
            assertEquals(0, m.rho()[0]);
        }
    }

    /** Box-constrained dual max Σα − ½αᵀQα, 0 ≤ α ≤ C, by exact coordinate steps; returns c = y∘α. */
    private static double[] exactNoBiasSvm(double[][] k, double[] y, double cBound) {
        int n = y.length;
        double[] a = new double[n];
        double[] f = new double[n]; // Σ_j a_j y_j k_ij
        for (int sweep = 0; sweep < 20000; sweep++) {
            double change = 0;
            for (int i = 0; i < n; i++) {
                double grad = 1 - y[i] * f[i];
                double next = Math.min(cBound, Math.max(0, a[i] + grad / k[i][i]));
                double delta = next - a[i];
                if (delta != 0) {
                    for (int j = 0; j < n; j++) {
                        f[j] += delta * y[i] * k[i][j];
                    }
                    a[i] = next;
                    change = Math.max(change, Math.abs(delta));
                }
            }
            if (change < 1e-13) {
                break;
            }
        }
        double[] c = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = y[i] * a[i];
        }
        return c;
    }

    @Test
    void averagedObjectiveApproachesTheExactSvmWithinTheBound() {
        Matrix[] d = NuSvmTest.blobs(40, 2, 1.5, 8);
        double[][] k = gram(d[0]);
        double[] y = new double[40];
        for (int i = 0; i < 40; i++) {
            y[i] = d[1].get(i, 0) == 3 ? 1 : -1;
        }
        double lambda = 0.05;
        double best = primal(k, y, exactNoBiasSvm(k, y, 1 / (lambda * 40)), lambda);
        double previousGap = Double.POSITIVE_INFINITY;
        for (int steps : new int[] {300, 30000}) {
            SvmModel m = KernelPegasos.builder(K).lambda(lambda).iterations(steps).averaging(true).build()
                    .fit(d[0], d[1]);
            double gap = primal(k, y, coefficientsByRow(m, 40, 0), lambda) - best;
            double g = 2; // ‖λw_t − y·φ(x)‖ ≤ 2·max √k(x, x) = 2 for the RBF kernel
            double bound = g * g * (1 + Math.log(steps)) / (2 * lambda * steps);
            assertTrue(gap >= -1e-9, "below the optimum by " + gap);
            assertTrue(gap <= bound, "T = " + steps + ": gap " + gap + " above the bound " + bound);
            assertTrue(gap < previousGap, "T = " + steps + ": gap " + gap + " did not fall");
            previousGap = gap;
        }
    }

    @Test
    void threeClassesOneVsOneAndModelFile() {
        Matrix[] d = NuSvmTest.blobs(90, 3, 3, 2);
        SvmModel m = KernelPegasos.builder(K).lambda(0.01).build().fit(d[0], d[1]);
        assertEquals(3, m.rho().length);
        double[] pred = m.predict(d[0]).data();
        int correct = 0;
        for (int i = 0; i < pred.length; i++) {
            correct += pred[i] == d[1].get(i, 0) ? 1 : 0;
        }
        assertTrue(correct >= 0.9 * pred.length, correct + " of " + pred.length);
        SvmModel back = new SvmCodec().decode(new SvmCodec().encode(m));
        assertArrayEquals(m.decisionValues(d[0]).data(), back.decisionValues(d[0]).data(), 0);
        // the default is T = 10·l per problem: the same as asking for it (60 rows per pair)
        SvmModel explicit = KernelPegasos.builder(K).lambda(0.01).iterations(600).build().fit(d[0], d[1]);
        assertArrayEquals(explicit.coefficients().data(), m.coefficients().data(), 0);
    }

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    @Test
    void badInputIsRefused() {
        refused(() -> KernelPegasos.builder(K).lambda(0), "lambda must be a positive number");
        refused(() -> KernelPegasos.builder(K).lambda(-1), "lambda must be a positive number");
        refused(() -> KernelPegasos.builder(K).iterations(0), "iterations must be at least 1");
        Matrix x = NuSvmTest.blobs(10, 2, 1, 1)[0];
        refused(() -> KernelPegasos.builder(K).build().fit(x, Matrix.column(new double[10])), "at least two classes");
        refused(() -> KernelPegasos.builder(K).build().fit(x, Matrix.column(new double[9])), "one class label per");
    }

    /**
     * Three classes: each pair (a, b), a &lt; b, is the binary problem on its own rows (+1 for a) with the paper's
     * update written out here, drawing from new Random(seed + p) for the p-th pair; the model's support rows are the
     * rows with a non-zero coefficient in some pair.
     */
    @Test
    void everyPairOfThreeClassesIsThePapersUpdateOnItsOwnRows() {
        int n = 30;
        Matrix[] d = NuSvmTest.blobs(n, 3, 2, 6);
        double[][] k = gram(d[0]);
        double[] labels = d[1].data();
        double[] classes = {3, 7, 11};
        double lambda = 0.2;
        int steps = 12; // fewer draws than rows per pair: some rows are never drawn in either of their pairs
        SvmModel m = KernelPegasos.builder(K).lambda(lambda).iterations(steps).seed(5).build().fit(d[0], d[1]);
        boolean[] support = new boolean[n];
        int p = 0;
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++, p++) {
                int[] rows = new int[n];
                int l = 0;
                for (int i = 0; i < n; i++) {
                    if (labels[i] == classes[a] || labels[i] == classes[b]) {
                        rows[l++] = i;
                    }
                }
                double[] alpha = new double[l];
                Random rng = new Random(5 + p);
                for (int t = 1; t <= steps; t++) {
                    int i = rng.nextInt(l);
                    double yi = labels[rows[i]] == classes[a] ? 1 : -1;
                    double s = 0;
                    for (int j = 0; j < l; j++) {
                        s += alpha[j] * (labels[rows[j]] == classes[a] ? 1 : -1) * k[rows[i]][rows[j]];
                    }
                    if (yi * s / (lambda * t) < 1) {
                        alpha[i]++;
                    }
                }
                double[] expected = new double[n];
                for (int j = 0; j < l; j++) {
                    expected[rows[j]] = (labels[rows[j]] == classes[a] ? 1 : -1) * alpha[j] / (lambda * steps);
                    support[rows[j]] |= alpha[j] != 0;
                }
                assertArrayEquals(expected, coefficientsByRow(m, n, p), 1e-12, "pair " + a + "," + b);
            }
        }
        int count = 0;
        for (boolean s : support) {
            count += s ? 1 : 0;
        }
        assertTrue(count < n, "some rows are never updated");
        int[] idx = m.supportIndices();
        assertEquals(count, idx.length);
        for (int i : idx) {
            assertTrue(support[i], "row " + i + " has no non-zero coefficient");
        }
    }

    @Test
    void optionsAccessorsAndTargetMessages() {
        KernelPegasos p = KernelPegasos.builder(K).lambda(0.1).iterations(1).cacheMegabytes(1).build();
        assertEquals(0.1, p.lambda(), 0);
        assertEquals("KernelPegasos[rbf(gamma=0.5), 0.1, 1, false]", p.toString());
        Matrix[] d = NuSvmTest.blobs(10, 2, 2, 3);
        assertEquals(1, p.fit(d[0], d[1]).supportIndices().length); // one step adds the first drawn row
        refused(() -> KernelPegasos.builder(K).cacheMegabytes(0), "cache size must be at least 1 MB, got 0");
        refused(() -> p.fit(d[0], null), "got none");
        refused(() -> p.fit(d[0], new Matrix(10, 2)), "got 10x2");
    }
}
