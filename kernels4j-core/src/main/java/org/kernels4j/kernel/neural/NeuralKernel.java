package org.kernels4j.kernel.neural;

import java.util.Objects;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelCatalog;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.kernel.Specs;

/**
 * The NNGP kernel and the Neural Tangent Kernel of an infinitely wide fully connected network with
 * {@code depth} = L hidden layers (each a dense layer followed by the activation φ) and a dense
 * read-out, for inputs x ∈ ℝ^d.
 *
 * <p>NTK parameterization (the default, as in Neural Tangents): a dense layer with fan-in m maps
 * h ↦ (σ_w/√m)·W·h + σ_b·b with W, b standard normal, where {@code w_var} = σ_w² and
 * {@code b_var} = σ_b². The kernels follow the layer recursion, started from the scaled inner
 * products (⟨x, z⟩/d, ‖x‖²/d, ‖z‖²/d):
 * <pre>
 *   K⁰(x, z) = w_var·⟨x, z⟩/d + b_var,                      Θ⁰ = K⁰
 *   Kˡ(x, z) = w_var·T(Kˡ⁻¹) + b_var,                        Θˡ = Kˡ + w_var·Ṫ(Kˡ⁻¹)·Θˡ⁻¹
 * </pre>
 * where T and Ṫ are the activation's duals ({@link Activation}) evaluated at
 * (Kˡ⁻¹(x, x), Kˡ⁻¹(x, z), Kˡ⁻¹(z, z)). NNGP = K^L, NTK = Θ^L.
 *
 * <p>Standard parameterization ({@code param=standard}): the layer is W·h + b with W ~ N(0, w_var/m),
 * b ~ N(0, b_var). The forward kernel K is the same; the tangent kernel counts gradients with
 * respect to the unscaled parameters, so it depends on the fan-ins: Θ⁰ = ⟨x, z⟩ + 1 and
 * Θˡ = width·T(Kˡ⁻¹) + 1 + w_var·Ṫ(Kˡ⁻¹)·Θˡ⁻¹ (hidden layers of {@code width} units), the formula of
 * Neural Tangents' {@code Dense(parameterization='standard')}. Equivalently, the standard NTK is the
 * NTK-parameterized one with each layer's weight gradient weighted by fan-in/w_var and each bias
 * gradient by 1/b_var.
 *
 * <p>Numerics: correlations are clipped to [−1, 1]; a zero-variance pre-activation (a zero input
 * with b_var = 0) is treated as uncorrelated, which gives the exact limit for the homogeneous
 * activations; the diagonal K(x, x) is computed by the separate one-point recursion (no arccos
 * of a rounded 1), and in Gram tiles it overwrites the same-sample entries.
 *
 * <p>Cost per tile: one GEMM, then L fused element-wise steps per entry while the tile row is in
 * L1 cache (for the ReLU family a vectorized pass of about 30 flops per entry and layer);
 * numerical activations cost {@value Activation#QUADRATURE_POINTS}² activation evaluations per
 * entry and layer. Specs: {@code ntk(depth=5, activation=relu, w_var=2, b_var=0.05)},
 * {@code nngp(depth=3, activation=erf)}, {@code ntk(depth=2, param=standard, width=512)}.
 */
public final class NeuralKernel implements Kernel {
    /** Which limit kernel. */
    public enum Kind {
        /** The output covariance at initialization (Bayesian network prior). */
        NNGP,
        /** The neural tangent kernel (gradient-descent dynamics). */
        NTK
    }

