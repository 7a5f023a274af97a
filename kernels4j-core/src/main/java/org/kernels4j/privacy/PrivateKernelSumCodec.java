package org.kernels4j.privacy;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code private-kernel-sum}: the public frequencies and the noisy mean only,
 * with the accounting in the {@code privacy} fields: ε, the mechanism, the adjusted sensitivity, the
 * granularity, the Laplace scale, the neighbouring relation, the number of noisy values, the queries it
 * answers and n. No private row and no noise seed is written (none exists). Files from before the
 * discrete mechanism lack the granularity and load as legacy continuous releases.
 */
public final class PrivateKernelSumCodec extends ModelCodec<PrivateKernelSum> {
    /** The kind written into files. */
    public static final String KIND = "private-kernel-sum";

    /** The codec (registered with ServiceLoader). */
    public PrivateKernelSumCodec() {
        super(KIND, PrivateKernelSum.class);
    }

    @Override
    public ModelState encode(PrivateKernelSum p) {
        ModelState.Builder s = ModelState.builder(KIND);
        put(s, p, "");
        return s.build();
    }

    /** Writes one structure's fields and arrays, every name prefixed (the classifier stores one per class). */
    static void put(ModelState.Builder s, PrivateKernelSum p, String prefix) {
        s.put(prefix + "kernel", p.kernel().toSpec())
                .put(prefix + "privacy.epsilon", p.epsilon())
                .put(prefix + "privacy.mechanism", p.mechanism())
                .put(prefix + "privacy.sensitivity_l1", p.sensitivity())
                .put(prefix + "privacy.granularity", p.granularity())
                .put(prefix + "privacy.laplace_scale", p.noiseScale())
                .put(prefix + "privacy.neighbours", PrivateKernelSum.NEIGHBOURS)
                .put(prefix + "privacy.noisy_values", (long) p.noisyMean().length)
                .put(prefix + "privacy.queries", PrivateKernelSum.QUERIES)
                .put(prefix + "privacy.n", p.size())
                .array(prefix + "frequencies", p.frequencies())
                .array(prefix + "noisy_mean", Matrix.column(p.noisyMean()));
    }

    /** Reads what {@link #put} wrote under {@code prefix}. */
    static PrivateKernelSum get(ModelState s, String prefix) {
        Matrix w = s.matrix(prefix + "frequencies");
        Matrix mean = s.matrix(prefix + "noisy_mean", 2 * w.rows(), 1);
        // files before the discrete mechanism have no granularity: a legacy continuous release
        boolean legacy = !s.has(prefix + "privacy.granularity");
        String mechanism = s.has(prefix + "privacy.mechanism") ? s.text(prefix + "privacy.mechanism")
                : PrivateKernelSum.LEGACY_MECHANISM;
        return PrivateKernelSum.of(s.kernel(prefix + "kernel").toSpec(), w, mean.data(),
                s.integer(prefix + "privacy.n", 1, Integer.MAX_VALUE), s.positive(prefix + "privacy.epsilon", false),
                s.positive(prefix + "privacy.sensitivity_l1", false),
                legacy ? 0 : s.positive(prefix + "privacy.granularity", false), mechanism);
    }

    @Override
    public PrivateKernelSum decode(ModelState s) {
        return get(s, "");
    }
}
