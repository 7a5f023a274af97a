package org.kernels4j.bo;

import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.GaussianProcessModel;
import org.kernels4j.gp.StudentTProcessModel;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.GramInputs;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.StationaryKernel;
import org.kernels4j.linalg.Matrix;

/**
 * A fitted surrogate's predictive distribution of the latent objective at single points, in the
 * optimizer's unit coordinates, with what acquisition functions need: mean μ(x), variance σ²(x),
 * covariances with other points and the input gradient of any combination a·μ + b·σ². With
 * training inputs X (n × d), A = K(X, X) + σ²_n·I = LLᵀ, α = A⁻¹(y − shift)/scale and
 * v = L⁻¹k(X, x):
 * <pre>
 *   μ(x)    = shift + scale·k(x, X)·α
 *   σ²(x)   = c·scale²·(k(x, x) − vᵀv)          (c = 1 for a GP, (νc' + β)/(ν + n − 2) for a Student-t process)
 *   ∇(aμ + bσ²) = Σ_i (a·scale·α_i − 2b·c·scale²·w_i)·∇_x k(x, x_i),   w = L⁻ᵀv
 * </pre>
 * The last line holds when k(x, x) does not depend on x; for a stationary kernel (or a multiple of
 * one) ∇_x k = 2g'(s)·(x − x_i)/ℓ² comes in closed form ({@link StationaryKernel}), for any other
 * kernel (NNGP, NTK, sums with white noise) the gradient is taken by central differences with
 * step 10⁻⁶. Cost per point: O(n·d) kernel work plus O(n²) for the triangular solves.
 * For a Student-t process the predictive distribution is a t with ν + n degrees of freedom; acquisition
 * functions use its mean and variance (a Gaussian with matched moments). Immutable.
 */
public final class Posterior {
    private static final double STEP = 1e-6;

    private final GaussianProcess process;
    private final Kernel kernel;
    private final Matrix x;
    private final double[][] rows;
    private final double[] lower;
    private final double[] alpha;
    private final double shift;
    private final double scale;
    private final double varianceFactor;
    private final double noise;
    private final double[] targets;
    private final boolean stationary;

    private Posterior(GaussianProcess process, GaussianProcessModel model, double varianceFactor, double[] targets) {
        this(process, model, model.targetShifts()[0], model.targetScales()[0], varianceFactor, targets);
    }

    private Posterior(GaussianProcess process, GaussianProcessModel model, double shift, double scale,
            double varianceFactor, double[] targets) {
        this.process = process;
        this.kernel = model.kernel();
        this.x = model.trainingInputs();
        this.rows = new double[x.rows()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = x.row(i);
        }
        this.lower = model.choleskyFactor().data();
        this.alpha = model.alpha().column(0);
        this.shift = shift;
        this.scale = scale;
        this.varianceFactor = varianceFactor;
        this.noise = model.noise() * scale * scale;
        this.targets = targets.clone();
        this.stationary = StationaryKernel.supports(kernel);
    }

    /** The posterior of a fitted Gaussian process; {@code process} refits for {@link #condition}. */
    static Posterior of(GaussianProcess process, GaussianProcessModel model, double[] y) {
        return new Posterior(process.withKernel(model.kernel()), model, 1.0, y);
    }

    /** The posterior of a fitted Student-t process (moment-matched, see the class comment). */
    static Posterior of(GaussianProcess conditional, StudentTProcessModel model, double[] y) {
        double nu = model.priorDegreesOfFreedom();
        double dof = model.degreesOfFreedom();
        double factor = dof > 2 ? (nu * model.shapeScale() + model.quadraticForms()[0]) / (dof - 2) : 1.0;
        return new Posterior(conditional.withKernel(model.kernel()), model.conditional(), factor, y);
    }

    /** The kernel the surrogate was fitted with (learned hyperparameters included). */
    public Kernel kernel() {
        return kernel;
    }

    /** Number of conditioning points n. */
    public int size() {
        return x.rows();
    }

    /** The observation noise variance of one new evaluation, in the targets' units. */
    public double noiseVariance() {
        return noise;
    }

    /** μ(x). */
    public double mean(double[] point) {
        double[] k = cross(point);
        return shift + scale * dot(k, alpha);
    }

    /** σ²(x) ≥ 0. */
    public double variance(double[] point) {
        double[] v = forward(cross(point));
        return latentVariance(point, v);
    }

    /** μ(x) and σ²(x) as {mean, variance}. */
    public double[] moments(double[] point) {
        double[] k = cross(point);
        double m = shift + scale * dot(k, alpha);
        return new double[] {m, latentVariance(point, forward(k))};
    }