    /** L, the number of hidden layers, 0 to 10000. */
    public static final KernelCatalog.Param DEPTH = KernelCatalog.Param.integer("depth", 1, 0, 10_000,
            "number of hidden layers L, >= 0");
    /** φ: a name from {@link Activation#names()} or a quoted expression in x. */
    public static final KernelCatalog.Param ACTIVATION = KernelCatalog.Param.word("activation", "relu",
            String.join(", ", Activation.names()) + ", or an expression in x such as \"x*erf(x)\"", Activation.names())
            .orQuoted();
    /** The negative slope of {@code leaky_relu}. */
    public static final KernelCatalog.Param ALPHA = KernelCatalog.Param.number("alpha", 0.01,
            "negative slope of activation=leaky_relu");
    /** The {@code abrelu} slope below 0. */
    public static final KernelCatalog.Param A = KernelCatalog.Param.number("a", 0, "abrelu slope below 0");
    /** The {@code abrelu} slope above 0. */
    public static final KernelCatalog.Param B = KernelCatalog.Param.number("b", 1, "abrelu slope above 0");
    /** σ_w² &gt; 0, learnable. */
    public static final KernelCatalog.Param W_VAR = KernelCatalog.Param.positive("w_var", 1,
            "weight variance sigma_w^2, > 0");
    /** σ_b² ≥ 0, learnable while positive. */
    public static final KernelCatalog.Param B_VAR = KernelCatalog.Param.nonNegative("b_var", 0,
            "bias variance sigma_b^2, >= 0");
    /** The parameterization, ntk or standard. */
    public static final KernelCatalog.Param PARAM = KernelCatalog.Param.word("param", "ntk",
            "parameterization: ntk or standard", java.util.List.of("ntk", "standard"));
    /** The hidden width of the standard-parameterization NTK. */
    public static final KernelCatalog.Param WIDTH = KernelCatalog.Param.integer("width", null, 1, Integer.MAX_VALUE,
            "hidden width, for the standard-parameterization NTK");

    private static final java.util.List<KernelCatalog.Param> PARAMS = java.util.List.of(DEPTH, ACTIVATION, ALPHA, A, B,
            W_VAR, B_VAR, PARAM, WIDTH);

    /** The NNGP's declaration. */
    public static final KernelCatalog.Type NNGP_TYPE = KernelCatalog.Type.builder("nngp",
            "output covariance of an infinitely wide network: K^l = w_var T(K^(l-1)) + b_var")
            .params(PARAMS)
            .examples("nngp(depth=3, activation=relu, w_var=2, b_var=0.1)", "nngp(depth=2, activation=sign, b_var=0.1)",
                    "nngp(depth=2, activation=erf, w_var=1.5, b_var=0.2, param=standard)",
                    "nngp(depth=1, activation=\"x*erf(x)\", b_var=0.5)")
            .factory(a -> parse(a, Kind.NNGP));
    /** The NTK's declaration. */
    public static final KernelCatalog.Type NTK_TYPE = KernelCatalog.Type.builder("ntk",
            "neural tangent kernel: Theta^l = K^l + w_var Tdot(K^(l-1)) Theta^(l-1)")
            .params(PARAMS)
            .examples("ntk(depth=3, activation=relu, w_var=2, b_var=0.1)", "ntk(depth=2, activation=leaky_relu, alpha=0.1)",
                    "ntk(depth=2, activation=abrelu, a=-0.5, b=1.5, b_var=0.3)",
                    "ntk(depth=3, activation=erf, w_var=1.5, b_var=0.2)", "ntk(depth=2, activation=gelu, b_var=0.1)",
                    "ntk(depth=2, param=standard, width=100, b_var=0.1)")
            .factory(a -> parse(a, Kind.NTK));

    private final Kind kind;
    private final int depth;
    private final Activation activation;
    private final double wVar;
    private final double bVar;
    private final boolean standard;
    private final int width;

    private NeuralKernel(Kind kind, int depth, Activation activation, double wVar, double bVar, boolean standard,
            int width) {
        String name = type(kind).name();
        this.kind = kind;
        this.depth = DEPTH.check(name, depth);
        this.activation = Objects.requireNonNull(activation, "activation");
        this.wVar = W_VAR.check(name, wVar);
        this.bVar = B_VAR.check(name, bVar);
        this.standard = standard;
        if (standard && kind == Kind.NTK && width < 1) {
            throw new Kernels4jException("ntk: param=standard needs the hidden layer width, e.g. width=512");
        }
        this.width = standard && kind == Kind.NTK ? width : 0;
    }

