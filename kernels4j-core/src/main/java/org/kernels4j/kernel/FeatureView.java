package org.kernels4j.kernel;

import java.util.Arrays;

/**
 * How a kernel looks at the inputs before the GEMM: optionally centred (for distance-based
 * kernels, which are shift-invariant, centring reduces cancellation in ‖x‖² + ‖z‖² − 2⟨x,z⟩)
 * and optionally scaled feature by feature (inverse length scales of ARD kernels).
 */
final class FeatureView {
    static final FeatureView RAW = new FeatureView(false, null);
    static final FeatureView CENTERED = new FeatureView(true, null);

    final boolean centered;
    final double[] inverseScales;
    /** When positive, each feature a becomes the pair (cos(ω·a), sin(ω·a)): rows are 2d wide. */
    final double omega;
    /** When not null, each row x becomes φ(x) (see {@link RowFeatureMap}); the other fields are unused. */
    final RowFeatureMap map;

    private FeatureView(boolean centered, double[] inverseScales) {
        this(centered, inverseScales, 0.0, null);
    }

    private FeatureView(boolean centered, double[] inverseScales, double omega, RowFeatureMap map) {
        this.centered = centered;
        this.inverseScales = inverseScales;
        this.omega = omega;
        this.map = map;
    }

    /** The rows mapped by {@code map}. */
    static FeatureView mapped(RowFeatureMap map) {
        return new FeatureView(false, null, 0.0, java.util.Objects.requireNonNull(map, "map"));
    }

    /**
     * The periodic feature map φ(x) = (cos ωx_1, sin ωx_1, …, cos ωx_d, sin ωx_d), for which
     * ⟨φ(x), φ(z)⟩ = Σ_f cos(ω(x_f − z_f)).
     */
    static FeatureView periodic(double omega) {
        return new FeatureView(false, null, omega, null);
    }

    /** Width of a transformed row for d input features. */
    int width(int d) {
        if (map != null) {
            return map.width(d);
        }
        return omega > 0 ? 2 * d : d;
    }

    /** A centred view with features multiplied by {@code 1/lengthScales[f]}. */
    static FeatureView centeredScaled(double[] lengthScales) {
        if (lengthScales == null) {
            return CENTERED;
        }
        double[] inv = new double[lengthScales.length];
        for (int f = 0; f < inv.length; f++) {
            inv[f] = 1.0 / lengthScales[f];
        }
        return new FeatureView(true, inv);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureView && ((FeatureView) o).centered == centered
                && ((FeatureView) o).omega == omega && Arrays.equals(((FeatureView) o).inverseScales, inverseScales)
                && java.util.Objects.equals(((FeatureView) o).map, map);
    }

    @Override
    public int hashCode() {
        return ((Boolean.hashCode(centered) * 31 + Arrays.hashCode(inverseScales)) * 31 + Double.hashCode(omega)) * 31
                + java.util.Objects.hashCode(map);
    }
}
