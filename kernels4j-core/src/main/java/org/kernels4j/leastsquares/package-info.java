/**
 * Weighted least-squares approximation from few, well-chosen points (Nouy &amp; Michel, "Weighted
 * least-squares approximation with determinantal point processes and generalized volume sampling",
 * arXiv 2312.14057; Cohen &amp; Migliorati 2017; Dereziński, Warmuth &amp; Hsu 2019).
 *
 * <p>An {@link org.kernels4j.leastsquares.OrthonormalBasis} φ = (φ₁…φ_m), orthonormal in L²(μ), spans
 * the approximation space; {@link org.kernels4j.leastsquares.OptimalSampling} draws points from the
 * optimal density ρ_m = k_m/m·μ (k_m = ‖φ‖², the inverse Christoffel function), from a projection DPP,
 * by volume-rescaled sampling or by repeated DPPs; {@link org.kernels4j.leastsquares.WeightedLeastSquares}
 * fits with the weights w = m/k_m and reports the conditioning of the weighted Gram matrix.
 */
package org.kernels4j.leastsquares;