    private static KernelCatalog.Type type(Kind kind) {
        return kind == Kind.NNGP ? NNGP_TYPE : NTK_TYPE;
    }

    /**
     * The factory behind {@code nngp(…)} and {@code ntk(…)}: the declared parameters, plus the checks
     * between them ({@code alpha} only with leaky_relu, {@code a}, {@code b} only with abrelu,
     * {@code width} exactly with the standard-parameterization NTK).
     */
    private static Kernel parse(KernelSpec.Args a, Kind kind) {
        int depth = a.integer(DEPTH);
        String expression = a.quoted(ACTIVATION);
        Activation act;
        if (expression != null) {
            try {
                act = Activation.expression(expression);
            } catch (Kernels4jException e) {
                throw a.error(ACTIVATION, e.getMessage());
            }
            for (KernelCatalog.Param p : java.util.List.of(ALPHA, A, B)) {
                if (a.has(p)) {
                    throw a.error(p, "'" + p.name() + "' applies only to activation=leaky_relu or abrelu");
                }
            }
        } else {
            String actName = a.word(ACTIVATION);
            if (actName.equals("leaky_relu")) {
                act = Activation.leakyRelu(a.number(ALPHA));
            } else if (actName.equals("abrelu")) {
                act = Activation.abRelu(a.number(A), a.number(B));
            } else {
                for (KernelCatalog.Param p : java.util.List.of(ALPHA, A, B)) {
                    if (a.has(p)) {
                        throw a.error(p, "'" + p.name() + "' applies only to "
                                + (p == ALPHA ? "activation=leaky_relu" : "activation=abrelu"));
                    }
                }
                act = Activation.named(actName);
            }
        }
        double w = a.number(W_VAR);
        double b = a.number(B_VAR);
        boolean standard = a.word(PARAM).equals("standard");
        if (!standard && a.has(WIDTH)) {
            throw a.error(WIDTH, "'width' applies only to param=standard");
        }
        if (kind == Kind.NNGP) {
            if (a.has(WIDTH)) {
                throw a.error(WIDTH, "the NNGP does not depend on the width; drop 'width'");
            }
            NeuralKernel k = NeuralKernel.nngp(depth, act, w, b);
            return standard ? k.asStandard() : k;
        }
        if (standard && !a.has(WIDTH)) {
            throw a.error(PARAM, "param=standard needs the hidden layer width, e.g. width=512");
        }
        return standard ? NeuralKernel.ntkStandard(depth, act, w, b, a.integer(WIDTH)) : NeuralKernel.ntk(depth, act, w, b);
    }

    /** The NNGP kernel of a depth-L network (the parameterization does not change it). */
    public static NeuralKernel nngp(int depth, Activation activation, double wVar, double bVar) {
        return new NeuralKernel(Kind.NNGP, depth, activation, wVar, bVar, false, 0);
    }

    /** The NTK of a depth-L network in the NTK parameterization. */
    public static NeuralKernel ntk(int depth, Activation activation, double wVar, double bVar) {
        return new NeuralKernel(Kind.NTK, depth, activation, wVar, bVar, false, 0);
    }

    /** The NTK in the standard parameterization with hidden layers of {@code width} units. */
    public static NeuralKernel ntkStandard(int depth, Activation activation, double wVar, double bVar, int width) {
        return new NeuralKernel(Kind.NTK, depth, activation, wVar, bVar, true, width);
    }

    /** The same network's other kernel (NNGP ↔ NTK), same parameterization and width. */
    public NeuralKernel withKind(Kind k) {
        return new NeuralKernel(k, depth, activation, wVar, bVar, standard, width);
    }

    /** This NNGP marked as belonging to a standard-parameterization network (the values are the same). */
    public NeuralKernel asStandard() {
        return new NeuralKernel(kind, depth, activation, wVar, bVar, true, width);
    }

    /** NNGP or NTK. */
    public Kind kind() {
        return kind;
    }

