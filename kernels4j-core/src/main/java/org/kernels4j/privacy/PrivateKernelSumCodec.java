package org.kernels4j.privacy;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code private-kernel-sum}: the public frequencies and the noisy mean only,
 * with ε, the mechanism, the sensitivity, the Laplace scale, the neighbouring relation and n in
 * the {@code privacy} fields. No private row is written.
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
                .put(prefix + "privacy.mechanism", PrivateKernelSum.MECHANISM)
                .put(prefix + "privacy.sensitivity_l1", p.sensitivity())
                .put(prefix + "privacy.laplace_scale", p.noiseScale())
                .put(prefix + "privacy.neighbours", PrivateKernelSum.NEIGHBOURS)
                .put(prefix + "privacy.n", p.size())
                .array(prefix + "frequencies", p.frequencies())
                .array(prefix + "noisy_mean", Matrix.column(p.noisyMean()));
    }

    /** Reads what {@link #put} wrote under {@code prefix}. */
    static PrivateKernelSum get(ModelState s, String prefix) {
        Matrix w = s.matrix(prefix + "frequencies");
        Matrix mean = s.matrix(prefix + "noisy_mean", 2 * w.rows(), 1);
        return PrivateKernelSum.of(s.kernel(prefix + "kernel").toSpec(), w, mean.data(),
                s.integer(prefix + "privacy.n", 1, Integer.MAX_VALUE), s.positive(prefix + "privacy.epsilon", false),
                s.positive(prefix + "privacy.sensitivity_l1", false));
    }

    @Override
    public PrivateKernelSum decode(ModelState s) {
        return get(s, "");
    }
}
