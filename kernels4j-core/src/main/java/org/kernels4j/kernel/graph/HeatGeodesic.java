package org.kernels4j.kernel.graph;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Heat-geodesic distances (Huguet et al., "A Heat Diffusion Perspective on Geodesic Preserving Dimensionality
 * Reduction"; code {@code KrishnaswamyLab/HeatGeo}): with the heat kernel H_t = exp(−t·𝓛),
 * <pre>  d_t(i,j) = sqrt( max(0, −4t·ln H_t(i,j) + σ·4t·ln(½(H_t(i,i) + H_t(j,j)))) )</pre>
 * By Varadhan's formula −4t·ln h_t(x,y) → d_geo(x,y)² as t → 0 on a manifold; the Harnack term σ ∈ [0,1] (default 0)
 * removes the volume factor (4πt)^{−dim/2}: with σ = 1 a Gaussian kernel gives back the squared distance exactly.
 * Here H_t is exact, from one eigendecomposition of 𝓛 (HeatGeo approximates it by a Chebyshev polynomial of
 * order 32 and clips its negative values to 0); 𝓛 is the normalised Laplacian L_sym (HeatGeo's choice, default) or
 * L = D − A. Entries below 10⁻¹⁵·max H_t (far pairs at a small t: below what the double-precision spectral route
 * resolves, and possibly negative from rounding) are raised to that floor, so those distances saturate at
 * about sqrt(4t·(34.5 − ln max H_t)) instead of being NaN (HeatGeo clips them to 0). Cost: one decomposition (9n³ flops) per graph, then n³ per t.
 */
public final class HeatGeodesic {
    /** Which Laplacian drives the diffusion. */
    public enum Laplacian {
        /** L_sym = I − D^{−½}AD^{−½}. */
        NORMALIZED,
        /** L = D − A. */
        COMBINATORIAL
    }

    private final double time;
    private final double harnack;
    private final Laplacian laplacian;

    private HeatGeodesic(Builder b) {
        this.time = b.time;
        this.harnack = b.harnack;
        this.laplacian = b.laplacian;
    }

    /** Options: time t = 10 (HeatGeo's default τ), σ = 0, normalised Laplacian. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options for {@link HeatGeodesic}. */
    public static final class Builder {
        private double time = 10;
        private double harnack = 0;
        private Laplacian laplacian = Laplacian.NORMALIZED;

        private Builder() {
        }

        /** Diffusion time t &gt; 0. */
        public Builder time(double t) {
            if (!(t > 0) || Double.isInfinite(t)) {
                throw new Kernels4jException("heat-geodesic time must be positive and finite, got " + t);
            }
            this.time = t;
            return this;
        }

        /** Harnack regulariser σ ∈ [0, 1]. */
        public Builder harnack(double sigma) {
            if (!(sigma >= 0 && sigma <= 1)) {
                throw new Kernels4jException("Harnack regulariser must be in [0, 1], got " + sigma);
            }
            this.harnack = sigma;
            return this;
        }

        /** The Laplacian. */
        public Builder laplacian(Laplacian l) {
            this.laplacian = l;
            return this;
        }

        /** The distance. */
        public HeatGeodesic build() {
            return new HeatGeodesic(this);
        }
    }

    /** The heat kernel H_t = exp(−t·𝓛) of the graph (n×n, exact). */
    public Matrix heatKernel(GraphSpectra spectra) {
        SymmetricEigen e;
        double[] f;
        if (laplacian == Laplacian.NORMALIZED) {
            e = spectra.normalizedAdjacency("heat-geodesic distances on the normalised Laplacian");
            f = new double[e.size()];
            for (int k = 0; k < f.length; k++) {
                f[k] = Math.exp(-time * (1 - e.value(k)));
            }
        } else {
            e = spectra.laplacian();
            f = new double[e.size()];
            for (int k = 0; k < f.length; k++) {
                f[k] = Math.exp(-time * e.value(k));
            }
        }
        return GraphSpectra.apply(e, f, true, null, null);
    }

    /** The n×n heat-geodesic distances d_t (zero diagonal). Requires a connected graph. */
    public Matrix distances(Graph graph) {
        return distances(GraphSpectra.of(graph));
    }

    /** {@link #distances(Graph)} reusing shared spectra (several t on one graph cost one decomposition). */
    public Matrix distances(GraphSpectra spectra) {
        Graph g = spectra.graph();
        g.requireConnected("heat-geodesic distances");
        Matrix h = heatKernel(spectra);
        int n = g.size();
        double max = 0;
        for (double v : h.data()) {
            max = Math.max(max, v);
        }
        double floor = 1e-15 * max;
        Matrix clamped = h.copy();
        double[] cd = clamped.data();
        for (int q = 0; q < cd.length; q++) {
            cd[q] = Math.max(cd[q], floor);
        }
        Matrix logH = GraphKernels.log(clamped, g, "heat-geodesic distance (t = " + time + ")");
        double[] l = logH.data();
        double[] hd = h.data();
        Matrix d = new Matrix(n, n);
        double[] o = d.data();
        double c = 4 * time;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i == j) {
                    continue;
                }
                double v = -c * l[i * n + j];
                if (harnack != 0) {
                    v += harnack * c * Math.log(0.5 * (hd[i * n + i] + hd[j * n + j]));
                }
                o[i * n + j] = Math.sqrt(Math.max(0, v));
            }
        }
        // symmetrise: H is symmetric up to rounding
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double m = 0.5 * (o[i * n + j] + o[j * n + i]);
                o[i * n + j] = m;
                o[j * n + i] = m;
            }
        }
        return d;
    }
}
