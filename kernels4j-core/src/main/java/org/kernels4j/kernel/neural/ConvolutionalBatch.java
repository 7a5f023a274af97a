package org.kernels4j.kernel.neural;

import java.util.Arrays;
import org.kernels4j.linalg.ElementOps;

/**
 * {@link ConvolutionalKernel}'s all-position-pairs recursion for one sample x against a batch of up
 * to {@link #WIDTH} samples z_j at once, with the batch stored innermost: entry (p, p') of pair
 * (x, z_j), positions p = (a, u) and p' = (b, v) of an h×w layer, lives at
 * ((a·h + b)·w² + u·w + v)·B + j (B = {@link #WIDTH}).
 *
 * <p>Why this layout: one pair's arrays are P×P with rows of w entries (8 for 8×8 digits), so
 * every pass ran over short rows and the activation first built σσ' and 1/(σσ') entry by entry
 * (a fifth of the time in a profile). With the batch innermost a convolution tap is one contiguous
 * addition of (valid outputs)·B doubles, the outer axis adds blocks of w²·B, and the activation's
 * σσ' is x's standard deviation at p times the contiguous row of the batch's deviations at p'
 * ({@link ElementOps#reluFamilyDualOuter}), so each pass is a long vectorized loop. The batch's
 * inputs and per-layer variances are laid out once per batch and reused for every x of a Gram tile.
 *
 * <p>Memory: four arrays of P²·B doubles (K, Θ and a buffer for each) and O(P·B·layers) for the
 * batch's variances. Values are the same recursion as {@code ConvolutionalKernel.run} entry for
 * entry (only the ReLU-family dual rounds differently, by a few ulp).
 */
final class ConvolutionalBatch {
    /** Pairs per batch: one AVX-512 vector of doubles, two of AVX2. */
    static final int WIDTH = 8;
    private static final int B = WIDTH;

    private final ConvolutionalKernel.Plan plan;
    private final boolean ntk;
    private final boolean standard;
    private final boolean gap;
    private final double wVar;
    private final double bVar;
    private final int channels;
    private double[] k;
    private double[] t;
    private double[] k2;
    private double[] t2;
    /** The batch's inputs, [p'][channel][j]. */
    private final double[] zt;
    /** Per activation: the batch's pre-activation variances, standard deviations and their inverses, [p'][j]. */
    private final double[][] colVar;
    private final double[][] colS;
    private final double[][] colR;

    ConvolutionalBatch(ConvolutionalKernel kernel, ConvolutionalKernel.Plan plan) {
        this.plan = plan;
        this.ntk = kernel.kind() == NeuralKernel.Kind.NTK;
        this.standard = kernel.standardParameterization();
        this.gap = kernel.readout() == ConvolutionalKernel.Readout.GAP;
        this.wVar = kernel.weightVariance();
        this.bVar = kernel.biasVariance();
        this.channels = plan.channels();
        int n = plan.maxPositions() * plan.maxPositions() * B;
        k = new double[n];
        t = new double[n];
        k2 = new double[n];
        t2 = new double[n];
        int inPositions = plan.height() * plan.width();
        zt = new double[inPositions * channels * B];
        colVar = new double[plan.activations()][plan.maxPositions() * B];
        colS = new double[plan.activations()][plan.maxPositions() * B];
        colR = new double[plan.activations()][plan.maxPositions() * B];
    }

    /** Doubles this class allocates for a plan (the four state arrays dominate). */
    static long doubles(ConvolutionalKernel.Plan plan) {
        long pos = plan.maxPositions();
        return 4L * pos * pos * B + (long) plan.height() * plan.width() * plan.channels() * B
                + 3L * plan.activations() * pos * B;
    }

    /**
     * Loads the batch: sample j ∈ [0, count) is the row of {@code data} at {@code offsets[j]}, its
     * activations' pre-activation variances {@code variances[j][layer][p']} (from the one-sample run).
     * Lanes count … B − 1 repeat the last sample, so every lane computes valid numbers.
     */
    void columns(double[] data, int[] offsets, double[][][] variances, int count) {
        int positions = plan.height() * plan.width();
        for (int j = 0; j < B; j++) {
            int src = Math.min(j, count - 1);
            int row = offsets[src];
            for (int q = 0; q < positions * channels; q++) {
                zt[q * B + j] = data[row + q];
            }
            for (int a = 0; a < colVar.length; a++) {
                double[] v = variances[src][a];
                for (int q = 0; q < v.length; q++) {
                    double s = Math.sqrt(v[q]);
                    colVar[a][q * B + j] = v[q];
                    colS[a][q * B + j] = s;
                    colR[a][q * B + j] = s > 0 ? 1 / s : 0;
                }
            }
        }
    }

