package org.kernels4j.gp;

import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.SpecialFunctions;

/**
 * An observation model p(y | f) for a latent Gaussian process value f, with what approximate
 * inference needs from it (R&amp;W 2006 §3.4–3.6; Khan &amp; Lin 2017):
 * <ul>
 *   <li>{@link #expectation}: E = E_{N(f; m, v)}[log p(y | f)] and its derivatives ∂E/∂m = E[g′] and
 *       ∂E/∂v = ½·E[g″] (Bonnet's and Price's theorems, g = log p(y | ·)), by Gauss–Hermite quadrature
 *       with 96 nodes around N(m, v) (exact for the Gaussian; for the Student-t, whose log-density
 *       has poles at y − f = ±i√ν·s, the trapezoid rule on m ± 12√v instead).</li>
 *   <li>{@link #tiltedMoments}: log Z, mean and variance of the tilted distribution
 *       p̂(f) ∝ p(y | f)·N(f; m, v) (what EP matches). Closed form for the Gaussian and probit
 *       likelihoods (R&amp;W eq. 3.58); otherwise the trapezoid rule on the tilted mode (found by a
 *       few Newton steps) ± 14 Laplace deviations, 6 points per deviation (at most 6,000), so a sharp
 *       likelihood under a wide cavity is still resolved.</li>
 * </ul>
 * The choices: {@link #gaussian(double)} N(y; f, σ²); {@link #probit()} Φ((2y−1)f) and
 * {@link #logit()} σ((2y−1)f) for y ∈ {0, 1}; {@link #poisson()} Poisson(y; e^f) for counts;
 * {@link #studentT(double, double)} a Student-t with ν degrees of freedom and scale s around f
 * (not log-concave: Laplace, EP and CVI clip negative site precisions to 0, see
 * {@link LatentGaussianProcess}). Immutable; an expectation costs 96 likelihood values, a tilted moment ~170 (up to 6,000).
 */
public abstract class Likelihood {
    /** E[log p], ∂E/∂m and ∂E/∂v under N(m, v). */
    public record Expectation(double value, double dMean, double dVariance) {
    }

    /** log Z = log ∫p(y | f)·N(f; m, v) df and the mean and variance of p(y | f)·N(f; m, v)/Z. */
    public record Tilted(double logZ, double mean, double variance) {
    }

    Likelihood() {
    }

    /** Gaussian noise N(y; f, σ²) with variance σ² &gt; 0 (for checking: then every method is exact). */
    public static Likelihood gaussian(double noiseVariance) {
        if (!(noiseVariance > 0) || Double.isInfinite(noiseVariance)) {
            throw new Kernels4jException("the Gaussian likelihood needs a noise variance > 0 and finite, got "
                    + noiseVariance);
        }
        return new Gaussian(noiseVariance);
    }

    /** Bernoulli with the probit link: p(y = 1 | f) = Φ(f), labels y ∈ {0, 1}. */
    public static Likelihood probit() {
        return Probit.INSTANCE;
    }

    /** Bernoulli with the logit link: p(y = 1 | f) = 1/(1 + e^(−f)), labels y ∈ {0, 1}. */
    public static Likelihood logit() {
        return Logit.INSTANCE;
    }

    /** Poisson counts with the log link: p(y | f) = e^(yf − e^f)/y!, y ∈ {0, 1, 2, …}. */
    public static Likelihood poisson() {
        return Poisson.INSTANCE;
    }

    /**
     * Student-t noise: p(y | f) = Γ((ν+1)/2)/(Γ(ν/2)·√(νπ)·s)·(1 + (y − f)²/(ν·s²))^(−(ν+1)/2), ν &gt; 0,
     * scale s &gt; 0 (both fixed; heavy tails make the fit robust to outliers).
     */
    public static Likelihood studentT(double degreesOfFreedom, double scale) {
        if (!(degreesOfFreedom > 0) || Double.isInfinite(degreesOfFreedom) || !(scale > 0)
                || Double.isInfinite(scale)) {
            throw new Kernels4jException("the Student-t likelihood needs degrees of freedom > 0 and a scale > 0, got nu="
                    + degreesOfFreedom + ", scale=" + scale);
        }
        return new StudentT(degreesOfFreedom, scale);
    }

