package org.kernels4j.balance.recommend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/**
 * The simulator against its definition: propensities recomputed here from the ratings and the
 * intercept, the observed count and the observed ratings' mean against their expectations under
 * independent selection (tolerances 4 standard errors, computed from the propensities), the MAR
 * test set's mean against the population's, the inverse-propensity estimate of a fixed predictor's
 * population error (Monte Carlo over seeds), determinism and the messages of bad options.
 */
class MnarRatingsTest {
    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    @Test
    void propensitiesFollowTheSelectionModelAndAverageToTheObservedFraction() {
        MnarRatings d = MnarRatings.builder().users(80).items(70).selectionStrength(1.2).observedFraction(0.1).seed(3)
                .generate();
        double mean = 0;
        for (int u = 0; u < 80; u++) {
            for (int i = 0; i < 70; i++) {
                double p = sigmoid(d.intercept() + 1.2 * (d.rating(u, i) - 3));
                assertEquals(p, d.propensity(u, i), 1e-12);
                mean += p / (80 * 70);
                assertTrue(d.rating(u, i) >= 1 && d.rating(u, i) <= 5);
            }
        }
        assertEquals(0.1, mean, 1e-9);
    }

    @Test
    void observedCountAndObservedMeanRatingMatchTheirExpectations() {
        for (double s : new double[] {0.0, 1.0}) {
            MnarRatings d = MnarRatings.builder().users(150).items(120).selectionStrength(s).exposureStrength(0.5)
                    .observedFraction(0.08).seed(11).generate();
            double sumP = 0;
            double varCount = 0;
            double sumPR = 0;
            double population = 0;
            int n = 150 * 120;
            for (int u = 0; u < 150; u++) {
                for (int i = 0; i < 120; i++) {
                    double p = d.propensity(u, i);
                    sumP += p;
                    varCount += p * (1 - p);
                    sumPR += p * d.rating(u, i);
                    population += d.rating(u, i) / (double) n;
                }
            }
            assertEquals(0.08 * n, sumP, 1e-6 * n);
            assertTrue(Math.abs(d.observedCount() - sumP) <= 4 * Math.sqrt(varCount),
                    "observed " + d.observedCount() + " vs expected " + sumP);
            // ratio estimator: the observed mean Σo·r/Σo has mean ≈ Σπr/Σπ and variance ≈ Σπ(1−π)(r − m)²/(Σπ)²
            double m = sumPR / sumP;
            double var = 0;
            for (int u = 0; u < 150; u++) {
                for (int i = 0; i < 120; i++) {
                    double p = d.propensity(u, i);
                    var += p * (1 - p) * Math.pow(d.rating(u, i) - m, 2);
                }
            }
            double se = Math.sqrt(var) / sumP;
            double observedMean = 0;
            for (double r : d.trainRatings()) {
                observedMean += r / d.observedCount();
            }
            assertTrue(Math.abs(observedMean - m) <= 4 * se, "s=" + s + ": observed mean " + observedMean + " vs " + m);
            // the selection shift itself: large for s = 1 (ratings and offsets), present even for s = 0 (offsets)
            assertTrue(m - population > 10 * se, "s=" + s + ": shift " + (m - population) + " se " + se);
        }
    }

    @Test
    void withoutSelectionStrengthsTheObservedRatingsAreMissingAtRandom() {
        MnarRatings d = MnarRatings.builder().users(150).items(120).selectionStrength(0).observedFraction(0.1).seed(5)
                .generate();
        double population = 0;
        double square = 0;
        int n = 150 * 120;
        for (int u = 0; u < 150; u++) {
            for (int i = 0; i < 120; i++) {
                assertEquals(0.1, d.propensity(u, i), 1e-9);
                population += d.rating(u, i) / (double) n;
                square += d.rating(u, i) * d.rating(u, i) / (double) n;
            }
        }
        double sd = Math.sqrt(square - population * population);
        double observed = 0;
        for (double r : d.trainRatings()) {
            observed += r / d.observedCount();
        }
        assertTrue(Math.abs(observed - population) <= 4 * sd / Math.sqrt(d.observedCount()));
        double test = 0;
        double[] tr = d.testRatings();
        for (double r : tr) {
            test += r / tr.length;
        }
        assertTrue(Math.abs(test - population) <= 4 * sd / Math.sqrt(tr.length));
    }

