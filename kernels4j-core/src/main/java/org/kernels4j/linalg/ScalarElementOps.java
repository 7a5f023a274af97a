package org.kernels4j.linalg;

/** Plain-Java element-wise passes: the fallback and the reference for {@link VectorElementOps}. */
final class ScalarElementOps implements ElementOps {
    static final ScalarElementOps INSTANCE = new ScalarElementOps();

    private ScalarElementOps() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void squaredDistances(double[] a, int off, int len, double ni, double[] nz, int nzOff) {
        for (int k = 0; k < len; k++) {
            a[off + k] = Math.max(ni + nz[nzOff + k] - 2 * a[off + k], 0.0);
        }
    }

    @Override
    public void expScaled(double[] a, int off, int len, double s) {
        for (int k = off; k < off + len; k++) {
            a[k] = Math.exp(s * a[k]);
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
            a[k] = (1 + t) * Math.exp(-t);
        }
    }

    @Override
    public void matern52(double[] a, int off, int len) {
        for (int k = off; k < off + len; k++) {
            double t = a[k];
            a[k] = (1 + t + t * t / 3) * Math.exp(-t);
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
            dst[dOff + k] += s * src[sOff + k];
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
}
