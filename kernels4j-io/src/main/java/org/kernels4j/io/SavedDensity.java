package org.kernels4j.io;

import java.util.List;
import org.kernels4j.density.KernelDensity;

/**
 * A kernel density estimate with the names of the features it was fitted on.
 *
 * @param density the estimate (points, weights, bandwidth matrix, profile)
 * @param featureNames names of the d features, in order
 */
public record SavedDensity(KernelDensity density, List<String> featureNames) {
}
