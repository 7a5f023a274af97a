package org.kernels4j.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import org.kernels4j.Kernels4jException;

/**
 * A privacy budget ledger: the ε spent on each data set, by <b>sequential composition</b> (k releases of
 * ε_1..ε_k on the same data are together (Σ ε_i)-DP), with an optional declared budget per data set
 * that a release may not exceed. A data set is identified by the SHA-256 of its file's bytes, so
 * renaming or copying the file does not reset its account (a changed file is a different data set:
 * the ledger cannot see that two files share people).
 *
 * <p>Immutable: {@link #charge} returns the ledger with the release added, or refuses with a
 * {@link Kernels4jException} when it would exceed the budget. A budget, once recorded, can be lowered
 * but never raised. The caller writes {@link #toText()} back atomically <em>before</em> it publishes the
 * release (a release that then fails is over-counted, never under-counted). The text format is one
 * tab-separated line per record: {@code budget SHA EPS} and {@code release SHA EPS MECHANISM WHAT}.
 * Releases composed in parallel (the private classifier's classes) are charged once, with their total ε.
 */
public final class PrivacyLedger {
    private static final String HEADER = "# kernels4j privacy ledger: epsilon spent per data set (SHA-256 of its "
            + "file), sequential composition";

    /**
     * One release.
     *
     * @param data the SHA-256 of the data file, hex
     * @param epsilon the ε it spent
     * @param mechanism the mechanism it used
     * @param what a short description (command, output file)
     */
    public record Entry(String data, double epsilon, String mechanism, String what) {
    }

    private final Map<String, Double> budgets;
    private final List<Entry> entries;

    private PrivacyLedger(Map<String, Double> budgets, List<Entry> entries) {
        this.budgets = budgets;
        this.entries = entries;
    }

    /** A ledger with no release. */
    public static PrivacyLedger empty() {
        return new PrivacyLedger(new LinkedHashMap<>(), List.of());
    }

    /** Reads a ledger file; a missing file is an empty ledger. */
    public static PrivacyLedger read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (NoSuchFileException e) {
            return empty();
        } catch (java.nio.charset.CharacterCodingException e) { // "Input length = 1" says nothing to a user
            throw new Kernels4jException("cannot read the privacy ledger " + file + ": it is not a text file (a ledger "
                    + "is the UTF-8 text that --ledger writes; is this a model file?)");
        } catch (IOException e) {
            throw new Kernels4jException("cannot read the privacy ledger " + file + ": " + e.getMessage());
        }
    }

    /** Parses the text of {@link #toText()}. */
    public static PrivacyLedger parse(String text) {
        Map<String, Double> budgets = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            try {
                if (f[0].equals("budget") && f.length == 3) {
                    budgets.put(hash(f[1]), epsilon(Double.parseDouble(f[2])));
                } else if (f[0].equals("release") && f.length == 5) {
                    entries.add(new Entry(hash(f[1]), epsilon(Double.parseDouble(f[2])), f[3], f[4]));
                } else {
                    throw new IllegalArgumentException();
                }
            } catch (IllegalArgumentException e) {
                throw new Kernels4jException("privacy ledger line " + (i + 1) + " is not 'budget SHA EPS' or 'release SHA "
                        + "EPS MECHANISM WHAT' (tab-separated): " + line);
            }
        }
        return new PrivacyLedger(budgets, List.copyOf(entries));
    }

    /** The ε spent on a data set so far: the sum over its releases (sequential composition). */
    public double spent(String data) {
        double total = 0;
        for (Entry e : entries) {
            if (e.data().equals(data)) {
                total += e.epsilon();
            }
        }
        return total;
    }

    /** The declared budget of a data set, if any. */
    public OptionalDouble budget(String data) {
        Double b = budgets.get(data);
        return b == null ? OptionalDouble.empty() : OptionalDouble.of(b);
    }

    /** The releases, oldest first. */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * The ledger with one more release of ε on {@code data}.
     *
     * @param budget a budget to declare (null: keep the recorded one, if any); lower than the recorded
     *     budget lowers it, higher is refused
     * @throws Kernels4jException when spent + ε would exceed the budget, or for a raised budget
     */
    public PrivacyLedger charge(String data, double epsilon, Double budget, String mechanism, String what) {
        String sha = hash(data);
        epsilon(epsilon);
        Map<String, Double> b = new LinkedHashMap<>(budgets);
        Double recorded = b.get(sha);
        if (budget != null) {
            if (!(budget > 0) || Double.isInfinite(budget)) {
                throw new Kernels4jException("the privacy budget must be a positive finite number, got " + budget);
            }
            if (recorded != null && budget > recorded) {
                throw new Kernels4jException("the ledger's budget for this data is epsilon " + recorded
                        + "; a budget can be lowered but not raised (asked " + budget + ")");
            }
            b.put(sha, budget);
        }
        Double limit = b.get(sha);
        double spent = spent(sha);
        if (limit != null && spent + epsilon > limit * (1 + 1e-12)) {
            throw new Kernels4jException(String.format(Locale.ROOT, "privacy budget exceeded: this data has spent "
                    + "epsilon %s of its budget %s; a release of epsilon %s would bring it to %s (refused, nothing "
                    + "released)", spent, limit, epsilon, spent + epsilon));
        }
        List<Entry> e = new ArrayList<>(entries);
        e.add(new Entry(sha, epsilon, clean(mechanism), clean(what)));
        return new PrivacyLedger(b, List.copyOf(e));
    }

    /** The ledger as text (see the class notes). */
    public String toText() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (Map.Entry<String, Double> b : budgets.entrySet()) {
            sb.append("budget\t").append(b.getKey()).append('\t').append(b.getValue()).append('\n');
        }
        for (Entry e : entries) {
            sb.append("release\t").append(e.data()).append('\t').append(e.epsilon()).append('\t').append(e.mechanism())
                    .append('\t').append(e.what()).append('\n');
        }
        return sb.toString();
    }

    /** The SHA-256 of a file's bytes, lower-case hex. */
    public static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                md.update(buf, 0, r);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new Kernels4jException("cannot read " + file + " to identify it for the privacy ledger: "
                    + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hash(String s) {
        if (!s.matches("[0-9a-f]{64}")) {
            throw new Kernels4jException("not a SHA-256 in hex: '" + s + "'");
        }
        return s;
    }

    private static double epsilon(double e) {
        if (!(e > 0) || Double.isInfinite(e)) {
            throw new Kernels4jException("a ledger epsilon must be positive and finite, got " + e);
        }
        return e;
    }

    private static String clean(String s) {
        return s.replaceAll("[\\t\\r\\n]+", " ");
    }
}
