package org.kernels4j.spectral;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.SymmetricEigen;
import org.kernels4j.model.Estimator;
import org.kernels4j.model.Model;

/**
 * The learning curve of kernel ridge regression predicted from the kernel's eigensystem: the eigenlearning
 * (omniscient risk) estimate of Simon, Dickens, Karkada &amp; DeWeese (2021/2023, "The eigenlearning framework"),
 * Jacot et al. (2020, "Kernel alignment risk estimator") and Bordelon, Canatar &amp; Pehlevan (2020), used by
 * Zhou, Simon, Vardi &amp; Srebro (2024, "An agnostic view on the cost of overfitting in (kernel) ridge
 * regression").
 *
 * <h2>Setting</h2>
 * The kernel has the Mercer expansion {@code k(x, x') = Σ_i λ_i φ_i(x) φ_i(x')} with λ_i ≥ 0 and φ_i orthonormal
 * in L²(p) of the data distribution p; the target is {@code y = f*(x) + ε} with {@code f* = Σ_i v_i φ_i} and
 * noise of variance σ². Kernel ridge regression on n samples with ridge δ ≥ 0 fits {@code α = (K + δI)⁻¹y},
 * {@code K_ab = k(x_a, x_b)}: the convention of {@code KernelRidge.builder(k).lambda(δ)} (λ there is δ here).
 *
 * <h2>The estimate</h2>
 * <ul>
 *   <li>The <em>effective regularisation</em> κ ≥ 0 solves {@code Σ_i λ_i/(λ_i + κ) + δ/κ = n}. The left side
 *       decreases strictly in κ, so the root is unique; it is found by Newton's method in log κ safeguarded by
 *       bisection inside the bracket {@code max(δ/n, max_{n<m≤r} λ_(m)(m−n)/n) ≤ κ ≤ (Σλ + δ)/n} (λ_(m) the m-th
 *       largest eigenvalue, r the number of positive ones), to a relative width of 4 ulps.</li>
 *   <li>With δ = 0 the equation reads {@code Σ λ_i/(λ_i+κ) = n}, which has a positive root only for n &lt; r.
 *       For n &gt; r (finite rank, more samples than modes) κ = 0: the ridgeless fit is least squares on the r
 *       modes, every learnability is 1 and δ/κ is read as its limit n − r. For n = r the estimate diverges
 *       (the interpolation peak of double descent): E₀ = +∞, and the test MSE is +∞ unless
 *       σ² + Σ_{λ_i=0} v_i² = 0 (then 0: n noiseless samples of a target in the span of n modes are fitted
 *       exactly).</li>
 *   <li>Learnabilities {@code L_i = λ_i/(λ_i + κ)} ∈ [0, 1]: the fraction of mode i that is learnt.</li>
 *   <li>Overfitting coefficient {@code E₀ = n/(n − Σ_i L_i²)}, computed as {@code n/(δ/κ + Σ_i L_i(1 − L_i))}
 *       (equal by the equation for κ, and free of cancellation near interpolation).</li>
 *   <li>Predicted test MSE on noisy targets {@code E₀·(Σ_i (1 − L_i)² v_i² + σ²)}; excess risk
 *       {@code E‖f̂ − f*‖² = test MSE − σ²}; train MSE {@code (δ/(nκ))²·test MSE}.</li>
 *   <li>{@link #optimal(int) The optimal ridge} δ*(n) minimises the predicted test MSE over δ ∈ [0, ∞]; the
 *       {@link #costOfOverfitting(int) cost of overfitting} is {@code test MSE(δ = 0)/test MSE(δ*)} ≥ 1.</li>
 * </ul>
 * The estimate is asymptotic (n and the number of modes large, κ set by many modes); it is exact in the limit
 * for Gaussian features and accurate to a few percent at n of a few hundred on smooth spectra (the tests check
 * it against Monte-Carlo simulation of the {@link #simulate Gaussian design}).
 *
 * <p>Immutable; the eigenvalues are kept sorted in decreasing order, each coefficient with its eigenvalue.
 */
