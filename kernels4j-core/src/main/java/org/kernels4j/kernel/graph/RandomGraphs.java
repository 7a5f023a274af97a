package org.kernels4j.kernel.graph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Seeded random graphs with planted communities, for clustering experiments. Nodes are named "0" … "n−1"; the same
 * arguments and seed give the same graph. Isolated nodes can occur (the graph keeps them, see {@link Graph}).
 */
public final class RandomGraphs {
    private RandomGraphs() {
    }

    /**
     * A graph and its planted community of each node (0-based).
     *
     * @param graph the graph
     * @param labels community of node i (length n)
     */
    public record Planted(Graph graph, int[] labels) {
        /** Copies the labels. */
        public Planted {
            labels = labels.clone();
        }

        /** The labels (a copy). */
        @Override
        public int[] labels() {
            return labels.clone();
        }
    }

    /**
     * Stochastic block model G(n, k, p_in, p_out): n nodes in k blocks of sizes ⌊n/k⌋ or ⌈n/k⌉ (block c holds nodes
     * with label c, in order), each pair joined independently with probability p_in inside a block and p_out between
     * blocks, weight 1. O(n²).
     *
     * @throws Kernels4jException unless 1 ≤ k ≤ n, n ≥ 2 and both probabilities are in [0, 1]
     */
    public static Planted stochasticBlockModel(int n, int k, double pIn, double pOut, long seed) {
        if (n < 2 || k < 1 || k > n) {
            throw new Kernels4jException("stochastic block model needs n >= 2 and 1 <= k <= n, got n = " + n + ", k = " + k);
        }
        int[] sizes = new int[k];
        for (int c = 0; c < k; c++) {
            sizes[c] = n / k + (c < n % k ? 1 : 0);
        }
        return stochasticBlockModel(sizes, pIn, pOut, seed);
    }

