package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Hyperparameter bookkeeping shared by sums and products of kernels. */
final class Composites {
    private Composites() {
    }

    /** The parts with their hyperparameters replaced by consecutive slices of {@code values}. */
    static List<Kernel> replace(Kernel whole, List<Kernel> parts, double[] values) {
        int total = 0;
        for (Kernel k : parts) {
            total += k.hyperparameters().size();
        }
        Hyperparameter.requireValues(whole, values, total);
        List<Kernel> out = new ArrayList<>();
        int p = 0;
        for (Kernel k : parts) {
            int count = k.hyperparameters().size();
            out.add(k.withHyperparameters(Arrays.copyOfRange(values, p, p + count)));
            p += count;
        }
        return out;
    }
}
