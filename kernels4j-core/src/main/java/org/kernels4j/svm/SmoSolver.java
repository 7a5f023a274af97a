package org.kernels4j.svm;

import java.util.Arrays;
import java.util.LinkedHashMap;
import org.kernels4j.linalg.ElementOps;
import org.kernels4j.linalg.Parallelism;

/**
 * The dual QP shared by every SVM here (LIBSVM's general form, Chang &amp; Lin 2011, §4.1):
 *
 * <pre>
 *   min_α  f(α) = ½·αᵀQα + pᵀα   subject to  yᵀα = Δ,  0 ≤ α_t ≤ C_t,
 *   Q_uv = y_u·y_v·k(x_{s(u)}, x_{s(v)}),  y_t ∈ {−1, +1},
 * </pre>
 *
 * where variable t belongs to training sample s(t) (ε-SVR has two variables per sample). Δ is
 * whatever the feasible start α⁰ gives.
 *
 * <p><b>Algorithm.</b> A decomposition method with large working sets whose sub-problems are
 * solved by SMO, in the manner of ThunderSVM (Wen et al., 2018), so that kernel rows are computed
 * in batches (one GEMM for many rows, {@link KernelSource.Columns}) rather than one or two per SMO
 * step as in LIBSVM:
 * <ol>
 *   <li>With G = Qα + p, let m = max_{t∈I_up} −y_tG_t and M = min_{t∈I_low} −y_tG_t (I_up, I_low as
 *       in LIBSVM). Stop when m − M &lt; ε (LIBSVM's criterion, default ε = 10⁻³).</li>
 *   <li>Choose a working set B of q variables: the most violating ones of I_up (largest −yG) and of
 *       I_low (smallest −yG), half of them new each round, the other half kept from the last round
 *       (their rows are cached).</li>
 *   <li>Fetch the kernel rows of B against the active variables from an LRU cache with a memory
 *       budget; compute the missing ones in one batch.</li>
 *   <li>Solve the sub-problem on B (all other variables fixed) by SMO with second-order working-pair
 *       selection (Fan, Chen &amp; Lin, 2005, WSS 2, τ = 10⁻¹²) until its own violation falls below
 *       max(ε, 0.1·its first violation).</li>
 *   <li>Update G on the active variables: G += Q_{:,B}·Δα_B, O(|active|·|B|).</li>
 * </ol>
 * <b>Shrinking</b> (Joachims 1999; LIBSVM §5.1): a variable at a bound whose −yG lies outside
 * [M, m] on the side it cannot move to is dropped from the active set; the active variables'
 * gradients stay exact because inactive α do not change. Columns are repacked when at least 10%
 * can be dropped (cached rows follow lazily, in place). When the active set converges, the
 * gradient of the dropped variables is brought up to date from the α that changed since each was
 * dropped ({@link #reconstructGradient}: one batched kernel product per shrink over those variables
 * only), all variables are activated, and the loop goes on until the
 * whole problem meets the criterion. LIBSVM also rebuilds once at 10ε; that second rebuild cost a
 * quarter of the training time at n = 100,000 and is not done here.
 *
 * <p>The result is the same optimum as LIBSVM's to within its stopping tolerance (same criterion,
 * same ε); only the path differs. Memory: α, G and a few work arrays of length l, the row cache
 * ({@code cacheBytes}, rows as long as the active set, never fewer rows than one working set).
 */
final class SmoSolver {
    static final double TAU = 1e-12;

    /**
     * Solver settings.
     *
     * @param tolerance ε of the stopping criterion m − M &lt; ε
     * @param cacheBytes memory budget for cached kernel rows
     * @param workingSet q, the working-set size (≥ 2)
     * @param shrinking whether to shrink the active set
     * @param maxIterations cap on the total number of SMO steps
     * @param progress told, after each round, how far the violation has fallen from its first value
     *     towards the tolerance (on a log scale, in thousandths; never backwards)
     */
    record Options(double tolerance, long cacheBytes, int workingSet, boolean shrinking, long maxIterations,
            org.kernels4j.ProgressListener progress) {
    }

    /**
     * The solution.
     *
     * @param alpha α, one per variable
     * @param rho the threshold ρ (decision = Σ y_t·α_t·k(x_t, x) − ρ)
     * @param objective f(α)
     * @param iterations SMO steps taken, over all sub-problems
     * @param rounds outer rounds (working sets)
     * @param gap the final violation m − M over all variables
     * @param converged false when the iteration cap stopped the solver first
     * @param rowsComputed kernel rows computed (a measure of the kernel work)
     */
    record Result(double[] alpha, double rho, double objective, long iterations, int rounds, double gap,
            boolean converged, long rowsComputed) {
    }

    /**
     * Test hook (package-private; no production caller passes one): told the solver's state once per round
     * and after every SMO step, so that a test can check the invariants at every step against its own
     * brute-force computation (the working set holds the most violating variables, shrunk variables meet
     * the shrinking rule, the maintained gradient is Qα + p, each step is the exact clipped minimiser
     * along the WSS-2 pair). Those are path properties that the final optimum cannot show. When null it
     * costs one branch per round and per step. The arrays are the solver's own: read, never keep or change.
     */
    interface Observer {
        /**
         * After round {@code round}'s shrinking and working-set choice, before its sub-problem: {m, M} were
         * computed over {@code scanned}, the active set before shrinking; {@code active} is the set after it.
         */
        void round(int round, double[] alpha, double[] g, int[] scanned, int[] active, int[] ws, double m, double mLow);

