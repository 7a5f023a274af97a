package org.kernels4j.bo;

import java.util.Arrays;

/**
 * One evaluation: the objective's value at a point (parameter values in {@link SearchSpace} order).
 * The point is copied in and out, so an observation cannot change.
 */
public record Observation(double[] point, double value) {
    /** Copies the point. */
    public Observation {
        point = point.clone();
    }

    /** A copy of the point. */
    @Override
    public double[] point() {
        return point.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Observation other && Arrays.equals(point, other.point)
                && Double.compare(value, other.value) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(point) + Double.hashCode(value);
    }

    @Override
    public String toString() {
        return Arrays.toString(point) + " -> " + value;
    }
}
