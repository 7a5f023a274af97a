package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;

/**
 * The SMO solver's path, checked at every round and every SMO step through its test hook
 * ({@link SmoSolver.Observer}) against quantities recomputed here by brute force from α alone
 * (G = Qα + p with Q from the kernel evaluated pair by pair): α in its box and yᵀα conserved, the
 * maintained gradient, m and M, the shrinking rule (LIBSVM's be_shrunk), when the active set is rebuilt,
 * the working set (it holds the most violating variables of I_up and I_low), each SMO step (WSS-2 pair and
 * the exact minimiser along it, clipped to the box), the sub-problem's stopping rule, the progress reports,
 * and the kernel-row cache (rows computed, against an LRU model of the documented memory budget, and every
 * prepared column set closed). The final optimum cannot show any of these: a wrong path still converges.
 *
 * <p>Tolerances: gradients and m, M to 1e−9 (they are updated incrementally over a few hundred steps of
 * size O(1) on a problem of 60–80 variables, so rounding stays near 1e−13; a 1 % error in any term is
 * 1e−3 or more); α and y ᵀα are compared exactly or to 1e−12·l where they are sums.
 */
class SmoSolverInvariantsTest {
    private static final double TAU = 1e-12; // WSS 2's floor for a non-positive curvature (Fan, Chen & Lin 2005)

    /** A kernel source that counts the rows it computes and the column sets it prepares and closes. */
    static final class CountingSource extends KernelSource {
        final KernelSource inner;
        int opens;
        int closes;
        long rows;

        CountingSource(KernelSource inner) {
            this.inner = inner;
        }

        @Override
        int samples() {
            return inner.samples();
        }

        @Override
        double selfValue(int s) {
            return inner.selfValue(s);
        }

        @Override
        Columns columns(int[] columnSamples) {
            opens++;
            Columns c = inner.columns(columnSamples);
            return new Columns() {
                @Override
                public void rows(int[] r, int count, double[][] out) {
                    rows += count;
                    c.rows(r, count, out);
                }

                @Override
                public void close() {
                    closes++;
                    c.close();
                }
            };
        }

        @Override
        double[] times(int[] rows, int[] cols, double[] coef) {
            return inner.times(rows, cols, coef);
        }

        @Override
        KernelSource subset(int[] r) {
            return inner.subset(r);
        }
    }

    /** A dual problem: kernel matrix K of the samples, variable t on sample s[t], labels, linear term, box, start. */
    record Problem(Matrix x, Kernel kernel, double[][] k, int[] s, double[] y, double[] p, double[] upper,
            double[] alpha0) {
        int l() {
            return y.length;
        }

        double q(int u, int v) {
            return y[u] * y[v] * k[s[u]][s[v]];
        }

        /** G = Qα + p by the definition. */
        double[] gradient(double[] a) {
            double[] g = p.clone();
            for (int u = 0; u < l(); u++) {
                for (int v = 0; v < l(); v++) {
                    g[u] += q(u, v) * a[v];
                }
            }
            return g;
        }

        boolean inUp(double[] a, int t) {
            return y[t] > 0 ? a[t] < upper[t] : a[t] > 0;
        }

        boolean inLow(double[] a, int t) {
            return y[t] > 0 ? a[t] > 0 : a[t] < upper[t];
        }

        /** {m, M} = {max over I_up, min over I_low} of −yG over the given variables. */
        double[] violation(double[] a, double[] g, int[] vars) {
            double m = Double.NEGATIVE_INFINITY;
            double low = Double.POSITIVE_INFINITY;
            for (int t : vars) {
                double f = -y[t] * g[t];
                if (inUp(a, t)) {
                    m = Math.max(m, f);
                }
                if (inLow(a, t)) {
                    low = Math.min(low, f);
                }
            }
            return new double[] {m, low};
        }

        double objective(double[] a) {
            double[] g = gradient(a);
            double f = 0;
            for (int t = 0; t < l(); t++) {
                f += a[t] * (0.5 * (g[t] - p[t]) + p[t]);
            }
            return f;
        }

        double sumC() {
            return Arrays.stream(upper).sum();
        }
    }

