package org.kernels4j.approx;

import java.util.Random;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.LaplacianKernel;
import org.kernels4j.kernel.MaternKernel;
import org.kernels4j.kernel.RbfKernel;
import org.kernels4j.linalg.Matrix;

/**
 * Random Fourier features (Rahimi &amp; Recht, 2007) for shift-invariant kernels, by Bochner's
 * theorem k(x − z) = s·E_ω[cos(ωᵀ(x − z))] with ω drawn from the kernel's spectral density:
 * φ(x) = √(s/m)·[cos(ω₁ᵀx), …, cos(ω_mᵀx), sin(ω₁ᵀx), …, sin(ω_mᵀx)], D = 2m features, so
 * φ(x)·φ(z) = (s/m)·Σ_i cos(ω_iᵀ(x − z)) is unbiased with variance O(1/m).
 *
 * <p>Spectral densities (ℓ: length scale, per feature for ARD kernels):
 * <ul>
 *   <li>{@code rbf}: exp(−γ‖x − z‖²) ↔ ω ~ N(0, 2γ·I); ARD: ω_f ~ N(0, 1/ℓ_f²);</li>
 *   <li>{@code matern(nu, length)}: ω = (g/ℓ)·√(2ν/u), g ~ N(0, I), u ~ χ²(2ν) (multivariate t
 *       with 2ν degrees of freedom, any ν &gt; 0);</li>
 *   <li>{@code laplacian(gamma)} (Euclidean): Matérn ν = ½ with ℓ = 1/γ; with {@code norm=l1}:
 *       independent ω_f ~ Cauchy(0, γ);</li>
 *   <li>{@code c*k}: features of k times √c.</li>
 * </ul>
 *
 * <p>{@link Sampling#ORTHOGONAL} (orthogonal random features, Yu et al., 2016) draws the directions
 * of ω in blocks of d mutually orthogonal vectors and their lengths independently from the same
 * radial law, which keeps the estimate unbiased and lowers its variance; it needs an isotropic
 * density (not the L1 Laplacian). Cost: building O(m·d) (plus O(m·d²) for orthogonal blocks);
 * transform O(n·m·d) as one GEMM plus 2·n·m cos/sin evaluations.
 */
public final class RandomFourierFeatures extends ProjectionFeatureMap {
    /** How the frequencies are drawn. */
    public enum Sampling {
        /** Independent draws from the spectral density. */
        IID,
        /** Orthogonal directions in blocks of d, independent radii. */
        ORTHOGONAL
    }

    private final double scale;

    private RandomFourierFeatures(Kernel kernel, Matrix frequencies, double scale) {
        super(kernel, frequencies);
        this.scale = scale;
    }

