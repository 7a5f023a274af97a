package org.kernels4j.gp;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.NotPositiveDefiniteException;

/**
 * The O(n) recursions behind {@link StateSpaceGaussianProcess} over sorted times t₁ ≤ … ≤ t_n:
 * the Kalman filter (with its forward sensitivity equations for the exact gradient of the log
 * marginal likelihood) and the Rauch–Tung–Striebel smoother. Hand-written: the state is tiny (d ≤
 * a few tens), so plain loops over d×d row-major arrays beat any BLAS call, and no maintained Java
 * library offers a Kalman filter with parameter sensitivities.
 *
 * <p>Filter, with A = e^(FΔ), Q = P∞ − A·P∞·Aᵀ, Δ = t_i − t_{i−1} (A = I, Q = 0 for repeated times),
 * observation y_i = H·x_i + ε, ε ~ N(0, σ²):
 * <pre>
 *   m⁻ = A·m,  P⁻ = A·P·Aᵀ + Q,  S = H·P⁻·Hᵀ + σ²,  v = y_i − H·m⁻,  k = P⁻·Hᵀ
 *   m  = m⁻ + k·v/S,  P = P⁻ − k·kᵀ/S,   log p(y) = Σ_i −½·(log 2πS + v²/S)
 * </pre>
 * and, for each log hyperparameter θ_j, the same recursion differentiated (∂m⁻ = ∂A·m + A·∂m, …)
 * — exact to rounding, O(n·J·d³) time and O(J·d²) memory. The filter starts from m = 0, P = P∞.
 */
final class KalmanRecursions {
    private KalmanRecursions() {
    }

