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
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.regression.KernelRidgeModel;
import org.kernels4j.privacy.PrivateDistanceSum;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.svm.SvmModel;

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
    private static final String JSON = "model.json";
    private static final String CHECKSUMS = "checksums.sha256";
    private static final long MAX_ENTRY = Integer.MAX_VALUE - 64L;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ModelFiles() {
    }

    /** Saves a model atomically. */
    public static void save(SavedModel saved, Path file) {
        KernelRidgeModel m = saved.model();
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        arrays.put("train_x", m.trainingInputs());
        arrays.put("dual_coef", m.dualCoefficients());
        arrays.put("intercept", Matrix.wrap(1, m.outputs(), m.intercept()));
        if (saved.isGaussianProcess()) {
            arrays.put("target_scale", Matrix.wrap(1, m.outputs(), saved.targetScales().clone()));
        }
        ObjectNode root = header(saved.kind());
        root.put("kernel", m.kernel().toSpec());
        ObjectNode options = root.putObject("options");
        options.put(saved.isGaussianProcess() ? "noise" : "lambda", m.lambda());
        if (m.path() != null) {
            options.put("lambda_selection", m.path().criterion().name().toLowerCase(java.util.Locale.ROOT));
        }
        putFeatureNames(root, saved.featureNames());
        root.put("target_name", saved.targetName());
        write(file, root, arrays);
    }

    /** Saves a kernel density estimate atomically (kind "kde": points, weights and bandwidth matrix). */
    public static void saveDensity(SavedDensity saved, Path file) {
        KernelDensity f = saved.density();
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        arrays.put("points", f.points());
        arrays.put("weights", Matrix.column(f.weights()));
        arrays.put("bandwidth", f.bandwidth());
        ObjectNode root = header("kde");
        root.put("kernel", f.profile().name().toLowerCase(java.util.Locale.ROOT));
        putFeatureNames(root, saved.featureNames());
        write(file, root, arrays);
    }

    /** Loads and validates a kernel density file written by {@link #saveDensity}. */
    public static SavedDensity loadDensity(Path file) {
        String name = file.toString();
        Archive a = read(file, "kde", "a kernel density (kde) file");
        KernelDensity.Profile profile;
        try {
            profile = KernelDensity.Profile.parse(String.valueOf(text(a.root, "kernel")));
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
        List<String> featureNames = featureNames(a.root);
        Matrix points = array(a.root, a.entries, "points", name);
        Matrix weights = array(a.root, a.entries, "weights", name);
        Matrix bandwidth = array(a.root, a.entries, "bandwidth", name);
        if (weights.rows() != points.rows() || weights.cols() != 1) {
            throw bad(name, "weights has shape " + weights.shape() + ", expected " + points.rows() + "x1");
        }
        if (featureNames.size() != points.cols()) {
            throw bad(name, "feature_names lists " + featureNames.size() + " names for " + points.cols() + " features");
        }
        try {
            return new SavedDensity(KernelDensity.fit(profile, points, weights.data(), bandwidth), featureNames);
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
    }

    /**
     * Saves a differentially private kernel-sum structure (kind "private-kernel-sum"): the public
     * frequencies and the noisy mean only, with ε, the mechanism, the sensitivity and the neighbouring
     * relation recorded in model.json. No private row is written.
     */
    public static void savePrivate(PrivateKernelSum p, List<String> featureNames, Path file) {
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        arrays.put("frequencies", p.frequencies());
        arrays.put("noisy_mean", Matrix.column(p.noisyMean()));
        ObjectNode root = header(PRIVATE_KIND);
        root.put("kernel", p.kernel().toSpec());
        ObjectNode privacy = root.putObject("privacy");
        privacy.put("epsilon", p.epsilon());
        privacy.put("mechanism", PrivateKernelSum.MECHANISM);
        privacy.put("sensitivity_l1", p.sensitivity());
        privacy.put("laplace_scale", p.noiseScale());
        privacy.put("neighbours", PrivateKernelSum.NEIGHBOURS);
        privacy.put("n", p.size());
        putFeatureNames(root, featureNames);
        write(file, root, arrays);
    }

    /** Loads a structure written by {@link #savePrivate}; the feature names go into {@code names} when given. */
    public static PrivateKernelSum loadPrivate(Path file, List<String> names) {
        String name = file.toString();
        Archive a = read(file, PRIVATE_KIND, "a " + PRIVATE_KIND + " release");
        JsonNode privacy = a.root.path("privacy");
        Matrix w = array(a.root, a.entries, "frequencies", name);
        Matrix mean = array(a.root, a.entries, "noisy_mean", name);
        if (names != null) {
            names.addAll(featureNames(a.root));
        }
        try {
            return PrivateKernelSum.of(String.valueOf(text(a.root, "kernel")), w, mean.data(), privacy.path("n").asInt(-1),
                    privacy.path("epsilon").asDouble(Double.NaN), privacy.path("sensitivity_l1").asDouble(Double.NaN));
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
    }

    /**
     * Saves a differentially private distance-sum structure (kind "private-distance-sum"): the noisy
     * trees and, for ℓ2, the public projection; ε, the mechanism, the noise scales, the public range
     * and the neighbouring relation are recorded. No private row is written.
     */
    public static void savePrivateDistance(PrivateDistanceSum p, List<String> featureNames, Path file) {
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        Matrix[] trees = p.trees();
        arrays.put("counts", trees[0]);
        arrays.put("sums", trees[1]);
        if (p.projection() != null) {
            arrays.put("projection", p.projection());
        }
        ObjectNode root = header(PRIVATE_DISTANCE_KIND);
        root.put("norm", p.norm().name().toLowerCase(java.util.Locale.ROOT));
        ObjectNode privacy = root.putObject("privacy");
        privacy.put("epsilon", p.epsilon());
        privacy.put("mechanism", PrivateDistanceSum.MECHANISM);
        privacy.put("count_laplace_scale", p.countNoiseScale());
        privacy.put("sum_laplace_scale", p.sumNoiseScale());
        privacy.put("neighbours", PrivateKernelSum.NEIGHBOURS);
        privacy.put("n", p.size());
        privacy.put("levels", p.levels());
        privacy.putArray("range").add(p.range()[0]).add(p.range()[1]);
        putFeatureNames(root, featureNames);
        write(file, root, arrays);
    }

    /** Loads a structure written by {@link #savePrivateDistance}; the feature names go into {@code names} when given. */
    public static PrivateDistanceSum loadPrivateDistance(Path file, List<String> names) {
        String name = file.toString();
        Archive a = read(file, PRIVATE_DISTANCE_KIND, "a " + PRIVATE_DISTANCE_KIND + " release");
        JsonNode privacy = a.root.path("privacy");
        PrivateDistanceSum.Norm norm = "l2".equals(text(a.root, "norm")) ? PrivateDistanceSum.Norm.L2
                : PrivateDistanceSum.Norm.L1;
        Matrix projection = norm == PrivateDistanceSum.Norm.L2 ? array(a.root, a.entries, "projection", name) : null;
        if (names != null) {
            names.addAll(featureNames(a.root));
        }
        try {
            return PrivateDistanceSum.of(norm, projection, privacy.path("range").path(0).asDouble(Double.NaN),
                    privacy.path("range").path(1).asDouble(Double.NaN), privacy.path("levels").asInt(-1),
                    array(a.root, a.entries, "counts", name), array(a.root, a.entries, "sums", name),
                    privacy.path("n").asInt(-1), privacy.path("epsilon").asDouble(Double.NaN),
                    privacy.path("count_laplace_scale").asDouble(Double.NaN),
                    privacy.path("sum_laplace_scale").asDouble(Double.NaN));
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
    }

    /** The kind of a support vector machine file. */
    public static final String SVM_KIND = "svm";

    /**
     * Saves a support vector machine atomically (kind "svm"): its type, kernel spec (or
     * "precomputed"), classes and multiclass scheme in model.json; support vectors, their training-row
     * indices, coefficients, thresholds and Platt sigmoids as arrays.
     */
    public static void saveSvm(SavedSvm saved, Path file) {
        SvmModel m = saved.model();
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        if (!m.isPrecomputed()) {
            arrays.put("support_vectors", m.supportVectors());
        }
        int[] idx = m.supportIndices();
        double[] idxd = new double[idx.length];
        for (int i = 0; i < idx.length; i++) {
            idxd[i] = idx[i];
        }
        arrays.put("support_indices", Matrix.column(idxd));
        arrays.put("coefficients", m.coefficients());
        arrays.put("rho", Matrix.wrap(1, m.rho().length, m.rho()));
        if (m.hasProbabilities()) {
            double[][] sg = m.sigmoids();
            arrays.put("sigmoid", Matrix.of(sg));
        }
        ObjectNode root = header(SVM_KIND);
        root.put("type", m.type().name().toLowerCase(java.util.Locale.ROOT));
        root.put("kernel", m.isPrecomputed() ? "precomputed" : m.kernel().toSpec());
        root.put("training_rows", m.trainingRows());
        if (m.classes() != null) {
            ArrayNode classes = root.putArray("classes");
            for (double c : m.classes()) {
                classes.add(c);
            }
            root.put("multiclass", m.multiclass().name().toLowerCase(java.util.Locale.ROOT));
        }
        putFeatureNames(root, saved.featureNames());
        root.put("target_name", saved.targetName());
        write(file, root, arrays);
    }

    /** Loads and validates a file written by {@link #saveSvm}. */
    public static SavedSvm loadSvm(Path file) {
        String name = file.toString();
        Archive a = read(file, SVM_KIND, "a support vector machine (svm) file");
        JsonNode root = a.root;
        SvmModel.Type type = parseEnum(SvmModel.Type.class, text(root, "type"), "type", name);
        String spec = text(root, "kernel");
        Kernel kernel = null;
        if (!"precomputed".equals(spec)) {
            try {
                kernel = KernelSpec.parse(spec);
            } catch (Kernels4jException e) {
                throw bad(name, "kernel: " + e.getMessage());
            }
        }
        int trainingRows = root.path("training_rows").asInt(-1);
        if (trainingRows < 1) {
            throw bad(name, "training_rows must be a positive integer");
        }
        double[] classes = null;
        SvmModel.Multiclass multiclass = null;
        if (root.has("classes")) {
            JsonNode cs = root.path("classes");
            classes = new double[cs.size()];
            for (int i = 0; i < classes.length; i++) {
                if (!cs.get(i).isNumber()) {
                    throw bad(name, "classes must be numbers");
                }
                classes[i] = cs.get(i).asDouble();
            }
            multiclass = parseEnum(SvmModel.Multiclass.class, text(root, "multiclass"), "multiclass", name);
        }
        Matrix sv = kernel == null ? null : array(root, a.entries, "support_vectors", name);
        Matrix idx = array(root, a.entries, "support_indices", name);
        if (idx.cols() != 1) {
            throw bad(name, "support_indices must be one column, got " + idx.shape());
        }
        int[] indices = new int[idx.rows()];
        for (int i = 0; i < indices.length; i++) {
            double v = idx.get(i, 0);
            if (v != Math.rint(v) || v < 0 || v >= trainingRows) {
                throw bad(name, "support index " + v + " is not a row number below " + trainingRows);
            }
            indices[i] = (int) v;
        }
        Matrix coef = array(root, a.entries, "coefficients", name);
        Matrix rho = array(root, a.entries, "rho", name);
        if (rho.rows() != 1) {
            throw bad(name, "rho must be one row, got " + rho.shape());
        }
        double[][] sigmoid = null;
        if (root.path("arrays").has("sigmoid")) {
            Matrix s = array(root, a.entries, "sigmoid", name);
            sigmoid = new double[s.rows()][];
            for (int i = 0; i < s.rows(); i++) {
                sigmoid[i] = s.row(i);
            }
        }
        List<String> featureNames = featureNames(root);
        SvmModel model;
        try {
            model = new SvmModel(type, kernel, sv, indices, trainingRows, coef, rho.data(), classes, multiclass, sigmoid);
        } catch (Kernels4jException e) {
            throw bad(name, e.getMessage());
        }
        if (featureNames.size() != model.inputColumns()) {
            throw bad(name, "feature_names lists " + featureNames.size() + " names for " + model.inputColumns()
                    + " input columns");
        }
        String target = root.path("target_name").isTextual() ? root.path("target_name").asText() : null;
        return new SavedSvm(model, featureNames, target);
    }

    private static <E extends Enum<E>> E parseEnum(Class<E> type, String value, String field, String name) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(String.valueOf(value))) {
                return e;
            }
        }
        throw bad(name, field + " '" + value + "' is not one of " + java.util.Arrays.toString(type.getEnumConstants())
                .toLowerCase(java.util.Locale.ROOT));
    }

    /** The kind of a private distance-sum release. */
    public static final String PRIVATE_DISTANCE_KIND = "private-distance-sum";

    /** The kind of a private kernel-sum release. */
    public static final String PRIVATE_KIND = "private-kernel-sum";

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
                zip.putNextEntry(new ZipEntry(e.getKey()));
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
                if (e.getSize() > MAX_ENTRY) {
                    throw bad(name, "entry '" + e.getName() + "' is too large");
                }
                if (entries.containsKey(e.getName())) {
                    throw bad(name, "duplicate entry '" + e.getName() + "'");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readNBytes((int) Math.min(MAX_ENTRY, Math.max(0, e.getSize()))));
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

    /** The kind recorded in a model file ("krr", "gp", "kde"), after the archive's checks. */
    public static String kind(Path file) {
        return String.valueOf(text(read(file).root, "kind"));
    }

    /** {@link #read}, then a check that the file is of {@code kind} ({@code what} names it in the error). */
    private static Archive read(Path file, String kind, String what) {
        Archive a = read(file);
        String found = text(a.root, "kind");
        if (!kind.equals(found)) {
            throw bad(file.toString(), "is a '" + found + "' file, not " + what);
        }
        return a;
    }

    /** Loads and validates a model file. */
    public static SavedModel load(Path file) {
        String name = file.toString();
        Archive archive = read(file);
        JsonNode root = archive.root;
        Map<String, byte[]> entries = archive.entries;
        String kind = text(root, "kind");
        if ("kde".equals(kind) || PRIVATE_KIND.equals(kind) || PRIVATE_DISTANCE_KIND.equals(kind)) {
            throw bad(name, "is a kernel density (" + kind + ") file; use it with 'kde score'");
        }
        if (SVM_KIND.equals(kind)) {
            throw bad(name, "is a support vector machine file; load it with loadSvm");
        }
        if (!SavedModel.KINDS.contains(kind)) {
            throw bad(name, "unknown model kind '" + kind + "' (this version reads " + String.join(", ", SavedModel.KINDS)
                    + ")");
        }
        boolean gp = kind.equals("gp");
        Kernel kernel;
        try {
            kernel = KernelSpec.parse(text(root, "kernel"));
        } catch (Kernels4jException e) {
            throw bad(name, "kernel: " + e.getMessage());
        }
        double lambda = root.path("options").path(gp ? "noise" : "lambda").asDouble(Double.NaN);
        if (gp ? !(lambda >= 0) || Double.isInfinite(lambda) : !(lambda > 0)) {
            throw bad(name, gp ? "options.noise must be a number >= 0" : "options.lambda must be a positive number");
        }
        List<String> featureNames = featureNames(root);
        Matrix x = array(root, entries, "train_x", name);
        Matrix alpha = array(root, entries, "dual_coef", name);
        if (alpha.rows() != x.rows()) {
            throw bad(name, "train_x has " + x.rows() + " rows but dual_coef has " + alpha.rows());
        }
        Matrix intercept = array(root, entries, "intercept", name);
        if (intercept.rows() != 1 || intercept.cols() != alpha.cols()) {
            throw bad(name, "intercept has shape " + intercept.shape() + ", expected 1x" + alpha.cols());
        }
        intercept.requireFinite(name + ": intercept");
        if (featureNames.size() != x.cols()) {
            throw bad(name, "feature_names lists " + featureNames.size() + " names for " + x.cols() + " features");
        }
        x.requireFinite(name + ": train_x");
        alpha.requireFinite(name + ": dual_coef");
        String target = root.path("target_name").isTextual() ? root.path("target_name").asText() : null;
        double[] scales = null;
        if (gp) {
            Matrix s = array(root, entries, "target_scale", name);
            if (s.rows() != 1 || s.cols() != alpha.cols()) {
                throw bad(name, "target_scale has shape " + s.shape() + ", expected 1x" + alpha.cols());
            }
            for (double v : s.data()) {
                if (!(v > 0) || Double.isInfinite(v)) {
                    throw bad(name, "target_scale must hold positive finite numbers, got " + v);
                }
            }
            scales = s.data();
        }
        return new SavedModel(kind, new KernelRidgeModel(kernel, x, alpha, intercept.data(), lambda, null),
                List.copyOf(featureNames), target, scales);
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
