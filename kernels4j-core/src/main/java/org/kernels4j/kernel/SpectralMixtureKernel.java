package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Spectral-mixture kernel (Wilson &amp; Adams 2013): a Gaussian mixture spectral density, Q components,
 * each with a weight w_q, a spectral mean μ_q and a spectral variance v_q per feature (or one shared
 * by all features), giving
 * <pre>
 *   k(x, z) = Σ_q w_q · Π_f exp(−2π² τ_f² v_qf) · cos(2π τ_f μ_qf),   τ = x − z.
 * </pre>
 * μ is a frequency (cycles per unit of x) and √v the spread of the spectral peak, so 1/(2π√v) is
 * the length scale of the component's envelope. The cosine is taken per feature and multiplied, as
 * in GPyTorch (the spectrum is symmetrised over the sign of every μ_qf, so the positive means that
 * log-space learning needs lose nothing); in one dimension this is Wilson &amp; Adams' kernel exactly.
 * k(x, x) = Σ w_q.
 *
 * <p>Spec: {@code sm(q=2, weights=[0.6, 0.4], means=[0.5, 1.7], variances=[0.01, 0.04])}; per feature:
 * {@code means=[[0.5, 0.1], [1.7, 0.3]]} (one list per component). A single number applies to every
 * component; weights default to 1/Q. All of w, μ, v are learnable (log space), named
 * {@code sm.weights[q]}, {@code sm.means[i]}, {@code sm.variances[i]} with i = q·m + f for m values per
 * component. Starting values matter (the likelihood is very multimodal): use {@link #fromPeriodogram}.
 *
 * <p>Cost: O(Q·d) cosines and one exp per pair and component (no GEMM: the kernel is not a
 * function of distances); gradients O(Q·d²) per pair.
 */
public final class SpectralMixtureKernel implements Kernel {
    /** Q ≥ 1 (not a hyperparameter). */
    public static final KernelCatalog.Param Q = KernelCatalog.Param.integer("q", 1, 1, 1000,
            "number of mixture components, 1 to 1000 (default: the longest list given)");
    /** w_q &gt; 0, learnable. */
    public static final KernelCatalog.Param WEIGHTS = KernelCatalog.Param.positive("weights", 1,
            "component weights, > 0, one per component (default 1/q each)").perComponent();
    /** μ_qf &gt; 0, learnable. */
    public static final KernelCatalog.Param MEANS = KernelCatalog.Param.positive("means", 1,
            "spectral means (frequencies), > 0: one per component, or [[per feature], ...]").perComponent();
    /** v_qf &gt; 0, learnable. */
    public static final KernelCatalog.Param VARIANCES = KernelCatalog.Param.positive("variances", 1,
            "spectral variances, > 0: one per component, or [[per feature], ...]").perComponent();
    /** The declaration. */
    public static final KernelCatalog.Type TYPE = KernelCatalog.Type.builder("sm",
            "sum_q w_q prod_f exp(-2 pi^2 tau_f^2 v_qf) cos(2 pi tau_f mu_qf), tau = x - z (spectral mixture)")
            .aliases("spectral_mixture").params(Q, WEIGHTS, MEANS, VARIANCES)
            .examples("sm(q=2, weights=[0.6, 0.4], means=[0.3, 0.8], variances=[0.05, 0.2])",
                    "sm(q=1, weights=1.5, means=[[0.2, 0.4, 0.1]], variances=[[0.1, 0.3, 0.05]])",
                    "sm(q=3, weights=[1, 0.5, 0.25], means=[0.1, 0.5, 1.2], variances=[[0.02, 0.1, 0.3]])")
            .factory(a -> new SpectralMixtureKernel(SpectralComponents.parse(a, SpectralMixtureKernel.TYPE, Q, WEIGHTS, MEANS, VARIANCES)));

    private static final SpectralComponents.Envelope GAUSSIAN = new SpectralComponents.Envelope() {
        @Override
        public double value(double s) {
            return Math.exp(-2 * Math.PI * Math.PI * s);
        }

        @Override
        public double slope(double s) {
            return -2 * Math.PI * Math.PI * Math.exp(-2 * Math.PI * Math.PI * s);
        }
    };

    private final SpectralComponents c;

    private SpectralMixtureKernel(SpectralComponents c) {
        this.c = c;
    }

    /**
     * Q = {@code weights.length} components; {@code means[q]} and {@code variances[q]} hold one value (all
     * features) or one per feature, the same count for every q.
     *
     * @throws Kernels4jException for a non-positive or non-finite value or mismatched lengths
     */
    public SpectralMixtureKernel(double[] weights, double[][] means, double[][] variances) {
        this(new SpectralComponents(TYPE, WEIGHTS, MEANS, VARIANCES, weights, means, variances));
    }

    /** The weights w_q. */
    public double[] weights() {
        return c.weights.clone();
    }

    /** The spectral means, one row per component (one entry, or one per feature). */
    public double[][] means() {
        return SpectralComponents.copy(c.means);
    }

    /** The spectral variances, one row per component (one entry, or one per feature). */
    public double[][] variances() {
        return SpectralComponents.copy(c.variances);
    }

    @Override
    public double value(double[] x, double[] z) {
        return c.value(TYPE.name(), x, z, GAUSSIAN);
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        c.computeBlock(TYPE.name(), block, out, GAUSSIAN);
    }

    /** weights, then means, then variances (see the class comment). */
    @Override
    public List<Hyperparameter> hyperparameters() {
        return c.hyperparameters(TYPE, WEIGHTS, MEANS, VARIANCES);
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, c.hyperparameterCount());
        double[][][] p = c.split(values);
        return new SpectralMixtureKernel(p[0][0], p[1], p[2]);
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        c.computeGradientBlock(TYPE.name(), block, out, gradients, GAUSSIAN);
    }

    @Override
    public String toSpec() {
        return TYPE.spec(c.specValues());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpectralMixtureKernel && ((SpectralMixtureKernel) o).c.equals(c);
    }

    @Override
    public int hashCode() {
        return c.hashCode();
    }

    @Override
    public String toString() {
        return toSpec();
    }

    // ------------------------------------------------------------------------------ initialisation

    /** Most frequencies a feature's periodogram is evaluated at. */
    public static final int MAX_FREQUENCIES = 2000;
    /** Above this many (point, frequency) pairs per feature, a seeded subsample of the points is used. */
    public static final long MAX_PERIODOGRAM_WORK = 20_000_000L;

    /**
     * Starting values from the data's spectrum, for each feature f separately (the "usual"
     * initialisation; GPyTorch's {@code initialize_from_data_empirical_spectrum} fits a mixture to the
     * same kind of spectrum):
     * <ol>
     *   <li>the Lomb–Scargle periodogram of the centred targets against x_f (sorted, unevenly spaced
     *       inputs are fine), on F = min(2000, 8·T·f_max) frequencies evenly spaced in (0, f_max], with T the
     *       range of x_f and f_max = 1/(2·median gap between sorted distinct values), a Nyquist rate for
     *       uneven sampling;</li>
     *   <li>its Q highest local maxima give the means μ_qf (component q takes the q-th highest peak);
     *       each peak's half width at half maximum h gives v_qf = (h/√(2 ln 2))², at least one frequency
     *       step squared; missing peaks are filled with evenly spread frequencies;</li>
     *   <li>weights: the variance of y split in proportion to the peak powers (averaged over features).</li>
     * </ol>
     * For d &gt; 1 this treats features independently (the projection of the spectrum on each axis),
     * which is what the product-of-cosines form can express; components pair the q-th peaks of all
     * features, a heuristic: restart from other seeds or pairings if the evidence is poor. A constant
     * feature (T = 0, GPyTorch issue 1049) gets μ = v = 10⁻³, i.e. nearly no variation along it.
     * Cost O(min(n, 10⁴)·F·d).
     *
     * @param x inputs, n × d, n ≥ 3
     * @param y targets, n × 1
     * @param q number of components, 1 ≤ q ≤ 1000
     * @param seed for the subsample of points when n·F exceeds {@value #MAX_PERIODOGRAM_WORK}
     * @throws Kernels4jException for bad shapes, non-finite data or constant targets
     */
    public static SpectralMixtureKernel fromPeriodogram(Matrix x, Matrix y, int q, long seed) {
        int n = x.rows();
        int d = x.cols();
        if (n < 3 || d < 1) {
            throw new Kernels4jException("sm periodogram initialisation needs at least 3 rows and 1 feature, got "
                    + n + " x " + d);
        }
        if (y.rows() != n || y.cols() != 1) {
            throw new Kernels4jException("sm periodogram initialisation needs targets of shape " + n + " x 1, got "
                    + y.rows() + " x " + y.cols());
        }
        Q.check(TYPE.name(), q);
        x.requireFinite("sm periodogram initialisation inputs");
        y.requireFinite("sm periodogram initialisation targets");
        double mean = 0;
        for (int i = 0; i < n; i++) {
            mean += y.get(i, 0);
        }
        mean /= n;
        double[] centred = new double[n];
        double variance = 0;
        for (int i = 0; i < n; i++) {
            centred[i] = y.get(i, 0) - mean;
            variance += centred[i] * centred[i];
        }
        variance /= n;
        if (!(variance > 0)) {
            throw new Kernels4jException("sm periodogram initialisation: the targets are constant, so they have no"
                    + " spectrum");
        }
        double[][] means = new double[q][d];
        double[][] variances = new double[q][d];
        double[] power = new double[q];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int f = 0; f < d; f++) {
            double[] t = x.column(f);
            double[] peaks = featurePeaks(t, centred, q, rng);
            double total = 0;
            for (int k = 0; k < q; k++) {
                means[k][f] = peaks[3 * k];
                variances[k][f] = peaks[3 * k + 1];
                total += peaks[3 * k + 2];
            }
            for (int k = 0; k < q; k++) {
                power[k] += total > 0 ? peaks[3 * k + 2] / total / d : 1.0 / (q * d);
            }
        }
        double[] weights = new double[q];
        for (int k = 0; k < q; k++) {
            weights[k] = Math.max(power[k], 1e-6) * variance;
        }
        return new SpectralMixtureKernel(weights, means, variances);
    }

    /** {μ, v, power} for the q highest peaks of one feature's periodogram, flattened. */
    private static double[] featurePeaks(double[] t, double[] y, int q, SplittableRandom rng) {
        int n = t.length;
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double range = sorted[n - 1] - sorted[0];
        double[] out = new double[3 * q];
        if (!(range > 0)) {
            for (int k = 0; k < q; k++) {
                out[3 * k] = 1e-3;
                out[3 * k + 1] = 1e-3;
            }
            return out;
        }
        List<Double> gaps = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            if (sorted[i] > sorted[i - 1]) {
                gaps.add(sorted[i] - sorted[i - 1]);
            }
        }
        gaps.sort(null);
        double fMax = 0.5 / gaps.get(gaps.size() / 2);
        int frequencies = (int) Math.max(16, Math.min(MAX_FREQUENCIES, Math.ceil(8 * range * fMax)));
        double step = fMax / frequencies;
        // a seeded subsample of the points when the periodogram would cost too much
        int[] use = subsample(n, (int) Math.max(16, Math.min(n, MAX_PERIODOGRAM_WORK / frequencies)), rng);
        double[] p = new double[frequencies];
        for (int j = 0; j < frequencies; j++) {
            p[j] = lombScargle(t, y, use, 2 * Math.PI * step * (j + 1));
        }
        List<Integer> maxima = new ArrayList<>();
        for (int j = 0; j < frequencies; j++) {
            boolean left = j == 0 || p[j] > p[j - 1];
            boolean right = j == frequencies - 1 || p[j] >= p[j + 1];
            if (left && right) {
                maxima.add(j);
            }
        }
        maxima.sort((a, b) -> Double.compare(p[b], p[a]));
        for (int k = 0; k < q; k++) {
            if (k < maxima.size()) {
                int j = maxima.get(k);
                int lo = j;
                while (lo > 0 && p[lo] > p[j] / 2) {
                    lo--;
                }
                int hi = j;
                while (hi < frequencies - 1 && p[hi] > p[j] / 2) {
                    hi++;
                }
                double halfWidth = Math.max(step, 0.5 * (hi - lo) * step);
                double sd = halfWidth / Math.sqrt(2 * Math.log(2));
                out[3 * k] = step * (j + 1);
                out[3 * k + 1] = sd * sd;
                out[3 * k + 2] = p[j];
            } else {
                out[3 * k] = fMax * (k + 1) / (q + 1);
                out[3 * k + 1] = step * step;
                out[3 * k + 2] = 0;
            }
        }
        return out;
    }

    private static int[] subsample(int n, int m, SplittableRandom rng) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (m >= n) {
            return idx;
        }
        for (int i = 0; i < m; i++) {
            int j = i + rng.nextInt(n - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        return Arrays.copyOf(idx, m);
    }

    /**
     * The Lomb–Scargle power at angular frequency ω: with τ from tan(2ωτ) = Σ sin 2ωt_i / Σ cos 2ωt_i,
     * ½[(Σ y_i cos ω(t_i − τ))²/Σ cos² ω(t_i − τ) + (Σ y_i sin ω(t_i − τ))²/Σ sin² ω(t_i − τ)]
     * (Scargle 1982), the least-squares fit of a sinusoid at that frequency.
     */
    static double lombScargle(double[] t, double[] y, int[] use, double omega) {
        double s2 = 0;
        double c2 = 0;
        for (int i : use) {
            s2 += Math.sin(2 * omega * t[i]);
            c2 += Math.cos(2 * omega * t[i]);
        }
        double tau = Math.atan2(s2, c2) / (2 * omega);
        double yc = 0;
        double ys = 0;
        double cc = 0;
        double ss = 0;
        for (int i : use) {
            double a = omega * (t[i] - tau);
            double c = Math.cos(a);
            double s = Math.sin(a);
            yc += y[i] * c;
            ys += y[i] * s;
            cc += c * c;
            ss += s * s;
        }
        return 0.5 * ((cc > 1e-12 ? yc * yc / cc : 0) + (ss > 1e-12 ? ys * ys / ss : 0));
    }
}
