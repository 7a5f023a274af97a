package org.kernels4j.linalg;

/** Plain-Java element-wise passes: the fallback and the reference for {@link VectorElementOps}. */
class ScalarElementOps implements ElementOps {
    static final ScalarElementOps INSTANCE = new ScalarElementOps();
    /** 1/ln 2. */
    static final double LOG2_E = 1.4426950408889634;
    /** ln 2 split so that n·LN2_HI is exact for |n| ≤ 2¹¹ (fdlibm's constants). */
    static final double LN2_HI = 6.93147180369123816490e-01;
    static final double LN2_LO = 1.90821492927058770002e-10;
    /** 1.5·2⁵²: adding it rounds to an integer held in the low mantissa bits. */
    static final double SHIFT = 0x1.8p52;
    static final long SHIFT_BITS = Double.doubleToRawLongBits(SHIFT);
    /** c_k = 1/(k+1)! for k = 0 … 12: exp(r) = 1 + r·Σ c_k r^k. */
    static final double C0 = 1.0;
    static final double C1 = 0.5;
    static final double C2 = 1.0 / 6.0;
    static final double C3 = 1.0 / 24.0;
    static final double C4 = 1.0 / 120.0;
    static final double C5 = 1.0 / 720.0;
    static final double C6 = 1.0 / 5040.0;
    static final double C7 = 1.0 / 40320.0;
    static final double C8 = 1.0 / 362880.0;
    static final double C9 = 1.0 / 3628800.0;
    static final double C10 = 1.0 / 39916800.0;
    static final double C11 = 1.0 / 479001600.0;
    static final double C12 = 1.0 / 6227020800.0;

    /**
     * e^x to within about one ulp, computed only with IEEE-754 operations that every Java execution
     * tier rounds the same way (+, −, ×, fused multiply-add, bit moves), so that this scalar code
     * and {@link VectorElementOps}' lane-wise twin give bit-identical results, in the interpreter and
     * after JIT compilation alike. (The Vector API's own EXP is an intrinsic whose last bit differs
     * between tiers, which made the same command give different model files from run to run.)
     *
     * <p>x = n·ln 2 + r with n = rint(x/ln 2) and |r| ≤ ln 2 / 2 (Cody–Waite reduction with FMA),
     * e^r = 1 + r·q(r) with q the degree-12 Taylor polynomial of (e^r − 1)/r (truncation below
     * 5·10⁻¹⁸) evaluated by Estrin's scheme (dependency depth 5 instead of Horner's 12, which the
     * vector pass needs to keep up with the hardware's own exponential), then scaling by 2^n in two steps so that subnormal results round once. Overflow
     * gives +∞ (x &gt; 709.78), underflow 0 (x &lt; −745.13), NaN stays NaN.
     */
    static double exp(double x) {
        double xc = Math.min(Math.max(x, -746.0), 710.0);
        double t = Math.fma(xc, LOG2_E, SHIFT);
        double n = t - SHIFT;
        long ni = Double.doubleToRawLongBits(t) - SHIFT_BITS;
        double r = Math.fma(-n, LN2_HI, xc);
        r = Math.fma(-n, LN2_LO, r);
        double r2 = r * r;
        double r4 = r2 * r2;
        double q0 = Math.fma(Math.fma(C3, r, C2), r2, Math.fma(C1, r, C0));
        double q1 = Math.fma(Math.fma(C7, r, C6), r2, Math.fma(C5, r, C4));
        double q2 = Math.fma(Math.fma(C11, r, C10), r2, Math.fma(C9, r, C8));
        double q = Math.fma(Math.fma(C12, r4, q2), r4 * r4, Math.fma(q1, r4, q0));
        double y = Math.fma(r, q, 1.0);
        long n1 = ni >> 1;
        long n2 = ni - n1;
        return y * Double.longBitsToDouble((n1 + 1023) << 52) * Double.longBitsToDouble((n2 + 1023) << 52);
    }

    /** The one instance, and {@link WarmingElementOps}' variant of it. */
    ScalarElementOps() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public boolean squaredDistances(double[] a, int off, int len, double ni, double[] nz, int nzOff) {
        boolean lost = false;
        for (int k = 0; k < len; k++) {
            double r = a[off + k] * -2.0 + ni + nz[nzOff + k]; // the vector pass's order
            lost |= !(r >= CANCELLATION * (ni + nz[nzOff + k]));
            a[off + k] = Math.max(r, 0.0);
        }
        return lost;
    }

    @Override
    public void expScaled(double[] a, int off, int len, double s) {
        for (int k = off; k < off + len; k++) {
            a[k] = exp(a[k] * s);
        }
    }

    @Override
    public void sqrtScaled(double[] a, int off, int len, double s) {
        for (int k = off; k < off + len; k++) {
            a[k] = s * Math.sqrt(a[k]);
        }
    }

    @Override
    public void matern32(double[] a, int off, int len) {
        for (int k = off; k < off + len; k++) {
            double t = a[k];
            double e = exp(-t);
            a[k] = e == 0 ? 0 : (t + 1) * e; // at t = ∞ (or t² overflowing) the product would be ∞·0
        }
    }

