package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.NativeBuffer;
import org.kernels4j.linalg.NativeMatrix;

/**
 * The approximate-inference engine shared by {@link GaussianProcessClassifier} and
 * {@link LatentGaussianProcess}: Laplace, EP and CVI in one site representation, the three
 * objectives, and their hyperparameter gradients. Every posterior is kept as sites (τ, ν):
 * <pre>
 *   S = diag √τ,  B = I + S·K·S = LLᵀ,  α = ν − S·B⁻¹·S·K·ν,  μ = K·α,
 *   diag Σ = (1 − diag B⁻¹)/τ  (or diag K − colsum((L⁻¹SK)∘(L⁻¹SK)) for weak sites)
 * </pre>
 * which is n³/3 for the factor plus n³/3 for the variances per iteration (B's eigenvalues are ≥ 1,
 * so no jitter is ever needed, whatever K's conditioning).
 */
final class LatentInference {
    /**
     * Iteration limit, EP damping, CVI step, the convergence tolerance on the sites, and whether EP and CVI results
     * keep B⁻¹ (for a gradient: formed from the last sweep's triangular inverse, n³/3, instead of 2n³/3 afresh).
     */
    record Options(InferenceMethod method, int maxIterations, double damping, double stepSize, double tolerance,
            boolean keepInverse) {
        Options(InferenceMethod method, int maxIterations, double damping, double stepSize, double tolerance) {
            this(method, maxIterations, damping, stepSize, tolerance, false);
        }
    }

    /**
     * A Gaussian posterior in site form. The factor of B = I + S·K·S lives off the heap; {@link #lower()}
     * copies it out (n²), {@link #close()} releases it early (else the garbage collector does).
     */
    record Posterior(double[] tau, double[] nu, double[] sqrtTau, Cholesky factor, double[] alpha, double[] mean,
            double[] variance, double halfLogDetB) implements AutoCloseable {
        /** The lower factor L of B as a heap matrix. */
        Matrix lower() {
            return factor.lower();
        }

        @Override
        public void close() {
            factor.close();
        }
    }

    /**
     * One inference outcome: the posterior, the Laplace evidence (NaN for EP and CVI), iterations,
     * whether the sites converged, and the last relative site change.
     */
    record Result(Posterior posterior, double laplaceEvidence, int iterations, boolean converged, double change,
            Matrix inverse) {
        Result(Posterior posterior, double laplaceEvidence, int iterations, boolean converged, double change) {
            this(posterior, laplaceEvidence, iterations, converged, change, null);
        }

        /** B⁻¹ = (I + S·K·S)⁻¹ (n×n): the kept one (see {@link Options#keepInverse()}) or a fresh one. */
        Matrix inverseB() {
            return inverse != null ? inverse : posterior.factor().inverse();
        }
    }

    private static final System.Logger LOG = System.getLogger(LatentInference.class.getName());

    private LatentInference() {
    }

    /** The posterior for sites (τ ≥ 0, ν) under the prior covariance K. */
    static Posterior posterior(Matrix k, double[] tau, double[] nu) {
        return posterior(k, tau, nu, true);
    }

    /**
     * As above; without {@code variances} (a Newton step needs only α) diag Σ is left at diag K, saving
     * the O(n³) part. B is filled straight into native memory and factored there in place, so no n×n
     * array crosses JNI; K·v runs in Java ({@link Blas#gemm}'s thin-product path).
     */
    static Posterior posterior(Matrix k, double[] tau, double[] nu, boolean variances) {
        if (!variances) {
            return posterior(k, tau, nu, false, null);
        }
        try (NativeBuffer workspace = new NativeBuffer((long) tau.length * tau.length)) {
            return posterior(k, tau, nu, true, workspace);
        }
    }

    /** As above, with a workspace of n² doubles for the variances (reused across the sweeps of one run). */
    static Posterior posterior(Matrix k, double[] tau, double[] nu, boolean variances, NativeBuffer workspace) {
        return posterior(k, tau, nu, variances, workspace, new boolean[1]);
    }