    /** C-SVC-like: one variable per sample, random labels, linear terms and boxes, a random feasible start. */
    static Problem classification(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = TestData.gaussian(n, 2, 1.0, seed + 1);
        Kernel kernel = KernelSpec.parse("rbf(gamma=0.5)");
        double[] y = new double[n];
        double[] p = new double[n];
        double[] upper = new double[n];
        double[] a0 = new double[n];
        for (int t = 0; t < n; t++) {
            y[t] = x.get(t, 0) + 0.5 * r.nextGaussian() > 0 ? 1 : -1;
            p[t] = -1.5 + 2 * r.nextDouble();
            upper[t] = 0.3 + 2.7 * r.nextDouble();
            a0[t] = r.nextBoolean() ? upper[t] * r.nextDouble() : 0;
        }
        int[] s = new int[n];
        Arrays.setAll(s, i -> i);
        return new Problem(x, kernel, SupportVectorMachineTest.gram(kernel, x), s, y, p, upper, a0);
    }

    /** ε-SVR's dual: variables t and t + n on sample t, y = ±1, p = ε ∓ z, from α = 0. */
    static Problem regression(int n, long seed) {
        Random r = new Random(seed);
        Matrix x = TestData.gaussian(n, 1, 1.0, seed + 1);
        Kernel kernel = KernelSpec.parse("rbf(gamma=0.8)");
        int l = 2 * n;
        double[] y = new double[l];
        double[] p = new double[l];
        double[] upper = new double[l];
        int[] s = new int[l];
        for (int t = 0; t < n; t++) {
            double z = Math.sin(2 * x.get(t, 0)) + 0.2 * r.nextGaussian();
            s[t] = t;
            s[t + n] = t;
            y[t] = 1;
            y[t + n] = -1;
            p[t] = 0.1 - z;
            p[t + n] = 0.1 + z;
            upper[t] = 2;
            upper[t + n] = 2;
        }
        return new Problem(x, kernel, SupportVectorMachineTest.gram(kernel, x), s, y, p, upper, new double[l]);
    }

    enum CacheModel { NONE, LRU, NO_EVICTION }

    /** Checks the solver's state at every round and step; see the class comment. */
    static final class Checker implements SmoSolver.Observer {
        final Problem pr;
        final int l;
        final double tol;
        final int q;
        final boolean shrinking;
        final long maxIterations;
        final CountingSource src;
        final CacheModel cache;
        final long cacheBytes;
        final double delta;
        final int[] all;

        double[] cur;
        int[] prevActive;
        int[] ws;
        double localEps;
        long steps;
        long stepsThisRound;
        long stepsBeforeRound;
        int rounds;
        int shrinks;
        int reactivations;
        int shrunkRounds;
        double firstGap = Double.NaN;
        long reported;
        final List<long[]> expectedReports = new ArrayList<>();
        final List<long[]> reports = new ArrayList<>();
        final List<long[]> stepsAtShrunkRounds = new ArrayList<>(); // {steps before the round, round}
        // the cache model
        long predictedRows;
        final LinkedHashMap<Integer, Integer> lru = new LinkedHashMap<>(16, 0.75f, true); // sample → row length
        final ArrayDeque<Integer> spare = new ArrayDeque<>(); // lengths of the row arrays set aside, newest first
        int minActive = Integer.MAX_VALUE;
        final Set<Integer> fetched = new HashSet<>();

        Checker(Problem pr, double tol, int q, boolean shrinking, long maxIterations, CountingSource src,
                CacheModel cache, long cacheBytes) {
            this.pr = pr;
            this.l = pr.l();
            this.tol = tol;
            this.q = Math.max(2, Math.min(q, l));
            this.shrinking = shrinking;
            this.maxIterations = maxIterations;
            this.src = src;
            this.cache = cache;
            this.cacheBytes = cacheBytes;
            double d = 0;
            for (int t = 0; t < l; t++) {
                d += pr.y[t] * pr.alpha0[t];
            }
            this.delta = d;
            this.all = new int[l];
            Arrays.setAll(all, i -> i);
            this.cur = pr.alpha0.clone();
            this.prevActive = all;
        }