    @Override
    public void matern52(double[] a, int off, int len) {
        for (int k = off; k < off + len; k++) {
            double t = a[k];
            double e = exp(-t);
            a[k] = e == 0 ? 0 : (t * t / 3 + t + 1) * e;
        }
    }

    @Override
    public void powAffine(double[] a, int off, int len, double m, double c, double p) {
        int ip = (int) p;
        boolean smallInt = ip == p && ip >= 0 && ip <= 16;
        for (int k = off; k < off + len; k++) {
            double b = m * a[k] + c;
            a[k] = smallInt ? intPow(b, ip) : Math.pow(b, p);
        }
    }

    static double intPow(double b, int p) {
        double r = 1;
        double x = b;
        int e = p;
        while (e > 0) {
            if ((e & 1) != 0) {
                r *= x;
            }
            x *= x;
            e >>= 1;
        }
        return r;
    }

    @Override
    public void scaleOuter(double[] a, int off, int len, double ri, double[] rz, int rzOff) {
        for (int k = 0; k < len; k++) {
            a[off + k] *= ri * rz[rzOff + k];
        }
    }

    @Override
    public void addScaled(double[] dst, double[] src, int len, double s) {
        for (int k = 0; k < len; k++) {
            dst[k] += s * src[k];
        }
    }

    @Override
    public void multiply(double[] dst, double[] src, int len) {
        for (int k = 0; k < len; k++) {
            dst[k] *= src[k];
        }
    }

    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        // four partial sums: one running sum would serialize on the add latency
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int k = 0;
        for (; k + 3 < len; k += 4) {
            s0 += a[aOff + k] * b[bOff + k];
            s1 += a[aOff + k + 1] * b[bOff + k + 1];
            s2 += a[aOff + k + 2] * b[bOff + k + 2];
            s3 += a[aOff + k + 3] * b[bOff + k + 3];
        }
        for (; k < len; k++) {
            s0 += a[aOff + k] * b[bOff + k];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public void axpy(double[] dst, int dOff, double[] src, int sOff, int len, double s) {
        for (int k = 0; k < len; k++) {
            dst[dOff + k] = Math.fma(src[sOff + k], s, dst[dOff + k]); // the vector pass's rounding
        }
    }

    @Override
    public void scale(double[] a, int len, double s) {
        for (int k = 0; k < len; k++) {
            a[k] *= s;
        }
    }

    @Override
    public void reluFamilyRow(double[] out, int off, int len, double[] rowCoef, double[][] colCoef, double[] con,
            double[] cLower, double[] scratch) {
        reluFamilyRow(out, off, len, 0, rowCoef, colCoef, con);
    }

    /** As {@link #reluFamilyRow}, for columns starting at {@code col}: element off + k is column col + k. */
    static void reluFamilyRow(double[] out, int off, int len, int col, double[] rowCoef, double[][] colCoef,
            double[] con) {
        int depth = (rowCoef.length - 1) / 3;
        double kappa = con[4];
        for (int k = 0; k < len; k++) {
            int j = col + k;
            double ip = out[off + k];
            double r = rowCoef[0] * colCoef[0][j];
            double c = (con[0] * ip + con[1]) * r;
            double t = (con[2] * ip + con[3]) * r;
            for (int l = 0; l < depth; l++) {
                double x = Math.abs(c);
                x = x > 1 - ArcCosine.SNAP ? 1 : x;
                double theta = ArcCosine.acos(x);
                double d = (c >= 0 ? Math.PI - theta : theta) + kappa;
                double g = Math.sqrt((1 - x) * (1 + x)) + d * c;
                double a = rowCoef[1 + 3 * l] * colCoef[1 + 2 * l][j];
                double b = colCoef[2 + 2 * l][j];
                double next = a * g + rowCoef[2 + 3 * l] * b;
                t = a * d * t + next + rowCoef[3 + 3 * l] * b;
                c = next;
            }
            out[off + k] = con[6] != 0 ? con[5] * t : c;
        }
    }

    @Override
    public void addMaskedShifted(double[] dst, double[] src, double[] mask, int lo, int hi, int shift) {
        for (int k = lo; k < hi; k++) {
            dst[k] = Math.fma(mask[k], src[k + shift], dst[k]); // the vector pass's rounding
        }
    }

    @Override
    public void reluFamilyDualOuter(double[] k, double[] t, int off, int len, double sRow, double rRow, double[] sCol,
            double[] rCol, int colOff, double nu, double kappa) {
        double sNu = sRow * nu;
        for (int i = 0; i < len; i++) {
            double c = k[off + i] * (rCol[colOff + i] * rRow);
            double x = Math.abs(c);
            x = x > 1 - ArcCosine.SNAP ? 1 : x;
            c = Math.copySign(x, c);
            double d = Math.PI - ArcCosine.acos(c) + kappa;
            k[off + i] = Math.fma(d, c, Math.sqrt((1 - x) * (1 + x))) * (sCol[colOff + i] * sNu);
            if (t != null) {
                t[off + i] *= d * nu;
            }
        }
    }
}
