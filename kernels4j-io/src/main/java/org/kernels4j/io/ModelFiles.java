package org.kernels4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ClassLabels;
import org.kernels4j.model.Model;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * Model files: a zip archive holding
 * <ul>
 *   <li>{@code model.json}: format name and version, model kind, kernel spec, options, feature
 *       and target names, and the name and shape of every array;</li>
 *   <li>one NumPy {@code .npy} file per array (so Python can open them with {@code numpy.load});</li>
 *   <li>{@code checksums.sha256}: a SHA-256 line per entry in {@code sha256sum} format.</li>
 * </ul>
 * No Java serialization is involved. Loading checks, before anything is used, that the file is a
 * complete zip, that every entry is listed with a matching checksum and nothing else is present,
 * the format version, the kernel spec, and every array's shape; any failure is one clear
 * {@link Kernels4jException} naming the file. Saving is atomic.
 */
public final class ModelFiles {
    /** The format name written into every model file. */
    public static final String FORMAT = "kernels4j-model";
    /** The newest format version this code reads and the one it writes. */
    public static final int VERSION = 1;
    /**
     * Jackson's problem in words with its line and column, without the parser's source description ("[Source:
     * REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled) ...]"), which means nothing to a user.
     */
    public static String jsonProblem(com.fasterxml.jackson.core.JsonProcessingException e) {
        String m = e.getOriginalMessage().lines().findFirst().orElse("");
        m = m.replaceAll(" ?\\(start marker at \\[Source:.*$", "");
        com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
        return at == null ? m : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " + m;
    }