        SmoSolver.Options options() {
            return new SmoSolver.Options(tol, cacheBytes, q, shrinking, maxIterations,
                    (done, total, stage) -> {
                        assertEquals(1000, total);
                        assertEquals("svm", stage);
                        reports.add(new long[] {done, rounds});
                    });
        }

        SmoSolver.Result solve() {
            SmoSolver.Result r = SmoSolver.solve(src, pr.s, pr.y, pr.p, pr.upper, pr.alpha0, options(), this);
            finishRound(r.alpha());
            checkCache();
            assertEquals(predictedRowsOrActual(), src.rows, "rows computed");
            assertEquals(src.rows, r.rowsComputed(), "the solver's row count is the source's");
            int lastActive = prevActive.length;
            assertEquals(1 + shrinks + reactivations + (lastActive < l ? 1 : 0), src.opens,
                    "a column set per active set: the first, each shrink, each rebuild");
            assertEquals(src.opens, src.closes, "every column set closed");
            assertEquals(steps, r.iterations());
            assertEquals(rounds, r.rounds());
            assertEquals(expectedReports.size(), reports.size(), "progress reports");
            for (int i = 0; i < reports.size(); i++) {
                assertArrayEquals(expectedReports.get(i), reports.get(i), "progress report " + i);
            }
            // the result against its definitions, G recomputed from α
            double[] a = r.alpha();
            double[] g = pr.gradient(a);
            double[] mm = pr.violation(a, g, all);
            assertEquals(mm[0] - mm[1], r.gap(), 1e-9, "gap over all variables");
            assertEquals(pr.objective(a), r.objective(), 1e-9 * Math.max(1, Math.abs(r.objective())));
            assertEquals(rhoByDefinition(a, g), r.rho(), 1e-9);
            return r;
        }

        private long predictedRowsOrActual() {
            return cache == CacheModel.NONE ? src.rows : predictedRows;
        }

        /** ρ: the mean of yG over free variables, else the midpoint of the bounds the bounded ones set. */
        double rhoByDefinition(double[] a, double[] g) {
            double sum = 0;
            int free = 0;
            double lb = Double.NEGATIVE_INFINITY;
            double ub = Double.POSITIVE_INFINITY;
            for (int t = 0; t < l; t++) {
                double yg = pr.y[t] * g[t];
                if (a[t] > 0 && a[t] < pr.upper[t]) {
                    sum += yg;
                    free++;
                } else if ((a[t] == 0) == (pr.y[t] > 0)) { // may rise (y = +1) or fall (y = −1): yG ≥ ρ
                    ub = Math.min(ub, yg);
                } else {
                    lb = Math.max(lb, yg);
                }
            }
            return free > 0 ? sum / free : (lb + ub) / 2;
        }

        /** The sub-problem just ended: α as the steps left it, and its own stopping rule met. */
        private void finishRound(double[] alpha) {
            assertArrayEquals(cur, alpha, 0, "α is what the steps made it");
            if (ws == null) {
                return;
            }
            double[] g = pr.gradient(cur);
            double[] mm = pr.violation(cur, g, ws);
            long cap = Math.min(maxIterations - stepsBeforeRound, Math.max(1000, 50L * ws.length));
            assertTrue(mm[0] - mm[1] < localEps + 1e-9 || stepsThisRound == cap,
                    "round " + (rounds - 1) + " stopped at violation " + (mm[0] - mm[1]) + " ≥ " + localEps);
        }

        private void checkCache() {
            if (cache != CacheModel.NONE) {
                assertEquals(predictedRows, src.rows, "rows computed before round " + rounds);
            }
        }