        /** After an SMO step of the round's sub-problem: α of the working set (in ws order) and the pair moved. */
        void step(double[] a, int i, int j);
    }

    private final KernelSource source;
    private final int[] sample;
    private final double[] y;
    private final double[] p;
    private final double[] upper;
    private final Options options;
    private final Observer observer;
    private final int l;
    private final double[] alpha;
    private final double[] g;
    private final ElementOps ops = ElementOps.get();

    private int[] active;
    private int[] position; // variable → its index in active, or −1
    /** α at each shrink since every variable was last active, for {@link #reconstructGradient}. */
    private final java.util.List<double[]> snapshots = new java.util.ArrayList<>();
    /** The shrink (index into {@link #snapshots}) that made each variable inactive, or −1 while it is active. */
    private int[] shrunkAt;
    private KernelSource.Columns columns;
    /**
     * Cached kernel rows by sample, each laid out for the active set whose position map it carries;
     * a row made before a shrink is repacked only when it is used again (repacking every cached row at
     * each shrink cost more than all the kernel rows).
     */
    private final LinkedHashMap<Integer, CachedRow> cache = new LinkedHashMap<>(16, 0.75f, true);
    /** Evicted row arrays, reused for new rows of a similar length (reallocating and re-promoting them cost more). */
    private final java.util.ArrayDeque<double[]> spare = new java.util.ArrayDeque<>();
    /** Bytes held by cached rows. */
    private long cachedBytes;

    /** A cached row: its first |active| values are laid out for the active set whose position map it holds. */
    private static final class CachedRow {
        double[] values;
        int[] position;

        CachedRow(double[] values, int[] position) {
            this.values = values;
            this.position = position;
        }
    }
    private long rowsComputed;
    /** The last working set in the order it was chosen (most violating first), for the next round to keep. */
    private int[] previousSelection = new int[0];
    /** ν mode (LIBSVM's Solver_NU): see {@link #solveNu}; false for every other problem. */
    private boolean nuMode;
    /** ν mode: {m₊, M₊, m₋, M₋}, the violation bounds within each sign y = ±1, from the last {@link #nuViolation}. */
    private final double[] nuBounds = new double[4];

    private SmoSolver(KernelSource source, int[] sample, double[] y, double[] p, double[] upper, double[] alpha0,
            Options options, Observer observer) {
        this.source = source;
        this.sample = sample;
        this.y = y;
        this.p = p;
        this.upper = upper;
        this.options = options;
        this.observer = observer;
        this.l = y.length;
        this.alpha = alpha0.clone();
        this.g = new double[l];
        this.shrunkAt = new int[l];
        Arrays.fill(shrunkAt, -1);
    }

    /** Solves the problem from the feasible start α⁰ (which fixes Δ = yᵀα⁰). */
    static Result solve(KernelSource source, int[] sample, double[] y, double[] p, double[] upper, double[] alpha0,
            Options options) {
        return solve(source, sample, y, p, upper, alpha0, options, null);
    }

    /** {@link #solve} with a test {@link Observer} (null for none). */
    static Result solve(KernelSource source, int[] sample, double[] y, double[] p, double[] upper, double[] alpha0,
            Options options, Observer observer) {
        return new SmoSolver(source, sample, y, p, upper, alpha0, options, observer).run();
    }

    /**
     * The solution of a ν problem ({@link #solveNu}).
     *
     * @param result α, ρ and the solver's figures, as for {@link #solve}
     * @param r LIBSVM's r = (r₊ + r₋)/2, where r_± is the threshold of the variables of sign ±1 alone:
     *     ν-SVC divides α and ρ by r (the margin is then 1, the equivalent C-SVC has C = 1/r), ν-SVR's
     *     tube half-width is ε = −r
     */
    record NuResult(Result result, double r) {
    }

    /**
     * Solves a ν problem (Chang &amp; Lin 2001; LIBSVM's Solver_NU): the same QP with the second
     * constraint eᵀα = const that α⁰ fixes too. Each SMO step then moves two variables of the same sign
     * y (which keeps both yᵀα and eᵀα), so violations are measured within each sign: m_s − M_s over the
     * variables with y = s, stopping when max(m₊ − M₊, m₋ − M₋) &lt; ε; ρ and r come from the two signs'
     * free variables separately ({@link #nuRho}).
     */
    static NuResult solveNu(KernelSource source, int[] sample, double[] y, double[] p, double[] upper,
            double[] alpha0, Options options, Observer observer) {
        SmoSolver s = new SmoSolver(source, sample, y, p, upper, alpha0, options, observer);
        s.nuMode = true;
        Result r = s.run();
        return new NuResult(r, s.nuRho()[1]);
    }

    private boolean inUp(int t) {
        return y[t] > 0 ? alpha[t] < upper[t] : alpha[t] > 0;
    }

