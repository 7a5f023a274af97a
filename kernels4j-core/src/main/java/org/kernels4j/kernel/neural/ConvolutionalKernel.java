package org.kernels4j.kernel.neural;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelCatalog;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.ArcCosine;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Matrix;

/**
 * The NNGP kernel and the NTK of an infinitely wide convolutional network (CNN-GP and CNTK) on
 * images or 1-D signals given as rows: a row of d = H·W·C numbers is an H×W image with C channels
 * stored position by position, channels fastest (index (h·W + w)·C + c, as NHWC); a 1-D signal of
 * length L with C channels is the case W = 1 ({@code shape=[L, C]}). Without {@code shape} a row
 * is a 1-D signal of d positions and one channel.
 *
 * <p>The network is a list of layers, each a name: {@code conv3} (a 3×3 convolution, 3 taps for
 * 1-D signals, stride 1), {@code conv3s2} (stride 2), {@code pool2} (2×2 average pooling, stride
 * 2, no padding), or an activation ({@code relu}, {@code erf}, {@code gelu}, … any parameterless
 * name of {@link Activation#names()}); then a dense read-out of either the flattened last layer
 * ({@code readout=flatten}) or its global average over positions ({@code readout=gap}). Convolutions
 * pad as {@code padding=same} (zeros, output ⌈n/s⌉ positions per axis, as TensorFlow's SAME),
 * {@code valid} (no padding, ⌊(n − f)/s⌋ + 1) or {@code circular} (SAME sizes, wrapping around).
 *
 * <p>Recursion (NTK parameterization, w = {@code w_var}, b = {@code b_var}). For each input pair the
 * state is the position-pair covariance K[p, p'] of the current layer's channels (channel-averaged,
 * starting from K⁰[p, p'] = ⟨x_p, z_p'⟩/C) and the tangent kernel Θ (starting from 0). With A the
 * linear map of a convolution with taps a, (A M)[q, q'] = (1/f^k)·Σ_a M[s·q + a, s·q' + a]
 * (the same offset a on both sides, because different taps have independent weights; k = 1 or 2
 * spatial axes; out-of-range positions count as zero):
 * <pre>
 *   conv:        K ← w·A(K) + b,                   Θ ← w·A(Θ) + w·A(K) + b
 *   activation:  K ← T(K_xx[p], K[p, p'], K_zz[p']),  Θ ← Θ ⊙ Ṫ(K_xx[p], K[p, p'], K_zz[p'])
 *   pool r:      K ← P(K), Θ ← P(Θ),  (P M)[q, q'] = r^(−k)·Σ_{a, a'} M[r·q + a, r·q' + a']
 *   read-out:    value = w·m(K) + b (NNGP),         w·m(Θ) + w·m(K) + b (NTK)
 * </pre>
 * where K_xx, K_zz are the same recursion's variances of x and z alone, T and Ṫ the activation's
 * duals ({@link Activation}), and m the mean of the diagonal K[p, p] ({@code flatten}) or of all
 * entries ({@code gap}). In the standard parameterization ({@code param=standard, width=N}) the tangent
 * kernel counts each layer's parameters unscaled: a layer with fan-in m adds m·A(K) + 1 instead of
 * w·A(K) + b (m = C·f^k for the first convolution, N·f^k after it; m = channels·positions for the
 * flatten read-out and channels for gap), exactly as {@link NeuralKernel} does for dense layers: with
 * 1×1 images and {@code [conv1, φ, …]} this kernel is the fully connected one.
 *
 * <p>Cost and memory. Without pooling layers and with {@code readout=flatten} only the diagonal
 * p = p' is ever needed, so a pair costs O(P·f^k) per layer and O(P) memory (P positions). Average
 * pooling and {@code gap} need all position pairs: O(P²·f) per layer and pair (each axis convolved
 * separately). A Gram tile is computed for one row sample against batches of B = 8 column samples
 * stored pair-innermost ({@link ConvolutionalBatch}: each tap is one contiguous addition, the
 * activation one vectorized pass per row), so the working set is at most (4 + Σ f + 4B)·P² doubles
 * per thread (K, Θ and a buffer for each, for one pair and for a batch; 0/1 tap masks of the
 * one-sample runs, Σ over the convolutions' filters), i.e. (36 + Σ f)·P²·8 bytes, plus O(b·P·layers)
 * for the per-sample variances of a b×b tile: never O(n²·P²). A request whose working set on all
 * threads exceeds half the JVM's maximum heap is refused with the
 * number. The activation pass costs one arccos (a polynomial, {@link ArcCosine}) per entry for the
 * ReLU family and {@value Activation#QUADRATURE_POINTS}² evaluations for quadrature activations.
 *
 * <p>The weight and bias variances are fixed parameters (not hyperparameters for learners). Specs:
 * {@code cntk(shape=[8, 8, 1], layers=[conv3, relu, conv3, relu], readout=gap)},
 * {@code cnngp(shape=[16, 2], layers=[conv3s2, erf, pool2, conv3, erf], padding=circular)}.
 */
public final class ConvolutionalKernel implements Kernel {

    /** How a convolution treats the border. */
    public enum Padding {
        /** Zero padding, ⌈n/s⌉ outputs per axis (TensorFlow SAME). */
        SAME,
        /** No padding, ⌊(n − f)/s⌋ + 1 outputs per axis. */
        VALID,
        /** SAME sizes with the input wrapped around. */
        CIRCULAR
    }

    /** How the last layer reaches the dense read-out. */
    public enum Readout {
        /** All positions as one vector: the position-diagonal mean of the covariance. */
        FLATTEN,
        /** The average over positions: the mean of all position pairs. */
        GAP
    }

    private static final List<String> NO_WORDS = List.of("signal");

