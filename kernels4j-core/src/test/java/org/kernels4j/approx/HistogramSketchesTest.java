package org.kernels4j.approx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.HomogeneousChi2Kernel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.SkewedChi2Kernel;
import org.kernels4j.linalg.Matrix;

/** The χ² samplers and TensorSketch, against their kernels written out by hand here. */
class HistogramSketchesTest {
    private static Matrix histograms(int n, int d, long seed) {
        Random r = new Random(seed);
        Matrix x = new Matrix(n, d);
        for (int i = 0; i < n; i++) {
            for (int f = 0; f < d; f++) {
                x.set(i, f, r.nextDouble() < 0.2 ? 0 : 0.1 + 2 * r.nextDouble());
            }
        }
        return x;
    }

    /** Σ_f 2ab/(a + b), the homogeneous χ² kernel, by the harmonic-mean formula. */
    private static double homogeneous(double[] x, double[] z) {
        double s = 0;
        for (int f = 0; f < x.length; f++) {
            if (x[f] > 0 && z[f] > 0) {
                s += 2 / (1 / x[f] + 1 / z[f]);
            }
        }
        return s;
    }

    /** Π_f sech((log(x+c) − log(z+c))/2), the skewed χ² kernel in its log-space form. */
    private static double skewed(double[] x, double[] z, double c) {
        double p = 1;
        for (int f = 0; f < x.length; f++) {
            p /= Math.cosh((Math.log(x[f] + c) - Math.log(z[f] + c)) / 2);
        }
        return p;
    }

    private static double dot(Matrix a, int i, Matrix b, int j) {
        double s = 0;
        for (int k = 0; k < a.cols(); k++) {
            s += a.get(i, k) * b.get(j, k);
        }
        return s;
    }