    private boolean inLow(int t) {
        return y[t] > 0 ? alpha[t] > 0 : alpha[t] < upper[t];
    }

    private Result run() {
        int[] all = new int[l];
        for (int t = 0; t < l; t++) {
            all[t] = t;
        }
        System.arraycopy(p, 0, g, 0, l);
        addKernelTerms(all);
        activate(all);
        int q = Math.max(2, Math.min(options.workingSet(), l));
        long iterations = 0;
        int rounds = 0;
        boolean converged = false;
        double gap;
        double firstGap = Double.NaN;
        long reported = 0;
        try {
            while (true) {
                double[] mm = violation();
                gap = mm[0] - mm[1];
                if (gap < options.tolerance()) {
                    if (active.length < l) {
                        reconstructGradient();
                        activate(all);
                        continue;
                    }
                    converged = true;
                    break;
                }
                if (iterations >= options.maxIterations()) {
                    if (active.length < l) { // stopped early: ρ and the objective need every gradient
                        reconstructGradient();
                        activate(all);
                        double[] whole = violation();
                        gap = whole[0] - whole[1];
                    }
                    break;
                }
                int[] scanned = active;
                if (options.shrinking() && rounds % 4 == 3) {
                    shrink(mm[0], mm[1]);
                }
                if (Double.isNaN(firstGap)) {
                    firstGap = gap;
                }
                if (firstGap > options.tolerance() && gap > 0) {
                    double fraction = Math.log(firstGap / gap) / Math.log(firstGap / options.tolerance());
                    long done = (long) (1000 * Math.min(1, Math.max(0, fraction)));
                    if (done > reported) {
                        reported = done;
                        options.progress().progress(done, 1000, "svm");
                    }
                }
                int[] ws = workingSet(previousSelection, rounds == 0 ? q : Math.max(2, q / 2), q, mm[0], mm[1]);
                if (observer != null) {
                    observer.round(rounds, alpha, g, scanned, active, ws, mm[0], mm[1]);
                }
                double[][] rows = fetchRows(ws);
                iterations += solveSubproblem(ws, rows, options.maxIterations() - iterations);
                rounds++;
            }
        } finally {
            columns.close();
        }
        double objective = 0;
        for (int t = 0; t < l; t++) {
            objective += alpha[t] * (g[t] + p[t]);
        }
        return new Result(alpha, rho(), objective / 2, iterations, rounds, gap, converged, rowsComputed);
    }

    /** {m, M} over the active variables. */
    private double[] violation() {
        if (nuMode) {
            return nuViolation();
        }
        double m = Double.NEGATIVE_INFINITY;
        double mLow = Double.POSITIVE_INFINITY;
        for (int t : active) {
            double f = -y[t] * g[t];
            if (inUp(t) && f > m) {
                m = f;
            }
            if (inLow(t) && f < mLow) {
                mLow = f;
            }
        }
        return new double[] {m, mLow};
    }

    /** g_t += y_t·Σ_v y_v·α_v·k(x_{s(t)}, x_{s(v)}) for the given targets t, in one batched product. */
    private void addKernelTerms(int[] targets) {
        addKernelTerms(targets, alpha);
    }

    /** g_t += y_t·Σ_v y_v·w_v·k(x_{s(t)}, x_{s(v)}) for the given targets t, over the v with w_v ≠ 0. */
    private void addKernelTerms(int[] targets, double[] w) {
        int n = source.samples();
        double[] coef = new double[n];
        boolean[] used = new boolean[n];
        for (int v = 0; v < l; v++) {
            if (w[v] != 0) {
                coef[sample[v]] += y[v] * w[v];
                used[sample[v]] = true;
            }
        }
        int[] cols = java.util.stream.IntStream.range(0, n).filter(s -> used[s]).toArray();
        if (cols.length == 0 || targets.length == 0) {
            return;
        }
        double[] c = new double[cols.length];
        for (int i = 0; i < cols.length; i++) {
            c[i] = coef[cols[i]];
        }
        int[] rowOf = new int[n];
        Arrays.fill(rowOf, -1);
        int[] rows = new int[targets.length];
        int count = 0;
        for (int t : targets) {
            if (rowOf[sample[t]] < 0) {
                rowOf[sample[t]] = count;
                rows[count++] = sample[t];
            }
        }
        double[] k = source.times(Arrays.copyOf(rows, count), cols, c);
        for (int t : targets) {
            g[t] += y[t] * k[rowOf[sample[t]]];
        }
    }

    /**
     * Brings the gradient of every inactive variable up to date. A variable's gradient was exact when it was shrunk
     * (the active set's gradients are kept exact, and α of inactive variables never changes), so
     * g_t = g_t(then) + y_t·Σ_v y_v·(α_v − α_v(then))·k(x_t, x_v): per shrink, one batched product over the variables
     * whose α has changed since, not over every support vector. (LIBSVM keeps Ḡ, the bounded support vectors' part,
     * up to date with full kernel rows for the same reason; with rows only as long as the active set, the snapshots
     * do it here.) On issue 32's xor set, 6,456 support vectors of which 6,128 at C, the full product was a third of
     * a warm solve.
     */
    private void reconstructGradient() {
        double[] delta = new double[l];
        for (int e = 0; e < snapshots.size(); e++) {
            double[] then = snapshots.get(e);
            boolean changed = false;
            for (int v = 0; v < l; v++) {
                delta[v] = alpha[v] - then[v];
                changed |= delta[v] != 0;
            }
            if (changed) {
                final int event = e;
                addKernelTerms(java.util.stream.IntStream.range(0, l).filter(t -> shrunkAt[t] == event).toArray(),
                        delta);
            }
        }
    }