    /**
     * The kernel of x (row at {@code xo}, activation variances {@code vx}) with the batch's B
     * samples: out[outOff + j] for j ∈ [0, B) (lanes beyond the batch's count repeat its last).
     */
    void run(double[] x, int xo, double[][] vx, double[] out, int outOff) {
        int h = plan.height();
        int w = plan.width();
        int c = channels;
        double invC = 1.0 / c;
        for (int a = 0; a < h; a++) {
            for (int b = 0; b < h; b++) {
                for (int u = 0; u < w; u++) {
                    int xp = xo + (a * w + u) * c;
                    int base = ((a * h + b) * w + u) * w * B;
                    if (c == 1) {
                        // one channel: a row of the batch's inputs times one number (a vectorized loop)
                        double xv = x[xp];
                        int zp = b * w * B;
                        for (int i = 0; i < w * B; i++) {
                            k[base + i] = xv * zt[zp + i] * invC;
                        }
                        continue;
                    }
                    for (int v = 0; v < w; v++) {
                        int zp = (b * w + v) * c * B;
                        int e = base + v * B;
                        for (int j = 0; j < B; j++) {
                            double s = 0;
                            for (int ch = 0; ch < c; ch++) {
                                s += x[xp + ch] * zt[zp + ch * B + j];
                            }
                            k[e + j] = s * invC;
                        }
                    }
                }
            }
        }
        int size = h * h * w * w * B;
        if (ntk) {
            Arrays.fill(t, 0, size, 0.0);
        }
        int act = 0;
        for (ConvolutionalKernel.Step s : plan.steps()) {
            if (s.h() == null) {
                activate(s.layer().activation(), act, vx[act], h, w);
                act++;
                continue;
            }
            int hw = s.w().out();
            if (!s.w().identity()) {
                inner(s.w(), k, k2, h, w);
                if (ntk) {
                    inner(s.w(), t, t2, h, w);
                }
                swap();
            }
            outer(s.h(), k, k2, h, hw);
            if (ntk) {
                outer(s.h(), t, t2, h, hw);
            }
            swap();
            h = s.h().out();
            w = hw;
            size = h * h * w * w * B;
            if (s.layer().conv()) {
                double norm = 1.0 / (s.h().taps() * s.w().taps());
                double wk = wVar * norm;
                double coefK = (standard ? s.fanIn() : wVar) * norm;
                double coefB = standard ? 1 : bVar;
                for (int e = 0; e < size; e++) {
                    double ak = k[e];
                    k[e] = wk * ak + bVar;
                    if (ntk) {
                        t[e] = wk * t[e] + coefK * ak + coefB;
                    }
                }
            } else {
                double norm = 1.0 / ((double) s.h().taps() * s.h().taps() * s.w().taps() * s.w().taps());
                for (int e = 0; e < size; e++) {
                    k[e] *= norm;
                    t[e] *= norm;
                }
            }
        }
        readout(h, w, size, out, outOff);
    }

    private void readout(int h, int w, int size, double[] out, int outOff) {
        double[] mk = new double[B];
        double[] mt = new double[B];
        int positions = h * w;
        if (!gap) {
            for (int a = 0; a < h; a++) {
                for (int u = 0; u < w; u++) {
                    int e = ((a * h + a) * w * w + u * w + u) * B;
                    for (int j = 0; j < B; j++) {
                        mk[j] += k[e + j];
                        mt[j] += t[e + j];
                    }
                }
            }
        } else {
            for (int e = 0; e < size; e += B) {
                for (int j = 0; j < B; j++) {
                    mk[j] += k[e + j];
                    mt[j] += t[e + j];
                }
            }
        }
        double entries = gap ? (double) positions * positions : positions;
        double fanIn = plan.outChannels() * (gap ? 1.0 : positions);
        for (int j = 0; j < B; j++) {
            double m = mk[j] / entries;
            double value = wVar * m + bVar;
            out[outOff + j] = !ntk ? value : wVar * (mt[j] / entries) + (standard ? fanIn * m + 1 : value);
        }
    }

