package org.kernels4j.approx;

/**
 * A small in-place complex discrete Fourier transform of any length, X_k = Σ_j x_j·e^{∓2πi·jk/N}: iterative
 * radix-2 Cooley–Tukey for powers of two and Bluestein's chirp-z algorithm (three radix-2 transforms of length
 * ≥ 2N − 1) otherwise, O(N log N) either way. Hand-written because the core module depends on nothing but the
 * BLAS binding (and commons-statistics), JTransforms is not among the artifacts the build may fetch, and
 * {@link TensorSketch} needs only this one transform. One instance per length: it caches the twiddles and the
 * chirp, and is immutable; the work arrays are the caller's.
 */
final class Fft {
    private final int n;
    private final int m; // radix-2 length used: n itself, or Bluestein's padded length
    private final double[] cos; // cos(2πk/m), k < m/2
    private final double[] sin;
    private final double[] chirpRe; // w_j = e^{−iπ j²/n}, j < n
    private final double[] chirpIm;
    private final double[] kernelRe; // FFT of the conjugate chirp, length m (Bluestein only)
    private final double[] kernelIm;

    Fft(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("FFT length " + n);
        }
        this.n = n;
        boolean pow2 = Integer.bitCount(n) == 1;
        this.m = pow2 ? n : Integer.highestOneBit(2 * n - 1) << 1;
        cos = new double[m / 2 + 1];
        sin = new double[m / 2 + 1];
        for (int k = 0; k < cos.length; k++) {
            cos[k] = Math.cos(2 * Math.PI * k / m);
            sin[k] = Math.sin(2 * Math.PI * k / m);
        }
        if (pow2) {
            chirpRe = chirpIm = kernelRe = kernelIm = null;
            return;
        }
        chirpRe = new double[n];
        chirpIm = new double[n];
        for (int j = 0; j < n; j++) {
            // j² mod 2n keeps the angle small and exact for large j
            long sq = (long) j * j % (2L * n);
            double a = Math.PI * sq / n;
            chirpRe[j] = Math.cos(a);
            chirpIm[j] = -Math.sin(a);
        }
        kernelRe = new double[m];
        kernelIm = new double[m];
        kernelRe[0] = chirpRe[0];
        kernelIm[0] = -chirpIm[0];
        for (int j = 1; j < n; j++) {
            kernelRe[j] = kernelRe[m - j] = chirpRe[j];
            kernelIm[j] = kernelIm[m - j] = -chirpIm[j];
        }
        radix2(kernelRe, kernelIm);
    }

    /** The forward (inverse = false: e^{−2πi jk/N}) or unnormalised inverse (e^{+2πi jk/N}) transform, in place. */
    void transform(double[] re, double[] im, boolean inverse) {
        if (inverse) { // DFT⁻¹ without the 1/N: conj(DFT(conj x))
            for (int j = 0; j < n; j++) {
                im[j] = -im[j];
            }
        }
        if (m == n) {
            radix2(re, im);
        } else {
            bluestein(re, im);
        }
        if (inverse) {
            for (int j = 0; j < n; j++) {
                im[j] = -im[j];
            }
        }
    }

    /** Bluestein: X_k = w_k·Σ_j (x_j w_j)·conj(w_{k−j}), a convolution done by radix-2 FFTs of length m. */
    private void bluestein(double[] re, double[] im) {
        double[] ar = new double[m];
        double[] ai = new double[m];
        for (int j = 0; j < n; j++) {
            ar[j] = re[j] * chirpRe[j] - im[j] * chirpIm[j];
            ai[j] = re[j] * chirpIm[j] + im[j] * chirpRe[j];
        }
        radix2(ar, ai);
        for (int k = 0; k < m; k++) {
            double r = ar[k] * kernelRe[k] - ai[k] * kernelIm[k];
            double i = ar[k] * kernelIm[k] + ai[k] * kernelRe[k];
            ar[k] = r;
            ai[k] = -i; // conjugate, so the forward transform below acts as an inverse
        }
        radix2(ar, ai);
        for (int k = 0; k < n; k++) {
            double r = ar[k] / m;
            double i = -ai[k] / m;
            re[k] = r * chirpRe[k] - i * chirpIm[k];
            im[k] = r * chirpIm[k] + i * chirpRe[k];
        }
    }

    /** Iterative radix-2 forward transform of length m (bit reversal, then butterflies). */
    private void radix2(double[] re, double[] im) {
        for (int i = 1, j = 0; i < m; i++) {
            int bit = m >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= m; len <<= 1) {
            int half = len >> 1;
            int step = m / len;
            for (int i = 0; i < m; i += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = -sin[k * step];
                    int a = i + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }
    }
}
