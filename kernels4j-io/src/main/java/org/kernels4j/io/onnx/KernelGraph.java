package org.kernels4j.io.onnx;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.ConstantKernel;
import org.kernels4j.kernel.CosineKernel;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.LaplacianKernel;
import org.kernels4j.kernel.LinearKernel;
import org.kernels4j.kernel.MaternKernel;
import org.kernels4j.kernel.PeriodicKernel;
import org.kernels4j.kernel.PolynomialKernel;
import org.kernels4j.kernel.ProductKernel;
import org.kernels4j.kernel.RationalQuadraticKernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.kernel.ScaledKernel;
import org.kernels4j.kernel.SigmoidKernel;
import org.kernels4j.kernel.SumKernel;
import org.kernels4j.kernel.WhiteNoiseKernel;
import org.kernels4j.kernel.neural.Activation;
import org.kernels4j.kernel.neural.ArcCosineKernel;
import org.kernels4j.kernel.neural.NeuralKernel;
import org.kernels4j.linalg.ArcCosine;
import org.kernels4j.linalg.Matrix;

/**
 * Writes the cross-kernel matrix K(X, C) [N, m] of a kernel as graph operators, for the graph's
 * input X [N, d] against constant rows C [m, d] (training rows, support vectors, centres).
 *
 * <p>Each kernel follows kernels4j's own formula for distinct samples ({@link Kernel#value}), in
 * the same algebraic form as its Gram tiles where that matters for rounding: squared distances as
 * ‖x‖² + ‖c‖² − 2⟨x, c⟩ (MatMul and ReduceSumSquare) on inputs centred at the mean of C and divided by
 * the ARD length scales, clipped at 0; correlations of the neural kernels clipped and snapped as
 * {@link ArcCosine#clipCorrelation} does; arccos by {@link ArcCosine}'s reduction and polynomial
 * ({@link #acos}). Exported: rbf, laplacian (l2, l1), matern, rq, linear, poly, sigmoid, cosine,
 * periodic, constant, white (0 between distinct samples), sums, products and positive multiples of
 * these, arccos, and nngp/ntk with the closed-form activations relu, leaky_relu, abrelu, identity,
 * erf, sign and step (either parameterization). Any other kernel is refused by name.
 */
final class KernelGraph {
    private final OnnxGraph g;
    private final String x;
    private final Matrix c;
    private final int d;
    private final int m;
    private final Map<String, String> distances = new HashMap<>();
    private String innerProducts;
    private String inputSquaredNorms;
    private double[] centreSquaredNorms;

    KernelGraph(OnnxGraph g, String x, Matrix c) {
        this.g = g;
        this.x = x;
        this.c = c;
        this.d = c.cols();
        this.m = c.rows();
    }

    /** Throws, naming the first part of {@code k} that has no ONNX form; returns normally otherwise. */
    static void requireExportable(Kernel k) {
        if (k instanceof ScaledKernel s) {
            requireExportable(s.kernel());
        } else if (k instanceof SumKernel s) {
            s.terms().forEach(KernelGraph::requireExportable);
        } else if (k instanceof ProductKernel p) {
            p.factors().forEach(KernelGraph::requireExportable);
        } else if (k instanceof NeuralKernel n) {
            activation(n.activation());
        } else if (!(k instanceof RbfKernel || k instanceof LaplacianKernel || k instanceof MaternKernel
                || k instanceof RationalQuadraticKernel || k instanceof LinearKernel || k instanceof PolynomialKernel
                || k instanceof SigmoidKernel || k instanceof CosineKernel || k instanceof PeriodicKernel
                || k instanceof ConstantKernel || k instanceof WhiteNoiseKernel || k instanceof ArcCosineKernel)) {
            throw new Kernels4jException("the kernel '" + k.toSpec() + "' cannot be exported to ONNX "
                    + "(exported kernels: rbf, laplacian, matern, rq, linear, poly, sigmoid, cosine, periodic, "
                    + "constant, white, arccos, "
                    + "nngp/ntk with a closed-form activation, and their sums, products and multiples)");
        }
    }

    /** K(X, C) as a [N, m] tensor. */
    String gram(Kernel k) {
        requireExportable(k);
        return build(k);
    }

