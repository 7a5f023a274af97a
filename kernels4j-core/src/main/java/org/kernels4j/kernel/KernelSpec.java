package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;

/**
 * Parses kernel specs. Grammar (whitespace is free, names are case-insensitive):
 * <pre>
 *   spec   := term ('+' term)*
 *   term   := factor ('*' factor)*
 *   factor := NUMBER | NAME '(' [param (',' param)*] ')' | '(' spec ')'
 *   param  := NAME '=' (NUMBER | NAME | STRING | list)
 *   list   := '[' item (',' item)* ']'       (all numbers, all names, or all lists of numbers)
 *   item   := NUMBER | NAME | '[' NUMBER (',' NUMBER)* ']'
 *   STRING := '"' any characters but '"' '"'      (e.g. an activation expression)
 * </pre>
 * Numbers in a product scale it ({@code 0.5*rbf(gamma=2)}); a number standing alone in a sum is a
 * {@code constant(value=…)} kernel. Every error names the 1-based column where it was found.
 */
public final class KernelSpec {
    /** Deepest nesting of parentheses a spec may have: deeper ones are refused, not parsed to a stack overflow. */
    static final int MAX_DEPTH = 100;
    private final String text;
    private int pos;
    private int depth;
    private boolean inList;

    private KernelSpec(String text) {
        this.text = text;
    }

