package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.ElementOps;

/** Sum of kernels {@code k(x, z) = Σ_i k_i(x, z)}. Spec: {@code k1 + k2 + …}. */
public final class SumKernel implements Kernel {
    private final List<Kernel> terms;

    /** At least one term; nested sums are flattened. */
    public SumKernel(List<Kernel> terms) {
        if (terms.isEmpty()) {
            throw new Kernels4jException("a sum of kernels needs at least one term");
        }
        List<Kernel> flat = new ArrayList<>();
        for (Kernel k : terms) {
            if (k instanceof SumKernel) {
                flat.addAll(((SumKernel) k).terms);
            } else {
                flat.add(k);
            }
        }
        this.terms = List.copyOf(flat);
    }

    /** The terms, in order. */
    public List<Kernel> terms() {
        return terms;
    }

    @Override
    public double value(double[] x, double[] z) {
        double s = 0;
        for (Kernel k : terms) {
            s += k.value(x, z);
        }
        return s;
    }

    @Override
    public double selfValue(double[] x) {
        double s = 0;
        for (Kernel k : terms) {
            s += k.selfValue(x);
        }
        return s;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        terms.get(0).computeBlock(block, out);
        if (terms.size() > 1) {
            double[] tmp = block.borrow();
            try {
                for (int t = 1; t < terms.size(); t++) {
                    terms.get(t).computeBlock(block, tmp);
                    ElementOps.get().addScaled(out, tmp, len, 1.0);
                }
            } finally {
                block.giveBack(tmp);
            }
        }
    }

    @Override
    public String toSpec() {
        return terms.stream().map(Kernel::toSpec).collect(Collectors.joining(" + "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SumKernel && ((SumKernel) o).terms.equals(terms);
    }

    @Override
    public int hashCode() {
        return terms.hashCode();
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