public final class LearningCurve {
    private final double[] eigenvalues; // decreasing
    private final double[] coefficients;
    private final double noise;
    private final int rank;
    private final double trace;
    private final double targetPower;

    private LearningCurve(double[] eigenvalues, double[] coefficients, double noise) {
        int p = eigenvalues.length;
        Integer[] order = new Integer[p];
        for (int i = 0; i < p; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(eigenvalues[b], eigenvalues[a]));
        this.eigenvalues = new double[p];
        this.coefficients = new double[p];
        int r = 0;
        double t = 0;
        double power = 0;
        for (int i = 0; i < p; i++) {
            this.eigenvalues[i] = eigenvalues[order[i]];
            this.coefficients[i] = coefficients[order[i]];
            r += this.eigenvalues[i] > 0 ? 1 : 0;
            t += this.eigenvalues[i];
            power += this.coefficients[i] * this.coefficients[i];
        }
        this.noise = noise;
        this.rank = r;
        this.trace = t;
        this.targetPower = power;
        if (!Double.isFinite(t) || !Double.isFinite(power)) {
            throw new Kernels4jException("the eigenvalues' sum or the target's power sum v_i^2 overflows; rescale them");
        }
    }

    /**
     * A task given by the kernel's eigenvalues λ_i ≥ 0, the target's coefficients v_i in the same eigenbasis and
     * the label noise variance σ² ≥ 0.
     */
    public static LearningCurve of(double[] eigenvalues, double[] coefficients, double noise) {
        if (eigenvalues == null || coefficients == null || eigenvalues.length != coefficients.length) {
            throw new Kernels4jException("a learning curve needs as many target coefficients as eigenvalues, got "
                    + (eigenvalues == null ? "none" : eigenvalues.length) + " eigenvalues and "
                    + (coefficients == null ? "none" : coefficients.length) + " coefficients");
        }
        if (eigenvalues.length == 0) {
            throw new Kernels4jException("a learning curve needs at least one eigenvalue");
        }
        for (int i = 0; i < eigenvalues.length; i++) {
            if (!(eigenvalues[i] >= 0) || Double.isInfinite(eigenvalues[i])) {
                throw new Kernels4jException("eigenvalue " + i + " is " + eigenvalues[i]
                        + "; a kernel's eigenvalues are finite and >= 0");
            }
            if (!Double.isFinite(coefficients[i])) {
                throw new Kernels4jException("target coefficient " + i + " is " + coefficients[i] + "; it must be finite");
            }
        }
        checkNoise(noise);
        return new LearningCurve(eigenvalues.clone(), coefficients.clone(), noise);
    }

    /**
     * A power-law task on P modes: {@code λ_i = i^{−a}/Σ_j j^{−a}} and {@code v_i = (i^{−b}/Σ_j j^{−b})^{1/2}}
     * (i = 1…P), so that the kernel's trace {@code E k(x, x) = Σλ = 1} and the target's power {@code E f*² = Σv² = 1}
     * (σ² is then the inverse signal-to-noise ratio). The source condition is b vs a: the target is in the RKHS
     * when Σ v_i²/λ_i converges as P → ∞, i.e. b &gt; a + 1.
     *
     * @param a the spectral decay, a &gt; 0
     * @param b the target decay, b ≥ 0
     * @param modes P ≥ 1
     * @param noise σ² ≥ 0
     */
    public static LearningCurve powerLaw(double a, double b, int modes, double noise) {
        if (!(a > 0) || Double.isInfinite(a)) {
            throw new Kernels4jException("the power law's eigenvalue exponent a must be positive and finite, got " + a);
        }
        if (!(b >= 0) || Double.isInfinite(b)) {
            throw new Kernels4jException("the power law's target exponent b must be >= 0 and finite, got " + b);
        }
        if (modes < 1) {
            throw new Kernels4jException("a power-law task needs at least 1 mode, got " + modes);
        }
        checkNoise(noise);
        double[] lam = new double[modes];
        double[] v = new double[modes];
        double sa = 0;
        double sb = 0;
        for (int i = 0; i < modes; i++) {
            lam[i] = Math.pow(i + 1, -a);
            v[i] = Math.pow(i + 1, -b);
            sa += lam[i];
            sb += v[i];
        }
        for (int i = 0; i < modes; i++) {
            lam[i] /= sa;
            v[i] = Math.sqrt(v[i] / sb);
            if (!(lam[i] > 0)) {
                throw new Kernels4jException(String.format(Locale.ROOT, "the power law a = %g on %d modes has eigenvalues "
                        + "below double range (lambda_%d = 0); use fewer modes or a smaller a", a, modes, i + 1));
            }
        }
        return new LearningCurve(lam, v, noise);
    }

