package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.gram.GramEngine;

class HyperparameterTest {
    private static final String[] SPECS = {
        "rbf(gamma=0.7)", "rbf(length=1.3)", "rbf(length=[0.5, 1, 2])",
        "matern(nu=0.5, length=1.1)", "matern(nu=1.5, length=0.9)", "matern(nu=2.5, length=1.7)",
        "matern(nu=0.5, length=[1, 2, 0.7])", "matern(nu=1.5, length=[1, 2, 0.7])", "matern(nu=2.5, length=[1, 2, 0.7])",
        "rq(alpha=0.7, length=1.2)", "periodic(length=0.9, period=2.5)", "white(noise=0.1)", "constant(value=2)",
        "laplacian(gamma=0.5)", "laplacian(gamma=0.5, norm=l1)", "poly(degree=3, gamma=0.5, coef0=1)",
        "poly(degree=2, gamma=0.3, coef0=0)", "2*rbf(length=1) + white(noise=0.1)",
        "0.5*rbf(gamma=1) * periodic(length=1, period=3) + rbf(length=2)",
        "(rbf(length=1.5) + constant(value=0.3)) * matern(nu=2.5, length=[1, 0.5, 2])",
    };

    /**
     * Every kernel's analytic ∂K/∂log θ against a central finite difference of the Gram matrix in
     * log θ (step h = 1e-5: truncation O(h²·K''') ≈ 1e-10 and rounding O(ε/h) ≈ 1e-11, both far
     * below the 1e-5 tolerance), as the maximum entry error over the largest entry.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19})
    void analyticGramDerivativesMatchCentralDifferences(int which) {
        Kernel k = KernelSpec.parse(SPECS[which]);
        Matrix x = TestData.gaussian(37, 3, 1.0, 11 + which);
        List<Hyperparameter> hs = k.hyperparameters();
        assertTrue(!hs.isEmpty(), SPECS[which]);
        Matrix[] analytic = GramEngine.gramGradients(k, x);
        assertEquals(hs.size(), analytic.length);
        double h = 1e-5;
        for (int p = 0; p < hs.size(); p++) {
            double[] up = values(hs);
            double[] down = values(hs);
            up[p] *= Math.exp(h);
            down[p] *= Math.exp(-h);
            Matrix kp = GramEngine.gram(k.withHyperparameters(up), x);
            Matrix km = GramEngine.gram(k.withHyperparameters(down), x);
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < kp.data().length; i++) {
                double fd = (kp.data()[i] - km.data()[i]) / (2 * h);
                worst = Math.max(worst, Math.abs(fd - analytic[p].data()[i]));
                scale = Math.max(scale, Math.abs(fd));
            }
            assertTrue(scale > 0, SPECS[which] + " " + hs.get(p).name() + " has a zero derivative");
            assertTrue(worst / scale < 1e-5, SPECS[which] + " " + hs.get(p).name() + ": relative error " + worst / scale);
        }
    }

    /**
     * Neural kernels: with b_var = 0 and a degree-1 homogeneous activation, K^L scales as
     * w_var^(L+1) (each layer multiplies by w_var, the duals are homogeneous), so
     * ∂K/∂log w_var = (L+1)·K exactly, for the NNGP and the NTK alike; with b_var &gt; 0 the derivatives
     * are checked against central differences with a step ten times longer than the rule's.
     */
    @Test
    void neuralKernelDerivativesMatchHomogeneityAndDifferences() {
        Matrix x = TestData.gaussian(30, 4, 1.0, 17);
        for (String spec : new String[] {"nngp(depth=3, activation=relu, w_var=1.7)", "ntk(depth=2, activation=relu, w_var=2)",
            "ntk(depth=2, activation=leaky_relu, alpha=0.2, w_var=0.8)"}) {
            Kernel k = KernelSpec.parse(spec);
            int layers = spec.startsWith("nngp(depth=3") ? 4 : 3;
            Matrix g = GramEngine.gramGradients(k, x)[0];
            Matrix v = GramEngine.gram(k, x);
            for (int i = 0; i < v.data().length; i++) {
                assertEquals(layers * v.data()[i], g.data()[i], 1e-9 * Math.abs(v.data()[i]) + 1e-12, spec);
            }
        }
        Kernel k = KernelSpec.parse("ntk(depth=3, activation=erf, w_var=1.5, b_var=0.2)");
        Matrix[] g = GramEngine.gramGradients(k, x);
        double h = 1e-2;
        for (int p = 0; p < 2; p++) {
            double[] up = values(k.hyperparameters());
            double[] down = values(k.hyperparameters());
            up[p] *= Math.exp(h);
            down[p] *= Math.exp(-h);
            Matrix kp = GramEngine.gram(k.withHyperparameters(up), x);
            Matrix km = GramEngine.gram(k.withHyperparameters(down), x);
            for (int i = 0; i < kp.data().length; i++) {
                double fd = (kp.data()[i] - km.data()[i]) / (2 * h);
                assertEquals(fd, g[p].data()[i], 1e-4 * Math.max(1, Math.abs(fd))); // O(h²) = 1e-4 for this step
            }
        }
    }

