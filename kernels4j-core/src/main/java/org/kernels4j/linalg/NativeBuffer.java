package org.kernels4j.linalg;

import org.bytedeco.javacpp.DoublePointer;

/**
 * An off-heap array of doubles for repeated BLAS calls on parts of one large array.
 *
 * <p>Why it exists: the BLAS binding copies a Java {@code double[]} in and out on every call,
 * which is harmless for one big factorization but ruinous for thousands of small GEMMs over
 * tiles of the same inputs (the Gram engine). Inputs are copied here once; each tile's GEMM then
 * reads them in place.
 */
public final class NativeBuffer implements AutoCloseable {
    private final DoublePointer pointer;
    private final long length;

    /** Allocates {@code length} uninitialised doubles off the heap. */
    public NativeBuffer(long length) {
        this.length = length;
        this.pointer = new DoublePointer(Math.max(1, length));
    }

    /** A buffer holding a copy of {@code values}. */
    public static NativeBuffer copyOf(double[] values) {
        NativeBuffer b = new NativeBuffer(values.length);
        b.pointer.position(0).put(values, 0, values.length);
        return b;
    }

    /** Number of doubles. */
    public long length() {
        return length;
    }

    /** Copies {@code count} values starting at {@code offset} here into {@code dst[dstOffset..]}. */
    public void copyTo(long offset, double[] dst, int dstOffset, int count) {
        new DoublePointer(pointer).position(offset).get(dst, dstOffset, count);
    }

    /** Copies {@code src[srcOffset .. srcOffset+count)} into this buffer starting at {@code offset}. */
    public void copyFrom(double[] src, int srcOffset, long offset, int count) {
        new DoublePointer(pointer).position(offset).put(src, srcOffset, count);
    }

    /** Element {@code i}; one native call. */
    public double get(long i) {
        return pointer.get(i);
    }

    /** Sets element {@code i}; one native call. */
    public void set(long i, double v) {
        pointer.put(i, v);
    }

    /**
     * An untyped pointer to element {@code offset}, for functions declared with {@code void*} (the complex
     * BLAS routines): JavaCPP adds an untyped pointer's position in bytes, not in doubles.
     */
    org.bytedeco.javacpp.Pointer untypedAt(long offset) {
        return new org.bytedeco.javacpp.Pointer(pointer).capacity(length * Double.BYTES).limit(length * Double.BYTES)
                .position(offset * Double.BYTES);
    }

    DoublePointer at(long offset) {
        return new DoublePointer(pointer).position(offset);
    }

    @Override
    public synchronized void close() {
        if (!pointer.isNull()) {
            pointer.deallocate();
        }
    }
}