    private String build(Kernel k) {
        if (k instanceof ScaledKernel s) {
            return g.mul(build(s.kernel()), s.scale());
        }
        if (k instanceof SumKernel s) {
            String sum = null;
            for (Kernel t : s.terms()) {
                String v = build(t);
                sum = sum == null ? v : g.add(sum, v);
            }
            return sum;
        }
        if (k instanceof ProductKernel p) {
            String prod = null;
            for (Kernel f : p.factors()) {
                String v = build(f);
                prod = prod == null ? v : g.mul(prod, v);
            }
            return prod;
        }
        if (k instanceof RbfKernel r) {
            return g.exp(g.mul(squaredDistances(r.lengthScales(), r.gamma()), -r.gamma()));
        }
        if (k instanceof LaplacianKernel l) {
            String dist = l.isL1() ? l1Distances() : g.sqrt(squaredDistances(null, l.gamma() * l.gamma()));
            return g.exp(g.mul(dist, -l.gamma()));
        }
        if (k instanceof MaternKernel mk) {
            return matern(mk);
        }
        if (k instanceof RationalQuadraticKernel rq) {
            double alpha = rq.hyperparameters().get(0).value();
            double length = rq.hyperparameters().get(1).value();
            double scale = 1.0 / (2 * alpha * length * length);
            String base = g.add(g.mul(squaredDistances(null, scale), scale), 1.0);
            return g.op("Pow", base, g.scalar(-alpha));
        }
        if (k instanceof LinearKernel) {
            return innerProducts();
        }
        if (k instanceof PolynomialKernel p) {
            return g.op("Pow", g.add(g.mul(innerProducts(), p.gamma()), p.coef0()), g.scalar(p.degree()));
        }
        if (k instanceof SigmoidKernel s) {
            return g.op("Tanh", g.add(g.mul(innerProducts(), s.gamma()), s.coef0()));
        }
        if (k instanceof CosineKernel) {
            return cosine();
        }
        if (k instanceof PeriodicKernel p) {
            return periodic(p.hyperparameters().get(0).value(), p.hyperparameters().get(1).value());
        }
        if (k instanceof ConstantKernel ck) {
            return g.add(g.zeros(x, m), ck.constant());
        }
        if (k instanceof WhiteNoiseKernel) {
            return g.zeros(x, m); // white noise is 0 between distinct samples, and a prediction pairs distinct ones
        }
        if (k instanceof ArcCosineKernel a) {
            return arcCosine(a);
        }
        return neural((NeuralKernel) k);
    }

    // ------------------------------------------------------------------------ shared pieces

    /** ⟨x, c⟩ [N, m], raw inputs. */
    private String innerProducts() {
        if (innerProducts == null) {
            innerProducts = g.matmul(x, g.constant("centres_t", c.transpose().data(), d, m));
        }
        return innerProducts;
    }

    /** ‖x‖² [N, 1], raw inputs. */
    private String inputSquaredNorms() {
        if (inputSquaredNorms == null) {
            inputSquaredNorms = g.rowSumOfSquares(x);
        }
        return inputSquaredNorms;
    }

    /** ‖c‖² of the raw centres [1, m], as a constant. */
    private String centreSquaredNorms() {
        if (centreSquaredNorms == null) {
            centreSquaredNorms = c.rowSquaredNorms();
        }
        return g.constant("centre_norms", centreSquaredNorms, 1, m);
    }

    /**
     * Above this value of max_j ‖c'_j‖² times the kernel's scale of r² (γ for rbf), the expansion's rounding error,
     * about 2⁻⁵²·‖c'‖², moves the kernel's argument by more than 2⁻³⁰: the distances are then summed from the
     * differences instead.
     */
    static final double DIRECT_DISTANCES_ABOVE = 0x1p22;