    /**
     * Makes {@code vars} the active set. Cached rows stay valid (repacked lazily) when it is a subset
     * of the old one; otherwise they are dropped.
     */
    private void activate(int[] vars) {
        boolean subset = position != null;
        int[] newPosition = new int[l];
        Arrays.fill(newPosition, -1);
        for (int k = 0; k < vars.length; k++) {
            newPosition[vars[k]] = k;
            subset &= position != null && position[vars[k]] >= 0;
        }
        if (subset && vars.length < active.length) { // a shrink: its variables' gradients are exact now
            for (int t : active) {
                if (newPosition[t] < 0) {
                    shrunkAt[t] = snapshots.size();
                }
            }
            snapshots.add(alpha.clone());
        } else if (vars.length == l) { // every gradient is exact again
            snapshots.clear();
            Arrays.fill(shrunkAt, -1);
        }
        if (!subset) {
            for (CachedRow c : cache.values()) {
                spare.push(c.values);
            }
            cache.clear();
            cachedBytes = 0;
        }
        if (columns != null) {
            columns.close();
        }
        active = vars;
        position = newPosition;
        int[] cs = new int[vars.length];
        for (int k = 0; k < vars.length; k++) {
            cs[k] = sample[vars[k]];
        }
        columns = source.columns(cs);
    }

    /** The cached row of a sample laid out for the current active set, or null. */
    private double[] cachedRow(int s) {
        CachedRow c = cache.get(s);
        if (c == null) {
            return null;
        }
        if (c.position != position) {
            // the active set only shrank since, keeping its order, so old positions never fall behind new
            // ones and the row can be repacked in place
            int[] old = c.position;
            double[] v = c.values;
            for (int k = 0; k < active.length; k++) {
                v[k] = v[old[active[k]]];
            }
            if (active.length < v.length / 2) { // give back the memory the active set no longer needs
                cachedBytes -= 8L * (v.length - active.length);
                c.values = Arrays.copyOf(v, active.length);
            }
            c.position = position;
        }
        return c.values;
    }

    /** Drops bounded variables that cannot enter a violating pair now (LIBSVM's be_shrunk rule). */
    private void shrink(double m, double mLow) {
        if (nuMode) { // the same rule within each sign
            nuShrink();
            return;
        }
        int keep = 0;
        int[] kept = new int[active.length];
        for (int t : active) {
            boolean up = inUp(t);
            boolean low = inLow(t);
            double f = -y[t] * g[t];
            boolean drop = (up && !low && f < mLow) || (low && !up && f > m);
            if (!drop) {
                kept[keep++] = t;
            }
        }
        if (keep < active.length - active.length / 10 && keep >= 2) {
            activate(Arrays.copyOf(kept, keep));
        }
    }

    /**
     * The next working set: up to {@code fresh} new variables, alternately the most violating of I_up
     * (largest −yG above M) and of I_low (smallest −yG below m), then members of the previous set
     * (still active) until q.
     */
    private int[] workingSet(int[] previous, int fresh, int q, double m, double mLow) {
        int[] up = new int[active.length];
        int[] low = new int[active.length];
        int nu = 0;
        int nl = 0;
        double[] key = new double[l];
        for (int t : active) {
            double f = -y[t] * g[t] - (nuMode ? nuCentre(t) : 0); // ν: from its sign's centre, so signs compare
            key[t] = f;
            if (inUp(t) && f > (nuMode ? -nuHalfGap(t) : mLow)) {
                up[nu++] = t;
            }
            if (inLow(t) && f < (nuMode ? nuHalfGap(t) : m)) {
                low[nl++] = t;
            }
        }
        int[] bestUp = largest(up, nu, key, fresh, 1);
        int[] bestLow = largest(low, nl, key, fresh, -1);
        boolean[] chosen = new boolean[l];
        int[] ws = new int[q];
        int size = 0;
        int iu = 0;
        int il = 0;
        while (size < fresh && (iu < bestUp.length || il < bestLow.length)) {
            if (iu < bestUp.length && (size % 2 == 0 || il >= bestLow.length)) {
                int t = bestUp[iu++];
                if (!chosen[t]) {
                    chosen[t] = true;
                    ws[size++] = t;
                }
            } else {
                int t = bestLow[il++];
                if (!chosen[t]) {
                    chosen[t] = true;
                    ws[size++] = t;
                }
            }
        }
        for (int i = 0; i < previous.length && size < q; i++) {
            int t = previous[i];
            if (!chosen[t] && position[t] >= 0) {
                chosen[t] = true;
                ws[size++] = t;
            }
        }
        previousSelection = Arrays.copyOf(ws, size);
        // in active-set order: gathers from the rows then run forwards, and a set that is the whole
        // active set needs no gathering at all
        int[] sorted = new int[size];
        int k = 0;
        for (int t : active) {
            if (chosen[t]) {
                sorted[k++] = t;
            }
        }
        return sorted;
    }

