package org.kernels4j.gram;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Working buffers for the tasks of one parallel call: a task {@link #take}s one (made on demand, so there are at most
 * as many as tasks run at once) and {@link #give}s it back when done. Used instead of a per-call {@link ThreadLocal}:
 * the worker threads live as long as the JVM, and a per-call ThreadLocal's value stays reachable from each worker's
 * thread-local map after the call has returned, until the map happens to expunge it — with buffers of m·t doubles per
 * call (a hyperparameter search makes hundreds of calls) that retained gigabytes and ran the test JVM out of heap.
 * Here the buffers become garbage with the call.
 */
final class Scratch<T> {
    private final ConcurrentLinkedQueue<T> free = new ConcurrentLinkedQueue<>();
    private final Supplier<T> make;

    Scratch(Supplier<T> make) {
        this.make = make;
    }

    /** A free buffer, or a new one. */
    T take() {
        T t = free.poll();
        return t != null ? t : make.get();
    }

    /** Returns a buffer taken from this pool. */
    void give(T t) {
        free.offer(t);
    }
}