    /** Stochastic block model with the given block sizes (see {@link #stochasticBlockModel(int, int, double, double, long)}). */
    public static Planted stochasticBlockModel(int[] sizes, double pIn, double pOut, long seed) {
        if (!(pIn >= 0 && pIn <= 1) || !(pOut >= 0 && pOut <= 1)) {
            throw new Kernels4jException("stochastic block model probabilities must be in [0, 1], got p_in = " + pIn
                    + ", p_out = " + pOut);
        }
        int n = 0;
        for (int s : sizes) {
            if (s < 1) {
                throw new Kernels4jException("stochastic block model block sizes must be positive, got "
                        + Arrays.toString(sizes));
            }
            n += s;
        }
        int[] labels = new int[n];
        for (int c = 0, i = 0; c < sizes.length; c++) {
            for (int q = 0; q < sizes[c]; q++) {
                labels[i++] = c;
            }
        }
        Random rng = new Random(seed);
        double[] a = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (rng.nextDouble() < (labels[i] == labels[j] ? pIn : pOut)) {
                    a[i * n + j] = 1;
                    a[j * n + i] = 1;
                }
            }
        }
        return new Planted(Graph.fromAdjacency(null, Matrix.wrap(n, n, a)), labels);
    }

    /**
     * An LFR-style benchmark graph (after Lancichinetti, Fortunato &amp; Radicchi 2008), simplified: degrees drawn from
     * a power law k^{−τ1} on [k_min, maxDegree] with k_min chosen so the expected mean is {@code averageDegree};
     * community sizes from a power law s^{−τ2} on [minCommunity, maxCommunity] summing to n; each node gets
     * round((1−μ)k) internal stubs and is placed in a random community large enough to hold them; internal stubs are
     * paired at random inside each community and external stubs across communities (configuration model). Unlike
     * LFR, self-loops, repeated pairs and same-community external pairs are dropped rather than rewired, so realised
     * degrees run below the drawn ones (mean about 15% lower at n = 1000, average 15, communities of 20–100) and the realised mixing is close to, not exactly, μ.
     *
     * @throws Kernels4jException for inconsistent sizes or out-of-range exponents or mixing
     */
    public static Planted lfr(int n, double averageDegree, int maxDegree, double degreeExponent,
            double communityExponent, double mixing, int minCommunity, int maxCommunity, long seed) {
        if (n < 2 || !(averageDegree >= 1) || maxDegree < averageDegree || maxDegree >= n) {
            throw new Kernels4jException("LFR graph needs n >= 2 and 1 <= average degree <= max degree < n, got n = " + n
                    + ", average " + averageDegree + ", max " + maxDegree);
        }
        if (!(degreeExponent > 1) || !(communityExponent > 1) || !(mixing >= 0 && mixing <= 1)) {
            throw new Kernels4jException("LFR graph needs exponents > 1 and mixing in [0, 1], got " + degreeExponent
                    + ", " + communityExponent + ", " + mixing);
        }
        if (minCommunity < 2 || maxCommunity < minCommunity || maxCommunity > n || minCommunity > n) {
            throw new Kernels4jException("LFR community sizes need 2 <= min <= max <= n, got " + minCommunity + ", "
                    + maxCommunity);
        }
        Random rng = new Random(seed);
        double kMin = minimumForMean(averageDegree, maxDegree, degreeExponent);
        int[] degree = new int[n];
        for (int i = 0; i < n; i++) {
            degree[i] = (int) Math.round(powerLaw(rng, kMin, maxDegree, degreeExponent));
        }
        List<Integer> sizes = new ArrayList<>();
        int total = 0;
        while (total < n) {
            int s = (int) Math.round(powerLaw(rng, minCommunity, maxCommunity, communityExponent));
            sizes.add(s);
            total += s;
        }
        int over = total - n; // shrink the last community, or fold it into the others when too small
        int last = sizes.remove(sizes.size() - 1) - over;
        if (last >= minCommunity || sizes.isEmpty()) {
            sizes.add(last);
        } else {
            for (int q = 0; q < last; q++) {
                int c = q % sizes.size();
                sizes.set(c, sizes.get(c) + 1);
            }
        }
        int k = sizes.size();
        int[] internal = new int[n];
        for (int i = 0; i < n; i++) {
            internal[i] = (int) Math.round((1 - mixing) * degree[i]);
        }
        // place nodes by decreasing internal degree into a random community with room that can hold them
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Integer.compare(internal[y], internal[x]));
        int[] free = new int[k];
        for (int c = 0; c < k; c++) {
            free[c] = sizes.get(c);
        }
        int[] labels = new int[n];
        for (int i : order) {
            List<Integer> fits = new ArrayList<>();
            int largestFree = -1;
            for (int c = 0; c < k; c++) {
                if (free[c] > 0) {
                    if (sizes.get(c) - 1 >= internal[i]) {
                        fits.add(c);
                    }
                    if (largestFree < 0 || sizes.get(c) > sizes.get(largestFree)) {
                        largestFree = c;
                    }
                }
            }
            int c = fits.isEmpty() ? largestFree : fits.get(rng.nextInt(fits.size()));
            internal[i] = Math.min(internal[i], sizes.get(c) - 1);
            labels[i] = c;
            free[c]--;
        }
        double[] a = new double[n * n];
        Set<Long> seen = new HashSet<>();
        for (int c = 0; c < k; c++) {
            List<Integer> stubs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (labels[i] == c) {
                    for (int q = 0; q < internal[i]; q++) {
                        stubs.add(i);
                    }
                }
            }
            pair(stubs, rng, a, n, seen, labels, true);
        }
        List<Integer> external = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int q = internal[i]; q < degree[i]; q++) {
                external.add(i);
            }
        }
        pair(external, rng, a, n, seen, labels, false);
        return new Planted(Graph.fromAdjacency(null, Matrix.wrap(n, n, a)), labels);
    }

    private static void pair(List<Integer> stubs, Random rng, double[] a, int n, Set<Long> seen, int[] labels,
            boolean inside) {
        java.util.Collections.shuffle(stubs, rng);
        for (int q = 0; q + 1 < stubs.size(); q += 2) {
            int i = stubs.get(q);
            int j = stubs.get(q + 1);
            if (i == j || (!inside && labels[i] == labels[j])) {
                continue;
            }
            long key = (long) Math.min(i, j) * n + Math.max(i, j);
            if (seen.add(key)) {
                a[i * n + j] = 1;
                a[j * n + i] = 1;
            }
        }
    }

    /** A draw from the density ∝ x^{−τ} on [lo, hi] by inverting its distribution function. */
    private static double powerLaw(Random rng, double lo, double hi, double tau) {
        double e = 1 - tau;
        double u = rng.nextDouble();
        return Math.pow(Math.pow(lo, e) + u * (Math.pow(hi, e) - Math.pow(lo, e)), 1 / e);
    }

    /** The lower end x_min of a power law x^{−τ} on [x_min, hi] whose mean is {@code mean} (bisection). */
    private static double minimumForMean(double mean, double hi, double tau) {
        double lo = 1e-9;
        double up = hi;
        for (int it = 0; it < 200; it++) {
            double mid = 0.5 * (lo + up);
            if (powerLawMean(mid, hi, tau) < mean) {
                lo = mid;
            } else {
                up = mid;
            }
        }
        return Math.max(1, 0.5 * (lo + up));
    }

    private static double powerLawMean(double lo, double hi, double tau) {
        if (hi - lo < 1e-12) {
            return lo;
        }
        double num = Math.abs(tau - 2) < 1e-12 ? Math.log(hi / lo)
                : (Math.pow(hi, 2 - tau) - Math.pow(lo, 2 - tau)) / (2 - tau);
        double den = Math.abs(tau - 1) < 1e-12 ? Math.log(hi / lo)
                : (Math.pow(hi, 1 - tau) - Math.pow(lo, 1 - tau)) / (1 - tau);
        return num / den;
    }
}
