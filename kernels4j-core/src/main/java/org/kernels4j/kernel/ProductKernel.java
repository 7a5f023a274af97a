package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.ElementOps;

/**
 * Product of kernels {@code k(x, z) = Π_i k_i(x, z)} (PSD by the Schur product theorem).
 * Spec: {@code k1 * k2}; sums inside a product are written in parentheses.
 */
public final class ProductKernel implements Kernel {
    private final List<Kernel> factors;

    /** At least one factor; nested products are flattened. */
    public ProductKernel(List<Kernel> factors) {
        if (factors.isEmpty()) {
            throw new Kernels4jException("a product of kernels needs at least one factor");
        }
        List<Kernel> flat = new ArrayList<>();
        for (Kernel k : factors) {
            if (k instanceof ProductKernel) {
                flat.addAll(((ProductKernel) k).factors);
            } else {
                flat.add(k);
            }
        }
        this.factors = List.copyOf(flat);
    }

    /** The factors, in order. */
    public List<Kernel> factors() {
        return factors;
    }

    @Override
    public double value(double[] x, double[] z) {
        double p = 1;
        for (Kernel k : factors) {
            p *= k.value(x, z);
        }
        return p;
    }

    @Override
    public double selfValue(double[] x) {
        double p = 1;
        for (Kernel k : factors) {
            p *= k.selfValue(x);
        }
        return p;
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        int len = block.rows() * block.cols();
        factors.get(0).computeBlock(block, out);
        if (factors.size() > 1) {
            double[] tmp = block.borrow();
            try {
                for (int t = 1; t < factors.size(); t++) {
                    factors.get(t).computeBlock(block, tmp);
                    ElementOps.get().multiply(out, tmp, len);
                }
            } finally {
                block.giveBack(tmp);
            }
        }
    }

    /** The factors' parameters in order; ∂(Π k_i)/∂θ = (∂k_j/∂θ)·Π_(i≠j) k_i for θ of factor j. */
    @Override
    public List<Hyperparameter> hyperparameters() {
        return Hyperparameter.concat(factors);
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        return new ProductKernel(Composites.replace(this, factors, values));
    }

    @Override
    public void computeGradientBlock(GramBlock block, double[] out, double[][] gradients) {
        int len = block.rows() * block.cols();
        ElementOps ops = ElementOps.get();
        int f = factors.size();
        double[][] values = new double[f][];
        int[] first = new int[f + 1];
        try {
            for (int i = 0; i < f; i++) {
                values[i] = block.borrow();
                first[i + 1] = first[i] + factors.get(i).hyperparameters().size();
                factors.get(i).computeGradientBlock(block, values[i],
                        java.util.Arrays.copyOfRange(gradients, first[i], first[i + 1]));
            }
            System.arraycopy(values[0], 0, out, 0, len);
            for (int i = 1; i < f; i++) {
                ops.multiply(out, values[i], len);
            }
            for (int i = 0; i < f; i++) {
                for (int p = first[i]; p < first[i + 1]; p++) {
                    for (int j = 0; j < f; j++) {
                        if (j != i) {
                            ops.multiply(gradients[p], values[j], len);
                        }
                    }
                }
            }
        } finally {
            for (double[] v : values) {
                if (v != null) {
                    block.giveBack(v);
                }
            }
        }
    }

    @Override
    public String toSpec() {
        return factors.stream().map(k -> k instanceof SumKernel || k instanceof ScaledKernel ? "(" + k.toSpec() + ")" : k.toSpec())
                .collect(Collectors.joining(" * "));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProductKernel && ((ProductKernel) o).factors.equals(factors);
    }

    @Override
    public int hashCode() {
        return factors.hashCode() * 7;
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