    /**
     * The task estimated from N samples: the eigenvalues of K/N ({@code K_ab = k(x_a, x_b)}, N×N) estimate the
     * kernel operator's eigenvalues, and with {@code K/N = Q·diag(λ̂)·Qᵀ} the coefficients {@code v̂ = Qᵀy/√N}
     * estimate the target's (φ_i(x_a) ≈ √N·Q_ai). This is exact for the uniform distribution on the N rows
     * (the empirical distribution), which is what it describes; eigenvalues that round-off makes negative are
     * set to 0. The noise variance is 0: the noise of the N labels is already in v̂. Independent noise of
     * variance σ² adds σ²/N to every v̂_i² in expectation, σ² in all, spread over all N modes, so it sits mostly in
     * the modes with tiny eigenvalues that no fit learns and is counted once in the predicted test MSE (the
     * predicted MSE is on noisy labels, like a held-out test error). The part that falls on the modes a fit of n
     * samples learns, about σ²·n/N, is counted as learnable signal: keep n well below N. Cost: the N×N Gram
     * matrix and one eigendecomposition (≈ 9N³ flops).
     *
     * @param x N×d inputs
     * @param y N×1 targets
     */
    public static LearningCurve fromData(Kernel kernel, Matrix x, Matrix y) {
        if (kernel == null) {
            throw new Kernels4jException("estimating a learning curve from data needs a kernel");
        }
        if (x.rows() != y.rows()) {
            throw new Kernels4jException("inputs have " + x.rows() + " rows but targets have " + y.rows());
        }
        if (y.cols() != 1) {
            throw new Kernels4jException("a learning curve is for one target column, got " + y.cols());
        }
        int n = x.rows();
        if (n < 2) {
            throw new Kernels4jException("estimating a spectrum needs at least 2 rows, got " + n);
        }
        x.requireFinite("inputs");
        y.requireFinite("targets");
        Matrix gram = GramEngine.gram(kernel, x);
        double[] g = gram.data();
        for (int i = 0; i < g.length; i++) {
            if (!Double.isFinite(g[i])) {
                throw new Kernels4jException("the Gram matrix of " + kernel.toSpec() + " has a non-finite entry at ("
                        + i / n + ", " + i % n + "); scale the data");
            }
            g[i] /= n;
        }
        SymmetricEigen eig = SymmetricEigen.ofInPlace(gram);
        Matrix q = eig.vectors();
        double[] lam = eig.values();
        double[] v = new double[n];
        Blas.gemv(true, 1.0 / Math.sqrt(n), q, y.column(0), 0.0, v);
        for (int i = 0; i < n; i++) {
            lam[i] = Math.max(0, lam[i]);
        }
        return new LearningCurve(lam, v, 0);
    }

