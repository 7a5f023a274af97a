package org.kernels4j.leastsquares;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Quadrature;
import org.kernels4j.linalg.SpecialFunctions;

/**
 * Tensor-product orthonormal polynomials φ_α(x) = Π_k p_{α_k}(x_k) on a product reference measure,
 * for the multi-indices α of an {@link IndexSet}.
 *
 * <ul>
 *   <li>{@link Family#LEGENDRE}: μ uniform on [−1, 1]^d (density 2^−d), p_a = √(2a+1)·P_a;</li>
 *   <li>{@link Family#HERMITE}: μ the standard Gaussian N(0, I_d), p_a = He_a/√(a!) (probabilists').</li>
 * </ul>
 *
 * <p>Sampling from ρ_m draws α uniformly from the index set and then each coordinate from the
 * univariate density p_a²·μ₁ by inversion of its CDF, which is exact for both families: for Legendre
 * F_a(x) = ½∫₋₁ˣ p_a(t)² dt by (a+1)-point Gauss–Legendre quadrature on [−1, x] (exact: p_a² has
 * degree 2a); for Hermite the closed form F_a(x) = Φ(x) − ϕ(x)·Σ_{k=1..a} p_k(x)p_{k−1}(x)/√k, which
 * follows from (p_k p_{k−1} ϕ)′ = √k (p_{k−1}² − p_k²) ϕ. The inversion is a safeguarded Newton
 * iteration to 1e-14 in x.
 *
 * <p>Evaluating φ(x) costs O(d·p + m·d) for degree p. Immutable.
 */
public final class PolynomialBasis implements OrthonormalBasis {
    /** The univariate orthonormal family and its reference measure. */
    public enum Family {
        /** Legendre polynomials, uniform measure on [−1, 1]. */
        LEGENDRE,
        /** Probabilists' Hermite polynomials, standard Gaussian measure. */
        HERMITE;

        /** Parses "legendre" or "hermite" (case-insensitive). */
        public static Family parse(String name) {
            for (Family f : values()) {
                if (f.name().equalsIgnoreCase(name.trim())) {
                    return f;
                }
            }
            throw new Kernels4jException("unknown polynomial family '" + name + "' (expected legendre or hermite)");
        }
    }

    /** Which multi-indices α ∈ ℕ^d of "degree" p span the space. */
    public enum IndexSet {
        /** |α|₁ = Σ α_k ≤ p: C(p+d, d) functions. */
        TOTAL_DEGREE,
        /** Π (α_k + 1) ≤ p + 1: far fewer functions in high dimension. */
        HYPERBOLIC_CROSS,
        /** max α_k ≤ p: (p+1)^d functions. */
        TENSOR_PRODUCT;

        /** Parses "total", "hyperbolic" or "tensor" (or the enum names). */
        public static IndexSet parse(String name) {
            String s = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            switch (s) {
                case "total": case "total-degree": return TOTAL_DEGREE;
                case "hyperbolic": case "hyperbolic-cross": return HYPERBOLIC_CROSS;
                case "tensor": case "tensor-product": return TENSOR_PRODUCT;
                default:
                    throw new Kernels4jException("unknown index set '" + name + "' (expected total, hyperbolic or tensor)");
            }
        }

        boolean admits(int[] alpha, int degree) {
            switch (this) {
                case TOTAL_DEGREE: {
                    int s = 0;
                    for (int a : alpha) {
                        s += a;
                    }
                    return s <= degree;
                }
                case HYPERBOLIC_CROSS: {
                    long p = 1;
                    for (int a : alpha) {
                        p *= a + 1;
                    }
                    return p <= degree + 1L;
                }
                default: {
                    for (int a : alpha) {
                        if (a > degree) {
                            return false;
                        }
                    }
                    return true;
                }
            }
        }
    }

    /** The largest number of basis functions accepted (the Gram matrices are m × m). */
    public static final int MAX_FUNCTIONS = 20_000;

    private final Family family;
    private final IndexSet indexSet;
    private final int d;
    private final int degree;
    private final int[][] indices;
    /** Gauss–Legendre rules with a + 1 nodes for each univariate degree a ≤ degree (Legendre only). */
    private final double[][][] rules;

