package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.Kernels4jException;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.linalg.Matrix;

/**
 * The .npy format against the NumPy format specification (NEP 1: magic, version, little-endian
 * header length, a header padded with spaces and ended by a newline so that magic + version + length
 * field + header is a multiple of 64; the data in C order), read back from hand-built bytes of every
 * supported dtype, byte order, memory order, rank and header version, and every refusal; model.json's
 * layout read with a plain JSON parser; atomic writes and their checks.
 */
class NpyAndModelFileFormatTest {
    @TempDir
    Path dir;

    /** A .npy file built by hand from the spec: version 1 unless the header needs the 4-byte length. */
    private static byte[] npy(int major, String dict, byte[] data) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        byte[] h = (dict + "\n").getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        if (major == 1) {
            b.writeBytes(new byte[] {(byte) h.length, (byte) (h.length >>> 8)});
        } else {
            b.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(h.length).array());
        }
        b.writeBytes(h);
        b.writeBytes(data);
        return b.toByteArray();
    }

    private static byte[] values(ByteOrder order, int size, char kind, double... v) {
        ByteBuffer bb = ByteBuffer.allocate(v.length * size).order(order);
        for (double x : v) {
            if (kind == 'f') {
                if (size == 8) {
                    bb.putDouble(x);
                } else {
                    bb.putFloat((float) x);
                }
            } else if (size == 8) {
                bb.putLong((long) x);
            } else if (size == 4) {
                bb.putInt((int) x);
            } else if (size == 2) {
                bb.putShort((short) x);
            } else {
                bb.put((byte) (int) x);
            }
        }
        return bb.array();
    }

    private static void refused(byte[] bytes, String fragment) {
        var e = assertThrows(Kernels4jException.class, () -> Npy.read(bytes, "f.npy"));
        assertTrue(e.getMessage().startsWith("f.npy: ") && e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void writtenBytesFollowTheSpecification() {
        for (int[] shape : new int[][] {{2, 3}, {1, 1}, {0, 4}, {123456, 1}}) {
            Matrix m = new Matrix(shape[0], shape[1]);
            for (int k = 0; k < m.data().length; k++) {
                m.data()[k] = k * 0.5 - 7;
            }
            byte[] b = Npy.toBytes(m);
            assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, java.util.Arrays.copyOf(b, 8));
            int hlen = (b[8] & 0xff) | (b[9] & 0xff) << 8;
            assertEquals(0, (10 + hlen) % 64, "magic + version + length + header is a multiple of 64");
            String header = new String(b, 10, hlen, StandardCharsets.ISO_8859_1);
            String dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + shape[0] + ", " + shape[1] + "), }";
            assertTrue(header.startsWith(dict), header);
            assertTrue(header.endsWith("\n") && header.substring(dict.length(), hlen - 1).isBlank(), "space padding, newline");
            assertTrue(hlen - 1 - dict.length() < 64, "no more padding than needed");
            assertEquals(10 + hlen + 8L * m.data().length, b.length);
            ByteBuffer data = ByteBuffer.wrap(b, 10 + hlen, b.length - 10 - hlen).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < m.data().length; k++) {
                assertEquals(m.data()[k], data.getDouble(), "value " + k); // C order, little-endian float64
            }
            assertEquals(0.0, Npy.read(b, "x").maxAbsDifference(m));
        }
    }

    @Test
    void everySupportedDtypeOrderAndVersionReads() {
        double[] v = {1, -2, 3, 100, -128, 127};
        String[] descr = {"<f8", ">f8", "<f4", ">f4", "<i8", ">i8", "<i4", ">i4", "<i2", ">i2", "|i1", "=f8"};
        for (String d : descr) {
            ByteOrder order = d.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            int size = d.charAt(2) - '0';
            for (int major = 1; major <= 3; major++) {
                byte[] b = npy(major, "{'descr': '" + d + "', 'fortran_order': False, 'shape': (2, 3), }",
                        values(order, size, d.charAt(1), v));
                Matrix m = Npy.read(b, "x");
                assertEquals(2, m.rows());
                assertEquals(3, m.cols());
                assertArrayEquals(v, m.data(), d + " v" + major);
            }
        }
        // uint8 reads 0..255, not as a signed byte
        Matrix u = Npy.read(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }",
                new byte[] {0, (byte) 200, (byte) 255}), "u");
        assertArrayEquals(new double[] {0, 200, 255}, u.data());
        assertEquals(3, u.rows());
        assertEquals(1, u.cols());
        // Fortran order, 2×3: stored column by column
        Matrix f = Npy.read(npy(1, "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }",
                values(ByteOrder.LITTLE_ENDIAN, 8, 'f', 1, 4, 2, 5, 3, 6)), "f");
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, f.data());
        // 0-d: one value; empty shapes; spaces in the shape
        Matrix scalar = Npy.read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (), }",
                values(ByteOrder.LITTLE_ENDIAN, 8, 'f', 2.5)), "s");
        assertEquals(1, scalar.rows());
        assertEquals(1, scalar.cols());
        assertEquals(2.5, scalar.get(0, 0));
        Matrix empty = Npy.read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 5), }", new byte[0]), "e");
        assertEquals(0, empty.rows());
        assertEquals(5, empty.cols());
        Matrix spaced = Npy.read(npy(1, "{'descr':'<i4','fortran_order':False,'shape':( 1 , 2 )}",
                values(ByteOrder.LITTLE_ENDIAN, 4, 'i', 7, 8)), "sp");
        assertArrayEquals(new double[] {7, 8}, spaced.data());
        // a header of exactly the 10 + 0 minimum, and a v2 header with its 12-byte prefix
        assertEquals(2, Npy.read(npy(2, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }",
                values(ByteOrder.LITTLE_ENDIAN, 8, 'i', 1, 2)), "v2").rows());
    }

    @Test
    void everyRefusalNamesTheFileAndTheProblem() {
        byte[] good = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }",
                values(ByteOrder.LITTLE_ENDIAN, 8, 'f', 1, 2));
        Npy.read(good, "ok");
        refused(java.util.Arrays.copyOf(good, 9), "too short");
        for (int i = 0; i < 6; i++) {
            byte[] b = good.clone();
            b[i] ^= 0x20;
            refused(b, "bad magic bytes");
        }
        byte[] v4 = good.clone();
        v4[6] = 4;
        refused(v4, "unsupported .npy format version 4");
        byte[] v0 = good.clone();
        v0[6] = 0;
        refused(v0, "unsupported .npy format version 0");
        refused(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 1, 0, 0}, "header is truncated");
        byte[] longHeader = good.clone();
        longHeader[8] = (byte) 0xff;
        longHeader[9] = (byte) 0x7f;
        refused(longHeader, "header is truncated");
        refused(npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", new byte[2]), "unsupported .npy dtype");
        refused(npy(1, "{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }", new byte[2]), "unsupported .npy dtype");
        refused(npy(1, "{'descr': '<i3', 'fortran_order': False, 'shape': (1,), }", new byte[3]), "unsupported .npy dtype");
        refused(npy(1, "{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]), "unsupported .npy header");
        refused(npy(1, "{'descr': '<f8', 'shape': (1,), }", new byte[8]), "unsupported .npy header");
        refused(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }", new byte[8]),
                "a 3-dimensional array cannot be read as a matrix");
        refused(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (a, 1), }", new byte[8]), "bad .npy shape");
        refused(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 1), }", new byte[0]), "too large or invalid");
        refused(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, -1), }", new byte[0]), "too large or invalid");
        refused(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (65536, 32768), }", new byte[0]),
                "too large or invalid");
        var cut = assertThrows(Kernels4jException.class, () -> Npy.read(java.util.Arrays.copyOf(good, good.length - 1), "f"));
        assertTrue(cut.getMessage().endsWith("data is truncated: expected 16 bytes for shape 2x1, found 15"), cut.getMessage());
        // the length checks' edges: exactly 10 bytes (a v1 prefix, empty header) and exactly 12 (v2 prefix)
        refused(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0, 0}, "unsupported .npy header");
        refused(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, 0, 0, 0, 0}, "unsupported .npy header");
        // version 3 headers are UTF-8, versions 1 and 2 Latin-1: the refused header is quoted as decoded
        refused(npy(3, "{'descr': 'é'}", new byte[0]), "{'descr': 'é'}");
        refused(npy(2, "{'descr': 'é'}", new byte[0]), "{'descr': 'é'}");
        // a zero column count is legal; the largest legal element count is Integer.MAX_VALUE − 8
        assertEquals(3, Npy.read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 0), }", new byte[0]), "z")
                .rows());
        refused(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2147483639,), }", new byte[0]),
                "data is truncated: expected 2147483639 bytes");
        refused(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2147483640,), }", new byte[0]),
                "too large or invalid");
        refused(java.util.Arrays.copyOf(good, good.length + 3), "3 unexpected bytes after the data");
        var e = assertThrows(Kernels4jException.class, () -> Npy.read(dir.resolve("none.npy")));
        assertTrue(e.getMessage().contains("none.npy: no such file"), e.getMessage());
    }

    @Test
    void npyFilesAreWrittenAtomically() throws IOException {
        Path f = dir.resolve("a.npy");
        Matrix m = Matrix.of(new double[][] {{1, 2}, {3, 4}});
        Npy.write(m, f);
        assertEquals(0.0, Npy.read(f).maxAbsDifference(m));
        Npy.write(Matrix.of(new double[][] {{5}}), f); // replaced
        assertEquals(5.0, Npy.read(f).get(0, 0));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
    }

    @Test
    void modelJsonLayout() throws IOException {
        Matrix x = Matrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}});
        KernelDensity f = KernelDensity.fit(KernelDensity.Profile.LINEAR, x, new double[] {1, 2, 3},
                KernelDensity.scalar(0.5, 2));
        Path file = dir.resolve("kde.zip");
        ModelFiles.save(new SavedModel(f, List.of("u", "v"), null), file);
        assertEquals("kde", ModelFiles.kind(file));
        JsonNode root;
        java.util.Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        try (var z = new java.util.zip.ZipFile(file.toFile())) {
            var en = z.entries();
            while (en.hasMoreElements()) {
                var e = en.nextElement();
                entries.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        assertEquals(List.of("model.json", "points.npy", "weights.npy", "bandwidth.npy", "checksums.sha256"),
                List.copyOf(entries.keySet()));
        root = new ObjectMapper().readTree(entries.get("model.json"));
        assertEquals(ModelFiles.FORMAT, root.get("format").asText());
        assertEquals(1, root.get("version").asInt());
        assertEquals("kde", root.get("kind").asText());
        assertEquals("linear", root.get("kernel").asText());
        assertEquals("u", root.get("feature_names").get(0).asText());
        assertTrue(!root.has("target_name"), "no target name saved when there is none");
        assertEquals("points.npy", root.get("arrays").get("points").get("file").asText());
        assertEquals(3, root.get("arrays").get("points").get("shape").get(0).asInt());
        assertEquals(2, root.get("arrays").get("points").get("shape").get(1).asInt());
        assertEquals(0.0, Npy.read(entries.get("weights.npy"), "w").maxAbsDifference(Matrix.column(new double[] {1, 2, 3})));
        // the checksums: one sha256sum line per other entry
        String sums = new String(entries.get("checksums.sha256"), StandardCharsets.UTF_8);
        assertEquals(4, sums.lines().count());
        for (String line : sums.lines().toList()) {
            String name = line.substring(66);
            assertEquals(ModelFiles.sha256(entries.get(name)), line.substring(0, 64));
            assertEquals("  ", line.substring(64, 66));
        }
        // a known SHA-256 test vector (FIPS 180-2): "abc"
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                ModelFiles.sha256("abc".getBytes(StandardCharsets.US_ASCII)));
        SavedModel back = ModelFiles.load(file);
        assertEquals(null, back.targetName());
        // the same model gives the same bytes: every entry is stamped 2000-01-01 00:00
        try (var z = new java.util.zip.ZipFile(file.toFile())) {
            var en = z.entries();
            while (en.hasMoreElements()) {
                assertEquals(java.time.LocalDateTime.of(2000, 1, 1, 0, 0), en.nextElement().getTimeLocal());
            }
        }
        Path again = dir.resolve("again.zip");
        ModelFiles.save(new SavedModel(f, List.of("u", "v"), null), again);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(again));
        // feature names must match the model
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.save(f, List.of("u"), dir.resolve("bad.zip")));
        assertTrue(e.getMessage().contains("1 feature names for a model of 2 features"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("bad.zip")));
        assertThrows(Kernels4jException.class, () -> new SavedModel(null, List.of(), null));
        e = assertThrows(Kernels4jException.class, () -> back.as(org.kernels4j.regression.KernelRidgeModel.class, "a krr"));
        assertTrue(e.getMessage().contains("this is a 'kde' model, not a krr"), e.getMessage());
        assertTrue(back.as(KernelDensity.class, "kde") instanceof KernelDensity);
    }

    @Test
    void atomicWriteChecks() throws IOException {
        Path sub = dir.resolve("sub");
        Files.createDirectory(sub);
        var e = assertThrows(Kernels4jException.class, () -> AtomicFiles.writeString(dir.resolve("nope/x.txt"), "a"));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> AtomicFiles.writeString(sub, "a"));
        assertTrue(e.getMessage().contains("it is a directory"), e.getMessage());
        Path in = dir.resolve("in.csv");
        Files.writeString(in, "x");
        e = assertThrows(Kernels4jException.class, () -> AtomicFiles.checkWritable(in, dir.resolve("other.csv"), in));
        assertTrue(e.getMessage().contains("it is the input file"), e.getMessage());
        AtomicFiles.checkWritable(dir.resolve("new.csv"), in); // a new file beside an input: fine
        AtomicFiles.checkWritable(in, dir.resolve("other.csv"), null); // other inputs: fine
        AtomicFiles.writeString(in, "replaced");
        assertEquals("replaced", Files.readString(in));
        Path rel = Path.of("target", "atomic-" + System.nanoTime() + ".txt");
        if (Files.isDirectory(Path.of("target"))) {
            AtomicFiles.writeString(rel, "relative");
            assertEquals("relative", Files.readString(rel));
            Files.delete(rel);
        }
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "sub and in.csv only: no temporary file left");
        }
        // a replaced file keeps its permissions
        if (in.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            var perms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
            Files.setPosixFilePermissions(in, perms);
            AtomicFiles.writeString(in, "again");
            assertEquals(perms, Files.getPosixFilePermissions(in));
        }
    }
}
