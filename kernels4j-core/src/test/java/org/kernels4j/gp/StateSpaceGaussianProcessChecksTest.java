package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The state-space GP on inputs the other tests do not use (descending times, predictions that all
 * fall before the last training time, the gradient with several outputs), against the dense GP;
 * its input checks and hyperparameter names (the documented contracts); and the SDE transition at
 * Δ = 0 (A = e^0 = I, Q = P∞ − P∞ = 0) and its "outputs are overwritten" contract.
 */
class StateSpaceGaussianProcessChecksTest {
    private static final StateSpaceKernel SUM = StateSpaceKernel.parse(
            "0.8*matern(nu=1.5, length=1.2) + 0.4*matern(nu=0.5, length=3)");

    private static Matrix signal(Matrix x, int outputs, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), outputs);
        for (int i = 0; i < x.rows(); i++) {
            for (int o = 0; o < outputs; o++) {
                y.set(i, o, Math.sin((1 + o) * x.get(i, 0)) + o + 0.2 * r.nextGaussian());
            }
        }
        return y;
    }

    /** Strictly descending times, and descending queries that all lie before the last training time. */
    @Test
    void descendingTimesAndEarlyQueriesEqualTheDenseGp() {
        Matrix x = new Matrix(25, 1);
        for (int i = 0; i < 25; i++) {
            x.set(i, 0, 9.6 - 0.37 * i - 0.01 * (i % 3));
        }
        Matrix y = signal(x, 1, 3);
        double noise = 0.06;
        GaussianProcess dense = GaussianProcess.builder(SUM.toKernel()).noise(noise).build();
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(SUM).noise(noise).build();
        double expected = dense.evidence(x, y).value();
        assertEquals(expected, ss.evidence(x, y).value(), 1e-9 * Math.abs(expected));
        Matrix q = Matrix.column(8.5, 4.2, 4.2, 0.3);
        StateSpaceGaussianProcessModel m = ss.fit(x, y);
        GaussianProcessModel dm = dense.fit(x, y);
        assertEquals(0, m.predict(q).maxAbsDifference(dm.predict(q)), 1e-9);
        assertEquals(0, m.predictiveVariance(q).maxAbsDifference(dm.predictiveVariance(q)), 1e-9);
        assertEquals(expected, m.logMarginalLikelihood(), 1e-9 * Math.abs(expected));
    }

    /** With two outputs the evidence and its gradient are the dense GP's (which sums over output columns). */
    @Test
    void theGradientWithSeveralOutputsEqualsTheDenseGp() {
        Random r = new Random(5);
        Matrix x = new Matrix(30, 1);
        for (int i = 0; i < 30; i++) {
            x.set(i, 0, 8 * r.nextDouble());
        }
        Matrix y = signal(x, 2, 6);
        double noise = 0.1;
        HyperparameterSearch.Evidence e = StateSpaceGaussianProcess.builder(SUM).noise(noise).build().evidence(x, y);
        HyperparameterSearch.Evidence d = GaussianProcess.builder(KernelSpec.parse(SUM.toKernel().toSpec()
                + " + white(noise=" + noise + ")")).noise(0).build().evidence(x, y);
        assertEquals(d.value(), e.value(), 1e-9 * Math.abs(d.value()));
        assertEquals(d.gradient().length, e.gradient().length);
        for (int j = 0; j < d.gradient().length; j++) {
            assertEquals(d.gradient()[j], e.gradient()[j], 1e-7 * (1 + Math.abs(d.gradient()[j])), "parameter " + j);
        }
    }

    @Test
    void inputsAndModelArgumentsAreChecked() {
        StateSpaceGaussianProcess ss = StateSpaceGaussianProcess.builder(SUM).noise(0.1).build();
        Matrix x = Matrix.column(0, 1, 2);
        var e = assertThrows(Kernels4jException.class, () -> ss.fit(x, Matrix.column(1.0, 2, 3, 4)));
        assertTrue(e.getMessage().contains("3 rows but the targets have 4"), e.getMessage());
        StateSpaceGaussianProcessModel m = ss.fit(x, Matrix.column(1.0, 2, 3));
        e = assertThrows(Kernels4jException.class, () -> m.predict(Matrix.of(new double[][] {{0.5, 1}})));
        assertTrue(e.getMessage().contains("1 features but the data has 2"), e.getMessage());
        // the public constructor: ascending times, positive scales and noise
        Matrix y = Matrix.column(1.0, 2, 3);
        e = assertThrows(Kernels4jException.class, () -> new StateSpaceGaussianProcessModel(SUM, 0.1,
                Matrix.column(0, 2, 1), y, new double[] {0}, new double[] {1}, Double.NaN, null, null));
        assertTrue(e.getMessage().contains("ascending (row 2)"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new StateSpaceGaussianProcessModel(SUM, 0.1, x, y,
                new double[] {0}, new double[] {0}, Double.NaN, null, null));
        assertTrue(e.getMessage().contains("positive and finite, got 0"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new StateSpaceGaussianProcessModel(SUM, 0, x, y,
                new double[] {0}, new double[] {1}, Double.NaN, null, null));
        assertTrue(e.getMessage().contains("> 0 and finite, got 0"), e.getMessage());
    }

    /** Names per the class comment: matern12/32/52 or resonator, "#2" on a repeated kind; and value equality. */
    @Test
    void hyperparameterNamesAndEquality() {
        StateSpaceKernel k = StateSpaceKernel.parse("matern(nu=0.5, length=1) + 2*matern(nu=1.5, length=1)"
                + " + matern(nu=2.5, length=1) + resonator(nu=1.5, length=2, variance=1, frequency=0.25)"
                + " + matern(nu=1.5, length=3)");
        List<String> names = k.hyperparameters().stream().map(Hyperparameter::name).toList();
        assertEquals(List.of("matern12.variance", "matern12.length", "matern32.variance", "matern32.length",
                "matern52.variance", "matern52.length", "resonator.variance", "resonator.length", "resonator.frequency",
                "matern32#2.variance", "matern32#2.length"), names);
        assertEquals(StateSpaceKernel.parse("matern(nu=1.5, length=1)"), StateSpaceKernel.parse("matern(nu=1.5, length=1)"));
        assertNotEquals(StateSpaceKernel.parse("matern(nu=1.5, length=1)"), StateSpaceKernel.parse("matern(nu=2.5, length=1)"));
        assertFalse(SUM.equals("not a kernel"));
    }

    /** A component's messages name its kind: a resonator when f > 0, a Matérn component when f = 0. */
    @Test
    void componentMessagesNameTheirKind() {
        var e = assertThrows(Kernels4jException.class, () -> new StateSpaceKernel.Component(1.5, -1, 1, 0));
        assertTrue(e.getMessage().startsWith("matern: variance"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new StateSpaceKernel.Component(1.5, 1, -1, 0));
        assertTrue(e.getMessage().startsWith("matern: length"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new StateSpaceKernel.Component(1.5, -1, 1, 0.3));
        assertTrue(e.getMessage().startsWith("resonator: variance"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> new StateSpaceKernel.Component(1.5, 1, -1, 0.3));
        assertTrue(e.getMessage().startsWith("resonator: length"), e.getMessage());
    }

    /**
     * transition(0): A = e^(F·0) = I and Q = P∞ − I·P∞·I = 0 with zero derivatives of A; and every
     * output is overwritten (arrays full of 7 give what fresh zero arrays give, zero outside the
     * components' diagonal blocks).
     */
    @Test
    void theTransitionAtZeroIsTheIdentityAndOverwritesItsOutputs() {
        StateSpaceKernel k = StateSpaceKernel.parse("0.8*matern(nu=1.5, length=1.2) + resonator(nu=0.5, length=2,"
                + " variance=0.5, frequency=0.3)");
        int d = k.stateDimension();
        int j = k.parameterCount();
        assertEquals(4, d);
        double[][] fresh = outputs(d, j, 0);
        double[][] dirty = outputs(d, j, 7);
        for (double dt : new double[] {0, 0.35}) {
            call(k, dt, fresh, d, j);
            call(k, dt, dirty, d, j);
            for (int i = 0; i < fresh.length; i++) {
                assertArrayEquals(fresh[i], dirty[i], 0, "output " + i + " at dt " + dt);
            }
            if (dt == 0) {
                for (int r = 0; r < d; r++) {
                    for (int c = 0; c < d; c++) {
                        assertEquals(r == c ? 1 : 0, fresh[0][r * d + c], 1e-15, "A(0)");
                        assertEquals(0, fresh[2][r * d + c], 1e-12, "Q(0)");
                    }
                }
            }
        }
        double[] p = new double[d * d];
        java.util.Arrays.fill(p, 7);
        k.stationary(p, null);
        assertArrayEquals(fresh[1], p, 0, "P∞ overwritten");
        assertEquals(0, p[1 * d + 2], 0, "zero between the two components");
    }

    /** {a, p, q, da[0..j), dq[0..j), dp[0..j)} filled with {@code fill}. */
    private static double[][] outputs(int d, int j, double fill) {
        double[][] out = new double[3 + 3 * j][d * d];
        for (double[] o : out) {
            java.util.Arrays.fill(o, fill);
        }
        return out;
    }

    private static void call(StateSpaceKernel k, double dt, double[][] o, int d, int j) {
        double[][] da = java.util.Arrays.copyOfRange(o, 3, 3 + j);
        double[][] dq = java.util.Arrays.copyOfRange(o, 3 + j, 3 + 2 * j);
        double[][] dp = java.util.Arrays.copyOfRange(o, 3 + 2 * j, 3 + 3 * j);
        k.transition(dt, o[0], o[1], o[2], da, dq, dp);
    }

    /** A learned fit's search result describes the learned kernel and noise. */
    @Test
    void theSearchResultNamesTheLearnedKernel() {
        Matrix x = new Matrix(20, 1);
        for (int i = 0; i < 20; i++) {
            x.set(i, 0, 0.4 * i);
        }
        StateSpaceGaussianProcessModel m = StateSpaceGaussianProcess.builder(StateSpaceKernel.parse(
                "matern(nu=1.5, length=1)")).noise(0.3).optimize(HyperparameterSearch.builder().build()).build()
                .fit(x, signal(x, 1, 9));
        String spec = m.search().kernel().toSpec();
        assertTrue(spec.contains(m.kernel().toSpec()) && spec.contains("noise"), spec + " vs " + m.kernel().toSpec());
    }
}