    /** The (at most) k candidates with the largest sign·key, in decreasing order (a bounded binary heap). */
    static int[] largest(int[] cand, int count, double[] key, int k, int sign) {
        k = Math.min(k, count);
        int[] heap = new int[k];
        int size = 0;
        for (int c = 0; c < count; c++) {
            int t = cand[c];
            double v = sign * key[t];
            if (size < k) {
                int i = size++;
                heap[i] = t;
                while (i > 0) { // sift up: the heap keeps the smallest kept value at its root
                    int parent = (i - 1) / 2;
                    if (sign * key[heap[parent]] <= sign * key[heap[i]]) {
                        break;
                    }
                    int tmp = heap[parent];
                    heap[parent] = heap[i];
                    heap[i] = tmp;
                    i = parent;
                }
            } else if (v > sign * key[heap[0]]) {
                heap[0] = t;
                siftDown(heap, size, key, sign);
            }
        }
        int[] out = new int[size];
        for (int i = size - 1; i >= 0; i--) {
            out[i] = heap[0];
            heap[0] = heap[i];
            siftDown(heap, i, key, sign);
        }
        return out;
    }

    private static void siftDown(int[] heap, int size, double[] key, int sign) {
        int i = 0;
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                return;
            }
            int smallest = left;
            if (left + 1 < size && sign * key[heap[left + 1]] < sign * key[heap[left]]) {
                smallest = left + 1;
            }
            if (sign * key[heap[i]] <= sign * key[heap[smallest]]) {
                return;
            }
            int tmp = heap[i];
            heap[i] = heap[smallest];
            heap[smallest] = tmp;
            i = smallest;
        }
    }

    /** The working set's kernel rows against the active variables, from the cache or computed in one batch. */
    private double[][] fetchRows(int[] ws) {
        int na = active.length;
        double[][] rows = new double[ws.length][];
        int[] missing = new int[ws.length];
        int count = 0;
        java.util.Set<Integer> pending = new java.util.HashSet<>();
        for (int i = 0; i < ws.length; i++) {
            rows[i] = cachedRow(sample[ws[i]]);
            if (rows[i] == null && pending.add(sample[ws[i]])) {
                missing[count++] = sample[ws[i]];
            }
        }
        if (count > 0) {
            // evict the least recently used rows (never this working set's, which were just used) to make room
            int present = ws.length - count;
            var it = cache.entrySet().iterator();
            while (cachedBytes + 8L * count * na > options.cacheBytes() && cache.size() > present && it.hasNext()) {
                double[] v = it.next().getValue().values;
                cachedBytes -= 8L * v.length;
                if (v.length >= na && v.length < 2 * na) {
                    spare.push(v);
                }
                it.remove();
            }
            int batch = Math.max(1, Math.min(count, 256));
            double[][] buf = new double[batch][];
            for (int from = 0; from < count; from += batch) {
                int b = Math.min(batch, count - from);
                for (int r = 0; r < b; r++) {
                    double[] v = spare.poll();
                    while (v != null && (v.length < na || v.length >= 2 * na)) {
                        v = spare.poll();
                    }
                    buf[r] = v != null ? v : new double[na];
                    cachedBytes += 8L * buf[r].length;
                }
                columns.rows(Arrays.copyOfRange(missing, from, from + b), b, buf);
                for (int r = 0; r < b; r++) {
                    cache.put(missing[from + r], new CachedRow(buf[r], position));
                }
            }
            rowsComputed += count;
            for (int i = 0; i < ws.length; i++) {
                if (rows[i] == null) {
                    rows[i] = cache.get(sample[ws[i]]).values;
                }
            }
        }
        return rows;
    }

    /**
     * SMO with WSS 2 on the working set (everything else fixed), then the gradient update of all
     * active variables. Returns the number of SMO steps.
     *
     * <p>The sub-problem works on f_t = −y_t·G_t, which a step along (+y_i, −y_j) changes by
     * −step·(k_it − k_jt) (y_t² = 1), and gathers a working-set row of the kernel only when SMO first
     * uses it, so a round costs O(q) per step plus O(q) per distinct row used, not O(q²).
     */
    private long solveSubproblem(int[] ws, double[][] rows, long budget) {
        if (nuMode) {
            return nuSolveSubproblem(ws, rows, budget);
        }
        int q = ws.length;
        double[] a = new double[q];
        double[] f = new double[q];
        double[] ly = new double[q];
        double[] lc = new double[q];
        double[] diag = new double[q];
        int[] pos = new int[q];
        boolean[] up = new boolean[q];
        boolean[] low = new boolean[q];
        // the working set is in active-set order, so when it is the whole active set its rows need no gathering
        double[][] krow = q == active.length ? rows.clone() : new double[q][];
        for (int t = 0; t < q; t++) {
            int v = ws[t];
            a[t] = alpha[v];
            ly[t] = y[v];
            f[t] = -y[v] * g[v];
            lc[t] = upper[v];
            pos[t] = position[v];
            diag[t] = rows[t][pos[t]];
            up[t] = inUp(v);
            low[t] = inLow(v);
        }
        int i = -1;
        double m = Double.NEGATIVE_INFINITY;
        double mLow = Double.POSITIVE_INFINITY;
        for (int t = 0; t < q; t++) {
            if (up[t] && f[t] > m) {
                m = f[t];
                i = t;
            }
            if (low[t] && f[t] < mLow) {
                mLow = f[t];
            }
        }
        double localEps = Math.max(options.tolerance(), 0.1 * (m - mLow));
        long maxSteps = Math.min(budget, Math.max(1000L, 50L * q));
        long steps = 0;
        while (steps < maxSteps && i >= 0 && m - mLow >= localEps) {
            double[] ki = kernelRow(krow, rows, pos, i);
            // WSS 2: the j in I_low with f_j < m that maximizes b²/a, b = m − f_j, a = k_ii + k_jj − 2k_ij
            int j = -1;
            double bestB2 = 0;
            double bestA = 1;
            for (int t = 0; t < q; t++) {
                if (low[t] && f[t] < m) {
                    double b = m - f[t];
                    double quad = diag[i] + diag[t] - 2 * ki[t];
                    quad = quad > 0 ? quad : TAU;
                    if (b * b * bestA > bestB2 * quad) {
                        bestB2 = b * b;
                        bestA = quad;
                        j = t;
                    }
                }
            }
            if (j < 0) {
                break;
            }
            double[] kj = kernelRow(krow, rows, pos, j);
            double quad = diag[i] + diag[j] - 2 * ki[j];
            double step = (m - f[j]) / (quad > 0 ? quad : TAU);
            // how far α_i may move by +y_i·step and α_j by −y_j·step
            double roomI = ly[i] > 0 ? lc[i] - a[i] : a[i];
            double roomJ = ly[j] > 0 ? a[j] : lc[j] - a[j];
            step = Math.min(step, Math.min(roomI, roomJ));
            a[i] = step == roomI ? (ly[i] > 0 ? lc[i] : 0) : a[i] + ly[i] * step;
            a[j] = step == roomJ ? (ly[j] > 0 ? 0 : lc[j]) : a[j] - ly[j] * step;
            if (observer != null) {
                observer.step(a, i, j);
            }
            for (int t : new int[] {i, j}) {
                up[t] = ly[t] > 0 ? a[t] < lc[t] : a[t] > 0;
                low[t] = ly[t] > 0 ? a[t] > 0 : a[t] < lc[t];
            }
            // update f and find the next i and the new M in the same pass
            i = -1;
            m = Double.NEGATIVE_INFINITY;
            mLow = Double.POSITIVE_INFINITY;
            for (int t = 0; t < q; t++) {
                double ft = f[t] - step * (ki[t] - kj[t]);
                f[t] = ft;
                if (up[t] && ft > m) {
                    m = ft;
                    i = t;
                }
                if (low[t] && ft < mLow) {
                    mLow = ft;
                }
            }
            steps++;
        }
        commit(ws, a, ly, rows);
        return steps;
    }

    /**
     * Writes the subproblem's solution a (working-set order) into α and updates the gradient of the active variables:
     * G_k += y_k·Σ_i y_i·Δα_i·k(x_i, x_k), from the working set's kernel rows over the active set.
     */
    private void commit(int[] ws, double[] a, double[] ly, double[][] rows) {
        int na = active.length;
        int[] moved = new int[ws.length];
        double[] coef = new double[ws.length];
        int count = 0;
        for (int t = 0; t < ws.length; t++) {
            double delta = a[t] - alpha[ws[t]];
            if (delta != 0) {
                moved[count] = t;
                coef[count++] = ly[t] * delta;
                alpha[ws[t]] = a[t];
            }
        }
        if (count == 0) {
            return;
        }
        // The update streams every moved row once (8·|active| bytes each, hundreds of rows a round): memory-bound, so
        // slices of the active set go to the threads, which brings the other core's memory bandwidth in. Each entry
        // sums its rows in the same order in any slicing, so the result does not depend on the threads.
        int slices = (long) count * na >= COMMIT_SLICING ? Math.max(1, Math.min(8, na / 2048)) : 1;
        int per = (na + slices - 1) / slices;
        final int moves = count;
        Parallelism.forEachBlock(slices, b -> {
            int from = b * per;
            int len = Math.min(na, from + per) - from;
            if (len <= 0) {
                return;
            }
            double[] acc = new double[len];
            for (int r = 0; r < moves; r++) {
                ops.axpy(acc, 0, rows[moved[r]], from, len, coef[r]);
            }
            for (int k = 0; k < len; k++) {
                int t = active[from + k];
                g[t] += y[t] * acc[k];
            }
        });
    }

    /** Moved rows × active length above which {@link #commit} spreads the gradient update over the threads. */
    private static final long COMMIT_SLICING = 1L << 20;

    /** Row t of the working set's kernel matrix (k(x_t, x_u) for u in the set), gathered on first use. */
    private static double[] kernelRow(double[][] krow, double[][] rows, int[] pos, int t) {
        double[] r = krow[t];
        if (r == null) {
            double[] src = rows[t];
            r = new double[pos.length];
            for (int u = 0; u < pos.length; u++) {
                r[u] = src[pos[u]];
            }
            krow[t] = r;
        }
        return r;
    }

    /** ρ: the mean of y_t·G_t over free variables, else the midpoint of the bounds the bounded ones give (the finite one when the other is missing). */
    private double rho() {
        if (nuMode) {
            return nuRho()[0];
        }
        double ub = Double.POSITIVE_INFINITY;
        double lb = Double.NEGATIVE_INFINITY;
        double sum = 0;
        int free = 0;
        for (int t = 0; t < l; t++) {
            double yg = y[t] * g[t];
            if (alpha[t] >= upper[t]) {
                if (y[t] < 0) {
                    ub = Math.min(ub, yg);
                } else {
                    lb = Math.max(lb, yg);
                }
            } else if (alpha[t] <= 0) {
                if (y[t] > 0) {
                    ub = Math.min(ub, yg);
                } else {
                    lb = Math.max(lb, yg);
                }
            } else {
                free++;
                sum += yg;
            }
        }
        if (free > 0) {
            return sum / free;
        }
        // every variable bounded on one side only (one-class with ν = 1: all α at 1) leaves the other bound
        // infinite; any ρ on the finite side is optimal, so take the finite bound rather than an infinite midpoint
        return Double.isInfinite(ub) ? lb : Double.isInfinite(lb) ? ub : (ub + lb) / 2;
    }

    // ---- ν mode (LIBSVM's Solver_NU). Kept apart from the C-SVC path on purpose: the shared loop only
    // dispatches here (violation, shrink, workingSet's keys, solveSubproblem, rho). ----

    /** Index into {@link #nuBounds} of t's sign: 0 for y = +1, 2 for y = −1. */
    private int nuSign(int t) {
        return y[t] > 0 ? 0 : 2;
    }

    /** Half the violation m_s − M_s of t's sign, or −∞ when that sign has no violating pair candidate. */
    private double nuHalfGap(int t) {
        int s = nuSign(t);
        double half = (nuBounds[s] - nuBounds[s + 1]) / 2;
        return Double.isFinite(half) ? half : Double.NEGATIVE_INFINITY;
    }

    /** (m_s + M_s)/2 for t's sign (0 when one side is empty): −yG minus this ranks violations across signs. */
    private double nuCentre(int t) {
        int s = nuSign(t);
        double c = (nuBounds[s] + nuBounds[s + 1]) / 2;
        return Double.isFinite(c) ? c : 0;
    }

    /**
     * Sets {@link #nuBounds} over the active variables and returns {m_s, M_s} of the sign with the larger
     * violation, so that the shared loop's gap m − M is max(m₊ − M₊, m₋ − M₋), LIBSVM's ν stopping rule.
     */
    private double[] nuViolation() {
        double[] b = nuBounds;
        b[0] = Double.NEGATIVE_INFINITY;
        b[1] = Double.POSITIVE_INFINITY;
        b[2] = Double.NEGATIVE_INFINITY;
        b[3] = Double.POSITIVE_INFINITY;
        for (int t : active) {
            double f = -y[t] * g[t];
            int s = nuSign(t);
            if (inUp(t) && f > b[s]) {
                b[s] = f;
            }
            if (inLow(t) && f < b[s + 1]) {
                b[s + 1] = f;
            }
        }
        double gapPlus = b[0] - b[1];
        double gapMinus = b[2] - b[3];
        // NaN-safe: a sign with one side empty has gap −∞ and never wins
        return gapMinus > gapPlus || Double.isNaN(gapPlus) ? new double[] {b[2], b[3]} : new double[] {b[0], b[1]};
    }

    /** LIBSVM's shrinking rule applied within each sign, with that sign's m_s and M_s. */
    private void nuShrink() {
        int keep = 0;
        int[] kept = new int[active.length];
        for (int t : active) {
            boolean up = inUp(t);
            boolean low = inLow(t);
            double f = -y[t] * g[t];
            int s = nuSign(t);
            boolean drop = (up && !low && f < nuBounds[s + 1]) || (low && !up && f > nuBounds[s]);
            if (!drop) {
                kept[keep++] = t;
            }
        }
        if (keep < active.length - active.length / 10 && keep >= 2) {
            activate(Arrays.copyOf(kept, keep));
        }
    }

    /**
     * {@link #solveSubproblem} for ν: the pair (i, j) has one sign; for each candidate j of I_low the
     * partner is the most violating i of I_up of j's sign (LIBSVM's select_working_set for ν, WSS 2), and the
     * sub-problem stops when the larger of the two signs' violations falls below max(ε, 0.1·its first value).
     */
    private long nuSolveSubproblem(int[] ws, double[][] rows, long budget) {
        int q = ws.length;
        double[] a = new double[q];
        double[] f = new double[q];
        double[] ly = new double[q];
        double[] lc = new double[q];
        double[] diag = new double[q];
        int[] pos = new int[q];
        boolean[] up = new boolean[q];
        boolean[] low = new boolean[q];
        double[][] krow = q == active.length ? rows.clone() : new double[q][];
        for (int t = 0; t < q; t++) {
            int v = ws[t];
            a[t] = alpha[v];
            ly[t] = y[v];
            f[t] = -y[v] * g[v];
            lc[t] = upper[v];
            pos[t] = position[v];
            diag[t] = rows[t][pos[t]];
            up[t] = inUp(v);
            low[t] = inLow(v);
        }
        // per sign (index 0: y = +1, 1: y = −1): the most violating i of I_up, m and M
        int[] best = new int[2];
        double[] m = new double[2];
        double[] mLow = new double[2];
        nuScan(f, ly, up, low, best, m, mLow);
        double first = Math.max(m[0] - mLow[0], m[1] - mLow[1]);
        double localEps = Math.max(options.tolerance(), 0.1 * first);
        long maxSteps = Math.min(budget, Math.max(1000L, 50L * q));
        long steps = 0;
        while (steps < maxSteps && Math.max(m[0] - mLow[0], m[1] - mLow[1]) >= localEps) {
            double[][] ki = new double[2][];
            for (int s = 0; s < 2; s++) {
                if (best[s] >= 0) {
                    ki[s] = kernelRow(krow, rows, pos, best[s]);
                }
            }
            int j = -1;
            double bestB2 = 0;
            double bestA = 1;
            for (int t = 0; t < q; t++) {
                int s = ly[t] > 0 ? 0 : 1;
                if (low[t] && best[s] >= 0 && f[t] < m[s]) {
                    double b = m[s] - f[t];
                    double quad = diag[best[s]] + diag[t] - 2 * ki[s][t];
                    quad = quad > 0 ? quad : TAU;
                    if (b * b * bestA > bestB2 * quad) {
                        bestB2 = b * b;
                        bestA = quad;
                        j = t;
                    }
                }
            }
            if (j < 0) {
                break;
            }
            int s = ly[j] > 0 ? 0 : 1;
            int i = best[s];
            double[] kiRow = ki[s];
            double[] kj = kernelRow(krow, rows, pos, j);
            double quad = diag[i] + diag[j] - 2 * kiRow[j];
            double step = (m[s] - f[j]) / (quad > 0 ? quad : TAU);
            double roomI = ly[i] > 0 ? lc[i] - a[i] : a[i];
            double roomJ = ly[j] > 0 ? a[j] : lc[j] - a[j];
            step = Math.min(step, Math.min(roomI, roomJ));
            a[i] = step == roomI ? (ly[i] > 0 ? lc[i] : 0) : a[i] + ly[i] * step;
            a[j] = step == roomJ ? (ly[j] > 0 ? 0 : lc[j]) : a[j] - ly[j] * step;
            if (observer != null) {
                observer.step(a, i, j);
            }
            for (int t : new int[] {i, j}) {
                up[t] = ly[t] > 0 ? a[t] < lc[t] : a[t] > 0;
                low[t] = ly[t] > 0 ? a[t] > 0 : a[t] < lc[t];
            }
            for (int t = 0; t < q; t++) {
                f[t] -= step * (kiRow[t] - kj[t]);
            }
            nuScan(f, ly, up, low, best, m, mLow);
            steps++;
        }
        commit(ws, a, ly, rows);
        return steps;
    }

    /** Per sign: best[s] = argmax of f over I_up (−1 if none), m[s] its value, mLow[s] = min of f over I_low. */
    private static void nuScan(double[] f, double[] ly, boolean[] up, boolean[] low, int[] best, double[] m,
            double[] mLow) {
        best[0] = -1;
        best[1] = -1;
        m[0] = Double.NEGATIVE_INFINITY;
        m[1] = Double.NEGATIVE_INFINITY;
        mLow[0] = Double.POSITIVE_INFINITY;
        mLow[1] = Double.POSITIVE_INFINITY;
        for (int t = 0; t < f.length; t++) {
            int s = ly[t] > 0 ? 0 : 1;
            if (up[t] && f[t] > m[s]) {
                m[s] = f[t];
                best[s] = t;
            }
            if (low[t] && f[t] < mLow[s]) {
                mLow[s] = f[t];
            }
        }
    }

    /**
     * {ρ, r} of LIBSVM's Solver_NU::calculate_rho: for each sign s, r_s is the mean of G over its free
     * variables, else the midpoint of the bounds its bounded variables give (G ≥ at the upper bound, G ≤
     * at zero); ρ = (r₊ − r₋)/2, r = (r₊ + r₋)/2.
     */
    private double[] nuRho() {
        double[] r = new double[2];
        for (int s = 0; s < 2; s++) {
            double ub = Double.POSITIVE_INFINITY;
            double lb = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int free = 0;
            for (int t = 0; t < l; t++) {
                if ((y[t] > 0) != (s == 0)) {
                    continue;
                }
                if (alpha[t] >= upper[t]) {
                    lb = Math.max(lb, g[t]);
                } else if (alpha[t] <= 0) {
                    ub = Math.min(ub, g[t]);
                } else {
                    free++;
                    sum += g[t];
                }
            }
            r[s] = free > 0 ? sum / free
                    : Double.isInfinite(ub) ? (Double.isInfinite(lb) ? 0 : lb) : Double.isInfinite(lb) ? ub : (ub + lb) / 2;
        }
        return new double[] {(r[0] - r[1]) / 2, (r[0] + r[1]) / 2};
    }
}
