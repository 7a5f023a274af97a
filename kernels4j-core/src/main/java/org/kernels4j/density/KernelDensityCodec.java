package org.kernels4j.density;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code kde}: the profile name in field {@code kernel}; the points (n×d),
 * their weights (n×1) and the bandwidth matrix H (d×d) as arrays.
 */
public final class KernelDensityCodec extends ModelCodec<KernelDensity> {
    /** The kind written into files. */
    public static final String KIND = "kde";

    /** The codec (registered with ServiceLoader). */
    public KernelDensityCodec() {
        super(KIND, KernelDensity.class);
    }

    @Override
    public ModelState encode(KernelDensity f) {
        return ModelState.builder(KIND)
                .put("kernel", f.profile().name().toLowerCase(java.util.Locale.ROOT))
                .array("points", f.points())
                .array("weights", Matrix.column(f.weights()))
                .array("bandwidth", f.bandwidth())
                .build();
    }

    @Override
    public KernelDensity decode(ModelState s) {
        KernelDensity.Profile profile;
        try {
            profile = KernelDensity.Profile.parse(s.text("kernel"));
        } catch (Kernels4jException e) {
            throw new Kernels4jException("field 'kernel': " + e.getMessage());
        }
        Matrix points = s.matrix("points");
        Matrix weights = s.matrix("weights", points.rows(), 1);
        Matrix bandwidth = s.matrix("bandwidth", points.cols(), points.cols());
        return KernelDensity.fit(profile, points, weights.data(), bandwidth);
    }
}
