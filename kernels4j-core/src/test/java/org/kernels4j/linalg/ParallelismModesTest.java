package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.bytedeco.openblas.global.openblas_full;
import org.junit.jupiter.api.Test;

/**
 * The two modes of {@link Parallelism} as its class comment states them, observed from outside: block tasks
 * run at once on the caller and daemon workers with OpenBLAS at one thread ({@code openblas_get_num_threads},
 * read from the library itself), one large call gets every thread, preparations run in parallel, a new
 * thread count retires the old workers, and every entry point gives the global lock back (another thread
 * can enter at once). Each test sets two threads and restores the count it found.
 */
class ParallelismModesTest {

    private static void await(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(10, TimeUnit.SECONDS), what);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A call below {@link Parallelism#SMALL_CALL_FLOPS} runs on one OpenBLAS thread, a larger one on all of them, in
     * any order and as often as asked (each change goes through the cached setter; the count is read back from the
     * library itself); a small product on one thread is still the product.
     */
    @Test
    void smallCallsRunOnOneThreadAndLargeOnesOnAll() {
        int saved = Parallelism.threads();
        Parallelism.setThreads(2);
        try {
            for (int round = 0; round < 5; round++) {
                assertEquals(1, (int) Parallelism.blas(Parallelism.SMALL_CALL_FLOPS - 1,
                        openblas_full::openblas_get_num_threads), "small call, round " + round);
                assertEquals(2, (int) Parallelism.blas(Parallelism.SMALL_CALL_FLOPS,
                        openblas_full::openblas_get_num_threads), "large call, round " + round);
                assertEquals(2, (int) Parallelism.blas(openblas_full::openblas_get_num_threads), "size unknown");
                long f = Parallelism.SMALL_FACTORIZATION_FLOPS;
                assertEquals(1, (int) Parallelism.blas(f - 1, f, openblas_full::openblas_get_num_threads));
                assertEquals(2, (int) Parallelism.blas(f, f, openblas_full::openblas_get_num_threads));
            }
            // gemm on 3×2 by 2×4: the 24 products summed by hand
            Matrix a = Matrix.wrap(3, 2, new double[] {1, 2, 3, 4, 5, 6});
            Matrix b = Matrix.wrap(2, 4, new double[] {7, 8, 9, 10, 11, 12, 13, 14});
            Matrix c = new Matrix(3, 4);
            Blas.gemm(false, false, 1, a, b, 0, c);
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 4; j++) {
                    assertEquals(a.get(i, 0) * b.get(0, j) + a.get(i, 1) * b.get(1, j), c.get(i, j), 0.0);
                }
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void blocksRunAtOnceOnDaemonWorkersWithSingleThreadedBlasAndOneLargeCallGetsEveryThread() throws Exception {
        int saved = Parallelism.threads();
        Parallelism.setThreads(2);
        try {
            assertEquals(2, (int) Parallelism.blas(openblas_full::openblas_get_num_threads), "one large call");
            Thread caller = Thread.currentThread();
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            List<Integer> blasInside = new CopyOnWriteArrayList<>();
            List<Thread> workers = new CopyOnWriteArrayList<>();
            AtomicIntegerArray hits = new AtomicIntegerArray(6);
            CountDownLatch both = new CountDownLatch(2);
            Parallelism.forEachBlock(6, b -> {
                if (seen.add(Thread.currentThread())) { // the first block on each thread waits for the other
                    both.countDown();
                    await(both, "two block threads at once");
                }
                blasInside.add(openblas_full.openblas_get_num_threads());
                if (Thread.currentThread() != caller) {
                    workers.add(Thread.currentThread());
                }
                hits.incrementAndGet(b);
            });
            assertEquals(2, seen.size());
            assertTrue(seen.contains(caller), "the caller works too");
            for (int b = 0; b < 6; b++) {
                assertEquals(1, hits.get(b), "block " + b);
            }
            assertEquals(6, blasInside.size());
            assertTrue(blasInside.stream().allMatch(t -> t == 1), "BLAS inside blocks: " + blasInside);
            assertTrue(workers.stream().allMatch(Thread::isDaemon), "workers are daemons");
            assertEquals(2, (int) Parallelism.blas(openblas_full::openblas_get_num_threads), "back to every thread");

            Thread worker = workers.get(0);
            Parallelism.setThreads(2); // a new count retires the old pool
            worker.join(10_000);
            assertFalse(worker.isAlive(), "the old pool's worker ended");
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void aCallerWithAThreadBudgetGetsSingleThreadedBlas() {
        int saved = Parallelism.threads();
        Parallelism.setThreads(2);
        try {
            assertEquals(2, (int) Parallelism.blas(openblas_full::openblas_get_num_threads), "one large call");
            assertEquals(1, (int) Parallelism.withThreadLimit(2,
                    () -> Parallelism.blas(openblas_full::openblas_get_num_threads)), "under a budget");
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    /** Preparations and budgeted blocks return only when every item is done, the helpers' last ones too. */
    @Test
    void theCallerWaitsForItsHelpersLastItems() {
        int saved = Parallelism.threads();
        Parallelism.setThreads(2);
        try {
            Thread caller = Thread.currentThread();
            for (String mode : List.of("preparation", "budgeted block")) {
                java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
                CountDownLatch both = new CountDownLatch(2);
                java.util.function.IntConsumer item = i -> {
                    both.countDown();
                    await(both, "one item per thread");
                    if (Thread.currentThread() != caller) { // the helper's item ends last
                        try {
                            Thread.sleep(300);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    done.incrementAndGet();
                };
                if (mode.equals("preparation")) {
                    Parallelism.forEachPreparation(2, item);
                } else {
                    Parallelism.withThreadLimit(2, () -> {
                        Parallelism.forEachBlock(2, item);
                        return null;
                    });
                }
                assertEquals(2, done.get(), mode + ": items done on return");
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void preparationsRunAtOnceAndTheirFailureIsRethrown() {
        int saved = Parallelism.threads();
        Parallelism.setThreads(2);
        try {
            CountDownLatch both = new CountDownLatch(2);
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            Parallelism.forEachPreparation(2, i -> {
                seen.add(Thread.currentThread());
                both.countDown();
                await(both, "two preparations at once");
            });
            assertEquals(2, seen.size());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Parallelism.forEachPreparation(5, i -> {
                        if (i == 3) {
                            throw new IllegalStateException("item 3");
                        }
                    }));
            assertEquals("item 3", e.getMessage());
        } finally {
            Parallelism.setThreads(saved);
        }
    }

    @Test
    void everyEntryPointGivesTheGlobalLockBack() throws Exception {
        int saved = Parallelism.threads();
        List<Runnable> calls = List.of(
                () -> Parallelism.setThreads(2),
                () -> Parallelism.withThreadLimit(1, () -> null),
                () -> Parallelism.blas(() -> null),
                () -> Parallelism.forEachBlock(3, b -> { }));
        List<String> names = List.of("setThreads", "withThreadLimit", "blas", "forEachBlock");
        try {
            for (int c = 0; c < calls.size(); c++) {
                calls.get(c).run();
                FutureTask<Integer> other = new FutureTask<>(() -> Parallelism.blas(() -> 7));
                Thread t = new Thread(other, "other-caller");
                t.setDaemon(true); // left blocked, not joined, if the lock was kept
                t.start();
                assertEquals(7, (int) other.get(10, TimeUnit.SECONDS), names.get(c) + " gave the lock back");
            }
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
