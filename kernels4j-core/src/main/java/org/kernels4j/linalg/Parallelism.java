package org.kernels4j.linalg;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.openblas.global.openblas;
import org.kernels4j.Kernels4jException;

/**
 * The one place that decides how many threads run numerical work.
 *
 * <p>Work runs in one of two modes, never both at once (on a 2-core machine, oversubscription
 * halves the speed):
 * <ul>
 *   <li>{@link #forEachBlock}: independent blocks (Gram tiles, row blocks of a prediction) run on
 *       kernels4j's own worker threads, and every BLAS call made inside them is single-threaded;</li>
 *   <li>{@link #blas}: one large BLAS/LAPACK call (Cholesky, eigendecomposition) that OpenBLAS
 *       itself spreads over all threads.</li>
 * </ul>
 * A global lock keeps the two modes from overlapping when several user threads call into the
 * library at once. The thread count defaults to the number of available processors and can be
 * set with the system property {@code kernels4j.threads} or {@link #setThreads(int)}. At the first
 * BLAS call, the library, its build and core type and the thread counts are logged at DEBUG on the
 * {@code System.Logger} named after this class ({@link #describeBlas()}).
 */
public final class Parallelism {
    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final ThreadLocal<Boolean> IN_BLOCK = ThreadLocal.withInitial(() -> Boolean.FALSE);
    /** A per-caller thread budget set by {@link #withThreadLimit}; null: the global setting and pool. */
    private static final ThreadLocal<Integer> LIMIT = new ThreadLocal<>();
    private static volatile int threads = Math.max(1,
            Integer.getInteger("kernels4j.threads", Runtime.getRuntime().availableProcessors()));
    private static int blasThreads = -1;
    private static ExecutorService pool;
    private static final System.Logger LOG = System.getLogger(Parallelism.class.getName());

    private Parallelism() {
    }

