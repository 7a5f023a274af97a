package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link WarmingElementOps} may switch a pass from the scalar to the vector implementation at any call, so
 * every pass it switches must give bit-identical results in both (checked here on every length around the
 * vector width, including tails); it must start the warm-up only after its threshold of elements, and end
 * on the vector implementation.
 */
class WarmingElementOpsTest {

    /** The Vector API implementation, or null when the incubator module is absent from this JVM. */
    private static ElementOps vectorOrNull() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return null;
        }
        try {
            return (ElementOps) Class.forName("org.kernels4j.linalg.VectorElementOps").getField("INSTANCE").get(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Doubles per vector of the Vector API implementation. */
    private static int lanes() {
        try {
            return Class.forName("org.kernels4j.linalg.VectorElementOps").getField("LANES").getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static double[] random(Random r, int n, double lo, double hi) {
        return r.doubles(n, lo, hi).toArray();
    }

    @Test
    void everySwitchedPassIsBitIdenticalInBothImplementations() {
        ElementOps vector = vectorOrNull();
        assumeTrue(vector != null, "the Vector API is absent");
        // never warmed up: every call runs its scalar side, which is what the switch replaces
        WarmingElementOps beforeSwitch = new WarmingElementOps(vector, lanes(), Long.MAX_VALUE);
        Random r = new Random(32);
        for (WarmingElementOps.Pass pass : WarmingElementOps.Pass.values()) {
            for (int len = 0; len <= 41; len++) {
                // values spread over several binades and both signs where the pass allows, so that a different
                // rounding (a fused against a separate multiply-add, another order) shows in the last bit
                double[] a = random(r, len, 0.05, 3.7);
                double[] b = random(r, len, -2.5, 2.5);
                double[] c = random(r, len + 1, 0.0, 1.0); // one more: DOT writes its result to c[0]
                double[] viaScalar = a.clone();
                double[] viaVector = a.clone();
                double[] cScalar = c.clone();
                double[] cVector = c.clone();
                pass.driver.run(beforeSwitch, viaScalar, b.clone(), cScalar);
                pass.driver.run(vector, viaVector, b.clone(), cVector);
                assertArrayEquals(viaScalar, viaVector, 0.0, pass + ", length " + len);
                assertArrayEquals(cScalar, cVector, 0.0, pass + ", length " + len);
                assertFalse(beforeSwitch.started(pass), pass.name());
                if (len > 0 && pass != WarmingElementOps.Pass.DOT) {
                    assertFalse(viaScalar[len - 1] == a[len - 1] && pass != WarmingElementOps.Pass.MULTIPLY,
                            pass + " changed nothing: the comparison would prove nothing");
                }
            }
        }
    }

    @Test
    void axpyIsOneFusedMultiplyAddInBothImplementations() {
        // 1 + 2⁻³⁰ squared: the product's low bits are lost when rounded before the add
        double x = 1 + 0x1p-30;
        double[] dst = new double[19];
        double[] src = new double[19];
        java.util.Arrays.fill(dst, -(1 + 0x1p-29));
        java.util.Arrays.fill(src, x);
        double[] expected = new double[19];
        java.util.Arrays.fill(expected, 0x1p-60); // x·x − (1 + 2⁻²⁹) = 2⁻⁶⁰ exactly
        double[] viaScalar = dst.clone();
        ElementOps.scalar().axpy(viaScalar, 0, src, 0, 19, x);
        assertArrayEquals(expected, viaScalar, 0.0);
        ElementOps vector = vectorOrNull();
        if (vector != null) {
            double[] viaVector = dst.clone();
            vector.axpy(viaVector, 0, src, 0, 19, x);
            assertArrayEquals(expected, viaVector, 0.0);
        }
    }

    @Test
    void warmUpStartsOnlyAfterItsThresholdOfElements() {
        ElementOps vector = vectorOrNull();
        assumeTrue(vector != null, "the Vector API is absent");
        WarmingElementOps ops = new WarmingElementOps(vector, lanes(), 1000);
        double[] a = new double[600];
        ops.expScaled(a, 0, 600, -1);
        assertFalse(ops.started(WarmingElementOps.Pass.EXP_SCALED), "600 of 1000 elements");
        assertFalse(ops.ready(WarmingElementOps.Pass.EXP_SCALED));
        ops.squaredDistances(a, 0, 600, 1, new double[600], 0);
        assertFalse(ops.started(WarmingElementOps.Pass.EXP_SCALED), "each pass counts its own elements");
        ops.expScaled(a, 0, 399, -1);
        assertFalse(ops.started(WarmingElementOps.Pass.EXP_SCALED), "999 of 1000 elements");
        ops.expScaled(a, 0, 1, -1);
        assertTrue(ops.started(WarmingElementOps.Pass.EXP_SCALED), "1000 of 1000 elements");
        assertFalse(ops.started(WarmingElementOps.Pass.SQUARED_DISTANCES));
        assertTrue(ops.name().startsWith(vector.name()), ops.name());
    }

    @Test
    void aWarmedUpPassRunsTheVectorCodeWithTheSameResults() throws InterruptedException {
        ElementOps vector = vectorOrNull();
        assumeTrue(vector != null, "the Vector API is absent");
        WarmingElementOps ops = new WarmingElementOps(vector, lanes(), 0);
        Random r = new Random(5);
        double[] x = random(r, 203, -40, 2);
        double[] before = x.clone();
        ops.expScaled(before, 0, before.length, 0.75); // the first call starts the warm-up and runs scalar
        assertTrue(ops.started(WarmingElementOps.Pass.EXP_SCALED));
        long deadline = System.nanoTime() + 60_000_000_000L; // C2 is slow on a loaded machine; normally < 2 s
        while (!ops.ready(WarmingElementOps.Pass.EXP_SCALED) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(ops.ready(WarmingElementOps.Pass.EXP_SCALED), "the vector exp never got faster than the scalar");
        double[] after = x.clone();
        ops.expScaled(after, 0, after.length, 0.75);
        assertArrayEquals(before, after, 0.0);
        for (int k = 0; k < x.length; k++) {
            assertEquals(Math.exp(0.75 * x[k]), after[k], 2 * Math.ulp(Math.exp(0.75 * x[k])) + Double.MIN_NORMAL);
        }
    }

    @Test
    void laneOrderDotSumsInTheVectorOrder() {
        // with 4 lanes and 19 elements: vectors [0,4) and [4,8) go to two accumulators, [8,12) to the first,
        // [12,16) to the second, then the lanes are added (first + second, lane 0 to 3) and the tail 16..18
        // added one product at a time; values chosen so that any other order rounds differently
        double[] a = new double[19];
        double[] b = new double[19];
        java.util.Arrays.fill(b, 1.0);
        a[0] = 1e16;   // lane 0, accumulator 0
        a[8] = 0.5;    // lane 0, accumulator 0: lost against 1e16 (its ulp is 2)
        a[4] = -1e16;  // lane 0, accumulator 1
        a[16] = 3.0;   // tail
        // lane 0: (1e16 + 0.5 → 1e16) + (−1e16) = 0; then + 3 from the tail
        assertEquals(3.0, WarmingElementOps.laneOrderDot(a, 0, b, 0, 19, 4), 0.0);
        // a sequential sum would give ((1e16 − 1e16) + 0.5) + 3 = 3.5: a different order shows
        double sequential = 0;
        for (int k = 0; k < 19; k++) {
            sequential += a[k] * b[k];
        }
        assertEquals(3.5, sequential, 0.0);
        // offsets shift both arrays alike
        double[] a2 = new double[21];
        System.arraycopy(a, 0, a2, 2, 19);
        assertEquals(3.0, WarmingElementOps.laneOrderDot(a2, 2, b, 0, 19, 4), 0.0);
        // 8 lanes: 1e16 (lane 0) and −1e16 (lane 4) sit in different lanes of one accumulator, and a[8] = 0.5 in
        // lane 0 of the second: lane 0 sums to 1e16 + 0.5 → 1e16, lane 4 to −1e16, in order: 1e16 − 1e16 = 0
        assertEquals(3.0, WarmingElementOps.laneOrderDot(a, 0, b, 0, 19, 8), 0.0);
    }
}
