package org.kernels4j.dkm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.Matrix;

class DeepKernelMachineTest {
    private static final Matrix X = TestData.gaussian(12, 3, 1, 5);
    private static final Matrix Q = TestData.gaussian(5, 3, 1.2, 6);
    private static final GramMap RELU = GramMap.nngp(Activation.relu(), 1, 0);
    private static final GramMap SE = GramMap.parse("se(length=1.3)");

    private static Matrix targets(Matrix x, int k) {
        Matrix y = new Matrix(x.rows(), k);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + x.get(i, 1) * x.get(i, 2));
            if (k > 1) {
                y.set(i, 1, Math.abs(x.get(i, 1)) - 0.5);
            }
        }
        return y;
    }

    /** The NNGP log marginal likelihood through an independent route: NeuralKernel's recursion and the exact GP. */
    private static double nngpEvidence(Matrix x, int layers, double noise, Matrix y) {
        // K⁰ = ⟨x,z⟩/d with w_var = 1, b_var = 0 is G_0; depth L + 1 applies the ReLU map L + 1 times
        NeuralKernel k = NeuralKernel.nngp(layers + 1, Activation.relu(), 1, 0);
        GaussianProcessModel gp = GaussianProcess.builder(k).noise(noise).build().fit(x, y);
        return gp.logMarginalLikelihood();
    }

    /** Every listed entry of the analytic gradient at θ against central differences (step 1e-5, 1e-6 relative). */
    private static void assertFiniteDifferenceGradient(org.kernels4j.optim.BoundedLbfgs.Objective f, double[] theta,
            int[] entries, String what) {
        double[] g = new double[theta.length];
        f.valueAndGradient(theta, g);
        double h = 1e-5;
        for (int i : entries) {
            double[] tp = theta.clone();
            double[] tm = theta.clone();
            tp[i] += h;
            tm[i] -= h;
            double fd = (f.valueAndGradient(tp, null) - f.valueAndGradient(tm, null)) / (2 * h);
            assertEquals(fd, g[i], 1e-6 * (1 + Math.abs(fd)), what + " parameter " + i);
        }
    }

    private static int[] all(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    @Test
    void analyticGradientMatchesFiniteDifferences() {
        Random rnd = new Random(3);
        for (GramMap map : List.of(SE, GramMap.nngp(Activation.leakyRelu(0.2), 1.5, 0.2))) {
            Matrix x = X.rowRange(0, 7);
            Matrix y = targets(x, 2);
            DeepKernelMachine dkm = DeepKernelMachine.builder(map).layers(2).nu(0.7, 1.9).noise(0.1).build();
            DeepKernelMachine.Problem p = dkm.problem(x, y, null);
            double[] theta = p.theta().clone();
            for (int i = 0; i < theta.length; i++) {
                theta[i] += 0.15 * rnd.nextGaussian(); // away from the start, where every KL gradient vanishes
            }
            assertFiniteDifferenceGradient(p.objective(), theta, all(theta.length), map.toString());
        }
    }

    /** The whitened problem fit minimizes: same value at θ = 0 as the plain one at its start; its gradient by FD. */
    @Test
    void whitenedProblemHasThePlainValueAndAFiniteDifferenceGradient() {
        Random rnd = new Random(4);
        Matrix x = X.rowRange(0, 7);
        Matrix y = targets(x, 2);
        DeepKernelMachine dkm = DeepKernelMachine.builder(SE).layers(2).nu(0.7, 1.9).noise(0.1).learnNoise(true).build();
        DeepKernelMachine.Problem plain = dkm.problem(x, y, null);
        DeepKernelMachine.Problem w = dkm.whitenedProblem(x, y, null);
        assertEquals(plain.objective().valueAndGradient(plain.theta(), null), w.objective().valueAndGradient(w.theta(),
                null), 1e-10 * Math.abs(plain.objective().valueAndGradient(plain.theta(), null)));
        assertEquals(Math.log(0.1), w.theta()[w.theta().length - 1], 1e-15);
        double[] theta = w.theta().clone();
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.15 * rnd.nextGaussian();
        }
        assertFiniteDifferenceGradient(w.objective(), theta, all(theta.length), "whitened:");
    }

    @Test
    void learnedNoiseGradientMatchesFiniteDifferencesAndIsStationaryAtTheOptimum() {
        Random rnd = new Random(8);
        Matrix x = X.rowRange(0, 7);
        Matrix y = targets(x, 2);
        DeepKernelMachine dkm = DeepKernelMachine.builder(SE).layers(2).nu(0.7, 1.9).noise(0.1).learnNoise(true).build();
        DeepKernelMachine.Problem p = dkm.problem(x, y, null);
        double[] theta = p.theta().clone();
        assertEquals(Math.log(0.1), theta[theta.length - 1], 1e-15, "log σ² last, at the starting value");
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.15 * rnd.nextGaussian();
        }
        assertFiniteDifferenceGradient(p.objective(), theta, new int[] {0, 5, 27, 28, 40, theta.length - 1}, "σ² learned:");
        // at the fitted optimum σ² is stationary: ∂𝓛/∂σ² = ½(‖α‖² − tr C⁻¹) = 0 with C = K(G_L) + σ²I, checked on
        // the model's G_L and σ² by Gaussian elimination here (n = 12, one target). Noisy targets and ν = 200 give an
        // interior optimum (at ν ≤ 5 the representations fit these 12 targets and σ² runs to 0, where ∂𝓛/∂log σ²
        // vanishes without σ² being stationary)
        Matrix y1 = targets(X, 1);
        for (int i = 0; i < X.rows(); i++) {
            y1.set(i, 0, y1.get(i, 0) + 0.5 * rnd.nextGaussian());
        }
        DeepKernelMachineModel m = DeepKernelMachine.builder(SE).layers(2).nu(200).noise(0.05).learnNoise(true)
                .gradientTolerance(1e-7).build().fit(X, y1);
        double s2 = m.noise();
        assertTrue(Math.abs(Math.log(s2 / 0.05)) > 0.1, "σ² moved from its start: " + s2);
        // ∂𝓛/∂σ² changes sign between σ²/1.05 and 1.05·σ² (L-BFGS stops on the objective's relative change
        // before the gradient tolerance here: ν = 200 makes the problem stiff)
        double below = noiseDerivative(m, y1, s2 / 1.05);
        double above = noiseDerivative(m, y1, s2 * 1.05);
        assertTrue(below * above < 0, "∂𝓛/∂σ² at σ²/1.05: " + below + ", at 1.05σ²: " + above + " (σ² = " + s2 + ")");
        assertTrue(Math.abs(noiseDerivative(m, y1, s2)) < 0.1 * Math.min(Math.abs(below), Math.abs(above)));
    }

    @Test
    void fusedMapPartialsEqualTheActivationDualsAndTheirBackpropagation() {
        // reference: value() and partials(), i.e. Activation.pair/derivativePair, called separately
        Random rnd = new Random(11);
        List<GramMap> maps = List.of(SE, RELU, GramMap.parse("nngp(activation=leaky_relu, alpha=0.2, w_var=1.5, b_var=0.3)"),
                GramMap.parse("nngp(activation=abrelu, a=-0.4, b=1.3, w_var=0.8)"), GramMap.parse("nngp(activation=identity)"));
        double[] out = new double[4];
        double[] ref = new double[2];
        for (GramMap map : maps) {
            for (int t = 0; t < 200; t++) {
                double gii = 0.1 + 3 * rnd.nextDouble();
                double gjj = 0.1 + 3 * rnd.nextDouble();
                double gij = (2 * rnd.nextDouble() - 1) * Math.sqrt(gii * gjj);
                map.valueAndPartials(gii, gij, gjj, out);
                assertEquals(map.value(gii, gij, gjj), out[0], 1e-13, map + " value");
                map.partials(gii, gij, gjj, ref);
                assertEquals(ref[0], out[1], 1e-12, map + " d/dGii");
                assertEquals(ref[1], out[3], 1e-12, map + " d/dGij");
                map.partials(gjj, gij, gii, ref);
                assertEquals(ref[0], out[2], 1e-12, map + " d/dGjj");
            }
            // the stored-partials backprop equals the one that re-evaluates the map entry by entry
            Matrix x = X.rowRange(0, 9);
            Matrix g = DeepKernelMachine.inputGram(x);
            Matrix a = new Matrix(9, 9);
            for (int i = 0; i < 9; i++) {
                for (int j = 0; j <= i; j++) {
                    double v = rnd.nextGaussian();
                    a.set(i, j, v);
                    a.set(j, i, v);
                }
            }
            Matrix expected = DkmObjective.backprop(map, g, a);
            DkmObjective.Mapped mapped = DkmObjective.Mapped.of(map, g, 0.25, true);
            Matrix plain = DkmObjective.apply(map, g, 0.25);
            Matrix actual = mapped.backprop(a.copy());
            for (int i = 0; i < 9; i++) {
                for (int j = 0; j < 9; j++) {
                    assertEquals(plain.get(i, j), mapped.k.get(i, j), 1e-13, map + " K");
                    assertEquals(expected.get(i, j), actual.get(i, j), 1e-12, map + " backprop");
                }
            }
        }
    }

    @Test
    void atTheNngpStartTheObjectiveIsTheNngpEvidence() {
        Matrix y = targets(X, 2);
        DeepKernelMachine dkm = DeepKernelMachine.builder(RELU).layers(2).nu(3).noise(0.05).build();
        DeepKernelMachine.Problem p = dkm.problem(X, y, null);
        assertEquals(0.0, p.jitter()[0] + p.jitter()[1] + p.jitter()[2], 0.0);
        double value = -p.objective().valueAndGradient(p.theta(), null);
        assertEquals(nngpEvidence(X, 2, 0.05, y), value, 1e-9 * Math.abs(value));
        double[] terms = ((DkmObjective) p.objective()).lastTerms();
        assertEquals(0.0, terms[1], 1e-9);
        assertEquals(0.0, terms[2], 1e-9);
    }

    @Test
    void largeNuRecoversTheNngpAtRateOneOverNu() {
        Matrix x = X.rowRange(0, 6);
        Matrix y = targets(x, 1);
        double nngp = nngpEvidence(x, 2, 0.05, y);
        double[] gaps = new double[2];
        double[] nus = {10, 1000};
        for (int t = 0; t < 2; t++) {
            DeepKernelMachineModel m = DeepKernelMachine.builder(RELU).layers(2).nu(nus[t]).noise(0.05)
                    .gradientTolerance(1e-8).build().fit(x, y);
            gaps[t] = m.objective() - nngp;
        }
        assertTrue(gaps[0] > 1e-4, "finite nu learns: gap " + gaps[0]);
        assertTrue(gaps[1] >= -1e-9, "never below the start: " + gaps[1]);
        // the optimum moves O(1/ν) from the NNGP point and gains O(1/ν): 100× ν, about 1/100 the gap
        double ratio = gaps[1] / gaps[0];
        assertTrue(ratio > 0.003 && ratio < 0.03, "gap ratio " + ratio);
    }

    @Test
    void hugeNuPredictsAsTheNngpGaussianProcess() {
        Matrix y = targets(X, 1);
        DeepKernelMachineModel m = DeepKernelMachine.builder(RELU).layers(2).nu(1e9).noise(0.05).maxIterations(3)
                .build().fit(X, y);
        GaussianProcessModel gp = GaussianProcess.builder(NeuralKernel.nngp(3, Activation.relu(), 1, 0)).noise(0.05)
                .build().fit(X, y);
        Matrix mean = m.predict(Q);
        Matrix var = m.predictiveVariance(Q);
        Matrix gpMean = gp.predict(Q);
        Matrix gpVar = gp.predictiveVariance(Q);
        for (int t = 0; t < Q.rows(); t++) {
            assertEquals(gpMean.get(t, 0), mean.get(t, 0), 1e-6);
            assertEquals(gpVar.get(t, 0), var.get(t, 0), 1e-6);
        }
    }

    @Test
    void objectiveNeverDecreasesAlongAcceptedSteps() {
        Matrix y = targets(X, 1);
        double previous = Double.NEGATIVE_INFINITY;
        double first = Double.NaN;
        for (int it = 1; it <= 8; it++) {
            DeepKernelMachineModel m = DeepKernelMachine.builder(SE).layers(2).nu(0.5).noise(0.05).maxIterations(it)
                    .gradientTolerance(0).build().fit(X, y);
            assertTrue(m.objective() >= previous - 1e-12, "iteration " + it + ": " + m.objective() + " < " + previous);
            previous = m.objective();
            if (it == 1) {
                first = previous;
            }
        }
        assertTrue(previous > first, "the steps improve the objective");
    }

    /**
     * Smooth data under a smooth map make the layer kernels ill-conditioned (cond K ≈ 10¹⁰ here). There the objective
     * must stay a smooth function of θ to rounding (a first-order Taylor check at relative steps of 10⁻⁷, where an
     * explicit K⁻¹ left 10⁻² of noise), and the fit must get from the NNGP start to a point whose gradient vanishes
     * (plain L-BFGS on the raw factors stopped within 8 iterations with the gradient still at 60 % of the start's).
     */
    @Test
    void illConditionedLayersStaySmoothAndTheFitReachesAStationaryPoint() {
        Random rnd = new Random(11);
        int n = 40;
        Matrix x = new Matrix(n, 2);
        Matrix y = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, rnd.nextGaussian());
            x.set(i, 1, rnd.nextGaussian());
            y.set(i, 0, Math.sin(2 * x.get(i, 0)) + 0.3 * x.get(i, 1) + 0.1 * rnd.nextGaussian());
        }
        GramMap se = GramMap.parse("se(length=1.5)");
        DeepKernelMachine dkm = DeepKernelMachine.builder(se).layers(2).nu(1).noise(0.01).maxIterations(3000).build();
        DeepKernelMachine.Problem start = dkm.problem(x, y, null);
        double[] theta = start.theta().clone();
        for (int i = 0; i < theta.length; i++) {
            theta[i] += 0.01 * rnd.nextGaussian();
        }
        double[] g = new double[theta.length];
        double f0 = start.objective().valueAndGradient(theta, g);
        double[] dir = new double[theta.length];
        double slope = 0;
        for (int i = 0; i < theta.length; i++) {
            dir[i] = rnd.nextGaussian() * Math.max(Math.abs(theta[i]), 1e-3);
            slope += g[i] * dir[i];
        }
        for (double t : new double[] {1e-7, -1e-7, 1e-6}) {
            double[] moved = theta.clone();
            for (int i = 0; i < theta.length; i++) {
                moved[i] += t * dir[i];
            }
            double change = start.objective().valueAndGradient(moved, null) - f0;
            // second-order term and rounding: both far below 1e-6 of the first-order change at these steps
            assertEquals(t * slope, change, 1e-3 * Math.abs(t * slope) + 1e-9 * Math.abs(f0), "step " + t);
        }

        DeepKernelMachineModel m = dkm.fit(x, y);
        // stationarity in the well-conditioned coordinates A, V = V*·A at A = I (in V itself the gradient's size
        // is set by cond K: there a stationary point can have large entries): below 1e-3 of the start's
        DkmObjective startObjective = (DkmObjective) start.objective();
        startObjective.whiten(start.theta());
        double[] g0 = new double[theta.length];
        double startValue = -startObjective.valueAndGradient(new double[theta.length], g0);
        DeepKernelMachine.Problem at = dkm.problem(x, y, m.grams());
        DkmObjective atObjective = (DkmObjective) at.objective();
        atObjective.whiten(at.theta());
        double[] ga = new double[theta.length];
        double value = -atObjective.valueAndGradient(new double[theta.length], ga);
        // the round trip re-factors the learned G_ℓ = VVᵀ (condition number ~1e10): agreement to ~1e-8, not 1e-12
        assertEquals(m.objective(), value, 1e-6 * Math.abs(value));
        assertTrue(maxAbs(ga) < 1e-3 * maxAbs(g0), "gradient " + maxAbs(ga) + " vs " + maxAbs(g0) + " at the start");
        assertTrue(value > startValue + 100, "objective " + value + " from " + startValue + " at the NNGP start");
    }

    @Test
    void gradientVanishesAtTheOptimumAndTrainingPredictionsAreTheGpOnTheLearnedGram() {
        Matrix y = targets(X, 1);
        double noise = 0.05;
        DeepKernelMachine dkm = DeepKernelMachine.builder(SE).layers(2).nu(0.5).noise(noise).gradientTolerance(1e-7)
                .build();
        DeepKernelMachineModel m = dkm.fit(X, y);
        DeepKernelMachine.Problem p = dkm.problem(X, y, m.grams());
        double[] g0 = new double[p.theta().length];
        DeepKernelMachine.Problem start = dkm.problem(X, y, null);
        start.objective().valueAndGradient(start.theta(), g0);
        double[] g = new double[p.theta().length];
        double value = -p.objective().valueAndGradient(p.theta(), g);
        assertEquals(m.objective(), value, 1e-9 * Math.abs(value));
        assertTrue(maxAbs(g) < 1e-4 * maxAbs(g0), "gradient " + maxAbs(g) + " vs " + maxAbs(g0) + " at the start");
        assertTrue(m.objective() > -start.objective().valueAndGradient(start.theta(), null));

        // at a training input the layer maps return the learned rows: mean = K(G_L)(K(G_L) + σ²I)⁻¹y
        int n = X.rows();
        Matrix gl = m.grams().get(1);
        double[][] k = new double[n][n];
        double[][] c = new double[n][n];
        double len2 = 1.3 * 1.3;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                k[i][j] = Math.exp(-(gl.get(i, i) + gl.get(j, j) - 2 * gl.get(i, j)) / (2 * len2));
                c[i][j] = k[i][j] + (i == j ? noise : 0);
            }
        }
        double[] alpha = gaussSolve(c, y.column(0));
        Matrix mean = m.predict(X);
        Matrix var = m.predictiveVariance(X);
        for (int i = 0; i < n; i++) {
            double mu = 0;
            for (int j = 0; j < n; j++) {
                mu += k[i][j] * alpha[j];
            }
            double[] ci = gaussSolve(c, k[i]);
            double v = k[i][i];
            for (int j = 0; j < n; j++) {
                v -= k[i][j] * ci[j];
            }
            assertEquals(mu, mean.get(i, 0), 1e-7);
            assertEquals(v, var.get(i, 0), 1e-7);
        }
        double[] a = m.alignments();
        assertEquals(3, a.length);
        assertEquals(m.report().numbers("alignment")[2], a[2], 0.0);
    }

    @Test
    void badInputIsOneClearMessage() {
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> DeepKernelMachine.builder(SE).nu(0).build());
        assertTrue(e.getMessage().contains("nu must be positive"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> DeepKernelMachine.builder(SE).nu(-1).build());
        assertThrows(Kernels4jException.class, () -> DeepKernelMachine.builder(SE).nu(Double.POSITIVE_INFINITY).build());
        e = assertThrows(Kernels4jException.class, () -> DeepKernelMachine.builder(SE).layers(3).nu(1, 2).build());
        assertTrue(e.getMessage().contains("one per layer"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> DeepKernelMachine.builder(SE).layers(0).build());
        assertThrows(Kernels4jException.class, () -> DeepKernelMachine.builder(SE).noise(0).build());
        Matrix y = targets(X, 1);
        int n = X.rows();
        Matrix indefinite = Matrix.identity(n);
        indefinite.set(2, 2, -0.5);
        e = assertThrows(Kernels4jException.class, () -> DeepKernelMachine.builder(SE).layers(1).build()
                .fit(X, y, List.of(indefinite)));
        assertTrue(e.getMessage().contains("starting Gram matrix 1 is not positive definite"), e.getMessage());
        Matrix asymmetric = Matrix.identity(n);
        asymmetric.set(0, 1, 0.1);
        e = assertThrows(Kernels4jException.class, () -> DeepKernelMachine.builder(SE).layers(1).build()
                .fit(X, y, List.of(asymmetric)));
        assertTrue(e.getMessage().contains("not symmetric"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> GramMap.parse("nngp(activation=erf)"));
        assertTrue(e.getMessage().contains("positively homogeneous"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> GramMap.parse("se(length=-1)"));
        assertThrows(Kernels4jException.class, () -> GramMap.parse("se(width=1)"));
        assertThrows(Kernels4jException.class, () -> GramMap.parse("poly(degree=2)"));
        assertEquals(GramMap.parse("nngp(activation=leaky_relu, alpha=0.2, w_var=2, b_var=0.1)"),
                GramMap.parse(GramMap.parse("nngp(activation=leaky_relu, alpha=0.2, w_var=2, b_var=0.1)").toSpec()));
    }

    /** ½(‖α‖² − tr C⁻¹), C = K(G_L) + (σ² + δ_out)I for the SE map of length 1.3, by Gaussian elimination. */
    private static double noiseDerivative(DeepKernelMachineModel m, Matrix y, double s2) {
        int n = y.rows();
        Matrix gl = m.grams().get(1);
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = Math.exp(-(gl.get(i, i) + gl.get(j, j) - 2 * gl.get(i, j)) / (2 * 1.3 * 1.3))
                        + (i == j ? s2 + m.jitter()[2] : 0);
            }
        }
        double[] alpha = gaussSolve(c, y.column(0));
        double result = 0;
        for (int i = 0; i < n; i++) {
            double[] e = new double[n];
            e[i] = 1;
            result += 0.5 * (alpha[i] * alpha[i] - gaussSolve(c, e)[i]);
        }
        return result;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /** Gaussian elimination with partial pivoting (a route independent of the LAPACK Cholesky). */
    private static double[] gaussSolve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        double[] b = b0.clone();
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[piv][col])) {
                    piv = r;
                }
            }
            double[] t = a[col];
            a[col] = a[piv];
            a[piv] = t;
            double tb = b[col];
            b[col] = b[piv];
            b[piv] = tb;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                for (int c = col; c < n; c++) {
                    a[r][c] -= f * a[col][c];
                }
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = b[r];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * x[c];
            }
            x[r] = s / a[r][r];
        }
        return x;
    }

    /**
     * A model file keeps the fitted objective terms, so loading never factors a learned G_ℓ itself: here G_1
     * is replaced by a singular (rank-one) PSD matrix, which a Cholesky of G_1 would refuse, and the file still
     * loads with the stored terms and predicts.
     */
    @Test
    void modelFilesLoadWithoutFactoringTheLearnedGrams() {
        Matrix y = targets(X, 1);
        DeepKernelMachineModel m = DeepKernelMachine.builder(SE).layers(1).nu(3).noise(0.1).maxIterations(5).build()
                .fit(X, y);
        DeepKernelMachineCodec codec = new DeepKernelMachineCodec();
        org.kernels4j.model.ModelState s = codec.encode(m);
        DeepKernelMachineModel back = codec.decode(s);
        assertEquals(m.objective(), back.objective(), 0.0);
        Matrix rankOne = new Matrix(X.rows(), X.rows());
        for (int i = 0; i < X.rows(); i++) {
            for (int j = 0; j < X.rows(); j++) {
                rankOne.set(i, j, (i + 1.0) * (j + 1.0) / X.rows());
            }
        }
        java.util.Map<String, Matrix> arrays = new java.util.HashMap<>(s.arrays());
        arrays.put("gram_1", rankOne);
        DeepKernelMachineModel singular = codec.decode(org.kernels4j.model.ModelState.of(s.kind(), s.fields(), arrays));
        assertEquals(m.objective(), singular.objective(), 0.0);
        assertEquals(X.rows(), singular.predict(X).rows());
        java.util.Map<String, Object> fields = new java.util.HashMap<>(s.fields());
        fields.remove("terms");
        assertThrows(Kernels4jException.class, () -> codec.decode(org.kernels4j.model.ModelState.of(s.kind(), fields,
                arrays)), "an old file without the terms recomputes them, which needs a positive definite G_1");
    }
}
