package org.kernels4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0). Writing produces little-endian
 * float64, C order. Reading accepts 0-, 1- and 2-dimensional arrays of float64, float32, int64,
 * int32, int16, int8 and uint8 in either byte order and either memory order, and checks that the
 * data length matches the shape exactly (a truncated file is an error, never zeros).
 * 1-D arrays of length n read as n×1 matrices.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([fiu])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The bytes of a float64 .npy file holding m (2-D, rows × cols). */
    public static void write(Matrix m, OutputStream out) throws IOException {
        String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        boolean v2 = unpadded + 64 > 65535;
        int prefix = MAGIC.length + 2 + (v2 ? 4 : 2);
        int total = ((prefix + dict.length() + 1 + 63) / 64) * 64;
        StringBuilder header = new StringBuilder(dict);
        while (prefix + header.length() + 1 < total) {
            header.append(' ');
        }
        header.append('\n');
        out.write(MAGIC);
        out.write(v2 ? 2 : 1);
        out.write(0);
        int hlen = header.length();
        if (v2) {
            out.write(new byte[] {(byte) hlen, (byte) (hlen >>> 8), (byte) (hlen >>> 16), (byte) (hlen >>> 24)});
        } else {
            out.write(new byte[] {(byte) hlen, (byte) (hlen >>> 8)});
        }
        out.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
        double[] d = m.data();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : d) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putDouble(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** The .npy bytes of m. */
    public static byte[] toBytes(Matrix m) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream(128 + m.data().length * 8);
            write(m, bos);
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes m to a file atomically. */
    public static void write(Matrix m, Path file) {
        AtomicFiles.write(file, out -> write(m, out));
    }

    /** Reads a .npy file. */
    public static Matrix read(Path file) {
        try {
            return read(Files.readAllBytes(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new Kernels4jException(file + ": no such file");
        } catch (IOException e) {
            throw new Kernels4jException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses .npy bytes; {@code name} is used in messages. */
    public static Matrix read(byte[] bytes, String name) {
        if (bytes.length < 10) {
            throw new Kernels4jException(name + ": not a .npy file (too short)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new Kernels4jException(name + ": not a .npy file (bad magic bytes)");
            }
        }
        int major = bytes[6] & 0xff;
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLen;
        int start;
        if (major == 1) {
            headerLen = bb.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new Kernels4jException(name + ": .npy header is truncated");
            }
            headerLen = bb.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new Kernels4jException(name + ": unsupported .npy format version " + major);
        }
        if (start + headerLen > bytes.length) {
            throw new Kernels4jException(name + ": .npy header is truncated");
        }
        String header = new String(bytes, start, (int) headerLen,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher md = DESCR.matcher(header);
        Matcher mf = FORTRAN.matcher(header);
        Matcher ms = SHAPE.matcher(header);
        if (!md.find() || !mf.find() || !ms.find()) {
            throw new Kernels4jException(name + ": unsupported .npy header " + header.trim()
                    + " (need a numeric dtype such as '<f8')");
        }
        ByteOrder order = md.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = md.group(2).charAt(0);
        int size = Integer.parseInt(md.group(3));
        boolean fortran = mf.group(1).equals("True");
        String[] dims = ms.group(1).trim().isEmpty() ? new String[0] : ms.group(1).split(",");
        long[] shape = new long[dims.length];
        int nd = 0;
        for (String dim : dims) {
            if (dim.isBlank()) {
                continue;
            }
            try {
                shape[nd++] = Long.parseLong(dim.trim());
            } catch (NumberFormatException e) {
                throw new Kernels4jException(name + ": bad .npy shape (" + ms.group(1) + ")");
            }
        }
        if (nd > 2) {
            throw new Kernels4jException(name + ": a " + nd + "-dimensional array cannot be read as a matrix");
        }
        long rows = nd == 0 ? 1 : shape[0];
        long cols = nd == 2 ? shape[1] : 1;
        if (rows < 0 || cols < 0 || rows * cols > Integer.MAX_VALUE - 8) {
            throw new Kernels4jException(name + ": array shape " + rows + "x" + cols + " is too large or invalid");
        }
        boolean supported = (kind == 'f' && (size == 8 || size == 4)) || (kind == 'i' && (size == 8 || size == 4
                || size == 2 || size == 1)) || (kind == 'u' && size == 1);
        if (!supported) {
            throw new Kernels4jException(name + ": unsupported .npy dtype " + md.group(0));
        }
        long count = rows * cols;
        long dataStart = start + headerLen;
        long expected = dataStart + count * size;
        if (bytes.length < expected) {
            throw new Kernels4jException(name + ": .npy data is truncated: expected " + count * size + " bytes for shape "
                    + rows + "x" + cols + ", found " + (bytes.length - dataStart));
        }
        if (bytes.length > expected) {
            throw new Kernels4jException(name + ": .npy file has " + (bytes.length - expected)
                    + " unexpected bytes after the data");
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, (int) dataStart, (int) (count * size)).slice().order(order);
        Matrix m = new Matrix((int) rows, (int) cols);
        double[] out = m.data();
        for (int k = 0; k < count; k++) {
            double v;
            if (kind == 'f') {
                v = size == 8 ? data.getDouble(k * 8) : data.getFloat(k * 4);
            } else if (kind == 'u') {
                v = data.get(k) & 0xff;
            } else {
                v = size == 8 ? data.getLong(k * 8) : size == 4 ? data.getInt(k * 4)
                        : size == 2 ? data.getShort(k * 2) : data.get(k);
            }
            if (fortran) {
                int i = (int) (k % rows);
                int j = (int) (k / rows);
                out[i * (int) cols + j] = v;
            } else {
                out[k] = v;
            }
        }
        return m;
    }
}