    /** K ← T(K), Θ ← Θ·Ṫ(K) entry by entry; qx: x's variances at this layer, the batch's in colVar[act]. */
    private void activate(Activation phi, int act, double[] qx, int h, int w) {
        if (phi instanceof Activation.AbRelu && ((Activation.AbRelu) phi).a != ((Activation.AbRelu) phi).b) {
            Activation.AbRelu ab = (Activation.AbRelu) phi;
            // T = ν·σσ'·(s + d·c), Ṫ = ν·d with d = π − θ + κ (see ElementOps#reluFamilyDualOuter)
            double diff = (ab.a - ab.b) * (ab.a - ab.b);
            double nu = diff / (2 * Math.PI);
            double kappa = 2 * ab.a * ab.b * Math.PI / diff;
            ElementOps ops = ElementOps.get();
            for (int a = 0; a < h; a++) {
                for (int u = 0; u < w; u++) {
                    int p = a * w + u;
                    double sx = Math.sqrt(qx[p]);
                    double rx = sx > 0 ? 1 / sx : 0;
                    for (int b = 0; b < h; b++) {
                        int e = ((a * h + b) * w + u) * w * B;
                        ops.reluFamilyDualOuter(k, ntk ? t : null, e, w * B, sx, rx, colS[act], colR[act], b * w * B,
                                nu, kappa);
                    }
                }
            }
            return;
        }
        double[] qz = colVar[act];
        for (int a = 0; a < h; a++) {
            for (int b = 0; b < h; b++) {
                for (int u = 0; u < w; u++) {
                    double q11 = qx[a * w + u];
                    int base = ((a * h + b) * w + u) * w * B;
                    for (int v = 0; v < w; v++) {
                        int e = base + v * B;
                        int col = (b * w + v) * B;
                        for (int j = 0; j < B; j++) {
                            double kk = k[e + j];
                            double q22 = qz[col + j];
                            k[e + j] = phi.pair(q11, kk, q22);
                            if (ntk) {
                                t[e + j] *= phi.derivativePair(q11, kk, q22);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The linear map along the inner (w) axis pair, per [h][h'] block: output [q][q'] = Σ taps
     * in[u(q)][u'(q')] (the same tap on both sides for a convolution, every tap pair for pooling),
     * each term a run of B doubles; a stride-1 zero-padded convolution adds all valid q' of one
     * tap as one run of (valid q')·B doubles.
     */
    private static void inner(ConvolutionalKernel.Axis ax, double[] in, double[] out, int h, int w) {
        int no = ax.out();
        int inBlock = w * w * B;
        int outBlock = no * no * B;
        boolean contiguous = !ax.pool() && ax.stride() == 1 && !ax.wrap();
        for (int blk = 0; blk < h * h; blk++) {
            int ib = blk * inBlock;
            int ob = blk * outBlock;
            Arrays.fill(out, ob, ob + outBlock, 0.0);
            for (int q = 0; q < no; q++) {
                int orow = ob + q * no * B;
                for (int tap = 0; tap < ax.taps(); tap++) {
                    int u = ax.index(q, tap);
                    if (u < 0) {
                        continue;
                    }
                    int irow = ib + u * w * B;
                    if (contiguous) {
                        int delta = tap - ax.before();
                        int lo = Math.max(0, -delta);
                        int hi = Math.min(no, w - delta);
                        if (hi > lo) {
                            add(in, irow + (lo + delta) * B, out, orow + lo * B, (hi - lo) * B);
                        }
                        continue;
                    }
                    for (int q2 = 0; q2 < no; q2++) {
                        if (ax.pool()) {
                            for (int t2 = 0; t2 < ax.taps(); t2++) {
                                add(in, irow + ax.index(q2, t2) * B, out, orow + q2 * B, B);
                            }
                        } else {
                            int u2 = ax.index(q2, tap);
                            if (u2 >= 0) {
                                add(in, irow + u2 * B, out, orow + q2 * B, B);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The linear map along the outer (h) axis pair: whole [w][w'][B] blocks are added. */
    private static void outer(ConvolutionalKernel.Axis ax, double[] in, double[] out, int h, int w) {
        int no = ax.out();
        int blk = w * w * B;
        for (int q = 0; q < no; q++) {
            for (int q2 = 0; q2 < no; q2++) {
                int ob = (q * no + q2) * blk;
                Arrays.fill(out, ob, ob + blk, 0.0);
                for (int tap = 0; tap < ax.taps(); tap++) {
                    int u = ax.index(q, tap);
                    if (u < 0) {
                        continue;
                    }
                    if (ax.pool()) {
                        for (int t2 = 0; t2 < ax.taps(); t2++) {
                            add(in, (u * h + ax.index(q2, t2)) * blk, out, ob, blk);
                        }
                    } else {
                        int u2 = ax.index(q2, tap);
                        if (u2 >= 0) {
                            add(in, (u * h + u2) * blk, out, ob, blk);
                        }
                    }
                }
            }
        }
    }

    private static void add(double[] in, int from, double[] out, int to, int n) {
        ElementOps.get().axpy(out, to, in, from, n, 1.0);
    }

    private void swap() {
        double[] a = k;
        k = k2;
        k2 = a;
        a = t;
        t = t2;
        t2 = a;
    }
}
