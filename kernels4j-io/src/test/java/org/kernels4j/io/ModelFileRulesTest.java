package org.kernels4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.kernels4j.regression.KernelRidgeModel;

/**
 * The model-file archive rules, each checked on a file rebuilt by this test's own zip writer and
 * SHA-256 lister (not the library's), so that every other rule still holds and only the one under
 * test is broken.
 */
class ModelFileRulesTest {
    @TempDir
    Path dir;

    private Path saved() {
        Matrix x = Matrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}, {3, 1}});
        Matrix y = Matrix.of(new double[][] {{1}, {2}, {3}, {5}});
        KernelRidgeModel m = KernelRidge.builder(KernelSpec.parse("rbf(gamma=0.5)")).lambda(0.1).build().fit(x, y);
        Path f = dir.resolve("good.zip");
        ModelFiles.save(new SavedModel(m, List.of("a", "b"), "y"), f);
        return f;
    }

    private static Map<String, byte[]> entries(Path zip) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            var en = z.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                try (var in = z.getInputStream(e)) {
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** sha256sum-format lines for the given entry names (in that order), from the given contents. */
    private static byte[] checksums(Map<String, byte[]> contents, List<String> names) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            sb.append(sha256(contents.get(n))).append("  ").append(n).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Path writeZip(String name, Map<String, byte[]> entries) throws IOException {
        Path p = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(p))) {
            for (var e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        return p;
    }

    private static List<String> listedNames(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(n -> !n.equals("checksums.sha256")).toList();
    }

    private static void assertRefused(Path file, String... fragments) {
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(file));
        assertTrue(e.getMessage().startsWith("model file " + file), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), "'" + f + "' not in: " + e.getMessage());
        }
    }

    @Test
    void aRebuiltArchiveWithCorrectChecksumsStillLoads() throws Exception {
        // the control: this test's own writer and checksums produce a file the library accepts
        Map<String, byte[]> e = entries(saved());
        e.put("checksums.sha256", checksums(e, listedNames(e)));
        Path p = writeZip("rebuilt.zip", e);
        assertTrue(ModelFiles.load(p).model() instanceof KernelRidgeModel);
    }

    @Test
    void anEntryNotListedInTheChecksumsIsRefused() throws Exception {
        Map<String, byte[]> e = entries(saved());
        List<String> listed = listedNames(e);
        e.put("extra.npy", "not a model part".getBytes(StandardCharsets.UTF_8));
        e.put("checksums.sha256", checksums(e, listed));
        assertRefused(writeZip("extra.zip", e), "entry 'extra.npy' is not listed in checksums.sha256");
    }

    @Test
    void aListedEntryThatIsAbsentIsRefused() throws Exception {
        Map<String, byte[]> e = entries(saved());
        String victim = listedNames(e).stream().filter(n -> n.endsWith(".npy")).findFirst().orElseThrow();
        byte[] sums = checksums(e, listedNames(e));
        e.remove(victim);
        e.put("checksums.sha256", sums);
        assertRefused(writeZip("missing.zip", e), "missing entry '" + victim + "'");
        // a listed name that was never an entry at all
        Map<String, byte[]> f = entries(saved());
        f.put("ghost.npy", new byte[] {1, 2, 3});
        byte[] withGhost = checksums(f, listedNames(f));
        f.remove("ghost.npy");
        f.put("checksums.sha256", withGhost);
        assertRefused(writeZip("ghost.zip", f), "missing entry 'ghost.npy'");
    }

    @Test
    void aNewerFormatVersionIsRefusedNamingBothVersions() throws Exception {
        Map<String, byte[]> e = entries(saved());
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(e.get("model.json"));
        assertEquals(ModelFiles.VERSION, root.get("version").asInt(), "the saved file has the current version");
        int newer = ModelFiles.VERSION + 1;
        root.put("version", newer);
        e.put("model.json", mapper.writeValueAsBytes(root));
        e.put("checksums.sha256", checksums(e, listedNames(e)));
        assertRefused(writeZip("newer.zip", e), "format version " + newer + " is not supported",
                "reads up to " + ModelFiles.VERSION + ")");
        // version 0 (older than any format) is refused too; the current version still loads
        root.put("version", 0);
        e.put("model.json", mapper.writeValueAsBytes(root));
        e.put("checksums.sha256", checksums(e, listedNames(e)));
        assertRefused(writeZip("zero.zip", e), "format version 0 is not supported");
        root.put("version", ModelFiles.VERSION);
        e.put("model.json", mapper.writeValueAsBytes(root));
        e.put("checksums.sha256", checksums(e, listedNames(e)));
        ModelFiles.load(writeZip("current.zip", e));
    }

    /** Broken JSON (its checksum recomputed) is refused with its line and column, not the parser's source text. */
    @Test
    void brokenJsonIsRefusedWithItsPlaceOnly() throws Exception {
        Map<String, byte[]> e = entries(saved());
        e.put("model.json", "{\n  \"format\": \"kernels4j-model\",\n  \"kind\": ".getBytes(StandardCharsets.UTF_8));
        e.put("checksums.sha256", checksums(e, listedNames(e)));
        Kernels4jException x = assertThrows(Kernels4jException.class, () -> ModelFiles.load(writeZip("broken.zip", e)));
        assertTrue(x.getMessage().contains("model.json is not valid JSON (line 3, column"), x.getMessage());
        assertFalse(x.getMessage().contains("Source") || x.getMessage().contains("StreamReadFeature"), x.getMessage());
    }

    @Test
    void aFileWithNoKindIsRefused() throws Exception {
        Map<String, byte[]> e = entries(saved());
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(e.get("model.json"));
        assertEquals("krr", root.get("kind").asText());
        root.remove("kind");
        e.put("model.json", mapper.writeValueAsBytes(root));
        e.put("checksums.sha256", checksums(e, listedNames(e)));
        assertRefused(writeZip("nokind.zip", e), "the kind field is missing");
        // a kind that is not text counts as missing too
        root.put("kind", 7);
        e.put("model.json", mapper.writeValueAsBytes(root));
        e.put("checksums.sha256", checksums(e, listedNames(e)));
        assertRefused(writeZip("numkind.zip", e), "the kind field is missing");
    }

    @Test
    void classNamesRoundTripAndTamperedOnesAreRefused() throws Exception {
        Matrix x = Matrix.of(new double[][] {{0, 1}, {1, 0}, {2, 2}, {3, 1}, {0, 0}, {3, 3}});
        Matrix y = Matrix.of(new double[][] {{0}, {1}, {0}, {1}, {0}, {1}});
        var svm = org.kernels4j.svm.SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=0.5)")).build().fit(x, y);
        Path f = dir.resolve("named.zip");
        var names = org.kernels4j.model.ClassLabels.inOrder(List.of("nonspam", "spam, really"));
        ModelFiles.save(new SavedModel(svm, List.of("a", "b"), "type", names), f);
        SavedModel back = ModelFiles.load(f);
        assertEquals(names, back.classLabels());
        assertEquals("spam, really", back.label(1));
        assertEquals("3", ModelFiles.load(saved()).label(3), "numeric labels print as numbers");

        Map<String, byte[]> e = entries(f);
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(e.get("model.json"));
        String[][] cases = {{"[\"a\", \"a\"]", "appears twice"}, {"[\"a\", 3]", "list of texts"},
            {"\"a\"", "list of texts"}, {"[\"only\"]", "class code 1.0 is not one of the 1 named classes"},
            {"[]", "no class names"}};
        for (String[] c : cases) {
            root.set("class_names", mapper.readTree(c[0]));
            e.put("model.json", mapper.writeValueAsBytes(root));
            e.put("checksums.sha256", checksums(e, listedNames(e)));
            assertRefused(writeZip("bad-names.zip", e), "class_names", c[1]);
        }
        // class names on a model that is not a classifier
        var krr = ModelFiles.load(saved()).model();
        var err = assertThrows(Kernels4jException.class, () -> new SavedModel(krr, List.of("a", "b"), "y", names));
        assertTrue(err.getMessage().contains("not a classifier"), err.getMessage());
    }

    /** A one-entry zip whose central directory declares {@code declared} uncompressed bytes for 2 real ones. */
    private Path declaring(String name, long declared) throws IOException {
        Path p = writeZip(name, Map.of("model.json", "{}".getBytes(StandardCharsets.UTF_8)));
        byte[] b = Files.readAllBytes(p);
        int cen = -1;
        for (int i = b.length - 46; i >= 0 && cen < 0; i--) {
            if (b[i] == 0x50 && b[i + 1] == 0x4b && b[i + 2] == 0x01 && b[i + 3] == 0x02) {
                cen = i;
            }
        }
        assertTrue(cen >= 0 && declared < 0xFFFFFFFFL);
        for (int k = 0; k < 4; k++) {
            b[cen + 24 + k] = (byte) (declared >>> (8 * k)); // the central header's uncompressed size, little-endian
        }
        Files.write(p, b);
        try (ZipFile z = new ZipFile(p.toFile())) {
            assertEquals(declared, z.getEntry("model.json").getSize());
        }
        return p;
    }

    /**
     * The documented entry limit (ModelFiles: "at most a quarter of the maximum heap", and what fits in an array),
     * read off the declared size before anything is read: an entry declaring one byte more than maxMemory/4 is refused
     * for its size, naming both numbers; one declaring exactly maxMemory/4 is not (it then fails as shorter than its
     * recorded size). Computed from this JVM's own {@code Runtime.maxMemory()}; the files are a few hundred bytes.
     */
    @Test
    void theEntryLimitIsAQuarterOfTheHeapAndInclusive() throws Exception {
        long quarter = Runtime.getRuntime().maxMemory() / 4;
        org.junit.jupiter.api.Assumptions.assumeTrue(quarter + 1 < Integer.MAX_VALUE - 64L, "heap below 8 GB");
        assertRefused(declaring("over.zip", quarter + 1), "declares " + (quarter + 1) + " bytes, more than the " + quarter
                + " bytes", "a quarter of its maximum heap");
        var e = assertThrows(Kernels4jException.class, () -> ModelFiles.load(declaring("at.zip", quarter)));
        assertTrue(e.getMessage().contains("shorter than its recorded size"), e.getMessage());
    }
}
