package org.kernels4j.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Element-wise passes on the JDK Vector API. Loaded reflectively by {@link ElementOps#get()} only
 * when the incubator module is present. Each method runs full vectors over the bulk of the slice
 * and finishes the tail with the scalar code, so results differ from {@link ScalarElementOps} only
 * by the ≤ 1 ulp allowed to the lane-wise transcendental functions.
 */
final class VectorElementOps implements ElementOps {
    /** Read reflectively by {@link ElementOps.Holder}. */
    public static final VectorElementOps INSTANCE = new VectorElementOps();
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final ScalarElementOps TAIL = ScalarElementOps.INSTANCE;
    private static final VectorSpecies<Long> SIGN_SPECIES = LongVector.SPECIES_PREFERRED;

    private VectorElementOps() {
    }

    @Override
    public String name() {
        return "vector(" + S.length() + " lanes)";
    }

    @Override
    public void squaredDistances(double[] a, int off, int len, double ni, double[] nz, int nzOff) {
        int bound = S.loopBound(len);
        DoubleVector vni = DoubleVector.broadcast(S, ni);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector g = DoubleVector.fromArray(S, a, off + k);
            DoubleVector z = DoubleVector.fromArray(S, nz, nzOff + k);
            g.mul(-2.0).add(vni).add(z).max(0.0).intoArray(a, off + k);
        }
        TAIL.squaredDistances(a, off + k, len - k, ni, nz, nzOff + k);
    }

    @Override
    public void expScaled(double[] a, int off, int len, double s) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector.fromArray(S, a, off + k).mul(s).lanewise(VectorOperators.EXP).intoArray(a, off + k);
        }
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
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector t = DoubleVector.fromArray(S, a, off + k);
            t.add(1.0).mul(t.neg().lanewise(VectorOperators.EXP)).intoArray(a, off + k);
        }
        TAIL.matern32(a, off + k, len - k);
    }

    @Override
    public void matern52(double[] a, int off, int len) {
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector t = DoubleVector.fromArray(S, a, off + k);
            DoubleVector poly = t.mul(t).div(3.0).add(t).add(1.0);
            poly.mul(t.neg().lanewise(VectorOperators.EXP)).intoArray(a, off + k);
        }
        TAIL.matern52(a, off + k, len - k);
    }

    @Override
    public void powAffine(double[] a, int off, int len, double m, double c, double p) {
        int ip = (int) p;
        boolean smallInt = ip == p && ip >= 0 && ip <= 16;
        int bound = S.loopBound(len);
        int k = 0;
        for (; k < bound; k += S.length()) {
            DoubleVector b = DoubleVector.fromArray(S, a, off + k).mul(m).add(c);
            DoubleVector r;
            if (smallInt) {
                r = DoubleVector.broadcast(S, 1.0);
                DoubleVector x = b;
                int e = ip;
                while (e > 0) {
                    if ((e & 1) != 0) {
                        r = r.mul(x);
                    }
                    x = x.mul(x);
                    e >>= 1;
                }
            } else {
                r = b.lanewise(VectorOperators.POW, p);
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
            dst[dOff + k] += s * src[sOff + k];
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
            double[] scratch) {
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
            reluFamilyLayer(scratch, bound, last && !ntk ? out : scratch, last && !ntk ? off : 0,
                    last && ntk ? out : scratch, last && ntk ? off : bound, bound, colCoef[1 + 2 * l], colCoef[2 + 2 * l],
                    rowCoef[1 + 3 * l], rowCoef[2 + 3 * l], rowCoef[3 + 3 * l], con[4]);
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
     * Per element: arccos by the reduction of ArcCosine (z = x² and y = x for x ≤ ½, z = (1 − x)/2 and
     * y = √z above, arcsin y = y + y·z·P(z)), then h = π/2 − θ(x) (arcsin x below ½, π/2 − 2·arcsin y
     * above), whose sign is flipped with c's sign bit so that d = π/2 + h + κ covers both signs
     * without a second blend. Written as one loop with the polynomial's constants inline: C2 compiles
     * it without boxing only while the method stays below its inlining node budget, so helper calls
     * and further branches are kept out. The two square roots run on the divider in parallel with
     * the polynomial's FMAs.
     */
    private static void reluFamilyLayer(double[] buf, int tIn, double[] cOut, int cOff, double[] tOut, int tOff, int len,
            double[] colA, double[] colB, double rowA, double rowB, double rowDelta, double kappa) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        DoubleVector delta = DoubleVector.broadcast(S, rowDelta);
        LongVector sign = LongVector.broadcast(SIGN_SPECIES, Long.MIN_VALUE);
        for (int k = 0; k < len; k += S.length()) {
            DoubleVector c = DoubleVector.fromArray(S, buf, k);
            DoubleVector x = c.abs();
            x = x.blend(one, x.compare(VectorOperators.GT, 1 - ArcCosine.SNAP));
            VectorMask<Double> big = x.compare(VectorOperators.GT, 0.5);
            DoubleVector zb = x.fma(-0.5, 0.5);
            DoubleVector z = x.mul(x).blend(zb, big);
            DoubleVector y = x.blend(zb.sqrt(), big);
            DoubleVector p = DoubleVector.broadcast(S, ArcCosine.P11)
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P10))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P9))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P8))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P7))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P6))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P5))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P4))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P3))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P2))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P1))
                    .fma(z, DoubleVector.broadcast(S, ArcCosine.P0));
            DoubleVector asin = y.mul(z).fma(p, y);
            DoubleVector h = asin.blend(asin.fma(-2.0, Math.PI / 2), big);
            DoubleVector d = h.viewAsIntegralLanes().lanewise(VectorOperators.XOR,
                    c.viewAsIntegralLanes().lanewise(VectorOperators.AND, sign)).viewAsFloatingLanes().reinterpretAsDoubles()
                    .add(Math.PI / 2 + kappa);
            DoubleVector g = d.fma(c, one.sub(x).mul(one.add(x)).sqrt());
            DoubleVector a = DoubleVector.fromArray(S, colA, k).mul(rowA);
            DoubleVector b = DoubleVector.fromArray(S, colB, k);
            DoubleVector next = a.fma(g, b.mul(rowB));
            a.mul(d).fma(DoubleVector.fromArray(S, buf, tIn + k), b.fma(delta, next)).intoArray(tOut, tOff + k);
            next.intoArray(cOut, cOff + k);
        }
    }
}
