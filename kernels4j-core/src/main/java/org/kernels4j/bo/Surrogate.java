package org.kernels4j.bo;

import java.util.List;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gp.StudentTProcess;
import org.kernels4j.gp.StudentTProcessModel;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.MaternKernel;
import org.kernels4j.kernel.ScaledKernel;
import org.kernels4j.linalg.Matrix;

/**
 * The probabilistic model a {@link BayesianOptimizer} fits to its observations: a
 * {@link GaussianProcess} or a {@link StudentTProcess} with any kernel (e.g. {@code nngp(...)} or
 * {@code ntk(...)} from {@code kernel.neural}, the infinite-width network surrogates), on targets
 * centred and scaled to unit variance, over the unit cube of the {@link SearchSpace}.
 *
 * <p>The default, {@link #matern52()}, is the usual choice of BO libraries (Spearmint, BoTorch,
 * scikit-optimize): c·Matérn-5/2 with one length scale per parameter, c ∈ [10⁻², 10²] and
 * ℓ_f ∈ [10⁻², 10] (unit-cube coordinates), started at c = 1, ℓ_f = 0.3, with noise variance
 * 10⁻⁶ on the normalized targets (set {@link #noise} higher for a noisy objective).
 * When {@link #learnHyperparameters} is on (the default), every refit maximizes the log marginal
 * likelihood with {@link HyperparameterSearch} from the previous step's hyperparameters (warm start, at
 * most 30 L-BFGS iterations: one new observation moves the optimum little); the first fit, which has no
 * previous step, allows 100 iterations and also tries {@code restarts} (default 1) random starts. A kernel with no free hyperparameters is used as given.
 * Immutable.
 */
public final class Surrogate {
    private final Kernel kernel;
    private final boolean studentT;
    private final double degreesOfFreedom;
    private final double noise;
    private final boolean learn;
    private final int restarts;

    private Surrogate(Kernel kernel, boolean studentT, double degreesOfFreedom, double noise, boolean learn,
            int restarts) {
        this.kernel = kernel;
        this.studentT = studentT;
        this.degreesOfFreedom = degreesOfFreedom;
        this.noise = noise;
        this.learn = learn;
        this.restarts = restarts;
    }

    /** The default surrogate: a GP with c·Matérn-5/2 ARD (kernel built per dimension when fitted). */
    public static Surrogate matern52() {
        return new Surrogate(null, false, Double.NaN, 1e-6, true, 1);
    }

    /** A Gaussian process with this kernel (over unit-cube coordinates). */
    public static Surrogate gaussianProcess(Kernel kernel) {
        return new Surrogate(requireKernel(kernel), false, Double.NaN, 1e-6, true, 1);
    }

    /** A Student-t process with this kernel and ν &gt; 2 prior degrees of freedom (covariance view). */
    public static Surrogate studentT(Kernel kernel, double degreesOfFreedom) {
        if (!(degreesOfFreedom > 2) || Double.isInfinite(degreesOfFreedom)) {
            throw new Kernels4jException("a Student-t surrogate needs finite degrees of freedom > 2, got "
                    + degreesOfFreedom);
        }
        return new Surrogate(requireKernel(kernel), true, degreesOfFreedom, 1e-6, true, 1);
    }

    private static Kernel requireKernel(Kernel kernel) {
        if (kernel == null) {
            throw new Kernels4jException("a surrogate needs a kernel");
        }
        return kernel;
    }

    /** The same surrogate with noise variance σ² ≥ 0 (on the normalized targets). */
    public Surrogate noise(double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new Kernels4jException("the surrogate noise variance must be >= 0 and finite, got " + value);
        }
        return new Surrogate(kernel, studentT, degreesOfFreedom, value, learn, restarts);
    }

    /** The same surrogate with hyperparameter learning on or off. */
    public Surrogate learnHyperparameters(boolean on) {
        return new Surrogate(kernel, studentT, degreesOfFreedom, noise, on, restarts);
    }

    /** The same surrogate with this many extra random starts (≥ 0) for each hyperparameter search. */
    public Surrogate restarts(int count) {
        if (count < 0) {
            throw new Kernels4jException("hyperparameter restarts must be >= 0, got " + count);
        }
        return new Surrogate(kernel, studentT, degreesOfFreedom, noise, learn, count);
    }

    /** The kernel before any learning for d parameters (the default Matérn built for d). */
    public Kernel initialKernel(int d) {
        if (kernel != null) {
            return kernel;
        }
        double[] lengths = new double[d];
        java.util.Arrays.fill(lengths, 0.3);
        return new ScaledKernel(1.0, d == 1 ? new MaternKernel(2.5, 0.3) : new MaternKernel(2.5, lengths));
    }

    /**
     * Fits to unit-cube points u (n × d) and targets y, starting the hyperparameter search from
     * {@code start} (null: {@link #initialKernel}).
     */
    Posterior fit(Matrix u, double[] y, Kernel start, long seed) {
        Kernel k = start != null ? start : initialKernel(u.cols());
        HyperparameterSearch search = learn && u.rows() >= 2 ? search(k, start == null, seed) : null;
        Matrix ym = Matrix.wrap(y.length, 1, y.clone());
        GaussianProcess gp = GaussianProcess.builder(k).noise(noise).normalizeTargets(true).build();
        if (studentT) {
            StudentTProcess.Builder b = StudentTProcess.builder(k).noise(noise).normalizeTargets(true)
                    .degreesOfFreedom(degreesOfFreedom);
            StudentTProcessModel m = b.optimize(search).build().fit(u, ym);
            return Posterior.of(gp, m, y);
        }
        return Posterior.of(gp, fitGp(gp, search, u, ym), y);
    }

    private static org.kernels4j.gp.GaussianProcessModel fitGp(GaussianProcess gp, HyperparameterSearch search,
            Matrix u, Matrix y) {
        if (search == null) {
            return gp.fit(u, y);
        }
        HyperparameterSearch.Result r = gp.optimize(u, y, search);
        return gp.withKernel(r.kernel()).fit(u, y);
    }

    /** The search, with the default kernel's bounds; null when the kernel has nothing to learn. */
    private HyperparameterSearch search(Kernel k, boolean cold, long seed) {
        List<Hyperparameter> params = k.hyperparameters();
        if (params.isEmpty()) {
            return null;
        }
        HyperparameterSearch.Builder b = HyperparameterSearch.builder().restarts(cold ? restarts : 0).seed(seed)
                .maxIterations(cold ? 100 : 30);
        if (kernel == null) {
            for (Hyperparameter h : params) {
                if (h.name().equals("scale")) {
                    b.bound(h.name(), 1e-2, 1e2);
                } else {
                    b.bound(h.name(), 1e-2, 10);
                }
            }
        }
        return b.build();
    }

    @Override
    public String toString() {
        return (studentT ? "student-t(nu=" + degreesOfFreedom + ") " : "gp ")
                + (kernel == null ? "c*matern(nu=2.5, ARD)" : kernel.toSpec()) + ", noise " + noise
                + (learn ? ", learned hyperparameters" : "");
    }
}