    private PolynomialBasis(Family family, IndexSet indexSet, int d, int degree, int[][] indices) {
        this.family = family;
        this.indexSet = indexSet;
        this.d = d;
        this.degree = degree;
        this.indices = indices;
        this.rules = new double[degree + 1][][];
        if (family == Family.LEGENDRE) {
            for (int a = 0; a <= degree; a++) {
                rules[a] = Quadrature.gaussLegendre(a + 1);
            }
        }
    }

    /**
     * The orthonormal polynomials of {@code family} in {@code d} dimensions whose multi-indices belong
     * to {@code indexSet} at {@code degree}, ordered by total degree and then lexicographically
     * (descending in the first coordinate).
     */
    public static PolynomialBasis of(Family family, int d, IndexSet indexSet, int degree) {
        if (d < 1) {
            throw new Kernels4jException("a polynomial basis needs input dimension d ≥ 1, got " + d);
        }
        if (degree < 0) {
            throw new Kernels4jException("polynomial degree must be ≥ 0, got " + degree);
        }
        if (degree > 200) {
            throw new Kernels4jException("polynomial degree " + degree + " is above 200, where the recurrences lose accuracy");
        }
        List<int[]> list = new ArrayList<>();
        collect(indexSet, degree, new int[d], 0, list);
        list.sort((a, b) -> {
            int sa = Arrays.stream(a).sum();
            int sb = Arrays.stream(b).sum();
            if (sa != sb) {
                return Integer.compare(sa, sb);
            }
            for (int k = 0; k < a.length; k++) {
                if (a[k] != b[k]) {
                    return Integer.compare(b[k], a[k]);
                }
            }
            return 0;
        });
        return new PolynomialBasis(family, indexSet, d, degree, list.toArray(new int[0][]));
    }

    private static void collect(IndexSet set, int degree, int[] alpha, int k, List<int[]> out) {
        if (k == alpha.length) {
            if (set.admits(alpha, degree)) {
                if (out.size() >= MAX_FUNCTIONS) {
                    throw new Kernels4jException("the index set has more than " + MAX_FUNCTIONS
                            + " functions; lower the degree or use the hyperbolic cross");
                }
                out.add(alpha.clone());
            }
            return;
        }
        for (int a = 0; a <= degree; a++) {
            alpha[k] = a;
            // Every index set is downward closed, so an inadmissible prefix (rest zero) ends the loop.
            int[] probe = alpha.clone();
            Arrays.fill(probe, k + 1, probe.length, 0);
            if (!set.admits(probe, degree)) {
                break;
            }
            collect(set, degree, alpha, k + 1, out);
        }
        alpha[k] = 0;
    }

    /** The univariate family. */
    public Family family() {
        return family;
    }

    /** The index set. */
    public IndexSet indexSet() {
        return indexSet;
    }

    /** p, the degree parameter of the index set. */
    public int degree() {
        return degree;
    }

    /** The multi-index of basis function j (a copy). */
    public int[] multiIndex(int j) {
        return indices[j].clone();
    }

    @Override
    public int dimension() {
        return indices.length;
    }

    @Override
    public int inputDimension() {
        return d;
    }

    @Override
    public void evaluate(double[] x, double[] out) {
        if (x.length != d) {
            throw new Kernels4jException("the basis takes points of dimension " + d + ", got " + x.length);
        }
        double[][] uni = new double[d][degree + 1];
        for (int k = 0; k < d; k++) {
            if (!Double.isFinite(x[k])) {
                throw new Kernels4jException("point coordinate " + k + " is " + x[k]);
            }
            univariate(family, x[k], degree, uni[k]);
        }
        for (int j = 0; j < indices.length; j++) {
            int[] alpha = indices[j];
            double v = 1;
            for (int k = 0; k < d; k++) {
                v *= uni[k][alpha[k]];
            }
            out[j] = v;
        }
    }

