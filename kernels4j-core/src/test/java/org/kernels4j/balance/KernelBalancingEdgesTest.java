package org.kernels4j.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The boundaries of KernelBalancing's options and inputs: the smallest allowed value of each option
 * is accepted and the first disallowed one refused; a zero base weight is allowed (that row gets
 * weight 0) but all-zero base weights are not; as many anchors as target rows is allowed.
 */
class KernelBalancingEdgesTest {
    private static final Kernel LINEAR = KernelSpec.parse("linear()");

    @Test
    void smallestAllowedOptionsAreAcceptedAndTheNextOnesRefused() {
        Random r = new Random(3);
        Matrix obs = KernelBalancingTest.gaussian(30, 2, 0.3, r);
        Matrix target = KernelBalancingTest.gaussian(40, 2, 0, r);
        // one anchor, one iteration: a valid configuration (the fit may stop early, but it is not refused)
        KernelBalancing one = KernelBalancing.builder(LINEAR).anchors(1, KernelBalancing.AnchorSelection.RANDOM, 1)
                .maxIterations(1).ridge(1).build();
        assertEquals(1, one.fit(obs, target).anchors().rows());
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR)
                .anchors(0, KernelBalancing.AnchorSelection.RANDOM, 1).build(), "number of anchors must be >= 1");
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR).maxIterations(0).build(),
                "iteration limit must be >= 1");
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR).tolerance(0).build(),
                "tolerance must be a positive");
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR).constraintTolerance(-1e-300).build(),
                "constraint tolerance C");
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR).ridge(-1e-300).build(), "ridge");
        // as many anchors as target rows
        Matrix small = KernelBalancingTest.gaussian(5, 2, 0, r);
        BalancingWeights all = KernelBalancing.builder(KernelSpec.parse("rbf(gamma=0.5)"))
                .anchors(5, KernelBalancing.AnchorSelection.RANDOM, 2).ridge(1e-2).build().fit(obs, small);
        assertEquals(5, all.anchors().rows());
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR)
                .anchors(6, KernelBalancing.AnchorSelection.RANDOM, 2).build().fit(obs, small), "cannot draw 6 anchors");
    }

    @Test
    void zeroBaseWeightsAreAllowedButNotAllOfThem() {
        Random r = new Random(4);
        Matrix obs = KernelBalancingTest.gaussian(20, 2, 0.2, r);
        Matrix target = KernelBalancingTest.gaussian(30, 2, 0, r);
        double[] base = new double[20];
        java.util.Arrays.fill(base, 1);
        base[4] = 0;
        BalancingWeights w = KernelBalancing.builder(LINEAR).anchors(Matrix.identity(2)).build().fit(obs, base, target);
        // w_i = q_i·ρ(x_i): a zero base weight stays zero, and the others still balance the means exactly
        assertEquals(0, w.weights()[4], 0);
        assertTrue(w.maxImbalance() <= 1e-6, "imbalance " + w.maxImbalance());
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR).anchors(Matrix.identity(2)).build()
                .fit(obs, new double[20], target), "all base weights are 0");
        double[] negative = base.clone();
        negative[7] = -1e-300;
        BalancedEstimatorsTest.assertMessage(() -> KernelBalancing.builder(LINEAR).anchors(Matrix.identity(2)).build()
                .fit(obs, negative, target), "base weight 7");
    }

    @Test
    void aZeroStandardErrorIsAllowed() {
        // an outcome with no spread has standard error 0, and its interval is the point itself
        BalancedEstimate e = new BalancedEstimate("x", 2.0, 0.0, "m", 5);
        assertEquals(2.0, e.interval(0.95)[0], 0);
        assertEquals(2.0, e.interval(0.95)[1], 0);
    }
}
