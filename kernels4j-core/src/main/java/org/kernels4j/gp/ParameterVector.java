package org.kernels4j.gp;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.kernels4j.kernel.GramBlock;
import org.kernels4j.kernel.Hyperparameter;
import org.kernels4j.kernel.Kernel;

/**
 * A named vector of positive hyperparameters posing as a {@link Kernel}, so that models whose
 * parameters are not one kernel's (the per-axis kernels and noise of a grid GP, the SDE components
 * and noise of a state-space GP) reuse {@link HyperparameterSearch} — bounds, fixing by name,
 * restarts — unchanged. It is never evaluated as a covariance.
 */
final class ParameterVector implements Kernel {
    private final List<Hyperparameter> parameters;
    private final Function<double[], String> describe;

    ParameterVector(List<Hyperparameter> parameters, Function<double[], String> describe) {
        this.parameters = List.copyOf(parameters);
        this.describe = describe;
    }

    /** The values θ in order. */
    double[] values() {
        return parameters.stream().mapToDouble(Hyperparameter::value).toArray();
    }

    @Override
    public List<Hyperparameter> hyperparameters() {
        return parameters;
    }

    @Override
    public Kernel withHyperparameters(double[] values) {
        Hyperparameter.requireValues(this, values, parameters.size());
        List<Hyperparameter> out = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Hyperparameter h = parameters.get(i);
            out.add(new Hyperparameter(h.name(), values[i], Math.min(h.lower(), values[i]),
                    Math.max(h.upper(), values[i])));
        }
        return new ParameterVector(out, describe);
    }

    @Override
    public double value(double[] x, double[] z) {
        throw new UnsupportedOperationException("a parameter vector is not a covariance");
    }

    @Override
    public void computeBlock(GramBlock block, double[] out) {
        throw new UnsupportedOperationException("a parameter vector is not a covariance");
    }

    @Override
    public String toSpec() {
        return describe.apply(values());
    }

    @Override
    public String toString() {
        return toSpec();
    }
}