    /** The image shape [H, W, C] or signal shape [L, C]; absent: a 1-D signal of d positions, one channel. */
    public static final KernelCatalog.Param SHAPE = KernelCatalog.Param.word("shape", "signal",
            "[H, W, C] for images, [L, C] for 1-D signals; default: the row as a signal with one channel", NO_WORDS)
            .orIntegerLists();
    /** The layer names. */
    public static final KernelCatalog.Param LAYERS = KernelCatalog.Param.wordList("layers", List.of("conv3", "relu"),
            "layers in order: convF (filter F), convFsS (stride S), poolR (average pooling), or an activation name");
    /** Read-out. */
    public static final KernelCatalog.Param READOUT = KernelCatalog.Param.word("readout", "flatten",
            "flatten (position-diagonal) or gap (global average pooling)", List.of("flatten", "gap"));
    /** Padding. */
    public static final KernelCatalog.Param PADDING = KernelCatalog.Param.word("padding", "same",
            "convolution padding: same, valid or circular", List.of("same", "valid", "circular"));
    /** σ_w². */
    public static final KernelCatalog.Param W_VAR = KernelCatalog.Param.positive("w_var", 2,
            "weight variance sigma_w^2, > 0").fixed();
    /** σ_b². */
    public static final KernelCatalog.Param B_VAR = KernelCatalog.Param.nonNegative("b_var", 0,
            "bias variance sigma_b^2, >= 0").fixed();
    /** Parameterization. */
    public static final KernelCatalog.Param PARAM = KernelCatalog.Param.word("param", "ntk",
            "parameterization: ntk or standard", List.of("ntk", "standard"));
    /** Channels of hidden layers, for the standard-parameterization NTK. */
    public static final KernelCatalog.Param WIDTH = KernelCatalog.Param.integer("width", null, 1, Integer.MAX_VALUE,
            "hidden channels, for the standard-parameterization NTK");

    private static final List<KernelCatalog.Param> PARAMS = List.of(SHAPE, LAYERS, READOUT, PADDING, W_VAR, B_VAR,
            PARAM, WIDTH);

    /** The CNN-GP's declaration. */
    public static final KernelCatalog.Type CNNGP_TYPE = KernelCatalog.Type.builder("cnngp",
            "output covariance of an infinitely wide CNN: K <- w_var A(K) + b_var per conv, T(K) per activation")
            .params(PARAMS)
            .examples("cnngp(shape=[3, 1], layers=[conv3, relu, conv3, relu], readout=gap, b_var=0.1)",
                    "cnngp(shape=[3, 1], layers=[conv2, erf], padding=circular, w_var=1.5, b_var=0.2)",
                    "cnngp(shape=[3, 1], layers=[conv3, relu, pool2, conv1, gelu])")
            .factory(a -> parse(a, NeuralKernel.Kind.NNGP));
    /** The CNTK's declaration. */
    public static final KernelCatalog.Type CNTK_TYPE = KernelCatalog.Type.builder("cntk",
            "convolutional NTK: Theta <- w_var A(Theta) + w_var A(K) + b_var per conv, Theta*Tdot(K) per activation")
            .params(PARAMS)
            .examples("cntk(shape=[3, 1], layers=[conv3, relu, conv3, relu], readout=gap, b_var=0.1)",
                    "cntk(shape=[3, 1], layers=[conv2s2, erf, conv2], padding=circular, w_var=1.5, b_var=0.2)",
                    "cntk(shape=[1, 3, 1], layers=[conv3, relu, conv3], param=standard, width=64)",
                    "cntk(layers=[conv2, relu, pool2, conv1, relu], padding=valid, b_var=0.1)")
            .factory(a -> parse(a, NeuralKernel.Kind.NTK));

    private static final Pattern CONV = Pattern.compile("conv(\\d+)(?:s(\\d+))?");
    private static final Pattern POOL = Pattern.compile("pool(\\d+)");

    /** One layer: a convolution (filter, stride), an average pooling (window) or an activation. */
    record Layer(String name, int filter, int stride, int pool, Activation activation) {
        boolean conv() {
            return filter > 0;
        }
    }

    private final NeuralKernel.Kind kind;
    private final int[] shape; // null: a signal of d positions, one channel
    private final List<Layer> layers;
    private final Readout readout;
    private final Padding padding;
    private final double wVar;
    private final double bVar;
    private final boolean standard;
    private final int width;
    private final boolean allPairs;

    private ConvolutionalKernel(NeuralKernel.Kind kind, int[] shape, List<String> layerNames, Readout readout,
            Padding padding, double wVar, double bVar, boolean standard, int width) {
        String name = type(kind).name();
        this.kind = kind;
        if (shape != null && (shape.length < 2 || shape.length > 3)) {
            throw new Kernels4jException(name + ": shape must be [H, W, C] or [L, C], got " + shape.length + " numbers");
        }
        if (shape != null) {
            for (int s : shape) {
                if (s < 1) {
                    throw new Kernels4jException(name + ": shape entries must be >= 1");
                }
            }
        }
        this.shape = shape == null ? null : shape.clone();
        this.layers = new ArrayList<>();
        for (String l : layerNames) {
            this.layers.add(layer(name, l));
        }
        this.readout = Objects.requireNonNull(readout);
        this.padding = Objects.requireNonNull(padding);
        this.wVar = W_VAR.check(name, wVar);
        this.bVar = B_VAR.check(name, bVar);
        this.standard = standard;
        if (standard && kind == NeuralKernel.Kind.NTK && width < 1) {
            throw new Kernels4jException(name + ": param=standard needs the hidden channel count, e.g. width=256");
        }
        this.width = standard && kind == NeuralKernel.Kind.NTK ? width : 0;
        boolean pools = readout == Readout.GAP;
        for (Layer l : layers) {
            pools |= l.pool > 0;
        }
        this.allPairs = pools;
        if (shape != null) {
            plan(shape[0] * (shape.length == 3 ? shape[1] : 1) * shape[shape.length - 1]);
        }
    }

    private static Layer layer(String kernelName, String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Matcher m = CONV.matcher(t);
        if (m.matches()) {
            int f = Integer.parseInt(m.group(1));
            int s = m.group(2) == null ? 1 : Integer.parseInt(m.group(2));
            if (f < 1 || s < 1 || f > 10_000 || s > 10_000) {
                throw new Kernels4jException(kernelName + ": layer '" + text + "' needs filter and stride >= 1");
            }
            return new Layer(t, f, s, 0, null);
        }
        m = POOL.matcher(t);
        if (m.matches()) {
            int r = Integer.parseInt(m.group(1));
            if (r < 1 || r > 10_000) {
                throw new Kernels4jException(kernelName + ": layer '" + text + "' needs a window >= 1");
            }
            return new Layer(t, 0, 0, r, null);
        }
        if (t.equals("leaky_relu") || t.equals("abrelu") || !Activation.names().contains(t)) {
            throw new Kernels4jException(kernelName + ": unknown layer '" + text + "'; layers are convF, convFsS, poolR or "
                    + "one of relu, identity, erf, sign, step, sin, gelu, tanh, softplus, swish, sigmoid, elu");
        }
        return new Layer(t, 0, 0, 0, Activation.named(t));
    }

