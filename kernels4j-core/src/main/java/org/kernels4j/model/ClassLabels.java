package org.kernels4j.model;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * The names of a classifier's classes: class {@code k} (0-based) is called {@code names().get(k)}.
 *
 * <p>Classifiers work on numeric labels ({@link Classifier#classes()}); text labels such as
 * {@code spam}/{@code nonspam} are encoded as their index in this list before fitting
 * ({@link #encode}) and decoded after prediction ({@link #name}). {@link #of(Collection)} orders
 * the names as Java's {@link String#compareTo} does (as scikit-learn's {@code LabelEncoder}
 * does), so the same set of labels always gets the same codes, and probability columns follow
 * that order.
 *
 * <p>Immutable. Lookups are O(1) after O(K) construction for K classes.
 */
public final class ClassLabels {
    private final List<String> names;
    private final Map<String, Integer> index;

    private ClassLabels(List<String> names) {
        this.names = List.copyOf(names);
        this.index = new HashMap<>();
        for (int k = 0; k < this.names.size(); k++) {
            if (this.names.get(k).isEmpty()) {
                throw new Kernels4jException("class " + k + " has an empty name");
            }
            if (index.put(this.names.get(k), k) != null) {
                throw new Kernels4jException("class name '" + this.names.get(k) + "' appears twice");
            }
        }
        if (this.names.isEmpty()) {
            throw new Kernels4jException("no class names");
        }
    }

    /** The distinct values of {@code labels}, sorted; class k is the k-th smallest. */
    public static ClassLabels of(Collection<String> labels) {
        return new ClassLabels(new ArrayList<>(new TreeSet<>(labels)));
    }

    /**
     * Names in the given order (as read back from a model file).
     *
     * @throws Kernels4jException for an empty list, an empty name or a name given twice
     */
    public static ClassLabels inOrder(List<String> names) {
        return new ClassLabels(names);
    }

    /** The class names; class k is {@code names().get(k)}. */
    public List<String> names() {
        return names;
    }

    /** Number of classes. */
    public int size() {
        return names.size();
    }

    /** The index of {@code label}, or −1 when it is not one of these classes. */
    public int indexOf(String label) {
        Integer k = index.get(label);
        return k == null ? -1 : k;
    }

    /**
     * The name of class {@code code}.
     *
     * @throws Kernels4jException when {@code code} is not an integer in [0, size())
     */
    public String name(double code) {
        if (!(code >= 0 && code < names.size() && code == Math.rint(code))) {
            throw new Kernels4jException("class code " + code + " is not one of the " + names.size()
                    + " named classes (0.." + (names.size() - 1) + ")");
        }
        return names.get((int) code);
    }

    /**
     * The n×1 codes of {@code labels}.
     *
     * @throws Kernels4jException naming the first label that is not one of these classes (1-based row)
     */
    public Matrix encode(List<String> labels) {
        Matrix y = new Matrix(labels.size(), 1);
        for (int i = 0; i < labels.size(); i++) {
            int k = indexOf(labels.get(i));
            if (k < 0) {
                throw new Kernels4jException("row " + (i + 1) + ": label '" + labels.get(i) + "' is not one of the "
                        + "classes " + names);
            }
            y.set(i, 0, k);
        }
        return y;
    }

    /** These names followed by those of {@code more} that are not among them, in their order. */
    public ClassLabels extendedWith(Collection<String> more) {
        List<String> all = new ArrayList<>(names);
        for (String s : new TreeSet<>(more)) {
            if (!index.containsKey(s)) {
                all.add(s);
            }
        }
        return all.size() == names.size() ? this : new ClassLabels(all);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassLabels c && c.names.equals(names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
