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

    /** The terms' parameters in order (repeated names marked, see {@link Hyperparameter}). */
    @Override
    public List<Hyperparameter> hyperparameters() {
        return Hyperparameter.concat(terms);
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        return new SumKernel(Composites.replace(this, terms, values));
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        java.util.Arrays.fill(out, 0, len, 0.0);
        double[] tmp = block.borrow();
        try {
            int p = 0;
            for (Kernel k : terms) {
                int count = k.hyperparameters().size();
                k.computeGradientBlock(block, tmp, java.util.Arrays.copyOfRange(gradients, p, p + count));
                ElementOps.get().addScaled(out, tmp, len, 1.0);
                p += count;
            }
        } finally {
            block.giveBack(tmp);
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