    /** Number of hidden layers L. */
    public int depth() {
        return depth;
    }

    /** The activation φ. */
    public Activation activation() {
        return activation;
    }

    /** σ_w². */
    public double weightVariance() {
        return wVar;
    }

    /** σ_b². */
    public double biasVariance() {
        return bVar;
    }

    /** True for the standard parameterization. */
    public boolean standardParameterization() {
        return standard;
    }

    /** Hidden width used by the standard-parameterization NTK (0 otherwise). */
    public int width() {
        return width;
    }

    @Override
    public double value(double[] x, double[] z) {
        Specs.requireSameLength(x, z);
        int d = x.length;
        double inv = d == 0 ? 0 : 1.0 / d;
        return recurse(Specs.dot(x, z) * inv, Specs.dot(x, x) * inv, Specs.dot(z, z) * inv, d, false);
    }

    @Override
    public double selfValue(double[] x) {
        int d = x.length;
        return diagonal(d == 0 ? 0 : Specs.dot(x, x) / d, d);
    }

    /** K(x, x) or Θ(x, x) from ‖x‖²/d by the one-point recursion. */
    double diagonal(double meanSquare, int d) {
        return recurse(meanSquare, meanSquare, meanSquare, d, true);
    }

    private double recurse(double ip, double nx, double nz, int d, boolean same) {
        double q12 = wVar * ip + bVar;
        double q11 = wVar * nx + bVar;
        double q22 = wVar * nz + bVar;
        double theta = standard ? d * ip + 1 : q12;
        for (int l = 0; l < depth; l++) {
            double t = same ? activation.self(q11) : activation.pair(q11, q12, q22);
            double td = same ? activation.derivativeSelf(q11) : activation.derivativePair(q11, q12, q22);
            double next = wVar * t + bVar;
            if (kind == Kind.NTK) {
                theta = (standard ? width * t + 1 : next) + wVar * td * theta;
            }
            q12 = next;
            if (same) {
                q11 = next;
                q22 = next;
            } else {
                q11 = wVar * activation.self(q11) + bVar;
                q22 = wVar * activation.self(q22) + bVar;
            }
        }
        return kind == Kind.NTK ? theta : q12;
    }

    /** Per-layer variances Kˡ(x, x), l = 0..L−1, for each row's mean square; result[l][i]. */
    private double[][] layerVariances(double[] squaredNorms, int start, int count, int d) {
        double[][] v = new double[depth][count];
        double inv = d == 0 ? 0 : 1.0 / d;
        for (int i = 0; i < count; i++) {
            double q = wVar * squaredNorms[start + i] * inv + bVar;
            for (int l = 0; l < depth; l++) {
                v[l][i] = q;
                q = wVar * activation.self(q) + bVar;
            }
        }
        return v;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int rows = block.rows();
        int cols = block.cols();
        int d = block.features();
        double inv = d == 0 ? 0 : 1.0 / d;
        block.innerProducts(out);
        int len = rows * cols;
        boolean ntk = kind == Kind.NTK;
        if (depth == 0) {
            for (int k = 0; k < len; k++) {
                out[k] = ntk && standard ? out[k] + 1 : wVar * out[k] * inv + bVar;
            }
        } else {
            double[][] qRow = layerVariances(block.leftSquaredNorms(), block.rowStart(), rows, d);
            double[][] qCol = layerVariances(block.rightSquaredNorms(), block.colStart(), cols, d);
            if (!(activation instanceof Activation.AbRelu)
                    || !reluFamily((Activation.AbRelu) activation, out, rows, cols, qRow, qCol, inv)) {
                double[] theta = ntk ? block.borrow() : null;
                if (ntk) {
                    for (int k = 0; k < len; k++) {
                        theta[k] = standard ? out[k] + 1 : wVar * out[k] * inv + bVar;
                    }
                }
                for (int k = 0; k < len; k++) {
                    out[k] = wVar * out[k] * inv + bVar;
                }
                generic(out, theta, rows, cols, qRow, qCol);
                if (ntk) {
                    System.arraycopy(theta, 0, out, 0, len);
                    block.giveBack(theta);
                }
            }
        }
        double[] norms = block.leftSquaredNorms();
        block.setSameSampleEntries(out, sample -> diagonal(norms[sample] * inv, d));
    }