    private static KernelCatalog.Type type(NeuralKernel.Kind kind) {
        return kind == NeuralKernel.Kind.NNGP ? CNNGP_TYPE : CNTK_TYPE;
    }

    private static Kernel parse(KernelSpec.Args a, NeuralKernel.Kind kind) {
        int[][] lists = a.integerLists(SHAPE);
        int[] shape = null;
        if (lists != null) {
            if (lists.length != 1) {
                throw a.error(SHAPE, "shape must be one list such as [8, 8, 1]");
            }
            shape = lists[0];
        } else {
            a.word(SHAPE);
        }
        boolean standard = a.word(PARAM).equals("standard");
        if (!standard && a.has(WIDTH)) {
            throw a.error(WIDTH, "'width' applies only to param=standard");
        }
        if (kind == NeuralKernel.Kind.NNGP && a.has(WIDTH)) {
            throw a.error(WIDTH, "the NNGP does not depend on the width; drop 'width'");
        }
        if (kind == NeuralKernel.Kind.NTK && standard && !a.has(WIDTH)) {
            throw a.error(PARAM, "param=standard needs the hidden channel count, e.g. width=256");
        }
        List<String> names = a.wordList(LAYERS);
        Readout readout = Readout.valueOf(a.word(READOUT).toUpperCase(Locale.ROOT));
        Padding padding = Padding.valueOf(a.word(PADDING).toUpperCase(Locale.ROOT));
        double w = a.number(W_VAR);
        double b = a.number(B_VAR);
        int width = a.has(WIDTH) ? a.integer(WIDTH) : 0;
        try {
            return new ConvolutionalKernel(kind, shape, names, readout, padding, w, b, standard, width);
        } catch (Kernels4jException e) {
            String problem = e.getMessage().replaceFirst("^c(nngp|ntk): ", "");
            throw a.error(problem.startsWith("shape") ? SHAPE : LAYERS, problem);
        }
    }

    /**
     * Options of a convolutional kernel. Defaults: 1-D signal shape, {@code [conv3, relu]},
     * flatten read-out, same padding, w_var = 2, b_var = 0, NTK parameterization.
     */
    public static final class Builder {
        private final NeuralKernel.Kind kind;
        private int[] shape;
        private List<String> layers = List.of("conv3", "relu");
        private Readout readout = Readout.FLATTEN;
        private Padding padding = Padding.SAME;
        private double wVar = 2;
        private double bVar = 0;
        private int standardWidth;

        private Builder(NeuralKernel.Kind kind) {
            this.kind = Objects.requireNonNull(kind);
        }

        /** [H, W, C] or [L, C]. */
        public Builder shape(int... s) {
            this.shape = s.clone();
            return this;
        }

        /** Layer names, e.g. conv3, relu, pool2, conv3s2. */
        public Builder layers(String... names) {
            this.layers = List.of(names);
            return this;
        }

        /** Read-out (default flatten). */
        public Builder readout(Readout r) {
            this.readout = r;
            return this;
        }

        /** Padding (default same). */
        public Builder padding(Padding p) {
            this.padding = p;
            return this;
        }

        /** σ_w² and σ_b². */
        public Builder variances(double w, double b) {
            this.wVar = w;
            this.bVar = b;
            return this;
        }

        /** Standard parameterization with hidden layers of {@code channels} channels. */
        public Builder standard(int channels) {
            this.standardWidth = channels;
            return this;
        }

        /** The kernel (validated here). */
        public ConvolutionalKernel build() {
            boolean std = standardWidth > 0;
            return new ConvolutionalKernel(kind, shape, layers, readout, padding, wVar, bVar, std,
                    kind == NeuralKernel.Kind.NTK ? standardWidth : 0);
        }
    }

    /** Options for the NNGP ({@code cnngp}) or the NTK ({@code cntk}). */
    public static Builder builder(NeuralKernel.Kind kind) {
        return new Builder(kind);
    }

