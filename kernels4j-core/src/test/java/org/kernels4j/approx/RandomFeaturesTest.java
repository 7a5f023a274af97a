package org.kernels4j.approx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

class RandomFeaturesTest {
    private static final RandomFourierFeatures.Sampling IID = RandomFourierFeatures.Sampling.IID;
    private static final RandomFourierFeatures.Sampling ORTH = RandomFourierFeatures.Sampling.ORTHOGONAL;

    /**
     * Unbiasedness: averaged over S independent maps, every entry of φ(X)φ(X)ᵀ must agree with the
     * exact kernel within 5 standard errors (estimated from the same S draws); with 36 entries per
     * case, a false alarm has probability below 1e-5.
     */
    @Test
    void everyFeatureMapIsUnbiasedForItsKernel() {
        Matrix x = TestData.gaussian(8, 3, 0.6, 5);
        List<Object[]> cases = List.of(
                new Object[] {"rbf(gamma=0.7)", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("rbf(gamma=0.7)"), 64, 3, IID, s)},
                new Object[] {"rbf orthogonal", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("rbf(gamma=0.7)"), 64, 3, ORTH, s)},
                new Object[] {"2*rbf ARD", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("2*rbf(length=[0.5, 1, 2])"), 64, 3, IID, s)},
                new Object[] {"matern 0.5", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("matern(nu=0.5, length=0.8)"), 64, 3, IID, s)},
                new Object[] {"matern 1.5 orth", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("matern(nu=1.5, length=0.8)"), 64, 3, ORTH, s)},
                new Object[] {"matern 2.5", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("matern(nu=2.5, length=[1, 0.7, 1.3])"), 64, 3, IID, s)},
                new Object[] {"matern 0.8 (gamma-distributed t factor)", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("matern(nu=0.8, length=0.9)"), 64, 3, IID, s)},
                new Object[] {"matern 3.3 orth", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("matern(nu=3.3, length=0.9)"), 64, 3, ORTH, s)},
                new Object[] {"laplacian", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("laplacian(gamma=0.9)"), 64, 3, IID, s)},
                new Object[] {"laplacian l1", (LongFunction<FeatureMap>) s -> RandomFourierFeatures.of(
                        KernelSpec.parse("laplacian(gamma=0.9, norm=l1)"), 64, 3, IID, s)},
                new Object[] {"positive", (LongFunction<FeatureMap>) s -> PositiveRandomFeatures.of(
                        KernelSpec.parse("rbf(gamma=0.7)"), 64, 3, IID, s)},
                new Object[] {"positive orth", (LongFunction<FeatureMap>) s -> PositiveRandomFeatures.of(
                        KernelSpec.parse("0.5*rbf(gamma=0.7)"), 64, 3, ORTH, s)},
                new Object[] {"nngp relu", (LongFunction<FeatureMap>) s -> RandomNetworkFeatures.of(
                        KernelSpec.parse("nngp(depth=1, activation=relu, w_var=2, b_var=0.1)"), 64, 3, s)},
                new Object[] {"nngp erf", (LongFunction<FeatureMap>) s -> RandomNetworkFeatures.of(
                        KernelSpec.parse("nngp(depth=1, activation=erf, w_var=1.5, b_var=0.2)"), 64, 3, s)},
                new Object[] {"arccos 0", (LongFunction<FeatureMap>) s -> RandomNetworkFeatures.of(
                        KernelSpec.parse("arccos(order=0, depth=1)"), 64, 3, s)},
                new Object[] {"arccos 2", (LongFunction<FeatureMap>) s -> RandomNetworkFeatures.of(
                        KernelSpec.parse("arccos(order=2, depth=1)"), 64, 3, s)});
        int draws = 400;
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            LongFunction<FeatureMap> make = (LongFunction<FeatureMap>) c[1];
            // positive features have log-normal tails, heavy for far-apart or long inputs: keep those short
            Matrix xc = c[0].toString().startsWith("positive") ? scaled(x, 0.4) : x;
            Matrix exact = GramEngine.gram(make.apply(0).kernel(), xc);
            int n = x.rows();
            double[] sum = new double[n * n];
            double[] sumSq = new double[n * n];
            for (int s = 0; s < draws; s++) {
                double[] g = FeatureMaps.approximateGram(make.apply(1000 + s), xc).data();
                for (int k = 0; k < g.length; k++) {
                    sum[k] += g[k];
                    sumSq[k] += g[k] * g[k];
                }
            }
            for (int k = 0; k < n * n; k++) {
                double mean = sum[k] / draws;
                double se = Math.sqrt(Math.max(sumSq[k] / draws - mean * mean, 0) / (draws - 1));
                assertEquals(exact.data()[k], mean, 5 * se + 1e-12, c[0] + " entry " + k);
            }
        }
    }

    private static Matrix scaled(Matrix x, double c) {
        Matrix y = x.copy();
        for (int i = 0; i < y.data().length; i++) {
            y.data()[i] *= c;
        }
        return y;
    }

    private static double relativeError(FeatureMap map, Matrix x, Matrix exact) {
        Matrix g = FeatureMaps.approximateGram(map, x);
        double num = 0;
        double den = 0;
        for (int k = 0; k < g.data().length; k++) {
            double e = g.data()[k] - exact.data()[k];
            num += e * e;
            den += exact.data()[k] * exact.data()[k];
        }
        return Math.sqrt(num / den);
    }

    /** The Frobenius error falls like 1/√D: 16 times the features give about a quarter of the error. */
    @Test
    void errorFallsLikeOneOverRootD() {
        Matrix x = TestData.gaussian(30, 5, 0.5, 6);
        Kernel k = KernelSpec.parse("rbf(gamma=0.5)");
        Matrix exact = GramEngine.gram(k, x);
        double small = 0;
        double large = 0;
        for (int s = 0; s < 20; s++) {
            small += relativeError(RandomFourierFeatures.of(k, 32, 5, IID, s), x, exact) / 20;
            large += relativeError(RandomFourierFeatures.of(k, 512, 5, IID, 100 + s), x, exact) / 20;
        }
        double ratio = small / large;
        assertTrue(ratio > 2.8 && ratio < 5.7, "error ratio for 16x features: " + ratio + " (expected about 4)");
    }

    @Test
    void orthogonalFeaturesHaveLowerErrorThanIidOnAverage() {
        Matrix x = TestData.gaussian(40, 8, 0.4, 7);
        for (String spec : List.of("rbf(gamma=0.5)", "matern(nu=2.5, length=1.5)")) {
            Kernel k = KernelSpec.parse(spec);
            Matrix exact = GramEngine.gram(k, x);
            double iid = 0;
            double orth = 0;
            for (int s = 0; s < 30; s++) {
                iid += relativeError(RandomFourierFeatures.of(k, 32, 8, IID, s), x, exact);
                orth += relativeError(RandomFourierFeatures.of(k, 32, 8, ORTH, s), x, exact);
            }
            assertTrue(orth < 0.9 * iid, spec + ": orthogonal " + orth / 30 + " vs iid " + iid / 30);
        }
        Matrix w = Directions.orthonormalBlocks(10, 4, new java.util.Random(1));
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double dot = 0;
                for (int f = 0; f < 4; f++) {
                    dot += w.get(i, f) * w.get(j, f);
                }
                assertEquals(i == j ? 1 : 0, dot, 1e-12);
            }
        }
    }

    @Test
    void sigmaDeltaQuantizationStaysWithinItsBoundAndCondensedFeaturesAreUnbiased() {
        Matrix x = TestData.gaussian(10, 3, 0.6, 9);
        Kernel k = KernelSpec.parse("2*rbf(gamma=0.5)");
        for (int bits = 1; bits <= 4; bits++) {
            QuantizedFourierFeatures q = QuantizedFourierFeatures.of(k, 20, 16, bits, 3, IID, bits);
            Matrix quant = q.transform(x);
            Matrix plain = q.unquantized(x);
            double bound = Math.sqrt(2 * 2.0 / (20 * 16)); // |block sum error| ≤ 1, times the scale factor
            for (int i = 0; i < quant.data().length; i++) {
                assertTrue(Math.abs(quant.data()[i] - plain.data()[i]) <= bound + 1e-12, bits + " bits entry " + i);
            }
            for (byte[] row : q.codes(x)) {
                for (byte c : row) {
                    assertTrue(c >= 0 && c < (1 << bits));
                }
            }
        }
        // unquantized condensed features: unbiased for k within 5 standard errors per entry
        Matrix exact = GramEngine.gram(k, x);
        int draws = 300;
        double[] sum = new double[100];
        double[] sumSq = new double[100];
        for (int s = 0; s < draws; s++) {
            Matrix f = QuantizedFourierFeatures.of(k, 16, 8, 1, 3, IID, 500 + s).unquantized(x);
            Matrix g = f.times(f.transpose());
            for (int e = 0; e < 100; e++) {
                sum[e] += g.data()[e];
                sumSq[e] += g.data()[e] * g.data()[e];
            }
        }
        for (int e = 0; e < 100; e++) {
            double mean = sum[e] / draws;
            double se = Math.sqrt(Math.max(sumSq[e] / draws - mean * mean, 0) / (draws - 1));
            assertEquals(exact.data()[e], mean, 5 * se + 1e-12, "condensed entry " + e);
        }
        // 1-bit features approach the unquantized ones as blocks get longer
        double shortBlocks = 0;
        double longBlocks = 0;
        for (int s = 0; s < 10; s++) {
            QuantizedFourierFeatures a = QuantizedFourierFeatures.of(k, 32, 2, 1, 3, IID, s);
            QuantizedFourierFeatures b = QuantizedFourierFeatures.of(k, 32, 128, 1, 3, IID, s);
            shortBlocks += FeatureMaps.approximateGram(a, x).maxAbsDifference(a.unquantized(x).times(a.unquantized(x)
                    .transpose()));
            longBlocks += FeatureMaps.approximateGram(b, x).maxAbsDifference(b.unquantized(x).times(b.unquantized(x)
                    .transpose()));
        }
        assertTrue(longBlocks < shortBlocks / 4, "quantization error " + shortBlocks + " -> " + longBlocks);
        assertThrows(Kernels4jException.class, () -> QuantizedFourierFeatures.of(k, 4, 4, 5, 3, IID, 1));
    }

    @Test
    void positiveFeaturesArePositive() {
        Matrix x = TestData.gaussian(20, 4, 2, 8);
        Matrix f = PositiveRandomFeatures.of(KernelSpec.parse("rbf(gamma=1)"), 16, 4, IID, 3).transform(x);
        for (double v : f.data()) {
            assertTrue(v > 0);
        }
    }

    @Test
    void badRequestsAreRejectedWithClearMessages() {
        Kernel rbf = KernelSpec.parse("rbf()");
        assertThrows(Kernels4jException.class, () -> RandomFourierFeatures.of(rbf, 7, 3, IID, 1));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> RandomFourierFeatures.of(KernelSpec.parse("poly(degree=2)"), 8, 3, IID, 1));
        assertTrue(e.getMessage().contains("shift-invariant"), e.getMessage());
        assertThrows(Kernels4jException.class,
                () -> RandomFourierFeatures.of(KernelSpec.parse("laplacian(gamma=1, norm=l1)"), 8, 3, ORTH, 1));
        assertThrows(Kernels4jException.class,
                () -> RandomFourierFeatures.of(KernelSpec.parse("rbf(length=[1, 2])"), 8, 3, IID, 1));
        assertThrows(Kernels4jException.class,
                () -> PositiveRandomFeatures.of(KernelSpec.parse("matern(nu=1.5)"), 8, 3, IID, 1));
        assertThrows(Kernels4jException.class,
                () -> RandomNetworkFeatures.of(KernelSpec.parse("ntk(depth=2)"), 8, 3, 1));
        FeatureMap m = RandomFourierFeatures.of(rbf, 8, 3, IID, 1);
        e = assertThrows(Kernels4jException.class, () -> m.transform(new Matrix(2, 4)));
        assertTrue(e.getMessage().contains("built for 3 features but the data has 4"), e.getMessage());
    }
}