    /** p_0(t) … p_maxDegree(t) of the orthonormal family into {@code out}. */
    static void univariate(Family family, double t, int maxDegree, double[] out) {
        out[0] = 1;
        if (maxDegree == 0) {
            return;
        }
        if (family == Family.LEGENDRE) {
            // Plain Legendre P_a by Bonnet's recurrence, then scaled by √(2a+1).
            double p0 = 1;
            double p1 = t;
            out[1] = Math.sqrt(3) * t;
            for (int a = 2; a <= maxDegree; a++) {
                double p2 = ((2 * a - 1) * t * p1 - (a - 1) * p0) / a;
                p0 = p1;
                p1 = p2;
                out[a] = Math.sqrt(2 * a + 1) * p2;
            }
        } else {
            out[1] = t;
            for (int a = 1; a < maxDegree; a++) {
                out[a + 1] = (t * out[a] - Math.sqrt(a) * out[a - 1]) / Math.sqrt(a + 1);
            }
        }
    }

    @Override
    public double[] sampleReference(Random random) {
        double[] x = new double[d];
        for (int k = 0; k < d; k++) {
            x[k] = family == Family.LEGENDRE ? 2 * random.nextDouble() - 1 : random.nextGaussian();
        }
        return x;
    }

    @Override
    public double[] sampleOptimal(Random random) {
        int[] alpha = indices[random.nextInt(indices.length)];
        double[] x = new double[d];
        for (int k = 0; k < d; k++) {
            x[k] = sampleSquared(alpha[k], random.nextDouble());
        }
        return x;
    }

    /** The quantile of the univariate density p_a²·μ₁ at probability u ∈ [0, 1). */
    double sampleSquared(int a, double u) {
        if (a == 0 && family == Family.LEGENDRE) {
            return 2 * u - 1;
        }
        double lo;
        double hi;
        if (family == Family.LEGENDRE) {
            lo = -1;
            hi = 1;
        } else {
            hi = 2 * Math.sqrt(a + 1.0) + 12;
            lo = -hi;
        }
        double x = 0.5 * (lo + hi);
        for (int it = 0; it < 200 && hi - lo > 1e-14; it++) {
            double f = squaredCdf(a, x) - u;
            if (f == 0) {
                return x;
            }
            if (f < 0) {
                lo = x;
            } else {
                hi = x;
            }
            double dens = squaredDensity(a, x);
            double next = dens > 0 ? x - f / dens : Double.NaN;
            // Newton while it stays inside the bracket, else bisection; stop once Newton's step is at
            // the rounding level (the CDF itself is accurate to about 1e-16).
            boolean newton = next > lo && next < hi;
            double previous = x;
            x = newton ? next : 0.5 * (lo + hi);
            if (newton && Math.abs(x - previous) < 1e-15) {
                break;
            }
        }
        return x;
    }

    /** F_a(x) = ∫_{t ≤ x} p_a(t)² dμ₁(t). */
    double squaredCdf(int a, double x) {
        if (family == Family.LEGENDRE) {
            if (x <= -1) {
                return 0;
            }
            if (x >= 1) {
                return 1;
            }
            double[][] rule = rules[a];
            double half = 0.5 * (x + 1);
            double[] p = new double[a + 1];
            double s = 0;
            for (int k = 0; k < rule[0].length; k++) {
                double t = half * rule[0][k] + 0.5 * (x - 1);
                univariate(Family.LEGENDRE, t, a, p);
                s += rule[1][k] * p[a] * p[a];
            }
            return Math.min(1, 0.5 * half * s);
        }
        double[] p = new double[a + 1];
        univariate(Family.HERMITE, x, a, p);
        double s = 0;
        for (int k = 1; k <= a; k++) {
            s += p[k] * p[k - 1] / Math.sqrt(k);
        }
        double phi = Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
        return Math.max(0, Math.min(1, SpecialFunctions.normalCdf(x) - phi * s));
    }

    /** The density of p_a²·μ₁ with respect to Lebesgue measure at x. */
    double squaredDensity(int a, double x) {
        double[] p = new double[a + 1];
        univariate(family, x, a, p);
        if (family == Family.LEGENDRE) {
            return x < -1 || x > 1 ? 0 : 0.5 * p[a] * p[a];
        }
        return p[a] * p[a] * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    @Override
    public String describe() {
        String set = indexSet == IndexSet.TOTAL_DEGREE ? "total degree"
                : indexSet == IndexSet.HYPERBOLIC_CROSS ? "hyperbolic cross" : "tensor degree";
        return family.name().toLowerCase(Locale.ROOT) + ", d=" + d + ", " + set + " " + degree + " (m=" + dimension() + ")";
    }
}
