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
    public void scale(double[] a, int len, double s) {
        for (int k = 0; k < len; k++) {
            a[k] *= s;
        }
    }

    @Override
    public void reluFamilyLayer(double[] q, double[] theta, int off, int len, double si, double[] sj, double[] rj, int sjOff, double[] coef) {
        double a2 = coef[0];
        double ab2 = coef[1];
        double w = coef[2];
        double bias = coef[3];
        double alpha = coef[4];
        double beta = coef[5];
        double inv2pi = 1 / (2 * Math.PI);
        double ri = si > 0 ? 1 / si : 0;
        for (int k = 0; k < len; k++) {
            double p = si * sj[sjOff + k];
            double c = q[off + k] * ri * rj[sjOff + k];
            c = c > 1 ? 1 : (c < -1 ? -1 : c);
            double th = Math.acos(c);
            double s = Math.sqrt((1 - c) * (1 + c));
            double t = p * inv2pi * (a2 * (s + (Math.PI - th) * c) - ab2 * (s - th * c));
            if (theta != null) {
                double td = (a2 * (Math.PI - th) + ab2 * th) * inv2pi;
                theta[off + k] = alpha * t + beta + w * td * theta[off + k];
            }
            q[off + k] = w * t + bias;
        }
    }
}
