package org.kernels4j.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Every byte of SecureBits' longs is uniform: over 8192 draws (more than one buffer refill), the mean
 * of each of the 8 byte positions is 127.5 within 5 standard errors (a uniform byte has standard
 * deviation √((256² − 1)/12) = 73.9, so SE = 73.9/√8192 = 0.816), and no two consecutive draws are
 * equal. A byte read from the wrong buffer slot (already zeroed) or never refilled would sit at 0.
 */
class SecureBitsTest {
    @Test
    void everyBytePositionIsUniform() {
        SecureBits bits = SecureBits.fresh();
        int draws = 8192;
        double[] mean = new double[8];
        long previous = 0;
        for (int k = 0; k < draws; k++) {
            long v = bits.nextLong();
            if (k > 0 && v == previous) {
                throw new AssertionError("two equal consecutive draws: " + v);
            }
            previous = v;
            for (int b = 0; b < 8; b++) {
                mean[b] += ((v >>> (8 * b)) & 0xFF) / (double) draws;
            }
        }
        double se = Math.sqrt((256.0 * 256 - 1) / 12 / draws);
        for (int b = 0; b < 8; b++) {
            assertEquals(127.5, mean[b], 5 * se, "byte " + b);
        }
    }
}