        @Override
        public void round(int round, double[] alpha, double[] gs, int[] scanned, int[] active, int[] wsNow,
                double m, double mLow) {
            finishRound(alpha);
            assertEquals(rounds, round);
            double sum = 0;
            for (int t = 0; t < l; t++) {
                assertTrue(alpha[t] >= 0 && alpha[t] <= pr.upper[t], "box");
                sum += pr.y[t] * alpha[t];
            }
            assertEquals(delta, sum, 1e-12 * l, "yᵀα conserved");
            double[] g = pr.gradient(cur);
            for (int t : scanned) {
                assertEquals(g[t], gs[t], 1e-9 * (1 + Math.abs(g[t])), "gradient of active variable " + t);
            }
            // the active set scanned is the last one, or all variables once the last one met the tolerance
            if (!Arrays.equals(scanned, prevActive)) {
                assertArrayEquals(all, scanned, "the active set is only ever rebuilt to all variables");
                double[] was = pr.violation(cur, g, prevActive);
                assertTrue(was[0] - was[1] < tol + 1e-9, "rebuilt before the active set converged");
                reactivations++;
                fetched.clear(); // a rebuilt active set invalidates the cached rows
                for (int len : lru.values()) { // ... and sets their arrays aside, the newest on top
                    spare.push(len);
                }
                lru.clear();
            } else if (prevActive.length < l) {
                double[] was = pr.violation(cur, g, prevActive);
                assertTrue(was[0] - was[1] >= tol - 1e-9, "the converged active set was not rebuilt");
            }
            double[] mm = pr.violation(cur, g, scanned);
            assertEquals(mm[0], m, 1e-9, "m");
            assertEquals(mm[1], mLow, 1e-9, "M");
            // progress: log(first gap / gap) / log(first gap / ε), in thousandths, reported when it rises
            double gap = m - mLow;
            if (Double.isNaN(firstGap)) {
                firstGap = gap;
            }
            if (firstGap > tol) {
                long done = (long) (1000 * Math.min(1, Math.max(0, Math.log(firstGap / gap) / Math.log(firstGap / tol))));
                if (done > reported) {
                    reported = done;
                    expectedReports.add(new long[] {done, round});
                }
            }
            checkShrink(round, gs, scanned, active, m, mLow);
            checkWorkingSet(round, gs, active, wsNow, m, mLow);
            checkCache();
            predictRows(wsNow, active.length);
            minActive = Math.min(minActive, active.length);
            // the sub-problem about to run
            ws = wsNow;
            double[] local = pr.violation(cur, g, ws);
            localEps = Math.max(tol, 0.1 * (local[0] - local[1]));
            stepsBeforeRound = steps;
            stepsThisRound = 0;
            prevActive = active;
            if (active.length < l) {
                shrunkRounds++;
                stepsAtShrunkRounds.add(new long[] {steps, round});
            }
            rounds++;
        }

        /** LIBSVM's rule: a bounded variable whose −yG lies beyond M (I_up only) or m (I_low only) is dropped. */
        private void checkShrink(int round, double[] gs, int[] scanned, int[] active, double m, double mLow) {
            if (!shrinking || round % 4 != 3) {
                assertArrayEquals(scanned, active, "shrinks only when shrinking, every fourth round");
                return;
            }
            int[] kept = Arrays.stream(scanned).filter(t -> {
                boolean up = pr.inUp(cur, t);
                boolean low = pr.inLow(cur, t);
                double f = -pr.y[t] * gs[t];
                return !((up && !low && f < mLow) || (low && !up && f > m));
            }).toArray();
            int n = scanned.length;
            if (kept.length < n - n / 10 && kept.length >= 2) {
                assertArrayEquals(kept, active, "round " + round + ": the shrunk set keeps exactly the others, in order");
                shrinks++;
            } else {
                assertArrayEquals(scanned, active, "round " + round + ": too few to drop, nothing dropped");
            }
        }

