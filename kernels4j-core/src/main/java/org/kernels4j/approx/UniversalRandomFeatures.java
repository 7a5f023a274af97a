package org.kernels4j.approx;

import java.util.Locale;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

/**
 * Universal random features (Sehanobish et al., "Scalable Neural Network Kernels", ICLR 2024): a
 * layer f(Wx + b) written as Φ(x)ᵀΨ(w, b), with the input and the weights in separate m-dimensional
 * random feature maps, so that E[Φ(x)ᵀΨ(w, b)] = f(wᵀx + b) for every unit (w, b) and the layer
 * becomes Φ(X)·Ψ(W, b)ᵀ. They rest on the Gaussian identity, for g ~ N(0, I_d) and any complex
 * a, c: E[exp(a·gᵀx − a²‖x‖²/2)·exp(c·gᵀw − c²‖w‖²/2)] = exp(ac·xᵀw). With a = τ, the input map
 * is always Φ_j(x) = exp(τ·g_jᵀx − τ²‖x‖²/2)/√m (real and positive), and per {@link Layer}:
 * <ul>
 *   <li>{@code EXP} f(z) = e^z: c = 1/τ, Ψ_j = exp(g_jᵀw/τ − ‖w‖²/(2τ²) + b)/√m;</li>
 *   <li>{@code COS} f(z) = cos z: c = i/τ, and the real part of e^{ib}·e^{i xᵀw},
 *       Ψ_j = exp(‖w‖²/(2τ²))·cos(g_jᵀw/τ + b)/√m; {@code SIN} is COS with b − π/2;</li>
 *   <li>{@code GAUSSIAN} f(z) = exp(−z²/2) = E_ξ[cos ξz], ξ ~ N(0, 1) drawn per feature:
 *       c = iξ_j/τ, Ψ_j = exp(ξ_j²‖w‖²/(2τ²))·cos(ξ_j(g_jᵀw/τ + b))/√m (any f with a Fourier
 *       density works the same way);</li>
 *   <li>{@code RELU}: the ReLU-SNNK of the paper, which replaces relu(wᵀx + b) by the arc-cosine
 *       kernel of order 1 between x̃ = (x, 1) and w̃ = (w, b),
 *       f = (1/π)‖x̃‖‖w̃‖(sin θ + (π − θ)cos θ) (equal to relu(w̃ᵀx̃) when x̃ ∥ ±w̃), with
 *       Φ_j = √(2/m)·relu(g_jᵀx̃) and Ψ_j = √(2/m)·relu(g_jᵀw̃) (g_j ~ N(0, I_{d+1})). relu(wᵀx + b)
 *       itself has no unbiased separable features of finite variance.</li>
 * </ul>
 * τ &gt; 0 moves variance between the two sides (E[m·Φ_j²] = exp(τ²‖x‖²)); keep τ²‖x‖² and
 * ‖w‖²/τ² of order one, since the variance grows exponentially with them.
 *
 * <p>A <em>bundled</em> layer learns the m×O matrix Θ in place of Ψ(W, b)ᵀ, so y = Φ(x)·Θ is linear
 * in its parameters and the mean squared error has the closed-form minimiser
 * Θ* = (Φᵀ Φ + λI)⁻¹ΦᵀY ({@link #fitBundled}).
 *
 * <p>Cost: Φ(X) one GEMM (n·m·d) and n·m exponentials; Ψ likewise for O units; a bundled fit
 * n·m² + m³/3 flops. Immutable; all randomness is drawn from the seed at construction.
 */
public final class UniversalRandomFeatures {
    /** The activation f of the layer f(wᵀx + b). */
    public enum Layer {
        EXP, COS, SIN, GAUSSIAN, RELU;

