package org.kernels4j.kernel.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The convolutional NNGP/NTK against a brute-force evaluation of the recursion written here from the
 * definition: covariances as P×P arrays over position pairs (always, even where the kernel keeps only
 * the diagonal), each convolution output entry as an explicit sum over the filter's taps with the
 * padding worked out per tap, duals through {@link Activation#pair} (not the kernel's ReLU fast
 * path), pooling as a sum over both windows; and the special cases (1×1 images, trees).
 */
class ConvolutionalKernelTest {

    /** Brute-force network description: shape, layers, read-out, padding, variances, parameterization. */
    record Net(int hh, int ww, int cc, boolean twoD, List<String> layers, boolean gap, String padding, double w,
            double b, boolean ntk, int stdWidth) {
    }

    /** Input positions of output q along an axis of n for filter f, stride s (−1 = zero padding). */
    static int[] taps(int n, int q, int f, int s, String padding) {
        int before = 0;
        if (!padding.equals("valid")) {
            int out = (int) Math.ceil(n / (double) s);
            before = Math.max((out - 1) * s + f - n, 0) / 2;
        }
        int[] idx = new int[f];
        for (int t = 0; t < f; t++) {
            int u = q * s + t - before;
            idx[t] = padding.equals("circular") ? ((u % n) + n) % n : (u >= 0 && u < n ? u : -1);
        }
        return idx;
    }

    static int outSize(int n, int f, int s, String padding) {
        return padding.equals("valid") ? (n - f) / s + 1 : (int) Math.ceil(n / (double) s);
    }

    /** The network's kernel of (x, z) by the recursion on full P×P arrays: [K, Θ]. */
    static double[] bruteForce(Net net, double[] x, double[] z) {
        double[][][] kk = new double[3][][]; // 0: (x, z), 1: (x, x), 2: (z, z)
        double[][][] th = new double[3][][];
        double[][] in = {x, z};
        int[][] who = {{0, 1}, {0, 0}, {1, 1}};
        int h = net.hh;
        int w = net.ww;
        int pos = h * w;
        for (int m = 0; m < 3; m++) {
            kk[m] = new double[pos][pos];
            th[m] = new double[pos][pos];
            for (int p = 0; p < pos; p++) {
                for (int p2 = 0; p2 < pos; p2++) {
                    double s = 0;
                    for (int c = 0; c < net.cc; c++) {
                        s += in[who[m][0]][p * net.cc + c] * in[who[m][1]][p2 * net.cc + c];
                    }
                    kk[m][p][p2] = s / net.cc;
                }
            }
        }
        int channels = net.cc;
        for (String layer : net.layers) {
            if (layer.startsWith("conv") || layer.startsWith("pool")) {
                boolean pool = layer.startsWith("pool");
                String[] parts = layer.substring(4).split("s");
                int f = Integer.parseInt(parts[0]);
                int s = pool ? f : parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
                String pad = pool ? "valid" : net.padding;
                int fw = net.twoD ? f : 1;
                int sw = net.twoD ? s : 1;
                int oh = outSize(h, f, s, pad);
                int ow = net.twoD ? outSize(w, f, s, pad) : 1;
                double fanIn = channels * f * fw;
                for (int m = 0; m < 3; m++) {
                    double[][] nk = new double[oh * ow][oh * ow];
                    double[][] nt = new double[oh * ow][oh * ow];
                    for (int q1 = 0; q1 < oh; q1++) {
                        for (int q2 = 0; q2 < ow; q2++) {
                            for (int r1 = 0; r1 < oh; r1++) {
                                for (int r2 = 0; r2 < ow; r2++) {
                                    int[] ta = taps(h, q1, f, s, pad);
                                    int[] tb = taps(w, q2, fw, sw, pad);
                                    int[] ua = taps(h, r1, f, s, pad);
                                    int[] ub = taps(w, r2, fw, sw, pad);
                                    double sk = 0;
                                    double st = 0;
                                    for (int i = 0; i < f; i++) {
                                        for (int j = 0; j < fw; j++) {
                                            // convolution: the same tap (i, j) on both sides; pooling: every pair
                                            for (int i2 = pool ? 0 : i; i2 < (pool ? f : i + 1); i2++) {
                                                for (int j2 = pool ? 0 : j; j2 < (pool ? fw : j + 1); j2++) {
                                                    if (ta[i] < 0 || tb[j] < 0 || ua[i2] < 0 || ub[j2] < 0) {
                                                        continue;
                                                    }
                                                    sk += kk[m][ta[i] * w + tb[j]][ua[i2] * w + ub[j2]];
                                                    st += th[m][ta[i] * w + tb[j]][ua[i2] * w + ub[j2]];
                                                }
                                            }
                                        }
                                    }
                                    int o = q1 * ow + q2;
                                    int o2 = r1 * ow + r2;
                                    if (pool) {
                                        nk[o][o2] = sk / (f * fw * f * fw);
                                        nt[o][o2] = st / (f * fw * f * fw);
                                    } else {
                                        double ak = sk / (f * fw);
                                        nk[o][o2] = net.w * ak + net.b;
                                        nt[o][o2] = net.w * st / (f * fw)
                                                + (net.stdWidth > 0 ? fanIn * ak + 1 : net.w * ak + net.b);
                                    }
                                }
                            }
                        }
                    }
                    kk[m] = nk;
                    th[m] = nt;
                }
                if (!pool && net.stdWidth > 0) {
                    channels = net.stdWidth;
                }
                h = oh;
                w = ow;
                pos = h * w;
            } else {
                Activation phi = Activation.named(layer);
                double[][][] nk = new double[3][pos][pos];
                for (int m = 0; m < 3; m++) {
                    double[][] vx = m == 2 ? kk[2] : kk[1];
                    double[][] vz = m == 1 ? kk[1] : kk[2];
                    for (int p = 0; p < pos; p++) {
                        for (int p2 = 0; p2 < pos; p2++) {
                            double q11 = vx[p][p];
                            double q22 = vz[p2][p2];
                            nk[m][p][p2] = phi.pair(q11, kk[m][p][p2], q22);
                            th[m][p][p2] *= phi.derivativePair(q11, kk[m][p][p2], q22);
                        }
                    }
                }
                kk = nk;
            }
        }
        double mk = 0;
        double mt = 0;
        for (int p = 0; p < pos; p++) {
            for (int p2 = 0; p2 < pos; p2++) {
                if (net.gap || p == p2) {
                    mk += kk[0][p][p2];
                    mt += th[0][p][p2];
                }
            }
        }
        double count = net.gap ? (double) pos * pos : pos;
        mk /= count;
        mt /= count;
        double k = net.w * mk + net.b;
        double fanIn = channels * (net.gap ? 1 : pos);
        double t = net.w * mt + (net.stdWidth > 0 ? fanIn * mk + 1 : k);
        return new double[] {k, t};
    }