        /**
         * Round 0 takes q new variables, later rounds max(2, q/2), alternately from I_up (largest −yG above M)
         * and I_low (smallest −yG below m), then members of the last set: so the set holds the ⌈fresh/2⌉ most
         * violating of I_up and the ⌊fresh/2⌋ most violating of I_low (fewer when there are fewer), in
         * active-set order, at most q of them.
         */
        private void checkWorkingSet(int round, double[] gs, int[] active, int[] w, double m, double mLow) {
            int[] pos = new int[l];
            Arrays.fill(pos, -1);
            for (int k = 0; k < active.length; k++) {
                pos[active[k]] = k;
            }
            assertTrue(w.length >= 2 && w.length <= q, "size " + w.length);
            for (int k = 0; k < w.length; k++) {
                assertTrue(pos[w[k]] >= 0, "working-set variable is active");
                assertTrue(k == 0 || pos[w[k]] > pos[w[k - 1]], "in active-set order, no repeats");
            }
            Set<Integer> in = new HashSet<>();
            for (int t : w) {
                in.add(t);
            }
            List<Integer> up = new ArrayList<>();
            List<Integer> low = new ArrayList<>();
            Set<Integer> either = new HashSet<>();
            for (int t : active) {
                double f = -pr.y[t] * gs[t];
                if (pr.inUp(cur, t) && f > mLow) {
                    up.add(t);
                    either.add(t);
                }
                if (pr.inLow(cur, t) && f < m) {
                    low.add(t);
                    either.add(t);
                }
            }
            int fresh = round == 0 ? q : Math.max(2, q / 2);
            mostViolatingIn(up, (fresh + 1) / 2, gs, -1, in, round);
            mostViolatingIn(low, fresh / 2, gs, 1, in, round);
            if (round == 0) {
                assertEquals(Math.min(q, either.size()), w.length, "round 0 takes q new variables");
            }
        }

        /** The k candidates with the largest sign·y·G (ties at the k-th value: any of them) are in the set. */
        private void mostViolatingIn(List<Integer> cand, int k, double[] gs, int sign, Set<Integer> in, int round) {
            k = Math.min(k, cand.size());
            if (k == 0) {
                return;
            }
            double[] key = cand.stream().mapToDouble(t -> sign * pr.y[t] * gs[t]).sorted().toArray();
            double kth = key[key.length - k];
            int atLeast = 0;
            for (int t : cand) {
                double v = sign * pr.y[t] * gs[t];
                if (v > kth) {
                    assertTrue(in.contains(t), "round " + round + ": a most violating variable left out: " + t);
                }
                if (v >= kth && in.contains(t)) {
                    atLeast++;
                }
            }
            assertTrue(atLeast >= k, "round " + round + ": fewer than " + k + " of the most violating");
        }

        /**
         * The rows the cache must compute for this working set. Without eviction: each sample once per active
         * set epoch. With a budget: an LRU cache of rows counted by their array lengths (a row is made as long
         * as the active set, in a set-aside array when one of length [na, 2na) is on top of the stack, else a
         * new one; a cached row shrinks to the active set when that is under half its length; evicted arrays
         * of length [na, 2na) are set aside), evicting least recently used rows but never this working set's.
         */
        private void predictRows(int[] w, int na) {
            if (cache == CacheModel.NO_EVICTION) {
                for (int t : w) {
                    if (fetched.add(pr.s[t])) {
                        predictedRows++;
                    }
                }
            } else if (cache == CacheModel.LRU) {
                List<Integer> missing = new ArrayList<>();
                for (int t : w) {
                    int s = pr.s[t];
                    fetched.add(s);
                    Integer len = lru.get(s);
                    if (len != null && na < len / 2) {
                        lru.put(s, na);
                    } else if (len == null && !missing.contains(s)) {
                        missing.add(s);
                    }
                }
                if (!missing.isEmpty()) {
                    int present = w.length - missing.size();
                    long bytes = 0;
                    for (int len : lru.values()) {
                        bytes += 8L * len;
                    }
                    Iterator<Integer> it = lru.values().iterator();
                    while (bytes + 8L * missing.size() * na > cacheBytes && lru.size() > present) {
                        int len = it.next();
                        bytes -= 8L * len;
                        if (len >= na && len < 2 * na) {
                            spare.push(len);
                        }
                        it.remove();
                    }
                    for (int s : missing) {
                        Integer v = spare.poll();
                        while (v != null && (v < na || v >= 2 * na)) {
                            v = spare.poll();
                        }
                        lru.put(s, v != null ? v : na);
                    }
                    predictedRows += missing.size();
                }
            }
        }