    /** The posterior covariance Cov[f(a), f(b)]. */
    public double covariance(double[] a, double[] b) {
        double[] va = forward(cross(a));
        double[] vb = forward(cross(b));
        return varianceFactor * scale * scale * (kernel.value(a, b) - dot(va, vb));
    }

    /**
     * The gradient with respect to x of a·μ(x) + b·σ²(x) (see the class comment); analytic for
     * stationary kernels, central differences otherwise.
     */
    public double[] gradient(double[] point, double a, double b) {
        int d = point.length;
        if (!stationary) {
            double[] g = new double[d];
            double[] p = point.clone();
            for (int f = 0; f < d; f++) {
                p[f] = point[f] + STEP;
                double[] up = moments(p);
                p[f] = point[f] - STEP;
                double[] down = moments(p);
                p[f] = point[f];
                g[f] = (a * (up[0] - down[0]) + b * (up[1] - down[1])) / (2 * STEP);
            }
            return g;
        }
        double[] k = cross(point);
        double[] w = backward(forward(k));
        int n = k.length;
        // 2g'(s) for the n pairs (x, x_i), on this thread: a tile pass through GramEngine's pool costs
        // more than the whole acquisition evaluation at BO sizes.
        double[] radial = new double[n];
        double[] scales;
        Matrix z = Matrix.wrap(1, d, point.clone());
        double[] center = new double[d];
        try (GramInputs left = new GramInputs(z, center); GramInputs right = new GramInputs(x, center)) {
            GramBlock block = new GramBlock(left, right, false, n);
            try {
                block.moveTo(0, 1, 0, n);
                scales = StationaryKernel.radialDerivative(kernel, block, radial)[0];
            } finally {
                block.release();
            }
        }
        double[] g = new double[d];
        for (int i = 0; i < n; i++) {
            double c = (a * scale * alpha[i] - 2 * b * varianceFactor * scale * scale * w[i]) * radial[i];
            double[] xi = rows[i];
            for (int f = 0; f < d; f++) {
                g[f] += c * (point[f] - xi[f]);
            }
        }
        if (scales != null) {
            for (int f = 0; f < d; f++) {
                g[f] /= scales[f] * scales[f];
            }
        }
        return g;
    }

    /**
     * The exact Bayesian update after also observing f(point) + ε = value, ε ~ N(0, σ²_n): the same
     * hyperparameters and the same target shift and scale (the "Kriging believer" step of batch
     * proposals uses it with value = μ(point)). One refit, O(n³).
     */
    public Posterior condition(double[] point, double value) {
        int n = x.rows();
        int d = x.cols();
        double[] xd = java.util.Arrays.copyOf(x.data(), (n + 1) * d);
        System.arraycopy(point, 0, xd, n * d, d);
        double[] y = java.util.Arrays.copyOf(targets, n + 1);
        y[n] = value;
        double[] z = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            z[i] = (y[i] - shift) / scale;
        }
        GaussianProcess fixed = GaussianProcess.builder(kernel).noise(process.noise()).build();
        GaussianProcessModel m = fixed.fit(Matrix.wrap(n + 1, d, xd), Matrix.wrap(n + 1, 1, z));
        return new Posterior(process, m, shift, scale, varianceFactor, y);
    }

    /** v = L⁻¹k(X, x), for covariances between many points (KG). */
    double[] whitened(double[] point) {
        return forward(cross(point));
    }

    /** Cov[f(a), f(b)] from their whitened cross-covariances. */
    double covariance(double[] a, double[] va, double[] b, double[] vb) {
        return varianceFactor * scale * scale * (kernel.value(a, b) - dot(va, vb));
    }

    private double latentVariance(double[] point, double[] v) {
        double prior = kernel.value(point, point);
        return Math.max(varianceFactor * scale * scale * (prior - dot(v, v)), 0);
    }

    private double[] cross(double[] point) {
        int n = x.rows();
        double[] k = new double[n];
        for (int i = 0; i < n; i++) {
            k[i] = kernel.value(point, rows[i]);
        }
        return k;
    }

    /** L⁻¹b. */
    private double[] forward(double[] b) {
        int n = b.length;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            int row = i * n;
            for (int j = 0; j < i; j++) {
                s -= lower[row + j] * v[j];
            }
            v[i] = s / lower[row + i];
        }
        return v;
    }

    /** L⁻ᵀb. */
    private double[] backward(double[] b) {
        int n = b.length;
        double[] w = b.clone();
        for (int i = n - 1; i >= 0; i--) {
            w[i] /= lower[i * n + i];
            double wi = w[i];
            int row = i * n;
            for (int j = 0; j < i; j++) {
                w[j] -= lower[row + j] * wi;
            }
        }
        return w;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
