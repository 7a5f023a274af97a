package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/** Per-caller thread budgets ({@link Parallelism#withThreadLimit}), as a Spark task uses them. */
class ParallelismLimitTest {

    @Test
    void limitOfOneRunsEveryBlockOnTheCaller() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray hits = new AtomicIntegerArray(50);
        Thread caller = Thread.currentThread();
        Parallelism.withThreadLimit(1, () -> {
            assertEquals(1, Parallelism.effectiveThreads());
            Parallelism.forEachBlock(50, b -> {
                seen.add(Thread.currentThread());
                hits.incrementAndGet(b);
            });
            return null;
        });
        assertEquals(Set.of(caller), seen);
        for (int b = 0; b < 50; b++) {
            assertEquals(1, hits.get(b), "block " + b);
        }
        assertEquals(Parallelism.threads(), Parallelism.effectiveThreads(), "the budget ends with the call");
    }

    @Test
    void limitOfTwoUsesTwoThreadsAndCoversEveryBlockOnce() throws Exception {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        AtomicIntegerArray hits = new AtomicIntegerArray(40);
        CountDownLatch both = new CountDownLatch(2);
        Parallelism.withThreadLimit(2, () -> {
            Parallelism.forEachBlock(40, b -> {
                if (seen.add(Thread.currentThread())) {
                    both.countDown();
                    try { // the first block on each thread waits for the other: proves two run at once
                        assertTrue(both.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
                hits.incrementAndGet(b);
            });
            return null;
        });
        assertEquals(2, seen.size());
        for (int b = 0; b < 40; b++) {
            assertEquals(1, hits.get(b), "block " + b);
        }
    }

    @Test
    void nestedLimitsTakeTheSmallerAndRestoreTheOuter() {
        int inner = Parallelism.withThreadLimit(3, () -> {
            int v = Parallelism.withThreadLimit(5, Parallelism::effectiveThreads);
            assertEquals(3, Parallelism.effectiveThreads());
            return v;
        });
        assertEquals(3, inner);
        assertEquals(2, (int) Parallelism.withThreadLimit(4, () -> Parallelism.withThreadLimit(2,
                Parallelism::effectiveThreads)));
        assertThrows(Kernels4jException.class, () -> Parallelism.withThreadLimit(0, () -> null));
    }

    @Test
    void anInnerSmallerLimitGivesTheOuterBudgetBack() {
        Parallelism.withThreadLimit(4, () -> {
            assertEquals(2, (int) Parallelism.withThreadLimit(2, Parallelism::effectiveThreads));
            assertEquals(4, Parallelism.effectiveThreads(), "the outer budget after the inner call");
            return null;
        });
    }

    /**
     * Under a budget of 2 with 4 threads set globally: exactly two threads take the three blocks (each block
     * holds its thread 200 ms, time for a third to join if one were started), the helper is a daemon and keeps
     * the caller's budget for work it starts, and a block's failure reaches the caller.
     */
    @Test
    void helpersStayWithinTheBudgetKeepItAndReportFailures() {
        int saved = Parallelism.threads();
        Parallelism.setThreads(4);
        try {
            Thread caller = Thread.currentThread();
            Set<Thread> seen = ConcurrentHashMap.newKeySet();
            java.util.List<Integer> budgets = new java.util.concurrent.CopyOnWriteArrayList<>();
            java.util.List<Boolean> daemons = new java.util.concurrent.CopyOnWriteArrayList<>();
            CountDownLatch both = new CountDownLatch(2);
            Parallelism.withThreadLimit(2, () -> {
                Parallelism.forEachBlock(3, b -> {
                    if (seen.add(Thread.currentThread())) {
                        both.countDown();
                    }
                    try {
                        assertTrue(both.await(10, TimeUnit.SECONDS));
                        Thread.sleep(200);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    budgets.add(Parallelism.effectiveThreads());
                    if (Thread.currentThread() != caller) {
                        daemons.add(Thread.currentThread().isDaemon());
                    }
                });
                return null;
            });
            assertEquals(2, seen.size(), "threads under a budget of 2");
            assertEquals(java.util.List.of(2, 2, 2), budgets);
            assertFalse(daemons.isEmpty());
            assertTrue(daemons.stream().allMatch(d -> d), "helpers are daemons");
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Parallelism.withThreadLimit(2, () -> {
                        Parallelism.forEachBlock(4, b -> {
                            if (b == 2) {
                                throw new IllegalStateException("block 2");
                            }
                        });
                        return null;
                    }));
            assertEquals("block 2", e.getMessage());
        } finally {
            Parallelism.setThreads(saved);
        }
    }
}