        @Override
        public void step(double[] a, int i, int j) {
            int n = ws.length;
            double[] f = new double[n];
            double[] g = pr.gradient(cur);
            for (int t = 0; t < n; t++) {
                f[t] = -pr.y[ws[t]] * g[ws[t]];
            }
            // i: the most violating of I_up in the set; the step only runs while the set violates by localEps.
            // An unclipped step leaves f_i = f_j, so exact ties are common: i may be any variable of I_up within
            // rounding (1e-12, the f are O(1) and rebuilt here from scratch) of the largest f, j likewise.
            double mUp = Double.NEGATIVE_INFINITY;
            double mLow = Double.POSITIVE_INFINITY;
            for (int t = 0; t < n; t++) {
                if (pr.inUp(cur, ws[t])) {
                    mUp = Math.max(mUp, f[t]);
                }
                if (pr.inLow(cur, ws[t])) {
                    mLow = Math.min(mLow, f[t]);
                }
            }
            assertTrue(pr.inUp(cur, ws[i]) && f[i] >= mUp - 1e-12, "i of step " + steps + " is not the most violating");
            assertTrue(mUp - mLow >= localEps - 1e-9, "a step although the set met its tolerance");
            // j: WSS 2, the I_low variable below f_i with the largest (f_i − f_j)² / (K_ii + K_jj − 2K_ij)
            double best = 0;
            for (int t = 0; t < n; t++) {
                if (pr.inLow(cur, ws[t]) && f[t] < f[i]) {
                    double b = f[i] - f[t];
                    best = Math.max(best, b * b / curvature(ws[i], ws[t]));
                }
            }
            double bj = f[i] - f[j];
            assertTrue(pr.inLow(cur, ws[j]) && bj > 0 && bj * bj / curvature(ws[i], ws[j]) >= best * (1 - 1e-9),
                    "j of step " + steps + " is not WSS 2's");
            // the exact minimiser along (+y_i, −y_j), clipped so that both stay in their boxes
            int vi = ws[i];
            int vj = ws[j];
            double step = (f[i] - f[j]) / curvature(vi, vj);
            double roomI = pr.y[vi] > 0 ? pr.upper[vi] - cur[vi] : cur[vi];
            double roomJ = pr.y[vj] > 0 ? cur[vj] : pr.upper[vj] - cur[vj];
            step = Math.min(step, Math.min(roomI, roomJ));
            assertTrue(step > 0, "a step that does not move");
            double ai = cur[vi] + pr.y[vi] * step;
            double aj = cur[vj] - pr.y[vj] * step;
            assertEquals(ai, a[i], 1e-9, "α_i after step " + steps);
            assertEquals(aj, a[j], 1e-9, "α_j after step " + steps);
            for (int t = 0; t < n; t++) {
                if (t != i && t != j) {
                    assertEquals(cur[ws[t]], a[t], 0, "only the pair moves");
                }
                assertTrue(a[t] >= 0 && a[t] <= pr.upper[ws[t]], "box after the step");
                cur[ws[t]] = a[t];
            }
            steps++;
            stepsThisRound++;
        }

        private double curvature(int u, int v) {
            double c = pr.k[pr.s[u]][pr.s[u]] + pr.k[pr.s[v]][pr.s[v]] - 2 * pr.k[pr.s[u]][pr.s[v]];
            return c > 0 ? c : TAU;
        }
    }