    private static final String JSON = "model.json";
    private static final String CHECKSUMS = "checksums.sha256";
    private static final long MAX_ENTRY = Integer.MAX_VALUE - 64L;
    /** Deepest nesting model.json may have (a model file needs 3 levels). */
    static final int MAX_JSON_DEPTH = 64;
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_JSON_DEPTH).build()).build());
    /** Every entry's timestamp, so that a file's bytes depend only on the model (not on when it was saved). */
    private static final java.time.LocalDateTime ENTRY_TIME = java.time.LocalDateTime.of(2000, 1, 1, 0, 0);

    private ModelFiles() {
    }

    /**
     * Saves a model atomically: its codec ({@link ModelCodecs}) gives the fields and arrays; the
     * feature and target names are recorded beside them.
     *
     * @throws Kernels4jException when the model kind has no codec or the names do not match the
     *     model's number of features
     */
    public static void save(SavedModel saved, Path file) {
        Model model = saved.model();
        if (saved.featureNames().size() != model.features()) {
            throw new Kernels4jException("cannot save " + file + ": " + saved.featureNames().size()
                    + " feature names for a model of " + model.features() + " features");
        }
        ModelState state = ModelCodecs.encode(model);
        ObjectNode root = header(state.kind());
        for (Map.Entry<String, Object> e : state.fields().entrySet()) {
            putField(root, e.getKey(), e.getValue());
        }
        putFeatureNames(root, saved.featureNames());
        if (saved.classLabels() != null) {
            ArrayNode classes = root.putArray("class_names");
            saved.classLabels().names().forEach(classes::add);
        }
        if (saved.targetName() != null) {
            root.put("target_name", saved.targetName());
        }
        write(file, root, state.arrays());
    }

    /** Saves a model with its feature names and no target name. */
    public static void save(Model model, List<String> featureNames, Path file) {
        save(new SavedModel(model, featureNames, null), file);
    }

    /**
     * Loads and validates a model file of any kind: the archive (checksums, format version), then
     * every field and array through the kind's codec, then the feature names against the model.
     * Every failure is one {@link Kernels4jException} naming the file and the field.
     */
    public static SavedModel load(Path file) {
        String name = file.toString();
        Archive a = read(file);
        String kind = text(a.root, "kind");
        if (kind == null) {
            throw bad(name, "the kind field is missing");
        }
        ModelCodec<?> codec;
        try {
            codec = ModelCodecs.forKind(kind);
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        a.root.properties().forEach(e -> {
            if (!RESERVED.contains(e.getKey())) {
                flatten(e.getKey(), e.getValue(), fields);
            }
        });
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        a.root.path("arrays").fieldNames().forEachRemaining(key -> arrays.put(key, array(a.root, a.entries, key, name)));
        Model model;
        try {
            model = codec.decode(ModelState.of(kind, fields, arrays));
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
        List<String> featureNames = featureNames(a.root);
        if (featureNames.size() != model.features()) {
            throw bad(name, "feature_names lists " + featureNames.size() + " names for " + model.features()
                    + " features");
        }
        String target = a.root.path("target_name").isTextual() ? a.root.path("target_name").asText() : null;
        ClassLabels classes = a.root.has("class_names") ? classNames(a.root.get("class_names"), name) : null;
        try {
            return new SavedModel(model, featureNames, target, classes);
        } catch (Kernels4jException e) {
            throw bad(name, "class_names: " + e.getMessage());
        }
    }

    private static ClassLabels classNames(JsonNode node, String name) {
        List<String> names = new ArrayList<>();
        for (JsonNode n : node) {
            names.add(n.isTextual() ? n.asText() : null);
        }
        if (!node.isArray() || names.contains(null)) {
            throw bad(name, "class_names must be a list of texts, found " + abbreviate(node.toString()));
        }
        try {
            return ClassLabels.inOrder(names);
        } catch (Kernels4jException e) {
            throw bad(name, "class_names: " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** {@link #load}, then a check that the model is a {@code type} ({@code what} names it in the error). */
    public static <M extends Model> M load(Path file, Class<M> type, String what) {
        Model m = load(file).model();
        if (!type.isInstance(m)) {
            throw bad(file.toString(), "holds a '" + ModelCodecs.kindOf(m) + "' model, not " + what);
        }
        return type.cast(m);
    }

    private static final java.util.Set<String> RESERVED = java.util.Set.of("format", "version", "kind", "arrays",
            "feature_names", "target_name", "class_names");

    /** A dotted field name becomes nested objects: {@code options.lambda} is {@code {"options": {"lambda": …}}}. */
    private static void putField(ObjectNode root, String name, Object value) {
        ObjectNode node = root;
        String[] parts = name.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            node = node.has(parts[i]) ? (ObjectNode) node.get(parts[i]) : node.putObject(parts[i]);
        }
        String leaf = parts[parts.length - 1];
        if (value instanceof String v) {
            node.put(leaf, v);
        } else if (value instanceof Long v) {
            node.put(leaf, v);
        } else if (value instanceof Integer v) {
            node.put(leaf, v);
        } else if (value instanceof Double v) {
            if (!Double.isFinite(v)) {
                throw new Kernels4jException("model field '" + name + "' is " + v + ", which a model file cannot hold");
            }
            node.put(leaf, v);
        } else if (value instanceof Boolean v) {
            node.put(leaf, v);
        } else if (value instanceof double[] v) {
            ArrayNode arr = node.putArray(leaf);
            for (double d : v) {
                if (!Double.isFinite(d)) {
                    throw new Kernels4jException("model field '" + name + "' holds " + d + ", which a model file cannot hold");
                }
                arr.add(d);
            }
        } else if (value instanceof List<?> v) {
            ArrayNode arr = node.putArray(leaf);
            v.forEach(o -> arr.add(String.valueOf(o)));
        } else {
            throw new IllegalArgumentException("unsupported model field type for '" + name + "': " + value);
        }
    }

    /** The inverse of {@link #putField}: nested objects become dotted names; arrays of numbers become double[]. */
    private static void flatten(String name, JsonNode node, Map<String, Object> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(name + "." + e.getKey(), e.getValue(), out));
        } else if (node.isTextual()) {
            out.put(name, node.asText());
        } else if (node.isBoolean()) {
            out.put(name, node.asBoolean());
        } else if (node.isNumber()) {
            out.put(name, node.asDouble());
        } else if (node.isArray()) {
            boolean numbers = true;
            for (JsonNode e : node) {
                numbers &= e.isNumber();
            }
            if (numbers) {
                double[] v = new double[node.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = node.get(i).asDouble();
                }
                out.put(name, v);
            } else {
                List<String> v = new ArrayList<>();
                node.forEach(e -> v.add(e.asText()));
                out.put(name, List.copyOf(v));
            }
        }
    }

    private static ObjectNode header(String kind) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("kind", kind);
        return root;
    }

    /** Writes model.json (with the arrays' names and shapes added), one .npy per array and the checksums, atomically. */
    private static void write(Path file, ObjectNode root, Map<String, Matrix> arrays) {
        ObjectNode arr = root.putObject("arrays");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (Map.Entry<String, Matrix> e : arrays.entrySet()) {
            ObjectNode a = arr.putObject(e.getKey());
            a.put("file", e.getKey() + ".npy");
            a.putArray("shape").add(e.getValue().rows()).add(e.getValue().cols());
            entries.put(e.getKey() + ".npy", Npy.toBytes(e.getValue()));
        }
        byte[] json;
        try {
            json = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Map<String, byte[]> all = new LinkedHashMap<>();
        all.put(JSON, json);
        all.putAll(entries);
        StringBuilder sums = new StringBuilder();
        for (Map.Entry<String, byte[]> e : all.entrySet()) {
            sums.append(sha256(e.getValue())).append("  ").append(e.getKey()).append('\n');
        }
        all.put(CHECKSUMS, sums.toString().getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTimeLocal(ENTRY_TIME); // a constant: the same model gives the same bytes
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** A validated archive: its model.json and its entries. */
    private record Archive(JsonNode root, Map<String, byte[]> entries) {
    }

    /**
     * Reads a model archive and checks, before anything is used, that it is a complete zip whose
     * every entry is listed with a matching checksum, and the format name and version.
     */
    private static Archive read(Path file) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new Kernels4jException(name + ": no such model file");
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory() || e.getName().contains("/") || e.getName().contains("\\")) {
                    throw bad(name, "unexpected entry '" + e.getName() + "'");
                }
                long limit = entryLimit();
                if (e.getSize() > limit) {
                    throw bad(name, "entry '" + e.getName() + "' declares " + e.getSize() + " bytes, more than the "
                            + limit + " bytes an entry may have in this JVM (" + (limit == MAX_ENTRY ? "the largest array"
                            : "a quarter of its maximum heap; set KERNELS4J_JAVA_OPTS=-Xmx... for larger models") + ")");
                }
                if (entries.containsKey(e.getName())) {
                    throw bad(name, "duplicate entry '" + e.getName() + "'");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    byte[] content = in.readNBytes((int) Math.min(limit, Math.max(0, e.getSize())));
                    if (e.getSize() >= 0 && content.length != e.getSize()) {
                        throw bad(name, "entry '" + e.getName() + "' is shorter than its recorded size");
                    }
                    entries.put(e.getName(), content);
                    if (in.read() != -1) {
                        throw bad(name, "entry '" + e.getName() + "' is longer than its recorded size");
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw bad(name, "truncated or not a zip archive (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw bad(name, "cannot read (" + e.getMessage() + ")");
        }
        byte[] sums = entries.get(CHECKSUMS);
        if (sums == null) {
            throw bad(name, "missing " + CHECKSUMS);
        }
        Map<String, String> listed = new LinkedHashMap<>();
        for (String line : new String(sums, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int sp = line.indexOf("  ");
            if (sp != 64) {
                throw bad(name, "malformed line in " + CHECKSUMS + ": '" + line + "'");
            }
            listed.put(line.substring(sp + 2), line.substring(0, 64));
        }
        for (String entry : entries.keySet()) {
            if (!entry.equals(CHECKSUMS) && !listed.containsKey(entry)) {
                throw bad(name, "entry '" + entry + "' is not listed in " + CHECKSUMS);
            }
        }
        for (Map.Entry<String, String> e : listed.entrySet()) {
            byte[] content = entries.get(e.getKey());
            if (content == null) {
                throw bad(name, "missing entry '" + e.getKey() + "'");
            }
            if (!sha256(content).equals(e.getValue())) {
                throw bad(name, "checksum mismatch for '" + e.getKey() + "': the file was altered or damaged");
            }
        }
        JsonNode root;
        try {
            byte[] json = entries.get(JSON);
            if (json == null) {
                throw bad(name, "missing " + JSON);
            }
            root = MAPPER.readTree(json);
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw bad(name, JSON + " is nested deeper than " + MAX_JSON_DEPTH + " levels (or exceeds another size limit: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + ")");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw bad(name, JSON + " is not valid JSON (" + jsonProblem(e) + ")");
        } catch (IOException e) {
            throw bad(name, JSON + " is not valid JSON (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
        if (root == null || !root.isObject() || !FORMAT.equals(text(root, "format"))) {
            throw bad(name, "not a kernels4j model (format field missing)");
        }
        int version = root.path("version").asInt(-1);
        if (version < 1 || version > VERSION) {
            throw bad(name, "format version " + root.path("version") + " is not supported (this build reads up to "
                    + VERSION + ")");
        }
        return new Archive(root, entries);
    }

    /** The largest entry read: what fits in a Java array, and at most a quarter of the maximum heap. */
    private static long entryLimit() {
        return Math.min(MAX_ENTRY, Runtime.getRuntime().maxMemory() / 4);
    }

    /** The kind recorded in a model file ("krr", "gp", "svm", …), after the archive's checks. */
    public static String kind(Path file) {
        return String.valueOf(text(read(file).root, "kind"));
    }

    /** Writes {@code feature_names}, which {@link #featureNames} reads back. */
    private static void putFeatureNames(ObjectNode root, List<String> featureNames) {
        ArrayNode names = root.putArray("feature_names");
        featureNames.forEach(names::add);
    }

    private static List<String> featureNames(JsonNode root) {
        List<String> names = new ArrayList<>();
        for (JsonNode n : root.path("feature_names")) {
            names.add(n.asText());
        }
        return List.copyOf(names);
    }

    private static Matrix array(JsonNode root, Map<String, byte[]> entries, String key, String name) {
        JsonNode a = root.path("arrays").path(key);
        String file = a.path("file").asText(null);
        if (file == null || !entries.containsKey(file)) {
            throw bad(name, "array '" + key + "' is missing");
        }
        Matrix m;
        try {
            m = Npy.read(entries.get(file), name + "!" + file);
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
        JsonNode shape = a.path("shape");
        if (shape.size() != 2 || shape.get(0).asLong() != m.rows() || shape.get(1).asLong() != m.cols()) {
            throw bad(name, "array '" + key + "' has shape " + m.shape() + " but model.json says " + shape);
        }
        return m;
    }

    private static String text(JsonNode root, String field) {
        JsonNode n = root.get(field);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static Kernels4jException bad(String file, String problem) {
        return new Kernels4jException("model file " + file + ": " + problem);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
