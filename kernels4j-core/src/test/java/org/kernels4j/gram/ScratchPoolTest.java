package org.kernels4j.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.GramInputs;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;

/**
 * The per-call buffer pool of the Gram engine ({@link Scratch}) and the tile runner that uses it: a buffer is made
 * only when none is free, a returned one is handed out again, and a call of many tiles makes at most one block per
 * task running at once (the point of the pool: the old per-call ThreadLocals kept one per worker alive after the
 * call; a pool that never took buffers back would make one per tile).
 */
class ScratchPoolTest {

    @Test
    void aReturnedBufferIsHandedOutAgainAndABusyOneIsNot() {
        AtomicInteger made = new AtomicInteger();
        Scratch<double[]> pool = new Scratch<>(() -> {
            made.incrementAndGet();
            return new double[3];
        });
        double[] first = pool.take();
        assertEquals(1, made.get());
        double[] second = pool.take(); // the first is still taken: a new one
        assertNotSame(first, second);
        assertEquals(2, made.get());
        pool.give(first);
        assertSame(first, pool.take());
        assertEquals(2, made.get());
        pool.give(second);
        pool.give(first);
        Set<double[]> again = Collections.newSetFromMap(new IdentityHashMap<>());
        again.add(pool.take());
        again.add(pool.take());
        assertEquals(Set.of(), subtract(again, first, second));
        assertEquals(2, again.size());
        assertEquals(2, made.get());
    }

    /**
     * 300 tiles on the worker threads: every tile runs once, no block or buffer is used by two tiles at the same time,
     * at most one block per worker is made, and every made block is the one a tile saw.
     */
    @Test
    void manyTilesShareOneBlockPerRunningTask() {
        int tiles = 300;
        Matrix x = Matrix.wrap(4, 2, new double[] {0, 1, 2, 3, 4, 5, 6, 7});
        AtomicInteger made = new AtomicInteger();
        AtomicIntegerArray runs = new AtomicIntegerArray(tiles);
        Set<Object> busy = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        Set<Object> seen = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        AtomicInteger clashes = new AtomicInteger();
        try (GramInputs in = new GramInputs(x, x.columnMeans())) {
            GramEngine.runTiles(tiles, org.kernels4j.ProgressListener.NONE, 16, () -> {
                made.incrementAndGet();
                return new GramBlock(in, in, true, 16);
            }, (block, buffer, scratch, tile) -> {
                runs.incrementAndGet(tile);
                seen.add(block);
                for (Object o : new Object[] {block, buffer, scratch}) {
                    if (!busy.add(o)) {
                        clashes.incrementAndGet();
                    }
                }
                assertNotSame(buffer, scratch);
                Thread.onSpinWait();
                busy.remove(block);
                busy.remove(buffer);
                busy.remove(scratch);
            });
        }
        for (int t = 0; t < tiles; t++) {
            assertEquals(1, runs.get(t), "tile " + t);
        }
        assertEquals(0, clashes.get());
        assertTrue(made.get() >= 1 && made.get() <= Parallelism.threads(),
                made.get() + " blocks for " + Parallelism.threads() + " threads");
        assertEquals(made.get(), seen.size());
    }

    private static Set<double[]> subtract(Set<double[]> set, double[]... remove) {
        Set<double[]> rest = Collections.newSetFromMap(new IdentityHashMap<>());
        rest.addAll(set);
        for (double[] r : remove) {
            rest.remove(r);
        }
        return rest;
    }
}