    private static Checker run(Problem pr, double tol, int q, boolean shrinking, long cap, CacheModel cache,
            long cacheBytes) {
        Checker c = new Checker(pr, tol, q, shrinking, cap, new CountingSource(KernelSource.of(pr.kernel(), pr.x())),
                cache, cacheBytes);
        c.solve();
        return c;
    }

    /**
     * With shrinking and a cache that never evicts: every invariant at every round and step, shrinking and the
     * rebuild both happen, and each sample's row is computed once per active-set epoch (a shrink keeps the
     * cached rows, a rebuild to all variables drops them).
     */
    @Test
    void everyRoundAndStepWithShrinking() {
        Problem pr = classification(60, 304);
        int rebuilds = 0;
        for (int q : new int[] {2, 7}) {
            Checker c = run(pr, 1e-8, q, true, 1_000_000, CacheModel.NO_EVICTION, 1L << 30);
            assertTrue(c.shrinks >= 1, "q " + q + ": shrinks " + c.shrinks);
            assertTrue(c.expectedReports.size() >= 3);
            rebuilds += c.reactivations;
        }
        assertTrue(rebuilds >= 1, "a rebuild before the end");
    }

    /** ε-SVR's two variables per sample (one kernel row serves both), with shrinking. */
    @Test
    void everyRoundAndStepOfARegression() {
        Checker c = run(regression(40, 311), 1e-8, 7, true, 1_000_000, CacheModel.NO_EVICTION, 1L << 30);
        assertTrue(c.shrinks >= 1, "shrinks " + c.shrinks);
    }

    /**
     * Without shrinking every row has l values; a budget of exactly 8 rows (and one of 5, smaller than the
     * working set of 10) is an LRU cache of that many rows that never evicts the current working set's rows.
     * The rows computed before each round equal that model's; and the solution equals the shrinking one to
     * within what the stopping rule allows: f(α) − f* ≤ (m − M)·Σ_t C_t for any feasible α (the gradient
     * inequality with the multiplier M), so two solutions with m − M &lt; ε differ by at most ε·ΣC.
     */
    @Test
    void theRowCacheIsAnLruCacheOfItsBudget() {
        Problem pr = classification(60, 301);
        long row = 8L * pr.l();
        Checker lru8 = run(pr, 1e-8, 7, false, 1_000_000, CacheModel.LRU, 8 * row);
        Checker lru5 = run(pr, 1e-8, 10, false, 1_000_000, CacheModel.LRU, 5 * row);
        // the test is meaningful only if both budgets evict: rows computed again after eviction (how many depends
        // on the solver's path, which moves with the last bits of the kernel values: 9 and 13 at this writing)
        assertTrue(lru8.predictedRows >= lru8.fetched.size() + 5 && lru5.predictedRows >= lru5.fetched.size() + 5,
                "both caches recompute evicted rows: " + lru8.predictedRows + ", " + lru5.predictedRows
                        + " rows for " + lru8.fetched.size() + ", " + lru5.fetched.size() + " distinct");
        assertEquals(0, lru8.shrinks + lru8.reactivations);
        Checker shrunk = run(pr, 1e-8, 7, true, 1_000_000, CacheModel.NO_EVICTION, 1L << 30);
        double f1 = pr.objective(lru8.cur);
        double f2 = pr.objective(shrunk.cur);
        double f3 = pr.objective(lru5.cur);
        assertEquals(f1, f2, 1e-8 * pr.sumC());
        assertEquals(f1, f3, 1e-8 * pr.sumC());
    }

