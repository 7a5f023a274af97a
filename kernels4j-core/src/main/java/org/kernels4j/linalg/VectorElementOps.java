package org.kernels4j.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise passes on the JDK Vector API. Loaded reflectively by {@link ElementOps#get()} only
 * when the incubator module is present. Each method runs full vectors over the bulk of the slice
 * and finishes the tail with the scalar code. The exponential, squared distances, Matérn and power
 * passes do exactly the scalar code's operations in its order, so their results are bit-identical
 * to {@link ScalarElementOps}' and the same in every JIT tier (no lane-wise transcendental
 * intrinsic is used: their last bit differs between the interpreter and compiled code).
 */
final class VectorElementOps implements ElementOps {
    /** Read reflectively by {@link ElementOps.Holder}. */
    public static final VectorElementOps INSTANCE = new VectorElementOps();
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    /** Doubles per vector, read reflectively by {@link ElementOps.Holder} for {@link WarmingElementOps#laneOrderDot}. */
    public static final int LANES = S.length();
    private static final ScalarElementOps TAIL = ScalarElementOps.INSTANCE;
    private static final VectorSpecies<Long> SIGN_SPECIES = LongVector.SPECIES_PREFERRED;

    private VectorElementOps() {
    }

    @Override
    public String name() {
        return "vector(" + S.length() + " lanes)";
    }

