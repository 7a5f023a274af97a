package org.kernels4j.io.onnx;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One protobuf message being written, field by field, with protobuf-java's {@link CodedOutputStream}.
 * The exporter writes ONNX's {@code ModelProto} this way instead of through classes generated from
 * {@code onnx.proto}: the handful of messages it needs are a few dozen lines, and generation would
 * need the {@code protoc} binary at build time. The field numbers are those of onnx.proto (IR
 * version 10), named in {@link Onnx}'s constants where they are used.
 */
final class Proto {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    /** An int64 (or int32 or enum) field, written even when 0 (proto2 {@code optional}). */
    Proto int64(int field, long value) {
        try {
            out.writeInt64(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A string field (UTF-8). */
    Proto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bytes field. */
    Proto bytes(int field, byte[] value) {
        try {
            out.writeByteArray(field, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** An embedded message field. */
    Proto message(int field, Proto value) {
        return bytes(field, value.toBytes());
    }

    /** The message's encoding. */
    byte[] toBytes() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Doubles as little-endian IEEE 754 bytes: ONNX's {@code TensorProto.raw_data} layout for DOUBLE. */
    static byte[] littleEndian(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return b.array();
    }

    /** int64 values as little-endian bytes ({@code raw_data} for INT64). */
    static byte[] littleEndian(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return b.array();
    }
}
