package org.kernels4j.gp;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Blas;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * Multi-class GP classification with the softmax likelihood by the Laplace approximation
 * (Rasmussen &amp; Williams 2006, §3.5, Algorithms 3.3 and 3.4): C latent functions f_c ~ GP(0, k), one
 * kernel shared by all classes, p(y_i = c | f) = π_ic = exp(f_ic) / Σ_k exp(f_ik).
 *
 * <p>Vectors of length C·n are stored class by class (f = (f_1, …, f_C), f_c ∈ ℝⁿ). With
 * W = D − ΠΠᵀ the negative Hessian of log p(y | f) (D = diag π, Π the C·n × n stack of diag π_c),
 * everything is done with n×n matrices only, never a C·n × C·n one:
 * <pre>
 *   B_c = I + D_c^½ K D_c^½ = L_c L_cᵀ,   E_c = D_c^½ B_c⁻¹ D_c^½,   Σ_c E_c = M Mᵀ
 *   Newton: b = W f + y − π,  c = E K b (blockwise),  a = b − c + E R M⁻ᵀM⁻¹ Rᵀc,  f ← K a
 *   log q(y | X) = −½aᵀf + yᵀf − Σ_i log Σ_c exp f_ic − Σ_c Σ_j log (L_c)_jj − Σ_j log M_jj
 * </pre>
 * where R stacks C identities, so Rᵀc = Σ_c c_c. The last term, half the log-determinant of Σ_c E_c
 * (missing, as we read it, from the printed algorithm's evidence line), is needed because
 * |I + KW| = Π_c |B_c| · |Σ_c E_c| (matrix determinant lemma on I + KD − KΠΠᵀ, with
 * Πᵀ(I + KD)⁻¹KΠ = Σ_c (D_c − E_c) and Σ_c D_c = I); the tests check the whole value against the dense
 * C·n × C·n formula. Cost per Newton step: C Cholesky factorizations and inverses of n×n matrices and
 * one more factorization, O(C·n³).
 *
 * <p>Prediction at x* (Algorithm 3.4): mean μ*_c = k*ᵀ(y_c − π̂_c), covariance
 * Σ*_cc' = δ_cc'(k** − k*ᵀE_c k*) + k*ᵀE_c (Σ_k E_k)⁻¹ E_c' k*; class probabilities
 * E[softmax(f*)] over f* ~ N(μ*, Σ*) by Monte Carlo with S draws from a fixed seed, the same
 * standard-normal draws for every test point (so a prediction does not depend on the batch it is in);
 * the standard error of each probability is at most 0.5/√S.
 *
 * <p>Evidence gradient in log θ (derived here, the multi-class analogue of R&amp;W Algorithm 5.1): with
 * a = y − π̂, R = W(I + KW)⁻¹ (blocks R_cc' = δ_cc'E_c − E_c(ΣE)⁻¹E_c'), S_i the C×C posterior covariance
 * of (f_1i, …, f_Ci) (blocks of K − KRK), and
 * s2_ki = −½ Σ_cc' (S_i)_cc' ∂W_i,cc'/∂f_ki = −½[(S_i)_kk π_k − π_k Σ_c (S_i)_cc π_c − 2π_k (S_iπ)_k + 2π_k πᵀS_iπ],
 * the implicit change of the mode gives u = s2 − R K s2 and
 * ∂log q/∂θ = Σ_c [½a_cᵀ∂K a_c − ½tr(R_cc ∂K) + u_cᵀ∂K a_c], one contraction pass over ∂K.
 */
final class SoftmaxLaplace {
    /** The seed of the predictive Monte-Carlo draws. */
    static final long SEED = 20_06L;

    /**
     * The Laplace posterior at the mode, per class c: the mode f̂_c, α_c = y_c − π̂_c (so the predictive
     * mean is k*ᵀα_c), √π̂_c and the lower factor L_c of B_c; M, the lower factor of Σ_c E_c; the
     * approximate log marginal likelihood; Newton steps; whether the objective stopped changing.
     */
    record Posterior(double[][] mode, double[][] alpha, double[][] sqrtPi, Matrix[] lower, Matrix sumLower,
            double logEvidence, int iterations, boolean converged) {
        int classes() {
            return mode.length;
        }

        int size() {
            return mode[0].length;
        }
    }

    /** The latent predictive per test point: means (m × C) and C×C covariances. */
    record Prediction(double[][] mean, double[][][] covariance) {
    }

    private SoftmaxLaplace() {
    }

    /** π, √π and the factors of the curvature at f, and ½log|I + KW|. */
    private record Curvature(double[][] pi, double[][] sqrtPi, Matrix[] lower, Matrix sumLower, double halfLogDet) {
    }

    /**
     * The posterior mode and the Laplace evidence by Newton's method from a = a0 (f = K·a0; null: from
     * f = 0), halving the step while Ψ(f) = log p(y | f) − ½aᵀf falls, until its relative change is below
     * 1e−10 or after {@code maxIterations} steps.
     *
     * @param k the n×n Gram matrix
     * @param labels class index 0..C−1 per training point
     * @param classes C (≥ 2)
     */
    static Posterior fit(Matrix k, int[] labels, int classes, int maxIterations, double[][] a0) {
        return serialWhenSmall(labels.length, () -> newton(k, labels, classes, maxIterations, a0));
    }

    /**
     * Below this many training points every BLAS/LAPACK call runs single-threaded: a Newton step makes
     * about 7 factorization calls per class, and at n = 100 on a loaded 2-core machine handing each to
     * OpenBLAS's threads made a fit 30–50× slower in wall time than one thread (0.06 s against 2–5 s).
     */
    static final int SERIAL_BELOW = 512;

    private static <T> T serialWhenSmall(int n, java.util.function.Supplier<T> call) {
        return n < SERIAL_BELOW ? Parallelism.withThreadLimit(1, call) : call.get();
    }

    private static Posterior newton(Matrix k, int[] labels, int classes, int maxIterations, double[][] a0) {
        int n = labels.length;
        double[][] y = oneHot(labels, classes);
        double[][] a = new double[classes][n];
        double[][] f = new double[classes][n];
        if (a0 != null) {
            for (int c = 0; c < classes; c++) {
                a[c] = a0[c].clone();
                f[c] = times(k, a[c]);
            }
        }
        double psi = psi(f, a, labels);
        Curvature cur = curvature(k, f);
        int iter = 0;
        boolean converged = false;
        while (iter < maxIterations) {
            iter++;
            double[][] target = newtonTarget(k, f, y, cur);
            double step = 1;
            double[][] trialA = new double[classes][n];
            double[][] trialF = f;
            double trialPsi = Double.NEGATIVE_INFINITY;
            for (int h = 0; h < 30; h++) {
                trialF = new double[classes][];
                for (int c = 0; c < classes; c++) {
                    for (int i = 0; i < n; i++) {
                        trialA[c][i] = a[c][i] + step * (target[c][i] - a[c][i]);
                    }
                    trialF[c] = times(k, trialA[c]);
                }
                trialPsi = psi(trialF, trialA, labels);
                if (trialPsi >= psi - 1e-12 * Math.abs(psi)) {
                    break;
                }
                step *= 0.5;
            }
            double change = Math.abs(trialPsi - psi) / Math.max(1, Math.abs(psi));
            a = trialA;
            f = trialF;
            psi = trialPsi;
            cur = curvature(k, f);
            if (change <= 1e-10) {
                converged = true;
                break;
            }
        }
        double[][] alpha = new double[classes][n];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                alpha[c][i] = y[c][i] - cur.pi()[c][i];
            }
        }
        return new Posterior(f, alpha, cur.sqrtPi(), cur.lower(), cur.sumLower(), psi - cur.halfLogDet(), iter,
                converged);
    }

    /** Algorithm 3.3 lines 5–8: the Newton target a for the current f. */
    private static double[][] newtonTarget(Matrix k, double[][] f, double[][] y, Curvature cur) {
        int classes = f.length;
        int n = f[0].length;
        double[][] pi = cur.pi();
        double[] pf = new double[n]; // Σ_k π_k ∘ f_k, so that (Wf)_c = π_c ∘ (f_c − pf)
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                pf[i] += pi[c][i] * f[c][i];
            }
        }
        double[][] b = new double[classes][n];
        double[][] ekb = new double[classes][];
        double[] sum = new double[n];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                b[c][i] = pi[c][i] * (f[c][i] - pf[i]) + y[c][i] - pi[c][i];
            }
            ekb[c] = applyE(cur.lower()[c], cur.sqrtPi()[c], times(k, b[c]));
            for (int i = 0; i < n; i++) {
                sum[i] += ekb[c][i];
            }
        }
        double[] g = cholSolve(cur.sumLower(), sum);
        double[][] target = new double[classes][n];
        for (int c = 0; c < classes; c++) {
            double[] eg = applyE(cur.lower()[c], cur.sqrtPi()[c], g);
            for (int i = 0; i < n; i++) {
                target[c][i] = b[c][i] - ekb[c][i] + eg[i];
            }
        }
        return target;
    }

    private static Curvature curvature(Matrix k, double[][] f) {
        int classes = f.length;
        int n = f[0].length;
        double[][] pi = softmax(f);
        double[][] s = new double[classes][n];
        Matrix[] lower = new Matrix[classes];
        Matrix sumE = new Matrix(n, n);
        double[] sd = sumE.data();
        double[] kd = k.data();
        double halfLogDet = 0;
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                s[c][i] = Math.sqrt(pi[c][i]);
            }
            Matrix b = new Matrix(n, n);
            double[] bd = b.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    bd[i * n + j] = s[c][i] * kd[i * n + j] * s[c][j];
                }
                bd[i * n + i] += 1;
            }
            try (Cholesky ch = Cholesky.factor(b, "softmax matrix I + D^1/2 K D^1/2")) {
                lower[c] = ch.lower();
                halfLogDet += 0.5 * ch.logDeterminant();
                double[] inv = ch.inverse().data();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        sd[i * n + j] += s[c][i] * inv[i * n + j] * s[c][j];
                    }
                }
            }
        }
        Matrix m;
        try (Cholesky ch = Cholesky.factor(sumE, "softmax matrix sum of E_c")) {
            m = ch.lower();
            halfLogDet += 0.5 * ch.logDeterminant();
        }
        return new Curvature(pi, s, lower, m, halfLogDet);
    }

    /** Ψ(f) = Σ_i (f_{y_i, i} − log Σ_c exp f_ci) − ½aᵀf. */
    private static double psi(double[][] f, double[][] a, int[] labels) {
        double s = 0;
        int n = labels.length;
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double[] fc : f) {
                max = Math.max(max, fc[i]);
            }
            double z = 0;
            for (double[] fc : f) {
                z += Math.exp(fc[i] - max);
            }
            s += f[labels[i]][i] - max - Math.log(z);
        }
        for (int c = 0; c < f.length; c++) {
            for (int i = 0; i < n; i++) {
                s -= 0.5 * a[c][i] * f[c][i];
            }
        }
        return s;
    }

    /** π_ci = exp f_ci / Σ_k exp f_ki, shifted by the largest value so nothing overflows. */
    static double[][] softmax(double[][] f) {
        int classes = f.length;
        int n = f[0].length;
        double[][] pi = new double[classes][n];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (double[] fc : f) {
                max = Math.max(max, fc[i]);
            }
            double z = 0;
            for (int c = 0; c < classes; c++) {
                pi[c][i] = Math.exp(f[c][i] - max);
                z += pi[c][i];
            }
            for (int c = 0; c < classes; c++) {
                pi[c][i] /= z;
            }
        }
        return pi;
    }

    /** E_c·v = D^½ L⁻ᵀ L⁻¹ D^½ v: two triangular solves, O(n²). */
    private static double[] applyE(Matrix lower, double[] s, double[] v) {
        int n = v.length;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = s[i] * v[i];
        }
        substitute(lower, t);
        for (int i = 0; i < n; i++) {
            t[i] *= s[i];
        }
        return t;
    }

    /** (M Mᵀ)⁻¹ v from the lower factor M. */
    private static double[] cholSolve(Matrix lower, double[] v) {
        double[] t = v.clone();
        substitute(lower, t);
        return t;
    }

    /**
     * t ← L⁻ᵀL⁻¹t for a row-major lower-triangular L, by forward then back substitution. Hand-written
     * rather than two BLAS calls: a Newton step applies it a few times per class to one vector, O(n²)
     * memory-bound work, where each native call (and its thread wake-up on a busy machine) cost more than
     * the arithmetic in measurements at n = 100.
     */
    private static void substitute(Matrix lower, double[] t) {
        int n = t.length;
        double[] l = lower.data();
        for (int i = 0; i < n; i++) {
            double v = t[i];
            int row = i * n;
            for (int j = 0; j < i; j++) {
                v -= l[row + j] * t[j];
            }
            t[i] = v / l[row + i];
        }
        for (int i = n - 1; i >= 0; i--) {
            t[i] /= l[i * n + i];
            double v = t[i];
            for (int j = 0; j < i; j++) { // subtract column i of Lᵀ, i.e. row i of L, from the rows above
                t[j] -= l[i * n + j] * v;
            }
        }
    }

    /** E_c = D^½ B_c⁻¹ D^½ as a dense n×n matrix. */
    private static Matrix explicitE(Matrix lower, double[] s) {
        Matrix e;
        try (Cholesky ch = Cholesky.ofFactor(lower, 0)) {
            e = ch.inverse();
        }
        int n = s.length;
        double[] ed = e.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                ed[i * n + j] *= s[i] * s[j];
            }
        }
        return e;
    }

    /**
     * The weights G with ∂log q/∂log θ = Σ_ij G_ij ∂K_ij/∂log θ at the mode (see the class comment):
     * G = Σ_c [½a_c a_cᵀ − ½R_cc + ½(a_c u_cᵀ + u_c a_cᵀ)]. Cost about 8n³ per class.
     */
    static Matrix gradientWeights(Posterior p, Matrix k) {
        return serialWhenSmall(p.size(), () -> weights(p, k));
    }

    private static Matrix weights(Posterior p, Matrix k) {
        int classes = p.classes();
        int n = p.size();
        double[] kd = k.data();
        Matrix[] e = new Matrix[classes];
        Matrix[] z = new Matrix[classes]; // M⁻¹E_c
        Matrix[] q = new Matrix[classes]; // M⁻¹E_c K
        double[][] kek = new double[classes][n]; // diag(K E_c K)
        for (int c = 0; c < classes; c++) {
            e[c] = explicitE(p.lower()[c], p.sqrtPi()[c]);
            z[c] = e[c].copy();
            Blas.trsm(true, false, p.sumLower(), z[c]);
            q[c] = new Matrix(n, n);
            Blas.gemm(false, false, 1.0, e[c], k, 0.0, q[c]); // E_c K
            double[] qd = q[c].data();
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < n; i++) {
                    kek[c][i] += kd[j * n + i] * qd[j * n + i];
                }
            }
            Blas.trsm(true, false, p.sumLower(), q[c]);
        }
        double[][] pi = new double[classes][n];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < n; i++) {
                pi[c][i] = p.sqrtPi()[c][i] * p.sqrtPi()[c][i];
            }
        }
        // s2 from the C×C posterior covariance at each training point
        double[][] s2 = new double[classes][n];
        double[][] cov = new double[classes][classes];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < classes; c++) {
                for (int d = c; d < classes; d++) {
                    double v = 0;
                    double[] qc = q[c].data();
                    double[] qdd = q[d].data();
                    for (int j = 0; j < n; j++) {
                        v += qc[j * n + i] * qdd[j * n + i];
                    }
                    if (c == d) {
                        v += kd[i * n + i] - kek[c][i];
                    }
                    cov[c][d] = v;
                    cov[d][c] = v;
                }
            }
            double trace = 0; // Σ_c S_cc π_c
            double quad = 0; // πᵀSπ
            double[] sp = new double[classes];
            for (int c = 0; c < classes; c++) {
                trace += cov[c][c] * pi[c][i];
                for (int d = 0; d < classes; d++) {
                    sp[c] += cov[c][d] * pi[d][i];
                }
            }
            for (int c = 0; c < classes; c++) {
                quad += pi[c][i] * sp[c];
            }
            for (int c = 0; c < classes; c++) {
                double pk = pi[c][i];
                s2[c][i] = -0.5 * (cov[c][c] * pk - pk * trace - 2 * pk * sp[c] + 2 * pk * quad);
            }
        }
        // u = s2 − R K s2
        double[][] ev = new double[classes][];
        double[] sum = new double[n];
        for (int c = 0; c < classes; c++) {
            ev[c] = times(e[c], times(k, s2[c]));
            for (int i = 0; i < n; i++) {
                sum[i] += ev[c][i];
            }
        }
        double[] t = cholSolve(p.sumLower(), sum);
        Matrix g = new Matrix(n, n);
        double[] gd = g.data();
        Matrix zz = new Matrix(n, n);
        for (int c = 0; c < classes; c++) {
            double[] et = times(e[c], t);
            double[] u = new double[n];
            for (int i = 0; i < n; i++) {
                u[i] = s2[c][i] - ev[c][i] + et[i];
            }
            Blas.gemm(true, false, 1.0, z[c], z[c], 0.0, zz); // E_c (ΣE)⁻¹ E_c
            double[] ed = e[c].data();
            double[] zd = zz.data();
            double[] a = p.alpha()[c];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    int ij = i * n + j;
                    gd[ij] += 0.5 * (a[i] * a[j] - ed[ij] + zd[ij]) + 0.5 * (a[i] * u[j] + u[i] * a[j]);
                }
            }
        }
        return g;
    }

    /** Algorithm 3.4 lines 2–9 for the test points: k* = K(X, X*) (n×m), k** its prior variances. */
    static Prediction predict(Posterior p, Matrix kStar, double[] kss) {
        return serialWhenSmall(p.size(), () -> latent(p, kStar, kss));
    }

    private static Prediction latent(Posterior p, Matrix kStar, double[] kss) {
        int classes = p.classes();
        int n = p.size();
        int m = kStar.cols();
        double[][] mean = new double[m][classes];
        double[][][] cov = new double[m][classes][classes];
        double[] ksd = kStar.data();
        Matrix[] w = new Matrix[classes];
        for (int c = 0; c < classes; c++) {
            double[] s = p.sqrtPi()[c];
            double[] a = p.alpha()[c];
            Matrix v = new Matrix(n, m);
            double[] vd = v.data();
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    mean[j][c] += ksd[i * m + j] * a[i];
                    vd[i * m + j] = s[i] * ksd[i * m + j];
                }
            }
            Blas.trsm(true, false, p.lower()[c], v); // L_c⁻¹ D_c^½ k*
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    cov[j][c][c] -= vd[i * m + j] * vd[i * m + j];
                }
            }
            Blas.trsm(true, true, p.lower()[c], v);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    vd[i * m + j] *= s[i]; // E_c k*
                }
            }
            Blas.trsm(true, false, p.sumLower(), v); // M⁻¹ E_c k*
            w[c] = v;
        }
        for (int c = 0; c < classes; c++) {
            double[] wc = w[c].data();
            for (int d = c; d < classes; d++) {
                double[] wd = w[d].data();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        cov[j][c][d] += wc[i * m + j] * wd[i * m + j];
                    }
                }
            }
        }
        for (int j = 0; j < m; j++) {
            for (int c = 0; c < classes; c++) {
                cov[j][c][c] += kss[j];
                for (int d = 0; d < c; d++) {
                    cov[j][c][d] = cov[j][d][c];
                }
            }
        }
        return new Prediction(mean, cov);
    }

    /**
     * E[softmax(f)] for f ~ N(mean, cov) per test point by Monte Carlo: f = mean + L·z for S standard
     * normal vectors z drawn once from {@link #SEED} (common to all points), L a Cholesky factor of cov.
     */
    static Matrix probabilities(Prediction pr, int samples) {
        int m = pr.mean().length;
        int classes = m == 0 ? 0 : pr.mean()[0].length;
        Matrix out = new Matrix(m, classes);
        if (m == 0) {
            return out;
        }
        Random r = new Random(SEED);
        double[][] z = new double[samples][classes];
        for (double[] row : z) {
            for (int c = 0; c < classes; c++) {
                row[c] = r.nextGaussian();
            }
        }
        double[] f = new double[classes];
        double[] sum = new double[classes];
        for (int j = 0; j < m; j++) {
            double[][] l = semidefiniteCholesky(pr.covariance()[j]);
            double[] mu = pr.mean()[j];
            java.util.Arrays.fill(sum, 0);
            for (double[] zs : z) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    double v = mu[c];
                    for (int d = 0; d <= c; d++) {
                        v += l[c][d] * zs[d];
                    }
                    f[c] = v;
                    max = Math.max(max, v);
                }
                double total = 0;
                for (int c = 0; c < classes; c++) {
                    f[c] = Math.exp(f[c] - max);
                    total += f[c];
                }
                for (int c = 0; c < classes; c++) {
                    sum[c] += f[c] / total;
                }
            }
            for (int c = 0; c < classes; c++) {
                out.set(j, c, sum[c] / samples);
            }
        }
        return out;
    }

    /**
     * Lower L with L·Lᵀ = a for a symmetric positive semi-definite C×C matrix; a pivot that rounding
     * left at or below zero gives a zero column (the direction has no variance). Hand-written: C is the
     * number of classes, and a LAPACK call per test point would cost more than the arithmetic.
     */
    static double[][] semidefiniteCholesky(double[][] a) {
        int c = a.length;
        double[][] l = new double[c][c];
        double scale = 0;
        for (int i = 0; i < c; i++) {
            scale = Math.max(scale, Math.abs(a[i][i]));
        }
        for (int j = 0; j < c; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) {
                d -= l[j][k] * l[j][k];
            }
            if (!(d > 1e-14 * scale)) {
                continue;
            }
            double root = Math.sqrt(d);
            l[j][j] = root;
            for (int i = j + 1; i < c; i++) {
                double v = a[i][j];
                for (int k = 0; k < j; k++) {
                    v -= l[i][k] * l[j][k];
                }
                l[i][j] = v / root;
            }
        }
        return l;
    }

    static double[][] oneHot(int[] labels, int classes) {
        double[][] y = new double[classes][labels.length];
        for (int i = 0; i < labels.length; i++) {
            y[labels[i]][i] = 1;
        }
        return y;
    }

    /** K·v in plain Java, for the same reason as {@link #substitute}. */
    static double[] times(Matrix k, double[] v) {
        int n = k.rows();
        int m = k.cols();
        double[] kd = k.data();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            int row = i * m;
            for (int j = 0; j < m; j++) {
                s += kd[row + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    /**
     * The softmax Laplace evidence as a function of the kernel for {@link HyperparameterSearch}, with
     * its analytic log-θ gradient; each evaluation's Newton iteration starts from the previous
     * evaluation's a (so the line search's neighbouring kernels converge in a few steps).
     */
    static final class Problem {
        private final Matrix x;
        private final int[] labels;
        private final int classes;
        private final int maxIterations;
        private double[][] warm;

        Problem(Matrix x, int[] labels, int classes, int maxIterations) {
            this.x = x;
            this.labels = labels;
            this.classes = classes;
            this.maxIterations = maxIterations;
        }

        /** The posterior at this Gram matrix, warm-started and remembered for the next call. */
        Posterior fit(Matrix k) {
            Posterior p = SoftmaxLaplace.fit(k, labels, classes, maxIterations, warm);
            // f̂ = K·a̲ at the mode (a̲ = y − π̂), the start for the next, nearby kernel
            warm = p.alpha();
            return p;
        }

        HyperparameterSearch.Evidence evaluate(Kernel kernel) {
            Matrix k = GramEngine.gram(kernel, x);
            Posterior p = fit(k);
            if (!Double.isFinite(p.logEvidence())) {
                throw new Kernels4jException("the softmax Laplace evidence is not finite at " + kernel.toSpec());
            }
            double[] gradient = GramEngine.gradientContractions(kernel, x, gradientWeights(p, k));
            return new HyperparameterSearch.Evidence(p.logEvidence(), gradient);
        }
    }
}