    /**
     * Parses a spec such as {@code 2*rbf(length=3) + linear()}.
     *
     * @throws KernelSpecException naming the column of the first problem
     */
    public static Kernel parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new Kernels4jException("empty kernel spec; try e.g. rbf(gamma=0.5)");
        }
        KernelSpec p = new KernelSpec(spec);
        Node n = p.sum();
        p.skipSpace();
        if (p.pos < spec.length()) {
            throw p.error(p.pos, "unexpected '" + spec.charAt(p.pos) + "'");
        }
        if (n.kernel == null) {
            throw p.error(0, "a number alone is not a kernel; write constant(value=" + Specs.num(n.number) + ")");
        }
        return n.kernel;
    }

    /** Either a kernel or a bare number, with the column where it started. */
    private static final class Node {
        final Kernel kernel;
        final double number;

        Node(Kernel kernel, double number) {
            this.kernel = kernel;
            this.number = number;
        }
    }

    private Node sum() {
        List<Node> terms = new ArrayList<>();
        while (true) {
            skipSpace();
            terms.add(product());
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '+') {
                pos++;
            } else {
                break;
            }
        }
        if (terms.size() == 1) {
            return terms.get(0);
        }
        List<Kernel> kernels = new ArrayList<>();
        for (Node t : terms) {
            kernels.add(t.kernel != null ? t.kernel : new ConstantKernel(t.number));
        }
        return new Node(new SumKernel(kernels), 0);
    }

    private Node product() {
        double scale = 1.0;
        boolean anyNumber = false;
        List<Kernel> factors = new ArrayList<>();
        while (true) {
            int start = skipSpace();
            if (start >= text.length()) {
                throw error(start, "expected a kernel name, a number or '(' but the spec ended");
            }
            char c = text.charAt(start);
            if (c == '(') {
                if (++depth > MAX_DEPTH) {
                    throw error(start, "parentheses nested deeper than " + MAX_DEPTH + " levels");
                }
                pos++;
                Node inner = sum();
                expect(')');
                depth--;
                if (inner.kernel == null) {
                    scale *= inner.number;
                    anyNumber = true;
                } else {
                    factors.add(inner.kernel);
                }
            } else if (isNumberStart(c)) {
                double v = number();
                if (!(v > 0)) {
                    throw error(start, "a scale factor must be positive, got " + text.substring(start, pos).trim());
                }
                scale *= v;
                anyNumber = true;
            } else if (Character.isLetter(c)) {
                factors.add(call());
            } else {
                throw error(start, "expected a kernel name, a number or '(' but found '" + c + "'");
            }
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '*') {
                pos++;
            } else {
                break;
            }
        }
        if (factors.isEmpty()) {
            return new Node(null, scale);
        }
        Kernel k = factors.size() == 1 ? factors.get(0) : new ProductKernel(factors);
        return new Node(anyNumber ? new ScaledKernel(scale, k) : k, 0);
    }

    private Kernel call() {
        int start = pos;
        String name = name();
        KernelCatalog.Type type = KernelCatalog.find(name.toLowerCase(java.util.Locale.ROOT));
        if (type == null) {
            String hint = closest(name.toLowerCase(java.util.Locale.ROOT));
            throw error(start, "unknown kernel '" + name + "'" + (hint != null ? " (did you mean '" + hint + "'?)" : "")
                    + "; known kernels: " + String.join(", ", KernelCatalog.names()));
        }
        skipSpace();
        if (pos >= text.length() || text.charAt(pos) != '(') {
            throw error(pos, "expected '(' after '" + name + "'; write " + type.name() + "() for the defaults");
        }
        pos++;
        Args args = new Args(type);
        skipSpace();
        if (pos < text.length() && text.charAt(pos) == ')') {
            pos++;
        } else {
            while (true) {
                int pstart = skipSpace();
                if (pstart >= text.length() || !Character.isLetter(text.charAt(pstart))) {
                    throw error(pstart, "expected a parameter name");
                }
                String pname = name().toLowerCase(java.util.Locale.ROOT);
                skipSpace();
                expect('=');
                int vstart = skipSpace();
                Object value;
                if (vstart < text.length() && text.charAt(vstart) == '[') {
                    value = list(vstart);
                } else if (vstart < text.length() && text.charAt(vstart) == '"') {
                    int end = text.indexOf('"', vstart + 1);
                    if (end < 0) {
                        throw error(vstart, "unterminated string: a closing '\"' is missing");
                    }
                    value = new Quoted(text.substring(vstart + 1, end));
                    pos = end + 1;
                } else if (vstart < text.length() && isNumberStart(text.charAt(vstart))) {
                    value = number();
                } else if (vstart < text.length() && Character.isLetter(text.charAt(vstart))) {
                    value = name();
                } else {
                    throw error(vstart, "expected a value for '" + pname + "'");
                }
                args.put(pname, value, pstart);
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                } else {
                    break;
                }
            }
            expect(')');
        }
        try {
            Kernel k = type.create(args);
            args.checkAllUsed();
            return k;
        } catch (KernelSpecException e) {
            throw e;
        } catch (Kernels4jException e) {
            throw error(start, e.getMessage());
        }
    }

    /**
     * A bracketed list starting at {@code start}: of numbers (a {@code double[]}), of names (a
     * {@link Words}) or of number lists such as qubit pairs (a {@code double[][]}); mixed lists are refused.
     */
    private Object list(int start) {
        pos++;
        List<Object> items = new ArrayList<>();
        while (true) {
            int at = skipSpace();
            if (at < text.length() && text.charAt(at) == '[') {
                if (inList) {
                    throw error(at, "lists nest at most two deep, e.g. [[0, 1], [1, 2]]");
                }
                inList = true;
                try {
                    Object inner = list(at);
                    if (!(inner instanceof double[])) {
                        throw error(at, "an inner list must hold numbers, e.g. [0, 1]");
                    }
                    items.add(inner);
                } finally {
                    inList = false;
                }
            } else if (at < text.length() && Character.isLetter(text.charAt(at))) {
                items.add(name());
            } else {
                items.add(number());
            }
            if (items.size() > 1 && items.get(items.size() - 1).getClass() != items.get(0).getClass()) {
                throw error(at, "a list must hold only numbers, only names or only lists");
            }
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == ',') {
                pos++;
            } else {
                break;
            }
        }
        expect(']');
        Object first = items.get(0);
        if (first instanceof Double) {
            return items.stream().mapToDouble(v -> (Double) v).toArray();
        }
        if (first instanceof String) {
            List<String> words = new ArrayList<>();
            for (Object o : items) {
                words.add((String) o);
            }
            return new Words(List.copyOf(words));
        }
        double[][] lists = new double[items.size()][];
        for (int i = 0; i < lists.length; i++) {
            lists[i] = (double[]) items.get(i);
        }
        return lists;
    }

    private String name() {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        return text.substring(start, pos);
    }

    private static boolean isNumberStart(char c) {
        return Character.isDigit(c) || c == '.' || c == '-' || c == '+';
    }

    private double number() {
        int start = skipSpace();
        int p = pos;
        if (p < text.length() && (text.charAt(p) == '-' || text.charAt(p) == '+')) {
            p++;
        }
        while (p < text.length() && (Character.isDigit(text.charAt(p)) || text.charAt(p) == '.')) {
            p++;
        }
        if (p < text.length() && (text.charAt(p) == 'e' || text.charAt(p) == 'E')) {
            int q = p + 1;
            if (q < text.length() && (text.charAt(q) == '-' || text.charAt(q) == '+')) {
                q++;
            }
            if (q < text.length() && Character.isDigit(text.charAt(q))) {
                p = q;
                while (p < text.length() && Character.isDigit(text.charAt(p))) {
                    p++;
                }
            }
        }
        String s = text.substring(start, p);
        try {
            double v = Double.parseDouble(s);
            if (!Double.isFinite(v)) {
                throw error(start, "number '" + s + "' is not finite");
            }
            pos = p;
            return v;
        } catch (NumberFormatException e) {
            throw error(start, "expected a number but found '" + (s.isEmpty() && start < text.length()
                    ? String.valueOf(text.charAt(start)) : s) + "'");
        }
    }

    private void expect(char c) {
        int at = skipSpace();
        if (at >= text.length()) {
            throw error(at, "expected '" + c + "' but the spec ended");
        }
        if (text.charAt(at) != c) {
            throw error(at, "expected '" + c + "' but found '" + text.charAt(at) + "'");
        }
        pos++;
    }

    private int skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        return pos;
    }

    private KernelSpecException error(int at, String problem) {
        return new KernelSpecException(text, at + 1, problem);
    }

    private static String closest(String name) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : KernelCatalog.names()) {
            int d = editDistance(name, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1),
                        prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A list of names, e.g. {@code [Z, ZZ, YY]}. */
    record Words(List<String> words) {
    }

    /** A double-quoted parameter value. */
    record Quoted(String text) {
    }

    /**
     * The parameters written in one kernel call, as a kernel type's factory reads them: each read
     * names a declared {@link KernelCatalog.Param}, which supplies the name and the default and
     * checks the kind of value (number, integer, list, word). Reading a parameter marks it used;
     * after the factory returns, a written parameter nobody read is reported as unknown. Errors
     * point at the column where the parameter was written.
     */
    public final class Args {
        private final KernelCatalog.Type type;
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final Map<String, Integer> columns = new LinkedHashMap<>();
        private final java.util.Set<String> used = new java.util.HashSet<>();

        Args(KernelCatalog.Type type) {
            this.type = type;
        }

        void put(String name, Object value, int column) {
            if (values.containsKey(name)) {
                throw KernelSpec.this.error(column, "parameter '" + name + "' is given twice");
            }
            values.put(name, value);
            columns.put(name, column);
        }

        private String use(KernelCatalog.Param p) {
            if (type.param(p.name()) != p) {
                throw new IllegalStateException(type.name() + " reads parameter '" + p.name()
                        + "', which it does not declare");
            }
            used.add(p.name());
            return p.name();
        }

        /** Whether the spec gives {@code p}. */
        public boolean has(KernelCatalog.Param p) {
            return values.containsKey(use(p));
        }

        /** The number given for {@code p}, or its default. */
        public double number(KernelCatalog.Param p) {
            String name = use(p);
            Object v = values.get(name);
            if (v == null) {
                return (Double) requireDefault(p);
            }
            if (!(v instanceof Double)) {
                throw error(p, "'" + name + "' must be a number");
            }
            return (Double) v;
        }

        /** The integer given for {@code p}, or its default. */
        public int integer(KernelCatalog.Param p) {
            String name = use(p);
            Object v = values.get(name);
            if (v == null) {
                return (Integer) requireDefault(p);
            }
            if (!(v instanceof Double)) {
                throw error(p, "'" + name + "' must be a number");
            }
            double d = (Double) v;
            if (d != Math.rint(d) || Math.abs(d) > 1e6) {
                throw error(p, "'" + name + "' must be an integer, got " + Specs.num(d));
            }
            return (int) d;
        }

        /** The number or list of numbers given for {@code p}, or its default as a one-element list. */
        public double[] numbers(KernelCatalog.Param p) {
            String name = use(p);
            Object v = values.get(name);
            if (v == null) {
                return new double[] {(Double) requireDefault(p)};
            }
            if (v instanceof Double) {
                return new double[] {(Double) v};
            }
            if (v instanceof double[] && p.perFeatureAllowed()) {
                return (double[]) v;
            }
            throw error(p, "'" + name + "' must be a number" + (p.perFeatureAllowed() ? " or a list of numbers" : ""));
        }

        /**
         * The values given for a {@link KernelCatalog.Param#perComponent()} parameter as rows, one per
         * component: a number gives one row {@code [v]}, a flat list one single-entry row per item, a list
         * of lists its rows; absent, one row holding the default.
         */
        public double[][] numberRows(KernelCatalog.Param p) {
            String name = use(p);
            Object v = values.get(name);
            if (v == null) {
                return new double[][] {{(Double) requireDefault(p)}};
            }
            if (!p.perComponentAllowed()) {
                throw new IllegalStateException(name + " is not declared per component");
            }
            if (v instanceof Double) {
                return new double[][] {{(Double) v}};
            }
            if (v instanceof double[]) {
                double[] a = (double[]) v;
                double[][] rows = new double[a.length][];
                for (int i = 0; i < a.length; i++) {
                    rows[i] = new double[] {a[i]};
                }
                return rows;
            }
            if (v instanceof double[][]) {
                return (double[][]) v;
            }
            throw error(p, "'" + name + "' must be a number, a list with one number per component, or a list of"
                    + " per-feature lists such as [[0.1, 0.2], [0.3, 0.4]]");
        }

        /** The text of a quoted value for {@code p}, or null when it is absent or not quoted. */
        public String quoted(KernelCatalog.Param p) {
            Object v = values.get(use(p));
            return p.acceptsQuoted() && v instanceof Quoted ? ((Quoted) v).text() : null;
        }

        /**
         * The names listed for {@code p} ({@code [Z, ZZ]}, as written; a single name is a one-name list),
         * or its default.
         */
        @SuppressWarnings("unchecked")
        public List<String> wordList(KernelCatalog.Param p) {
            String name = use(p);
            Object v = values.get(name);
            if (v == null) {
                return (List<String>) requireDefault(p);
            }
            if (v instanceof Words) {
                return ((Words) v).words();
            }
            if (v instanceof String) {
                return List.of((String) v);
            }
            throw error(p, "'" + name + "' must be a list of names, e.g. [Z, ZZ]");
        }

        /**
         * The integer lists given for {@code p}, e.g. {@code [[0, 1], [1, 2]]} (a flat list {@code [0, 1]} is one
         * list), or null when {@code p} is absent or given as a word.
         */
        public int[][] integerLists(KernelCatalog.Param p) {
            String name = use(p);
            Object v = values.get(name);
            if (v == null || v instanceof String) {
                return null;
            }
            double[][] lists = v instanceof double[][] ? (double[][]) v : v instanceof double[] ? new double[][] {(double[]) v}
                    : null;
            if (lists == null || !p.acceptsLists()) {
                throw error(p, "'" + name + "' must be one of " + String.join(", ", p.words())
                        + (p.acceptsLists() ? " or a list of index lists such as [[0, 1], [1, 2]]" : ""));
            }
            int[][] out = new int[lists.length][];
            for (int i = 0; i < lists.length; i++) {
                out[i] = new int[lists[i].length];
                for (int j = 0; j < lists[i].length; j++) {
                    double d = lists[i][j];
                    if (d != Math.rint(d) || d < 0 || d > 1e6) {
                        throw error(p, "'" + name + "' must list non-negative integers, got " + Specs.num(d));
                    }
                    out[i][j] = (int) d;
                }
            }
            return out;
        }

        /** The word given for {@code p} (lower case), one of its declared words, or its default. */
        public String word(KernelCatalog.Param p) {
            String name = use(p);
            Object v = values.get(name);
            if (v == null) {
                return (String) requireDefault(p);
            }
            String w = v instanceof String ? ((String) v).toLowerCase(java.util.Locale.ROOT) : null;
            if (w == null || !p.words().contains(w)) {
                throw error(p, "'" + name + "' must be one of " + String.join(", ", p.words()));
            }
            return w;
        }

        private Object requireDefault(KernelCatalog.Param p) {
            if (p.typedDefault() == null) {
                throw new IllegalStateException(type.name() + " reads '" + p.name() + "', which has no default, "
                        + "without checking that it is given");
            }
            return p.typedDefault();
        }

        /** A spec error at the column where {@code p} was written (the spec start if it was not). */
        public KernelSpecException error(KernelCatalog.Param p, String problem) {
            Integer c = columns.get(p.name());
            return KernelSpec.this.error(c == null ? 0 : c, type.name() + ": " + problem);
        }

        void checkAllUsed() {
            for (Map.Entry<String, Integer> e : columns.entrySet()) {
                if (!used.contains(e.getKey())) {
                    List<String> names = new ArrayList<>();
                    for (KernelCatalog.Param p : type.params()) {
                        names.add(p.name());
                    }
                    throw KernelSpec.this.error(e.getValue(), type.name() + " has no parameter '" + e.getKey() + "'"
                            + (names.isEmpty() ? "; it takes none" : "; its parameters are " + String.join(", ", names)));
                }
            }
        }
    }
}