    /**
     * ‖(x − c)/ℓ‖² [N, m] as ‖x'‖² + ‖c'‖² − 2⟨x', c'⟩ with x' = (x − μ)/ℓ, μ the mean of the
     * centres (centring keeps the cancellation small, as in kernels4j's Gram tiles), clipped at 0.
     *
     * <p>Where the centres themselves have huge centred norms (one row with a value of 10¹⁰ moves μ and every
     * norm; two clusters far apart), the expansion loses the small distances that decide the kernel, and kernels4j's
     * Gram tiles recompute those entries from the rows; a graph cannot branch per entry, so when
     * max_j ‖c'_j‖²·{@code scale} exceeds {@link #DIRECT_DISTANCES_ABOVE} (or is not finite) the whole distance
     * matrix is Σ_f ((x_f − c_f)/ℓ_f)² over an [N, m, d] broadcast: exact, and d times the memory.
     *
     * @param scale what the kernel multiplies r² by (γ for rbf, γ² for the laplacian's r, 1/ℓ² for matern)
     */
    private String squaredDistances(double[] lengthScales, double scale) {
        double[] mu = c.columnMeans();
        double[] inv = new double[d];
        for (int f = 0; f < d; f++) {
            inv[f] = lengthScales == null ? 1 : 1.0 / lengthScales[f];
        }
        double[] ct = new double[d * m];
        double[] cn = new double[m];
        double largest = 0;
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int f = 0; f < d; f++) {
                double v = (c.get(j, f) - mu[f]) * inv[f];
                ct[f * m + j] = v;
                s += v * v;
            }
            cn[j] = s;
            largest = Math.max(largest, s);
        }
        boolean direct = !(largest * Math.abs(scale) <= DIRECT_DISTANCES_ABOVE);
        String key = (direct ? "direct " : "") + (lengthScales == null ? "" : java.util.Arrays.toString(lengthScales));
        String cached = distances.get(key);
        if (cached != null) {
            return cached;
        }
        if (direct) {
            String diff = differences();
            if (lengthScales != null) {
                diff = g.mul(diff, g.constant("inverse_scales_3d", inv, 1, 1, d));
            }
            String result = g.op("ReduceSum", List.of(OnnxGraph.Attribute.of("keepdims", 0)), g.mul(diff, diff),
                    g.int64s(2));
            distances.put(key, result);
            return result;
        }
        String xc = g.sub(x, g.constant("mean", mu, 1, d));
        if (lengthScales != null) {
            xc = g.mul(xc, g.constant("inverse_scales", inv, 1, d));
        }
        String cross = g.matmul(xc, g.constant("centred_t", ct, d, m));
        String sum = g.add(g.rowSumOfSquares(xc), g.constant("centred_norms", cn, 1, m));
        String result = g.max(g.sub(sum, g.mul(cross, 2.0)), g.scalar(0.0));
        distances.put(key, result);
        return result;
    }

    /** Differences x_f − c_f [N, m, d] by broadcasting X [N, 1, d] against C [1, m, d]. */
    private String differences() {
        String x3 = g.op("Unsqueeze", x, g.int64s(1));
        return g.sub(x3, g.constant("centres", c.data(), 1, m, d));
    }

    /** Σ_f |x_f − c_f| [N, m]. */
    private String l1Distances() {
        return g.op("ReduceSum", List.of(OnnxGraph.Attribute.of("keepdims", 0)), g.abs(differences()), g.int64s(2));
    }

    private String matern(MaternKernel k) {
        String r = g.mul(g.sqrt(squaredDistances(k.lengthScales(), 1.0 / (k.length() * k.length()))), 1.0 / k.length());
        if (k.nu() == 0.5) {
            return g.exp(g.neg(r));
        }
        String t = g.mul(r, Math.sqrt(k.nu() == 1.5 ? 3 : 5));
        String poly = k.nu() == 1.5 ? g.add(t, 1.0) : g.add(g.add(t, 1.0), g.div(g.mul(t, t), g.scalar(3.0)));
        String e = g.exp(g.neg(t));
        // 0 where e^(−t) is 0, as kernels4j's passes give: an overflowed distance would make the product ∞·0
        return g.where(g.greater(e, g.scalar(0.0)), g.mul(poly, e), g.scalar(0.0));
    }

    /** ⟨x, c⟩/(‖x‖‖c‖), and 0 when either norm is 0. */
    private String cosine() {
        double[] cn = c.rowSquaredNorms();
        double[] inv = new double[m];
        for (int j = 0; j < m; j++) {
            inv[j] = cn[j] == 0 ? 0.0 : 1.0 / Math.sqrt(cn[j]);
        }
        String xn = inputSquaredNorms();
        String positive = g.greater(xn, g.scalar(0.0));
        String xInv = g.where(positive, g.div(g.scalar(1.0), g.sqrt(g.where(positive, xn, g.scalar(1.0)))),
                g.scalar(0.0));
        return g.mul(g.mul(innerProducts(), xInv), g.constant("inverse_norms", inv, 1, m));
    }

    /** exp(−2·Σ_f sin²(π(x_f − c_f)/p)/ℓ²). */
    private String periodic(double length, double period) {
        String s = g.op("Sin", g.mul(differences(), Math.PI / period));
        String sum = g.op("ReduceSum", List.of(OnnxGraph.Attribute.of("keepdims", 0)), g.mul(s, s), g.int64s(2));
        return g.exp(g.mul(sum, -2 / (length * length)));
    }

    // ------------------------------------------------------------------------ neural kernels

    /**
     * arccos(c) for c ∈ [−1, 1] by {@link ArcCosine#acos}'s reduction: with a = |c|, z = a² and
     * y = a when a ≤ ½, else z = (1 − a)/2 and y = √z; s = y + y·z·P(z) (arcsin y); θ = π/2 − s or
     * 2·s; π − θ for c &lt; 0. Rounding differs from the Java method only by its fused multiply-adds
     * (a few ulp of θ). ONNX Runtime's CPU provider has no float64 Acos, hence these operators.
     */
    String acos(String cosine) {
        String[] core = arcsinCore(cosine);
        String theta = g.where(core[0], g.mul(core[1], 2.0), g.sub(g.scalar(Math.PI / 2), core[1]));
        return g.where(g.less(cosine, g.scalar(0.0)), g.sub(g.scalar(Math.PI), theta), theta);
    }

    /**
     * arcsin(s) for s ∈ [−1, 1] by the same reduction: arcsin |s| = y·(1 + z·P(z)) when |s| ≤ ½, else
     * π/2 − 2·arcsin √((1 − |s|)/2); odd in s. (Not π/2 − arccos s, which loses the relative accuracy of
     * small results.)
     */
    String asin(String sine) {
        String[] core = arcsinCore(sine);
        String abs = g.where(core[0], g.sub(g.scalar(Math.PI / 2), g.mul(core[1], 2.0)), core[1]);
        return g.where(g.less(sine, g.scalar(0.0)), g.neg(abs), abs);
    }

    /** {whether |c| &gt; ½, arcsin y} of the reduction shared by {@link #acos} and {@link #asin}. */
    private String[] arcsinCore(String value) {
        String a = g.abs(value);
        String big = g.greater(a, g.scalar(0.5));
        String z = g.where(big, g.mul(g.sub(g.scalar(1.0), a), 0.5), g.mul(a, a));
        String y = g.where(big, g.sqrt(z), a);
        double[] p = ArcCosine.coefficients();
        String poly = g.scalar(p[p.length - 1]);
        for (int i = p.length - 2; i >= 0; i--) {
            poly = g.add(g.mul(poly, z), p[i]);
        }
        return new String[] {big, g.add(g.mul(g.mul(y, z), poly), y)};
    }

    /**
     * q12/√(q11·q22) clipped to [−1, 1] and snapped to ±1 within {@link ArcCosine#SNAP}; 0 when √(q11·q22)
     * is not positive.
     */
    private String correlation(String q11, String q12, String q22) {
        String p = g.sqrt(g.mul(q11, q22));
        String positive = g.greater(p, g.scalar(0.0));
        String ratio = g.div(q12, g.where(positive, p, g.scalar(1.0)));
        String snapped = g.where(g.greater(ratio, g.scalar(1 - ArcCosine.SNAP)), g.scalar(1.0),
                g.where(g.less(ratio, g.scalar(ArcCosine.SNAP - 1)), g.scalar(-1.0), ratio));
        return g.where(positive, snapped, g.scalar(0.0));
    }

    /** A mask that is true where both variances are positive. */
    private String bothPositive(String q11, String q22) {
        return g.op("And", g.greater(q11, g.scalar(0.0)), g.greater(q22, g.scalar(0.0)));
    }

    private String arcCosine(ArcCosineKernel k) {
        String kxx = inputSquaredNorms();
        double[] kzz = c.rowSquaredNorms();
        String kxz = innerProducts();
        int order = k.order();
        for (int l = 0; l < k.depth(); l++) {
            String kz = g.constant("arccos_norms", kzz, 1, m);
            String cos = correlation(kxx, kxz, kz);
            String theta = acos(cos);
            String piMinus = g.sub(g.scalar(Math.PI), theta);
            String value;
            if (order == 0) {
                value = g.div(piMinus, g.scalar(Math.PI));
            } else {
                String sin = g.sqrt(g.mul(g.sub(g.scalar(1.0), cos), g.add(cos, 1.0)));
                if (order == 1) {
                    String j = g.add(sin, g.mul(piMinus, cos));
                    value = g.div(g.mul(g.sqrt(g.mul(kxx, kz)), j), g.scalar(Math.PI));
                } else {
                    String j = g.add(g.mul(g.mul(sin, 3.0), cos),
                            g.mul(piMinus, g.add(g.mul(g.mul(cos, 2.0), cos), 1.0)));
                    value = g.div(g.mul(g.mul(kxx, kz), j), g.scalar(Math.PI));
                }
            }
            kxz = g.where(bothPositive(kxx, kz), value, g.scalar(0.0));
            kxx = arcSelf(kxx, order);
            for (int j = 0; j < m; j++) {
                kzz[j] = !(kzz[j] > 0) ? 0 : (order == 0 ? 1 : (order == 1 ? kzz[j] : 3 * kzz[j] * kzz[j]));
            }
        }
        return kxz;
    }

    private String arcSelf(String k, int order) {
        String positive = g.greater(k, g.scalar(0.0));
        String v = order == 0 ? g.scalar(1.0) : (order == 1 ? k : g.mul(g.mul(k, 3.0), k));
        return g.where(positive, v, g.scalar(0.0));
    }

    /** The activations with an exported dual, or an error naming the one without. */
    private static Activation activation(Activation a) {
        // closedForm() rules out expression activations, whose text could be any of these names
        switch (a.closedForm() ? a.name() : "") {
            case "relu", "leaky_relu", "abrelu", "identity", "erf", "sign", "step":
                return a;
            default:
                throw new Kernels4jException("the activation '" + a + "' cannot be exported to ONNX (exported: relu, "
                        + "leaky_relu, abrelu, identity, erf, sign, step)");
        }
    }

    /**
     * The NNGP/NTK layer recursion of {@link NeuralKernel} for distinct samples: q12, q11 (the input's
     * variance, a [N, 1] tensor), q22 (the centres', constants computed here by the activation's own
     * {@link Activation#self}) and Θ carried through the layers.
     */
    private String neural(NeuralKernel k) {
        Activation act = k.activation();
        double w = k.weightVariance();
        double b = k.biasVariance();
        double inv = d == 0 ? 0 : 1.0 / d;
        boolean ntk = k.kind() == NeuralKernel.Kind.NTK;
        boolean standard = k.standardParameterization();
        String ip = g.mul(innerProducts(), inv);
        String q12 = g.add(g.mul(ip, w), b);
        String q11 = g.add(g.mul(g.mul(inputSquaredNorms(), inv), w), b);
        double[] cn = c.rowSquaredNorms();
        double[] q22 = new double[m];
        for (int j = 0; j < m; j++) {
            q22[j] = w * (cn[j] * inv) + b;
        }
        String theta = standard ? g.add(g.mul(ip, d), 1.0) : q12;
        for (int l = 0; l < k.depth(); l++) {
            String q22c = g.constant("nngp_variances", q22, 1, m);
            String t = pair(act, q11, q12, q22c);
            String next = g.add(g.mul(t, w), b);
            if (ntk) {
                String td = derivativePair(act, q11, q12, q22c);
                String first = standard ? g.add(g.mul(t, k.width()), 1.0) : next;
                theta = g.add(first, g.mul(g.mul(td, w), theta));
            }
            q12 = next;
            q11 = g.add(g.mul(self(act, q11), w), b);
            for (int j = 0; j < m; j++) {
                q22[j] = w * act.self(q22[j]) + b;
            }
        }
        return ntk ? theta : q12;
    }

    /** The slopes (a, b) of a piecewise-linear activation a·x below 0, b·x above, read from φ itself. */
    private static double[] slopes(Activation act) {
        return new double[] {-act.apply(-1), act.apply(1)};
    }

    /** T(q11, q12, q22) = E[φ(u)φ(v)], as {@link Activation#pair}. */
    private String pair(Activation act, String q11, String q12, String q22) {
        switch (act.name()) {
            case "identity":
                return q12;
            case "erf": {
                String product = g.mul(g.add(g.mul(q11, 2.0), 1.0), g.add(g.mul(q22, 2.0), 1.0));
                String s = g.div(g.mul(q12, 2.0), g.sqrt(product));
                String clipped = g.max(g.scalar(-1.0), g.min(g.scalar(1.0), s));
                return g.mul(asin(clipped), 2 / Math.PI);
            }
            case "sign":
                return g.where(bothPositive(q11, q22), g.mul(asin(correlation(q11, q12, q22)), 2 / Math.PI),
                        g.scalar(0.0));
            case "step":
                return g.where(bothPositive(q11, q22),
                        g.div(g.sub(g.scalar(Math.PI), acos(correlation(q11, q12, q22))), g.scalar(2 * Math.PI)),
                        g.scalar(0.0));
            default: {
                double[] ab = slopes(act);
                double sumSq = ab[0] * ab[0] + ab[1] * ab[1];
                double cross = 2 * ab[0] * ab[1];
                String c = correlation(q11, q12, q22);
                String theta = acos(c);
                String sin = g.sqrt(g.mul(g.sub(g.scalar(1.0), c), g.add(c, 1.0)));
                String p = g.sqrt(g.mul(q11, q22));
                String even = g.mul(g.add(sin, g.mul(g.sub(g.scalar(Math.PI), theta), c)), sumSq);
                String odd = g.mul(g.sub(sin, g.mul(theta, c)), cross);
                return g.mul(g.div(p, g.scalar(2 * Math.PI)), g.sub(even, odd));
            }
        }
    }

    /** Ṫ(q11, q12, q22) = E[φ'(u)φ'(v)], as {@link Activation#derivativePair}. */
    private String derivativePair(Activation act, String q11, String q12, String q22) {
        switch (act.name()) {
            case "identity":
                return g.add(g.mul(q12, 0.0), 1.0);
            case "erf": {
                String det = g.sub(g.mul(g.add(g.mul(q11, 2.0), 1.0), g.add(g.mul(q22, 2.0), 1.0)),
                        g.mul(g.mul(q12, q12), 4.0));
                return g.div(g.scalar(4 / Math.PI), g.sqrt(det));
            }
            case "sign", "step":
                return g.mul(q12, 0.0);
            default: {
                double[] ab = slopes(act);
                double sumSq = ab[0] * ab[0] + ab[1] * ab[1];
                double cross = 2 * ab[0] * ab[1];
                String theta = acos(correlation(q11, q12, q22));
                String num = g.add(g.mul(g.sub(g.scalar(Math.PI), theta), sumSq), g.mul(theta, cross));
                return g.div(num, g.scalar(2 * Math.PI));
            }
        }
    }

    /** φ's self-dual T(q, q, q) on the input's variance [N, 1], as {@link Activation#self}. */
    private String self(Activation act, String q) {
        switch (act.name()) {
            case "identity":
                return q;
            case "erf":
                return g.mul(asin(g.div(g.mul(q, 2.0), g.add(g.mul(q, 2.0), 1.0))), 2 / Math.PI);
            case "sign":
                return g.where(g.greater(q, g.scalar(0.0)), g.scalar(1.0), g.scalar(0.0));
            case "step":
                return g.where(g.greater(q, g.scalar(0.0)), g.scalar(0.5), g.scalar(0.0));
            default: {
                double[] ab = slopes(act);
                return g.div(g.mul(q, ab[0] * ab[0] + ab[1] * ab[1]), g.scalar(2.0));
            }
        }
    }
}