    /** As above; {@code inverted[0]} tells whether the workspace now holds this factor's L⁻¹. */
    private static Posterior posterior(Matrix k, double[] tau, double[] nu, boolean variances, NativeBuffer workspace,
            boolean[] inverted) {
        inverted[0] = false;
        int n = tau.length;
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.sqrt(Math.max(tau[i], 0));
        }
        double[] kd = k.data();
        NativeMatrix b = new NativeMatrix(n, n);
        double gershgorin = 1; // max row sum of |B|, bounds cond(B) since B's eigenvalues are ≥ 1
        int band = Math.max(1, Math.min(n, (1 << 16) / Math.max(1, n)));
        double[] rows = new double[band * n];
        for (int r0 = 0; r0 < n; r0 += band) {
            int h = Math.min(band, n - r0);
            for (int r = 0; r < h; r++) {
                int i = r0 + r;
                double rowSum = 1;
                for (int j = 0; j < n; j++) {
                    double v = s[i] * kd[i * n + j] * s[j];
                    rows[r * n + j] = v;
                    rowSum += Math.abs(v);
                }
                rows[r * n + i] += 1;
                gershgorin = Math.max(gershgorin, rowSum);
            }
            b.putBlock(r0, 0, h, n, rows);
        }
        Cholesky chol = Cholesky.factorInPlace(b, "posterior matrix I + S K S", true);
        double halfLogDet = 0.5 * chol.logDeterminant();
        double[] kNu = times(k, nu);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = s[i] * kNu[i];
        }
        double[] u = chol.solve(v);
        double[] alpha = new double[n];
        for (int i = 0; i < n; i++) {
            alpha[i] = nu[i] - s[i] * u[i];
        }
        double[] mean = times(k, alpha);
        double[] variance = variances ? marginalVariances(k, s, chol, gershgorin, workspace, inverted) : diagonal(k);
        for (int i = 0; i < n; i++) {
            variance[i] = Math.max(variance[i], 1e-300);
        }
        return new Posterior(tau.clone(), nu.clone(), s, chol, alpha, mean, variance, halfLogDet);
    }

    /**
     * diag Σ for Σ = (K⁻¹ + S²)⁻¹ from the factor of B = I + S·K·S. Where s_i &gt; 0,
     * Σ = S⁻¹(I − B⁻¹)S⁻¹ gives Σ_ii = (1 − (B⁻¹)_ii)/τ_i, and diag B⁻¹ costs one triangular
     * inverse (n³/3, {@link Cholesky#inverseDiagonal()}) instead of the n³ of L⁻¹·S·K. That difference
     * loses accuracy when 1 − (B⁻¹)_ii = τ_iΣ_ii is small against the error of (B⁻¹)_ii (about
     * ε·cond B), so below 10⁻⁸·cond B (cond B ≤ {@code conditionBound}, relative error then ≲ 10⁻⁸) the
     * site takes the direct route Σ_ii = K_ii − ‖L⁻¹·S·K·e_i‖², one column each; when most sites would
     * (weak sites, e.g. zero at the start of EP) all of them take it.
     */
    static double[] marginalVariances(Matrix k, double[] s, Cholesky chol, double conditionBound,
            NativeBuffer workspace) {
        return marginalVariances(k, s, chol, conditionBound, workspace, new boolean[1]);
    }

    /** As above, setting {@code inverted[0]} when the workspace was left holding L⁻¹. */
    private static double[] marginalVariances(Matrix k, double[] s, Cholesky chol, double conditionBound,
            NativeBuffer workspace, boolean[] inverted) {
        int n = s.length;
        double floor = 1e-8 * conditionBound;
        double[] kdiag = diagonal(k);
        int weak = 0;
        for (int i = 0; i < n; i++) {
            weak += s[i] * s[i] * kdiag[i] < floor ? 1 : 0; // τ_iΣ_ii ≤ τ_iK_ii: surely below the floor
        }
        double[] variance = kdiag.clone();
        boolean noSite = true;
        for (double si : s) {
            noSite &= si == 0;
        }
        if (noSite) {
            return variance; // Σ = K
        }
        java.util.List<Integer> direct = new java.util.ArrayList<>();
        if (2 * weak > n) {
            for (int i = 0; i < n; i++) {
                direct.add(i);
            }
        } else {
            double[] binv = chol.inverseDiagonal(workspace);
            inverted[0] = true;
            for (int i = 0; i < n; i++) {
                double shrink = 1 - binv[i];
                if (shrink >= floor && s[i] > 0) {
                    variance[i] = shrink / (s[i] * s[i]);
                } else {
                    direct.add(i);
                }
            }
        }
        if (direct.isEmpty()) {
            return variance;
        }
        int m = direct.size();
        double[] kd = k.data();
        Matrix sk = new Matrix(n, m); // S·K·E_J
        double[] skd = sk.data();
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < m; c++) {
                skd[r * m + c] = s[r] * kd[r * n + direct.get(c)];
            }
        }
        double[] x = chol.solveLower(sk).data();
        for (int c = 0; c < m; c++) {
            int i = direct.get(c);
            double sum = 0;
            for (int r = 0; r < n; r++) {
                double val = x[r * m + c];
                sum += val * val;
            }
            variance[i] = kdiag[i] - sum;
        }
        return variance;
    }

    private static double[] diagonal(Matrix k) {
        int n = k.rows();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = k.data()[i * n + i];
        }
        return d;
    }

    /** Runs the method from the given sites (null: from zero sites / the zero mode). */
    static Result infer(Matrix k, double[] y, Likelihood lik, Options o, double[] tau0, double[] nu0) {
        return switch (o.method()) {
            case LAPLACE -> laplace(k, y, lik, o);
            case EP -> ep(k, y, lik, o, tau0, nu0);
            case CVI -> cvi(k, y, lik, o, tau0, nu0);
        };
    }

    /**
     * Laplace: Newton's method on Ψ(f) = log p(y | f) − ½fᵀK⁻¹f (R&amp;W Algorithm 3.1, with W =
     * max(−∇² log p, 0) so a non-log-concave likelihood still gets an ascent step), halving the step
     * while Ψ falls; the sites are τ = W, ν = W·f̂ + ∇log p(y | f̂), and the evidence is
     * Ψ(f̂) − ½·log|B|.
     */
    static Result laplace(Matrix k, double[] y, Likelihood lik, Options o) {
        int n = y.length;
        double[] f = new double[n];
        double[] a = new double[n];
        double psi = psi(f, a, y, lik);
        int iter = 0;
        boolean converged = false;
        double change = Double.POSITIVE_INFINITY;
        while (iter < o.maxIterations()) {
            iter++;
            double[] w = new double[n];
            double[] bvec = new double[n];
            for (int i = 0; i < n; i++) {
                double[] d = lik.derivatives(y[i], f[i]);
                w[i] = Math.max(-d[1], 0);
                bvec[i] = w[i] * f[i] + d[0];
            }
            // the Newton target a = b − S·B⁻¹·S·K·b is α of the posterior with sites (W, b)
            double[] newA;
            try (Posterior newton = posterior(k, w, bvec, false)) {
                newA = newton.alpha();
            }
            double step = 1;
            double[] trialA = new double[n];
            double[] trialF = f;
            double trialPsi = Double.NEGATIVE_INFINITY;
            for (int h = 0; h < 30; h++) {
                for (int i = 0; i < n; i++) {
                    trialA[i] = a[i] + step * (newA[i] - a[i]);
                }
                trialF = times(k, trialA);
                trialPsi = psi(trialF, trialA, y, lik);
                if (trialPsi >= psi - 1e-12 * Math.abs(psi)) {
                    break;
                }
                step *= 0.5;
            }
            change = Math.abs(trialPsi - psi) / Math.max(1, Math.abs(psi));
            a = trialA.clone();
            f = trialF;
            psi = trialPsi;
            if (change <= o.tolerance() * 1e-4) {
                converged = true;
                break;
            }
        }
        double[] tau = new double[n];
        double[] nu = new double[n];
        double[] grad = new double[n];
        for (int i = 0; i < n; i++) {
            double[] d = lik.derivatives(y[i], f[i]);
            tau[i] = Math.max(-d[1], 0);
            grad[i] = d[0];
            nu[i] = tau[i] * f[i] + d[0];
        }
        Posterior p = posterior(k, tau, nu);
        // the approximation is centred on the last iterate itself (R&W Algorithm 3.2: mean k*ᵀ∇log p(y | f̂));
        // the site form would add one more Newton step when the iteration limit stopped it early
        p = new Posterior(p.tau(), p.nu(), p.sqrtTau(), p.factor(), grad, f, p.variance(), p.halfLogDetB());
        return new Result(p, psi - p.halfLogDetB(), iter, converged, change);
    }

    private static double psi(double[] f, double[] a, double[] y, Likelihood lik) {
        double s = 0;
        for (int i = 0; i < f.length; i++) {
            s += lik.logDensity(y[i], f[i]) - 0.5 * a[i] * f[i];
        }
        return s;
    }

    /**
     * Parallel EP with damping δ: every site moves to match its tilted moments given its cavity,
     * τ ← (1−δ)τ + δ·(1/σ̂² − τ₋), ν ← (1−δ)ν + δ·(μ̂/σ̂² − ν₋), then the posterior is refactored once
     * (R&amp;W Algorithm 3.5 updates sites one at a time; the parallel form costs one factorization per
     * sweep instead of n rank-one updates). A site whose cavity precision is not positive keeps its
     * value that sweep; negative site precisions are clipped to 0.
     */
    static Result ep(Matrix k, double[] y, Likelihood lik, Options o, double[] tau0, double[] nu0) {
        int n = y.length;
        double delta = o.damping();
        return sweeps(k, tau0 == null ? new double[n] : tau0.clone(), nu0 == null ? new double[n] : nu0.clone(), o,
                (i, p, tau, nu, out) -> {
                    double v = p.variance()[i];
                    double cavTau = 1 / v - tau;
                    if (!(cavTau > 0)) {
                        return false;
                    }
                    double cavNu = p.mean()[i] / v - nu;
                    Likelihood.Tilted t = lik.tiltedMoments(y[i], cavNu / cavTau, 1 / cavTau);
                    if (!(t.variance() > 0)) {
                        return false;
                    }
                    double newTau = Math.max(1 / t.variance() - cavTau, 0);
                    double newNu = t.mean() / t.variance() - cavNu;
                    out[0] = (1 - delta) * tau + delta * newTau;
                    out[1] = (1 - delta) * nu + delta * newNu;
                    return true;
                });
    }

    /**
     * CVI with step β: with E_i = E_{q(f_i)}[log p(y_i | f_i)] at the current marginals,
     * λ₁ ← (1−β)λ₁ + β(∂E/∂m − 2·∂E/∂v·m), λ₂ ← (1−β)λ₂ + β(−2·∂E/∂v), where (λ₁, λ₂) = (ν, τ)
     * (Khan &amp; Lin 2017; AaltoML improved-hyperparameter-learning {@code t_VGP}). λ₂ starts at 1e−6
     * and is clipped at 0 (a non-log-concave likelihood can ask for a negative one).
     */
    static Result cvi(Matrix k, double[] y, Likelihood lik, Options o, double[] tau0, double[] nu0) {
        int n = y.length;
        double beta = o.stepSize();
        return sweeps(k, tau0 == null ? filled(n, 1e-6) : tau0.clone(), nu0 == null ? new double[n] : nu0.clone(), o,
                (i, p, tau, nu, out) -> {
                    double m = p.mean()[i];
                    Likelihood.Expectation e = lik.expectation(y[i], m, p.variance()[i]);
                    out[0] = (1 - beta) * tau + beta * Math.max(-2 * e.dVariance(), 0);
                    out[1] = (1 - beta) * nu + beta * (e.dMean() - 2 * e.dVariance() * m);
                    return true;
                });
    }

    /** A site's new natural parameters (τ, ν) from the current posterior: written to out[0], out[1]; false keeps it. */
    @FunctionalInterface
    private interface SiteUpdate {
        boolean update(int i, Posterior p, double tau, double nu, double[] out);
    }

    /** The loosest site tolerance a hyperparameter search uses far from its optimum (see Problems.searchOptions). */
    static final double LOOSEST_SEARCH_TOLERANCE = 1e-4;

    /** The search's site tolerance per unit of the last ‖∇‖∞, relative to the tolerance t (see Problems.searchOptions). */
    static final double SEARCH_TOLERANCE_PER_GRADIENT = 100;

    /** Past iterates kept by the Anderson acceleration of {@link #sweeps}. */
    static final int ANDERSON_MEMORY = 5;

    /**
     * The sweep loop EP and CVI share. One sweep is the plain fixed-point map G: every site is updated from the
     * posterior of the previous sweep (so one factorization per sweep). It stops when no site's τ or ν moved by
     * more than the tolerance (relative to 1 + |value|) under G — so what it returns is a fixed point of the
     * plain (damped) iteration whatever the acceleration did — or after the sweep limit.
     *
     * <p>Between those checks the iterate is extrapolated by Anderson acceleration (type II, Walker &amp; Ni
     * 2011) over the last {@value #ANDERSON_MEMORY} sweeps: with residuals f = G(x) − x in weighted site
     * coordinates, γ = argmin ‖f_k − ΔF·γ‖ and x ← G(x_k) − ΔG·γ, then τ clipped at 0. Parallel EP and CVI
     * converge linearly (each sweep shrinks the error by a constant factor, 0.5–0.9 here); extrapolating over
     * that linear regime cut the sweeps to converge by about half to two thirds on the classification
     * benchmark. Safeguard: when the residual grows from one sweep to the next the history is dropped and
     * the plain step taken, so it can never do much worse than the plain iteration.
     */
    private static Result sweeps(Matrix k, double[] tau, double[] nu, Options o, SiteUpdate update) {
        try (NativeBuffer workspace = new NativeBuffer((long) tau.length * tau.length)) {
            return sweeps(k, tau, nu, o, update, workspace);
        }
    }

    private static Result sweeps(Matrix k, double[] tau, double[] nu, Options o, SiteUpdate update,
            NativeBuffer workspace) {
        int n = tau.length;
        boolean[] inverted = new boolean[1];
        Posterior p = posterior(k, tau, nu, true, workspace, inverted);
        double[] next = new double[2];
        int iter = 0;
        double change = Double.POSITIVE_INFINITY;
        boolean converged = false;
        double[] weight = null;
        java.util.ArrayDeque<double[][]> history = new java.util.ArrayDeque<>(); // {x, G(x), f}
        double previousNorm = Double.POSITIVE_INFINITY;
        while (iter < o.maxIterations()) {
            iter++;
            change = 0;
            double[] gTau = tau.clone();
            double[] gNu = nu.clone();
            for (int i = 0; i < n; i++) {
                if (!update.update(i, p, tau[i], nu[i], next)) {
                    continue;
                }
                change = Math.max(change, Math.max(Math.abs(next[0] - tau[i]) / (1 + tau[i]),
                        Math.abs(next[1] - nu[i]) / (1 + Math.abs(nu[i]))));
                gTau[i] = next[0];
                gNu[i] = next[1];
            }
            if (weight == null) { // fixed weights, so the least-squares problems of all sweeps agree
                weight = new double[2 * n];
                for (int i = 0; i < n; i++) {
                    weight[i] = 1 / (1 + Math.abs(gTau[i]));
                    weight[n + i] = 1 / (1 + Math.abs(gNu[i]));
                }
            }
            double[] x = new double[2 * n];
            double[] g = new double[2 * n];
            double[] f = new double[2 * n];
            double norm = 0;
            for (int i = 0; i < 2 * n; i++) {
                x[i] = weight[i] * (i < n ? tau[i] : nu[i - n]);
                g[i] = weight[i] * (i < n ? gTau[i] : gNu[i - n]);
                f[i] = g[i] - x[i];
                norm += f[i] * f[i];
            }
            double[] proposal = g;
            if (change <= o.tolerance()) {
                // the posterior in hand is at sites the map moves by at most the tolerance: return it rather than
                // refactor once more at G(x) (a factorization and a triangular inverse per run saved)
                converged = true;
                break;
            } else if (norm > previousNorm) {
                history.clear();
            } else if (!history.isEmpty()) {
                proposal = anderson(history, g, f);
            }
            previousNorm = norm;
            history.addLast(new double[][] {g, f});
            if (history.size() > ANDERSON_MEMORY + 1) {
                history.removeFirst();
            }
            for (int i = 0; i < n; i++) {
                tau[i] = Math.max(proposal[i] / weight[i], 0);
                nu[i] = proposal[n + i] / weight[n + i];
            }
            p.close();
            p = posterior(k, tau, nu, true, workspace, inverted);
        }
        Matrix inverse = null;
        if (o.keepInverse()) {
            if (inverted[0]) {
                Blas.lauumLower(workspace, n);
                inverse = new Matrix(n, n);
                double[] d = inverse.data();
                workspace.copyTo(0, d, 0, n * n);
                for (int i = 0; i < n; i++) {
                    for (int j = i + 1; j < n; j++) {
                        d[i * n + j] = d[j * n + i];
                    }
                }
            } else {
                inverse = p.factor().inverse();
            }
        }
        return new Result(p, Double.NaN, iter, converged, change, inverse);
    }

    /**
     * The Anderson step G(x_k) − ΔG·γ with γ = argmin ‖f_k − ΔF·γ‖₂, from the (G(x_i), f_i) of earlier sweeps
     * (oldest first); the small normal equations are solved with a 1e−10 relative ridge against rank loss.
     */
    static double[] anderson(java.util.Deque<double[][]> history, double[] g, double[] f) {
        java.util.List<double[][]> h = new java.util.ArrayList<>(history);
        h.add(new double[][] {g, f});
        int m = h.size() - 1;
        int len = g.length;
        double[][] df = new double[m][len];
        double[][] dg = new double[m][len];
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < len; i++) {
                df[c][i] = h.get(c + 1)[1][i] - h.get(c)[1][i];
                dg[c][i] = h.get(c + 1)[0][i] - h.get(c)[0][i];
            }
        }
        Matrix a = new Matrix(m, m);
        double[] rhs = new double[m];
        double trace = 0;
        for (int r = 0; r < m; r++) {
            for (int c = 0; c <= r; c++) {
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    dot += df[r][i] * df[c][i];
                }
                a.set(r, c, dot);
                a.set(c, r, dot);
            }
            trace += a.get(r, r);
            double dot = 0;
            for (int i = 0; i < len; i++) {
                dot += df[r][i] * f[i];
            }
            rhs[r] = dot;
        }
        if (!(trace > 0)) {
            return g;
        }
        for (int r = 0; r < m; r++) {
            a.set(r, r, a.get(r, r) + 1e-10 * trace);
        }
        double[] gamma;
        try (Cholesky c = Cholesky.factor(a, "Anderson normal equations")) {
            gamma = c.solve(rhs);
        } catch (org.kernels4j.linalg.NotPositiveDefiniteException singular) {
            return g;
        }
        double[] out = g.clone();
        for (int c = 0; c < m; c++) {
            for (int i = 0; i < len; i++) {
                out[i] -= gamma[c] * dg[c][i];
            }
        }
        return out;
    }

    /**
     * The EP marginal-likelihood formula at any sites (R&amp;W eq. 3.65 in the form of GPML's
     * {@code infEP}): with cavities τ₋ = 1/v − τ, ν₋ = μ/v − ν (v = diag Σ) and
     * lZ_i = log ∫p(y_i | f)·N(f; ν₋/τ₋, 1/τ₋) df,
     * <pre>
     *   log Z = Σ lZ_i − ½log|B| + ½νᵀμ − ½Σ v·ν² + ½Σ ν₋·(τ/τ₋·ν₋ − 2ν)·v + ½Σ log(1 + τ/τ₋)
     * </pre>
     * (a cavity precision that is not positive is taken as 1e−10).
     */
    static double epEstimate(Posterior p, double[] y, Likelihood lik) {
        double s = -p.halfLogDetB();
        for (int i = 0; i < y.length; i++) {
            double v = p.variance()[i];
            double tau = p.tau()[i];
            double nu = p.nu()[i];
            double cavTau = Math.max(1 / v - tau, 1e-10);
            double cavNu = p.mean()[i] / v - nu;
            s += lik.tiltedMoments(y[i], cavNu / cavTau, 1 / cavTau).logZ();
            s += 0.5 * nu * p.mean()[i] - 0.5 * v * nu * nu + 0.5 * cavNu * (tau / cavTau * cavNu - 2 * nu) * v
                    + 0.5 * Math.log1p(tau / cavTau);
        }
        return s;
    }

    /**
     * The ELBO Σ E_{q(f_i)}[log p(y_i | f_i)] − KL(q ‖ N(0, K)), with
     * KL = ½(−Σ τ_i·Σ_ii + μᵀα + log|B|) (from tr(K⁻¹Σ) = n − tr(TΣ), μᵀK⁻¹μ = μᵀα, log|K|/|Σ| = log|B|).
     */
    static double elbo(Posterior p, double[] y, Likelihood lik) {
        double s = 0;
        double kl = 2 * p.halfLogDetB();
        for (int i = 0; i < y.length; i++) {
            s += lik.expectation(y[i], p.mean()[i], p.variance()[i]).value();
            kl += -p.tau()[i] * p.variance()[i] + p.mean()[i] * p.alpha()[i];
        }
        return s - 0.5 * kl;
    }

    /** S·B⁻¹·S (n×n), in place of the given B⁻¹. */
    private static Matrix sbs(Posterior p, Matrix binv) {
        Matrix r = binv;
        int n = p.tau().length;
        double[] rd = r.data();
        double[] s = p.sqrtTau();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rd[i * n + j] *= s[i] * s[j];
            }
        }
        return r;
    }

    /**
     * Weights G with ∂(objective)/∂log θ = Σ_ij G_ij·∂K_ij/∂log θ when the posterior is stationary for
     * it (EP evidence at an EP fixed point, ELBO at a CVI fixed point; R&amp;W §3.6 / eq. 5.9):
     * G = ½(ααᵀ − S·B⁻¹·S), added into {@code into}.
     */
    static void addStationaryWeights(Posterior p, Matrix into) {
        addStationaryWeights(p, p.factor().inverse(), into);
    }

    /** As above with B⁻¹ given (and overwritten). */
    static void addStationaryWeights(Posterior p, Matrix binv, Matrix into) {
        Matrix r = sbs(p, binv);
        int n = p.tau().length;
        double[] a = p.alpha();
        double[] rd = r.data();
        double[] g = into.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] += 0.5 * (a[i] * a[j] - rd[i * n + j]);
            }
        }
    }

    /**
     * Weights for the Laplace evidence gradient (R&amp;W Algorithm 5.1) in contraction form: with
     * R = S·B⁻¹·S, s₂ = ½·diag Σ ∘ ∇³log p(y | f̂) = ∂(−½log|B|)/∂f̂ (the sign of GPML's infLaplace) and u = s₂ − R·K·s₂ (the implicit change of the
     * mode), G = ½ααᵀ − ½R + ½(αuᵀ + uαᵀ), added into {@code into}. Exact for log-concave
     * likelihoods; with W clipped (Student-t) it omits the clipped sites' curvature change.
     */
    static void addLaplaceWeights(Posterior p, Matrix k, double[] y, Likelihood lik, Matrix into) {
        Matrix r = sbs(p, p.factor().inverse());
        int n = y.length;
        double[] s2 = new double[n];
        for (int i = 0; i < n; i++) {
            s2[i] = 0.5 * p.variance()[i] * lik.derivatives(y[i], p.mean()[i])[2];
        }
        double[] ks2 = times(k, s2);
        double[] u = s2.clone();
        double[] rks = times(r, ks2);
        for (int i = 0; i < n; i++) {
            u[i] -= rks[i];
        }
        double[] a = p.alpha();
        double[] rd = r.data();
        double[] g = into.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] += 0.5 * (a[i] * a[j] - rd[i * n + j]) + 0.5 * (a[i] * u[j] + u[i] * a[j]);
            }
        }
    }

    /**
     * Weights G with ∂F/∂log θ = Σ_ij G_ij·∂K_ij/∂log θ for the EP-like estimate F at the CVI fixed point, the total
     * derivative of θ ↦ F(θ, λ(θ)) (F is not stationary in the CVI sites λ = (τ, ν), so unlike
     * {@link #addStationaryWeights} the sites' own movement counts). With Σ = (K⁻¹ + T)⁻¹, μ = Σν, v = diag Σ,
     * C = (I + KT)⁻¹ = ΣK⁻¹ and α = K⁻¹μ:
     * <pre>
     *   dΣ = C·dK·Cᵀ − Σ·dT·Σ,   dμ = dΣ·ν + Σ·dν,   d log|B| = tr(R·dK) + vᵀdτ   (R = S·B⁻¹·S),
     *   dF = aᵀdμ + bᵀdv + cᵀdτ + eᵀdν − ½ d log|B|
     * </pre>
     * where (a, b, c, e) are the per-site partials of the EP formula in (μ_i, v_i, τ_i, ν_i) (through the cavities and
     * ∂log Z/∂(cavity mean, variance) from the tilted moments). The sites solve λ = g(μ, v) (the CVI map with step 1,
     * per site: τ = −2E_v, ν = E_m − 2E_v·μ; J its 2×2-per-site Jacobian); the adjoint w solves
     * (I − H_λᵀJᵀ)w = ∂F/∂λ, H_λ = ∂(μ, v)/∂λ (dμ = −Σ(μ∘dτ) + Σ·dν, dv = −(Σ∘Σ)dτ), by GMRES with O(n²) products.
     * The implicit term then adds z = Jᵀw to (a, b), and
     * <pre>
     *   G = ½(Cᵀa·αᵀ + α·aᵀC) + Cᵀ·diag(b)·C − ½R
     * </pre>
     * is added into {@code into}. Since Cᵀ = (I + TK)⁻¹ = S·B⁻¹·S⁻¹ and Σ = S⁻¹(I − B⁻¹)S⁻¹, everything dense comes
     * from one B⁻¹ (n³/3 when the sweeps kept it, else 2n³/3) plus Cᵀ·diag(b)·C as two rank-k updates (n³): about
     * 1.3n³ with O(n²) per GMRES step (13 steps per evaluation on the benchmark),
     * against the 2p warm-started inference runs of central differences. For
     * log-concave likelihoods only (the Gauss–Hermite route of {@link Likelihood#expectationJacobian}).
     */
    static void addEpLikeWeights(Posterior p, Matrix k, double[] y, Likelihood lik, Matrix into) {
        addEpLikeWeights(p, p.factor().inverse(), k, y, lik, into, Double.NaN);
    }

    /** As above; sites with 1 − (B⁻¹)_jj below {@code weakFloor} take the direct route (NaN: the default floor). */
    static void addEpLikeWeights(Posterior p, Matrix binv, Matrix k, double[] y, Likelihood lik, Matrix into,
            double weakFloor) {
        int n = y.length;
        double[] mu = p.mean();
        double[] v = p.variance();
        double[] tau = p.tau();
        double[] nu = p.nu();
        double[] s = p.sqrtTau();
        double[] a = new double[n];
        double[] b = new double[n];
        double[] c = new double[n];
        double[] e = new double[n];
        double[][] jac = new double[4][n]; // ∂τ/∂μ, ∂τ/∂v, ∂ν/∂μ, ∂ν/∂v of the CVI map
        for (int i = 0; i < n; i++) {
            double vi = v[i];
            double rawCavTau = 1 / vi - tau[i];
            boolean clamped = !(rawCavTau > 1e-10); // epEstimate's floor: then the cavity precision is a constant
            double cavTau = clamped ? 1e-10 : rawCavTau;
            double cavNu = mu[i] / vi - nu[i];
            double cm = cavNu / cavTau;
            double cv = 1 / cavTau;
            Likelihood.Tilted t = lik.tiltedMoments(y[i], cm, cv);
            // ∂log Z/∂m = (μ̂ − m)/v, ∂²log Z/∂m² = (σ̂² − v)/v², ∂log Z/∂v = ½(∂²/∂m² + (∂/∂m)²)
            double lm = (t.mean() - cm) / cv;
            double lmm = (t.variance() - cv) / (cv * cv);
            double lv = 0.5 * (lmm + lm * lm);
            double ti = tau[i];
            double ni = nu[i];
            double psiMu = 0.5 * ni;
            double psiV = -0.5 * ni * ni + 0.5 * ti / cavTau * cavNu * cavNu - cavNu * ni;
            double psiTau = 0.5 * cavNu * cavNu * vi / cavTau + 0.5 / (cavTau + ti);
            double psiNu = 0.5 * mu[i] - vi * ni - cavNu * vi;
            double psiCavTau = clamped ? 0 : -(lm * cavNu + lv) / (cavTau * cavTau)
                    - 0.5 * ti * cavNu * cavNu * vi / (cavTau * cavTau) - 0.5 * ti / (cavTau * (cavTau + ti));
            double psiCavNu = lm / cavTau + ti / cavTau * cavNu * vi - ni * vi;
            a[i] = psiMu + psiCavNu / vi;
            b[i] = psiV - psiCavTau / (vi * vi) - psiCavNu * mu[i] / (vi * vi);
            c[i] = psiTau - psiCavTau;
            e[i] = psiNu - psiCavNu;
            double[] d = lik.expectationJacobian(y[i], mu[i], vi);
            boolean tauClipped = !(-2 * d[1] > 0); // the CVI map clips τ at 0 there
            jac[0][i] = tauClipped ? 0 : -2 * d[4];
            jac[1][i] = tauClipped ? 0 : -2 * d[5];
            jac[2][i] = d[2] - 2 * d[4] * mu[i] - 2 * d[1];
            jac[3][i] = d[3] - 2 * d[5] * mu[i];
        }
        double[] bd = binv.data();
        double[] kd = k.data();
        // Cᵀ = (I + TK)⁻¹ = S·B⁻¹·S⁻¹ and Σ = (δ − B⁻¹)/(s_i·s_j) cost n² given B⁻¹, but both divide B⁻¹'s entries
        // (absolute error ≈ ε·cond B) by s_j: a weak site j (1 − (B⁻¹)_jj = τ_jΣ_jj below 10⁻⁸·cond B, the
        // test of marginalVariances) takes its column directly, Cᵀe_j = e_j − S·B⁻¹·S·K·e_j and Σe_j = K·Cᵀe_j
        boolean[] weak = weakSites(s, binv, k, weakFloor);
        java.util.List<Integer> weakList = new java.util.ArrayList<>();
        for (int j = 0; j < n; j++) {
            if (weak[j]) {
                weakList.add(j);
            }
        }
        Matrix ct = new Matrix(n, n);
        Matrix sigma = new Matrix(n, n);
        double[] ctd = ct.data();
        double[] sgd = sigma.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (!weak[j]) {
                    ctd[i * n + j] = s[i] * bd[i * n + j] / s[j];
                    if (!weak[i]) {
                        sgd[i * n + j] = ((i == j ? 1 : 0) - bd[i * n + j]) / (s[i] * s[j]);
                    }
                }
            }
        }
        int nw = weakList.size();
        if (nw > 0) {
            Matrix skj = new Matrix(n, nw);
            double[] skjd = skj.data();
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < nw; q++) {
                    skjd[i * nw + q] = s[i] * kd[i * n + weakList.get(q)];
                }
            }
            Matrix ctj = new Matrix(n, nw);
            Blas.gemm(false, false, 1, binv, skj, 0, ctj);
            double[] ctjd = ctj.data();
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < nw; q++) {
                    ctjd[i * nw + q] = (i == weakList.get(q) ? 1 : 0) - s[i] * ctjd[i * nw + q];
                }
            }
            Matrix sgj = new Matrix(n, nw);
            Blas.gemm(false, false, 1, k, ctj, 0, sgj);
            double[] sgjd = sgj.data();
            for (int i = 0; i < n; i++) {
                for (int q = 0; q < nw; q++) {
                    int j = weakList.get(q);
                    ctd[i * n + j] = ctjd[i * nw + q];
                    sgd[i * n + j] = sgjd[i * nw + q];
                    sgd[j * n + i] = sgjd[i * nw + q];
                }
            }
        }
        // ∂F/∂λ at fixed K: through μ and v (Σ·a, (Σ∘Σ)·b), the sites' own appearance, and −½log|B|
        double[][] sa = sigmaProducts(sigma, a, b);
        double[] rhs = new double[2 * n];
        for (int j = 0; j < n; j++) {
            rhs[j] = c[j] - 0.5 * v[j] - mu[j] * sa[0][j] - sa[1][j];
            rhs[n + j] = e[j] + sa[0][j];
        }
        final Matrix sig = sigma;
        double[] w = gmres(x -> {
            double[] zm = new double[n];
            double[] zv = new double[n];
            for (int i = 0; i < n; i++) {
                zm[i] = jac[0][i] * x[i] + jac[2][i] * x[n + i];
                zv[i] = jac[1][i] * x[i] + jac[3][i] * x[n + i];
            }
            double[][] h = sigmaProducts(sig, zm, zv);
            double[] out = x.clone();
            for (int i = 0; i < n; i++) {
                out[i] += mu[i] * h[0][i] + h[1][i];
                out[n + i] -= h[0][i];
            }
            return out;
        }, rhs, 1e-12, 300);
        for (int i = 0; i < n; i++) {
            a[i] += jac[0][i] * w[i] + jac[2][i] * w[n + i];
            b[i] += jac[1][i] * w[i] + jac[3][i] * w[n + i];
        }
        double[] cta = new double[n];
        Blas.gemv(false, 1, ct, a, 0, cta);
        // Cᵀ·diag(b)·C = Σ_j b_j·q_j·q_jᵀ (q_j column j of Cᵀ) as two rank-k updates split by the sign of b:
        // n³ flops in all, half of the general product
        addSignedGram(ct, b, into);
        double[] alpha = p.alpha();
        double[] g = into.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                g[i * n + j] += 0.5 * (cta[i] * alpha[j] + alpha[i] * cta[j]) - 0.5 * s[i] * bd[i * n + j] * s[j];
            }
        }
    }

    /**
     * The sites whose Σ and Cᵀ columns {@link #addEpLikeWeights} forms directly rather than from B⁻¹: s_j = 0, or
     * 1 − (B⁻¹)_jj (= τ_jΣ_jj) below {@code floor}; NaN: 10⁻⁸ times the Gershgorin bound on cond B, as in
     * {@link #marginalVariances} (relative error of the B⁻¹ route then ≲ 10⁻⁸).
     */
    static boolean[] weakSites(double[] s, Matrix binv, Matrix k, double floor) {
        int n = s.length;
        double[] kd = k.data();
        double[] bd = binv.data();
        double condition = 1;
        for (int i = 0; i < n; i++) {
            double row = 1;
            for (int j = 0; j < n; j++) {
                row += s[i] * Math.abs(kd[i * n + j]) * s[j];
            }
            condition = Math.max(condition, row);
        }
        boolean[] weak = new boolean[n];
        for (int j = 0; j < n; j++) {
            weak[j] = !(s[j] > 0) || !(1 - bd[j * n + j] >= (Double.isNaN(floor) ? 1e-8 * condition : floor));
        }
        return weak;
    }

    /**
     * Adds Q·diag(b)·Qᵀ = X₊X₊ᵀ − X₋X₋ᵀ (X± the columns of Q where ±b &gt; 0, scaled by √|b|) into the symmetric
     * {@code out}.
     */
    static void addSignedGram(Matrix q, double[] b, Matrix out) {
        int n = q.rows();
        double[] qd = q.data();
        for (int sign = 1; sign >= -1; sign -= 2) {
            java.util.List<Integer> cols = new java.util.ArrayList<>();
            for (int j = 0; j < b.length; j++) {
                if (sign * b[j] > 0) {
                    cols.add(j);
                }
            }
            int m = cols.size();
            if (m == 0) {
                continue;
            }
            Matrix x = new Matrix(n, m);
            double[] xd = x.data();
            for (int c = 0; c < m; c++) {
                int j = cols.get(c);
                double w = Math.sqrt(sign * b[j]);
                for (int i = 0; i < n; i++) {
                    xd[i * m + c] = qd[i * q.cols() + j] * w;
                }
            }
            Blas.syrk(sign, x, 1, out);
        }
    }

    /** Σ·x and (Σ∘Σ)·z for a symmetric Σ, in one pass over it. */
    private static double[][] sigmaProducts(Matrix sigma, double[] x, double[] z) {
        int n = x.length;
        double[] sd = sigma.data();
        double[] sx = new double[n];
        double[] sz = new double[n];
        for (int i = 0; i < n; i++) {
            double accX = 0;
            double accZ = 0;
            int off = i * n;
            for (int j = 0; j < n; j++) {
                double sij = sd[off + j];
                accX += sij * x[j];
                accZ += sij * sij * z[j];
            }
            sx[i] = accX;
            sz[i] = accZ;
        }
        return new double[][] {sx, sz};
    }

    /**
     * Solves A·x = rhs by restarted GMRES (restart 50, modified Gram–Schmidt, Givens rotations) to a residual
     * ≤ tol·‖rhs‖ or maxIterations products. The adjoint of the CVI fixed point is nonsymmetric and, with
     * step 1, not always a contraction, so a plain fixed-point iteration on it need not converge; GMRES
     * needs only the O(n²) products. A system it cannot solve to the tolerance is logged (the gradient is then
     * inexact) and the last iterate returned.
     */
    static double[] gmres(java.util.function.UnaryOperator<double[]> a, double[] rhs, double tol, int maxIterations) {
        int len = rhs.length;
        int restart = Math.min(50, Math.max(1, len));
        double[] x = new double[len];
        double target = tol * norm(rhs);
        if (target == 0) {
            return x;
        }
        int used = 0;
        double residual = Double.POSITIVE_INFINITY;
        while (used < maxIterations) {
            double[] r = a.apply(x);
            for (int i = 0; i < len; i++) {
                r[i] = rhs[i] - r[i];
            }
            double beta = norm(r);
            residual = beta;
            if (beta <= target) {
                return x;
            }
            double[][] basis = new double[restart + 1][];
            double[][] h = new double[restart + 1][restart];
            double[] cs = new double[restart];
            double[] sn = new double[restart];
            double[] gvec = new double[restart + 1];
            gvec[0] = beta;
            basis[0] = scale(r, 1 / beta);
            int j = 0;
            for (; j < restart && used < maxIterations; j++) {
                used++;
                double[] wv = a.apply(basis[j]);
                for (int q = 0; q <= j; q++) {
                    double dot = 0;
                    for (int i = 0; i < len; i++) {
                        dot += wv[i] * basis[q][i];
                    }
                    h[q][j] = dot;
                    for (int i = 0; i < len; i++) {
                        wv[i] -= dot * basis[q][i];
                    }
                }
                double hn = norm(wv);
                h[j + 1][j] = hn;
                for (int q = 0; q < j; q++) { // earlier rotations on the new column
                    double t = cs[q] * h[q][j] + sn[q] * h[q + 1][j];
                    h[q + 1][j] = -sn[q] * h[q][j] + cs[q] * h[q + 1][j];
                    h[q][j] = t;
                }
                double rho = Math.hypot(h[j][j], h[j + 1][j]);
                cs[j] = rho == 0 ? 1 : h[j][j] / rho;
                sn[j] = rho == 0 ? 0 : h[j + 1][j] / rho;
                h[j][j] = rho;
                h[j + 1][j] = 0;
                gvec[j + 1] = -sn[j] * gvec[j];
                gvec[j] = cs[j] * gvec[j];
                residual = Math.abs(gvec[j + 1]);
                if (hn == 0 || residual <= target) {
                    j++;
                    break;
                }
                basis[j + 1] = scale(wv, 1 / hn);
            }
            double[] yv = new double[j];
            for (int q = j - 1; q >= 0; q--) {
                double t = gvec[q];
                for (int c = q + 1; c < j; c++) {
                    t -= h[q][c] * yv[c];
                }
                yv[q] = t / h[q][q];
            }
            for (int q = 0; q < j; q++) {
                for (int i = 0; i < len; i++) {
                    x[i] += yv[q] * basis[q][i];
                }
            }
            if (residual <= target) {
                return x;
            }
        }
        double finalResidual = residual;
        LOG.log(System.Logger.Level.WARNING, () -> String.format("the EP-like gradient's adjoint system stopped at "
                + "relative residual %.3g after %d GMRES steps", finalResidual / norm(rhs), maxIterations));
        return x;
    }

    private static double norm(double[] x) {
        double s = 0;
        for (double xi : x) {
            s += xi * xi;
        }
        return Math.sqrt(s);
    }

    private static double[] scale(double[] x, double f) {
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * f;
        }
        return out;
    }

    /** The objective's value for an inference result. */
    static double objective(Result res, double[] y, Likelihood lik, InferenceMethod method,
            HyperparameterObjective objective) {
        return switch (objective) {
            case ELBO -> elbo(res.posterior(), y, lik);
            case EP_LIKE -> epEstimate(res.posterior(), y, lik);
            case EVIDENCE -> switch (method) {
                case LAPLACE -> res.laplaceEvidence();
                case EP -> epEstimate(res.posterior(), y, lik);
                case CVI -> elbo(res.posterior(), y, lik);
            };
        };
    }

    /** Whether the objective has the analytic gradient above for this method (else finite differences). */
    static boolean analytic(InferenceMethod method, HyperparameterObjective objective) {
        return switch (method) {
            case LAPLACE -> objective == HyperparameterObjective.EVIDENCE;
            case EP -> objective != HyperparameterObjective.ELBO;
            case CVI -> true;
        };
    }

    /** As above for this likelihood: the EP-like gradient needs the Gauss–Hermite expectations of a log-concave one. */
    static boolean analytic(InferenceMethod method, HyperparameterObjective objective, Likelihood lik) {
        return analytic(method, objective)
                && !(method == InferenceMethod.CVI && objective == HyperparameterObjective.EP_LIKE && !lik.isLogConcave());
    }

    /**
     * Several problems (one-vs-rest label vectors) sharing one kernel and inputs: evaluates the summed
     * objective and its gradient in log θ, starting each inference from the previous evaluation's
     * sites (so the L-BFGS line search converges in a few sweeps).
     */
    static final class Problems {
        private final Matrix x;
        private final double[][] labels;
        private final Likelihood lik;
        private final Options options;
        private final HyperparameterObjective objective;
        private final double[][] warmTau;
        private final double[][] warmNu;
        private int evaluations;
        /** ‖∇‖∞ of the last analytic gradient (NaN before the first). */
        private double lastGradient = Double.NaN;

        Problems(Matrix x, double[][] labels, Likelihood lik, Options options, HyperparameterObjective objective) {
            this.x = x;
            this.labels = labels;
            this.lik = lik;
            this.options = options;
            this.objective = objective;
            this.warmTau = new double[labels.length][];
            this.warmNu = new double[labels.length][];
        }

        /** Inference for every problem at this kernel (warm-started), remembering the sites. */
        Result[] fit(Kernel kernel, Matrix k) {
            return fit(k, options);
        }

        private Result[] fit(Matrix k, Options o) {
            Result[] out = new Result[labels.length];
            for (int c = 0; c < labels.length; c++) {
                out[c] = infer(k, labels[c], lik, o, warmTau[c], warmNu[c]);
                warmTau[c] = out[c].posterior().tau();
                warmNu[c] = out[c].posterior().nu();
            }
            return out;
        }

        double value(Result[] results) {
            double s = 0;
            for (int c = 0; c < labels.length; c++) {
                s += objective(results[c], labels[c], lik, options.method(), objective);
            }
            return s;
        }

        /** The objective and its log-θ gradient at this kernel. */
        HyperparameterSearch.Evidence evaluate(Kernel kernel) {
            evaluations++;
            Matrix k = GramEngine.gram(kernel, x);
            Options o = searchOptions();
            boolean analyticGradient = analytic(options.method(), objective, lik);
            Result[] res = fit(k, new Options(o.method(), o.maxIterations(), o.damping(), o.stepSize(), o.tolerance(),
                    analyticGradient && o.method() != InferenceMethod.LAPLACE));
            double value = value(res);
            if (!Double.isFinite(value)) {
                throw new Kernels4jException("the " + objective.label() + " objective is not finite at " + kernel.toSpec());
            }
            double[] gradient;
            if (analyticGradient) {
                Matrix g = new Matrix(k.rows(), k.rows());
                for (int c = 0; c < labels.length; c++) {
                    if (options.method() == InferenceMethod.LAPLACE) {
                        addLaplaceWeights(res[c].posterior(), k, labels[c], lik, g);
                    } else if (options.method() == InferenceMethod.CVI && objective == HyperparameterObjective.EP_LIKE) {
                        addEpLikeWeights(res[c].posterior(), res[c].inverseB(), k, labels[c], lik, g, Double.NaN);
                    } else {
                        addStationaryWeights(res[c].posterior(), res[c].inverseB(), g);
                    }
                }
                gradient = GramEngine.gradientContractions(kernel, x, g);
                lastGradient = 0;
                for (double gj : gradient) {
                    lastGradient = Math.max(lastGradient, Math.abs(gj));
                }
            } else {
                double[][] centreTau = warmTau.clone();
                double[][] centreNu = warmNu.clone();
                gradient = finiteDifferences(kernel);
                // the next evaluation starts from the centre's sites (kept, not re-converged from a side's)
                System.arraycopy(centreTau, 0, warmTau, 0, centreTau.length);
                System.arraycopy(centreNu, 0, warmNu, 0, centreNu.length);
            }
            close(res);
            LOG.log(System.Logger.Level.DEBUG, () -> String.format("evaluation %d at %s: %s %.10g, gradient %s, %d sweeps%s",
                    evaluations, kernel.toSpec(), objective.label(), value, java.util.Arrays.toString(gradient),
                    res[0].iterations(), res[0].converged() ? "" : " (not converged)"));
            return new HyperparameterSearch.Evidence(value, gradient);
        }

        /**
         * The options for one evaluation of the search. EP and CVI sites are iterated to the tolerance t only
         * once the search is near its optimum: the analytic gradient's error is first order in the sites' (and so
         * is the EP-like value's; the EP evidence is stationary in them), so far from the optimum — where L-BFGS
         * needs only the gradient's direction — the tolerance is {@value #SEARCH_TOLERANCE_PER_GRADIENT}·t·‖∇‖∞ of
         * the previous evaluation, at most {@value LatentInference#LOOSEST_SEARCH_TOLERANCE}, and that loosest one at
         * the first evaluation (the start is rarely the optimum, and the next evaluations tighten it); t throughout
         * for finite-difference gradients and for Laplace. On the 2,000-point benchmark this cut the sweeps of a
         * search by 14 % (EP) and 25 % (CVI) against t·‖∇‖∞ from a first evaluation at t, with the learned
         * hyperparameters equal to 5 digits and the same test log-loss.
         */
        Options searchOptions() {
            if (options.method() == InferenceMethod.LAPLACE || !analytic(options.method(), objective, lik)) {
                return options;
            }
            double t = options.tolerance();
            double loose = Double.isNaN(lastGradient) ? Math.max(t, LOOSEST_SEARCH_TOLERANCE)
                    : Math.max(t, Math.min(LOOSEST_SEARCH_TOLERANCE, SEARCH_TOLERANCE_PER_GRADIENT * t * lastGradient));
            return new Options(options.method(), options.maxIterations(), options.damping(), options.stepSize(), loose);
        }

        /** Central differences in log θ, step 1e−3, re-running (warm-started) inference at each side. */
        private double[] finiteDifferences(Kernel kernel) {
            double[] theta = kernel.hyperparameters().stream().mapToDouble(h -> h.value()).toArray();
            double[] g = new double[theta.length];
            double h = 1e-3;
            for (int j = 0; j < theta.length; j++) {
                double[] side = new double[2];
                for (int sgn = 0; sgn < 2; sgn++) {
                    double[] t = theta.clone();
                    t[j] = theta[j] * Math.exp(sgn == 0 ? h : -h);
                    Kernel kk = kernel.withHyperparameters(t);
                    Result[] r = fit(kk, GramEngine.gram(kk, x));
                    side[sgn] = value(r);
                    close(r);
                }
                g[j] = (side[0] - side[1]) / (2 * h);
            }
            return g;
        }
    }

    /** Releases the results' native factors. */
    static void close(Result[] results) {
        for (Result r : results) {
            r.posterior().close();
        }
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** K·v; through {@link Blas#gemm}, whose thin-product path runs in Java for a large K (no n×n JNI copy). */
    static double[] times(Matrix k, double[] v) {
        Matrix out = new Matrix(k.rows(), 1);
        Blas.gemm(false, false, 1.0, k, Matrix.column(v), 0.0, out);
        return out.data();
    }
}