    /**
     * The vectorized path ({@link ElementOps#reluFamilyRow}): all L layers on one tile row at a time,
     * so the row stays in L1 cache. It carries the correlation c = K/(σ_x·σ_z) and the tangent
     * kernel scaled the same way, t = Θ/(γ·σ_x·σ_z), where σ² are the layer's variances K(x, x),
     * K(z, z). For φ = a·x below 0 and b·x above, with A = a² + b², B = 2ab and E = A − B = (a − b)²,
     * the duals are T = σ_xσ_z·E·g/(2π) and Ṫ = E·d/(2π) with d = π − θ + κ, κ = Bπ/E and
     * g = sin θ + d·c, so one layer is
     * <pre>
     *   c' = ρ·g + b_var/(σ'_xσ'_z),   t' = ρ·d·t + c' + δ/(σ'_xσ'_z),   ρ = (w_var·E/2π)·σ_xσ_z/(σ'_xσ'_z)
     * </pre>
     * with γ = 1, δ = 0 in the NTK parameterization and γ = width/w_var, δ = w_var/width − b_var in
     * the standard one; the last layer uses σ' = 1, which leaves K and Θ/γ. The per-row and
     * per-column factors of ρ and 1/σ' are computed once per tile, so the inner loop has no division.
     * Returns false (and leaves q untouched) where this form does not apply: a = b (E = 0, a linear
     * activation) and, for the standard-parameterization NTK, a zero variance (a zero input with
     * b_var = 0), whose tangent kernel the scaling by 1/σ would lose.
     */
    private boolean reluFamily(Activation.AbRelu act, double[] q, int rows, int cols, double[][] qRow, double[][] qCol,
            double inv) {
        double bigA = act.a * act.a + act.b * act.b;
        double bigB = 2 * act.a * act.b;
        double e = bigA - bigB;
        boolean ntk = kind == Kind.NTK;
        boolean standardNtk = ntk && standard;
        if (!(e > 0) || standardNtk && (hasZero(qRow) || hasZero(qCol))) {
            return false;
        }
        double gamma = standardNtk ? width / wVar : 1;
        double delta = standardNtk ? wVar / width - bVar : 0;
        double scale = wVar * e / (2 * Math.PI);
        double[] con = {wVar * inv, bVar, standardNtk ? 1 / gamma : wVar * inv, standardNtk ? 1 / gamma : bVar,
            bigB * Math.PI / e, gamma, ntk ? 1 : 0};
        double[][] sCol = map(qCol, Math::sqrt);
        // 1/σ, and 0 for σ = 0: a zero-variance pre-activation is taken as uncorrelated with everything
        double[][] rCol = map(sCol, v -> v > 0 ? 1 / v : 0);
        double[][] colCoef = new double[2 * depth + 1][];
        colCoef[0] = rCol[0];
        double[] ones = new double[cols];
        java.util.Arrays.fill(ones, 1.0);
        for (int l = 0; l < depth; l++) {
            boolean last = l == depth - 1;
            double[] ratio = new double[cols];
            for (int j = 0; j < cols; j++) {
                ratio[j] = last ? sCol[l][j] : sCol[l][j] * rCol[l + 1][j];
            }
            colCoef[1 + 2 * l] = ratio;
            colCoef[2 + 2 * l] = last ? ones : rCol[l + 1];
        }
        double[][] rowCoef = new double[rows][3 * depth + 1];
        for (int i = 0; i < rows; i++) {
            double s = Math.sqrt(qRow[0][i]);
            rowCoef[i][0] = s > 0 ? 1 / s : 0;
            for (int l = 0; l < depth; l++) {
                double next = l == depth - 1 ? 1 : Math.sqrt(qRow[l + 1][i]);
                double r = next > 0 ? 1 / next : 0;
                rowCoef[i][1 + 3 * l] = scale * s * r;
                rowCoef[i][2 + 3 * l] = bVar * r;
                rowCoef[i][3 + 3 * l] = delta * r;
                s = next;
            }
        }
        double[] cLower = correlationLowerBounds(rowCoef, colCoef, con[4]);
        ElementOps ops = ElementOps.get();
        double[] scratch = new double[2 * cols];
        for (int i = 0; i < rows; i++) {
            ops.reluFamilyRow(q, i * cols, cols, rowCoef[i], colCoef, con, cLower, scratch);
        }
        return true;
    }