    /**
     * log p(y | t, θ) summed over the {@code outputs} columns of y (row-major, n × outputs) and,
     * when asked, its gradient with respect to every log hyperparameter of the kernel followed by
     * log σ².
     */
    static HyperparameterSearch.Evidence evidence(StateSpaceKernel kernel, double noise, double[] t, double[] y,
            int outputs, boolean gradient) {
        int d = kernel.stateDimension();
        int kp = kernel.parameterCount();
        int params = gradient ? kp + 1 : 0;
        int[] h = kernel.observedStates();
        Transition tr = new Transition(kernel, gradient);
        double[] m = new double[d * outputs];
        double[] p = new double[d * d];
        double[][] dm = new double[params][d * outputs];
        double[][] dp = new double[params][d * d];
        kernel.stationary(p, gradient ? java.util.Arrays.copyOf(dp, kp) : null);
        double[] mp = new double[d * outputs];
        double[] pp = new double[d * d];
        double[][] dmp = new double[params][d * outputs];
        double[][] dpp = new double[params][d * d];
        double[] work = new double[d * d];
        double[] k = new double[d];
        double[] dk = new double[d];
        double[] v = new double[outputs];
        double lml = 0;
        double[] grad = new double[params];
        double log2pi = Math.log(2 * Math.PI);
        for (int i = 0; i < t.length; i++) {
            if (i == 0 || t[i] == t[i - 1]) {
                System.arraycopy(m, 0, mp, 0, m.length);
                System.arraycopy(p, 0, pp, 0, p.length);
                for (int j = 0; j < params; j++) {
                    System.arraycopy(dm[j], 0, dmp[j], 0, dm[j].length);
                    System.arraycopy(dp[j], 0, dpp[j], 0, dp[j].length);
                }
            } else {
                tr.at(t[i] - t[i - 1]);
                multiply(tr.a, m, mp, d, outputs);
                predictCovariance(tr.a, p, tr.q, pp, work, d);
                for (int j = 0; j < params; j++) {
                    // ∂m⁻ = ∂A·m + A·∂m ; ∂P⁻ = ∂A·P·Aᵀ + A·P·∂Aᵀ + A·∂P·Aᵀ + ∂Q (noise: ∂A = ∂Q = 0)
                    multiply(tr.a, dm[j], dmp[j], d, outputs);
                    predictCovariance(tr.a, dp[j], j < kp ? tr.dq[j] : null, dpp[j], work, d);
                    if (j < kp) {
                        addMultiplied(tr.da[j], m, dmp[j], d, outputs);
                        addCrossTerms(tr.da[j], p, tr.a, dpp[j], work, d);
                    }
                }
            }
            double s = noise;
            for (int a = 0; a < d; a++) {
                double sum = 0;
                for (int b : h) {
                    sum += pp[a * d + b];
                }
                k[a] = sum;
            }
            for (int b : h) {
                s += k[b];
            }
            if (!(s > 0)) {
                throw new NotPositiveDefiniteException("state-space GP: the innovation variance at t = " + t[i]
                        + " is " + s + "; add observation noise");
            }
            for (int o = 0; o < outputs; o++) {
                double pred = 0;
                for (int b : h) {
                    pred += mp[b * outputs + o];
                }
                v[o] = y[i * outputs + o] - pred;
                lml += -0.5 * (log2pi + Math.log(s) + v[o] * v[o] / s);
            }
            for (int j = 0; j < params; j++) {
                double[] dppj = dpp[j];
                double ds = j == kp ? noise : 0; // ∂σ²/∂log σ² = σ²
                for (int a = 0; a < d; a++) {
                    double sum = 0;
                    for (int b : h) {
                        sum += dppj[a * d + b];
                    }
                    dk[a] = sum;
                }
                for (int b : h) {
                    ds += dk[b];
                }
                double[] dmj = dmp[j];
                for (int o = 0; o < outputs; o++) {
                    double dv = 0;
                    for (int b : h) {
                        dv -= dmj[b * outputs + o];
                    }
                    grad[j] += -0.5 * ds / s + 0.5 * v[o] * v[o] * ds / (s * s) - v[o] * dv / s;
                    // ∂m = ∂m⁻ + ∂k·v/S + k·(∂v/S − v·∂S/S²)
                    double c1 = v[o] / s;
                    double c2 = dv / s - v[o] * ds / (s * s);
                    for (int a = 0; a < d; a++) {
                        dm[j][a * outputs + o] = dmj[a * outputs + o] + dk[a] * c1 + k[a] * c2;
                    }
                }
                // ∂P = ∂P⁻ − (∂k·kᵀ + k·∂kᵀ)/S + k·kᵀ·∂S/S²
                double[] dpj = dp[j];
                for (int a = 0; a < d; a++) {
                    for (int b = 0; b < d; b++) {
                        dpj[a * d + b] = dppj[a * d + b] - (dk[a] * k[b] + k[a] * dk[b]) / s
                                + k[a] * k[b] * ds / (s * s);
                    }
                }
            }
            for (int o = 0; o < outputs; o++) {
                double c = v[o] / s;
                for (int a = 0; a < d; a++) {
                    m[a * outputs + o] = mp[a * outputs + o] + k[a] * c;
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    p[a * d + b] = pp[a * d + b] - k[a] * k[b] / s;
                }
            }
        }
        if (!Double.isFinite(lml)) {
            throw new Kernels4jException("state-space GP: the log marginal likelihood is " + lml
                    + "; scale the targets or add observation noise");
        }
        return new HyperparameterSearch.Evidence(lml, grad);
    }

