package org.kernels4j.linalg;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Vector API passes, but each one only once the JIT has compiled it; the scalar pass until then.
 *
 * <p>Why: until C2 has compiled a Vector API loop, every lane-wise operation runs the API's Java
 * fallback, which allocates an object per operation. Measured (JDK 17, AVX-512, squared distances then
 * exp on rows of 256): about 2 µs per element there, against 7 ns for the scalar loop and 1.6 ns for
 * the compiled vector loop, and on a loaded 2-core machine C2 took tens of seconds of a command-line
 * SVM fit to get there, so that half of a short fit's CPU went into the fallback (issue 32).
 *
 * <p>So each pass whose two implementations give bit-identical results runs the scalar code first.
 * Once it has processed {@link #WARM_AFTER} elements (enough work for the vector code to pay), one
 * background daemon thread drives the vector pass on small private arrays until a call of it takes
 * no longer than the scalar pass on the same data (C2 has compiled it), and from then on calls go to
 * the vector pass. The switch cannot change a result, whenever it happens. Short runs never start the
 * warm-up; the warm-up costs a few tenths of a second of CPU on the other core (it sleeps between
 * batches while C2 compiles), and gives up (the pass stays scalar) after {@link #WARM_UP_CPU_NANOS} of
 * CPU. {@code dot} runs, until then, {@link #laneOrderDot}: the vector pass's own summation order in
 * scalar code, not {@link ScalarElementOps}' order. The ReLU-family recursions, whose two
 * implementations round differently, always run the vector code, as before, so that their results
 * stay the same from run to run.
 *
 * <p>Experimental, chosen with {@code -Dkernels4j.simd=warm}: on issue 32's SVM suite (n = 20,000, JDK 17,
 * a loaded 2-core machine) the warm-ups themselves took 0.8 s of CPU in all, yet whole fits used about
 * as much CPU as with the vector passes from the start, and 20–30% more than with the scalar passes
 * throughout. Not yet explained; a suspect is C2 inlining the vector pass into its compiled caller,
 * where the vector code no longer fits the inlining budget and runs boxed. (Later, on an Intel Xeon: C2
 * sometimes left the vector exp helper out of line, and the pass then ran the boxed fallback for good; the exp
 * now lives inside its pass, and with that this mode measured within the noise of the plain vector passes on
 * issue 32's SVM fits, or bimodal.)
 */
final class WarmingElementOps implements ElementOps {
    /** Elements a pass processes in scalar code before its vector twin is warmed up: ~0.1–0.2 s of scalar exp. */
    static final long WARM_AFTER = 1L << 25;
    /** CPU the warm-up of one pass may use before it gives up. */
    static final long WARM_UP_CPU_NANOS = 3_000_000_000L;

    /** A pass with identical results in both implementations, and how to drive it on private arrays. */
    enum Pass {
        SQUARED_DISTANCES((o, a, b, c) -> o.squaredDistances(a, 0, a.length, 1.0, b, 0)),
        EXP_SCALED((o, a, b, c) -> o.expScaled(a, 0, a.length, -0.5)),
        SQRT_SCALED((o, a, b, c) -> o.sqrtScaled(a, 0, a.length, 0.5)),
        MATERN32((o, a, b, c) -> o.matern32(a, 0, a.length)),
        MATERN52((o, a, b, c) -> o.matern52(a, 0, a.length)),
        POW_AFFINE((o, a, b, c) -> o.powAffine(a, 0, a.length, 0.5, 0.5, 3)),
        SCALE_OUTER((o, a, b, c) -> o.scaleOuter(a, 0, a.length, 0.75, b, 0)),
        ADD_SCALED((o, a, b, c) -> o.addScaled(a, b, a.length, 0.5)),
        MULTIPLY((o, a, b, c) -> o.multiply(a, b, a.length)),
        AXPY((o, a, b, c) -> o.axpy(a, 0, b, 0, a.length, 0.5)),
        SCALE((o, a, b, c) -> o.scale(a, a.length, 0.75)),
        ADD_MASKED_SHIFTED((o, a, b, c) -> o.addMaskedShifted(a, b, c, 0, a.length, 0)),
        /** c[0] receives the dot product so that the call has an effect. */
        DOT((o, a, b, c) -> c[0] = o.dot(a, 0, b, 0, a.length));

        final Driver driver;

        Pass(Driver driver) {
            this.driver = driver;
        }
    }

    /** One call of a pass on arrays a, b, c of equal length. */
    interface Driver {
        void run(ElementOps ops, double[] a, double[] b, double[] c);
    }

    /** Per pass: elements seen in scalar code, whether the warm-up started, whether the vector pass is ready. */
    private static final class State {
        final AtomicLong scalarElements = new AtomicLong();
        final AtomicBoolean started = new AtomicBoolean();
        volatile boolean ready;
    }

    private final ElementOps vector;
    private final ElementOps scalar;
    private final long warmAfter;
    private final State[] states = new State[Pass.values().length];
    private volatile ExecutorService warmer;

    /** Warms {@code vector} (with {@code lanes} doubles per vector) up after {@link #WARM_AFTER} elements of a pass. */
    WarmingElementOps(ElementOps vector, int lanes) {
        this(vector, lanes, WARM_AFTER);
    }

    /** With another threshold (tests: 0 warms a pass up at its first call). */
    WarmingElementOps(ElementOps vector, int lanes, long warmAfter) {
        this.vector = vector;
        this.warmAfter = warmAfter;
        this.scalar = new LaneOrderScalar(lanes);
        for (int i = 0; i < states.length; i++) {
            states[i] = new State();
        }
    }

    @Override
    public String name() {
        return vector.name() + " once compiled, scalar until then";
    }

    /** Whether calls of {@code pass} now go to the vector implementation. */
    boolean ready(Pass pass) {
        return states[pass.ordinal()].ready;
    }

    /** Whether the warm-up of {@code pass} has been started. */
    boolean started(Pass pass) {
        return states[pass.ordinal()].started.get();
    }

    /** The implementation for this call of {@code pass} over {@code len} elements. */
    private ElementOps pick(Pass pass, int len) {
        State s = states[pass.ordinal()];
        if (s.ready) {
            return vector;
        }
        if (!s.started.get() && s.scalarElements.addAndGet(len) >= warmAfter && s.started.compareAndSet(false, true)) {
            warmer().execute(() -> warmUp(pass, s));
        }
        return scalar;
    }

    private ExecutorService warmer() {
        ExecutorService w = warmer;
        if (w == null) {
            synchronized (this) {
                w = warmer;
                if (w == null) {
                    w = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "kernels4j-simd-warm-up");
                        t.setDaemon(true); // never keeps the JVM alive
                        t.setPriority(Thread.MIN_PRIORITY);
                        return t;
                    });
                    warmer = w;
                }
            }
        }
        return w;
    }

    /**
     * Calls the vector pass and the scalar pass alternately, 32 calls each, on the same private data of
     * two lengths (a bulk of several vectors and a tail, so that C2's profile covers both), until the
     * vector batch is no slower than the scalar one three times in a row. Compiled, the vector pass is
     * several times faster; before, hundreds of times slower, so the test is not fooled by timing noise.
     */
    private void warmUp(Pass pass, State s) {
        ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        boolean cpuClock = bean.isCurrentThreadCpuTimeSupported();
        long cpu0 = cpuClock ? bean.getCurrentThreadCpuTime() : System.nanoTime();
        java.util.Random r = new java.util.Random(1);
        int[] lengths = {61, 254};
        double[][] seed = new double[lengths.length][];
        double[][] a = new double[lengths.length][];
        double[][] b = new double[lengths.length][];
        double[][] c = new double[lengths.length][];
        for (int i = 0; i < lengths.length; i++) {
            seed[i] = r.doubles(lengths[i], 0.1, 1).toArray();
            a[i] = new double[lengths[i]];
            b[i] = r.doubles(lengths[i], 0.1, 1).toArray();
            c[i] = r.doubles(lengths[i], 0.1, 1).toArray();
        }
        int wins = 0;
        for (long round = 0; ; round++) {
            long vectorNanos = batch(pass, vector, seed, a, b, c, round);
            long scalarNanos = batch(pass, scalar, seed, a, b, c, round);
            wins = vectorNanos <= scalarNanos ? wins + 1 : 0;
            long used = (cpuClock ? bean.getCurrentThreadCpuTime() : System.nanoTime()) - cpu0;
            if (wins == 3) {
                s.ready = true;
                System.getLogger(ElementOps.class.getName()).log(System.Logger.Level.DEBUG,
                        () -> "element-wise pass " + pass + ": vector code in use after a warm-up of "
                                + String.format(java.util.Locale.ROOT, "%.2f", used / 1e9) + " s "
                                + (cpuClock ? "CPU" : "wall"));
                return;
            }
            if (wins == 0) {
                // not compiled yet: once the JIT's counters have tripped, more calls only burn CPU while C2
                // works, so give the processor back for three times the batch (capped at 50 ms)
                try {
                    Thread.sleep(Math.min(50, Math.max(1, 3 * vectorNanos / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (used > WARM_UP_CPU_NANOS) {
                System.getLogger(ElementOps.class.getName()).log(System.Logger.Level.DEBUG,
                        () -> "element-wise pass " + pass + ": the vector code did not get faster than the scalar"
                                + " code in its warm-up; it stays scalar");
                return;
            }
        }
    }

    private static long batch(Pass pass, ElementOps ops, double[][] seed, double[][] a, double[][] b, double[][] c,
            long round) {
        int which = (int) (round % seed.length);
        long t0 = System.nanoTime();
        for (int k = 0; k < 32; k++) {
            System.arraycopy(seed[which], 0, a[which], 0, a[which].length);
            pass.driver.run(ops, a[which], b[which], c[which]);
        }
        return System.nanoTime() - t0;
    }

    @Override
    public boolean squaredDistances(double[] a, int off, int len, double ni, double[] nz, int nzOff) {
        return pick(Pass.SQUARED_DISTANCES, len).squaredDistances(a, off, len, ni, nz, nzOff);
    }

    @Override
    public void expScaled(double[] a, int off, int len, double s) {
        pick(Pass.EXP_SCALED, len).expScaled(a, off, len, s);
    }

    @Override
    public void sqrtScaled(double[] a, int off, int len, double s) {
        pick(Pass.SQRT_SCALED, len).sqrtScaled(a, off, len, s);
    }

    @Override
    public void matern32(double[] a, int off, int len) {
        pick(Pass.MATERN32, len).matern32(a, off, len);
    }

    @Override
    public void matern52(double[] a, int off, int len) {
        pick(Pass.MATERN52, len).matern52(a, off, len);
    }

    @Override
    public void powAffine(double[] a, int off, int len, double m, double c, double p) {
        pick(Pass.POW_AFFINE, len).powAffine(a, off, len, m, c, p);
    }

    @Override
    public void scaleOuter(double[] a, int off, int len, double ri, double[] rz, int rzOff) {
        pick(Pass.SCALE_OUTER, len).scaleOuter(a, off, len, ri, rz, rzOff);
    }

    @Override
    public void addScaled(double[] dst, double[] src, int len, double s) {
        pick(Pass.ADD_SCALED, len).addScaled(dst, src, len, s);
    }

    @Override
    public void multiply(double[] dst, double[] src, int len) {
        pick(Pass.MULTIPLY, len).multiply(dst, src, len);
    }

    @Override
    public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
        return pick(Pass.DOT, len).dot(a, aOff, b, bOff, len);
    }

    @Override
    public void axpy(double[] dst, int dOff, double[] src, int sOff, int len, double s) {
        pick(Pass.AXPY, len).axpy(dst, dOff, src, sOff, len, s);
    }

    @Override
    public void scale(double[] a, int len, double s) {
        pick(Pass.SCALE, len).scale(a, len, s);
    }

    @Override
    public void reluFamilyRow(double[] out, int off, int len, double[] rowCoef, double[][] colCoef, double[] con,
            double[] cLower, double[] scratch) {
        vector.reluFamilyRow(out, off, len, rowCoef, colCoef, con, cLower, scratch);
    }

    @Override
    public void addMaskedShifted(double[] dst, double[] src, double[] mask, int lo, int hi, int shift) {
        pick(Pass.ADD_MASKED_SHIFTED, hi - lo).addMaskedShifted(dst, src, mask, lo, hi, shift);
    }

    @Override
    public void reluFamilyDualOuter(double[] k, double[] t, int off, int len, double sRow, double rRow, double[] sCol,
            double[] rCol, int colOff, double nu, double kappa) {
        vector.reluFamilyDualOuter(k, t, off, len, sRow, rRow, sCol, rCol, colOff, nu, kappa);
    }

    /**
     * Σ a[aOff+k]·b[bOff+k] summed exactly as {@link VectorElementOps#dot} sums it with {@code lanes} doubles
     * per vector, in scalar code: two interleaved accumulators of {@code lanes} fused multiply-adds each over
     * the whole vectors, added lane by lane, their lanes summed in order, then the tail added one product at a
     * time. Bit-identical to the vector pass, so that {@code dot} can switch like the other passes.
     */
    static double laneOrderDot(double[] a, int aOff, double[] b, int bOff, int len, int lanes) {
        int bound = len - len % lanes;
        double[] acc0 = new double[lanes];
        double[] acc1 = new double[lanes];
        int k = 0;
        for (; k + lanes < bound; k += 2 * lanes) {
            for (int l = 0; l < lanes; l++) {
                acc0[l] = Math.fma(a[aOff + k + l], b[bOff + k + l], acc0[l]);
                acc1[l] = Math.fma(a[aOff + k + lanes + l], b[bOff + k + lanes + l], acc1[l]);
            }
        }
        for (; k < bound; k += lanes) {
            for (int l = 0; l < lanes; l++) {
                acc0[l] = Math.fma(a[aOff + k + l], b[bOff + k + l], acc0[l]);
            }
        }
        double s = 0;
        for (int l = 0; l < lanes; l++) {
            s += acc0[l] + acc1[l];
        }
        for (; k < len; k++) {
            s += a[aOff + k] * b[bOff + k];
        }
        return s;
    }

    /** The scalar passes, with {@code dot} in the vector pass's order ({@link #laneOrderDot}). */
    private static final class LaneOrderScalar extends ScalarElementOps {
        private final int lanes;

        LaneOrderScalar(int lanes) {
            this.lanes = lanes;
        }

        @Override
        public double dot(double[] a, int aOff, double[] b, int bOff, int len) {
            return laneOrderDot(a, aOff, b, bOff, len, lanes);
        }
    }
}