    /**
     * Lower bounds of the correlations entering each layer of a tile, so that the vector code may
     * use its shorter loops (for c ≥ 0 and for c &gt; ½). The bound ℓ is carried through the layer
     * map: with g(c) = sin θ + (π − θ + κ)·c, increasing in c when κ ≥ 0 (its derivative is
     * π − θ + κ), and c' = a·g + B·b with a ∈ [a_lo, a_hi] and B·b ≥ (B·b)_lo over the tile's rows
     * and columns, ℓ' = (g(ℓ) ≥ 0 ? a_lo : a_hi)·g(ℓ) + (B·b)_lo, starting from ℓ = −1. For ReLU
     * every correlation after the first layer is ≥ 0, and from the fourth or fifth on every one
     * exceeds ½. A margin of 10⁻⁹ covers rounding; for κ &lt; 0 (a·b &lt; 0) the bound stays −1.
     */
    private static double[] correlationLowerBounds(double[][] rowCoef, double[][] colCoef, double kappa) {
        int depth = (colCoef.length - 1) / 2;
        double[] bound = new double[depth];
        java.util.Arrays.fill(bound, -1);
        if (kappa < 0) {
            return bound;
        }
        double lower = -1;
        for (int l = 0; l < depth; l++) {
            bound[l] = lower;
            double[] alpha = colCoef[1 + 2 * l];
            double[] beta = colCoef[2 + 2 * l];
            double aLo = Double.POSITIVE_INFINITY;
            double aHi = 0;
            double bLo = Double.POSITIVE_INFINITY;
            for (double[] row : rowCoef) {
                aLo = Math.min(aLo, row[1 + 3 * l]);
                aHi = Math.max(aHi, row[1 + 3 * l]);
                bLo = Math.min(bLo, row[2 + 3 * l]);
            }
            double colLo = Double.POSITIVE_INFINITY;
            double colHi = 0;
            double betaLo = Double.POSITIVE_INFINITY;
            for (int k = 0; k < alpha.length; k++) {
                colLo = Math.min(colLo, alpha[k]);
                colHi = Math.max(colHi, alpha[k]);
                betaLo = Math.min(betaLo, beta[k]);
            }
            double c = Math.max(-1, Math.min(1, lower));
            double g = Math.sqrt((1 - c) * (1 + c)) + (Math.PI - Math.acos(c) + kappa) * c;
            lower = Math.max(-1, (g >= 0 ? aLo * colLo : aHi * colHi) * g + bLo * betaLo - 1e-9);
        }
        return bound;
    }

