package org.kernels4j.linalg;

import jdk.incubator.vector.DoubleVector;
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
    public void reluFamilyRow(double[] q, double[] theta, int off, int len, double[] si, double[][] sj, double[][] rj,
            double[] coef, double[] scratch) {
        int bound = S.loopBound(len);
        int depth = si.length;
        double ri = si[0] > 0 ? 1 / si[0] : 0;
        for (int k = 0; k < bound; k += S.length()) {
            clip(DoubleVector.fromArray(S, q, off + k).mul(DoubleVector.fromArray(S, rj[0], k)).mul(ri))
                    .intoArray(scratch, k);
        }
        for (int l = 0; l < depth; l++) {
            arcCosineAndSine(scratch, bound);
            boolean last = l == depth - 1;
            double nextRi = last || si[l + 1] <= 0 ? 0 : 1 / si[l + 1];
            reluFamilyCombine(q, theta, off, bound, si[l], sj[l], coef, scratch, last ? null : rj[l + 1], nextRi);
        }
        ScalarElementOps.reluFamilyRow(q, theta, off + bound, len - bound, bound, si, sj, rj, coef);
    }

    /*
     * θ = arccos c into buf[len ..] and √(1−c²) into buf[2·len ..], from c in buf[0 ..]. Kept as
     * its own method with Horner's rule written out on constants: inlined into a larger loop (or
     * with helper calls), it exceeds C2's inlining node budget, the vectors get boxed and the pass
     * runs 4× slower. Its bytecode is larger than C2's FreqInlineSize, so it is compiled alone.
     */
    private static void arcCosineAndSine(double[] buf, int len) {
        for (int k = 0; k < len; k += S.length()) {
            DoubleVector c = DoubleVector.fromArray(S, buf, k);
            DoubleVector x = c.abs();
            VectorMask<Double> big = x.compare(VectorOperators.GT, 0.5);
            DoubleVector z = x.mul(x).blend(x.neg().add(1.0).mul(0.5), big);
            DoubleVector y = x.blend(z.sqrt(), big);
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
            DoubleVector root = z.neg().add(1.0).sqrt();
            DoubleVector thetaAbs = asin.neg().add(Math.PI / 2).blend(asin.add(asin), big);
            thetaAbs.blend(thetaAbs.neg().add(Math.PI), c.compare(VectorOperators.LT, 0.0)).intoArray(buf, len + k);
            root.mul(DoubleVector.broadcast(S, 1.0).blend(y.add(y), big)).intoArray(buf, 2 * len + k);
        }
    }

    /**
     * The rest of layer l from c, θ, s in buf: updates theta; then either stores the next layer's
     * correlations into buf[0 ..] (nextRj not null) or, after the last layer, the covariances into q.
     */
    private static void reluFamilyCombine(double[] q, double[] theta, int off, int len, double si, double[] sj,
            double[] coef, double[] buf, double[] nextRj, double nextRi) {
        double a2 = coef[0] / (2 * Math.PI);
        double ab2 = coef[1] / (2 * Math.PI);
        double w = coef[2];
        double bias = coef[3];
        double alpha = coef[4];
        double beta = coef[5];
        for (int k = 0; k < len; k += S.length()) {
            DoubleVector c = DoubleVector.fromArray(S, buf, k);
            DoubleVector th = DoubleVector.fromArray(S, buf, len + k);
            DoubleVector s = DoubleVector.fromArray(S, buf, 2 * len + k);
            DoubleVector piMinus = th.neg().add(Math.PI);
            DoubleVector t = s.add(piMinus.mul(c)).mul(a2).sub(s.sub(th.mul(c)).mul(ab2))
                    .mul(DoubleVector.fromArray(S, sj, k).mul(si));
            if (theta != null) {
                DoubleVector td = piMinus.mul(a2).add(th.mul(ab2));
                DoubleVector old = DoubleVector.fromArray(S, theta, off + k);
                t.mul(alpha).add(beta).add(td.mul(w).mul(old)).intoArray(theta, off + k);
            }
            DoubleVector next = t.mul(w).add(bias);
            if (nextRj == null) {
                next.intoArray(q, off + k);
            } else {
                clip(next.mul(DoubleVector.fromArray(S, nextRj, k)).mul(nextRi)).intoArray(buf, k);
            }
        }
    }

    /** {@link ArcCosine#clipCorrelation}, lane-wise. */
    private static DoubleVector clip(DoubleVector c) {
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        return c.blend(one, c.compare(VectorOperators.GT, 1 - ArcCosine.SNAP))
                .blend(one.neg(), c.compare(VectorOperators.LT, ArcCosine.SNAP - 1));
    }
}