    /** The value tile the gradient pass writes is the kernel matrix itself. */
    @ParameterizedTest
    @ValueSource(ints = {0, 2, 5, 7, 9, 10, 14, 16, 18, 19})
    void gradientPassAlsoGivesTheGramMatrix(int which) {
        Kernel k = KernelSpec.parse(SPECS[which]);
        Matrix x = TestData.gaussian(300, 3, 1.0, 5);
        Matrix w = Matrix.identity(300);
        double[] traces = GramEngine.gradientContractions(k, x, w);
        Matrix[] g = GramEngine.gramGradients(k, x);
        for (int p = 0; p < g.length; p++) {
            double trace = 0;
            for (int i = 0; i < 300; i++) {
                trace += g[p].get(i, i);
            }
            assertEquals(trace, traces[p], 1e-9 * Math.max(1, Math.abs(trace)));
        }
    }

    @Test
    void contractionsEqualTheDenseSumForAFullWeightMatrix() {
        Kernel k = KernelSpec.parse("2*rbf(length=[1, 2]) + white(noise=0.3) + rq(alpha=2, length=1)");
        Matrix x = TestData.gaussian(530, 2, 1.0, 3); // three tiles of 256 per side, the last one partial
        Matrix a = TestData.gaussian(530, 530, 1.0, 4);
        Matrix at = a.transpose();
        Matrix w = new Matrix(530, 530);
        for (int i = 0; i < w.data().length; i++) {
            w.data()[i] = a.data()[i] + at.data()[i];
        }
        double[] c = GramEngine.gradientContractions(k, x, w);
        Matrix[] g = GramEngine.gramGradients(k, x);
        for (int p = 0; p < g.length; p++) {
            double s = 0;
            double mag = 0;
            for (int i = 0; i < w.data().length; i++) {
                s += w.data()[i] * g[p].data()[i];
                mag += Math.abs(w.data()[i] * g[p].data()[i]);
            }
            assertEquals(s, c[p], 1e-12 * mag);
        }
    }

    @Test
    void namesAreUniqueAndValuesRoundTrip() {
        Kernel k = KernelSpec.parse("0.5*rbf(gamma=1) * periodic(length=1, period=3) + 2*rbf(length=[2, 3])");
        List<String> names = k.hyperparameters().stream().map(Hyperparameter::name).toList();
        assertEquals(List.of("scale", "rbf.gamma", "periodic.length", "periodic.period", "scale#2", "rbf.length[0]",
                "rbf.length[1]"), names);
        double[] v = values(k.hyperparameters());
        assertEquals(k, k.withHyperparameters(v));
        v[5] = 7;
        assertEquals("0.5*rbf(gamma=1) * periodic(length=1, period=3) + 2*rbf(length=[7, 3])",
                k.withHyperparameters(v).toSpec());
        assertArrayEquals(new double[0], values(KernelSpec.parse("linear()").hyperparameters()));
        assertEquals(List.of(), KernelSpec.parse("white(noise=0)").hyperparameters());
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> k.withHyperparameters(new double[3]));
        assertTrue(e.getMessage().contains("has 7 hyperparameters, got 3"), e.getMessage());
        Hyperparameter small = KernelSpec.parse("white(noise=1e-7)").hyperparameters().get(0);
        assertEquals(1e-7, small.lower()); // default bounds widen to include the value
        assertEquals(Hyperparameter.DEFAULT_UPPER, small.upper());
    }

    private static double[] values(List<Hyperparameter> hs) {
        return hs.stream().mapToDouble(Hyperparameter::value).toArray();
    }
}
