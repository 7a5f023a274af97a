package org.kernels4j.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;

/**
 * The population mean under selection on x (the data of {@link KernelBalancingMonteCarloTest}: a
 * population of 400 with x ~ N(0, I₂), rows kept with probability sigmoid(0.2 + 1.5x₁ − 0.8x₂² + x₁x₂),
 * y = f(x) + N(0, 0.3²) observed on the kept rows, the target sample = a fresh population of 400): the
 * bootstrap standard error against the spread of the estimates over 60 data sets, for IPS and doubly
 * robust estimates, and the bootstrap's bookkeeping.
 */
class PopulationMeanTest {
    record Data(Matrix obs, double[] y, Matrix target) {
    }

    static Data simulate(long seed) {
        Random r = new Random(seed);
        int pop = 400;
        Matrix all = new Matrix(pop, 2);
        boolean[] kept = new boolean[pop];
        int n = 0;
        for (int i = 0; i < pop; i++) {
            double a = r.nextGaussian();
            double b = r.nextGaussian();
            all.set(i, 0, a);
            all.set(i, 1, b);
            kept[i] = r.nextDouble() < 1 / (1 + Math.exp(-KernelBalancingMonteCarloTest.selectionLogit(a, b)));
            n += kept[i] ? 1 : 0;
        }
        Matrix obs = new Matrix(n, 2);
        double[] y = new double[n];
        int k = 0;
        for (int i = 0; i < pop; i++) {
            if (kept[i]) {
                obs.set(k, 0, all.get(i, 0));
                obs.set(k, 1, all.get(i, 1));
                y[k++] = KernelBalancingMonteCarloTest.f(all.get(i, 0), all.get(i, 1)) + 0.3 * r.nextGaussian();
            }
        }
        return new Data(obs, y, KernelBalancingTest.gaussian(pop, 2, 0, r));
    }

    static KernelBalancing balancer() {
        return KernelBalancing.builder(TreatmentEffectTest.RBF)
                .anchors(16, KernelBalancing.AnchorSelection.KMEANS_PLUS_PLUS, 2).ridge(1e-3).computeMmd(false).build();
    }

    @Test
    void bootstrapErrorMatchesTheSpreadOverDataSets() {
        int seeds = 60;
        int bootSeeds = 6;
        int replicates = 20;
        PopulationMean ips = PopulationMean.builder(balancer()).build();
        PopulationMean dr = PopulationMean.builder(balancer())
                .outcomeModel(KernelRidge.builder(TreatmentEffectTest.RBF).lambda(0.3).fitIntercept(true).build())
                .build();
        double[][] est = new double[2][seeds];
        double[] bootSe = new double[2];
        for (int s = 0; s < seeds; s++) {
            Data d = simulate(3000 + s);
            PopulationMeanEstimate e = ips.estimate(d.obs, d.y, d.target);
            est[0][s] = e.mean().estimate();
            // IPS is the weighted mean of the returned weights
            double direct = 0;
            double[] w = e.weights().weights();
            for (int i = 0; i < w.length; i++) {
                direct += w[i] * d.y[i];
            }
            assertEquals(direct, est[0][s], 1e-12);
            est[1][s] = dr.estimate(d.obs, d.y, d.target).mean().estimate();
            if (s < bootSeeds) {
                PopulationMeanEstimate bi = PopulationMean.builder(balancer()).bootstrap(replicates, s).build()
                        .estimate(d.obs, d.y, d.target);
                PopulationMeanEstimate bd = PopulationMean.builder(balancer())
                        .outcomeModel(KernelRidge.builder(TreatmentEffectTest.RBF).lambda(0.3).fitIntercept(true).build())
                        .bootstrap(replicates, s).build().estimate(d.obs, d.y, d.target);
                assertEquals(est[0][s], bi.mean().estimate(), 0);
                assertEquals(replicates, bi.bootstrapEstimates().length + bi.failedReplicates());
                double[] boot = bi.bootstrapEstimates();
                assertEquals(KernelBalancingMonteCarloTest.se(boot) * Math.sqrt(boot.length), bi.mean().standardError(),
                        1e-12);
                bootSe[0] += bi.mean().standardError() / bootSeeds;
                bootSe[1] += bd.mean().standardError() / bootSeeds;
            }
        }
        for (int k = 0; k < 2; k++) {
            double spread = KernelBalancingMonteCarloTest.se(est[k]) * Math.sqrt(seeds);
            String msg = String.format(Locale.ROOT, "%s: mean bootstrap SE %.4f, spread of %d estimates %.4f",
                    k == 0 ? "IPS" : "DR", bootSe[k], seeds, spread);
            System.out.println("population mean: " + msg);
            // spread of 60: relative error 1/√118 = 9.2 %; bootstrap SE of 20 replicates ≈ 16 % each, 6.5 % over 6
            // data sets: ±40 % is over 3 combined standard errors (11.3 %)
            assertTrue(bootSe[k] > spread / 1.4 && bootSe[k] < spread * 1.4, msg);
        }
    }

    @Test
    void badInputGetsAClearMessage() {
        Data d = simulate(1);
        BalancedEstimatorsTest.assertMessage(() -> PopulationMean.builder(balancer()).bootstrap(1, 0).build(), ">= 2");
        BalancedEstimatorsTest.assertMessage(() -> PopulationMean.builder(null), "needs a kernel balancing");
        double[] y = d.y.clone();
        y[3] = Double.NaN;
        BalancedEstimatorsTest.assertMessage(() -> PopulationMean.builder(balancer()).build().estimate(d.obs, y, d.target),
                "outcome 3");
        BalancedEstimatorsTest.assertMessage(() -> PopulationMean.builder(balancer()).build().estimate(d.obs, d.y,
                new Matrix(0, 2)), "target sample is empty");
    }
}