    /**
     * The hierarchical (tree) CNN of Cagnetta, Favero and Wyart (2023): d = s^L inputs, L
     * convolutions with filter = stride = s and no padding, each followed by φ, and a dense read-out
     * of the single remaining position.
     */
    public static ConvolutionalKernel tree(NeuralKernel.Kind kind, int filter, int depth, Activation phi, double wVar,
            double bVar) {
        if (filter < 2 || depth < 0) {
            throw new Kernels4jException("a tree CNN needs filter >= 2 and depth >= 0");
        }
        List<String> names = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            names.add("conv" + filter + "s" + filter);
            names.add(phi.name());
        }
        long d = 1;
        for (int l = 0; l < depth; l++) {
            d *= filter;
        }
        if (d > 100_000_000) {
            throw new Kernels4jException("a tree CNN with filter " + filter + " and depth " + depth + " has too many inputs");
        }
        return new ConvolutionalKernel(kind, new int[] {(int) d, 1}, names, Readout.FLATTEN, Padding.VALID, wVar, bVar,
                false, 0);
    }

    /** NNGP or NTK. */
    public NeuralKernel.Kind kind() {
        return kind;
    }

    /** σ_w². */
    public double weightVariance() {
        return wVar;
    }

    /** σ_b². */
    public double biasVariance() {
        return bVar;
    }

    /** The read-out. */
    public Readout readout() {
        return readout;
    }

    /** True for the standard parameterization. */
    public boolean standardParameterization() {
        return standard;
    }

    /** This network's other kernel (NNGP ↔ NTK); a standard-parameterization NTK needs {@code channels} ≥ 1. */
    public ConvolutionalKernel withKind(NeuralKernel.Kind k, int channels) {
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            names.add(l.name);
        }
        return new ConvolutionalKernel(k, shape, names, readout, padding, wVar, bVar, standard,
                k == NeuralKernel.Kind.NTK ? channels : 0);
    }

    /** Features per row the declared shape needs, or 0 without a shape (any d). */
    public int features() {
        return shape == null ? 0 : shape[0] * (shape.length == 3 ? shape[1] : 1) * shape[shape.length - 1];
    }

    /** Whether a pair needs all position pairs (pooling or gap) rather than the diagonal. */
    public boolean needsAllPositionPairs() {
        return allPairs;
    }

    // ------------------------------------------------------------------------------------ geometry

    /** One axis of a convolution or pooling: input and output sizes, taps, stride, first offset. */
    record Axis(int in, int out, int taps, int stride, int before, boolean wrap, boolean pool) {
        /** Input index of output q and tap t, or −1 outside (zero padding). */
        int index(int q, int t) {
            int u = q * stride + t - before;
            if (wrap) {
                return Math.floorMod(u, in);
            }
            return u >= 0 && u < in ? u : -1;
        }

        boolean identity() {
            return in == out && taps == 1 && stride == 1 && before == 0;
        }

        /** A stride-1 zero-padded convolution keeping the size: each tap is one shift of the flat [u][u'] block. */
        boolean shiftable() {
            return !pool && !wrap && stride == 1 && in == out;
        }
    }

    /** The inner axis' geometry and the outer size: what its tap masks depend on. */
    record MaskKey(Axis axis, int outer) {
    }

    /** A layer resolved for one input size: per-axis geometry (h, then w), channels, fan-in. */
    record Step(Layer layer, Axis h, Axis w, int fanIn) {
    }

    /** The resolved network for rows of d numbers. */
    record Plan(int height, int width, int channels, List<Step> steps, int outH, int outW, int outChannels,
            int maxPositions, int activations) {
    }

    Plan plan(int d) {
        String name = type(kind).name();
        int hh;
        int ww;
        int cc;
        boolean twoD;
        if (shape == null) {
            hh = d;
            ww = 1;
            cc = 1;
            twoD = false;
        } else {
            twoD = shape.length == 3;
            hh = shape[0];
            ww = twoD ? shape[1] : 1;
            cc = shape[shape.length - 1];
            long need = (long) hh * ww * cc;
            if (need != d) {
                throw new Kernels4jException(name + ": shape " + shapeText() + " needs " + need + " features per row, got " + d);
            }
        }
        if (d < 1) {
            throw new Kernels4jException(name + ": rows need at least one feature");
        }
        List<Step> steps = new ArrayList<>();
        int h = hh;
        int w = ww;
        int c = cc;
        int maxPositions = h * w;
        int acts = 0;
        for (Layer l : layers) {
            Axis ah;
            Axis aw;
            int fanIn = 0;
            if (l.conv()) {
                ah = convAxis(name, l, h);
                aw = twoD ? convAxis(name, l, w) : new Axis(1, 1, 1, 1, 0, false, false);
                fanIn = c * l.filter * (twoD ? l.filter : 1);
                c = standard ? width : c;
            } else if (l.pool > 0) {
                ah = poolAxis(name, l, h);
                aw = twoD ? poolAxis(name, l, w) : new Axis(1, 1, 1, 1, 0, false, true);
            } else {
                ah = null;
                aw = null;
                acts++;
            }
            steps.add(new Step(l, ah, aw, fanIn));
            if (ah != null) {
                h = ah.out;
                w = aw.out;
                maxPositions = Math.max(maxPositions, h * w);
            }
        }
        return new Plan(hh, ww, cc, steps, h, w, c, maxPositions, acts);
    }

    private Axis convAxis(String name, Layer l, int n) {
        int f = l.filter;
        int s = l.stride;
        if (padding == Padding.VALID) {
            if (n < f) {
                throw new Kernels4jException(name + ": layer " + l.name + " with padding=valid needs at least " + f
                        + " positions per axis, got " + n);
            }
            return new Axis(n, (n - f) / s + 1, f, s, 0, false, false);
        }
        int out = (n + s - 1) / s;
        int total = Math.max((out - 1) * s + f - n, 0);
        return new Axis(n, out, f, s, total / 2, padding == Padding.CIRCULAR, false);
    }

    private static Axis poolAxis(String name, Layer l, int n) {
        if (n < l.pool) {
            throw new Kernels4jException(name + ": layer " + l.name + " needs at least " + l.pool
                    + " positions per axis, got " + n);
        }
        return new Axis(n, n / l.pool, l.pool, l.pool, 0, false, true);
    }

    private String shapeText() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return sb.append(']').toString();
    }

    /**
     * Doubles of working memory one thread needs: with all pairs (4 + Σ f)·P² for the one-pair
     * recursion (four arrays of P² and at most f tap masks of P² per convolution) plus
     * {@link ConvolutionalBatch}'s 4·B·P² (and O(P·B) per activation) for Gram blocks; 4·P on the diagonal.
     */
    private long workingDoubles(Plan p) {
        long pos = p.maxPositions;
        if (!allPairs) {
            return 4 * pos;
        }
        long taps = 0;
        for (Layer l : layers) {
            taps += l.filter;
        }
        return (4 + taps) * pos * pos + ConvolutionalBatch.doubles(p);
    }

    /** Doubles of one working array: P² or P. */
    private long arrayDoubles(Plan p) {
        long pos = p.maxPositions;
        return allPairs ? pos * pos : pos;
    }

    /** Refuses, with the number, a network whose per-thread working set cannot fit the heap. */
    private void requireFits(Plan p) {
        long bytes = workingDoubles(p) * 8L * Math.max(1, Runtime.getRuntime().availableProcessors());
        long max = Runtime.getRuntime().maxMemory();
        if (bytes > max / 2) {
            throw new Kernels4jException(String.format(Locale.ROOT,
                    "%s: one pair of inputs needs %.3g GB of working memory per thread ((%d + Σ f)·P² doubles for P = %d positions, "
                            + "all position pairs because of pooling or readout=gap), %.3g GB on all threads, more than half "
                            + "the JVM's %.3g GB; use readout=flatten without pooling (4·P doubles) or fewer positions",
                    type(kind).name(), workingDoubles(p) * 8e-9, 4 + 4 * ConvolutionalBatch.WIDTH, p.maxPositions, bytes * 1e-9, max * 1e-9));
        }
    }

    /**
     * Useful floating-point operations of one pair (the benchmark's numerator): per convolution or
     * pooling axis one add per tap and output entry (plus the scaling), for K and for Θ; per
     * activation entry 30 for a ReLU-family dual (arccos polynomial, square roots, products; Θ
     * included) or 2·{@value Activation#QUADRATURE_POINTS}² for quadrature; the read-out's sum.
     */
    public double flopsPerPair(int d) {
        Plan p = plan(d);
        int h = p.height;
        int w = p.width;
        double flops = p.channels * 2.0 * (allPairs ? (double) h * h * w * w : h * w);
        int tensors = kind == NeuralKernel.Kind.NTK ? 2 : 1;
        for (Step s : p.steps) {
            if (s.h == null) {
                double entries = allPairs ? (double) h * h * w * w : h * w;
                Activation a = s.layer.activation;
                flops += entries * (a instanceof Activation.AbRelu ? 30 : a.closedForm() ? 30 : 2.0 * 1024);
                continue;
            }
            // w axis first, then h
            double afterW = allPairs ? (double) h * h * s.w.out * s.w.out : h * s.w.out;
            double afterH = allPairs ? (double) s.h.out * s.h.out * s.w.out * s.w.out : s.h.out * s.w.out;
            int tapsW = s.w.pool ? s.w.taps * s.w.taps : s.w.taps;
            int tapsH = s.h.pool ? s.h.taps * s.h.taps : s.h.taps;
            if (!allPairs && s.w.pool) {
                tapsW = s.w.taps;
            }
            flops += tensors * (afterW * (s.w.identity() ? 0 : tapsW) + afterH * (tapsH + 2));
            h = s.h.out;
            w = s.w.out;
        }
        flops += tensors * (allPairs ? (double) h * h * w * w : h * w);
        return flops;
    }

    // ------------------------------------------------------------------------------------- values

    @Override
    public double value(double[] x, double[] z) {
        if (x.length != z.length) {
            throw new Kernels4jException(type(kind).name() + ": rows of different lengths " + x.length + " and " + z.length);
        }
        Plan p = plan(x.length);
        requireFits(p);
        Work ws = new Work(p);
        double[][] vx = new double[p.activations][];
        double[][] vz = new double[p.activations][];
        run(p, ws, x, 0, x, 0, null, null, vx);
        run(p, ws, z, 0, z, 0, null, null, vz);
        return run(p, ws, x, 0, z, 0, vx, vz, null);
    }

    @Override
    public double selfValue(double[] x) {
        Plan p = plan(x.length);
        requireFits(p);
        return run(p, new Work(p), x, 0, x, 0, null, null, new double[p.activations][]);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int rows = block.rows();
        int cols = block.cols();
        Plan p = plan(block.features());
        requireFits(p);
        Work ws = new Work(p);
        Matrix left = block.leftInputs();
        Matrix right = block.rightInputs();
        int d = block.features();
        double[][][] vRow = new double[rows][p.activations][];
        double[] selfRow = new double[rows];
        for (int i = 0; i < rows; i++) {
            int r = block.rowStart() + i;
            selfRow[i] = run(p, ws, left.data(), r * d, left.data(), r * d, null, null, vRow[i]);
        }
        double[][][] vCol = new double[cols][p.activations][];
        for (int j = 0; j < cols; j++) {
            int r = block.colStart() + j;
            run(p, ws, right.data(), r * d, right.data(), r * d, null, null, vCol[j]);
        }
        if (allPairs) {
            // batches of B columns, pair-innermost (ConvolutionalBatch), each reused for every row of the tile
            int width = ConvolutionalBatch.WIDTH;
            ConvolutionalBatch batch = new ConvolutionalBatch(this, p);
            int[] offsets = new int[width];
            double[][][] vBatch = new double[width][][];
            double[] values = new double[width];
            for (int j0 = 0; j0 < cols; j0 += width) {
                int count = Math.min(width, cols - j0);
                for (int j = 0; j < count; j++) {
                    offsets[j] = (block.colStart() + j0 + j) * d;
                    vBatch[j] = vCol[j0 + j];
                }
                batch.columns(right.data(), offsets, vBatch, count);
                for (int i = 0; i < rows; i++) {
                    batch.run(left.data(), (block.rowStart() + i) * d, vRow[i], values, 0);
                    System.arraycopy(values, 0, out, i * cols + j0, count);
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                int xo = (block.rowStart() + i) * d;
                for (int j = 0; j < cols; j++) {
                    int zo = (block.colStart() + j) * d;
                    out[i * cols + j] = run(p, ws, left.data(), xo, right.data(), zo, vRow[i], vCol[j], null);
                }
            }
        }
        int rowStart = block.rowStart();
        block.setSameSampleEntries(out, sample -> selfRow[sample - rowStart]);
    }

    /**
     * Per-thread buffers of the one-pair recursion: K, Θ and one scratch array for each; the inner
     * axis' tap masks of stride-1 convolutions, by geometry.
     */
    private final class Work {
        double[] k;
        double[] t;
        double[] k2;
        double[] t2;
        final java.util.Map<MaskKey, double[][]> masks = new java.util.HashMap<>();

        Work(Plan p) {
            int n = (int) arrayDoubles(p);
            k = new double[n];
            t = new double[n];
            k2 = new double[n];
            t2 = new double[n];
        }

        void swap() {
            double[] a = k;
            k = k2;
            k2 = a;
            a = t;
            t = t2;
            t2 = a;
        }
    }

    /**
     * The recursion for one pair (x at xo, z at zo). With {@code record} non-null this is the
     * one-sample run x = z: it stores each activation's pre-activation variances K[p, p] into
     * {@code record[a]} and uses the one-point duals on the diagonal; otherwise vx, vz hold them.
     */
    private double run(Plan p, Work ws, double[] x, int xo, double[] z, int zo, double[][] vx, double[][] vz,
            double[][] record) {
        boolean ntk = kind == NeuralKernel.Kind.NTK;
        int h = p.height;
        int w = p.width;
        int c = p.channels;
        double[] k = ws.k;
        double invC = 1.0 / c;
        if (allPairs) {
            for (int a = 0; a < h; a++) {
                for (int b = 0; b < h; b++) {
                    int base = (a * h + b) * w * w;
                    for (int u = 0; u < w; u++) {
                        int xp = xo + (a * w + u) * c;
                        for (int v = 0; v < w; v++) {
                            int zp = zo + (b * w + v) * c;
                            double s = 0;
                            for (int ch = 0; ch < c; ch++) {
                                s += x[xp + ch] * z[zp + ch];
                            }
                            k[base + u * w + v] = s * invC;
                        }
                    }
                }
            }
        } else {
            for (int q = 0; q < h * w; q++) {
                double s = 0;
                for (int ch = 0; ch < c; ch++) {
                    s += x[xo + q * c + ch] * z[zo + q * c + ch];
                }
                k[q] = s * invC;
            }
        }
        int size = allPairs ? h * h * w * w : h * w;
        if (ntk) {
            java.util.Arrays.fill(ws.t, 0, size, 0.0);
        }
        int act = 0;
        for (Step s : p.steps) {
            if (s.h == null) {
                double[] qx;
                double[] qz;
                if (record != null) {
                    qx = diagonal(ws.k, h, w);
                    record[act] = qx;
                    qz = qx;
                } else {
                    qx = vx[act];
                    qz = vz[act];
                }
                activate(s.layer.activation, ws, h, w, qx, qz, record != null, ntk);
                act++;
                continue;
            }
            // linear map: the w axis, then the h axis, on K (and Θ)
            int hw = s.w.out;
            if (!s.w.identity()) {
                if (allPairs && s.w.shiftable()) {
                    int hh = h;
                    double[][] masks = ws.masks.computeIfAbsent(new MaskKey(s.w, h), key -> innerMasks(key.axis(), hh));
                    shiftInner(s.w, masks, ws.k, ws.k2, h * h * w * w);
                    if (ntk) {
                        shiftInner(s.w, masks, ws.t, ws.t2, h * h * w * w);
                    }
                } else {
                    applyInner(s.w, ws.k, ws.k2, h, w);
                    if (ntk) {
                        applyInner(s.w, ws.t, ws.t2, h, w);
                    }
                }
                ws.swap();
            }
            applyOuter(s.h, ws.k, ws.k2, h, hw);
            if (ntk) {
                applyOuter(s.h, ws.t, ws.t2, h, hw);
            }
            ws.swap();
            h = s.h.out;
            w = hw;
            size = allPairs ? h * h * w * w : h * w;
            if (s.layer.conv()) {
                double[] kk = ws.k;
                double[] tt = ws.t;
                double norm = 1.0 / (s.h.taps * s.w.taps);
                double wk = wVar * norm;
                double coefK = (standard ? s.fanIn : wVar) * norm;
                double coefB = standard ? 1 : bVar;
                for (int e = 0; e < size; e++) {
                    double ak = kk[e];
                    kk[e] = wk * ak + bVar;
                    if (ntk) {
                        tt[e] = wk * tt[e] + coefK * ak + coefB;
                    }
                }
            } else {
                double norm = 1.0 / ((double) s.h.taps * s.h.taps * s.w.taps * s.w.taps);
                if (!allPairs) {
                    throw new IllegalStateException("pooling needs all position pairs");
                }
                for (int e = 0; e < size; e++) {
                    ws.k[e] *= norm;
                    if (ntk) {
                        ws.t[e] *= norm;
                    }
                }
            }
        }
        // read-out
        double mk = 0;
        double mt = 0;
        int positions = h * w;
        if (!allPairs || readout == Readout.FLATTEN) {
            for (int a = 0; a < h; a++) {
                for (int u = 0; u < w; u++) {
                    int e = allPairs ? (a * h + a) * w * w + u * w + u : a * w + u;
                    mk += ws.k[e];
                    if (ntk) {
                        mt += ws.t[e];
                    }
                }
            }
            mk /= positions;
            mt /= positions;
        } else {
            for (int e = 0; e < size; e++) {
                mk += ws.k[e];
                if (ntk) {
                    mt += ws.t[e];
                }
            }
            mk /= (double) positions * positions;
            mt /= (double) positions * positions;
        }
        double value = wVar * mk + bVar;
        if (!ntk) {
            return value;
        }
        double fanIn = p.outChannels * (readout == Readout.FLATTEN ? positions : 1.0);
        return wVar * mt + (standard ? fanIn * mk + 1 : value);
    }

    /** The covariances K[p, p] of the current layer (entry p = h·W + w). */
    private double[] diagonal(double[] k, int h, int w) {
        double[] out = new double[h * w];
        for (int a = 0; a < h; a++) {
            for (int u = 0; u < w; u++) {
                out[a * w + u] = allPairs ? k[(a * h + a) * w * w + u * w + u] : k[a * w + u];
            }
        }
        return out;
    }

    /** K ← T(K), Θ ← Θ·Ṫ(K) entry by entry; qx, qz are the positions' variances. */
    private void activate(Activation phi, Work ws, int h, int w, double[] qx, double[] qz, boolean self, boolean ntk) {
        double[] k = ws.k;
        double[] t = ws.t;
        if (phi instanceof Activation.AbRelu && !self && ((Activation.AbRelu) phi).a != ((Activation.AbRelu) phi).b) {
            activateReluFamily((Activation.AbRelu) phi, ws, h, w, qx, qz, ntk);
            return;
        }
        if (phi instanceof Activation.AbRelu) {
            Activation.AbRelu ab = (Activation.AbRelu) phi;
            double bigA = ab.a * ab.a + ab.b * ab.b;
            double bigB = 2 * ab.a * ab.b;
            double inv2pi = 1 / (2 * Math.PI);
            int n = h * w;
            double[] sx = new double[n];
            double[] rx = new double[n];
            double[] sz = new double[n];
            double[] rz = new double[n];
            for (int q = 0; q < n; q++) {
                sx[q] = Math.sqrt(qx[q]);
                rx[q] = sx[q] > 0 ? 1 / sx[q] : 0;
                sz[q] = Math.sqrt(qz[q]);
                rz[q] = sz[q] > 0 ? 1 / sz[q] : 0;
            }
            if (!allPairs) {
                for (int q = 0; q < n; q++) {
                    k[q] = reluEntry(k, t, q, sx[q] * sz[q], rx[q] * rz[q], bigA, bigB, inv2pi, ntk, self);
                }
                return;
            }
            for (int a = 0; a < h; a++) {
                for (int b = 0; b < h; b++) {
                    int base = (a * h + b) * w * w;
                    for (int u = 0; u < w; u++) {
                        int px = a * w + u;
                        int row = base + u * w;
                        double sxp = sx[px];
                        double rxp = rx[px];
                        for (int v = 0; v < w; v++) {
                            int pz = b * w + v;
                            k[row + v] = reluEntry(k, t, row + v, sxp * sz[pz], rxp * rz[pz], bigA, bigB, inv2pi, ntk,
                                    self && a == b && u == v);
                        }
                    }
                }
            }
            return;
        }
        int n = h * w;
        if (!allPairs) {
            for (int q = 0; q < n; q++) {
                double kk = k[q];
                k[q] = self ? phi.self(kk) : phi.pair(qx[q], kk, qz[q]);
                if (ntk) {
                    t[q] *= self ? phi.derivativeSelf(kk) : phi.derivativePair(qx[q], kk, qz[q]);
                }
            }
            return;
        }
        for (int a = 0; a < h; a++) {
            for (int b = 0; b < h; b++) {
                for (int u = 0; u < w; u++) {
                    for (int v = 0; v < w; v++) {
                        int e = ((a * h + b) * w + u) * w + v;
                        double q11 = qx[a * w + u];
                        double q22 = qz[b * w + v];
                        double kk = k[e];
                        boolean diag = self && a == b && u == v;
                        k[e] = diag ? phi.self(kk) : phi.pair(q11, kk, q22);
                        if (ntk) {
                            t[e] *= diag ? phi.derivativeSelf(kk) : phi.derivativePair(q11, kk, q22);
                        }
                    }
                }
            }
        }
    }

    /**
     * The ReLU-family activation of a pair of different inputs, row by row of the layout: each row
     * (fixed a, b, u) has σσ' = σ_x(a, u)·σ_z(b, v) over v, one {@link ElementOps#reluFamilyDualOuter}
     * call. (Gram blocks take {@link ConvolutionalBatch}, whose rows are B times longer; this serves
     * {@link #value} and the position-diagonal networks.)
     */
    private void activateReluFamily(Activation.AbRelu ab, Work ws, int h, int w, double[] qx, double[] qz, boolean ntk) {
        int n = h * w;
        double[] sz = new double[n];
        double[] rz = new double[n];
        for (int q = 0; q < n; q++) {
            sz[q] = Math.sqrt(qz[q]);
            rz[q] = sz[q] > 0 ? 1 / sz[q] : 0;
        }
        // T = ν·σσ'·(s + d·c), Ṫ = ν·d with d = π − θ + κ: A(π − θ) + Bθ = (A − B)(π − θ) + Bπ
        double diff = (ab.a - ab.b) * (ab.a - ab.b);
        double nu = diff / (2 * Math.PI);
        double kappa = 2 * ab.a * ab.b * Math.PI / diff;
        ElementOps ops = ElementOps.get();
        double[] tt = ntk ? ws.t : null;
        if (!allPairs) {
            // diagonal: entry q pairs position q of x with position q of z, so σσ' is a product of two vectors
            for (int q = 0; q < n; q++) {
                double sx = Math.sqrt(qx[q]);
                sz[q] *= sx;
                rz[q] *= sx > 0 ? 1 / sx : 0;
            }
            ops.reluFamilyDualOuter(ws.k, tt, 0, n, 1, 1, sz, rz, 0, nu, kappa);
            return;
        }
        for (int a = 0; a < h; a++) {
            for (int u = 0; u < w; u++) {
                double sx = Math.sqrt(qx[a * w + u]);
                double rx = sx > 0 ? 1 / sx : 0;
                for (int b = 0; b < h; b++) {
                    ops.reluFamilyDualOuter(ws.k, tt, ((a * h + b) * w + u) * w, w, sx, rx, sz, rz, b * w, nu, kappa);
                }
            }
        }
    }

    /**
     * One ReLU-family dual entry (φ = a·x below 0, b·x above): with c the correlation and θ = arccos c,
     * T = σσ'/(2π)·[A(sin θ + (π − θ)c) − B(sin θ − θc)], Ṫ = [A(π − θ) + Bθ]/(2π), A = a² + b², B = 2ab;
     * on a sample's own diagonal c = 1. Returns T and multiplies Θ[e] by Ṫ.
     */
    private static double reluEntry(double[] k, double[] t, int e, double ss, double rr, double bigA,
            double bigB, double inv2pi, boolean ntk, boolean self) {
        double c = self ? 1 : ArcCosine.clipCorrelation(k[e] * rr);
        double theta = self ? 0 : ArcCosine.acos(c);
        double sin = Math.sqrt((1 - c) * (1 + c));
        if (ntk) {
            t[e] *= (bigA * (Math.PI - theta) + bigB * theta) * inv2pi;
        }
        return ss * inv2pi * (bigA * (sin + (Math.PI - theta) * c) - bigB * (sin - theta * c));
    }

    /**
     * The masks of {@link #shiftInner}: for tap t (offset δ = t − before), mask[t][e] = 1 where entry
     * e = ((a·h + b)·w + u)·w + u' has both u + δ and u' + δ inside [0, w), else 0.
     */
    private static double[][] innerMasks(Axis ax, int h) {
        int w = ax.in;
        double[][] masks = new double[ax.taps][h * h * w * w];
        for (int t = 0; t < ax.taps; t++) {
            int delta = t - ax.before;
            double[] m = masks[t];
            for (int blk = 0; blk < h * h; blk++) {
                for (int u = 0; u < w; u++) {
                    for (int v = 0; v < w; v++) {
                        boolean inside = u + delta >= 0 && u + delta < w && v + delta >= 0 && v + delta < w;
                        m[(blk * w + u) * w + v] = inside ? 1 : 0;
                    }
                }
            }
        }
        return masks;
    }

    /**
     * The inner-axis convolution of a shiftable axis on all position pairs: the same tap on both
     * sides moves u and u' together, i.e. the flat index of the [u][u'] block by δ·(w + 1), so each
     * tap is one long masked addition out[e] += mask[e]·in[e + δ·(w + 1)] over the whole array
     * (the mask zeroes the entries whose shifted position lies in the padding), instead of h²·w·f
     * additions of w entries each.
     */
    private static void shiftInner(Axis ax, double[][] masks, double[] in, double[] out, int n) {
        java.util.Arrays.fill(out, 0, n, 0.0);
        for (int t = 0; t < ax.taps; t++) {
            int shift = (t - ax.before) * (ax.in + 1);
            int lo = Math.max(0, -shift);
            int hi = Math.min(n, n - shift);
            ElementOps.get().addMaskedShifted(out, in, masks[t], lo, hi, shift);
        }
    }

    /**
     * The linear map along the inner (w) axis pair. All pairs: layout [h][h'][w][w'], output
     * [h][h'][q][q'] = Σ taps in[..][u(q)][u'(q')] (same tap on both sides for a convolution, every
     * tap pair for pooling). Diagonal: layout [h][w], out[h][q] = Σ_t in[h][u(q, t)].
     */
    private void applyInner(Axis ax, double[] in, double[] out, int h, int w) {
        int no = ax.out;
        if (!allPairs) {
            for (int a = 0; a < h; a++) {
                for (int q = 0; q < no; q++) {
                    double s = 0;
                    for (int t = 0; t < ax.taps; t++) {
                        int u = ax.index(q, t);
                        if (u >= 0) {
                            s += in[a * w + u];
                        }
                    }
                    out[a * no + q] = s;
                }
            }
            return;
        }
        int blocks = h * h;
        int inBlock = w * w;
        int outBlock = no * no;
        for (int blk = 0; blk < blocks; blk++) {
            int ib = blk * inBlock;
            int ob = blk * outBlock;
            java.util.Arrays.fill(out, ob, ob + outBlock, 0.0);
            for (int q = 0; q < no; q++) {
                int orow = ob + q * no;
                for (int t = 0; t < ax.taps; t++) {
                    int u = ax.index(q, t);
                    if (u < 0) {
                        continue;
                    }
                    int irow = ib + u * w;
                    if (ax.pool) {
                        for (int q2 = 0; q2 < no; q2++) {
                            double s = 0;
                            for (int t2 = 0; t2 < ax.taps; t2++) {
                                s += in[irow + q2 * ax.stride + t2];
                            }
                            out[orow + q2] += s;
                        }
                    } else {
                        addShifted(ax, t, in, irow, out, orow);
                    }
                }
            }
        }
    }

    /** out[orow + q'] += in[irow + u(q', t)] for every q' with u(q', t) inside (the same tap t). */
    private static void addShifted(Axis ax, int t, double[] in, int irow, double[] out, int orow) {
        int no = ax.out;
        if (ax.stride == 1 && !ax.wrap) {
            // contiguous: q' + t − before ∈ [0, in)
            int shift = t - ax.before;
            int lo = Math.max(0, -shift);
            int hi = Math.min(no, ax.in - shift);
            int from = irow + shift;
            for (int q2 = lo; q2 < hi; q2++) {
                out[orow + q2] += in[from + q2];
            }
            return;
        }
        for (int q2 = 0; q2 < no; q2++) {
            int u = ax.index(q2, t);
            if (u >= 0) {
                out[orow + q2] += in[irow + u];
            }
        }
    }

    /**
     * The linear map along the outer (h) axis pair: whole [w][w'] blocks (all pairs) or rows
     * [w] (diagonal) are added, so the inner loop is a contiguous, vectorized addition.
     */
    private void applyOuter(Axis ax, double[] in, double[] out, int h, int w) {
        int no = ax.out;
        int blk = allPairs ? w * w : w;
        if (!allPairs) {
            for (int q = 0; q < no; q++) {
                int ob = q * blk;
                java.util.Arrays.fill(out, ob, ob + blk, 0.0);
                for (int t = 0; t < ax.taps; t++) {
                    int u = ax.index(q, t);
                    if (u >= 0) {
                        addBlock(in, u * blk, out, ob, blk);
                    }
                }
            }
            return;
        }
        for (int q = 0; q < no; q++) {
            for (int q2 = 0; q2 < no; q2++) {
                int ob = (q * no + q2) * blk;
                java.util.Arrays.fill(out, ob, ob + blk, 0.0);
                for (int t = 0; t < ax.taps; t++) {
                    int u = ax.index(q, t);
                    if (u < 0) {
                        continue;
                    }
                    if (ax.pool) {
                        for (int t2 = 0; t2 < ax.taps; t2++) {
                            int u2 = ax.index(q2, t2);
                            addBlock(in, (u * h + u2) * blk, out, ob, blk);
                        }
                    } else {
                        int u2 = ax.index(q2, t);
                        if (u2 >= 0) {
                            addBlock(in, (u * h + u2) * blk, out, ob, blk);
                        }
                    }
                }
            }
        }
    }

    private static void addBlock(double[] in, int from, double[] out, int to, int n) {
        ElementOps.get().axpy(out, to, in, from, n, 1.0);
    }

    // ------------------------------------------------------------------------------------- spec

    @Override
    public String toSpec() {
        List<String> names = new ArrayList<>();
        for (Layer l : layers) {
            names.add(l.name);
        }
        return type(kind).spec(shape == null ? null : shapeText(), "[" + String.join(", ", names) + "]",
                readout.name().toLowerCase(Locale.ROOT), padding == Padding.SAME ? null : padding.name().toLowerCase(Locale.ROOT),
                wVar, bVar == 0 ? null : bVar, standard ? "standard" : null,
                standard && kind == NeuralKernel.Kind.NTK ? width : null);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConvolutionalKernel)) {
            return false;
        }
        ConvolutionalKernel k = (ConvolutionalKernel) o;
        return k.kind == kind && java.util.Arrays.equals(k.shape, shape) && k.layers.equals(layers)
                && k.readout == readout && k.padding == padding && k.wVar == wVar && k.bVar == bVar
                && k.standard == standard && k.width == width;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, java.util.Arrays.hashCode(shape), layers, readout, padding, wVar, bVar, standard, width);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