    /**
     * Draws the feature map.
     *
     * @param features D, the number of features (even: D/2 frequencies, each giving a cos and a sin)
     * @param d input dimension
     */
    public static RandomFourierFeatures of(Kernel kernel, int features, int d, Sampling sampling, long seed) {
        if (features < 2 || features % 2 != 0) {
            throw new Kernels4jException("random Fourier features: the number of features must be even and >= 2, got "
                    + features);
        }
        if (d < 1) {
            throw new Kernels4jException("random Fourier features: the input dimension must be >= 1, got " + d);
        }
        FeatureMaps.Scaled scaled = FeatureMaps.Scaled.of(kernel);
        double s = scaled.scale();
        Kernel base = scaled.base();
        if (!(s > 0)) {
            throw new Kernels4jException("random features need a positive kernel scale, got " + s);
        }
        int m = features / 2;
        Random r = new Random(seed);
        double[] inverseLength = new double[d];
        double nu; // Matérn smoothness; infinity for the Gaussian
        if (base instanceof RbfKernel) {
            RbfKernel k = (RbfKernel) base;
            double[] ls = k.lengthScales();
            for (int f = 0; f < d; f++) {
                inverseLength[f] = ls == null ? Math.sqrt(2 * k.gamma()) : 1 / ls[checkArd(ls, d, f)];
            }
            nu = Double.POSITIVE_INFINITY;
        } else if (base instanceof MaternKernel) {
            MaternKernel k = (MaternKernel) base;
            double[] ls = k.lengthScales();
            for (int f = 0; f < d; f++) {
                inverseLength[f] = ls == null ? 1 / k.length() : 1 / ls[checkArd(ls, d, f)];
            }
            nu = k.nu();
        } else if (base instanceof LaplacianKernel && !((LaplacianKernel) base).isL1()) {
            java.util.Arrays.fill(inverseLength, ((LaplacianKernel) base).gamma());
            nu = 0.5;
        } else if (base instanceof LaplacianKernel) {
            if (sampling == Sampling.ORTHOGONAL) {
                throw new Kernels4jException("orthogonal random features need an isotropic kernel; the L1 Laplacian"
                        + " kernel is not (use iid sampling)");
            }
            double gamma = ((LaplacianKernel) base).gamma();
            Matrix w = new Matrix(m, d);
            for (int i = 0; i < w.data().length; i++) {
                w.data()[i] = gamma * Math.tan(Math.PI * (r.nextDouble() - 0.5));
            }
            return new RandomFourierFeatures(kernel, w, s);
        } else {
            throw new Kernels4jException("random Fourier features need a shift-invariant kernel (rbf, matern,"
                    + " laplacian, or a positive multiple of one), got " + kernel.toSpec());
        }
        Matrix w;
        if (sampling == Sampling.ORTHOGONAL) {
            w = Directions.orthonormalBlocks(m, d, r);
            for (int i = 0; i < m; i++) {
                double radius = Directions.chi(d, r) * tScale(nu, r);
                for (int f = 0; f < d; f++) {
                    w.set(i, f, w.get(i, f) * radius * inverseLength[f]);
                }
            }
        } else {
            w = Directions.gaussian(m, d, r);
            for (int i = 0; i < m; i++) {
                double t = tScale(nu, r);
                for (int f = 0; f < d; f++) {
                    w.set(i, f, w.get(i, f) * t * inverseLength[f]);
                }
            }
        }
        return new RandomFourierFeatures(kernel, w, s);
    }

    private static int checkArd(double[] ls, int d, int f) {
        if (ls.length != d) {
            throw new Kernels4jException("the kernel has " + ls.length + " length scales but the data has " + d
                    + " features");
        }
        return f;
    }

    /**
     * √(2ν/u), u ~ χ²(2ν): the multivariate-t factor of the Matérn density; 1 for the Gaussian. For an
     * integer 2ν, u is a sum of 2ν squared normals; otherwise u = 2·Gamma(ν) by Marsaglia and Tsang's
     * method (2000), boosted by U^{1/ν} for ν &lt; 1.
     */
    private static double tScale(double nu, Random r) {
        if (Double.isInfinite(nu)) {
            return 1;
        }
        double u;
        if (2 * nu == Math.rint(2 * nu)) {
            int dof = (int) Math.round(2 * nu);
            u = 0;
            for (int j = 0; j < dof; j++) {
                double g = r.nextGaussian();
                u += g * g;
            }
        } else {
            u = 2 * gamma(nu, r);
        }
        return Math.sqrt(2 * nu / u);
    }

    /** A Gamma(a, 1) draw (Marsaglia and Tsang 2000); for a &lt; 1, Gamma(a + 1)·U^{1/a}. */
    static double gamma(double a, Random r) {
        if (a < 1) {
            return gamma(a + 1, r) * Math.pow(1 - r.nextDouble(), 1 / a);
        }
        double d = a - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = r.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = 1 - r.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** The frequencies ω_i as rows, m × d. */
    public Matrix frequencies() {
        return projectionRows();
    }

    @Override
    public int outputDimension() {
        return 2 * projectionCount();
    }

    @Override
    public Matrix transform(Matrix x) {
        Matrix proj = project(x);
        int n = x.rows();
        int m = projectionCount();
        Matrix out = new Matrix(n, 2 * m);
        double c = Math.sqrt(scale / m);
        double[] p = proj.data();
        double[] o = out.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double t = p[i * m + j];
                o[i * 2 * m + j] = c * Math.cos(t);
                o[i * 2 * m + m + j] = c * Math.sin(t);
            }
        }
        return out;
    }
}
