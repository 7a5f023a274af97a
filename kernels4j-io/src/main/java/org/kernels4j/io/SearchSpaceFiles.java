package org.kernels4j.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bo.SearchSpace;

/**
 * Reads a {@link SearchSpace} from a JSON file:
 * <pre>{@code
 * {"parameters": [
 *   {"name": "x",      "type": "continuous", "lower": -5,   "upper": 10},
 *   {"name": "lr",     "type": "continuous", "lower": 1e-4, "upper": 0.1, "log": true},
 *   {"name": "layers", "type": "integer",    "lower": 1,    "upper": 8}
 * ]}
 * }</pre>
 * {@code type} defaults to continuous and {@code log} to false; other keys are refused (a typo would
 * otherwise be ignored silently). Every error names the file and the parameter (position and name)
 * that is wrong; malformed JSON, the line and column.
 */
public final class SearchSpaceFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
            .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder().maxNestingDepth(16).build())
            .build());
    private static final Set<String> KEYS = Set.of("name", "type", "lower", "upper", "log");
    private static final long MAX_BYTES = 1 << 20;

    private SearchSpaceFiles() {
    }

    /**
     * Reads and validates the file.
     *
     * @throws Kernels4jException naming the file and the problem
     */
    public static SearchSpace read(Path file) {
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new Kernels4jException(file + ": a search-space file is at most 1 MiB, this one has "
                        + Files.size(file) + " bytes");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new Kernels4jException(file + ": no such file");
        } catch (IOException e) {
            throw new Kernels4jException(file + ": cannot read: " + e.getMessage());
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Kernels4jException(file + ": not valid JSON (" + ModelFiles.jsonProblem(e) + ")");
        }
        if (root == null || !root.isObject() || !root.has("parameters")) {
            throw new Kernels4jException(file + ": expected an object {\"parameters\": [ ... ]}");
        }
        Iterator<String> top = root.fieldNames();
        while (top.hasNext()) {
            String key = top.next();
            if (!key.equals("parameters")) {
                throw new Kernels4jException(file + ": unknown key \"" + key + "\" (only \"parameters\" is allowed)");
            }
        }
        JsonNode list = root.get("parameters");
        if (!list.isArray() || list.isEmpty()) {
            throw new Kernels4jException(file + ": \"parameters\" must be a non-empty array of parameters");
        }
        SearchSpace.Builder b = SearchSpace.builder();
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String where = file + ": parameter " + (i + 1);
            if (!p.isObject()) {
                throw new Kernels4jException(where + " must be an object with name, type, lower, upper");
            }
            JsonNode nameNode = p.get("name");
            if (nameNode == null || !nameNode.isTextual()) {
                throw new Kernels4jException(where + ": \"name\" must be a string");
            }
            String name = nameNode.asText();
            where += " (" + name + ")";
            Iterator<String> keys = p.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                if (!KEYS.contains(key)) {
                    throw new Kernels4jException(where + ": unknown key \"" + key + "\" (allowed: name, type, lower, "
                            + "upper, log)");
                }
            }
            String type = p.has("type") ? p.get("type").asText().toLowerCase(Locale.ROOT) : "continuous";
            SearchSpace.Type t;
            if (type.equals("continuous") || type.equals("real") || type.equals("float")) {
                t = SearchSpace.Type.CONTINUOUS;
            } else if (type.equals("integer") || type.equals("int")) {
                t = SearchSpace.Type.INTEGER;
            } else {
                throw new Kernels4jException(where + ": \"type\" must be \"continuous\" or \"integer\", got \""
                        + p.get("type").asText() + "\"");
            }
            double lower = number(p, "lower", where);
            double upper = number(p, "upper", where);
            JsonNode logNode = p.get("log");
            if (logNode != null && !logNode.isBoolean()) {
                throw new Kernels4jException(where + ": \"log\" must be true or false");
            }
            boolean log = logNode != null && logNode.asBoolean();
            try {
                b.add(new SearchSpace.Parameter(name, t, lower, upper, log));
            } catch (Kernels4jException e) {
                throw new Kernels4jException(file + ": " + e.getMessage());
            }
        }
        try {
            return b.build();
        } catch (Kernels4jException e) {
            throw new Kernels4jException(file + ": " + e.getMessage());
        }
    }

    private static double number(JsonNode p, String key, String where) {
        JsonNode n = p.get(key);
        if (n == null || !n.isNumber()) {
            throw new Kernels4jException(where + ": \"" + key + "\" must be a number");
        }
        return n.asDouble();
    }
}
