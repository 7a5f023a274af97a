package org.kernels4j.privacy;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The random bits behind every private release: a NIST SP 800-90A DRBG ({@code SecureRandom} algorithm
 * "DRBG", falling back to the platform's default {@link SecureRandom}), instantiated once per JVM from
 * the operating system's entropy source and read in 4 KiB blocks. Nothing here is seeded from a
 * constant, the clock or a user parameter, and no state is recorded. One instance serves one release
 * (not thread-safe); its buffer is never shared with another release.
 */
final class SecureBits implements RandomGenerator {
    private static final SecureRandom SOURCE = create();

    private final byte[] buffer = new byte[4096];
    private int next = buffer.length;

    private SecureBits() {
    }

    /** A new reader of the shared secure generator. */
    static SecureBits fresh() {
        return new SecureBits();
    }

    /** The algorithm of the underlying generator, e.g. "DRBG" (for reports and tests). */
    static String algorithm() {
        return SOURCE.getAlgorithm();
    }

    private static SecureRandom create() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    @Override
    public long nextLong() {
        if (next + 8 > buffer.length) {
            SOURCE.nextBytes(buffer);
            next = 0;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buffer[next + i] & 0xFF);
            buffer[next + i] = 0;
        }
        next += 8;
        return v;
    }
}