    /** Number of threads numerical work may use. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads (at least 1) for all later work. */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new Kernels4jException("thread count must be at least 1, got " + n);
        }
        LOCK.lock();
        try {
            threads = n;
            if (pool != null) {
                pool.shutdown();
                pool = null;
            }
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code call} with at most {@code n} threads for the work it starts, counted for the calling
     * thread alone, for a host that grants each of its concurrent tasks its own cores (a Spark task runs with
     * {@code TaskContext.cpus()}). Inside, blocks run on the caller plus n − 1 helper threads started for
     * each {@link #forEachBlock} call, without the global lock (so concurrent tasks do not queue behind each
     * other), and every BLAS call runs single-threaded: OpenBLAS's thread count is one process-wide
     * setting, so a task may not raise it without taking cores granted to its neighbours.
     *
     * @param n the thread budget, at least 1
     */
    public static <T> T withThreadLimit(int n, Supplier<T> call) {
        if (n < 1) {
            throw new Kernels4jException("thread limit must be at least 1, got " + n);
        }
        Integer outer = LIMIT.get();
        LOCK.lock();
        try {
            setBlasThreads(1);
        } finally {
            LOCK.unlock();
        }
        LIMIT.set(outer == null ? n : Math.min(n, outer));
        try {
            return call.get();
        } finally {
            if (outer == null) {
                LIMIT.remove();
            } else {
                LIMIT.set(outer);
            }
        }
    }

    /** The threads work started by the calling thread may use: its {@link #withThreadLimit} budget, else the global count. */
    static int effectiveThreads() {
        Integer limit = LIMIT.get();
        return limit == null ? threads : limit;
    }

    /** True on a worker thread inside {@link #forEachBlock}. */
    static boolean insideBlock() {
        return IN_BLOCK.get();
    }

    private static void setBlasThreads(int n) {
        if (blasThreads != n) {
            if (blasThreads < 0) { // the first BLAS call of this JVM: say which library runs it, and how
                openblas.blas_set_num_threads(n); // loads the library and finds its vendor
                threadSetter = cachedThreadSetter();
                LOG.log(System.Logger.Level.DEBUG, Parallelism::describeBlas);
            } else {
                threadSetter.accept(n);
            }
            blasThreads = n;
        }
    }

    /**
     * Sets OpenBLAS's thread count; chosen at the first BLAS call ({@link #cachedThreadSetter}). Only where it is the
     * cached pointer ({@link CachedSetter}) do small calls change the count for themselves.
     */
    private static IntConsumer threadSetter;

    /**
     * {@code openblas_set_num_threads} through one function pointer looked up once, where the library is OpenBLAS;
     * bytedeco's {@code blas_set_num_threads} otherwise. Why: bytedeco's call looks the function up by name in every
     * loaded library (and three MKL names before it) and allocates a new native function pointer each time: 0.4–0.9
     * ms per call on a 2-core Intel Xeon (2026-12-07), and the thread count changes twice per Gram matrix or
     * prediction (one thread per block task, all threads for one large call). A Gaussian-process evidence on 20 rows
     * took 4.3 ms instead of 0.7 ms, and {@code fit --model gp --bayesian vi} (1,700 evidences) most of its time, in
     * those look-ups. Through the cached pointer a change costs well under a microsecond.
     */
    private static IntConsumer cachedThreadSetter() {
        try {
            if (openblas.blas_get_vendor() == 2) { // bytedeco's code for OpenBLAS (3 is MKL)
                org.bytedeco.javacpp.Pointer f = org.bytedeco.javacpp.Loader.addressof("openblas_set_num_threads");
                if (f != null && !f.isNull()) {
                    return new CachedSetter(f);
                }
            }
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.DEBUG, () -> "OpenBLAS's thread setter could not be cached: " + e);
        }
        return openblas::blas_set_num_threads;
    }

    /** {@code openblas_set_num_threads} through bytedeco's native function-pointer type, allocated once. */
    private static final class CachedSetter implements IntConsumer {
        private final SetNumThreads function = new SetNumThreads();

        CachedSetter(org.bytedeco.javacpp.Pointer address) {
            function.put(address);
        }

        @Override
        public void accept(int n) {
            function.call(n);
        }
    }

    /** bytedeco's function-pointer class, whose no-argument constructor (allocating the native peer) is protected. */
    private static final class SetNumThreads extends org.bytedeco.openblas.presets.openblas_nolapack.SetNumThreads {
        SetNumThreads() {
            super();
        }
    }

    /**
     * One line naming the BLAS in use and the threads: e.g. {@code BLAS: OpenBLAS 0.3.31 DYNAMIC_ARCH
     * NO_AFFINITY Haswell MAX_THREADS=64, core Haswell; 2 threads for one large call, 1 per block task;
     * 2 kernels4j threads}. OpenBLAS's build and core type come from its {@code openblas_get_config} and
     * {@code openblas_get_corename}, which bytedeco maps only in its {@code openblas_full} class (a second
     * JNI library over the same {@code libopenblas}); where that cannot be loaded, or another vendor's
     * BLAS was loaded in its place (bytedeco's {@code org.bytedeco.openblas.load}), the vendor alone is named.
     */
    public static String describeBlas() {
        int vendor = openblas.blas_get_vendor(); // bytedeco's codes: 0 unknown, 1 cuBLAS, 2 OpenBLAS, 3 MKL
        String library;
        if (vendor == 2) {
            String build;
            try {
                build = org.bytedeco.openblas.global.openblas_full.openblas_get_config().getString().trim() + ", core "
                        + org.bytedeco.openblas.global.openblas_full.openblas_get_corename().getString().trim();
            } catch (LinkageError e) {
                build = "OpenBLAS (build and core type unavailable: " + e.getMessage() + ")";
            }
            library = build;
        } else {
            library = vendor == 3 ? "Intel MKL" : vendor == 1 ? "cuBLAS" : "unknown BLAS vendor " + vendor;
        }
        return "BLAS: " + library + "; " + threads + " threads for one large call, 1 per block task; " + threads
                + " kernels4j threads";
    }

    /**
     * Runs one call that may use a multi-threaded BLAS. Inside a block task it runs at once with
     * the single-threaded BLAS already in force.
     */
    public static <T> T blas(Supplier<T> call) {
        return blas(Long.MAX_VALUE, call);
    }

    /**
     * Below this many flops (2²⁴, about 0.5–1 ms of one core) a BLAS or LAPACK call runs on one thread: waking
     * OpenBLAS's other threads costs more than they save, and far more when another process holds the other cores.
     * Measured on a 2-core Intel Xeon (2026-12-07), best of many runs with the other core partly busy: {@code dpotrf}
     * gains nothing from a second thread below n ≈ 600 (n = 400: 1.08 ms on one, 1.04 on two), {@code dpotri} from
     * n ≈ 250 (n = 200: 0.37 / 0.34 ms; n = 400: 2.5 / 1.4 ms); on average, with the other core busy, a 20×20
     * {@code dpotrf} + {@code dpotri} took 0.2–0.9 ms on two threads and 6–15 µs on one, and a 200×200 {@code dpotri}
     * 5.4 ms.
     */
    static final long SMALL_CALL_FLOPS = 1L << 24;

    /**
     * {@link #blas(Supplier)} for a call of about {@code flops} floating-point operations: one BLAS thread when that is
     * below {@link #SMALL_CALL_FLOPS} (where OpenBLAS's thread count can be changed cheaply), all of them otherwise.
     */
    public static <T> T blas(long flops, Supplier<T> call) {
        return blas(flops, SMALL_CALL_FLOPS, call);
    }

    /**
     * Below this many flops (2²⁷) a LAPACK factorization or inversion ({@code dpotrf}, {@code dpotri}, {@code dtrtri},
     * {@code dlauum}, {@code dsygst}) runs on one thread: their blocked algorithms synchronize OpenBLAS's
     * threads at every panel, so a second thread gains little below n ≈ 600–800 (best case, 2-core Intel Xeon,
     * 2026-12-07: {@code dpotrf} n = 600 3.2 ms on one thread, 2.7 on two) and loses several-fold when the other core
     * is busy ({@code dpotrf} n = 442 with another process running: 2.6–10 ms on two threads; a Gaussian-process
     * evidence on 442 rows 15–27 ms against 8.5–9.3). About n = 740 for {@code dpotrf}, 585 for {@code dpotri}.
     */
    public static final long SMALL_FACTORIZATION_FLOPS = 1L << 27;

    /** {@link #blas(long, Supplier)} with another threshold: one BLAS thread below {@code oneThreadBelow} flops. */
    public static <T> T blas(long flops, long oneThreadBelow, Supplier<T> call) {
        if (insideBlock() || LIMIT.get() != null) { // a limited caller's BLAS stays single-threaded
            return call.get();
        }
        LOCK.lock();
        try {
            setBlasThreads(flops < oneThreadBelow && threadSetter instanceof CachedSetter ? 1 : threads);
            return call.get();
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code task.accept(b)} for every block {@code b} in {@code [0, count)} on the worker
     * threads, blocks handed out dynamically (so uneven blocks balance), BLAS single-threaded.
     * Returns when all are done; the first exception thrown by a task is rethrown.
     */
    public static void forEachBlock(int count, IntConsumer task) {
        if (count <= 0) {
            return;
        }
        if (insideBlock()) {
            for (int b = 0; b < count; b++) {
                task.accept(b);
            }
            return;
        }
        if (LIMIT.get() != null) {
            runOnOwnThreads(Math.min(LIMIT.get(), count), count, task);
            return;
        }
        LOCK.lock();
        try {
            setBlasThreads(1);
            int workers = Math.min(threads, count);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Runnable worker = worker(count, task, new AtomicInteger(), failure);
            if (workers == 1) {
                worker.run();
            } else {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 1; w < workers; w++) {
                    futures.add(pool().submit(worker));
                }
                worker.run();
                for (Future<?> f : futures) {
                    try {
                        f.get();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Kernels4jException("interrupted", e);
                    } catch (java.util.concurrent.ExecutionException e) {
                        failure.compareAndSet(null, e.getCause());
                    }
                }
            }
            rethrow(failure.get());
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code task.accept(i)} for every {@code i} in {@code [0, count)} on up to {@link #threads()}
     * threads, <em>also when called inside a block task</em>: for a one-off preparation (a feature map
     * of every input row) that the other block workers are waiting for, so that the threads are idle
     * otherwise. Tasks must not call BLAS. Items are handed out dynamically; the first exception
     * thrown by a task is rethrown.
     */
    public static void forEachPreparation(int count, IntConsumer task) {
        int workers = Math.min(effectiveThreads(), count);
        if (workers <= 1) {
            for (int i = 0; i < count; i++) {
                task.accept(i);
            }
            return;
        }
        runOnOwnThreads(workers, count, task);
    }

    /** Items 0..count−1 on the caller plus workers − 1 fresh daemon threads (no pool, no global lock). */
    private static void runOnOwnThreads(int workers, int count, IntConsumer task) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = worker(count, task, new AtomicInteger(), failure);
        Integer limit = LIMIT.get();
        Runnable helper = () -> { // helpers keep the caller's budget for work they start themselves
            LIMIT.set(limit);
            try {
                worker.run();
            } finally {
                LIMIT.remove();
            }
        };
        List<Thread> helpers = new ArrayList<>();
        for (int w = 1; w < workers; w++) {
            Thread t = new Thread(helper, "kernels4j-prepare-" + w);
            t.setDaemon(true);
            t.start();
            helpers.add(t);
        }
        worker.run();
        for (Thread t : helpers) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Kernels4jException("interrupted", e);
            }
        }
        rethrow(failure.get());
    }

    /**
     * A worker that takes items from {@code next} until all {@code count} are handed out or one failed,
     * marked as inside a block meanwhile (restoring the caller's mark after, for nested preparations).
     */
    private static Runnable worker(int count, IntConsumer task, AtomicInteger next, AtomicReference<Throwable> failure) {
        return () -> {
            boolean outer = IN_BLOCK.get();
            IN_BLOCK.set(Boolean.TRUE);
            try {
                int i;
                while (failure.get() == null && (i = next.getAndIncrement()) < count) {
                    task.accept(i);
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                IN_BLOCK.set(outer);
            }
        };
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException) {
            throw (RuntimeException) t;
        } else if (t instanceof Error) {
            throw (Error) t;
        } else if (t != null) {
            throw new Kernels4jException(t.toString(), t);
        }
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger id = new AtomicInteger();
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
                Thread t = new Thread(r, "kernels4j-worker-" + id.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return pool;
    }
}
