package org.kernels4j.regression;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.spectral.SpectralFilter;

/**
 * The regularisation path of the spectral filters: GCV, degrees of freedom and training error against the hat
 * matrix built column by column from the algorithm itself (gradient descent run on each unit vector), the
 * constant, the selected fit, and the feature-space path against the exact one on K = ΦΦᵀ.
 */
class SpectralPathTest {
    private static final Kernel KERNEL = KernelSpec.parse("rbf(gamma=0.3)");

    private static Matrix targets(Matrix x, long seed) {
        Random r = new Random(seed);
        Matrix y = new Matrix(x.rows(), 1);
        for (int i = 0; i < x.rows(); i++) {
            y.set(i, 0, 2 + Math.sin(x.get(i, 0)) + 0.5 * x.get(i, 1) + 0.2 * r.nextGaussian());
        }
        return y;
    }

    /** G with α = G·y after t steps of α ← α + η(y − Kα), α_0 = 0, by running the iteration on each unit vector. */
    private static double[][] landweberOperator(double[][] k, double eta, int steps) {
        int n = k.length;
        double[][] g = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] alpha = new double[n];
            for (int t = 0; t < steps; t++) {
                double[] ka = new double[n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        ka[i] += k[i][j] * alpha[j];
                    }
                }
                for (int i = 0; i < n; i++) {
                    alpha[i] += eta * ((i == c ? 1 : 0) - ka[i]);
                }
            }
            for (int i = 0; i < n; i++) {
                g[i][c] = alpha[i];
            }
        }
        return g;
    }

    private static double[][] array(Matrix m) {
        double[][] a = new double[m.rows()][m.cols()];
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                a[i][j] = m.get(i, j);
            }
        }
        return a;
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][b[0].length];
        for (int i = 0; i < n; i++) {
            for (int l = 0; l < b.length; l++) {
                for (int j = 0; j < b[0].length; j++) {
                    c[i][j] += a[i][l] * b[l][j];
                }
            }
        }
        return c;
    }

    @Test
    void landweberPathScoresEqualTheExplicitHatMatrixWithAndWithoutIntercept() {
        int n = 24;
        Matrix x = TestData.gaussian(n, 2, 1.5, 11);
        Matrix y = targets(x, 12);
        double[][] k = array(GramEngine.gram(KERNEL, x));
        double top = SymmetricEigen.of(GramEngine.gram(KERNEL, x)).value(n - 1);
        double[] steps = {1, 4, 30, 200};
        for (boolean intercept : new boolean[] {false, true}) {
            KernelRidgeModel m = KernelRidge.builder(KERNEL).fitIntercept(intercept)
                    .filter(SpectralFilter.landweber(), steps, RegularizationPath.Criterion.GCV).build().fit(x, y);
            RegularizationPath path = m.path();
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y.get(i, 0) / n;
            }
            double offset = intercept ? mean : 0;
            int best = 0;
            double[] gcv = new double[steps.length];
            for (int l = 0; l < steps.length; l++) {
                double[][] h = multiply(k, landweberOperator(k, 1 / top, (int) steps[l]));
                // H' = 11ᵀ/n + H(I − 11ᵀ/n) with the mean as the constant; H without it
                double[][] hp = new double[n][n];
                for (int i = 0; i < n; i++) {
                    double rowSum = 0;
                    for (int j = 0; j < n; j++) {
                        rowSum += h[i][j];
                    }
                    for (int j = 0; j < n; j++) {
                        hp[i][j] = intercept ? 1.0 / n + h[i][j] - rowSum / n : h[i][j];
                    }
                }
                double trace = 0;
                double rss = 0;
                for (int i = 0; i < n; i++) {
                    trace += hp[i][i];
                    double fit = 0;
                    for (int j = 0; j < n; j++) {
                        fit += hp[i][j] * y.get(j, 0);
                    }
                    rss += (y.get(i, 0) - fit) * (y.get(i, 0) - fit);
                }
                gcv[l] = (rss / n) / Math.pow(1 - trace / n, 2);
                assertEquals(trace, path.degreesOfFreedom()[l], 1e-9, "df at " + steps[l]);
                assertEquals(rss / n, path.trainingMse()[l], 1e-10 * (1 + rss / n), "mse at " + steps[l]);
                assertEquals(gcv[l], path.gcv()[l], 1e-9 * gcv[l], "gcv at " + steps[l]);
                assertTrue(Double.isNaN(path.looMse()[l]), "no LOO for Landweber");
                if (gcv[l] < gcv[best]) {
                    best = l;
                }
            }
            assertEquals(best, path.chosenIndex());
            assertEquals(steps[best], m.lambda());
            assertEquals("landweber", m.report().text("filter"));
            // the chosen fit predicts K(x*, X)·G·(y − ȳ) + ȳ at new points
            double[][] g = landweberOperator(k, 1 / top, (int) steps[best]);
            Matrix xt = TestData.gaussian(5, 2, 1.5, 13);
            Matrix pred = m.predict(xt);
            for (int a = 0; a < 5; a++) {
                double f = offset;
                for (int i = 0; i < n; i++) {
                    double alpha = 0;
                    for (int j = 0; j < n; j++) {
                        alpha += g[i][j] * (y.get(j, 0) - offset);
                    }
                    f += KERNEL.value(xt.row(a), x.row(i)) * alpha;
                }
                assertEquals(f, pred.get(a, 0), 1e-10, "prediction " + a);
            }
        }
    }

    @Test
    void ridgeThroughTheFilterInterfaceIsTheExistingRidgePath() {
        Matrix x = TestData.gaussian(30, 2, 1.5, 21);
        Matrix y = targets(x, 22);
        double[] grid = KernelRidge.logGrid(1e-4, 10, 6);
        KernelRidgeModel a = KernelRidge.builder(KERNEL).selectLambda(grid, RegularizationPath.Criterion.GCV).build().fit(x, y);
        KernelRidgeModel b = KernelRidge.builder(KERNEL)
                .filter(SpectralFilter.tikhonov(), grid, RegularizationPath.Criterion.GCV).build().fit(x, y);
        assertEquals(a.lambda(), b.lambda());
        // ridge's GCV from the eigenbasis formula equals the brute-force GCV at each λ
        for (int l = 0; l < grid.length; l++) {
            Matrix h = hatByRidgeSolves(x, grid[l]);
            double rss = 0;
            double trace = 0;
            for (int i = 0; i < x.rows(); i++) {
                trace += h.get(i, i);
                double f = 0;
                for (int j = 0; j < x.rows(); j++) {
                    f += h.get(i, j) * y.get(j, 0);
                }
                rss += (y.get(i, 0) - f) * (y.get(i, 0) - f);
            }
            int n = x.rows();
            assertEquals((rss / n) / Math.pow(1 - trace / n, 2), a.path().gcv()[l], 1e-8 * a.path().gcv()[l]);
            assertEquals(trace, a.path().degreesOfFreedom()[l], 1e-8);
        }
        // a fixed parameter with a non-ridge filter goes through the eigendecomposition and has no path
        KernelRidgeModel flow = KernelRidge.builder(KERNEL).filter(SpectralFilter.gradientFlow(), 5.0).build().fit(x, y);
        assertEquals(5.0, flow.lambda());
        assertEquals(null, flow.path());
    }

    /** H = K(K + λI)⁻¹ by Gaussian elimination. */
    private static Matrix hatByRidgeSolves(Matrix x, double lambda) {
        Matrix k = GramEngine.gram(KERNEL, x);
        Matrix a = k.copy();
        for (int i = 0; i < x.rows(); i++) {
            a.set(i, i, a.get(i, i) + lambda);
        }
        // K(K + λI)⁻¹ = ((K + λI)⁻¹K)ᵀ, K symmetric
        return TestData.gaussSolve(a, k).transpose();
    }

    @Test
    void featurePathEqualsTheExactPathOnTheirKernelMatrix() {
        int n = 40;
        int dim = 12;
        Matrix phi = TestData.gaussian(n, dim, 1.0, 31);
        Matrix y = new Matrix(n, 2);
        Random r = new Random(32);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, 1 + phi.get(i, 0) - 0.5 * phi.get(i, 3) + 0.3 * r.nextGaussian());
            y.set(i, 1, r.nextGaussian());
        }
        Matrix k = phi.times(phi.transpose()); // rank 12 of 40: the exact path sees 28 zero eigenvalues
        for (SpectralFilter f : new SpectralFilter[] {SpectralFilter.gradientFlow(), SpectralFilter.cutoff(),
            SpectralFilter.nuMethod(1), SpectralFilter.iteratedTikhonov(2)}) {
            double[] grid = f.integerParameter() ? new double[] {1, 3, 10, 40} : (f.kind() == SpectralFilter.Kind.GRADIENT_FLOW
                    ? new double[] {0.01, 0.1, 1} : new double[] {0.5, 5, 50});
            for (boolean intercept : new boolean[] {false, true}) {
                RegularizationPath exact = RegularizationPath.compute(SymmetricEigen.of(k), y, f, grid,
                        RegularizationPath.Criterion.GCV, intercept);
                RegularizationPath features = RegularizationPath.computeFeatures(phi, y, f, grid,
                        RegularizationPath.Criterion.GCV, intercept);
                for (int l = 0; l < grid.length; l++) {
                    assertEquals(exact.gcv()[l], features.gcv()[l], 1e-9 * exact.gcv()[l], f + " gcv " + l);
                    assertEquals(exact.degreesOfFreedom()[l], features.degreesOfFreedom()[l], 1e-9, f + " df " + l);
                }
                assertEquals(exact.chosenIndex(), features.chosenIndex());
                Matrix fitExact = k.times(exact.coefficients());
                Matrix fitFeatures = phi.times(features.coefficients());
                for (int i = 0; i < n; i++) {
                    for (int o = 0; o < 2; o++) {
                        assertEquals(fitExact.get(i, o) + exact.intercept()[o], fitFeatures.get(i, o)
                                + features.intercept()[o], 1e-9, f + " fit " + i);
                    }
                }
            }
        }
    }

    @Test
    void leaveOneOutIsRefusedForFiltersWithoutItAndTheModelFileKeepsTheFilter() {
        Matrix x = TestData.gaussian(15, 2, 1.5, 41);
        Matrix y = targets(x, 42);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> KernelRidge.builder(KERNEL)
                .filter(SpectralFilter.cutoff(), new double[] {0.1, 1}, RegularizationPath.Criterion.LOO).build());
        assertTrue(e.getMessage().contains("GCV"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> KernelRidge.builder(KERNEL)
                .filter(SpectralFilter.landweber(), 2.5).build());
        assertThrows(Kernels4jException.class, () -> KernelRidge.builder(KERNEL)
                .filter(SpectralFilter.gradientFlow(), new double[0], RegularizationPath.Criterion.GCV).build());
        KernelRidgeModel m = KernelRidge.builder(KERNEL).filter(SpectralFilter.nuMethod(1), 7).build().fit(x, y);
        KernelRidgeModel back = (KernelRidgeModel) ModelCodecs.decode(ModelCodecs.encode(m));
        assertEquals("nu-method(nu=1)", back.report().text("filter"));
        assertEquals(7.0, back.lambda());
        Matrix xt = TestData.gaussian(4, 2, 1.5, 43);
        for (int i = 0; i < 4; i++) {
            assertEquals(m.predict(xt).get(i, 0), back.predict(xt).get(i, 0), 0);
        }
    }

    @Test
    void nystromFiltersEqualTheExactFiltersWhenEveryRowIsACentreAndRidgeEqualsTheCgSolution() {
        int n = 40;
        Matrix x = TestData.gaussian(n, 2, 1.5, 51);
        Matrix y = targets(x, 52);
        Matrix xt = TestData.gaussian(6, 2, 1.5, 53);
        double[] steps = {2, 20, 200};
        KernelRidgeModel exact = KernelRidge.builder(KERNEL).fitIntercept(true)
                .filter(SpectralFilter.landweber(), steps, RegularizationPath.Criterion.GCV).build().fit(x, y);
        KernelRidgeModel nystrom = NystromKernelRidge.builder(KERNEL).centers(n).centerTargets(true)
                .filter(SpectralFilter.landweber(), steps, RegularizationPath.Criterion.GCV).build().fit(x, y);
        assertEquals(exact.path().chosenIndex(), nystrom.path().chosenIndex());
        for (int l = 0; l < steps.length; l++) {
            assertEquals(exact.path().gcv()[l], nystrom.path().gcv()[l], 1e-7 * exact.path().gcv()[l]);
        }
        Matrix a = exact.predict(xt);
        Matrix b = nystrom.predict(xt);
        for (int i = 0; i < xt.rows(); i++) {
            assertEquals(a.get(i, 0), b.get(i, 0), 1e-7, "prediction " + i);
        }
        // ridge on 12 Nyström centres by the filter path = the same estimator solved by CG to 1e-13
        NystromKernelRidge.Builder base = NystromKernelRidge.builder(KERNEL).centers(12).seed(5).centerTargets(true);
        KernelRidgeModel cg = base.lambda(0.05).maxIterations(500).tolerance(1e-13).build().fit(x, y);
        KernelRidgeModel filtered = base.filter(SpectralFilter.tikhonov(), 0.05).build().fit(x, y);
        Matrix p = cg.predict(xt);
        Matrix q = filtered.predict(xt);
        for (int i = 0; i < xt.rows(); i++) {
            assertEquals(p.get(i, 0), q.get(i, 0), 1e-8, "ridge prediction " + i);
        }
        assertThrows(Kernels4jException.class, () -> NystromKernelRidge.builder(KERNEL)
                .filter(SpectralFilter.cutoff(), new double[] {1}, RegularizationPath.Criterion.LOO));
    }

    @Test
    void selfDistillationWithZeroRoundsIsSavedAndReadBack() {
        Matrix x = TestData.gaussian(12, 2, 1.5, 61);
        Matrix y = targets(x, 62);
        KernelRidgeModel m = KernelRidge.builder(KERNEL).filter(SpectralFilter.selfDistillation(0.1, 0.5), 0).build().fit(x, y);
        KernelRidgeModel ridge = KernelRidge.builder(KERNEL).lambda(0.1).build().fit(x, y);
        KernelRidgeModel back = (KernelRidgeModel) ModelCodecs.decode(ModelCodecs.encode(m));
        Matrix xt = TestData.gaussian(3, 2, 1.5, 63);
        for (int i = 0; i < 3; i++) {
            assertEquals(ridge.predict(xt).get(i, 0), back.predict(xt).get(i, 0), 1e-10); // round 0 is ridge
        }
    }

    @Test
    void gcvIsInfiniteWithLessThanOneResidualDegreeOfFreedomAndExactElsewhere() {
        // a nearly diagonal K (rbf with γ = 200 on spread points): Landweber run long enough interpolates
        int n = 20;
        Matrix x = TestData.gaussian(n, 2, 1.5, 71);
        Matrix y = targets(x, 72);
        Kernel sharp = KernelSpec.parse("rbf(gamma=200)");
        double[][] k = array(GramEngine.gram(sharp, x));
        double top = SymmetricEigen.of(GramEngine.gram(sharp, x)).value(n - 1);
        double[] steps = {1, 5, 40, 100, 400};
        double eta = 0.05 / top; // small steps: h = 1 − 0.95^t on the near-unit eigenvalues
        RegularizationPath path = RegularizationPath.compute(SymmetricEigen.of(GramEngine.gram(sharp, x)), y,
                SpectralFilter.landweber(eta), steps, RegularizationPath.Criterion.GCV, false);
        int finite = 0;
        for (int l = 0; l < steps.length; l++) {
            double[][] h = multiply(k, landweberOperator(k, eta, (int) steps[l]));
            double free = 0;
            double rss = 0;
            for (int i = 0; i < n; i++) {
                free += 1 - h[i][i];
                double fit = 0;
                for (int j = 0; j < n; j++) {
                    fit += h[i][j] * y.get(j, 0);
                }
                rss += (y.get(i, 0) - fit) * (y.get(i, 0) - fit);
            }
            assertEquals(n - free, path.degreesOfFreedom()[l], 1e-9);
            if (free < 1) {
                assertEquals(Double.POSITIVE_INFINITY, path.gcv()[l], "steps " + steps[l] + ", tr(I - H) = " + free);
            } else {
                finite++;
                double gcv = (rss / n) / Math.pow(free / n, 2);
                assertEquals(gcv, path.gcv()[l], 1e-9 * gcv, "steps " + steps[l]);
            }
        }
        assertTrue(finite >= 1 && finite < steps.length, "the grid spans both regimes: " + finite);
        assertTrue(path.degreesOfFreedom()[path.chosenIndex()] <= n - 1);
    }

    @Test
    void twoOutputsAveragedAndEveryEntryPointChecksItsArguments() {
        int n = 18;
        Matrix x = TestData.gaussian(n, 2, 1.5, 81);
        Matrix y1 = targets(x, 82);
        Matrix y = new Matrix(n, 2);
        Random r = new Random(83);
        for (int i = 0; i < n; i++) {
            y.set(i, 0, y1.get(i, 0));
            y.set(i, 1, 3 * r.nextGaussian());
        }
        double[][] k = array(GramEngine.gram(KERNEL, x));
        SymmetricEigen eig = SymmetricEigen.of(GramEngine.gram(KERNEL, x));
        double top = eig.value(n - 1);
        RegularizationPath path = RegularizationPath.compute(eig, y, SpectralFilter.landweber(), new double[] {3},
                RegularizationPath.Criterion.GCV, false);
        double[][] h = multiply(k, landweberOperator(k, 1 / top, 3));
        double rss = 0;
        double free = 0;
        for (int i = 0; i < n; i++) {
            free += 1 - h[i][i];
            for (int o = 0; o < 2; o++) {
                double fit = 0;
                for (int j = 0; j < n; j++) {
                    fit += h[i][j] * y.get(j, o);
                }
                rss += (y.get(i, o) - fit) * (y.get(i, o) - fit);
            }
        }
        // mean over the n·k residuals, one trace for both outputs
        assertEquals(rss / (2.0 * n), path.trainingMse()[0], 1e-10 * rss);
        assertEquals((rss / (2.0 * n)) / Math.pow(free / n, 2), path.gcv()[0], 1e-9 * path.gcv()[0]);
        for (Runnable bad : new Runnable[] {
            () -> RegularizationPath.compute(eig, y, SpectralFilter.landweber(), new double[] {2.5},
                    RegularizationPath.Criterion.GCV, false),
            () -> RegularizationPath.compute(eig, y, SpectralFilter.cutoff(), new double[] {1},
                    RegularizationPath.Criterion.LOO, false),
            () -> RegularizationPath.compute(eig, y, SpectralFilter.cutoff(), new double[0],
                    RegularizationPath.Criterion.GCV, false),
            () -> RegularizationPath.compute(eig, y.rowRange(0, 5), SpectralFilter.cutoff(), new double[] {1},
                    RegularizationPath.Criterion.GCV, false),
            () -> RegularizationPath.computeFeatures(x, y, SpectralFilter.gradientFlow(), new double[] {-1},
                    RegularizationPath.Criterion.GCV, false),
            () -> RegularizationPath.computeFeatures(x, y, SpectralFilter.gradientFlow(), new double[] {1},
                    RegularizationPath.Criterion.LOO, false),
            () -> RegularizationPath.computeFeatures(x, y.rowRange(0, 5), SpectralFilter.gradientFlow(), new double[] {1},
                    RegularizationPath.Criterion.GCV, false),
            () -> RegularizationPath.fromFeatureMoments(new Matrix(2, 2), new Matrix(2, 1), null, 1, 3,
                    SpectralFilter.gradientFlow(), new double[] {0}, RegularizationPath.Criterion.GCV, new double[1]),
        }) {
            assertThrows(Kernels4jException.class, bad::run);
        }
    }

    @Test
    void aRankDeficientFeatureMapEqualsTheExactPathOnItsKernelMatrix() {
        // Φ with a repeated column: ΦᵀΦ is singular, its zero eigenvalue must be left out, not divided by
        int n = 30;
        Matrix base = TestData.gaussian(n, 4, 1.0, 91);
        Matrix phi = new Matrix(n, 5);
        Matrix y = new Matrix(n, 1);
        Random r = new Random(92);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                phi.set(i, j, base.get(i, j));
            }
            phi.set(i, 4, base.get(i, 1));
            y.set(i, 0, base.get(i, 0) - base.get(i, 2) + 0.2 * r.nextGaussian());
        }
        Matrix k = phi.times(phi.transpose());
        double[] grid = {0.01, 0.1, 1, 10};
        for (boolean intercept : new boolean[] {false, true}) {
            RegularizationPath exact = RegularizationPath.compute(SymmetricEigen.of(k), y, SpectralFilter.gradientFlow(),
                    grid, RegularizationPath.Criterion.GCV, intercept);
            RegularizationPath features = RegularizationPath.computeFeatures(phi, y, SpectralFilter.gradientFlow(), grid,
                    RegularizationPath.Criterion.GCV, intercept);
            for (int l = 0; l < grid.length; l++) {
                assertEquals(exact.gcv()[l], features.gcv()[l], 1e-9 * exact.gcv()[l]);
                assertEquals(exact.degreesOfFreedom()[l], features.degreesOfFreedom()[l], 1e-9);
            }
            Matrix a = k.times(exact.coefficients());
            Matrix b = phi.times(features.coefficients());
            for (int i = 0; i < n; i++) {
                assertEquals(a.get(i, 0), b.get(i, 0), 1e-9);
            }
        }
    }

    @Test
    void ridgeLeaveOneOutOverSeveralBandsOfRowsEqualsTheExplicitHatMatrix() {
        // n = 300 > 256 rows per band of the hat-diagonal computation
        int n = 300;
        Matrix x = TestData.gaussian(n, 2, 1.5, 101);
        Matrix y = targets(x, 102);
        double[] grid = {0.05, 2};
        KernelRidgeModel m = KernelRidge.builder(KERNEL).selectLambda(grid, RegularizationPath.Criterion.LOO).build()
                .fit(x, y);
        for (int l = 0; l < grid.length; l++) {
            Matrix h = hatByRidgeSolves(x, grid[l]);
            double press = 0;
            for (int i = 0; i < n; i++) {
                double fit = 0;
                for (int j = 0; j < n; j++) {
                    fit += h.get(i, j) * y.get(j, 0);
                }
                double e = (y.get(i, 0) - fit) / (1 - h.get(i, i));
                press += e * e;
            }
            assertEquals(press / n, m.path().looMse()[l], 1e-8 * press / n, "lambda " + grid[l]);
        }
    }
}