    private static void checkNoise(double noise) {
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new Kernels4jException("the noise variance must be >= 0 and finite, got " + noise);
        }
    }

    /** The eigenvalues λ_i, in decreasing order (a copy). */
    public double[] eigenvalues() {
        return eigenvalues.clone();
    }

    /** The target's coefficients v_i, each beside its eigenvalue in {@link #eigenvalues()} (a copy). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    /** The label noise variance σ². */
    public double noise() {
        return noise;
    }

    /** The number of modes. */
    public int modes() {
        return eigenvalues.length;
    }

    /** The number r of positive eigenvalues. */
    public int rank() {
        return rank;
    }

    /** The target's power {@code Σ v_i² = E f*(x)²}. */
    public double targetPower() {
        return targetPower;
    }

    /**
     * The predicted quantities at n samples and ridge δ.
     *
     * @param n samples
     * @param ridge δ
     * @param kappa the effective regularisation κ (0 for ridgeless fits with n ≥ r, +∞ for δ = +∞)
     * @param e0 the overfitting coefficient E₀ = n/(n − ΣL_i²) ≥ 1
     * @param testMse predicted test MSE on noisy labels, E₀·(Σ(1 − L_i)²v_i² + σ²)
     * @param excessRisk predicted {@code E‖f̂ − f*‖²}, test MSE − σ²
     * @param trainMse predicted training MSE, (δ/(nκ))²·test MSE
     */
    public record Estimate(int n, double ridge, double kappa, double e0, double testMse, double excessRisk,
            double trainMse) {
    }

    /** A measured point of a learning curve: the mean test MSE over {@code repeats} fits and its standard error. */
    public record Measurement(int n, int repeats, double mean, double standardError) {
    }

    private static void checkN(int n) {
        if (n < 1) {
            throw new Kernels4jException("the number of samples n must be >= 1, got " + n);
        }
    }

    private static void checkRidge(double ridge) {
        if (!(ridge >= 0)) {
            throw new Kernels4jException("the ridge must be >= 0, got " + ridge);
        }
    }

    /**
     * The effective regularisation κ at n samples and ridge δ ≥ 0 (δ = +∞ gives +∞): the root of
     * {@code Σ λ_i/(λ_i + κ) + δ/κ = n}, or 0 when δ = 0 and n ≥ r (see the class comment).
     */
    public double kappa(int n, double ridge) {
        checkN(n);
        checkRidge(ridge);
        if (ridge == Double.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        if (ridge == 0 && n >= rank) {
            return 0;
        }
        double lo = ridge / n;
        for (int m = n + 1; m <= rank; m++) {
            lo = Math.max(lo, eigenvalues[m - 1] * (m - n) / n);
        }
        double hi = (trace + ridge) / n;
        if (!(lo > 0) || !(hi >= lo)) {
            throw new Kernels4jException("no bracket for kappa (n = " + n + ", ridge = " + ridge + "): lo = " + lo
                    + ", hi = " + hi);
        }
        if (hi == lo) {
            return lo;
        }
        double tlo = Math.log(lo);
        double thi = Math.log(hi);
        double t = 0.5 * (tlo + thi);
        for (int it = 0; it < 500; it++) {
            double kappa = Math.exp(t);
            double f = -n + ridge / kappa;
            double df = -ridge / kappa; // d/dt of δ/κ, t = log κ
            for (int i = 0; i < rank; i++) {
                double l = eigenvalues[i] / (eigenvalues[i] + kappa);
                f += l;
                df -= l * (1 - l);
            }
            if (f > 0) {
                tlo = t;
            } else if (f < 0) {
                thi = t;
            } else {
                return kappa;
            }
            if (Math.exp(thi) - Math.exp(tlo) <= 4 * Math.ulp(Math.exp(tlo))) {
                break;
            }
            double next = t - f / df;
            if (!(next > tlo && next < thi)) {
                next = 0.5 * (tlo + thi);
            } else if (Math.abs(next - t) <= 0x1p-50 * Math.max(1, Math.abs(t))) {
                return Math.exp(next); // Newton has converged (quadratically) to a relative 1e-15 in κ
            }
            if (next == t) {
                break;
            }
            t = next;
        }
        return Math.exp(t);
    }

    /** The learnabilities {@code L_i = λ_i/(λ_i + κ)} at n samples and ridge δ, beside {@link #eigenvalues()}. */
    public double[] learnabilities(int n, double ridge) {
        double kappa = kappa(n, ridge);
        double[] l = new double[eigenvalues.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = learnability(eigenvalues[i], kappa);
        }
        return l;
    }

    private static double learnability(double lambda, double kappa) {
        if (lambda == 0 || kappa == Double.POSITIVE_INFINITY) {
            return 0;
        }
        return kappa == 0 ? 1 : lambda / (lambda + kappa);
    }

    /** The predicted test MSE, excess risk, train MSE, κ and E₀ at n samples and ridge δ ∈ [0, +∞]. */
    public Estimate estimate(int n, double ridge) {
        double kappa = kappa(n, ridge);
        if (kappa == Double.POSITIVE_INFINITY) {
            double mse = targetPower + noise;
            return new Estimate(n, ridge, kappa, 1, mse, targetPower, mse);
        }
        double bias = 0;
        double sumL2 = 0;
        double spread = 0; // Σ L(1 − L)
        for (int i = 0; i < eigenvalues.length; i++) {
            double l = learnability(eigenvalues[i], kappa);
            double oneMinus = kappa == 0 ? (eigenvalues[i] > 0 ? 0 : 1)
                    : eigenvalues[i] == 0 ? 1 : kappa / (eigenvalues[i] + kappa);
            bias += oneMinus * oneMinus * coefficients[i] * coefficients[i];
            sumL2 += l * l;
            spread += l * oneMinus;
        }
        double ridgeOverKappa = kappa == 0 ? n - rank : ridge / kappa;
        double denominator = ridgeOverKappa + spread; // = n − Σ L²
        double trainFactor = ridgeOverKappa / n;
        if (!(denominator > 0)) {
            double mse = bias + noise > 0 ? Double.POSITIVE_INFINITY : 0;
            return new Estimate(n, ridge, kappa, Double.POSITIVE_INFINITY, mse, mse, 0);
        }
        double e0 = n / denominator;
        double test = e0 * (bias + noise);
        double excess = e0 * bias + sumL2 / denominator * noise;
        return new Estimate(n, ridge, kappa, e0, test, excess, trainFactor * trainFactor * test);
    }

    /** Grid points per decade of δ in {@link #optimal}. */
    private static final int PER_DECADE = 8;
    /** Tolerance in ln δ of the golden-section refinement in {@link #optimal}. */
    private static final double LOG_TOLERANCE = 1e-7;
    /** Relative difference in test MSE below which {@link #optimal} prefers δ = 0 (or a finite δ to +∞). */
    private static final double TIE = 1e-12;

    /**
     * The ridge δ* ∈ [0, +∞] that minimises the predicted test MSE at n samples, with its estimate. The search
     * scores δ = 0, δ = +∞ (nothing learnt, test MSE Σv² + σ²) and a grid of 8 points per decade over
     * {@code [δ_lo, δ_hi]}: {@code δ_lo = 10⁻⁶·n·κ(n, 0)} for n &lt; r (then δ/κ ≤ 10⁻⁶·n, as κ grows with δ)
     * and {@code δ_lo = 10⁻⁶·max(1, n − r)·λ_min⁺} for n ≥ r (λ_min⁺ the smallest positive eigenvalue; then
     * κ ≤ δ/(n − r) and every L_i of a positive λ_i exceeds 1 − 10⁻⁶), so that below δ_lo the fit is the
     * ridgeless one; {@code δ_hi = 10⁶·(n·λ_max + Σλ)} (κ ≥ δ/n, so above it every L_i &lt; 10⁻⁶). The best grid
     * point is refined by golden-section search in ln δ between its neighbours to a width of 10⁻⁷ (one decade
     * beyond the grid at its ends). Test MSEs within a relative 10⁻¹² (rounding) count as ties and go to δ = 0,
     * then to δ = +∞, so a task whose best fit interpolates gets δ* = 0 exactly, and one with nothing to learn
     * (v = 0) gets +∞. A spectrum with several
     * local minima gets the best one at the grid's resolution. Near a flat minimum δ* is determined only to about
     * √(ε·MSE/MSE'') in ln δ, ε the rounding of the MSE.
     */
    public Estimate optimal(int n) {
        checkN(n);
        Estimate zero = estimate(n, 0);
        if (rank == 0) {
            return zero; // no δ changes anything
        }
        double lo = n < rank ? 1e-6 * n * zero.kappa() : 1e-6 * Math.max(1, n - rank) * eigenvalues[rank - 1];
        double hi = 1e6 * (n * eigenvalues[0] + trace);
        int points = (int) Math.ceil(Math.log10(hi / lo) * PER_DECADE) + 1;
        double[] t = new double[points];
        double[] f = new double[points];
        int best = 0;
        for (int i = 0; i < points; i++) {
            t[i] = Math.log(lo) + (Math.log(hi) - Math.log(lo)) * i / (points - 1);
            f[i] = estimate(n, Math.exp(t[i])).testMse();
            if (f[i] < f[best]) {
                best = i;
            }
        }
        double a = best > 0 ? t[best - 1] : t[0] - Math.log(10);
        double b = best < points - 1 ? t[best + 1] : t[points - 1] + Math.log(10);
        final double g = 0.5 * (Math.sqrt(5) - 1);
        double c = b - g * (b - a);
        double d = a + g * (b - a);
        double fc = estimate(n, Math.exp(c)).testMse();
        double fd = estimate(n, Math.exp(d)).testMse();
        while (b - a > LOG_TOLERANCE) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - g * (b - a);
                fc = estimate(n, Math.exp(c)).testMse();
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + g * (b - a);
                fd = estimate(n, Math.exp(d)).testMse();
            }
        }
        Estimate refined = estimate(n, Math.exp(fc <= fd ? c : d));
        if (f[best] < refined.testMse()) {
            refined = estimate(n, Math.exp(t[best]));
        }
        Estimate infinite = estimate(n, Double.POSITIVE_INFINITY);
        // ties (within rounding) go to δ = 0, then to δ = +∞ (where the search's end points are limits it approaches)
        Estimate finite = refined.testMse() < (1 - TIE) * infinite.testMse() ? refined : infinite;
        return finite.testMse() < (1 - TIE) * zero.testMse() ? finite : zero;
    }

    /**
     * The cost of overfitting at n samples: {@code test MSE(δ = 0)/test MSE(δ*)} ≥ 1 with δ* = {@link #optimal}
     * (1 when both are 0, +∞ at the interpolation peak n = r with noise). Benign overfitting is a cost near 1,
     * tempered a bounded cost above 1 (ridgeless fits of noisy power-law tasks λ_i ∝ i^{−a} tend to E₀ → a),
     * catastrophic an unbounded one.
     */
    public double costOfOverfitting(int n) {
        double interpolating = estimate(n, 0).testMse();
        double best = optimal(n).testMse();
        if (interpolating == 0) {
            return 1;
        }
        return interpolating / best;
    }

    /**
     * A measured learning curve on the Gaussian design of this task: features {@code z ∈ R^P} with independent
     * z_k ~ N(0, 1) (so φ_k(z) = z_k is orthonormal), the kernel {@code k(z, z') = Σ_k λ_k z_k z'_k}, labels
     * {@code y = Σ_k v_k z_k + ε} with ε ~ N(0, σ²). For each n, {@code repeats} independent draws of n samples are
     * fitted by ridge δ, {@code α = (K + δI)⁻¹y}, through one eigendecomposition of K; with δ = 0 the fit uses the
     * pseudo-inverse of K (eigenvalues up to 16·max(n, P)·ε·μ_max, the rounding level of K, dropped), the ridgeless limit: the minimum-norm interpolant
     * for n ≤ r, least squares on the modes for n &gt; r. The fitted function is {@code f̂ = Σ_k ŵ_k z_k} with
     * {@code ŵ = Λ·Zᵀα}, so its test MSE on noisy labels is exactly {@code Σ_k (ŵ_k − v_k)² + σ²}: no test set.
     * Draws are seeded per (size, repeat) from {@code seed} and run in parallel (single-threaded BLAS each), with
     * the same result on any number of threads. Cost per draw: n·P normal draws, then for n ≤ P n²·P flops for K
     * and 9n³ for its eigendecomposition, for n &gt; P the same fit in feature space (UᵀU, n·P² + 9P³).
     *
     * @return one measurement per size, mean test MSE on noisy labels and its standard error over the repeats
     *     (NaN for one repeat)
     */
    public List<Measurement> simulate(int[] sizes, double ridge, int repeats, long seed) {
        checkRidge(ridge);
        if (ridge == Double.POSITIVE_INFINITY) {
            throw new Kernels4jException("simulation needs a finite ridge, got " + ridge);
        }
        checkSizes(sizes, Integer.MAX_VALUE, "");
        if (repeats < 1) {
            throw new Kernels4jException("repeats must be >= 1, got " + repeats);
        }
        SplittableRandom master = new SplittableRandom(seed);
        List<Measurement> out = new ArrayList<>();
        for (int n : sizes) {
            SplittableRandom[] streams = new SplittableRandom[repeats];
            for (int rep = 0; rep < repeats; rep++) {
                streams[rep] = master.split(); // split here, in order: the result does not depend on the threads
            }
            double[] risks = new double[repeats];
            Parallelism.forEachBlock(repeats, rep -> risks[rep] = drawTestMse(n, ridge, streams[rep]));
            out.add(summary(n, risks));
        }
        return List.copyOf(out);
    }

    /** One draw of {@link #simulate}: its test MSE on noisy labels. */
    private double drawTestMse(int n, double ridge, SplittableRandom rnd) {
        int p = eigenvalues.length;
        double sigma = Math.sqrt(noise);
        // with more samples than modes, the same fit costs less in feature space (U as Uᵀ, P×n)
        boolean featureSpace = n > p;
        Matrix u = featureSpace ? new Matrix(p, n) : new Matrix(n, p);
        double[] ud = u.data();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k < p; k++) {
                double z = rnd.nextGaussian();
                s += coefficients[k] * z;
                ud[featureSpace ? k * n + i : i * p + k] = Math.sqrt(eigenvalues[k]) * z;
            }
            y[i] = s + sigma * rnd.nextGaussian();
        }
        double[] w = featureSpace ? featureSpaceWeights(u, y, ridge) : sampleSpaceWeights(u, y, ridge);
        double risk = 0;
        for (int k = 0; k < p; k++) {
            double e = Math.sqrt(eigenvalues[k]) * w[k] - coefficients[k];
            risk += e * e;
        }
        return risk + noise;
    }

    /**
     * w = Uᵀ·(UUᵀ + δI)⁻¹·y for U (n×P), through the n×n K = UUᵀ (n²·P + 9n³ flops; {@link #ridgeSolve}).
     */
    private static double[] sampleSpaceWeights(Matrix u, double[] y, double ridge) {
        double[] alpha = ridgeSolve(u, y, u.rows(), u.cols(), ridge);
        double[] w = new double[u.cols()];
        Blas.gemv(true, 1.0, u, alpha, 0.0, w);
        return w;
    }

    /**
     * The same w for n &gt; P from the transposed design {@code ut} = Uᵀ (P×n): by the push-through identity
     * Uᵀ(UUᵀ + δI)⁻¹ = (UᵀU + δI)⁻¹Uᵀ, w = (UᵀU + δI)⁻¹·Uᵀy through the P×P matrix UᵀU (n·P² + 9P³ flops instead of
     * n²·P + 9n³); with δ = 0 the pseudo-inverse, which UUᵀ and UᵀU share (the same nonzero eigenvalues, the same
     * rounding-level cut): the minimum-norm least-squares fit.
     */
    private static double[] featureSpaceWeights(Matrix ut, double[] y, double ridge) {
        double[] uty = new double[ut.rows()];
        Blas.gemv(false, 1.0, ut, y, 0.0, uty);
        return ridgeSolve(ut, uty, ut.cols(), ut.rows(), ridge);
    }

    /**
     * (AAᵀ + δI)⁻¹·b through the eigendecomposition of AAᵀ; with δ = 0 its pseudo-inverse, eigenvalues up to the
     * rounding level 16·max(n, P)·ε·μ_max of the n×P design's Gram matrix dropped.
     */
    private static double[] ridgeSolve(Matrix a, double[] b, int n, int p, double ridge) {
        int k = a.rows();
        Matrix gram = new Matrix(k, k);
        Blas.syrk(1.0, a, 0.0, gram);
        SymmetricEigen eig = SymmetricEigen.ofInPlace(gram);
        Matrix q = eig.vectors();
        double[] mu = eig.values();
        double[] c = new double[k];
        Blas.gemv(true, 1.0, q, b, 0.0, c);
        double cut = 16.0 * Math.max(n, p) * 0x1p-52 * Math.max(0, mu[k - 1]);
        for (int j = 0; j < k; j++) {
            double m = Math.max(0, mu[j]);
            c[j] = ridge > 0 ? c[j] / (m + ridge) : m > cut ? c[j] / m : 0;
        }
        double[] x = new double[k];
        Blas.gemv(false, 1.0, q, c, 0.0, x);
        return x;
    }

    /**
     * A measured learning curve on data: for each n and each of {@code repeats} draws, n distinct rows of the
     * pool (a uniform sample without replacement, seeded per (size, repeat) from {@code seed}) are fitted by
     * {@code learner} (e.g. {@code KernelRidge.builder(k).lambda(δ).build()}) and scored by the mean squared error
     * over the held-out rows (and their target columns).
     *
     * @return one measurement per size: the mean held-out MSE and its standard error over the repeats (NaN for
     *     one repeat)
     */
    public static List<Measurement> measure(Estimator<? extends Model> learner, Matrix xPool, Matrix yPool,
            Matrix xTest, Matrix yTest, int[] sizes, int repeats, long seed) {
        if (learner == null) {
            throw new Kernels4jException("measuring a learning curve needs a learner");
        }
        if (xPool.rows() != yPool.rows() || xTest.rows() != yTest.rows()) {
            throw new Kernels4jException("inputs and targets have different numbers of rows (pool " + xPool.rows() + " vs "
                    + yPool.rows() + ", test " + xTest.rows() + " vs " + yTest.rows() + ")");
        }
        if (xTest.rows() == 0) {
            throw new Kernels4jException("measuring a learning curve needs at least one held-out row");
        }
        if (repeats < 1) {
            throw new Kernels4jException("repeats must be >= 1, got " + repeats);
        }
        int pool = xPool.rows();
        checkSizes(sizes, pool, " (the training pool has " + pool + " rows)");
        SplittableRandom master = new SplittableRandom(seed);
        List<Measurement> out = new ArrayList<>();
        int[] perm = new int[pool];
        for (int n : sizes) {
            double[] mses = new double[repeats];
            for (int rep = 0; rep < repeats; rep++) {
                SplittableRandom rnd = master.split();
                for (int i = 0; i < pool; i++) {
                    perm[i] = i;
                }
                for (int i = 0; i < n; i++) {
                    int j = i + rnd.nextInt(pool - i);
                    int tmp = perm[i];
                    perm[i] = perm[j];
                    perm[j] = tmp;
                }
                int[] rows = Arrays.copyOf(perm, n);
                Model m = learner.fit(xPool.selectRows(rows), yPool.selectRows(rows));
                Matrix pred = m.predict(xTest);
                double[] pd = pred.data();
                double[] yd = yTest.data();
                if (pd.length != yd.length) {
                    throw new Kernels4jException("the learner predicts " + pred.shape() + " for targets " + yTest.shape());
                }
                double s = 0;
                for (int i = 0; i < pd.length; i++) {
                    double e = pd[i] - yd[i];
                    s += e * e;
                }
                mses[rep] = s / pd.length;
            }
            out.add(summary(n, mses));
        }
        return List.copyOf(out);
    }

    private static void checkSizes(int[] sizes, int max, String why) {
        if (sizes == null || sizes.length == 0) {
            throw new Kernels4jException("a learning curve needs at least one sample size");
        }
        for (int n : sizes) {
            if (n < 1) {
                throw new Kernels4jException("sample sizes must be >= 1, got " + n);
            }
            if (n > max) {
                throw new Kernels4jException("sample size " + n + " is larger than the " + max + " rows available" + why);
            }
        }
    }

    private static Measurement summary(int n, double[] values) {
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= values.length;
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        int r = values.length;
        double se = r > 1 ? Math.sqrt(ss / (r - 1) / r) : Double.NaN;
        return new Measurement(n, r, mean, se);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LearningCurve(%d modes, rank %d, trace %.6g, target power %.6g, noise %.6g)",
                eigenvalues.length, rank, trace, targetPower, noise);
    }
}
