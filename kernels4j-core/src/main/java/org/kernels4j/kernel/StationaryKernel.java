package org.kernels4j.kernel;

/**
 * A kernel that depends on its inputs only through the scaled squared distance
 * {@code s = Σ_f (x_f − z_f)²/ℓ_f²}, k(x, z) = g(s), so that its derivative with respect to an
 * input point is {@code ∂k(z, x)/∂z_f = 2g'(s)·(z_f − x_f)/ℓ_f²}. Learners that move points, such
 * as the inducing inputs of a sparse Gaussian process, use this.
 */
public interface StationaryKernel extends Kernel {
    /**
     * The per-feature scales ℓ_f that s divides by, or null when s is the plain squared Euclidean
     * distance (isotropic kernels fold their length scale into g).
     */
    double[] distanceScales();

    /** Fills {@code out} with 2·g'(s) for every pair of the tile (row-major, like {@link #computeBlock}). */
    void computeRadialDerivativeBlock(GramBlock block, double[] out);

    /**
     * 2·g'(s) for a tile of {@code kernel} when it is stationary or a positive multiple of a
     * stationary kernel, into {@code out}; returns that kernel's distance scales wrapped in a one-element
     * array (whose element may be null), or null when the kernel is not of that form.
     */
    static double[][] radialDerivative(Kernel kernel, GramBlock block, double[] out) {
        double c = 1;
        Kernel k = kernel;
        if (k instanceof ScaledKernel) {
            c = ((ScaledKernel) k).scale();
            k = ((ScaledKernel) k).kernel();
        }
        if (!(k instanceof StationaryKernel)) {
            return null;
        }
        StationaryKernel s = (StationaryKernel) k;
        s.computeRadialDerivativeBlock(block, out);
        if (c != 1) {
            org.kernels4j.linalg.ElementOps.get().scale(out, block.rows() * block.cols(), c);
        }
        return new double[][] {s.distanceScales()};
    }

    /** Whether {@link #radialDerivative} supports this kernel. */
    static boolean supports(Kernel kernel) {
        Kernel k = kernel instanceof ScaledKernel ? ((ScaledKernel) kernel).kernel() : kernel;
        return k instanceof StationaryKernel;
    }
}