    /**
     * Parses what {@link #toSpec()} writes: {@code gaussian(noise=0.1)}, {@code probit}, {@code logit},
     * {@code poisson}, {@code student-t(nu=4,scale=0.5)}.
     */
    public static Likelihood parse(String spec) {
        String s = spec == null ? "" : spec.strip().toLowerCase(Locale.ROOT).replace(" ", "");
        switch (s) {
            case "probit":
                return probit();
            case "logit":
                return logit();
            case "poisson":
                return poisson();
            default:
                break;
        }
        try {
            if (s.startsWith("gaussian(noise=") && s.endsWith(")")) {
                return gaussian(Double.parseDouble(s.substring(15, s.length() - 1)));
            }
            if (s.startsWith("student-t(nu=") && s.endsWith(")") && s.contains(",scale=")) {
                int comma = s.indexOf(",scale=");
                return studentT(Double.parseDouble(s.substring(13, comma)),
                        Double.parseDouble(s.substring(comma + 7, s.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // fall through to the one message below
        }
        throw new Kernels4jException("unknown likelihood '" + spec + "'; expected probit, logit, poisson, "
                + "gaussian(noise=V) or student-t(nu=V,scale=V)");
    }

    /** The spec that {@link #parse} reads back. */
    public abstract String toSpec();

    /** log p(y | f). */
    public abstract double logDensity(double y, double f);

    /** ∂/∂f, ∂²/∂f², ∂³/∂f³ of log p(y | f). */
    abstract double[] derivatives(double y, double f);

    /** Whether y is a valid observation; {@link #validate} names the rule. */
    abstract boolean accepts(double y);

    /** What a valid observation is, for the error message. */
    abstract String observationRule();

    /** E[y*] for f* ~ N(m, v): the predictive mean of an observation. */
    abstract double predictiveMean(double mean, double variance);

    /** Whether this is a Bernoulli (classification) likelihood. */
    boolean isBernoulli() {
        return false;
    }

    /**
     * Checks every observation.
     *
     * @throws Kernels4jException naming the first invalid one (e.g. a label 2 for a Bernoulli
     *     likelihood, a negative or fractional count for Poisson)
     */
    public void validate(double[] y) {
        for (int i = 0; i < y.length; i++) {
            if (!accepts(y[i])) {
                throw new Kernels4jException("the " + toSpec() + " likelihood needs " + observationRule() + "; row "
                        + (i + 1) + " has " + y[i]);
            }
        }
    }

    /** E_{N(f; m, v)}[log p(y | f)] with its derivatives in m and v (Gauss–Hermite). */
    public Expectation expectation(double y, double mean, double variance) {
        double sd = Math.sqrt(Math.max(variance, 0));
        if (!isLogConcave() && sd > 0) {
            return trapezoidExpectation(y, mean, sd);
        }
        GaussHermiteRule rule = GaussHermiteRule.DEFAULT;
        double e = 0;
        double g1 = 0;
        double g2 = 0;
        for (int i = 0; i < rule.size(); i++) {
            double f = mean + sd * rule.node(i);
            double w = rule.weight(i);
            double[] d = derivatives(y, f);
            e += w * logDensity(y, f);
            g1 += w * d[0];
            g2 += w * d[1];
        }
        return new Expectation(e, g1, 0.5 * g2);
    }

    /**
     * The Gauss–Hermite sums of {@link #expectation} (log-concave likelihoods, v &gt; 0) and their exact
     * derivatives as functions of (m, v): with f_k = m + √v·t_k and g = log p(y | ·),
     * E_m = Σ w_k·g′(f_k), E_v = ½Σ w_k·g″(f_k), and ∂/∂m of a sum Σ w_k·h(f_k) is Σ w_k·h′(f_k),
     * ∂/∂v is Σ w_k·h′(f_k)·t_k/(2√v). Differentiating the quadrature itself (not the integral) keeps
     * the result consistent with the CVI site map that uses these sums. Returns
     * {E_m, E_v, ∂E_m/∂m, ∂E_m/∂v, ∂E_v/∂m, ∂E_v/∂v}; 96 likelihood derivative evaluations.
     */
    double[] expectationJacobian(double y, double mean, double variance) {
        GaussHermiteRule rule = GaussHermiteRule.DEFAULT;
        double sd = Math.sqrt(variance);
        double[] out = new double[6];
        for (int i = 0; i < rule.size(); i++) {
            double t = rule.node(i);
            double w = rule.weight(i);
            double[] d = derivatives(y, mean + sd * t);
            double wt = w * t / (2 * sd);
            out[0] += w * d[0];
            out[1] += 0.5 * w * d[1];
            out[2] += w * d[1];
            out[3] += wt * d[1];
            out[4] += 0.5 * w * d[2];
            out[5] += 0.5 * wt * d[2];
        }
        return out;
    }

    /** The tilted moments of p(y | f)·N(f; m, v) (by importance quadrature around its mode). */
    public Tilted tiltedMoments(double y, double mean, double variance) {
        // Newton steps towards the tilted mode, with curvature kept at least the prior's
        double f = mean;
        double h = 1 / variance;
        for (int it = 0; it < 100; it++) {
            double[] d = derivatives(y, f);
            h = 1 / variance - Math.min(d[1], 0);
            // a capped Newton step: the exponential of a Poisson rate would overflow after a long jump
            double step = Math.max(-1, Math.min(1, (d[0] - (f - mean) / variance) / h));
            f += step;
            if (Math.abs(step) < 1e-12 * (1 + Math.abs(f))) {
                break;
            }
        }
        double[] dm = derivatives(y, f);
        h = Math.max(1 / variance - dm[1], 1 / variance * 1e-3);
        // trapezoid rule (spectrally accurate for smooth, fast-decaying integrands) on the tilted mode
        // ± 14 Laplace standard deviations, 6 points per deviation; a non-log-concave likelihood can make
        // the tilted density bimodal, so its window also covers the cavity ± 10 deviations
        double sd = 1 / Math.sqrt(h);
        double lo = f - 14 * sd;
        double hi = f + 14 * sd;
        if (!isLogConcave()) {
            lo = Math.min(lo, mean - 10 * Math.sqrt(variance));
            hi = Math.max(hi, mean + 10 * Math.sqrt(variance));
        }
        int n = (int) Math.min(6000, Math.ceil((hi - lo) / (sd / 6)));
        double step = (hi - lo) / n;
        double[] logw = new double[n + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i <= n; i++) {
            double x = lo + i * step;
            logw[i] = logDensity(y, x) - 0.5 * (x - mean) * (x - mean) / variance;
            max = Math.max(max, logw[i]);
        }
        double z = 0;
        double m1 = 0;
        double m2 = 0;
        for (int i = 0; i <= n; i++) {
            double w = Math.exp(logw[i] - max) * (i == 0 || i == n ? 0.5 : 1);
            double x = lo + i * step - f;
            z += w;
            m1 += w * x;
            m2 += w * x * x;
        }
        double mu = m1 / z;
        double logZ = Math.log(z * step) + max - 0.5 * Math.log(2 * Math.PI * variance);
        return new Tilted(logZ, f + mu, Math.max(m2 / z - mu * mu, 0));
    }

    /**
     * The expectation by the trapezoid rule on mean ± 12 sd with 8 points per min(sd, {@link #smoothness()}):
     * for log-densities with complex poles near the real axis (Student-t), where Gauss–Hermite converges slowly.
     */
    private Expectation trapezoidExpectation(double y, double mean, double sd) {
        double width = Math.min(sd, smoothness());
        int n = (int) Math.min(6000, Math.ceil(24 * sd / (width / 8)));
        double step = 24 * sd / n;
        double e = 0;
        double g1 = 0;
        double g2 = 0;
        double total = 0;
        for (int i = 0; i <= n; i++) {
            double t = -12 + i * step / sd;
            double w = Math.exp(-0.5 * t * t) * (i == 0 || i == n ? 0.5 : 1);
            double f = mean + sd * t;
            double[] d = derivatives(y, f);
            e += w * logDensity(y, f);
            g1 += w * d[0];
            g2 += w * d[1];
            total += w;
        }
        return new Expectation(e / total, g1 / total, 0.5 * g2 / total);
    }

    /** The distance from the real axis to the nearest singularity of log p(y | ·) (∞ when entire). */
    double smoothness() {
        return Double.POSITIVE_INFINITY;
    }

    /** Whether log p(y | f) is concave in f (then the tilted density is unimodal). */
    boolean isLogConcave() {
        return true;
    }

    @Override
    public String toString() {
        return toSpec();
    }

    /** log Φ(z), accurate in the far left tail too. */
    static double logNormalCdf(double z) {
        if (z > -30) {
            return Math.log(SpecialFunctions.normalCdf(z));
        }
        double z2 = z * z;
        // Φ(z) = φ(z)/(−z)·(1 − 1/z² + 3/z⁴ − 15/z⁶ + …) for z → −∞
        return -0.5 * z2 - Math.log(-z) - 0.5 * Math.log(2 * Math.PI)
                + Math.log1p(-1 / z2 + 3 / (z2 * z2) - 15 / (z2 * z2 * z2));
    }

    /** φ(z)/Φ(z), the inverse Mills ratio. */
    static double millsRatio(double z) {
        return Math.exp(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI) - logNormalCdf(z));
    }

    /** log Γ(x) for x &gt; 0 (Lanczos, g = 7, 9 terms; ~1e−15 relative). */
    static double logGamma(double x) {
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        double xx = x - 1;
        double a = c[0];
        double t = xx + 7.5;
        for (int i = 1; i < 9; i++) {
            a += c[i] / (xx + i);
        }
        return 0.5 * Math.log(2 * Math.PI) + (xx + 0.5) * Math.log(t) - t + Math.log(a);
    }

    private static final class Gaussian extends Likelihood {
        private final double noise;

        Gaussian(double noise) {
            this.noise = noise;
        }

        @Override
        public String toSpec() {
            return "gaussian(noise=" + noise + ")";
        }

        @Override
        public double logDensity(double y, double f) {
            return -0.5 * Math.log(2 * Math.PI * noise) - 0.5 * (y - f) * (y - f) / noise;
        }

        @Override
        double[] derivatives(double y, double f) {
            return new double[] {(y - f) / noise, -1 / noise, 0};
        }

        @Override
        public Tilted tiltedMoments(double y, double mean, double variance) {
            double t = variance + noise;
            return new Tilted(-0.5 * Math.log(2 * Math.PI * t) - 0.5 * (y - mean) * (y - mean) / t,
                    mean + variance * (y - mean) / t, variance * noise / t);
        }

        @Override
        boolean accepts(double y) {
            return Double.isFinite(y);
        }

        @Override
        String observationRule() {
            return "finite targets";
        }

        @Override
        double predictiveMean(double mean, double variance) {
            return mean;
        }
    }

    private static final class Probit extends Likelihood {
        static final Probit INSTANCE = new Probit();

        @Override
        public String toSpec() {
            return "probit";
        }

        @Override
        public double logDensity(double y, double f) {
            return logNormalCdf((2 * y - 1) * f);
        }

        @Override
        double[] derivatives(double y, double f) {
            double s = 2 * y - 1;
            double z = s * f;
            double r = millsRatio(z);
            double d2 = -r * (z + r);
            double d3z = -r + (z + 2 * r) * r * (z + r);
            return new double[] {s * r, d2, s * d3z};
        }

        @Override
        public Tilted tiltedMoments(double y, double mean, double variance) {
            double s = 2 * y - 1;
            double root = Math.sqrt(1 + variance);
            double z = s * mean / root;
            double r = millsRatio(z);
            return new Tilted(logNormalCdf(z), mean + s * variance * r / root,
                    Math.max(variance - variance * variance * r * (z + r) / (1 + variance), 0));
        }

        @Override
        boolean accepts(double y) {
            return y == 0 || y == 1;
        }

        @Override
        String observationRule() {
            return "labels 0 or 1";
        }

        @Override
        double predictiveMean(double mean, double variance) {
            return SpecialFunctions.normalCdf(mean / Math.sqrt(1 + variance));
        }

        @Override
        boolean isBernoulli() {
            return true;
        }
    }

    private static final class Logit extends Likelihood {
        static final Logit INSTANCE = new Logit();

        @Override
        public String toSpec() {
            return "logit";
        }

        @Override
        public double logDensity(double y, double f) {
            double z = (2 * y - 1) * f;
            return -GaussianProcessClassifier.softplus(-z);
        }

        @Override
        double[] derivatives(double y, double f) {
            double p = GaussianProcessClassifier.sigmoid(f);
            double w = p * (1 - p);
            return new double[] {y - p, -w, -w * (1 - 2 * p)};
        }

        @Override
        boolean accepts(double y) {
            return y == 0 || y == 1;
        }

        @Override
        String observationRule() {
            return "labels 0 or 1";
        }

        @Override
        double predictiveMean(double mean, double variance) {
            return GaussianProcessClassifierIntegral.expectedSigmoid(mean, variance);
        }

        @Override
        boolean isBernoulli() {
            return true;
        }
    }

    private static final class Poisson extends Likelihood {
        static final Poisson INSTANCE = new Poisson();

        @Override
        public String toSpec() {
            return "poisson";
        }

        @Override
        public double logDensity(double y, double f) {
            return y * f - Math.exp(f) - logGamma(y + 1);
        }

        @Override
        double[] derivatives(double y, double f) {
            double e = Math.exp(f);
            return new double[] {y - e, -e, -e};
        }

        @Override
        boolean accepts(double y) {
            return y >= 0 && y == Math.rint(y) && !Double.isInfinite(y);
        }

        @Override
        String observationRule() {
            return "non-negative integer counts";
        }

        @Override
        double predictiveMean(double mean, double variance) {
            return Math.exp(mean + 0.5 * variance);
        }
    }

    private static final class StudentT extends Likelihood {
        private final double nu;
        private final double scale;
        private final double constant;

        StudentT(double nu, double scale) {
            this.nu = nu;
            this.scale = scale;
            this.constant = logGamma((nu + 1) / 2) - logGamma(nu / 2) - 0.5 * Math.log(nu * Math.PI) - Math.log(scale);
        }

        @Override
        public String toSpec() {
            return "student-t(nu=" + nu + ",scale=" + scale + ")";
        }

        @Override
        public double logDensity(double y, double f) {
            double r = y - f;
            return constant - 0.5 * (nu + 1) * Math.log1p(r * r / (nu * scale * scale));
        }

        @Override
        double[] derivatives(double y, double f) {
            double r = y - f;
            double a = nu * scale * scale;
            double q = a + r * r;
            return new double[] {(nu + 1) * r / q, (nu + 1) * (r * r - a) / (q * q),
                (nu + 1) * 2 * r * (r * r - 3 * a) / (q * q * q)};
        }

        @Override
        boolean accepts(double y) {
            return Double.isFinite(y);
        }

        @Override
        String observationRule() {
            return "finite targets";
        }

        @Override
        double predictiveMean(double mean, double variance) {
            return mean;
        }

        @Override
        boolean isLogConcave() {
            return false;
        }

        @Override
        double smoothness() {
            return Math.sqrt(nu) * scale;
        }
    }
}
