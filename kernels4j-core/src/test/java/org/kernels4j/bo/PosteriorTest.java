package org.kernels4j.bo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The surrogate posterior against the dense GP model's predictions, its input gradients and the
 * acquisition gradients against central differences, and the knowledge gradient against a
 * simulation that refits the GP on a drawn observation.
 */
class PosteriorTest {
    private static final int N = 12;

    private static Matrix points(long seed, int n, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        Matrix u = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                u.set(i, f, r.nextDouble());
            }
        }
        return u;
    }

    private static double[] values(Matrix u) {
        double[] y = new double[u.rows()];
        for (int i = 0; i < y.length; i++) {
            double[] p = u.row(i);
            y[i] = Math.sin(5 * p[0]) + p[1] * p[1] - 0.5 * p[0] * p[1] + 3;
        }
        return y;
    }

    private static Posterior posterior(Kernel k, Matrix u, double[] y, double noise) {
        return Surrogate.gaussianProcess(k).noise(noise).learnHyperparameters(false).fit(u, y, null, 1);
    }

    @Test
    void momentsEqualTheDenseGaussianProcess() {
        Kernel k = KernelSpec.parse("1.7*matern(nu=2.5, length=[0.4, 0.7])");
        Matrix u = points(1, N, 2);
        double[] y = values(u);
        Posterior p = posterior(k, u, y, 1e-4);
        GaussianProcessModel m = GaussianProcess.builder(k).noise(1e-4).normalizeTargets(true).build()
                .fit(u, Matrix.wrap(N, 1, y.clone()));
        Matrix test = points(2, 6, 2);
        Matrix mean = m.predict(test);
        Matrix var = m.predictiveVariance(test);
        Matrix cov = m.covariance(test, 0);
        for (int i = 0; i < test.rows(); i++) {
            double[] mv = p.moments(test.row(i));
            assertEquals(mean.get(i, 0), mv[0], 1e-10);
            assertEquals(var.get(i, 0), mv[1], 1e-10);
            assertEquals(mean.get(i, 0), p.mean(test.row(i)), 1e-10);
            assertEquals(var.get(i, 0), p.variance(test.row(i)), 1e-10);
            assertEquals(cov.get(i, (i + 1) % 6), p.covariance(test.row(i), test.row((i + 1) % 6)), 1e-10);
        }
        // the noise of one evaluation, in target units: σ²·(population variance of y, as the GP normalizes)
        double mu = java.util.Arrays.stream(y).average().orElseThrow();
        double ss = 0;
        for (double v : y) {
            ss += (v - mu) * (v - mu);
        }
        assertEquals(1e-4 * ss / N, p.noiseVariance(), 1e-12);
    }

    @Test
    void inputGradientsMatchDifferences() {
        double h = 1e-6;
        for (String spec : new String[] {"1.7*matern(nu=2.5, length=[0.4, 0.7])", "rbf(length=0.5)",
            "matern(nu=1.5, length=0.6) + white(noise=0.001)"}) {
            Kernel k = KernelSpec.parse(spec);
            Matrix u = points(3, N, 2);
            Posterior p = posterior(k, u, values(u), 1e-6);
            Matrix test = points(4, 4, 2);
            for (int i = 0; i < test.rows(); i++) {
                double[] x = test.row(i);
                double a = 0.7;
                double b = -1.3;
                double[] g = p.gradient(x, a, b);
                for (int f = 0; f < 2; f++) {
                    double[] up = x.clone();
                    double[] down = x.clone();
                    up[f] += h;
                    down[f] -= h;
                    double[] mu = p.moments(up);
                    double[] md = p.moments(down);
                    double fd = (a * (mu[0] - md[0]) + b * (mu[1] - md[1])) / (2 * h);
                    assertEquals(fd, g[f], 1e-5 * Math.max(1, Math.abs(fd)), spec + " feature " + f);
                }
            }
        }
    }

    @Test
    void acquisitionGradientsMatchDifferences() {
        double h = 1e-6;
        Matrix u = points(5, N, 2);
        double[] y = values(u);
        Posterior p = posterior(KernelSpec.parse("matern(nu=2.5, length=[0.3, 0.5])"), u, y, 1e-6);
        double incumbent = java.util.Arrays.stream(y).max().orElseThrow();
        Acquisition[] all = {Acquisition.expectedImprovement(), Acquisition.probabilityOfImprovement(0.01),
            Acquisition.upperConfidenceBound(2), Acquisition.noisyExpectedImprovement(), Acquisition.knowledgeGradient(16)};
        Matrix test = points(6, 5, 2);
        for (Acquisition acq : all) {
            double[][] kg = acq.kind() == Acquisition.Kind.KNOWLEDGE_GRADIENT ? points(7, 16, 2).data().length > 0
                    ? rows(points(7, 16, 2)) : null : null;
            BayesianOptimizer.Objective o = new BayesianOptimizer.Objective(p, acq, incumbent - 0.3, u, kg);
            for (int i = 0; i < test.rows(); i++) {
                double[] x = test.row(i);
                double[] g = new double[2];
                double v = o.valueAndGradient(x, g);
                assertEquals(o.value(x), v, 1e-14);
                for (int f = 0; f < 2; f++) {
                    double[] up = x.clone();
                    double[] down = x.clone();
                    up[f] += h;
                    down[f] -= h;
                    double fd = (o.value(up) - o.value(down)) / (2 * h);
                    assertEquals(fd, g[f], 1e-5 * Math.max(1, Math.abs(fd)), acq + " feature " + f);
                }
            }
        }
    }

    private static double[][] rows(Matrix m) {
        double[][] r = new double[m.rows()][];
        for (int i = 0; i < r.length; i++) {
            r[i] = m.row(i);
        }
        return r;
    }

    @Test
    void knowledgeGradientMatchesRefittingOnSimulatedObservations() {
        Matrix u = points(8, 8, 1);
        double[] y = values(Matrix.wrap(8, 2, interleave(u)));
        Kernel k = KernelSpec.parse("matern(nu=2.5, length=0.3)");
        double noise = 0.05;
        Posterior p = posterior(k, u, y, noise);
        double[][] set = rows(points(9, 10, 1));
        BayesianOptimizer.Objective o = new BayesianOptimizer.Objective(p, Acquisition.knowledgeGradient(10), 0, u, set);
        double[] x = {0.37};
        double kg = o.value(x);
        // brute force: draw y(x) ~ N(μ(x), σ²(x) + σ²_n), refit with it, take the best posterior mean over
        // the observed points, the set and x, minus the best before
        double[][] all = new double[8 + set.length + 1][];
        for (int i = 0; i < 8; i++) {
            all[i] = u.row(i);
        }
        System.arraycopy(set, 0, all, 8, set.length);
        all[all.length - 1] = x;
        double before = Double.NEGATIVE_INFINITY;
        for (double[] a : all) {
            before = Math.max(before, p.mean(a));
        }
        double[] mv = p.moments(x);
        double sd = Math.sqrt(mv[1] + p.noiseVariance());
        SplittableRandom r = new SplittableRandom(10);
        int draws = 250;
        double sum = 0;
        double sq = 0;
        for (int t = 0; t < draws; t++) {
            double yNew = mv[0] + sd * r.nextGaussian();
            Posterior q = p.condition(x, yNew);
            double best = Double.NEGATIVE_INFINITY;
            for (double[] a : all) {
                best = Math.max(best, q.mean(a));
            }
            double gain = best - before;
            sum += gain;
            sq += gain * gain;
        }
        double mean = sum / draws;
        double se = Math.sqrt((sq / draws - mean * mean) / draws);
        assertEquals(mean, kg, 4 * se + 0.02 * kg);
    }

    private static double[] interleave(Matrix u) {
        double[] d = new double[u.rows() * 2];
        for (int i = 0; i < u.rows(); i++) {
            d[2 * i] = u.get(i, 0);
            d[2 * i + 1] = 0.5;
        }
        return d;
    }

    @Test
    void conditioningEqualsRefittingWithTheExtraPoint() {
        Kernel k = KernelSpec.parse("matern(nu=2.5, length=[0.4, 0.7])");
        Matrix u = points(11, N, 2);
        double[] y = values(u);
        Posterior p = posterior(k, u, y, 1e-6);
        double[] x = {0.25, 0.75};
        Posterior q = p.condition(x, 2.5);
        Matrix u2 = new Matrix(N + 1, 2);
        double[] y2 = new double[N + 1];
        for (int i = 0; i < N; i++) {
            u2.set(i, 0, u.get(i, 0));
            u2.set(i, 1, u.get(i, 1));
            y2[i] = y[i];
        }
        u2.set(N, 0, 0.25);
        u2.set(N, 1, 0.75);
        y2[N] = 2.5;
        // the dense GP on the first fit's normalized targets, without renormalizing
        double shift = java.util.Arrays.stream(y).average().orElseThrow();
        double ss = 0;
        for (double v : y) {
            ss += (v - shift) * (v - shift);
        }
        double scale = Math.sqrt(ss / N);
        Matrix z = new Matrix(N + 1, 1);
        for (int i = 0; i <= N; i++) {
            z.set(i, 0, (y2[i] - shift) / scale);
        }
        GaussianProcessModel direct = GaussianProcess.builder(k).noise(1e-6).build().fit(u2, z);
        Matrix t = Matrix.wrap(1, 2, new double[] {0.6, 0.1});
        assertEquals(shift + scale * direct.predict(t).get(0, 0), q.mean(t.row(0)), 1e-9);
        assertEquals(scale * scale * direct.predictiveVariance(t).get(0, 0), q.variance(t.row(0)), 1e-10);
        assertEquals(2.5, q.mean(x), 1e-3);
        assertEquals(N + 1, q.size());
    }
}