        /** Parses exp, cos, sin, gaussian, relu. */
        public static Layer parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new Kernels4jException("unknown universal-random-feature layer '" + s
                        + "'; available: exp, cos, sin, gaussian, relu");
            }
        }
    }

    private final Layer layer;
    private final int d;
    private final double tau;
    private final Matrix g; // m × d (m × (d+1) for RELU)
    private final double[] xi; // GAUSSIAN frequencies, else null

    private UniversalRandomFeatures(Layer layer, int d, double tau, Matrix g, double[] xi) {
        this.layer = layer;
        this.d = d;
        this.tau = tau;
        this.g = g;
        this.xi = xi;
    }

    /**
     * Draws the m shared Gaussian directions (and frequencies for GAUSSIAN).
     *
     * @param features m ≥ 1
     * @param tau τ &gt; 0 (unused by RELU)
     */
    public static UniversalRandomFeatures of(Layer layer, int inputDim, int features, double tau, long seed) {
        if (features < 1 || inputDim < 1) {
            throw new Kernels4jException("universal random features need features >= 1 and input dimension >= 1, got "
                    + features + " and " + inputDim);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new Kernels4jException("tau must be positive and finite, got " + tau);
        }
        Random r = new Random(seed);
        Matrix g = Directions.gaussian(features, layer == Layer.RELU ? inputDim + 1 : inputDim, r);
        double[] xi = null;
        if (layer == Layer.GAUSSIAN) {
            xi = new double[features];
            for (int j = 0; j < features; j++) {
                xi[j] = r.nextGaussian();
            }
        }
        return new UniversalRandomFeatures(layer, inputDim, tau, g, xi);
    }

    /** m, the number of features on each side. */
    public int features() {
        return g.rows();
    }

    /** The layer's activation. */
    public Layer layer() {
        return layer;
    }

    /** Φ(X), n×m for n×d inputs. */
    public Matrix inputFeatures(Matrix x) {
        FeatureMaps.checkInput(x, d);
        int m = features();
        int n = x.rows();
        Matrix proj = new Matrix(n, m);
        Matrix out = new Matrix(n, m);
        double[] o = out.data();
        if (layer == Layer.RELU) {
            Blas.gemm(false, true, 1.0, withOnes(x), g, 0.0, proj);
            double s = Math.sqrt(2.0 / m);
            for (int i = 0; i < o.length; i++) {
                o[i] = s * Math.max(proj.data()[i], 0);
            }
            return out;
        }
        Blas.gemm(false, true, tau, x, g, 0.0, proj);
        double[] sq = x.rowSquaredNorms();
        double s = 1 / Math.sqrt(m);
        for (int i = 0; i < n; i++) {
            double shift = tau * tau * sq[i] / 2;
            for (int j = 0; j < m; j++) {
                o[i * m + j] = s * Math.exp(proj.data()[i * m + j] - shift);
            }
        }
        return out;
    }

    /** Ψ(w_o, b_o) for the O units (rows of w, O×d, and b, length O): O×m. */
    public Matrix weightFeatures(Matrix w, double[] b) {
        FeatureMaps.checkInput(w, d);
        if (b.length != w.rows()) {
            throw new Kernels4jException("the layer has " + w.rows() + " units but " + b.length + " biases");
        }
        int m = features();
        int o = w.rows();
        Matrix proj = new Matrix(o, m);
        Matrix out = new Matrix(o, m);
        double[] od = out.data();
        if (layer == Layer.RELU) {
            Matrix wb = new Matrix(o, d + 1);
            for (int u = 0; u < o; u++) {
                System.arraycopy(w.data(), u * d, wb.data(), u * (d + 1), d);
                wb.set(u, d, b[u]);
            }
            Blas.gemm(false, true, 1.0, wb, g, 0.0, proj);
            double s = Math.sqrt(2.0 / m);
            for (int i = 0; i < od.length; i++) {
                od[i] = s * Math.max(proj.data()[i], 0);
            }
            return out;
        }
        Blas.gemm(false, true, 1 / tau, w, g, 0.0, proj);
        double[] sq = w.rowSquaredNorms();
        double s = 1 / Math.sqrt(m);
        double t2 = 2 * tau * tau;
        for (int u = 0; u < o; u++) {
            for (int j = 0; j < m; j++) {
                double p = proj.data()[u * m + j];
                double v;
                switch (layer) {
                    case EXP -> v = Math.exp(p - sq[u] / t2 + b[u]);
                    case COS -> v = Math.exp(sq[u] / t2) * Math.cos(p + b[u]);
                    case SIN -> v = Math.exp(sq[u] / t2) * Math.cos(p + b[u] - Math.PI / 2);
                    default -> v = Math.exp(xi[j] * xi[j] * sq[u] / t2) * Math.cos(xi[j] * (p + b[u]));
                }
                od[u * m + j] = s * v;
            }
        }
        return out;
    }

    /** The approximate layer Φ(X)·Ψ(W, b)ᵀ, n×O. */
    public Matrix approximateLayer(Matrix x, Matrix w, double[] b) {
        Matrix phi = inputFeatures(x);
        Matrix psi = weightFeatures(w, b);
        Matrix out = new Matrix(x.rows(), w.rows());
        Blas.gemm(false, true, 1.0, phi, psi, 0.0, out);
        return out;
    }

    /** The exact layer the features approximate, f(x_iᵀw_o + b_o) (arc-cosine form for RELU), n×O. */
    public Matrix exactLayer(Matrix x, Matrix w, double[] b) {
        FeatureMaps.checkInput(x, d);
        FeatureMaps.checkInput(w, d);
        Matrix out = new Matrix(x.rows(), w.rows());
        for (int i = 0; i < x.rows(); i++) {
            for (int u = 0; u < w.rows(); u++) {
                double dot = 0;
                double xx = 1;
                double ww = b[u] * b[u];
                for (int k = 0; k < d; k++) {
                    dot += x.get(i, k) * w.get(u, k);
                    xx += x.get(i, k) * x.get(i, k);
                    ww += w.get(u, k) * w.get(u, k);
                }
                double z = dot + b[u];
                double v;
                switch (layer) {
                    case EXP -> v = Math.exp(z);
                    case COS -> v = Math.cos(z);
                    case SIN -> v = Math.sin(z);
                    case GAUSSIAN -> v = Math.exp(-z * z / 2);
                    default -> {
                        double norms = Math.sqrt(xx * ww);
                        double cos = norms == 0 ? 1 : Math.max(-1, Math.min(1, z / norms));
                        double theta = Math.acos(cos);
                        v = norms / Math.PI * (Math.sin(theta) + (Math.PI - theta) * cos);
                    }
                }
                out.set(i, u, v);
            }
        }
        return out;
    }

    /**
     * The bundled layer's closed-form least-squares parameters Θ* = (ΦᵀΦ + λI)⁻¹ΦᵀY, m×k for n×k
     * targets; predictions are Φ(X*)·Θ* ({@link #predictBundled}).
     *
     * @param lambda ridge λ ≥ 0 (λ = 0 needs ΦᵀΦ positive definite: n ≥ m and Φ of full rank)
     */
    public Matrix fitBundled(Matrix x, Matrix y, double lambda) {
        if (y.rows() != x.rows()) {
            throw new Kernels4jException("the inputs have " + x.rows() + " rows but the targets " + y.rows());
        }
        if (!(lambda >= 0) || Double.isInfinite(lambda)) {
            throw new Kernels4jException("lambda must be >= 0 and finite, got " + lambda);
        }
        y.requireFinite("training targets");
        Matrix phi = inputFeatures(x);
        int m = features();
        Matrix a = new Matrix(m, m);
        Blas.gemm(true, false, 1.0, phi, phi, 0.0, a);
        for (int j = 0; j < m; j++) {
            a.set(j, j, a.get(j, j) + lambda);
        }
        Matrix rhs = new Matrix(m, y.cols());
        Blas.gemm(true, false, 1.0, phi, y, 0.0, rhs);
        try (Cholesky c = Cholesky.factor(a, "the bundled layer's normal equations (raise lambda)")) {
            return c.solve(rhs);
        }
    }

    /** Φ(X)·Θ for a bundled layer's parameters Θ (m×k). */
    public Matrix predictBundled(Matrix x, Matrix theta) {
        if (theta.rows() != features()) {
            throw new Kernels4jException("the bundled parameters must have " + features() + " rows, got " + theta.rows());
        }
        Matrix phi = inputFeatures(x);
        Matrix out = new Matrix(x.rows(), theta.cols());
        Blas.gemm(false, false, 1.0, phi, theta, 0.0, out);
        return out;
    }

    private static Matrix withOnes(Matrix x) {
        int d = x.cols();
        Matrix out = new Matrix(x.rows(), d + 1);
        for (int i = 0; i < x.rows(); i++) {
            System.arraycopy(x.data(), i * d, out.data(), i * (d + 1), d);
            out.set(i, d, 1);
        }
        return out;
    }
}