    @Test
    void inversePropensityWeightingIsUnbiasedForAFixedPredictorWhileTheObservedMeanIsNot() {
        // predictor f(u, i) = 3 + 0.5·sin(u + 2i), fixed; error e = (f − r)². Per seed: D = IPS − truth with
        // IPS = (1/N)·Σ_obs e/π and truth = (1/N)·Σ_all e; the observed mean's gap G = mean_obs e − truth.
        int seeds = 40;
        int users = 50;
        int items = 40;
        int n = users * items;
        double[] ipsGap = new double[seeds];
        double[] naiveGap = new double[seeds];
        for (int s = 0; s < seeds; s++) {
            MnarRatings d = MnarRatings.builder().users(users).items(items).selectionStrength(1).exposureStrength(0.5)
                    .observedFraction(0.1).seed(100 + s).generate();
            double truth = 0;
            for (int u = 0; u < users; u++) {
                for (int i = 0; i < items; i++) {
                    truth += Math.pow(3 + 0.5 * Math.sin(u + 2 * i) - d.rating(u, i), 2) / n;
                }
            }
            int[] us = d.trainUsers();
            int[] is = d.trainItems();
            double[] r = d.trainRatings();
            double[] p = d.trainPropensities();
            double ips = 0;
            double naive = 0;
            for (int k = 0; k < r.length; k++) {
                double e = Math.pow(3 + 0.5 * Math.sin(us[k] + 2 * is[k]) - r[k], 2);
                assertEquals(d.propensity(us[k], is[k]), p[k], 0.0);
                ips += e / p[k] / n;
                naive += e / r.length;
            }
            ipsGap[s] = ips - truth;
            naiveGap[s] = naive - truth;
        }
        double[] ips = meanAndSe(ipsGap);
        double[] naive = meanAndSe(naiveGap);
        assertTrue(Math.abs(ips[0]) <= 4 * ips[1], "IPS bias " + ips[0] + " se " + ips[1]);
        assertTrue(Math.abs(naive[0]) >= 10 * naive[1], "naive bias " + naive[0] + " se " + naive[1]);
    }

    static double[] meanAndSe(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v / x.length;
        }
        double ss = 0;
        for (double v : x) {
            ss += (v - m) * (v - m);
        }
        return new double[] {m, Math.sqrt(ss / (x.length - 1) / x.length)};
    }

    @Test
    void sameSeedSameDataAndTheTestPairsLieInTheMatrix() {
        MnarRatings a = MnarRatings.builder().users(30).items(20).seed(9).generate();
        MnarRatings b = MnarRatings.builder().users(30).items(20).seed(9).generate();
        assertArrayEquals(a.trainUsers(), b.trainUsers());
        assertArrayEquals(a.trainItems(), b.trainItems());
        assertArrayEquals(a.testRatings(), b.testRatings());
        int[] tu = a.testUsers();
        int[] ti = a.testItems();
        double[] tr = a.testRatings();
        assertEquals(5000, tu.length);
        for (int t = 0; t < 5000; t++) {
            assertEquals(a.rating(tu[t], ti[t]), tr[t]);
        }
    }

    @Test
    void badOptionsNameTheProblem() {
        assertTrue(assertThrows(Kernels4jException.class, () -> MnarRatings.builder().users(0).generate()).getMessage()
                .contains("at least one user"));
        assertTrue(assertThrows(Kernels4jException.class, () -> MnarRatings.builder().observedFraction(1).generate())
                .getMessage().contains("observed fraction"));
        assertTrue(assertThrows(Kernels4jException.class, () -> MnarRatings.builder().selectionStrength(-1).generate())
                .getMessage().contains("selection strength"));
        assertTrue(assertThrows(Kernels4jException.class, () -> MnarRatings.builder().exposureStrength(Double.NaN)
                .generate()).getMessage().contains("exposure strength"));
        assertTrue(assertThrows(Kernels4jException.class, () -> MnarRatings.builder().rank(0).generate()).getMessage()
                .contains("latent dimension"));
        MnarRatings d = MnarRatings.builder().users(3).items(4).observedFraction(0.5).seed(1).generate();
        assertTrue(assertThrows(Kernels4jException.class, () -> d.rating(3, 0)).getMessage().contains("outside"));
    }
}