    private static boolean hasZero(double[][] variances) {
        for (double[] layer : variances) {
            for (double v : layer) {
                if (!(v > 0)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** f applied to every element (per-layer variances to roots, roots to reciprocals). */
    private static double[][] map(double[][] a, java.util.function.DoubleUnaryOperator f) {
        double[][] out = new double[a.length][];
        for (int l = 0; l < a.length; l++) {
            out[l] = new double[a[l].length];
            for (int j = 0; j < a[l].length; j++) {
                out[l][j] = f.applyAsDouble(a[l][j]);
            }
        }
        return out;
    }

    private void generic(double[] q, double[] theta, int rows, int cols, double[][] qRow, double[][] qCol) {
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < depth; l++) {
                double q11 = qRow[l][i];
                for (int j = 0; j < cols; j++) {
                    int k = i * cols + j;
                    double q22 = qCol[l][j];
                    double t = activation.pair(q11, q[k], q22);
                    double next = wVar * t + bVar;
                    if (theta != null) {
                        double td = activation.derivativePair(q11, q[k], q22);
                        theta[k] = (standard ? width * t + 1 : next) + wVar * td * theta[k];
                    }
                    q[k] = next;
                }
            }
        }
    }

    /**
     * {@code nngp.w_var} / {@code ntk.w_var}, and {@code …b_var} when b_var &gt; 0 (log space cannot
     * hold a zero). The depth, activation and width are discrete.
     */
    @Override
    public java.util.List<Hyperparameter> hyperparameters() {
        KernelCatalog.Type t = type(kind);
        return bVar > 0 ? java.util.List.of(W_VAR.hyperparameter(t, wVar), B_VAR.hyperparameter(t, bVar))
                : java.util.List.of(W_VAR.hyperparameter(t, wVar));
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, bVar > 0 ? 2 : 1);
        return new NeuralKernel(kind, depth, activation, values[0], bVar > 0 ? values[1] : 0.0, standard, width);
    }

    /** Step in log θ of the derivative rule below. */
    private static final double LOG_STEP = 1e-3;

    /**
     * The derivatives with respect to log w_var and log b_var by the five-point rule
     * f' ≈ [8(f(h) − f(−h)) − (f(2h) − f(−2h))]/(12h) in log θ with h = 10⁻³, applied to the whole
     * tile: truncation error h⁴·f⁽⁵⁾/30 ≈ 3·10⁻¹⁴ and rounding about 1.5ε/h ≈ 3·10⁻¹³ relative to
     * the kernel's magnitude. A closed form would need the duals' derivatives with respect to the
     * variances, E[φ''(u)φ(v)], which most activations (and the quadrature ones) do not provide; the
     * recursion is smooth in both parameters, so the rule is as accurate as a closed form would be in
     * double precision. Cost: four extra tile evaluations per parameter.
     */
    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        computeBlock(block, out);
        double[] base = bVar > 0 ? new double[] {wVar, bVar} : new double[] {wVar};
        double[] tmp = block.borrow();
        try {
            for (int p = 0; p < base.length; p++) {
                double[] g = gradients[p];
                java.util.Arrays.fill(g, 0, len, 0.0);
                int[] steps = {1, -1, 2, -2};
                double[] weights = {8, -8, -1, 1};
                for (int s = 0; s < 4; s++) {
                    double[] v = base.clone();
                    v[p] *= Math.exp(steps[s] * LOG_STEP);
                    withHyperparameters(v).computeBlock(block, tmp);
                    for (int k = 0; k < len; k++) {
                        g[k] += weights[s] * tmp[k];
                    }
                }
                double scale = 1.0 / (12 * LOG_STEP);
                for (int k = 0; k < len; k++) {
                    g[k] *= scale;
                }
            }
        } finally {
            block.giveBack(tmp);
        }
    }

    @Override
    public String toSpec() {
        Double alpha = null;
        Double a = null;
        Double b = null;
        if (activation instanceof Activation.AbRelu && !activation.name().equals("relu")) {
            Activation.AbRelu ab = (Activation.AbRelu) activation;
            if (activation.name().equals("leaky_relu")) {
                alpha = ab.a;
            } else {
                a = ab.a;
                b = ab.b;
            }
        }
        return type(kind).spec(depth, activation.specValue(), alpha, a, b, wVar, bVar, standard ? "standard" : null,
                standard && kind == Kind.NTK ? width : null);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof NeuralKernel)) {
            return false;
        }
        NeuralKernel k = (NeuralKernel) o;
        return k.kind == kind && k.depth == depth && k.activation.equals(activation) && k.wVar == wVar
                && k.bVar == bVar && k.standard == standard && k.width == width;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, depth, activation, wVar, bVar, standard, width);
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
