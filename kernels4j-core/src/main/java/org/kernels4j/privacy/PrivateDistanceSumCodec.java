package org.kernels4j.privacy;

import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code private-distance-sum}: the noisy trees ({@code counts}, {@code sums})
 * and, for ℓ2, the public projection as arrays; the norm and the accounting (ε, the mechanism, the
 * adjusted sensitivities, the granularities, the noise scales, the number of noisy values, the queries
 * answered, the public range, the levels, the neighbouring relation and n) as fields. No private row and
 * no noise seed is written. Files from before the discrete mechanism lack the granularities and load as
 * legacy continuous releases.
 */
public final class PrivateDistanceSumCodec extends ModelCodec<PrivateDistanceSum> {
    /** The kind written into files. */
    public static final String KIND = "private-distance-sum";

    /** The codec (registered with ServiceLoader). */
    public PrivateDistanceSumCodec() {
        super(KIND, PrivateDistanceSum.class);
    }

    @Override
    public ModelState encode(PrivateDistanceSum p) {
        Matrix[] trees = p.trees();
        return ModelState.builder(KIND)
                .put("norm", p.norm().name().toLowerCase(java.util.Locale.ROOT))
                .put("privacy.epsilon", p.epsilon())
                .put("privacy.mechanism", p.mechanism())
                .put("privacy.count_sensitivity_l1", p.countSensitivity())
                .put("privacy.sum_sensitivity_l1", p.sumSensitivity())
                .put("privacy.count_granularity", p.countGranularity())
                .put("privacy.sum_granularity", p.sumGranularity())
                .put("privacy.noisy_values", p.noisyValues())
                .put("privacy.queries", PrivateKernelSum.QUERIES)
                .put("privacy.count_laplace_scale", p.countNoiseScale())
                .put("privacy.sum_laplace_scale", p.sumNoiseScale())
                .put("privacy.neighbours", PrivateKernelSum.NEIGHBOURS)
                .put("privacy.n", p.size())
                .put("privacy.levels", p.levels())
                .put("privacy.range", p.range())
                .array("counts", trees[0])
                .array("sums", trees[1])
                .array("projection", p.projection())
                .build();
    }

    @Override
    public PrivateDistanceSum decode(ModelState s) {
        PrivateDistanceSum.Norm norm = s.choice("norm", PrivateDistanceSum.Norm.class);
        double[] range = s.numbers("privacy.range", 2);
        Matrix projection = norm == PrivateDistanceSum.Norm.L2 ? s.matrix("projection") : null;
        // files before the discrete mechanism have no granularities: a legacy continuous release
        boolean legacy = !s.has("privacy.count_granularity");
        String mechanism = s.has("privacy.mechanism") ? s.text("privacy.mechanism") : PrivateDistanceSum.LEGACY_MECHANISM;
        return PrivateDistanceSum.of(norm, projection, range[0], range[1], s.integer("privacy.levels", 1, 20),
                s.matrix("counts"), s.matrix("sums"), s.integer("privacy.n", 1, Integer.MAX_VALUE),
                s.positive("privacy.epsilon", false), s.positive("privacy.count_laplace_scale", false),
                s.positive("privacy.sum_laplace_scale", false), legacy ? 0 : s.positive("privacy.count_granularity", false),
                legacy ? 0 : s.positive("privacy.sum_granularity", false), mechanism);
    }
}
