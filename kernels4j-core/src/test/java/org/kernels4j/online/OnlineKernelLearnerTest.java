package org.kernels4j.online;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * NORMA and the kernel perceptron against their updates written out here the plain way (a list of terms,
 * every coefficient multiplied by 1 − ηλ at every step, the oldest term removed when over budget), the
 * perceptron against Novikoff's mistake bound, streaming in batches against one pass, the model file, and
 * the refusals.
 */
class OnlineKernelLearnerTest {
    private static final Kernel K = KernelSpec.parse("rbf(gamma=0.7)");

    private static Matrix[] data(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, 2);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x.set(i, 0, r.nextGaussian());
            x.set(i, 1, r.nextGaussian());
            y[i] = x.get(i, 0) * x.get(i, 1) > 0 ? 5 : 9; // XOR-like classes; also a target for regression
        }
        return new Matrix[] {x, Matrix.column(y)};
    }

    /** The plain implementation: returns {b, margin, coefficients…} and fills {@code kept} with the kept rows. */
    private static double[] plain(OnlineKernelLearner.Type type, Matrix x, double[] y, int budget, double eta,
            double lambda, double nu, List<double[]> kept) {
        List<Double> a = new ArrayList<>();
        double b = 0;
        double rho = 0;
        for (int i = 0; i < x.rows(); i++) {
            double[] xi = x.row(i);
            double f = 0;
            for (int j = 0; j < a.size(); j++) {
                f += a.get(j) * K.value(kept.get(j), xi);
            }
            double yi = type == OnlineKernelLearner.Type.REGRESSION ? y[i] : y[i] == 5 ? 1 : -1;
            Double add = null;
            if (type == OnlineKernelLearner.Type.PERCEPTRON) {
                if (yi * f <= 0) {
                    add = yi;
                }
            } else if (type == OnlineKernelLearner.Type.CLASSIFICATION) {
                if (yi * (f + b) < rho) {
                    add = eta * yi;
                    b += eta * yi;
                    rho -= eta * (1 - nu);
                } else {
                    rho += eta * nu;
                }
            } else if (type == OnlineKernelLearner.Type.REGRESSION) {
                double err = yi - (f + b);
                if (Math.abs(err) > rho) {
                    add = eta * Math.signum(err);
                    b += eta * Math.signum(err);
                    rho += eta * (1 - nu);
                } else {
                    rho -= eta * nu;
                }
            } else {
                if (f < rho) {
                    add = eta;
                    rho -= eta * (1 - nu);
                } else {
                    rho += eta * nu;
                }
            }
            rho = Math.max(0, rho);
            if (type != OnlineKernelLearner.Type.PERCEPTRON) {
                a.replaceAll(v -> v * (1 - eta * lambda));
            }
            if (add != null) {
                a.add(add);
                kept.add(xi);
                if (a.size() > budget) {
                    a.remove(0);
                    kept.remove(0);
                }
            }
        }
        double[] out = new double[2 + a.size()];
        out[0] = b;
        out[1] = rho;
        for (int j = 0; j < a.size(); j++) {
            out[2 + j] = a.get(j);
        }
        return out;
    }

    @Test
    void everyTypeMatchesItsUpdateWrittenOutHere() {
        Matrix[] d = data(60, 3);
        // ηλ = 0.9 on 400 rows drives the shared scale below 1e-150 and through its renormalisation
        Matrix[] long_ = data(400, 4);
        for (OnlineKernelLearner.Type type : OnlineKernelLearner.Type.values()) {
            for (double[] setting : new double[][] {{0.3, 0.2, 0.3, 7}, {1, 0.9, 0.6, 5}}) {
                Matrix[] use = setting[1] == 0.9 ? long_ : d;
                OnlineKernelLearner learner = OnlineKernelLearner.builder(type, K).learningRate(setting[0])
                        .lambda(setting[1]).nu(setting[2]).budget((int) setting[3]).build();
                OnlineKernelModel m = learner.fit(use[0], type == OnlineKernelLearner.Type.NOVELTY ? null : use[1]);
                List<double[]> kept = new ArrayList<>();
                double[] ref = plain(type, use[0], use[1].data(), (int) setting[3], setting[0], setting[1], setting[2],
                        kept);
                String at = type + " " + java.util.Arrays.toString(setting);
                double[] coef = m.coefficients();
                assertEquals(ref.length - 2, coef.length, at);
                for (int j = 0; j < coef.length; j++) {
                    assertEquals(ref[2 + j], coef[j], 1e-12 * Math.max(1, Math.abs(ref[2 + j])), at + " term " + j);
                    assertArrayEquals(kept.get(j), m.buffer().row(j), 0, at);
                }
                double b = type == OnlineKernelLearner.Type.CLASSIFICATION || type == OnlineKernelLearner.Type.REGRESSION
                        ? ref[0] : 0;
                assertEquals(b, m.offset(), 1e-12, at);
                assertEquals(type == OnlineKernelLearner.Type.PERCEPTRON ? 0 : ref[1], m.margin(), 1e-12, at);
                assertEquals(use[0].rows(), m.steps());
                // the decision value by the definition Σα·k(x_j, x) + b (− ρ for novelty)
                double[] x0 = use[0].row(0);
                double f = type == OnlineKernelLearner.Type.NOVELTY ? -ref[1] : b;
                for (int j = 0; j < coef.length; j++) {
                    f += ref[2 + j] * K.value(kept.get(j), x0);
                }
                assertEquals(f, m.decisionValues(Matrix.wrap(1, 2, x0)).get(0, 0), 1e-9, at);
            }
        }
    }

    @Test
    void batchesContinueExactlyWhereTheLastStoppedAndSurviveTheModelFile() {
        Matrix[] d = data(50, 6);
        int[] first = java.util.stream.IntStream.range(0, 20).toArray();
        int[] rest = java.util.stream.IntStream.range(20, 50).toArray();
        OnlineKernelLearner learner = OnlineKernelLearner.builder(OnlineKernelLearner.Type.CLASSIFICATION, K)
                .budget(12).build();
        OnlineKernelModel whole = learner.fit(d[0], d[1]);
        OnlineKernelModel part = learner.fit(d[0].selectRows(first), d[1].selectRows(first));
        OnlineKernelCodec codec = new OnlineKernelCodec();
        OnlineKernelModel reread = codec.decode(codec.encode(part));
        OnlineKernelModel next = reread.partialFit(d[0].selectRows(rest), d[1].selectRows(rest));
        assertArrayEquals(whole.coefficients(), next.coefficients(), 1e-12);
        assertEquals(whole.margin(), next.margin(), 1e-12);
        assertEquals(whole.updates(), next.updates());
        assertArrayEquals(whole.predict(d[0]).data(), next.predict(d[0]).data(), 0);
        assertEquals(20, part.steps()); // the old model is unchanged by partialFit
    }

    /**
     * Novikoff: data separable by a unit vector w* with margin γ, ‖x‖ ≤ R = 1, linear kernel: the perceptron
     * makes at most (R/γ)² mistakes over any number of passes, and a pass with none classifies every row.
     */
    @Test
    void perceptronMistakesStayWithinNovikoffsBound() {
        Random r = new Random(11);
        double gamma = 0.1;
        double theta = 0.7;
        int n = 300;
        Matrix x = new Matrix(n, 2);
        double[] y = new double[n];
        for (int i = 0; i < n;) {
            double u = 2 * r.nextDouble() - 1;
            double v = 2 * r.nextDouble() - 1;
            double side = u * Math.cos(theta) + v * Math.sin(theta);
            if (u * u + v * v <= 1 && Math.abs(side) >= gamma) {
                x.set(i, 0, u);
                x.set(i, 1, v);
                y[i++] = side > 0 ? 1 : 2;
            }
        }
        OnlineKernelLearner learner = OnlineKernelLearner.builder(OnlineKernelLearner.Type.PERCEPTRON,
                KernelSpec.parse("linear()")).budget(10_000).build();
        OnlineKernelModel m = learner.fit(x, Matrix.column(y));
        long before = -1;
        int passes = 1;
        while (m.updates() != before && passes < 200) {
            before = m.updates();
            m = m.partialFit(x, Matrix.column(y));
            passes++;
        }
        assertTrue(m.updates() <= 1 / (gamma * gamma), m.updates() + " mistakes");
        assertTrue(m.updates() > 0);
        assertEquals(m.updates(), m.coefficients().length); // one term per mistake
        assertArrayEquals(y, m.predict(x).data(), 0);
    }

    private static void refused(Executable e, String part) {
        String msg = assertThrows(Kernels4jException.class, e).getMessage();
        assertTrue(msg.contains(part), msg);
    }

    @Test
    void badInputIsRefused() {
        var c = OnlineKernelLearner.Type.CLASSIFICATION;
        refused(() -> OnlineKernelLearner.builder(c, K).budget(0), "budget must be at least 1");
        refused(() -> OnlineKernelLearner.builder(c, K).learningRate(0), "learning rate must be a positive");
        refused(() -> OnlineKernelLearner.builder(c, K).lambda(-1e-9), "lambda must be a number >= 0");
        refused(() -> OnlineKernelLearner.builder(c, K).nu(0), "nu must be in (0, 1]");
        refused(() -> OnlineKernelLearner.builder(c, K).nu(1.5), "nu must be in (0, 1]");
        refused(() -> OnlineKernelLearner.builder(c, K).learningRate(2).lambda(0.5).build(), "below 1");
        Matrix x = data(9, 1)[0];
        refused(() -> OnlineKernelLearner.builder(c, K).build().fit(x, Matrix.column(new double[] {1, 2, 3, 1, 2, 3,
                1, 2, 3})), "needs exactly two classes");
        OnlineKernelModel m = OnlineKernelLearner.builder(c, K).build().fit(x, data(9, 1)[1]);
        refused(() -> m.partialFit(x, Matrix.column(new double[] {5, 9, 4, 5, 9, 5, 9, 5, 9})), "row 3 has class 4.0");
        refused(() -> m.partialFit(new Matrix(2, 3), Matrix.column(new double[] {5, 9})), "takes 2 features, got 3");
        refused(() -> m.probabilities(x), "no probabilities");
    }
}
