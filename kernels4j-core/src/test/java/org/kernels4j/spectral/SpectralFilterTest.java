package org.kernels4j.spectral;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;

/**
 * Every filter against its iterative definition, run step by step on an explicit matrix K = V·diag(μ)·Vᵀ built
 * here from a known orthonormal basis V (Gram–Schmidt in the test) and known eigenvalues, so the filter's
 * closed form is compared with what the algorithm it names actually computes.
 */
class SpectralFilterTest {
    private static final int N = 20;
    private static final double[] MU = new double[N];
    private static final double[][] V = orthonormalBasis(N, 7);
    private static final double[][] K = new double[N][N];
    private static final double[] Y = new double[N];

    static {
        for (int j = 0; j < N; j++) {
            MU[j] = 3.0 * Math.pow(0.55, j); // 3 … 3·0.55^19 ≈ 3e-5: a decaying spectrum over 5 decades
        }
        for (int a = 0; a < N; a++) {
            for (int b = 0; b < N; b++) {
                double s = 0;
                for (int j = 0; j < N; j++) {
                    s += V[a][j] * MU[j] * V[b][j];
                }
                K[a][b] = s;
            }
        }
        Random r = new Random(3);
        for (int i = 0; i < N; i++) {
            Y[i] = r.nextGaussian();
        }
    }

