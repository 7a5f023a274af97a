package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Each element-wise pass, in BOTH implementations (the one in use, the Vector API one when the
 * incubator module is loaded, and the scalar one), against the documented formula evaluated here with
 * {@code Math}: exp, pow and the Matérn forms to the ulps the JDK allows the lane-wise intrinsics
 * (1 ulp each, so 4 ulp for a product of two rounded factors), everything else to a few ulp. Slices
 * start at an offset and have every length from 0 to 2·lanes + 3, so the vector bulk, the scalar tail
 * and the edges are all covered, and values outside the slice must stay untouched.
 */
class ElementOpsTest {
    private static final ElementOps[] IMPLS = implementations();

    /** The one in use, the Vector API one itself (the one in use may still be running scalar) and the scalar one. */
    private static ElementOps[] implementations() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return new ElementOps[] {ElementOps.get(), ElementOps.scalar()};
        }
        try {
            return new ElementOps[] {ElementOps.get(), ElementOps.scalar(),
                (ElementOps) Class.forName("org.kernels4j.linalg.VectorElementOps").getField("INSTANCE").get(null)};
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
    private static final int OFF = 3;
    private static final int MAX_LEN = 19;

    private static double[] random(Random r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * r.nextDouble();
        }
        return a;
    }

    private interface Op {
        void apply(ElementOps ops, double[] a, int off, int len);
    }

    private interface Ref {
        double at(double v, int k);
    }

    /** Runs op on a[OFF .. OFF+len) for every len; checks each element against ref within ulps·ulp(ref), and the rest unchanged. */
    private static void check(String name, double lo, double hi, double ulps, Op op, Ref ref) {
        check(name, lo, hi, ulps, 0, op, ref);
    }

    /** As above, with an absolute floor {@code abs} for results that cancel towards 0. */
    private static void check(String name, double lo, double hi, double ulps, double abs, Op op, Ref ref) {
        Random r = new Random(name.hashCode());
        for (ElementOps ops : IMPLS) {
            for (int len = 0; len <= MAX_LEN; len++) {
                double[] base = random(r, OFF + len + 4, lo, hi);
                double[] a = base.clone();
                op.apply(ops, a, OFF, len);
                for (int i = 0; i < a.length; i++) {
                    if (i < OFF || i >= OFF + len) {
                        assertEquals(base[i], a[i], 0.0, ops.name() + " " + name + " outside the slice, len " + len);
                    } else {
                        double want = ref.at(base[i], i - OFF);
                        assertEquals(want, a[i], ulps * Math.ulp(want) + abs + Double.MIN_NORMAL,
                                ops.name() + " " + name + ", len " + len + ", element " + (i - OFF));
                    }
                }
            }
        }
    }

    /**
     * Matérn 3/2 and 5/2 far out: (1 + t)·e^(−t) → 0, also where t or t² overflows (∞·0 is NaN), in both
     * implementations and in the kernel's own value; 16 entries so that the vector pass covers whole vectors.
     */
    @Test
    void maternPassesGiveZeroWhereTheDistanceOverflows() {
        double[] far = {Double.POSITIVE_INFINITY, 1e200, 1e160, 800, Double.POSITIVE_INFINITY, 1e200, 1e160, 800,
            Double.POSITIVE_INFINITY, 1e200, 1e160, 800, Double.POSITIVE_INFINITY, 1e200, 1e160, 800};
        for (ElementOps ops : new ElementOps[] {ElementOps.scalar(), ElementOps.get()}) {
            double[] a = far.clone();
            double[] b = far.clone();
            ops.matern32(a, 0, a.length);
            ops.matern52(b, 0, b.length);
            for (int k = 0; k < far.length; k++) {
                assertEquals(0.0, a[k], 0.0, ops.name() + " matern32 at " + far[k]);
                assertEquals(0.0, b[k], 0.0, ops.name() + " matern52 at " + far[k]);
            }
        }
        for (String spec : new String[] {"matern(nu=1.5, length=1)", "matern(nu=2.5, length=1)", "matern(nu=3.7, length=1)"}) {
            org.kernels4j.kernel.Kernel k = org.kernels4j.kernel.KernelSpec.parse(spec);
            assertEquals(0.0, k.value(new double[] {1e200}, new double[] {0}), 0.0, spec);
            assertEquals(0.0, k.value(new double[] {1e10}, new double[] {0}), 0.0, spec);
        }
    }

    @Test
    void namesTellTheImplementationsApart() {
        assertEquals("scalar", ElementOps.scalar().name());
        assertTrue(ElementOps.get().name().equals("scalar") || ElementOps.get().name().startsWith("vector("),
                ElementOps.get().name());
    }

    @Test
    void transcendentalPassesMatchMath() {
        check("expScaled", -3, 2, 1, (o, a, off, len) -> o.expScaled(a, off, len, -1.7), (v, k) -> Math.exp(-1.7 * v));
        check("sqrtScaled", 0, 9, 1, (o, a, off, len) -> o.sqrtScaled(a, off, len, 2.5), (v, k) -> 2.5 * Math.sqrt(v));
        check("matern32", 0, 6, 4, ElementOps::matern32, (v, k) -> (1 + v) * Math.exp(-v));
        check("matern52", 0, 6, 4, ElementOps::matern52, (v, k) -> (1 + v + v * v / 3) * Math.exp(-v));
        check("powAffine real p", 0, 3, 2, (o, a, off, len) -> o.powAffine(a, off, len, 0.5, 1.25, -1.7),
                (v, k) -> Math.pow(0.5 * v + 1.25, -1.7));
        check("powAffine p = 2.5", 0, 3, 2, (o, a, off, len) -> o.powAffine(a, off, len, 2, 0.5, 2.5),
                (v, k) -> Math.pow(2 * v + 0.5, 2.5));
        // integer powers by repeated squaring: ≤ 2·log₂p + 1 roundings, against Math.pow (≤ 1 ulp)
        for (int p : new int[] {0, 1, 2, 3, 5, 8, 13, 16, 17}) {
            check("powAffine p = " + p, -2, 2, 20, (o, a, off, len) -> o.powAffine(a, off, len, -0.75, 0.25, p),
                    (v, k) -> Math.pow(-0.75 * v + 0.25, p));
        }
        // a negative base with an integer p above 16 goes through pow, which handles odd integers exactly
        check("powAffine p = 17, negative base", -3, -1, 2, (o, a, off, len) -> o.powAffine(a, off, len, 1, 0, 17),
                (v, k) -> Math.pow(v, 17));
    }

    @Test
    void intPowIsExactOnSmallIntegers() {
        for (int p = 0; p <= 16; p++) {
            assertEquals(Math.pow(3, p), ScalarElementOps.intPow(3, p), 0.0, "3^" + p);
            assertEquals(Math.pow(-2, p), ScalarElementOps.intPow(-2, p), 0.0, "(-2)^" + p);
        }
    }

    @Test
    void arithmeticPassesMatchPlainLoops() {
        Random r = new Random(5);
        double[] nz = random(r, 40, 0, 4);
        // ni + nz − 2a, clipped at 0: a ∈ [0, 4] makes about half of the values negative before the clip
        // (the vector pass adds in another order: an absolute error of a few ulp(8) near 0)
        check("squaredDistances", 0, 4, 2, 4 * Math.ulp(8.0), (o, a, off, len) -> o.squaredDistances(a, off, len, 1.5, nz, 5),
                (v, k) -> Math.max(1.5 + nz[5 + k] - 2 * v, 0.0));
        check("scaleOuter", -2, 2, 2, (o, a, off, len) -> o.scaleOuter(a, off, len, -1.25, nz, 7),
                (v, k) -> v * (-1.25 * nz[7 + k]));
    }

    @Test
    void wholeArrayPassesTouchExactlyTheirLength() {
        Random r = new Random(6);
        for (ElementOps ops : IMPLS) {
            for (int len = 0; len <= MAX_LEN; len++) {
                double[] src = random(r, MAX_LEN + 2, -2, 2);
                double[] base = random(r, MAX_LEN + 2, -2, 2);
                double[] a = base.clone();
                ops.addScaled(a, src, len, -0.375);
                double[] m = base.clone();
                ops.multiply(m, src, len);
                double[] s = base.clone();
                ops.scale(s, len, 1.75);
                for (int k = 0; k < base.length; k++) {
                    boolean in = k < len;
                    String at = ops.name() + " len " + len + " element " + k;
                    assertEquals(in ? base[k] + -0.375 * src[k] : base[k], a[k], 2 * Math.ulp(4.0), "addScaled " + at);
                    assertEquals(in ? base[k] * src[k] : base[k], m[k], 0.0, "multiply " + at);
                    assertEquals(in ? base[k] * 1.75 : base[k], s[k], 0.0, "scale " + at);
                }
            }
        }
    }

    @Test
    void dotAndAxpyWithOffsetsMatchPlainLoops() {
        Random r = new Random(7);
        double[] a = random(r, 60, -1, 1);
        double[] b = random(r, 60, -1, 1);
        for (ElementOps ops : IMPLS) {
            for (int len = 0; len <= 37; len++) {
                double want = 0;
                double abs = 0;
                for (int k = 0; k < len; k++) {
                    want += a[2 + k] * b[11 + k];
                    abs += Math.abs(a[2 + k] * b[11 + k]);
                }
                // any summation order is within len·ε·Σ|a·b| of the sequential sum
                assertEquals(want, ops.dot(a, 2, b, 11, len), (len + 1) * Math.ulp(1.0) * abs + 1e-300,
                        ops.name() + " dot, len " + len);
                double[] dst = random(r, 60, -1, 1);
                double[] before = dst.clone();
                ops.axpy(dst, 4, a, 9, len, 0.625);
                for (int k = 0; k < dst.length; k++) {
                    boolean in = k >= 4 && k < 4 + len;
                    double w = in ? before[k] + 0.625 * a[9 + k - 4] : before[k];
                    assertEquals(w, dst[k], 2 * Math.ulp(2.0), ops.name() + " axpy, len " + len + ", element " + k);
                }
            }
        }
    }

    @Test
    void reluFamilyFastLoopsHonourKappaAndGamma() {
        // rows whose correlations stay above ½ (or ≥ 0) at every layer take the vector code's shorter loops; with
        // κ ≠ 0 and γ ≠ 1 they must still follow the documented recursion, evaluated here with Math.acos. With
        // c ≥ ½ and κ ≥ 0: g ≥ sin(π/3) + (2π/3)·½ ≈ 1.91, so a ≥ 0.3 keeps every later c above 0.57.
        Random r = new Random(9);
        int n = 29;
        int depth = 3;
        double[][] col = new double[2 * depth + 1][n];
        for (double[] c : col) {
            for (int i = 0; i < n; i++) {
                c[i] = 0.8 + 0.4 * r.nextDouble();
            }
        }
        double[] row = new double[3 * depth + 1];
        row[0] = 1;
        for (int l = 0; l < depth; l++) {
            row[1 + 3 * l] = 0.3 + 0.1 * r.nextDouble();
            row[2 + 3 * l] = 0.05 * r.nextDouble();
            row[3 + 3 * l] = 0.1 * r.nextDouble();
        }
        double[] above = new double[n];
        double[] nonNegative = new double[n];
        for (int i = 0; i < n; i++) {
            above[i] = (0.51 + 0.49 * r.nextDouble()) / col[0][i];
            nonNegative[i] = r.nextDouble() / col[0][i]; // c₀ in [0, 1]: both arccos branches in the first layer
        }
        for (double[] con : new double[][] {{1, 0, 1, 0.5, 0.3, 1.5, 1}, {1, 0, 1, 0.5, 0.3, 1, 0}}) {
            for (double[] lower : new double[][] {{0.5 + 1e-9, 0.5 + 1e-9, 0.5 + 1e-9}, {0, 0, 0}}) {
                double[] ip = lower[0] > 0.5 ? above : nonNegative;
                for (ElementOps ops : IMPLS) {
                    double[] out = ip.clone();
                    ops.reluFamilyRow(out, 0, n, row, col, con, lower, new double[2 * n]);
                    for (int k = 0; k < n; k++) {
                        double want = documentedRecursion(ip[k], k, row, col, con, null);
                        // a few roundings per layer on values of order 1–10: 1e-13 relative
                        assertEquals(want, out[k], 1e-13 * Math.abs(want),
                                ops.name() + " κ = 0.3, ntk " + con[6] + ", c ≥ " + lower[0] + ", element " + k);
                    }
                }
            }
        }
    }

    /**
     * The general loops (no bound known, or a negative one) on a row that starts at offset 3 of its array, with
     * q_b ≠ 0 and correlations of both signs at every layer (B_l·b = −0.45 pulls a·g ∈ [0, 0.9] below zero), against
     * the recursion of {@link ElementOps#reluFamilyRow}'s javadoc evaluated here with {@code Math.acos}; the three
     * elements before the row must stay untouched.
     */
    @Test
    void reluFamilyRowFollowsTheRecursionAtAnOffsetWithNegativeCorrelations() {
        Random r = new Random(13);
        int n = 37;
        int off = 3;
        int depth = 3;
        double[][] col = new double[2 * depth + 1][n];
        for (int i = 0; i < n; i++) {
            col[0][i] = 0.9 + 0.2 * r.nextDouble();
            for (int l = 0; l < depth; l++) {
                col[1 + 2 * l][i] = 0.95 + 0.05 * r.nextDouble();
                col[2 + 2 * l][i] = 0.9 + 0.1 * r.nextDouble();
            }
        }
        double[] row = new double[3 * depth + 1];
        row[0] = 0.8;
        for (int l = 0; l < depth; l++) {
            row[1 + 3 * l] = 0.9 / Math.PI; // a·g ≤ 0.9·g/π ≤ 0.9
            row[2 + 3 * l] = -0.45;
            row[3 + 3 * l] = 0.2;
        }
        double[] ip = new double[off + n];
        for (int i = 0; i < off + n; i++) {
            ip[i] = -1 + 2 * r.nextDouble(); // c₀ = (0.9·ip + 0.05)·0.8·ρ within (−1, 1), both signs
        }
        for (double[] con : new double[][] {{0.9, 0.05, 1.1, -0.2, 0.1, 1.3, 1}, {0.9, 0.05, 1.1, -0.2, 0.1, 1, 0}}) {
            for (double[] lower : new double[][] {{-1, -1, -1}, {-0.5, -0.5, -0.5}}) {
                for (ElementOps ops : IMPLS) {
                    double[] out = ip.clone();
                    ops.reluFamilyRow(out, off, n, row, col, con, lower, new double[2 * n]);
                    for (int i = 0; i < off; i++) {
                        assertEquals(ip[i], out[i], 0.0, ops.name() + ": element " + i + " before the row changed");
                    }
                    int[] negatives = new int[1];
                    for (int k = 0; k < n; k++) {
                        double want = documentedRecursion(ip[off + k], k, row, col, con, negatives);
                        assertEquals(want, out[off + k], 1e-13 * Math.max(1, Math.abs(want)),
                                ops.name() + ", ntk " + con[6] + ", bound " + lower[0] + ", element " + k);
                    }
                    assertTrue(negatives[0] > n / 2, "negative correlations reached the layers: " + negatives[0]);
                }
            }
        }
    }

    /**
     * Element k of {@link ElementOps#reluFamilyRow} as its javadoc states it, with {@code Math.acos}: c and t from the
     * inner product, then per layer x = |c| (1 within {@link ArcCosine#SNAP}), d = π − arccos(c) + κ (θ for c &lt; 0,
     * π − θ otherwise), g = √(1 − x²) + d·c, c ← a·g + B·b, t ← a·d·t + c + Δ·b. Counts the negative correlations
     * entering a layer into {@code negatives[0]} when given.
     */
    static double documentedRecursion(double ip, int k, double[] row, double[][] col, double[] con, int[] negatives) {
        int depth = (row.length - 1) / 3;
        double c = (con[0] * ip + con[1]) * row[0] * col[0][k];
        double t = (con[2] * ip + con[3]) * row[0] * col[0][k];
        for (int l = 0; l < depth; l++) {
            if (negatives != null && c < 0) {
                negatives[0]++;
            }
            double x = Math.abs(c) > 1 - ArcCosine.SNAP ? 1 : Math.abs(c);
            double d = Math.PI - Math.acos(c < 0 ? -x : x) + con[4];
            double g = Math.sqrt(1 - x * x) + d * c;
            double a = row[1 + 3 * l] * col[1 + 2 * l][k];
            double next = a * g + row[2 + 3 * l] * col[2 + 2 * l][k];
            t = a * d * t + next + row[3 + 3 * l] * col[2 + 2 * l][k];
            c = next;
        }
        return con[6] != 0 ? con[5] * t : c;
    }

    @Test
    void clipCorrelationClipsAndSnapsNearOne() {
        // clipped to [−1, 1]; within 2⁻⁵⁰ of ±1 snapped to ±1; elsewhere unchanged; NaN stays NaN
        assertEquals(1.0, ArcCosine.clipCorrelation(1.5), 0.0);
        assertEquals(-1.0, ArcCosine.clipCorrelation(-1.5), 0.0);
        assertEquals(1.0, ArcCosine.clipCorrelation(1 - 0x1p-52), 0.0);
        assertEquals(-1.0, ArcCosine.clipCorrelation(-1 + 0x1p-52), 0.0);
        assertEquals(1 - 0x1p-48, ArcCosine.clipCorrelation(1 - 0x1p-48), 0.0);
        assertEquals(-1 + 0x1p-48, ArcCosine.clipCorrelation(-1 + 0x1p-48), 0.0);
        assertEquals(0.3, ArcCosine.clipCorrelation(0.3), 0.0);
        assertEquals(-0.7, ArcCosine.clipCorrelation(-0.7), 0.0);
        assertTrue(Double.isNaN(ArcCosine.clipCorrelation(Double.NaN)));
    }

    /**
     * The convolutional kernels' ReLU-family dual against the textbook form with A = a² + b² and
     * B = 2ab written out (java.lang.Math.acos, no ν/κ rewriting), on correlations over [−1.1, 1.1]
     * (clipped), a zero variance (rr = 0) and both signs of a·b.
     */
    @Test
    void reluFamilyDualIsTheArcCosineDualOfEveryEntry() {
        Random r = new Random(19);
        int n = 203; // not a multiple of any lane count: the scalar tail runs too
        for (double[] ab : new double[][] {{0, 1}, {0.2, 1}, {-0.5, 1.3}}) {
            double bigA = ab[0] * ab[0] + ab[1] * ab[1];
            double bigB = 2 * ab[0] * ab[1];
            double diff = (ab[0] - ab[1]) * (ab[0] - ab[1]);
            double[] ss = new double[n];
            double[] rr = new double[n];
            double[] k0 = new double[n];
            double[] t0 = new double[n];
            for (int i = 0; i < n; i++) {
                ss[i] = i == 7 ? 0 : 0.2 + 3 * r.nextDouble();
                rr[i] = i == 7 ? 0 : 1 / ss[i];
                k0[i] = (2.2 * r.nextDouble() - 1.1) * ss[i];
                t0[i] = 0.5 + r.nextDouble();
            }
            for (ElementOps ops : IMPLS) {
                // σσ' = sRow·sCol[i] with sCol = ss/sRow: the outer-product form of the entries' deviations
                double sRow = 1.7;
                double[] sCol = new double[n + OFF];
                double[] rCol = new double[n + OFF];
                for (int i = 0; i < n; i++) {
                    sCol[OFF + i] = ss[i] / sRow;
                    rCol[OFF + i] = rr[i] * sRow;
                }
                double[] k = new double[n + 2];
                double[] t = new double[n + 2];
                System.arraycopy(k0, 0, k, 2, n);
                System.arraycopy(t0, 0, t, 2, n);
                ops.reluFamilyDualOuter(k, t, 2, n, sRow, 1 / sRow, sCol, rCol, OFF, diff / (2 * Math.PI),
                        2 * ab[0] * ab[1] * Math.PI / diff);
                double[] kOnly = new double[n + 2];
                System.arraycopy(k0, 0, kOnly, 2, n);
                ops.reluFamilyDualOuter(kOnly, null, 2, n, sRow, 1 / sRow, sCol, rCol, OFF, diff / (2 * Math.PI),
                        2 * ab[0] * ab[1] * Math.PI / diff);
                assertEquals(0.0, k[0] + k[1] + t[0] + t[1], 0.0, "entries before the offset stay untouched");
                for (int i = 0; i < n; i++) {
                    double c = Math.max(-1, Math.min(1, rr[i] * k0[i]));
                    double theta = Math.acos(c);
                    double sin = Math.sin(theta);
                    double want = ss[i] / (2 * Math.PI) * (bigA * (sin + (Math.PI - theta) * c) - bigB * (sin - theta * c));
                    double dot = (bigA * (Math.PI - theta) + bigB * theta) / (2 * Math.PI);
                    String what = ops.name() + " a = " + ab[0] + ", b = " + ab[1] + ", c = " + c;
                    // the snap to ±1 within 2^-50 moves θ by at most √(2·2^-50) ≈ 1.3e-7 (no entry lies that close here)
                    assertEquals(want, k[2 + i], 1e-13 * (1 + Math.abs(want)), what);
                    assertEquals(t0[i] * dot, t[2 + i], 1e-13 * (1 + Math.abs(t0[i] * dot)), what);
                    assertEquals(k[2 + i], kOnly[2 + i], 0.0, what);
                }
            }
        }
    }

    /**
     * A convolution tap on a sub-range with positive and negative shifts, against the loop dst[k] += mask[k]·src[k +
     * shift] on [lo, hi) only (entries outside the range must stay as they were), for every implementation and a
     * warming one started cold.
     */
    @Test
    void maskedShiftedTapsTouchOnlyTheirRange() {
        Random r = new Random(71);
        java.util.List<ElementOps> all = new java.util.ArrayList<>(java.util.List.of(IMPLS));
        all.add(new WarmingElementOps(IMPLS[IMPLS.length - 1], 8, Long.MAX_VALUE));
        for (ElementOps ops : all) {
            for (int shift : new int[] {2, -3}) {
                for (int[] range : new int[][] {{3, 29}, {4, 37}, {5, 6}}) {
                    int lo = range[0];
                    int hi = range[1];
                    double[] src = random(r, 48, -1, 1);
                    double[] mask = random(r, 48, 0, 1);
                    double[] dst = random(r, 48, -1, 1);
                    double[] expected = dst.clone();
                    for (int k = lo; k < hi; k++) {
                        expected[k] = Math.fma(mask[k], src[k + shift], expected[k]);
                    }
                    ops.addMaskedShifted(dst, src, mask, lo, hi, shift);
                    for (int k = 0; k < dst.length; k++) {
                        assertEquals(expected[k], dst[k], 1e-15, ops.name() + " shift " + shift + " [" + lo + ", " + hi
                                + ") at " + k);
                    }
                }
            }
        }
    }

    /** (m·a + c)^p for negative integer powers against Math.pow, every implementation (4 ulp). */
    @Test
    void negativeIntegerPowersMatchMathPow() {
        Random r = new Random(72);
        for (ElementOps ops : IMPLS) {
            for (double p : new double[] {-1, -2, -5}) {
                double[] a = random(r, 21, 0.5, 3);
                double[] expected = new double[a.length];
                for (int k = 0; k < a.length; k++) {
                    expected[k] = Math.pow(0.75 * a[k] + 0.5, p);
                }
                ops.powAffine(a, 0, a.length, 0.75, 0.5, p);
                for (int k = 0; k < a.length; k++) {
                    assertEquals(expected[k], a[k], 4 * Math.ulp(expected[k]), ops.name() + " p = " + p + " at " + k);
                }
            }
        }
    }

    /**
     * exp into the subnormal range, where the scaling by 2^n is split in two factors so that neither underflows on its
     * own: against Math.exp to 10⁻⁵ relative (a subnormal near 10⁻³¹³ carries about six digits).
     */
    @Test
    void expReachesSubnormalResults() {
        for (ElementOps ops : IMPLS) {
            double[] x = {-720, -715.5, -709, -700, 700, 1, -1, 0.25, -730};
            double[] a = x.clone();
            ops.expScaled(a, 0, a.length, 1.0);
            for (int k = 0; k < x.length; k++) {
                double e = Math.exp(x[k]);
                assertEquals(e, a[k], 1e-5 * e, ops.name() + " exp(" + x[k] + ")");
            }
        }
    }
}
