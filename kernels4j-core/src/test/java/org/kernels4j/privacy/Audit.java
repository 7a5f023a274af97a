package org.kernels4j.privacy;

import java.util.Arrays;

/**
 * A statistical DP audit of one pair of neighbouring data sets: given N releases' 1-D statistic on
 * each, it lower-bounds ε by the largest ln(P_A(E)/P_B(E)) (either direction) over events E, each
 * probability bounded by its Clopper–Pearson interval. Events: {Y ≥ t}, {Y ≤ t} and [t_i, t_(i+1)) for
 * t at 40 quantiles of the pooled samples. The intervals hold jointly with probability ≥ 1 − α
 * (Bonferroni over 2 probabilities per event and both directions), so a correct ε-DP mechanism yields a
 * bound above ε with probability at most α.
 */
final class Audit {
    /**
     * The audit's answer.
     *
     * @param epsilonLowerBound the largest lower confidence bound of ln(P_A(E)/P_B(E)) or its reverse
     * @param pointEstimate the plain ln-ratio of that event
     * @param event the event that gave it
     */
    record Result(double epsilonLowerBound, double pointEstimate, String event) {
    }

    private Audit() {
    }

    static Result run(double[] a, double[] b, double alpha) {
        double[] pooled = new double[a.length + b.length];
        System.arraycopy(a, 0, pooled, 0, a.length);
        System.arraycopy(b, 0, pooled, a.length, b.length);
        Arrays.sort(pooled);
        double[] sa = a.clone();
        double[] sb = b.clone();
        Arrays.sort(sa);
        Arrays.sort(sb);
        int q = 40;
        double[] t = new double[q - 1];
        for (int i = 1; i < q; i++) {
            t[i - 1] = pooled[(int) ((long) i * pooled.length / q)];
        }
        int events = 3 * t.length;
        double level = alpha / (4.0 * events);
        Result best = new Result(Double.NEGATIVE_INFINITY, Double.NaN, "none");
        for (int i = 0; i < t.length; i++) {
            // {Y ≥ t}, {Y < t}, [t_i, t_(i+1))
            int geA = a.length - lower(sa, t[i]);
            int geB = b.length - lower(sb, t[i]);
            best = better(best, geA, geB, a.length, b.length, level, "Y >= " + t[i]);
            best = better(best, a.length - geA, b.length - geB, a.length, b.length, level, "Y < " + t[i]);
            if (i + 1 < t.length) {
                int inA = lower(sa, t[i + 1]) - lower(sa, t[i]);
                int inB = lower(sb, t[i + 1]) - lower(sb, t[i]);
                best = better(best, inA, inB, a.length, b.length, level, t[i] + " <= Y < " + t[i + 1]);
            }
        }
        return best;
    }

    private static Result better(Result best, int ka, int kb, int na, int nb, double level, String event) {
        double ab = Math.log(lowerBound(ka, na, level) / upperBound(kb, nb, level));
        double ba = Math.log(lowerBound(kb, nb, level) / upperBound(ka, na, level));
        double bound = Math.max(ab, ba);
        if (bound > best.epsilonLowerBound()) {
            double point = Math.abs(Math.log(((double) ka / na) / ((double) kb / nb)));
            return new Result(bound, point, event);
        }
        return best;
    }

    /** The number of sorted values below t. */
    private static int lower(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Clopper–Pearson lower bound of p from k of n at one-sided level α: the α-quantile of Beta(k, n − k + 1). */
    static double lowerBound(int k, int n, double alpha) {
        return k == 0 ? 0 : betaQuantile(alpha, k, n - k + 1);
    }

    /** Clopper–Pearson upper bound: the (1 − α)-quantile of Beta(k + 1, n − k). */
    static double upperBound(int k, int n, double alpha) {
        return k == n ? 1 : betaQuantile(1 - alpha, k + 1, n - k);
    }

    private static double betaQuantile(double p, double a, double b) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 80; i++) {
            double mid = (lo + hi) / 2;
            if (regularizedBeta(mid, a, b) < p) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    /** I_x(a, b) by the continued fraction (Numerical Recipes' betai/betacf). */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * continuedFraction(x, a, b) / a;
        }
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        d = Math.abs(d) < tiny ? tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 100000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    /** ln Γ(x), x &gt; 0 (Lanczos, g = 7, 9 terms). */
    static double logGamma(double x) {
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        }
        x -= 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) {
            s += c[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