    /** Columns of a random matrix made orthonormal by modified Gram–Schmidt (run twice for full accuracy). */
    static double[][] orthonormalBasis(int n, long seed) {
        Random r = new Random(seed);
        double[][] v = new double[n][n];
        for (double[] row : v) {
            for (int j = 0; j < n; j++) {
                row[j] = r.nextGaussian();
            }
        }
        for (int pass = 0; pass < 2; pass++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += v[i][j] * v[i][p];
                    }
                    for (int i = 0; i < n; i++) {
                        v[i][j] -= dot * v[i][p];
                    }
                }
                double norm = 0;
                for (int i = 0; i < n; i++) {
                    norm += v[i][j] * v[i][j];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < n; i++) {
                    v[i][j] /= norm;
                }
            }
        }
        return v;
    }

    static double[] times(double[][] a, double[] x) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < x.length; j++) {
                out[i] += a[i][j] * x[j];
            }
        }
        return out;
    }

    /** α = V·diag(g)·Vᵀy with the filter's coefficients g(μ_j). */
    static double[] filtered(double[] g) {
        double[] vty = new double[N];
        for (int j = 0; j < N; j++) {
            for (int i = 0; i < N; i++) {
                vty[j] += V[i][j] * Y[i];
            }
        }
        double[] alpha = new double[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                alpha[i] += V[i][j] * g[j] * vty[j];
            }
        }
        return alpha;
    }

    static void assertClose(double[] expected, double[] actual, double relTol, String what) {
        double scale = 0;
        for (double e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], relTol * scale, what + " [" + i + "]");
        }
    }

    static double[] solve(double[][] a, double[] b) {
        Matrix m = new Matrix(N, N);
        Matrix rhs = new Matrix(N, 1);
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                m.set(i, j, a[i][j]);
            }
            rhs.set(i, 0, b[i]);
        }
        return TestData.gaussSolve(m, rhs).column(0);
    }

    static double[][] plusDiagonal(double lambda) {
        double[][] a = new double[N][N];
        for (int i = 0; i < N; i++) {
            a[i] = K[i].clone();
            a[i][i] += lambda;
        }
        return a;
    }

    @Test
    void landweberEqualsGradientDescentRunStepByStep() {
        for (Double step : new Double[] {null, 0.4}) { // default η = 1/μ_max = 1/3, and η = 0.4 (ημ_max = 1.2)
            SpectralFilter f = step == null ? SpectralFilter.landweber() : SpectralFilter.landweber(step);
            double eta = step == null ? 1 / MU[0] : step;
            int[] checkpoints = {1, 2, 7, 60, 400};
            double[][] g = f.coefficients(MU, new double[] {1, 2, 7, 60, 400});
            double[] alpha = new double[N];
            int c = 0;
            for (int t = 1; t <= 400; t++) {
                double[] r = times(K, alpha);
                for (int i = 0; i < N; i++) {
                    alpha[i] += eta * (Y[i] - r[i]);
                }
                if (t == checkpoints[c]) {
                    // 400 steps of rounding in the iterate: 1e-11 relative
                    assertClose(alpha, filtered(g[c]), 1e-11, "landweber step " + t + " eta " + eta);
                    c++;
                }
            }
        }
    }

    @Test
    void gradientFlowEqualsTheOdeIntegratedByRungeKutta() {
        double[] times = {0.05, 1.0, 30.0};
        double[][] g = SpectralFilter.gradientFlow().coefficients(MU, times);
        // dα/dt = y − Kα by classical RK4 with h = 1e-3 (h·μ_max = 3e-3: local error ~ (hμ)^5, global < 1e-10)
        double h = 1e-3;
        double[] alpha = new double[N];
        double t = 0;
        for (int c = 0; c < times.length; c++) {
            int steps = (int) Math.round((times[c] - t) / h);
            for (int s = 0; s < steps; s++) {
                double[] k1 = rhs(alpha);
                double[] k2 = rhs(axpy(alpha, k1, h / 2));
                double[] k3 = rhs(axpy(alpha, k2, h / 2));
                double[] k4 = rhs(axpy(alpha, k3, h));
                for (int i = 0; i < N; i++) {
                    alpha[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
                }
            }
            t = times[c];
            assertClose(alpha, filtered(g[c]), 1e-9, "flow at t = " + t);
        }
    }

    private static double[] rhs(double[] alpha) {
        double[] ka = times(K, alpha);
        double[] out = new double[N];
        for (int i = 0; i < N; i++) {
            out[i] = Y[i] - ka[i];
        }
        return out;
    }

    private static double[] axpy(double[] x, double[] d, double a) {
        double[] out = x.clone();
        for (int i = 0; i < N; i++) {
            out[i] += a * d[i];
        }
        return out;
    }

    @Test
    void iteratedTikhonovEqualsRidgeFitsOnTheResidualsRunOneByOne() {
        double lambda = 0.01;
        for (int order : new int[] {1, 2, 5}) {
            double[] g = SpectralFilter.iteratedTikhonov(order).coefficients(MU, new double[] {lambda})[0];
            double[] alpha = new double[N];
            for (int j = 0; j < order; j++) {
                double[] r = rhs(alpha);
                double[] step = solve(plusDiagonal(lambda), r);
                for (int i = 0; i < N; i++) {
                    alpha[i] += step[i];
                }
            }
            assertClose(alpha, filtered(g), 1e-9, "iterated Tikhonov order " + order);
        }
        // order 1 is ridge itself
        double[] ridge = solve(plusDiagonal(0.3), Y);
        assertClose(ridge, filtered(SpectralFilter.tikhonov().coefficients(MU, new double[] {0.3})[0]), 1e-11, "ridge");
    }

    @Test
    void cutoffInvertsKOnTheKeptEigenvectorsOnly() {
        double lambda = MU[6] * 0.999; // keeps μ_0 … μ_6 (7 directions)
        double[] g = SpectralFilter.cutoff().coefficients(MU, new double[] {lambda})[0];
        double[] alpha = filtered(g);
        // fitted values Kα are the orthogonal projection of y onto the 7 leading eigenvectors
        double[] fitted = times(K, alpha);
        double[] projection = new double[N];
        for (int j = 0; j < 7; j++) {
            double dot = 0;
            for (int i = 0; i < N; i++) {
                dot += V[i][j] * Y[i];
            }
            for (int i = 0; i < N; i++) {
                projection[i] += dot * V[i][j];
            }
        }
        assertClose(projection, fitted, 1e-12, "cut-off fit");
        // and α has no component along the dropped directions
        for (int j = 7; j < N; j++) {
            double dot = 0;
            for (int i = 0; i < N; i++) {
                dot += V[i][j] * alpha[i];
            }
            assertEquals(0, dot, 1e-12);
        }
    }

    /**
     * ν-method: the matrix iteration run here, with the coefficients written out from Engl, Hanke &amp; Neubauer
     * (1996, §6.3); and its residual polynomial against the normalised Jacobi polynomial
     * P_k^{(2ν−1/2, −1/2)}(1 − 2σ)/P_k(1), computed by the Jacobi three-term recurrence (an independent
     * characterisation of the same method).
     */
    @Test
    void nuMethodEqualsItsMatrixIterationAndItsResidualsAreJacobiPolynomials() {
        for (double nu : new double[] {0.5, 1.0, 2.5}) {
            double tau = 1 / MU[0];
            int last = 120;
            double[][] g = SpectralFilter.nuMethod(nu).coefficients(MU, new double[] {1, 3, 40, last});
            double[] prev = new double[N];
            double[] cur = new double[N];
            int[] checkpoints = {1, 3, 40, last};
            int c = 0;
            for (int k = 1; k <= last; k++) {
                double m = k == 1 ? 0 : (k - 1.0) * (2 * k - 3) * (2 * k + 2 * nu - 1)
                        / ((k + 2 * nu - 1) * (2 * k + 4 * nu - 1) * (2 * k + 2 * nu - 3));
                double w = 4 * (2 * k + 2 * nu - 1) * (k + nu - 1) / ((k + 2 * nu - 1) * (2 * k + 4 * nu - 1));
                double[] r = rhs(cur);
                double[] next = new double[N];
                for (int i = 0; i < N; i++) {
                    next[i] = cur[i] + m * (cur[i] - prev[i]) + w * tau * r[i];
                }
                prev = cur;
                cur = next;
                if (k == checkpoints[c]) {
                    assertClose(cur, filtered(g[c]), 1e-10, "nu = " + nu + ", step " + k);
                    c++;
                }
            }
            // residual polynomial r_k(σ) = 1 − h(μ) with σ = μ/μ_max, on a grid of σ in [0, 1]
            double[] sigma = new double[201];
            for (int i = 0; i < sigma.length; i++) {
                sigma[i] = i / 200.0;
            }
            for (int k : new int[] {1, 2, 5, 17}) {
                double[][] h = SpectralFilter.nuMethod(nu).profiles(scaled(sigma), new double[] {k});
                for (int i = 0; i < sigma.length; i++) {
                    double jacobi = jacobi(k, 2 * nu - 0.5, -0.5, 1 - 2 * sigma[i]) / jacobi(k, 2 * nu - 0.5, -0.5, 1);
                    assertEquals(jacobi, 1 - h[0][i], 1e-12, "nu " + nu + " k " + k + " sigma " + sigma[i]);
                }
            }
        }
    }

    /** σ scaled so that the largest is 1 exactly (the grid already contains 1). */
    private static double[] scaled(double[] sigma) {
        return sigma.clone();
    }

    /** Jacobi polynomial P_k^{(a, b)}(x) by its three-term recurrence (Abramowitz &amp; Stegun 22.7.1). */
    static double jacobi(int k, double a, double b, double x) {
        double p0 = 1;
        if (k == 0) {
            return p0;
        }
        double p1 = (a + 1) + (a + b + 2) * (x - 1) / 2;
        for (int n = 2; n <= k; n++) {
            double c = 2 * n + a + b;
            double a1 = 2 * n * (n + a + b) * (c - 2);
            double a2 = (c - 1) * (a * a - b * b);
            double a3 = (c - 2) * (c - 1) * c;
            double a4 = 2 * (n + a - 1) * (n + b - 1) * c;
            double p2 = ((a2 + a3 * x) * p1 - a4 * p0) / a1;
            p0 = p1;
            p1 = p2;
        }
        return p1;
    }

    @Test
    void nuMethodNeedsFarFewerStepsThanLandweberForTheSameFit() {
        // a direction with σ = μ/μ_max = 1e-4: Landweber needs t ≈ 1/σ = 10⁴ steps to fit 63 % of it
        double[] mu = {1.0, 1e-4};
        double landweber = SpectralFilter.landweber().profiles(mu, new double[] {10_000})[0][1];
        assertEquals(1 - Math.exp(-1), landweber, 1e-4); // (1 − 1e-4)^10⁴ = e^{−1}·(1 − 5e-5)
        double nu = SpectralFilter.nuMethod(1).profiles(mu, new double[] {300})[0][1];
        assertTrue(nu > landweber, "300 nu-method steps fit " + nu + " < " + landweber);
        assertTrue(SpectralFilter.landweber().profiles(mu, new double[] {300})[0][1] < 0.03);
    }

    @Test
    void selfDistillationEqualsTeacherStudentRoundsAndTendsToRidgeWithLambdaOverWeight() {
        double lambda = 0.05;
        for (double a : new double[] {0.0, 0.3, 1.0}) {
            SpectralFilter f = SpectralFilter.selfDistillation(lambda, a);
            double[][] g = f.coefficients(MU, new double[] {0, 1, 4});
            // f_0 = S y; f_t = S(a y + (1 − a) f_{t−1}); S z = K (K + λI)⁻¹ z, run with linear solves
            double[] fit = times(K, solve(plusDiagonal(lambda), Y));
            int[] rounds = {0, 1, 4};
            int c = 0;
            for (int t = 0; t <= 4; t++) {
                if (t > 0) {
                    double[] target = new double[N];
                    for (int i = 0; i < N; i++) {
                        target[i] = a * Y[i] + (1 - a) * fit[i];
                    }
                    fit = times(K, solve(plusDiagonal(lambda), target));
                }
                if (t == rounds[c]) {
                    assertClose(fit, times(K, filtered(g[c])), 1e-10, "a = " + a + ", round " + t);
                    c++;
                }
            }
        }
        // many rounds with a = 0.3: ridge with λ/a
        double[] limit = SpectralFilter.selfDistillation(lambda, 0.3).coefficients(MU, new double[] {5000})[0];
        assertClose(solve(plusDiagonal(lambda / 0.3), Y), filtered(limit), 1e-9, "limit");
    }

    @Test
    void tinyEigenvaluesGiveTheLimitsNotRoundingNoise() {
        double[] mu = {1.0, 1e-18, 0.0, -1e-17};
        double[] p = {3};
        // g(μ) → t·η (Landweber), t (flow), q/λ (iterated Tikhonov) as μ → 0; rounding would give 0 or garbage
        assertEquals(3.0, SpectralFilter.landweber().coefficients(mu, p)[0][1], 1e-12);
        assertEquals(3.0, SpectralFilter.landweber().coefficients(mu, p)[0][2], 0);
        assertEquals(3.0, SpectralFilter.gradientFlow().coefficients(mu, p)[0][1], 1e-12);
        assertEquals(3.0, SpectralFilter.gradientFlow().coefficients(mu, p)[0][3], 0);
        assertEquals(4 / 3.0, SpectralFilter.iteratedTikhonov(4).coefficients(mu, p)[0][1], 1e-12);
        assertEquals(4 / 3.0, SpectralFilter.iteratedTikhonov(4).coefficients(mu, p)[0][2], 0);
        assertEquals(3 * 0.25, SpectralFilter.landweber(0.25).coefficients(mu, p)[0][2], 0); // t·η at μ = 0
        // cut-off keeps μ = λ exactly
        assertEquals(1 / 0.5, SpectralFilter.cutoff().coefficients(new double[] {0.5}, new double[] {0.5})[0][0], 0);
        assertEquals(0, SpectralFilter.cutoff().residuals(new double[] {0.5}, new double[] {0.5})[0][0], 0);
        assertEquals(0.0, SpectralFilter.cutoff().coefficients(mu, new double[] {1e-3})[0][1], 0);
        // ν-method: g_k(0) = τ·Σ ω_j (every step adds ω_k·τ·1 and momentum of the same sign)
        double[] g0 = SpectralFilter.nuMethod(1).coefficients(mu, new double[] {1, 2})[0];
        assertEquals(6.0 / 5.0, g0[2], 1e-15); // ω_1 = (4ν+2)/(4ν+1) = 6/5 at ν = 1, τ = 1
    }

    @Test
    void badParametersAndDivergentStepsAreRefusedWithTheirNames() {
        assertThrows(Kernels4jException.class, () -> SpectralFilter.iteratedTikhonov(0));
        assertThrows(Kernels4jException.class, () -> SpectralFilter.landweber(-1));
        assertThrows(Kernels4jException.class, () -> SpectralFilter.nuMethod(0));
        assertThrows(Kernels4jException.class, () -> SpectralFilter.selfDistillation(0, 0.5));
        assertThrows(Kernels4jException.class, () -> SpectralFilter.selfDistillation(1, 1.5));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> SpectralFilter.landweber().coefficients(MU, new double[] {2.5}));
        assertTrue(e.getMessage().contains("whole number"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> SpectralFilter.gradientFlow().coefficients(MU, new double[] {0}));
        assertThrows(Kernels4jException.class, () -> SpectralFilter.tikhonov().coefficients(MU, new double[] {Double.NaN}));
        e = assertThrows(Kernels4jException.class,
                () -> SpectralFilter.landweber(2 / MU[0]).coefficients(MU, new double[] {1}));
        assertTrue(e.getMessage().contains("diverges"), e.getMessage());
        SpectralFilter.landweber(1.99 / MU[0]).coefficients(MU, new double[] {1}); // just below the limit
        assertThrows(Kernels4jException.class, () -> SpectralFilter.landweber(0));
        // η·μ_max = 2 exactly (μ_max = 4, η = 0.5) diverges; just below converges
        assertThrows(Kernels4jException.class, () -> SpectralFilter.landweber(0.5).coefficients(new double[] {4}, new double[] {1}));
        SpectralFilter.landweber(0.4999).coefficients(new double[] {4}, new double[] {1});
        SpectralFilter sd = SpectralFilter.selfDistillation(1, 0.5);
        sd.checkParameter(0);
        sd.checkParameter(1e9);
        assertThrows(Kernels4jException.class, () -> sd.checkParameter(1e9 + 1));
        SpectralFilter.landweber().checkParameter(1e9);
        assertThrows(Kernels4jException.class, () -> SpectralFilter.landweber().checkParameter(1e9 + 1));
        assertThrows(Kernels4jException.class, () -> SpectralFilter.landweber().checkParameter(Double.POSITIVE_INFINITY));
        assertEquals("landweber(step=0.01)", SpectralFilter.landweber(0.01).toSpec());
        assertEquals("iterated(order=3)", SpectralFilter.iteratedTikhonov(3).toSpec());
        String[][] names = {{"tikhonov", "lambda"}, {"cutoff", "lambda"}, {"landweber", "iterations"}, {"flow", "time"},
            {"nu-method(nu=2.5)", "iterations"}, {"self-distillation(lambda=0.1, weight=0.25)", "rounds"},
            {"iterated(order=2)", "lambda"}};
        SpectralFilter[] all = {SpectralFilter.tikhonov(), SpectralFilter.cutoff(), SpectralFilter.landweber(),
            SpectralFilter.gradientFlow(), SpectralFilter.nuMethod(2.5), SpectralFilter.selfDistillation(0.1, 0.25),
            SpectralFilter.iteratedTikhonov(2)};
        for (int i = 0; i < all.length; i++) {
            assertEquals(names[i][0], all[i].toSpec());
            assertEquals(names[i][0], all[i].toString());
            assertEquals(names[i][1], all[i].parameterName());
        }
        assertTrue(SpectralFilter.tikhonov().hasExactLeaveOneOut());
        assertTrue(!SpectralFilter.cutoff().hasExactLeaveOneOut());
    }

    @Test
    void residualFactorsAreOneMinusTheProfileAndKeepTheirPrecisionNearInterpolation() {
        SpectralFilter[] filters = {SpectralFilter.tikhonov(), SpectralFilter.iteratedTikhonov(3), SpectralFilter.cutoff(),
            SpectralFilter.landweber(), SpectralFilter.gradientFlow(), SpectralFilter.nuMethod(1),
            SpectralFilter.selfDistillation(0.05, 0.3)};
        double[][] grids = {{0.01, 1}, {0.01, 1}, {MU[8] * 0.999, 1}, {3, 40}, {0.5, 20}, {3, 40}, {0, 1, 6}};
        for (int f = 0; f < filters.length; f++) {
            double[][] h = filters[f].profiles(MU, grids[f]);
            double[][] r = filters[f].residuals(MU, grids[f]);
            for (int l = 0; l < grids[f].length; l++) {
                for (int j = 0; j < N; j++) {
                    assertEquals(1 - h[l][j], r[l][j], 1e-13, filters[f] + " p " + grids[f][l] + " j " + j);
                }
            }
        }
        // where h rounds to 1, r is still the small number it should be
        double[] mu = {1.0};
        assertEquals(Math.exp(-50), SpectralFilter.gradientFlow().residuals(mu, new double[] {50})[0][0], 1e-12 * Math.exp(-50));
        assertEquals(1e-12 / (1 + 1e-12), SpectralFilter.tikhonov().residuals(mu, new double[] {1e-12})[0][0], 1e-24);
        assertEquals(Math.pow(0.5, 60), SpectralFilter.landweber(0.5).residuals(mu, new double[] {60})[0][0],
                1e-12 * Math.pow(0.5, 60));
        assertEquals(Math.pow(1e-6 / (1 + 1e-6), 3), SpectralFilter.iteratedTikhonov(3).residuals(mu, new double[] {1e-6})[0][0],
                1e-12 * 1e-18);
        // the ν-method's residual factor is the normalised Jacobi polynomial itself, negative values included
        double[] sigma = {0.0, 0.013, 0.2, 0.5, 0.77, 1.0};
        boolean negative = false;
        for (double nu : new double[] {0.5, 1.0, 2.5}) {
            for (int k : new int[] {3, 9}) {
                double[] rk = SpectralFilter.nuMethod(nu).residuals(sigma, new double[] {k})[0];
                for (int i = 0; i < sigma.length; i++) {
                    double a = 2 * nu - 0.5;
                    double jacobi = jacobi(k, a, -0.5, 1 - 2 * sigma[i]) / jacobi(k, a, -0.5, 1);
                    assertEquals(jacobi, rk[i], 1e-12, "nu " + nu + " k " + k + " sigma " + sigma[i]);
                    assertTrue(Math.abs(rk[i]) <= 1 + 1e-12);
                    negative |= rk[i] < 0;
                }
            }
        }
        assertTrue(negative, "the residual polynomials oscillate below 0 somewhere on this grid");
        // a Landweber step beyond 1/μ_max: (1 − ημ)^t with a negative base, in both evaluation forms
        double[][] lw = SpectralFilter.landweber(0.6).residuals(new double[] {3.0, 1.0, 0.1}, new double[] {1, 4});
        assertEquals(-0.8, lw[0][0], 1e-15);
        assertEquals(Math.pow(-0.8, 4), lw[1][0], 1e-15);
        assertEquals(Math.pow(0.4, 4), lw[1][1], 1e-15);
        assertEquals(Math.pow(0.94, 4), lw[1][2], 1e-15);
        // self-distillation with a = 0 and μ ≫ λ: r_t = c·(Σ_{j<t} b^j + b^t) with b = 1 − c, c = λ/(μ+λ) ≈ 1e-14
        double c = 1 / (1e14 + 1);
        double expected = 0;
        for (int j = 0; j <= 5; j++) {
            expected += Math.pow(1 - c, j);
        }
        assertEquals(c * expected, SpectralFilter.selfDistillation(1, 0).residuals(new double[] {1e14}, new double[] {5})[0][0],
                1e-9 * c * expected);
        assertThrows(Kernels4jException.class, () -> SpectralFilter.gradientFlow().residuals(MU, new double[] {-1}));
    }
}