    static String spec(String kind, Net n) {
        String shape = n.twoD ? "[" + n.hh + ", " + n.ww + ", " + n.cc + "]" : "[" + n.hh + ", " + n.cc + "]";
        return kind + "(shape=" + shape + ", layers=[" + String.join(", ", n.layers) + "], readout="
                + (n.gap ? "gap" : "flatten") + ", padding=" + n.padding + ", w_var=" + n.w + ", b_var=" + n.b
                + (n.stdWidth > 0 && kind.equals("cntk") ? ", param=standard, width=" + n.stdWidth : "") + ")";
    }

    static List<Net> networks() {
        List<Net> out = new ArrayList<>();
        out.add(new Net(5, 4, 2, true, List.of("conv3", "relu", "conv3", "relu"), true, "same", 2, 0.1, true, 0));
        out.add(new Net(5, 4, 2, true, List.of("conv3", "relu", "conv2", "erf"), false, "same", 1.5, 0.2, true, 0));
        out.add(new Net(6, 5, 1, true, List.of("conv3s2", "relu", "conv2", "relu"), true, "circular", 2, 0.05, true, 0));
        out.add(new Net(9, 8, 1, true, List.of("conv3", "relu", "pool2", "conv3", "relu"), false, "valid", 2, 0.1, true, 0));
        out.add(new Net(9, 1, 3, false, List.of("conv3", "gelu", "pool3", "conv2s2", "relu", "conv1"), true, "same", 1.3,
                0.2, true, 0));
        out.add(new Net(10, 1, 2, false, List.of("conv4s2", "leaky", "conv3", "erf"), false, "circular", 1.7, 0.3, true,
                0));
        out.add(new Net(5, 5, 2, true, List.of("conv3", "relu", "conv3", "relu"), true, "same", 2, 0.1, true, 7));
        out.add(new Net(8, 1, 1, false, List.of("conv3s2", "tanh", "conv2"), false, "valid", 1.2, 0.1, true, 11));
        return out;
    }