    @Override
    public boolean squaredDistances(double[] a, int off, int len, double ni, double[] nz, int nzOff) {
        int bound = S.loopBound(len);
        DoubleVector vni = DoubleVector.broadcast(S, ni);
        VectorMask<Double> lost = S.maskAll(false);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector g = DoubleVector.fromArray(S, a, off + k);
            DoubleVector z = DoubleVector.fromArray(S, nz, nzOff + k);
            DoubleVector r = g.mul(-2.0).add(vni).add(z);
            // not (r ≥ CANCELLATION·(ni + nz)): NaN compares false, so it is caught too
            lost = lost.or(r.compare(VectorOperators.GE, z.add(vni).mul(CANCELLATION)).not());
            r.max(0.0).intoArray(a, off + k);
        }
        boolean tail = TAIL.squaredDistances(a, off + k, len - k, ni, nz, nzOff + k);
        return lost.anyTrue() || tail;
    }

    @Override
    public void expScaled(double[] a, int off, int len, double s) {
        int k = expPass(a, off, len, s, EXP);
        TAIL.expScaled(a, off + k, len - k, s);
    }

    @Override
    public void sqrtScaled(double[] a, int off, int len, double s) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, a, off + k).sqrt().mul(s).intoArray(a, off + k);
        }
        TAIL.sqrtScaled(a, off + k, len - k, s);
    }

    @Override
    public void matern32(double[] a, int off, int len) {
        int k = expPass(a, off, len, -1.0, MATERN32);
        TAIL.matern32(a, off + k, len - k);
    }

    @Override
    public void matern52(double[] a, int off, int len) {
        int k = expPass(a, off, len, -1.0, MATERN52);
        TAIL.matern52(a, off + k, len - k);
    }

    /** {@link #expPass}: a ← exp(s·a). */
    private static final int EXP = 0;
    /** {@link #expPass}: a ← (a + 1)·exp(−a). */
    private static final int MATERN32 = 1;
    /** {@link #expPass}: a ← (a²/3 + a + 1)·exp(−a). */
    private static final int MATERN52 = 2;

    /**
     * The whole vectors of [off, off + len) under {@code mode} ({@link #EXP} with scale s; the Matérn modes, whose
     * argument is −a); returns how many elements it did (the caller's scalar tail does the rest). The exponential is
     * {@link ScalarElementOps#exp} lane by lane, with the same operations in the same order.
     *
     * <p>Why one method with a mode rather than an {@code exp(DoubleVector)} helper: a vector passed to or returned by
     * a call that C2 does not inline is boxed, and the pass then runs the Vector API's Java fallback, about 45 times
     * slower, for the rest of the run. C2 declined to inline the 323-byte helper whenever it had already compiled it
     * into a large method (JDK 17, a 2-core Intel Xeon: 63 ns per element instead of 1.3 in a probe; some SVM fits
     * 5× slower). Here no vector crosses a call, except the 19-byte {@link #poly}, which is always inlined. The mode
     * is loop-invariant, so C2 unswitches the loop on it.
     */
    private static int expPass(double[] a, int off, int len, double s, int mode) {
        int bound = S.loopBound(len);
        for (int k = 0; k < bound; k += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, a, off + k);
            DoubleVector x = mode == EXP ? v.mul(s) : v.neg();
            DoubleVector xc = x.max(-746.0).min(710.0);
            DoubleVector t = xc.fma(ScalarElementOps.LOG2_E, ScalarElementOps.SHIFT);
            DoubleVector n = t.sub(ScalarElementOps.SHIFT);
            LongVector ni = t.viewAsIntegralLanes().sub(ScalarElementOps.SHIFT_BITS);
            DoubleVector mn = n.neg();
            DoubleVector r = mn.fma(DoubleVector.broadcast(S, ScalarElementOps.LN2_HI), xc);
            r = mn.fma(DoubleVector.broadcast(S, ScalarElementOps.LN2_LO), r);
            DoubleVector r2 = r.mul(r);
            DoubleVector r4 = r2.mul(r2);
            DoubleVector q0 = poly(r, ScalarElementOps.C3, ScalarElementOps.C2).fma(r2, poly(r, ScalarElementOps.C1,
                    ScalarElementOps.C0));
            DoubleVector q1 = poly(r, ScalarElementOps.C7, ScalarElementOps.C6).fma(r2, poly(r, ScalarElementOps.C5,
                    ScalarElementOps.C4));
            DoubleVector q2 = poly(r, ScalarElementOps.C11, ScalarElementOps.C10).fma(r2, poly(r, ScalarElementOps.C9,
                    ScalarElementOps.C8));
            DoubleVector high = DoubleVector.broadcast(S, ScalarElementOps.C12).fma(r4, q2);
            DoubleVector q = high.fma(r4.mul(r4), q1.fma(r4, q0));
            DoubleVector y = r.fma(q, DoubleVector.broadcast(S, 1.0));
            LongVector n1 = ni.lanewise(VectorOperators.ASHR, 1);
            LongVector n2 = ni.sub(n1);
            DoubleVector s1 = n1.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector s2 = n2.add(1023).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
            DoubleVector e = y.mul(s1).mul(s2);
            DoubleVector out = mode == EXP ? e
                    : (mode == MATERN32 ? v.add(1.0).mul(e) : v.mul(v).div(3.0).add(v).add(1.0).mul(e))
                            .blend(0.0, e.compare(VectorOperators.EQ, 0.0)); // ∞·0 where the distance overflowed
            out.intoArray(a, off + k);
        }
        return bound;
    }

    /** a·r + b, one FMA (as Math.fma(a, r, b)). */
    private static DoubleVector poly(DoubleVector r, double a, double b) {
        return DoubleVector.broadcast(S, a).fma(r, DoubleVector.broadcast(S, b));
    }

    @Override
    public void powAffine(double[] a, int off, int len, double m, double c, double p) {
        int ip = (int) p;
        boolean smallInt = ip == p && ip >= 0 && ip <= 16;
        if (!smallInt) {
            // Math.pow, as the scalar pass: the lane-wise POW intrinsic's last bit depends on the JIT tier
            TAIL.powAffine(a, off, len, m, c, p);
            return;
        }
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector b = DoubleVector.fromArray(S, a, off + k).mul(m).add(c);
            DoubleVector r = DoubleVector.broadcast(S, 1.0);
            DoubleVector x = b;
            int e = ip;
            while (e > 0) {
                if ((e & 1) != 0) {
                    r = r.mul(x);
                }
                x = x.mul(x);
                e >>= 1;
            }
            r.intoArray(a, off + k);
        }
        TAIL.powAffine(a, off + k, len - k, m, c, p);
    }

    @Override
    public void scaleOuter(double[] a, int off, int len, double ri, double[] rz, int rzOff) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, rz, rzOff + k).mul(ri).mul(DoubleVector.fromArray(S, a, off + k))
                    .intoArray(a, off + k);
        }
        TAIL.scaleOuter(a, off + k, len - k, ri, rz, rzOff + k);
    }

    @Override
    public void addScaled(double[] dst, double[] src, int len, double s) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, src, k).mul(s).add(DoubleVector.fromArray(S, dst, k)).intoArray(dst, k);
        }
        for (; k < len; k++) {
            dst[k] += s * src[k];
        }
    }

    @Override
    public void multiply(double[] dst, double[] src, int len) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, dst, k).mul(DoubleVector.fromArray(S, src, k)).intoArray(dst, k);
        }
        for (; k < len; k++) {
            dst[k] *= src[k];
        }
    }

    /** {@link WarmingElementOps#laneOrderDot} is this method's scalar twin: change both together. */
    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        int bound = S.loopBound(len);
        int step = S.length();
        DoubleVector acc0 = DoubleVector.zero(S);
        DoubleVector acc1 = DoubleVector.zero(S);
        int k = 0;
        for (; k + step < bound; k += 2 * step) {
            acc0 = DoubleVector.fromArray(S, a, aOff + k).fma(DoubleVector.fromArray(S, b, bOff + k), acc0);
            acc1 = DoubleVector.fromArray(S, a, aOff + k + step).fma(DoubleVector.fromArray(S, b, bOff + k + step), acc1);
        }
        for (; k < bound; k += step) {
            acc0 = DoubleVector.fromArray(S, a, aOff + k).fma(DoubleVector.fromArray(S, b, bOff + k), acc0);
        }
        // sum the lanes in a fixed order: reduceLanes(ADD) may reorder, and its order differs between
        // the interpreter and C2, which would make the same prediction differ in the last bits
        DoubleVector acc = acc0.add(acc1);
        double s = 0;
        for (int lane = 0; lane < S.length(); lane++) {
            s += acc.lane(lane);
        }
        for (; k < len; k++) {
            s += a[aOff + k] * b[bOff + k];
        }
        return s;
    }

    @Override
    public void axpy(double[] dst, int dOff, double[] src, int sOff, int len, double s) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, src, sOff + k).fma(DoubleVector.broadcast(S, s), DoubleVector.fromArray(S, dst, dOff + k))
                    .intoArray(dst, dOff + k);
        }
        for (; k < len; k++) {
            dst[dOff + k] = Math.fma(src[sOff + k], s, dst[dOff + k]); // as the bulk: one rounding
        }
    }

    @Override
    public void scale(double[] a, int len, double s) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, a, k).mul(s).intoArray(a, k);
        }
        for (; k < len; k++) {
            a[k] *= s;
        }
    }

    @Override
    public void reluFamilyRow(double[] out, int off, int len, double[] rowCoef, double[][] colCoef, double[] con,
            double[] cLower, double[] scratch) {
        int bound = S.loopBound(len);
        int depth = (rowCoef.length - 1) / 3;
        double[] rho = colCoef[0];
        double r0 = rowCoef[0];
        for (int k = 0; k < bound; k += S.length()) {
            DoubleVector ip = DoubleVector.fromArray(S, out, off + k);
            DoubleVector r = DoubleVector.fromArray(S, rho, k).mul(r0);
            ip.fma(con[0], con[1]).mul(r).intoArray(scratch, k);
            ip.fma(con[2], con[3]).mul(r).intoArray(scratch, bound + k);
        }
        boolean ntk = con[6] != 0;
        for (int l = 0; l < depth; l++) {
            boolean last = l == depth - 1;
            // the last layer writes its result into the row: t for the NTK, c for the NNGP
            double[] cOut = last && !ntk ? out : scratch;
            int cOff = last && !ntk ? off : 0;
            double[] tOut = last && ntk ? out : scratch;
            int tOff = last && ntk ? off : bound;
            if (cLower[l] > 0.5) {
                reluFamilyLayerAboveHalf(scratch, bound, cOut, cOff, tOut, tOff, bound, colCoef[1 + 2 * l],
                        colCoef[2 + 2 * l], rowCoef[1 + 3 * l], rowCoef[2 + 3 * l], rowCoef[3 + 3 * l], con[4]);
            } else if (cLower[l] >= 0) {
                reluFamilyLayerNonNegative(scratch, bound, cOut, cOff, tOut, tOff, bound, colCoef[1 + 2 * l],
                        colCoef[2 + 2 * l], rowCoef[1 + 3 * l], rowCoef[2 + 3 * l], rowCoef[3 + 3 * l], con[4]);
            } else {
                reluFamilyLayer(scratch, bound, cOut, cOff, tOut, tOff, bound, colCoef[1 + 2 * l], colCoef[2 + 2 * l],
                        rowCoef[1 + 3 * l], rowCoef[2 + 3 * l], rowCoef[3 + 3 * l], con[4]);
            }
        }
        if (ntk && con[5] != 1) {
            for (int k = 0; k < bound; k += S.length()) {
                DoubleVector.fromArray(S, out, off + k).mul(con[5]).intoArray(out, off + k);
            }
        }
        ScalarElementOps.reluFamilyRow(out, off + bound, len - bound, bound, rowCoef, colCoef, con);
    }

    /*
     * One layer of reluFamilyRow over c = buf[0 ..] and t = buf[tIn ..], writing the new c to
     * cOut[cOff ..] and t to tOut[tOff ..] (in place for all but the last layer).
     *
     * Per element: arccos by the reduction of ArcCosine (z = x² and y = x for x ≤ ½, z = (1 − x)/2
     * and y = √z above, arcsin y = y·(1 + z·P(z))), then d = π − θ + κ = M·arcsin y + K with
     * M = ±1 or ±2 and K chosen by the branch and c's sign bit, so that d is one FMA after P.
     *
     * Why it is written this way: the loop is bound by latency, not by arithmetic. Each element's
     * chain (load, reduction, polynomial, square root, combination) is long, and the processor
     * overlaps only as many elements as its reorder window holds, so the time per element is
     * roughly the chain's latency times the loop's instruction count over the window. Hence P by
     * Estrin's scheme (depth 4 instead of Horner's 11), d in one FMA after P, and the new t as
     * a·(d·(t + c) + s) + (B + Δ)·b, whose last two FMAs run beside those of the new c; this cut
     * the layer's time by a tenth against the straightforward order. Each loop keeps to one
     * arithmetic path and inlines only the polynomial helper: C2 compiles it without boxing only
     * below its inlining node budget. Two things tried and dropped for that reason: a per-vector
     * shortcut when all four correlations exceed ½ (a second path in the loop; 40% slower), and the
     * common update below as a helper (C2 would not inline it, "already compiled into a big
     * method"). The two square roots run on the divider beside the FMAs.
     */
    private static void reluFamilyLayer(double[] buf, int tIn, double[] cOut, int cOff, double[] tOut, int tOff, int len,
            double[] colA, double[] colB, double rowA, double rowB, double rowDelta, double kappa) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector rowBD = DoubleVector.broadcast(S, rowB + rowDelta);
        DoubleVector mBig = DoubleVector.broadcast(S, -2.0);
        DoubleVector kSmall = DoubleVector.broadcast(S, Math.PI / 2 + kappa);
        DoubleVector kBig = DoubleVector.broadcast(S, Math.PI / 2);
        LongVector sign = LongVector.broadcast(SIGN_SPECIES, Long.MIN_VALUE);
        for (int k = 0; k < len; k += S.length()) {
            DoubleVector c = DoubleVector.fromArray(S, buf, k);
            DoubleVector x = c.abs();
            x = x.blend(one, x.compare(VectorOperators.GT, 1 - ArcCosine.SNAP));
            VectorMask<Double> big = x.compare(VectorOperators.GT, 0.5);
            DoubleVector zb = x.fma(-0.5, 0.5);
            DoubleVector z = x.mul(x).blend(zb, big);
            DoubleVector y = x.blend(zb.sqrt(), big);
            DoubleVector p = arcsinPolynomial(z);
            // x ≤ ½: π − θ = π/2 + arcsin x (c ≥ 0) or π/2 − arcsin x (c < 0);
            // x > ½: π − θ = π − 2·arcsin y (c ≥ 0) or 2·arcsin y (c < 0); the sign flips by c's sign bit
            LongVector cSign = c.viewAsIntegralLanes().lanewise(VectorOperators.AND, sign);
            DoubleVector m = one.blend(mBig, big).viewAsIntegralLanes().lanewise(VectorOperators.XOR, cSign)
                    .viewAsFloatingLanes().reinterpretAsDoubles();
            DoubleVector kk = kBig.viewAsIntegralLanes().lanewise(VectorOperators.XOR, cSign).viewAsFloatingLanes()
                    .reinterpretAsDoubles().add(kSmall).blend(kSmall, big.not());
            DoubleVector my = m.mul(y);
            DoubleVector d = my.mul(z).fma(p, my.add(kk));
            DoubleVector s = one.sub(x).mul(one.add(x)).sqrt();
            DoubleVector a = DoubleVector.fromArray(S, colA, k).mul(rowA);
            DoubleVector b = DoubleVector.fromArray(S, colB, k);
            a.fma(d.fma(DoubleVector.fromArray(S, buf, tIn + k).add(c), s), b.mul(rowBD)).intoArray(tOut, tOff + k);
            a.fma(d.fma(c, s), b.mul(rowB)).intoArray(cOut, cOff + k);
        }
    }

    /* reluFamilyLayer for rows whose correlations are all ≥ 0 (ReLU's layers after the first): no sign step. */
    private static void reluFamilyLayerNonNegative(double[] buf, int tIn, double[] cOut, int cOff, double[] tOut, int tOff, int len,
            double[] colA, double[] colB, double rowA, double rowB, double rowDelta, double kappa) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector rowBD = DoubleVector.broadcast(S, rowB + rowDelta);
        DoubleVector mBig = DoubleVector.broadcast(S, -2.0);
        DoubleVector kSmall = DoubleVector.broadcast(S, Math.PI / 2 + kappa);
        DoubleVector kBig = DoubleVector.broadcast(S, Math.PI + kappa);
        for (int k = 0; k < len; k += S.length()) {
            DoubleVector c = DoubleVector.fromArray(S, buf, k);
            DoubleVector x = c.abs();
            x = x.blend(one, x.compare(VectorOperators.GT, 1 - ArcCosine.SNAP));
            VectorMask<Double> big = x.compare(VectorOperators.GT, 0.5);
            DoubleVector zb = x.fma(-0.5, 0.5);
            DoubleVector z = x.mul(x).blend(zb, big);
            DoubleVector y = x.blend(zb.sqrt(), big);
            DoubleVector p = arcsinPolynomial(z);
            DoubleVector m = one.blend(mBig, big);
            DoubleVector kk = kSmall.blend(kBig, big);
            DoubleVector my = m.mul(y);
            DoubleVector d = my.mul(z).fma(p, my.add(kk));
            DoubleVector s = one.sub(x).mul(one.add(x)).sqrt();
            DoubleVector a = DoubleVector.fromArray(S, colA, k).mul(rowA);
            DoubleVector b = DoubleVector.fromArray(S, colB, k);
            a.fma(d.fma(DoubleVector.fromArray(S, buf, tIn + k).add(c), s), b.mul(rowBD)).intoArray(tOut, tOff + k);
            a.fma(d.fma(c, s), b.mul(rowB)).intoArray(cOut, cOff + k);
        }
    }

    /*
     * reluFamilyLayer for rows whose correlations all lie in (½, 1]: only the x > ½ branch, c ≥ 0, so
     * π − θ + κ = π + κ − 2·arcsin y and sin θ = 2y·√(1 − z) with z = (1 − c)/2, y = √z. Deep ReLU
     * layers are all of this kind (correlations rise towards 1), and dropping the blends and the sign
     * step shortens both the chain and the loop, which is what bounds its time (see above).
     */
    private static void reluFamilyLayerAboveHalf(double[] buf, int tIn, double[] cOut, int cOff, double[] tOut,
            int tOff, int len, double[] colA, double[] colB, double rowA, double rowB, double rowDelta, double kappa) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector rowBD = DoubleVector.broadcast(S, rowB + rowDelta);
        double piK = Math.PI + kappa;
        for (int k = 0; k < len; k += S.length()) {
            DoubleVector c = DoubleVector.fromArray(S, buf, k);
            DoubleVector z = c.fma(-0.5, 0.5);
            z = z.blend(zero, z.compare(VectorOperators.LT, ArcCosine.SNAP / 2));
            DoubleVector y = z.sqrt();
            DoubleVector p = arcsinPolynomial(z);
            DoubleVector my = y.mul(-2.0);
            DoubleVector d = my.mul(z).fma(p, my.add(piK));
            DoubleVector s = one.sub(z).sqrt().mul(y.add(y));
            DoubleVector a = DoubleVector.fromArray(S, colA, k).mul(rowA);
            DoubleVector b = DoubleVector.fromArray(S, colB, k);
            a.fma(d.fma(DoubleVector.fromArray(S, buf, tIn + k).add(c), s), b.mul(rowBD)).intoArray(tOut, tOff + k);
            a.fma(d.fma(c, s), b.mul(rowB)).intoArray(cOut, cOff + k);
        }
    }

    /**
     * {@link ArcCosine}'s P(z) by Estrin's scheme: depth four instead of Horner's eleven, which the
     * layer loops need because their time follows the length of each element's chain.
     */
    @Override
    public void addMaskedShifted(double[] dst, double[] src, double[] mask, int lo, int hi, int shift) {
        int bound = lo + S.loopBound(hi - lo);
        int k = lo;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, mask, k).fma(DoubleVector.fromArray(S, src, k + shift),
                    DoubleVector.fromArray(S, dst, k)).intoArray(dst, k);
        }
        TAIL.addMaskedShifted(dst, src, mask, k, hi, shift);
    }

    @Override
    public void reluFamilyDualOuter(double[] k, double[] t, int off, int len, double sRow, double rRow, double[] sCol,
            double[] rCol, int colOff, double nu, double kappa) {
        int bound = S.loopBound(len);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector mBig = DoubleVector.broadcast(S, -2.0);
        DoubleVector kSmall = DoubleVector.broadcast(S, Math.PI / 2 + kappa);
        DoubleVector kBig = DoubleVector.broadcast(S, Math.PI / 2);
        LongVector sign = LongVector.broadcast(SIGN_SPECIES, Long.MIN_VALUE);
        double sNu = sRow * nu;
        for (int i = 0; i < bound; i += S.length()) {
            DoubleVector rr = DoubleVector.fromArray(S, rCol, colOff + i).mul(rRow);
            DoubleVector raw = DoubleVector.fromArray(S, k, off + i).mul(rr);
            // as reluFamilyLayer: arcsin by ArcCosine's reduction, d = π − θ + κ = M·arcsin y + K by c's sign bit
            LongVector cSign = raw.viewAsIntegralLanes().lanewise(VectorOperators.AND, sign);
            DoubleVector x = raw.abs();
            x = x.blend(one, x.compare(VectorOperators.GT, 1 - ArcCosine.SNAP));
            DoubleVector c = x.viewAsIntegralLanes().lanewise(VectorOperators.OR, cSign).viewAsFloatingLanes()
                    .reinterpretAsDoubles();
            VectorMask<Double> big = x.compare(VectorOperators.GT, 0.5);
            DoubleVector zb = x.fma(-0.5, 0.5);
            DoubleVector z = x.mul(x).blend(zb, big);
            DoubleVector y = x.blend(zb.sqrt(), big);
            DoubleVector p = arcsinPolynomial(z);
            DoubleVector m = one.blend(mBig, big).viewAsIntegralLanes().lanewise(VectorOperators.XOR, cSign)
                    .viewAsFloatingLanes().reinterpretAsDoubles();
            DoubleVector kk = kBig.viewAsIntegralLanes().lanewise(VectorOperators.XOR, cSign).viewAsFloatingLanes()
                    .reinterpretAsDoubles().add(kSmall).blend(kSmall, big.not());
            DoubleVector my = m.mul(y);
            DoubleVector d = my.mul(z).fma(p, my.add(kk));
            DoubleVector s = one.sub(x).mul(one.add(x)).sqrt();
            d.fma(c, s).mul(DoubleVector.fromArray(S, sCol, colOff + i).mul(sNu)).intoArray(k, off + i);
            if (t != null) {
                DoubleVector.fromArray(S, t, off + i).mul(d.mul(nu)).intoArray(t, off + i);
            }
        }
        TAIL.reluFamilyDualOuter(k, t, off + bound, len - bound, sRow, rRow, sCol, rCol, colOff + bound, nu, kappa);
    }

    private static DoubleVector arcsinPolynomial(DoubleVector z) {
        DoubleVector z2 = z.mul(z);
        DoubleVector z4 = z2.mul(z2);
        DoubleVector p03 = z.fma(ArcCosine.P3, ArcCosine.P2).fma(z2, z.fma(ArcCosine.P1, ArcCosine.P0));
        DoubleVector p47 = z.fma(ArcCosine.P7, ArcCosine.P6).fma(z2, z.fma(ArcCosine.P5, ArcCosine.P4));
        DoubleVector p8b = z.fma(ArcCosine.P11, ArcCosine.P10).fma(z2, z.fma(ArcCosine.P9, ArcCosine.P8));
        return p8b.fma(z4, p47).fma(z4, p03);
    }
}