    /**
     * Posterior mean (n × outputs) and variance (n) of f at every sorted time, of which those with
     * {@code observed[i]} carry the data row y[i] (the others are where predictions are wanted):
     * filter, then RTS smoother m_s = m + G·(m_s' − m⁻'), P_s = P + G·(P_s' − P⁻')·Gᵀ with
     * G = P·Aᵀ·(P⁻')⁻¹ (G = I across repeated times).
     */
    static double[][] posterior(StateSpaceKernel kernel, double noise, double[] t, boolean[] observed, double[] y,
            int outputs) {
        int n = t.length;
        int d = kernel.stateDimension();
        int[] h = kernel.observedStates();
        Transition tr = new Transition(kernel, false);
        double[][] mf = new double[n][];
        double[][] pf = new double[n][];
        double[][] mpAll = new double[n][];
        double[][] ppAll = new double[n][];
        double[][] aAll = new double[n][];
        double[] pInf = new double[d * d];
        kernel.stationary(pInf, null);
        double[] work = new double[d * d];
        double[] k = new double[d];
        for (int i = 0; i < n; i++) {
            double[] mp = new double[d * outputs];
            double[] pp = new double[d * d];
            if (i == 0) {
                System.arraycopy(pInf, 0, pp, 0, pp.length);
            } else if (t[i] == t[i - 1]) {
                System.arraycopy(mf[i - 1], 0, mp, 0, mp.length);
                System.arraycopy(pf[i - 1], 0, pp, 0, pp.length);
            } else {
                tr.at(t[i] - t[i - 1]);
                aAll[i] = tr.a.clone();
                multiply(tr.a, mf[i - 1], mp, d, outputs);
                predictCovariance(tr.a, pf[i - 1], tr.q, pp, work, d);
            }
            mpAll[i] = mp;
            ppAll[i] = pp;
            if (!observed[i]) {
                mf[i] = mp;
                pf[i] = pp;
                continue;
            }
            double s = noise;
            for (int a = 0; a < d; a++) {
                double sum = 0;
                for (int b : h) {
                    sum += pp[a * d + b];
                }
                k[a] = sum;
            }
            for (int b : h) {
                s += k[b];
            }
            double[] m = new double[d * outputs];
            double[] p = new double[d * d];
            for (int o = 0; o < outputs; o++) {
                double pred = 0;
                for (int b : h) {
                    pred += mp[b * outputs + o];
                }
                double c = (y[i * outputs + o] - pred) / s;
                for (int a = 0; a < d; a++) {
                    m[a * outputs + o] = mp[a * outputs + o] + k[a] * c;
                }
            }
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    p[a * d + b] = pp[a * d + b] - k[a] * k[b] / s;
                }
            }
            mf[i] = m;
            pf[i] = p;
        }
        double[][] out = {new double[n * outputs], new double[n]};
        double[] ms = mf[n - 1];
        double[] ps = pf[n - 1];
        write(out, n - 1, ms, ps, h, d, outputs);
        for (int i = n - 2; i >= 0; i--) {
            if (aAll[i + 1] == null) { // repeated time: A = I, Q = 0, so G = I and the smoothed state carries over
                write(out, i, ms, ps, h, d, outputs);
                continue;
            }
            // G = P·Aᵀ·(P⁻')⁻¹, i.e. Gᵀ solves P⁻'·Gᵀ = A·P (P⁻' symmetric)
            double[] ap = StateSpaceKernel.multiply(aAll[i + 1], pf[i], d);
            double[] gt = solve(ppAll[i + 1], ap, d);
            double[] dmean = new double[d * outputs];
            for (int a = 0; a < d * outputs; a++) {
                dmean[a] = ms[a] - mpAll[i + 1][a];
            }
            double[] msNew = mf[i].clone();
            for (int a = 0; a < d; a++) {
                for (int o = 0; o < outputs; o++) {
                    double sum = 0;
                    for (int b = 0; b < d; b++) {
                        sum += gt[b * d + a] * dmean[b * outputs + o];
                    }
                    msNew[a * outputs + o] += sum;
                }
            }
            double[] dcov = new double[d * d];
            for (int a = 0; a < d * d; a++) {
                dcov[a] = ps[a] - ppAll[i + 1][a];
            }
            // G·dcov·Gᵀ = gtᵀ·dcov·gt
            double[] tmp = new double[d * d];
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double sum = 0;
                    for (int c = 0; c < d; c++) {
                        sum += gt[c * d + a] * dcov[c * d + b];
                    }
                    tmp[a * d + b] = sum;
                }
            }
            double[] psNew = pf[i].clone();
            for (int a = 0; a < d; a++) {
                for (int b = 0; b < d; b++) {
                    double sum = 0;
                    for (int c = 0; c < d; c++) {
                        sum += tmp[a * d + c] * gt[c * d + b];
                    }
                    psNew[a * d + b] += sum;
                }
            }
            ms = msNew;
            ps = psNew;
            write(out, i, ms, ps, h, d, outputs);
            mf[i + 1] = null; // free what the backward pass no longer needs
            pf[i + 1] = null;
            mpAll[i + 1] = null;
            ppAll[i + 1] = null;
        }
        return out;
    }

    private static void write(double[][] out, int i, double[] ms, double[] ps, int[] h, int d, int outputs) {
        for (int o = 0; o < outputs; o++) {
            double s = 0;
            for (int b : h) {
                s += ms[b * outputs + o];
            }
            out[0][i * outputs + o] = s;
        }
        double var = 0;
        for (int a : h) {
            for (int b : h) {
                var += ps[a * d + b];
            }
        }
        out[1][i] = Math.max(var, 0);
    }

    /** X solving S·X = B (d×d each) by Gaussian elimination with partial pivoting. */
    private static double[] solve(double[] s, double[] b, int d) {
        double[] a = s.clone();
        double[] x = b.clone();
        for (int c = 0; c < d; c++) {
            int piv = c;
            for (int r = c + 1; r < d; r++) {
                if (Math.abs(a[r * d + c]) > Math.abs(a[piv * d + c])) {
                    piv = r;
                }
            }
            if (a[piv * d + c] == 0) {
                throw new NotPositiveDefiniteException("state-space GP: the predicted state covariance is singular");
            }
            if (piv != c) {
                swapRows(a, piv, c, d);
                swapRows(x, piv, c, d);
            }
            for (int r = c + 1; r < d; r++) {
                double f = a[r * d + c] / a[c * d + c];
                if (f != 0) {
                    for (int j = c; j < d; j++) {
                        a[r * d + j] -= f * a[c * d + j];
                    }
                    for (int j = 0; j < d; j++) {
                        x[r * d + j] -= f * x[c * d + j];
                    }
                }
            }
        }
        for (int c = d - 1; c >= 0; c--) {
            for (int j = 0; j < d; j++) {
                double sum = x[c * d + j];
                for (int r = c + 1; r < d; r++) {
                    sum -= a[c * d + r] * x[r * d + j];
                }
                x[c * d + j] = sum / a[c * d + c];
            }
        }
        return x;
    }

    private static void swapRows(double[] m, int i, int j, int d) {
        for (int c = 0; c < d; c++) {
            double t = m[i * d + c];
            m[i * d + c] = m[j * d + c];
            m[j * d + c] = t;
        }
    }

    /** out = a·x for a d×d and x d×w. */
    private static void multiply(double[] a, double[] x, double[] out, int d, int w) {
        java.util.Arrays.fill(out, 0);
        addMultiplied(a, x, out, d, w);
    }

    private static void addMultiplied(double[] a, double[] x, double[] out, int d, int w) {
        for (int i = 0; i < d; i++) {
            for (int k = 0; k < d; k++) {
                double v = a[i * d + k];
                if (v != 0) {
                    for (int o = 0; o < w; o++) {
                        out[i * w + o] += v * x[k * w + o];
                    }
                }
            }
        }
    }

    /** out = A·P·Aᵀ + Q (Q may be null), symmetrized. */
    private static void predictCovariance(double[] a, double[] p, double[] q, double[] out, double[] work, int d) {
        multiply(a, p, work, d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += work[i * d + k] * a[j * d + k];
                }
                if (q != null) {
                    s += q[i * d + j];
                }
                out[i * d + j] = s;
                out[j * d + i] = s;
            }
        }
    }

    /** out += dA·P·Aᵀ + A·P·dAᵀ (a symmetric pair). */
    private static void addCrossTerms(double[] da, double[] p, double[] a, double[] out, double[] work, int d) {
        multiply(da, p, work, d, d);
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s1 = 0;
                double s2 = 0;
                for (int k = 0; k < d; k++) {
                    s1 += work[i * d + k] * a[j * d + k];
                    s2 += work[j * d + k] * a[i * d + k];
                }
                out[i * d + j] += s1 + s2;
                if (i != j) {
                    out[j * d + i] += s1 + s2;
                }
            }
        }
    }

    /** A, Q and their derivatives at one step Δ, recomputed only when Δ changes (regular grids reuse them). */
    private static final class Transition {
        final StateSpaceKernel kernel;
        final double[] a;
        final double[] q;
        final double[] p;
        final double[][] da;
        final double[][] dq;
        final double[][] dp;
        double last = Double.NaN;

        Transition(StateSpaceKernel kernel, boolean gradient) {
            int d = kernel.stateDimension();
            int j = gradient ? kernel.parameterCount() : 0;
            this.kernel = kernel;
            a = new double[d * d];
            q = new double[d * d];
            p = new double[d * d];
            da = gradient ? new double[j][d * d] : null;
            dq = gradient ? new double[j][d * d] : null;
            dp = gradient ? new double[j][d * d] : null;
        }

        void at(double dt) {
            if (dt != last) {
                kernel.transition(dt, a, p, q, da, dq, dp);
                last = dt;
            }
        }
    }
}