    @Test
    void matchesTheBruteForceRecursionOnEveryArchitecture() {
        for (Net net0 : networks()) {
            // "leaky" is not a layer name: it stands for step in the reference (a non-ReLU closed form)
            List<String> layers = net0.layers.stream().map(s -> s.equals("leaky") ? "step" : s).toList();
            Net net = new Net(net0.hh, net0.ww, net0.cc, net0.twoD, layers, net0.gap, net0.padding, net0.w, net0.b, true,
                    net0.stdWidth);
            int d = net.hh * net.ww * net.cc;
            Matrix x = TestData.gaussian(4, d, 0.9, 7 + d);
            Kernel nngp = KernelSpec.parse(spec("cnngp", net));
            Kernel ntk = KernelSpec.parse(spec("cntk", net));
            Matrix gk = GramEngine.gram(nngp, x);
            Matrix gt = GramEngine.gram(ntk, x);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    double[] ref = bruteForce(net, x.row(i), x.row(j));
                    String what = spec("cntk", net) + " (" + i + ", " + j + ")";
                    assertEquals(ref[0], gk.get(i, j), 1e-10 * Math.abs(ref[0]) + 1e-12, "NNGP " + what);
                    assertEquals(ref[1], gt.get(i, j), 1e-10 * Math.abs(ref[1]) + 1e-12, "NTK " + what);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "erf", "gelu"})
    void oneByOneImagesWithFilterOneAreTheFullyConnectedKernel(String act) {
        Matrix x = TestData.gaussian(9, 5, 1.1, 31);
        String layers = "[conv1, " + act + ", conv1, " + act + ", conv1, " + act + "]";
        assertClose(GramEngine.gram(KernelSpec.parse("ntk(depth=3, activation=" + act + ", w_var=1.7, b_var=0.2)"), x),
                GramEngine.gram(KernelSpec.parse("cntk(shape=[1, 1, 5], layers=" + layers + ", w_var=1.7, b_var=0.2)"), x));
        assertClose(GramEngine.gram(KernelSpec.parse("nngp(depth=3, activation=" + act + ", w_var=1.7, b_var=0.2)"), x),
                GramEngine.gram(KernelSpec.parse("cnngp(shape=[1, 5], layers=" + layers + ", readout=gap, w_var=1.7, "
                        + "b_var=0.2)"), x));
        assertClose(GramEngine.gram(KernelSpec.parse("ntk(depth=3, activation=" + act
                + ", w_var=1.7, b_var=0.2, param=standard, width=40)"), x),
                GramEngine.gram(KernelSpec.parse("cntk(shape=[1, 1, 5], layers=" + layers
                        + ", w_var=1.7, b_var=0.2, param=standard, width=40)"), x));
    }

    @ParameterizedTest
    @ValueSource(strings = {"relu", "erf"})
    void treeKernelEqualsTheGeneralConvolutionalKernelSoConfigured(String act) {
        for (NeuralKernel.Kind kind : NeuralKernel.Kind.values()) {
            HierarchicalKernel tree = new HierarchicalKernel(kind, 3, 3, Activation.named(act), 1.6, 0.1);
            String layers = "conv3s3, " + act + ", conv3s3, " + act + ", conv3s3, " + act;
            Kernel conv = KernelSpec.parse((kind == NeuralKernel.Kind.NTK ? "cntk" : "cnngp") + "(shape=[27, 1], layers=["
                    + layers + "], padding=valid, w_var=1.6, b_var=0.1)");
            Matrix x = TestData.gaussian(7, 27, 1, 11);
            Matrix z = TestData.gaussian(5, 27, 1, 12);
            assertClose(GramEngine.gram(conv, x), GramEngine.gram(tree, x));
            assertClose(GramEngine.cross(conv, x, z), GramEngine.cross(tree, x, z));
            assertEquals(conv, tree.asConvolutional());
        }
    }

