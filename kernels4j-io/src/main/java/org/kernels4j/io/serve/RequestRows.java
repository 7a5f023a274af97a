package org.kernels4j.io.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.CsvReader;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.Predictions;
import org.kernels4j.io.SavedModel;
import org.kernels4j.linalg.Matrix;

/**
 * Turns a request body into the n×d matrix of rows to predict (and, for JSON, the outputs asked
 * for), checking everything a model would otherwise fail on later with a worse message: JSON syntax,
 * the number of values per row, non-finite values, the row limit.
 *
 * <p>JSON is read with Jackson's streaming parser straight into {@code double}s (no tree of boxed
 * numbers for a 1,000-row request). {@code NaN} and {@code Infinity} tokens are accepted by the
 * parser only so that they can be refused with the row and column they are in.
 */
final class RequestRows {
    /** JSON as it arrives: non-standard NaN/Infinity tokens parse (to be refused by position), nesting is shallow. */
    static final JsonFactory JSON = JsonFactory.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    /** Rows and, when the body named them, the outputs asked for (else null). */
    record Parsed(Matrix rows, Set<Predictions.Output> outputs) {
    }

    private RequestRows() {
    }

    /**
     * Reads {@code {"rows": [[x11, …, x1d], …], "outputs": ["prediction", …]}} or a bare array of rows
     * {@code [[…], …]}.
     *
     * @throws RequestException 400 for malformed JSON, an unknown or repeated field, a row of the wrong length, a
     *     value that is not a finite number, no rows; 413 for more than {@code maxRows} rows
     */
    static Parsed json(byte[] body, SavedModel saved, int maxRows) {
        int d = saved.model().features();
        List<double[]> rows = null;
        Set<Predictions.Output> outputs = null;
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_ARRAY) {
                rows = rows(p, d, saved, maxRows);
            } else if (t == JsonToken.START_OBJECT) {
                Set<String> seen = new java.util.HashSet<>();
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    p.nextToken();
                    if (!seen.add(field)) {
                        // JSON leaves duplicate names undefined; taking the last would silently drop rows
                        throw bad("field '" + field + "' appears twice; send one '" + field + "'");
                    }
                    if (field.equals("rows")) {
                        if (p.currentToken() != JsonToken.START_ARRAY) {
                            throw bad("'rows' must be an array of rows, each an array of " + d + " numbers");
                        }
                        rows = rows(p, d, saved, maxRows);
                    } else if (field.equals("outputs")) {
                        outputs = outputs(p);
                    } else {
                        throw bad("unknown field '" + field + "' (expected 'rows' and optionally 'outputs')");
                    }
                }
                if (t != JsonToken.END_OBJECT) {
                    throw bad("malformed JSON: the object is not closed");
                }
            } else if (t == null) {
                throw bad("empty body: send {\"rows\": [[" + d + " numbers], ...]}");
            } else {
                throw bad("the body must be a JSON object {\"rows\": [[...], ...]} or an array of rows");
            }
            if (p.nextToken() != null) {
                throw bad("malformed JSON: more data after the end of the " + (rows != null && outputs == null
                        ? "value" : "object") + " at line " + p.currentLocation().getLineNr());
            }
        } catch (JsonProcessingException e) {
            throw bad("malformed JSON at " + org.kernels4j.io.ModelFiles.jsonProblem(e));
        } catch (IOException e) {
            throw bad("unreadable JSON: " + e.getMessage());
        }
        if (rows == null) {
            throw bad("no 'rows' field: send {\"rows\": [[" + d + " numbers], ...]}");
        }
        return new Parsed(matrix(rows, d), outputs);
    }

    /** The rows of an array whose START_ARRAY is the current token. */
    private static List<double[]> rows(JsonParser p, int d, SavedModel saved, int maxRows) throws IOException {
        List<double[]> rows = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            int i = rows.size();
            if (i == maxRows) {
                throw new RequestException(413, "too many rows: more than " + maxRows
                        + " in one request (the server's row limit; split the request)");
            }
            if (t != JsonToken.START_ARRAY) {
                throw bad("rows[" + i + "] must be an array of " + d + " numbers, found " + describe(t));
            }
            double[] row = new double[d];
            int j = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
                    throw bad("rows[" + i + "][" + j + "] must be a number, found " + describe(t));
                }
                if (j < d) {
                    double v = p.getDoubleValue();
                    if (!Double.isFinite(v)) {
                        throw bad("rows[" + i + "][" + j + "] is " + p.getText() + "; values must be finite numbers");
                    }
                    row[j] = v;
                }
                j++;
            }
            if (j != d) {
                throw bad(columnCount("rows[" + i + "] has " + j + (j == 1 ? " value" : " values"), saved));
            }
            rows.add(row);
        }
        return rows;
    }

    private static Set<Predictions.Output> outputs(JsonParser p) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw bad("'outputs' must be an array of names (prediction, std, probabilities, decision)");
        }
        Set<Predictions.Output> s = EnumSet.noneOf(Predictions.Output.class);
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t != JsonToken.VALUE_STRING) {
                throw bad("'outputs' must be an array of names (prediction, std, probabilities, decision), found "
                        + describe(t));
            }
            s.add(output(p.getText()));
        }
        return s;
    }

    /** Outputs named in a comma-separated list ({@code ?outputs=prediction,std}). */
    static Set<Predictions.Output> outputs(String list) {
        Set<Predictions.Output> s = EnumSet.noneOf(Predictions.Output.class);
        for (String name : list.split(",")) {
            if (!name.isBlank()) {
                s.add(output(name));
            }
        }
        return s;
    }

    private static Predictions.Output output(String name) {
        try {
            return Predictions.Output.of(name);
        } catch (Kernels4jException e) {
            throw bad(e.getMessage());
        }
    }

    /**
     * Reads CSV ({@link CsvReader}: header detected, NaN/Inf refused at their line and column). With a
     * header, for a model that recorded real column names, columns are matched by name in any order
     * (the target column, if present, is ignored); otherwise by position, d columns.
     */
    static Matrix csv(byte[] body, SavedModel saved, int maxRows) {
        int d = saved.model().features();
        Dataset ds;
        // A body with the model's target column (e.g. a copy of the training file) may hold text class labels
        // there: read that column as the target, so it is ignored as `predict` ignores it.
        String target = headerHasTarget(body, saved) ? saved.targetName() : null;
        try {
            ds = CsvReader.builder().target(target).classLabels(target != null).build().read(
                    new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8), "CSV body");
        } catch (Kernels4jException e) {
            // the reader's hint names a CLI option; the server always refuses non-finite values
            throw bad(modelColumnNames(e.getMessage().replace(" (allow with --allow-nonfinite)", ""), saved));
        } catch (IOException e) {
            throw bad("unreadable CSV body: " + e.getMessage());
        }
        if (ds.rows() > maxRows) {
            throw new RequestException(413, "too many rows: " + ds.rows() + " in one request, the server's limit is "
                    + maxRows + " (split the request)");
        }
        List<String> header = ds.featureNames();
        List<String> names = saved.featureNames();
        boolean fileNames = !generated(header, "x", 0);
        boolean modelNames = names.size() == d && !generated(names, "x", 0) && !generated(names, "f", 1);
        if (fileNames && modelNames) {
            int[] columns = new int[d];
            List<String> missing = new ArrayList<>();
            for (int j = 0; j < d; j++) {
                columns[j] = header.indexOf(names.get(j));
                if (columns[j] < 0) {
                    missing.add(names.get(j));
                }
            }
            List<String> unknown = new ArrayList<>();
            for (String h : header) {
                if (!names.contains(h) && !h.equals(saved.targetName())) {
                    unknown.add(h);
                }
            }
            if (!missing.isEmpty() || !unknown.isEmpty()) {
                throw bad("CSV header does not match the model's features:" + (missing.isEmpty() ? "" : " missing "
                        + missing) + (unknown.isEmpty() ? "" : " unknown " + unknown) + " (the model needs " + names + ")");
            }
            return ds.features().selectColumns(columns);
        }
        if (ds.features().cols() != d) {
            throw bad(columnCount("the CSV body has " + ds.features().cols() + " columns", saved));
        }
        return ds.features();
    }

    private static final java.util.regex.Pattern GENERATED_COLUMN = java.util.regex.Pattern.compile(
            "column 'x(\\d+)'");

    /**
     * A body without a header gets generated column names (x0, x1, …) from the reader, which the client never saw:
     * in a message, such a name becomes the column's 1-based position and, where the model recorded real feature
     * names and that one is not itself a model name, the model's name for it.
     */
    static String modelColumnNames(String message, SavedModel saved) {
        List<String> names = saved.featureNames();
        java.util.regex.Matcher m = GENERATED_COLUMN.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            int j = Integer.parseInt(m.group(1));
            String replacement = m.group();
            if (!names.contains("x" + j)) {
                replacement = "column " + (j + 1) + (j < names.size() && !generated(names, "f", 1)
                        ? " (the model's '" + names.get(j) + "')" : "");
            }
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Whether the body's first record names the model's target column (then it is a header). */
    private static boolean headerHasTarget(byte[] body, SavedModel saved) {
        String name = saved.targetName();
        if (name == null || name.isEmpty()) {
            return false;
        }
        try (org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVFormat.DEFAULT.parse(
                new InputStreamReader(new ByteArrayInputStream(body), StandardCharsets.UTF_8))) {
            java.util.Iterator<org.apache.commons.csv.CSVRecord> it = p.iterator();
            if (!it.hasNext()) {
                return false;
            }
            for (String cell : it.next()) {
                if (cell.strip().equals(name)) {
                    return true;
                }
            }
            return false;
        } catch (IOException | java.io.UncheckedIOException | IllegalStateException e) {
            return false; // the reader reports what is wrong with the body
        }
    }

    private static String columnCount(String what, SavedModel saved) {
        int d = saved.model().features();
        List<String> names = saved.featureNames();
        String listed = names.size() == d && d <= 20 && !generated(names, "x", 0) && !generated(names, "f", 1)
                ? " " + names : "";
        return what + " but the model expects " + d + (d == 1 ? " feature" : " features") + listed;
    }

    private static Matrix matrix(List<double[]> rows, int d) {
        if (rows.isEmpty()) {
            throw bad("no rows to predict");
        }
        Matrix x = new Matrix(rows.size(), d);
        double[] data = x.data();
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, data, i * d, d);
        }
        return x;
    }

    private static String describe(JsonToken t) {
        switch (t) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NULL:
                return "null";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    /** True when the names are prefix + (first, first + 1, …): what a file without a header is given. */
    private static boolean generated(List<String> names, String prefix, int first) {
        for (int j = 0; j < names.size(); j++) {
            if (!names.get(j).equals(prefix + (j + first))) {
                return false;
            }
        }
        return true;
    }

    private static RequestException bad(String message) {
        return new RequestException(400, message);
    }
}