    @Test
    void theNewKernelsMatchTheirClosedForms() {
        Matrix x = histograms(5, 4, 3);
        Kernel hom = KernelSpec.parse("homogeneous_chi2()");
        Kernel skew = KernelSpec.parse("skewed_chi2(c=0.7)");
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(homogeneous(x.row(i), x.row(j)), hom.value(x.row(i), x.row(j)), 1e-13);
                assertEquals(skewed(x.row(i), x.row(j), 0.7), skew.value(x.row(i), x.row(j)), 1e-13);
            }
            double sum = 0;
            for (double v : x.row(i)) {
                sum += v;
            }
            assertEquals(sum, hom.value(x.row(i), x.row(i)), 1e-13); // k(x, x) = Σ x_f
        }
        assertEquals(SkewedChi2Kernel.of(1).toSpec(), KernelSpec.parse("skewed_chi2()").toSpec()); // default c = 1
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> skew.value(new double[] {0.1, -0.7}, new double[] {1, 1}));
        assertTrue(e.getMessage().contains("-0.7") && e.getMessage().contains("feature 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class,
                () -> HomogeneousChi2Kernel.of().value(new double[] {-0.5}, new double[] {1}));
        assertTrue(e.getMessage().contains("non-negative") && e.getMessage().contains("-0.5"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> SkewedChi2Kernel.of(0));
    }

    /** scikit-learn 1.2.1's AdditiveChi2Sampler(sample_steps=s).fit_transform(X), printed by Python. */
    @Test
    void additiveSamplerReproducesScikitLearnFeatureForFeature() {
        Matrix x = Matrix.of(new double[][] {{0.5, 0.0, 2.0}, {1.5, 0.25, 0.0}});
        double[][][] sklearn = {
            {{0.6324555320336759, 0, 1.2649110640673518}, {1.0954451150103324, 0.4472135954999579, 0}},
            {{0.5, 0, 1, 0.4198531997384275, 0, 0.839706399476855, -0.15163013664373412, 0, 0.30326027328746824},
                {0.8660254037844386, 0.3535533905932738, 0, 0.7573439847626063, 0.24280938352033402, 0,
                    0.15567694675666396, -0.20168739948016595, 0}},
            {{0.4472135954999579, 0, 0.8944271909999159, 0.4414132354490078, 0, 0.8828264708980156,
                -0.1256212943219956, 0, 0.2512425886439912, 0.2157109297144059, 0, 0.4314218594288118,
                -0.13359807856895708, 0, 0.26719615713791417},
                {0.7745966692414834, 0.31622776601683794, 0, 0.7844763498131804, 0.27589205631944685, 0,
                    0.12835855496955592, -0.17087056583324833, 0, 0.41655756792246673, 0.07993401143320163, 0,
                    0.14006694111470902, -0.16062496603573834, 0}}};
        for (int s = 1; s <= 3; s++) {
            Matrix phi = AdditiveChi2Sampler.of(HomogeneousChi2Kernel.of(), 3, s).transform(x);
            assertEquals(3 * (2 * s - 1), phi.cols());
            for (int i = 0; i < 2; i++) {
                for (int k = 0; k < phi.cols(); k++) {
                    assertEquals(sklearn[s - 1][i][k], phi.get(i, k), 1e-15, "steps " + s + " row " + i + " col " + k);
                }
            }
        }
    }

    /**
     * φ(x)·φ(z) equals the sampled integral √(xz)·L·Σ_{|j|<S} sech(πjL)cos(jL t) written per pair, and stays within
     * the Poisson-summation bound (aliasing + truncation) of the exact kernel; with two more steps at a finer
     * interval the error shrinks.
     */
    @Test
    void additiveSamplerIsWithinItsQuadratureErrorBound() {
        Matrix x = histograms(12, 5, 11);
        double scale = 2.5;
        Kernel kernel = HomogeneousChi2Kernel.of().scaled(scale);
        double worstCoarse = 0;
        double worstFine = 0;
        for (int[] setting : new int[][] {{2, 0}, {6, 1}}) {
            int steps = setting[0];
            double interval = setting[1] == 0 ? 0.5 : 0.3;
            AdditiveChi2Sampler map = AdditiveChi2Sampler.of(kernel, 5, steps, interval);
            Matrix phi = map.transform(x);
            for (int i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.rows(); j++) {
                    double quadrature = 0;
                    double bound = 0;
                    for (int f = 0; f < 5; f++) {
                        double a = x.get(i, f);
                        double b = x.get(j, f);
                        if (a == 0 || b == 0) {
                            continue;
                        }
                        double t = Math.log(a / b);
                        double sum = 1;
                        for (int k = 1; k < steps; k++) {
                            sum += 2 * Math.cos(k * interval * t) / Math.cosh(Math.PI * k * interval);
                        }
                        quadrature += Math.sqrt(a * b) * interval * sum;
                        double alias = 0;
                        for (int k = 1; k < 200; k++) {
                            alias += 1 / Math.cosh((t + 2 * Math.PI * k / interval) / 2)
                                    + 1 / Math.cosh((t - 2 * Math.PI * k / interval) / 2);
                        }
                        double truncation = 4 * interval * Math.exp(-Math.PI * steps * interval)
                                / (1 - Math.exp(-Math.PI * interval));
                        bound += Math.sqrt(a * b) * (alias + truncation);
                    }
                    double got = dot(phi, i, phi, j);
                    assertEquals(scale * quadrature, got, 1e-12 * (1 + Math.abs(got)));
                    double exact = scale * homogeneous(x.row(i), x.row(j));
                    double err = Math.abs(got - exact);
                    assertTrue(err <= scale * bound * (1 + 1e-9) + 1e-13, "error " + err + " > bound " + scale * bound);
                    if (setting[1] == 0) {
                        worstCoarse = Math.max(worstCoarse, err / exact);
                    } else {
                        worstFine = Math.max(worstFine, err / exact);
                    }
                }
            }
        }
        assertTrue(worstFine < worstCoarse / 10, worstFine + " vs " + worstCoarse);
    }

    /**
     * Unbiasedness of the random maps: averaged over S independent maps, every entry of φ(X)φ(X)ᵀ agrees with the
     * kernel (by the closed forms above) within 5 standard errors estimated from the same draws.
     */
    @Test
    void randomSketchesAreUnbiased() {
        Matrix h = histograms(6, 3, 5);
        Random r = new Random(9);
        Matrix g = new Matrix(6, 3);
        for (int k = 0; k < g.data().length; k++) {
            g.data()[k] = r.nextGaussian() * 0.6;
        }
        Object[][] cases = {
            {"skewed c=0.5", h, (LongFunction<FeatureMap>) s -> SkewedChi2Sampler.of(
                    KernelSpec.parse("skewed_chi2(c=0.5)"), 64, 3, s)},
            {"3*skewed c=2", h, (LongFunction<FeatureMap>) s -> SkewedChi2Sampler.of(
                    KernelSpec.parse("3*skewed_chi2(c=2)"), 40, 3, s)},
            {"poly 2 power-of-two D", g, (LongFunction<FeatureMap>) s -> TensorSketch.of(
                    KernelSpec.parse("poly(degree=2, gamma=0.8, coef0=1)"), 64, 3, s)},
            {"poly 3 D=50 (Bluestein)", g, (LongFunction<FeatureMap>) s -> TensorSketch.of(
                    KernelSpec.parse("0.5*poly(degree=3, gamma=1.2, coef0=0.5)"), 50, 3, s)},
            {"poly 1 homogeneous", g, (LongFunction<FeatureMap>) s -> TensorSketch.of(
                    KernelSpec.parse("poly(degree=1, gamma=2, coef0=0)"), 7, 3, s)}};
        int draws = 300;
        for (Object[] c : cases) {
            Matrix x = (Matrix) c[1];
            @SuppressWarnings("unchecked")
            LongFunction<FeatureMap> make = (LongFunction<FeatureMap>) c[2];
            int n = x.rows();
            double[] sum = new double[n * n];
            double[] sumSq = new double[n * n];
            for (int s = 0; s < draws; s++) {
                double[] a = FeatureMaps.approximateGram(make.apply(100 + s), x).data();
                for (int k = 0; k < a.length; k++) {
                    sum[k] += a[k];
                    sumSq[k] += a[k] * a[k];
                }
            }
            Kernel kernel = make.apply(0).kernel();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double exact = exact(c[0].toString(), x.row(i), x.row(j));
                    assertEquals(exact, kernel.value(x.row(i), x.row(j)), 1e-12 * (1 + Math.abs(exact)));
                    int k = i * n + j;
                    double mean = sum[k] / draws;
                    double se = Math.sqrt(Math.max(sumSq[k] / draws - mean * mean, 0) / draws);
                    assertEquals(exact, mean, 5 * se + 1e-12, c[0] + " entry " + i + "," + j);
                }
            }
        }
    }

    private static double exact(String label, double[] x, double[] z) {
        double ip = 0;
        for (int f = 0; f < x.length; f++) {
            ip += x[f] * z[f];
        }
        return switch (label) {
            case "skewed c=0.5" -> skewed(x, z, 0.5);
            case "3*skewed c=2" -> 3 * skewed(x, z, 2);
            case "poly 2 power-of-two D" -> Math.pow(0.8 * ip + 1, 2);
            case "poly 3 D=50 (Bluestein)" -> 0.5 * Math.pow(1.2 * ip + 0.5, 3);
            default -> 2 * ip;
        };
    }

    /** The hand-written FFT against the O(N²) DFT sum, for powers of two and for Bluestein lengths. */
    @Test
    void fftMatchesTheDefinition() {
        Random r = new Random(4);
        for (int n : new int[] {1, 2, 8, 7, 12, 50}) {
            double[] re = new double[n];
            double[] im = new double[n];
            for (int j = 0; j < n; j++) {
                re[j] = r.nextGaussian();
                im[j] = r.nextGaussian();
            }
            for (boolean inverse : new boolean[] {false, true}) {
                double[] outRe = re.clone();
                double[] outIm = im.clone();
                new Fft(n).transform(outRe, outIm, inverse);
                double sign = inverse ? 1 : -1;
                for (int k = 0; k < n; k++) {
                    double sr = 0;
                    double si = 0;
                    for (int j = 0; j < n; j++) {
                        double a = sign * 2 * Math.PI * j * k / n;
                        sr += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                        si += re[j] * Math.sin(a) + im[j] * Math.cos(a);
                    }
                    assertEquals(sr, outRe[k], 1e-10, "n " + n + " k " + k);
                    assertEquals(si, outIm[k], 1e-10, "n " + n + " k " + k);
                }
            }
        }
    }

    @Test
    void badInputIsRefusedWithOneClearMessage() {
        Kernel hom = HomogeneousChi2Kernel.of();
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> AdditiveChi2Sampler.of(hom, 2, 2).transform(Matrix.of(new double[][] {{1, 2}, {0.5, -3}})));
        assertTrue(e.getMessage().contains("-3") && e.getMessage().contains("row 1, feature 1"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> AdditiveChi2Sampler.of(hom, 2, 4));
        assertTrue(e.getMessage().contains("default sample interval"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> AdditiveChi2Sampler.of(KernelSpec.parse("chi2()"), 2, 2));
        assertThrows(Kernels4jException.class, () -> AdditiveChi2Sampler.of(hom, 2, 2, 0));
        e = assertThrows(Kernels4jException.class, () -> AdditiveChi2Sampler.of(hom, 3, 2)
                .transform(new Matrix(2, 2)));
        assertTrue(e.getMessage().contains("3 features") && e.getMessage().contains("has 2"), e.getMessage());
        SkewedChi2Sampler skew = SkewedChi2Sampler.of(KernelSpec.parse("skewed_chi2(c=1)"), 8, 2, 1);
        e = assertThrows(Kernels4jException.class, () -> skew.transform(Matrix.of(new double[][] {{0, -1}})));
        assertTrue(e.getMessage().contains("> -c") && e.getMessage().contains("row 0, feature 1"), e.getMessage());
        assertThrows(Kernels4jException.class, () -> SkewedChi2Sampler.of(KernelSpec.parse("rbf()"), 8, 2, 1));
        assertThrows(Kernels4jException.class, () -> TensorSketch.of(KernelSpec.parse("rbf()"), 8, 2, 1));
        assertThrows(Kernels4jException.class, () -> TensorSketch.of(KernelSpec.parse("poly()"), 0, 2, 1));
        assertEquals(16, TensorSketch.of(KernelSpec.parse("poly()"), 16, 2, 1).transform(new Matrix(3, 2)).cols());
    }
}