    /**
     * Gram blocks run batches of {@link ConvolutionalBatch#WIDTH} column samples pair-innermost:
     * with 10 rows and 9 other samples there are full batches, partial last batches and diagonal
     * tiles; every entry against the brute-force recursion, for a ReLU network (the vectorized
     * dual), an erf network with strides and pooling (the generic dual, the per-tap path) and the
     * standard parameterization with circular padding on signals.
     */
    @Test
    void batchedGramBlocksMatchTheBruteForceRecursionEntryByEntry() {
        List<Net> nets = List.of(
                new Net(6, 5, 2, true, List.of("conv3", "relu", "conv3", "relu"), true, "same", 2, 0.1, true, 0),
                new Net(7, 6, 1, true, List.of("conv3s2", "erf", "pool2", "conv2", "relu"), false, "same", 1.4, 0.2, true, 0),
                new Net(9, 1, 2, false, List.of("conv3", "relu", "conv2", "relu"), true, "circular", 2, 0.05, true, 5),
                // circular padding along the inner (w) axis of images, and the standard parameterization with
                // readout=flatten after pooling (its fan-in counts the positions)
                new Net(5, 6, 1, true, List.of("conv3", "relu", "conv3", "erf"), true, "circular", 1.8, 0.1, true, 0),
                new Net(7, 6, 1, true, List.of("conv3", "relu", "pool2", "conv2", "relu"), false, "same", 1.5, 0.1, true,
                        4));
        int n = 10;
        int m = 9;
        for (Net net : nets) {
            int d = net.hh * net.ww * net.cc;
            Matrix x = TestData.gaussian(n, d, 0.8, 41 + d);
            Matrix z = TestData.gaussian(m, d, 1.2, 43 + d);
            Matrix[] gram = new Matrix[2];
            Matrix[] cross = new Matrix[2];
            for (int kind = 0; kind < 2; kind++) {
                Kernel kernel = KernelSpec.parse(spec(kind == 0 ? "cnngp" : "cntk", net));
                gram[kind] = GramEngine.gram(kernel, x);
                cross[kind] = GramEngine.cross(kernel, x, z);
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n + m; j++) {
                    double[] ref = bruteForce(net, x.row(i), j < n ? x.row(j) : z.row(j - n));
                    for (int kind = 0; kind < 2; kind++) {
                        double got = j < n ? gram[kind].get(i, j) : cross[kind].get(i, j - n);
                        assertEquals(ref[kind], got, 1e-10 * Math.abs(ref[kind]) + 1e-12,
                                spec(kind == 0 ? "cnngp" : "cntk", net) + " (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void flattenWithoutPoolingKeepsOnlyTheDiagonalAndAgreesWithTheAllPairsPath() {
        // the same network with an identity pooling (pool1) takes the all-pairs path
        Matrix x = TestData.gaussian(6, 7 * 6 * 2, 1, 5);
        ConvolutionalKernel diag = (ConvolutionalKernel) KernelSpec.parse(
                "cntk(shape=[7, 6, 2], layers=[conv3, relu, conv3s2, relu, conv2], b_var=0.1)");
        ConvolutionalKernel full = (ConvolutionalKernel) KernelSpec.parse(
                "cntk(shape=[7, 6, 2], layers=[conv3, relu, pool1, conv3s2, relu, conv2], b_var=0.1)");
        assertTrue(!diag.needsAllPositionPairs() && full.needsAllPositionPairs());
        assertClose(GramEngine.gram(full, x), GramEngine.gram(diag, x));
    }

    @Test
    void badSpecsAndShapesAreOneClearError() {
        assertThrows(Kernels4jException.class, () -> KernelSpec.parse("cntk(layers=[conv3, maxpool2])"));
        assertThrows(Kernels4jException.class, () -> KernelSpec.parse("cntk(shape=[4, 4], layers=[conv5, relu], "
                + "padding=valid)"));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> KernelSpec.parse("cntk(shape=[4, 4, 1])").value(new double[15], new double[15]));
        assertTrue(e.getMessage().contains("needs 16 features per row, got 15"), e.getMessage());
        // one conv layer with gap on 400×400 images: P² = 2.56e10 doubles per pair
        Kernel big = KernelSpec.parse("cntk(shape=[400, 400, 1], layers=[conv3, relu], readout=gap)");
        e = assertThrows(Kernels4jException.class, () -> big.value(new double[160_000], new double[160_000]));
        assertTrue(e.getMessage().contains("GB of working memory"), e.getMessage());
        // the documented estimate: (4 + Σ f)·P² for the one-pair recursion plus 4·B·P² for the batch (B = 8),
        // P = 160 000, Σ f = 3: 39·P² doubles of 8 bytes = 7.99e3 GB (the O(P·B) terms are below 3 digits)
        double gb = (4 + 3 + 4 * ConvolutionalBatch.WIDTH) * 160_000.0 * 160_000.0 * 8e-9;
        String want = String.format(java.util.Locale.ROOT, "needs %.3g GB of working memory per thread", gb);
        assertTrue(e.getMessage().contains(want), want + " in: " + e.getMessage());
    }

    /** The number before {@code tail} in a refusal message (a %.3g figure). */
    static double figureBefore(String message, String tail) {
        int end = message.indexOf(tail);
        assertTrue(end > 0, tail + " in: " + message);
        int start = message.lastIndexOf(' ', end - 1) + 1;
        return Double.parseDouble(message.substring(start, end).trim());
    }

    /**
     * The refusal rule placed against this JVM's own figures: the class documents that a network is refused
     * when its per-thread working set, times the threads ({@code availableProcessors}), exceeds half of
     * {@code Runtime.maxMemory()}. With all position pairs (readout=gap) the per-thread set is (4 + Σ f)·P² doubles
     * plus the batch's 4·B·P² plus O(P·B); the test picks P so that this lies between 1.5 and 2 times the
     * threshold, so it must be refused, while a threshold moved by a factor 4 or more (bytes not multiplied by 8
     * or divided by the threads, half the heap taken as twice the heap) would accept it. The message's figures are
     * checked against each other and against {@code maxMemory()}: all threads = per thread × threads, the JVM's
     * figure = maxMemory·10⁻⁹ GB. The factor for the threads is visible only where availableProcessors ≥ 2.
     */
    @Test
    void allPairsRefusalSitsAtHalfTheHeapOverAllThreads() {
        long max = Runtime.getRuntime().maxMemory();
        int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
        double threshold = max / 2.0 / 8.0 / cpus; // doubles per thread
        int perP2 = 4 + 3 + 4 * ConvolutionalBatch.WIDTH;
        int p = (int) Math.ceil(Math.sqrt(1.5 * threshold / perP2));
        double lower = (double) perP2 * p * p;
        double upper = lower + 4.0 * p * ConvolutionalBatch.WIDTH; // input·B + 3·activations·P·B, one activation
        assertTrue(lower > 1.5 * threshold && upper < 2 * threshold, "P = " + p);
        Kernel net = KernelSpec.parse("cntk(layers=[conv3, relu], readout=gap)");
        double[] x = TestData.gaussian(1, p, 1, 41).row(0);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> net.value(x, x));
        String m = e.getMessage();
        double perThread = figureBefore(m, " GB of working memory per thread");
        double all = figureBefore(m, " GB on all threads");
        double jvm = figureBefore(m, " GB; use readout=flatten");
        assertEquals(lower * 8e-9, perThread, 2e-3 * perThread, m);
        assertEquals(perThread * cpus, all, 1e-2 * all, m);
        assertEquals(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.3g", max * 1e-9)), jvm, 0.0, m);
        assertTrue(all > jvm / 2, m);
    }

    /**
     * The position-diagonal path (readout=flatten, no pooling) keeps 4·P doubles per thread (class comment), so it
     * is refused once 4·P·8 bytes × threads exceed half the heap: P is picked 1.25 times past that point, computed
     * from this JVM's {@code maxMemory()} and {@code availableProcessors()} (the input is about a twelfth of the heap
     * with two threads). A working set estimated as 0 would accept it.
     */
    @Test
    void positionDiagonalRefusalSitsAtFourDoublesPerPosition() {
        long max = Runtime.getRuntime().maxMemory();
        int cpus = Math.max(1, Runtime.getRuntime().availableProcessors());
        double threshold = max / 2.0 / 8.0 / cpus;
        int p = (int) Math.ceil(1.25 * threshold / 4);
        Kernel net = KernelSpec.parse("cntk(layers=[conv3, relu])");
        assertTrue(!((ConvolutionalKernel) net).needsAllPositionPairs());
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> net.selfValue(new double[p]));
        assertTrue(e.getMessage().contains("GB of working memory per thread"), e.getMessage());
        assertEquals(4.0 * p * 8e-9, figureBefore(e.getMessage(), " GB of working memory per thread"), 2e-3 * 4.0 * p * 8e-9);
    }

    /** The public entry points besides Gram blocks: value, the builder, specs, equality, the tree's bounds. */
    @Test
    void valueBuilderSpecsAndTreeBounds() {
        Net net = new Net(5, 4, 2, true, List.of("conv3", "relu", "conv2", "erf"), false, "same", 1.5, 0.2, true, 0);
        // value() of a position-diagonal network (flatten, no pooling) and of an all-position-pairs one (gap)
        Net gapNet = new Net(5, 4, 2, true, List.of("conv3", "relu", "conv2", "erf"), true, "same", 1.5, 0.2, true, 0);
        Matrix x = TestData.gaussian(3, 40, 1, 23);
        for (Net each : List.of(net, gapNet)) {
            for (int kind = 0; kind < 2; kind++) {
                Kernel k = KernelSpec.parse(spec(kind == 0 ? "cnngp" : "cntk", each));
                for (int i = 0; i < 3; i++) {
                    double want = bruteForce(each, x.row(0), x.row(i))[kind];
                    assertEquals(want, k.value(x.row(0), x.row(i)), 1e-10 * Math.abs(want), k + " value");
                }
            }
        }
        // a pooling window as wide as the signal is allowed; the shape is named when a row does not fit it
        assertEquals(1, ((ConvolutionalKernel) KernelSpec.parse("cnngp(shape=[4, 1], layers=[conv1, relu, pool4])"))
                .value(new double[] {1, 2, 3, 4}, new double[] {1, 2, 3, 4}) > 0 ? 1 : 0);
        Kernels4jException shape = assertThrows(Kernels4jException.class,
                () -> KernelSpec.parse("cntk(shape=[4, 4, 1])").value(new double[15], new double[15]));
        assertTrue(shape.getMessage().contains("shape [4, 4, 1] needs 16 features per row, got 15"), shape.getMessage());
        for (int kind = 0; kind < 2; kind++) {
            Kernel k = KernelSpec.parse(spec(kind == 0 ? "cnngp" : "cntk", net));
            assertEquals(k, KernelSpec.parse(k.toSpec()));
            assertEquals(k.hashCode(), KernelSpec.parse(k.toSpec()).hashCode());
            assertEquals(k.toSpec(), k.toString());
            assertTrue(!k.equals(KernelSpec.parse(spec(kind == 0 ? "cnngp" : "cntk",
                    new Net(5, 4, 2, true, net.layers, false, "same", 1.25, 0.2, true, 0)))));
        }
        ConvolutionalKernel built = ConvolutionalKernel.builder(NeuralKernel.Kind.NTK).shape(5, 4, 2)
                .layers("conv3", "relu", "conv2", "erf").readout(ConvolutionalKernel.Readout.FLATTEN)
                .padding(ConvolutionalKernel.Padding.SAME).variances(1.5, 0.2).standard(0).build();
        assertEquals(KernelSpec.parse(spec("cntk", net)), built);
        assertTrue(!built.equals("cntk"));
        // the standard parameterization's width, and a non-default padding, survive a spec round trip
        Net wide = new Net(5, 4, 2, true, List.of("conv3", "relu", "conv2", "erf"), false, "circular", 1.5, 0.2, true, 4);
        Kernel standard = KernelSpec.parse(spec("cntk", wide));
        assertEquals(standard, KernelSpec.parse(standard.toSpec()));
        assertTrue(standard.toSpec().contains("padding=circular") && standard.toSpec().contains("width=4"),
                standard.toSpec());
        assertTrue(!KernelSpec.parse(spec("cntk", net)).toSpec().contains("padding"));
        assertEquals(standard, ConvolutionalKernel.builder(NeuralKernel.Kind.NTK).shape(5, 4, 2)
                .layers("conv3", "relu", "conv2", "erf").readout(ConvolutionalKernel.Readout.FLATTEN)
                .padding(ConvolutionalKernel.Padding.CIRCULAR).variances(1.5, 0.2).standard(4).build());
        // a tree needs filter ≥ 2 and depth ≥ 0, and at most 10⁸ inputs: 10^8 is allowed, 10^9 is not
        assertEquals(1.0, ConvolutionalKernel.tree(NeuralKernel.Kind.NNGP, 2, 0, Activation.relu(), 1, 0)
                .value(new double[] {1}, new double[] {1}), 1e-15);
        ConvolutionalKernel.tree(NeuralKernel.Kind.NNGP, 10, 8, Activation.relu(), 1, 0);
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> ConvolutionalKernel.tree(NeuralKernel.Kind.NNGP, 10, 9, Activation.relu(), 1, 0));
        assertTrue(e.getMessage().contains("too many inputs"), e.getMessage());
        // the memory check runs before any working array is allocated, for self values and Gram blocks too
        Kernel big = KernelSpec.parse("cntk(shape=[400, 400, 1], layers=[conv3, relu], readout=gap)");
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> big.selfValue(new double[160_000]), () -> GramEngine.gram(big, new Matrix(1, 160_000)))) {
            e = assertThrows(Kernels4jException.class, call);
            assertTrue(e.getMessage().contains("GB of working memory"), e.getMessage());
        }
    }

    /** Columns in whole batches of {@link ConvolutionalBatch#WIDTH}, and Gram tiles beyond the first. */
    @Test
    void wholeBatchesAndLaterTiles() {
        Net net = new Net(4, 1, 1, false, List.of("conv2", "relu"), true, "same", 1.5, 0.1, true, 0);
        Kernel k = KernelSpec.parse(spec("cntk", net));
        Matrix x = TestData.gaussian(3, 4, 1, 29);
        Matrix z = TestData.gaussian(2 * ConvolutionalBatch.WIDTH, 4, 1, 31);
        Matrix c = GramEngine.cross(k, x, z);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < z.rows(); j++) {
                double want = bruteForce(net, x.row(i), z.row(j))[1];
                assertEquals(want, c.get(i, j), 1e-10 * Math.abs(want), "(" + i + ", " + j + ")");
            }
        }
        int n = GramEngine.tileSize() + 2;
        Kernel gp = KernelSpec.parse(spec("cnngp", net)); // the cheaper kind for the larger Gram matrix
        Matrix many = TestData.gaussian(n, 4, 1, 37);
        Matrix g = GramEngine.gram(gp, many);
        for (int i = n - 4; i < n; i++) {
            assertEquals(gp.selfValue(many.row(i)), g.get(i, i), 1e-12 * g.get(i, i), "diagonal " + i);
            assertEquals(bruteForce(net, many.row(i), many.row(0))[0], g.get(i, 0), 1e-10 * Math.abs(g.get(i, 0)));
        }
    }

    /**
     * With b_var = 0 a bias-free ReLU network maps the zero image to zero whatever its weights, so every NNGP
     * covariance and (NTK parameterization) every NTK entry involving it is exactly 0 — through the batched
     * Gram path, where the zero image has zero pre-activation variance at every position (1/σ must be taken as 0).
     */
    @Test
    void theZeroImageOfABiasFreeReluNetworkHasZeroKernelValues() {
        Matrix x = TestData.gaussian(12, 5 * 4, 1, 17);
        for (int f = 0; f < 20; f++) {
            x.set(3, f, 0);
            x.set(10, f, 0);
        }
        for (String kind : new String[] {"cnngp", "cntk", "cnngp-flatten", "cntk-flatten"}) {
            // readout=flatten without pooling takes the position-diagonal path instead of the batches
            String readout = kind.endsWith("flatten") ? "flatten" : "gap";
            Kernel k = KernelSpec.parse(kind.replace("-flatten", "") + "(shape=[5, 4, 1], layers=[conv3, relu, conv2, "
                    + "relu], readout=" + readout + ", b_var=0)");
            Matrix g = GramEngine.gram(k, x);
            assertEquals(0.0, k.value(x.row(3), x.row(0)), 0, kind + " value"); // the one-pair path
            assertEquals(0.0, k.value(x.row(0), x.row(10)), 0, kind + " value");
            for (int i = 0; i < 12; i++) {
                for (int j = 0; j < 12; j++) {
                    boolean zero = i == 3 || i == 10 || j == 3 || j == 10;
                    assertTrue(Double.isFinite(g.get(i, j)), kind + " (" + i + ", " + j + ")");
                    if (zero) {
                        assertEquals(0.0, g.get(i, j), 0, kind + " (" + i + ", " + j + ")");
                    } else if (i == j) {
                        assertTrue(g.get(i, j) > 0, kind + " (" + i + ", " + i + ")");
                    }
                }
            }
        }
    }

    static void assertClose(Matrix expected, Matrix actual) {
        double scale = 0;
        for (double v : expected.data()) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], actual.data()[i], 1e-11 * scale, "entry " + i);
        }
    }
}