    /**
     * With shrinking and budgets of 2 and 4 full rows, rows are made as long as the active set, shrink with
     * it when it falls under half their length (so that more of them fit) and their arrays are reused: the
     * rows computed before every round equal the LRU model's (see predictRows), on two problems, and the
     * caches do evict.
     */
    @Test
    void theRowCacheFollowsTheShrinkingActiveSet() {
        for (long seed : new long[] {301, 304}) {
            Problem pr = classification(60, seed);
            for (int rows : new int[] {2, 4}) {
                Checker c = run(pr, 1e-8, 7, true, 1_000_000, CacheModel.LRU, rows * 8L * pr.l());
                assertTrue(c.shrinks >= 3 && c.minActive < pr.l() / 4, "shrinks " + c.shrinks + ", " + c.minActive);
                assertTrue(c.predictedRows > 45, "rows " + c.predictedRows);
            }
        }
    }

    /**
     * A cap that stops the solver while variables are shrunk: the gradient of the dropped ones is rebuilt
     * first, so the gap, objective and ρ it reports are those of all variables (checked in solve()); the
     * cap is exact. Without shrinking, a capped run prepares one column set only.
     */
    @Test
    void aCapWhileShrunkReportsOnAllVariables() {
        Problem pr = classification(60, 301);
        Checker free = run(pr, 1e-8, 7, true, 1_000_000, CacheModel.NONE, 1L << 30);
        assertEquals(0, free.reactivations); // so a rebuild after the last round is the cap's
        long[] first = free.stepsAtShrunkRounds.get(0);
        for (long extra : new long[] {1, 5}) {
            long cap = first[0] + extra;
            Checker capped = new Checker(pr, 1e-8, 7, true, cap, new CountingSource(KernelSource.of(pr.kernel(),
                    pr.x())), CacheModel.NONE, 1L << 30);
            SmoSolver.Result r = capped.solve();
            assertFalse(r.converged());
            assertEquals(cap, r.iterations());
            assertTrue(capped.prevActive.length < pr.l(), "stopped while shrunk");
        }
        Checker plain = new Checker(pr, 1e-8, 7, false, 20, new CountingSource(KernelSource.of(pr.kernel(), pr.x())),
                CacheModel.NONE, 1L << 30);
        SmoSolver.Result r = plain.solve();
        assertEquals(20, r.iterations());
        assertEquals(1, plain.src.opens);
    }

    /**
     * ρ with no free variable and one variable at 0: x = (2, 1, −1), y = (+1, +1, −1), linear kernel,
     * p = (−1, 0.3, −1), C = 0.1. Then α = (0.1, 0, 0.1) is optimal: Qα = (0.6, 0.3, 0.3), G = (−0.4, 0.6,
     * −0.7), −yG = (0.4, −0.6, −0.7); I_up = {2 (α = 0, y = +1), 3 (α = C, y = −1)} gives m = −0.6, I_low =
     * {1} gives M = 0.4, m &lt; M. The bounds on ρ: α₁ = C with y = +1 gives ρ ≥ −0.4; α₃ = C with y = −1
     * gives ρ ≤ 0.7; α₂ = 0 with y = +1 gives ρ ≤ 0.6. ρ = (0.6 − 0.4)/2 = 0.1.
     */
    @Test
    void rhoWithAVariableAtZeroAndNoFreeOne() {
        double[] xs = {2, 1, -1};
        Matrix gram = new Matrix(3, 3);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                gram.set(i, j, xs[i] * xs[j]);
            }
        }
        SmoSolver.Result r = SmoSolver.solve(KernelSource.precomputed(gram), new int[] {0, 1, 2},
                new double[] {1, 1, -1}, new double[] {-1, 0.3, -1}, new double[] {0.1, 0.1, 0.1}, new double[3],
                new SmoSolver.Options(1e-12, 1L << 20, 3, true, 1000, org.kernels4j.ProgressListener.NONE));
        assertArrayEquals(new double[] {0.1, 0, 0.1}, r.alpha(), 1e-12);
        assertEquals(0.1, r.rho(), 1e-12);
        assertEquals(0.5 * (0.1 * 0.6 + 0.1 * 0.3) - 0.2, r.objective(), 1e-12); // ½αᵀQα + pᵀα
    }
}
