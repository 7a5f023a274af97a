package org.kernels4j.linalg;

/**
 * arccos c for c ∈ [−1, 1] to within 1 ulp, from one degree-11 polynomial and at most one square
 * root: the core of every ReLU-family NNGP/NTK layer ({@link ElementOps#reluFamilyRow}, which also
 * needs √(1 − c²), from a second square root).
 *
 * <p>Hand-written because it is the inner loop of the product: {@code Math.acos} is a slow call on
 * JDK 17 and the Vector API's lane-wise ACOS is a library call that forces every live vector
 * register to be spilled; both cost more than the rest of a layer. The reduction follows the
 * classic one (as in fdlibm): with x = |c|,
 * <ul>
 *   <li>x ≤ ½: z = x², arcsin x = x·(1 + z·P(z)), arccos x = π/2 − arcsin x;</li>
 *   <li>x &gt; ½: z = (1 − x)/2 (exact), y = √z, arccos x = 2·arcsin y = 2y·(1 + z·P(z));</li>
 * </ul>
 * so z ∈ [0, ¼] in both branches and P approximates (arcsin(√z)/√z − 1)/z there. Its coefficients
 * interpolate that function at 12 Chebyshev nodes of [0, ¼], computed in 50-digit arithmetic
 * (relative error 1.2e-15 before rounding, which the factor z ≤ ¼ shrinks below half an ulp). The
 * square root runs on its own execution unit, in parallel with the polynomial. Tested against
 * {@link StrictMath#acos}: at most 1 ulp on 4·10⁵ points, half of them within 10⁻¹⁶ … 1 of ±1
 * (LinalgTest).
 */
public final class ArcCosine {
    // P(z) coefficients, lowest degree first (fields, not arrays, so the JIT sees constants).
    static final double P0 = 0.1666666666666665;
    static final double P1 = 0.07500000000020764;
    static final double P2 = 0.044642857103423646;
    static final double P3 = 0.03038194736709848;
    static final double P4 = 0.02237204763174451;
    static final double P5 = 0.017355259955786323;
    static final double P6 = 0.013929652902326633;
    static final double P7 = 0.011875494382636922;
    static final double P8 = 0.0078029494773533175;
    static final double P9 = 0.01603551434914882;
    static final double P10 = -0.010749050339697808;
    static final double P11 = 0.028169218060881414;

    /**
     * Correlations within this distance (2⁻⁵⁰, about 4 ulp) of ±1 are taken to be ±1 by
     * {@link #clipCorrelation}.
     */
    public static final double SNAP = 0x1p-50;

    private ArcCosine() {
    }

    /**
     * c clipped to [−1, 1], and snapped to ±1 within {@link #SNAP} of it. A correlation computed as
     * q₁₂/√(q₁₁q₂₂) from equal covariances lands a few ulp off 1 by rounding alone, and arccos turns
     * that noise into θ ≈ √(2(1 − c)) ≈ 1e-8; snapping makes coincident points exact, at the cost of
     * an error of the same 1e-8 size for points within 4 ulp of coincident, whose correlation the
     * rounding has already blurred that much. NaN stays NaN.
     */
    public static double clipCorrelation(double c) {
        return c > 1 - SNAP ? 1 : (c < SNAP - 1 ? -1 : c);
    }

    /** arccos c in [0, π] for c ∈ [−1, 1]; NaN outside. */
    public static double acos(double c) {
        if (!(c >= -1 && c <= 1)) {
            return Double.NaN;
        }
        double x = Math.abs(c);
        boolean big = x > 0.5;
        double z = big ? (1 - x) * 0.5 : x * x;
        double y = big ? Math.sqrt(z) : x;
        double asin = Math.fma(y * z, polyP(z), y);
        double theta = big ? 2 * asin : Math.PI / 2 - asin;
        return c < 0 ? Math.PI - theta : theta;
    }

    /**
     * The coefficients of P, lowest degree first, for other evaluators of the same reduction (the
     * ONNX export writes {@link #acos} as graph operators, since ONNX Runtime has no float64 Acos).
     */
    public static double[] coefficients() {
        return new double[] {P0, P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11};
    }

    static double polyP(double z) {
        return fma(fma(fma(fma(fma(fma(fma(fma(fma(fma(fma(P11, z, P10), z, P9), z, P8), z, P7), z, P6), z, P5), z, P4), z,
                P3), z, P2), z, P1), z, P0);
    }

    private static double fma(double a, double b, double c) {
        return Math.fma(a, b, c);
    }
}
