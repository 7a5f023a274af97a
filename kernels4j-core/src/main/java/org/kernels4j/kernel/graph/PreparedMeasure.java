package org.kernels4j.kernel.graph;

import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * A {@link GraphMeasure} on one graph with its expensive part done once: the eigendecomposition of A, L or
 * D^{−½}AD^{−½} (shared through {@link GraphSpectra}), L⁺ for the commute-time family, shortest paths for sp/spct.
 * Each {@link #kernel} or {@link #distance} call then costs one {@code dsyrk} (n³ flops, the spectral kernels) or
 * O(n²) (sct, scct, ct, sp, spct) — a 30-value sweep is one decomposition plus 30 products, not 30 inverses or
 * matrix exponentials. Immutable after construction apart from the lazily filled shared spectra; use from one thread.
 */
public final class PreparedMeasure {
    private final GraphMeasure measure;
    private final GraphSpectra spectra;
    private final Graph graph;
    private final double rho;
    private final Matrix base; // L⁺ (sct, ct) or K_CCT (scct), scaled by 1/std for the sigmoid ones
    private final Matrix commute; // 2·vol·R for spct
    private final Matrix shortest; // D_SP for sp, spct

    PreparedMeasure(GraphMeasure measure, GraphSpectra spectra) {
        this.measure = measure;
        this.spectra = spectra;
        this.graph = spectra.graph();
        String what = measure.id() + " kernels";
        if (measure.isLogarithmic()) {
            graph.requireConnected("logarithmic measures (" + measure.id() + ")");
        }
        double r = Double.NaN;
        Matrix b = null;
        Matrix c = null;
        Matrix s = null;
        switch (measure.family) {
            case WALK, COMM -> {
                spectra.adjacency();
                r = spectra.spectralRadius();
            }
            case FOREST, HEAT -> spectra.laplacian();
            case NHEAT, PPR, MODIFPPR, HEATPR -> spectra.normalizedAdjacency(what);
            case SCT, CT -> {
                b = GraphKernels.laplacianPseudoInverse(spectra);
                if (measure.family == GraphMeasure.Family.SCT) {
                    GraphKernels.scale(b, 1 / standardDeviation(b));
                }
            }
            case SCCT -> {
                b = correctedCommuteTimeKernel(spectra, what);
                GraphKernels.scale(b, 1 / standardDeviation(b));
            }
            case SP -> s = GraphKernels.shortestPaths(graph);
            case SPCT -> {
                s = GraphKernels.shortestPaths(graph);
                c = GraphKernels.resistance(spectra);
                GraphKernels.scale(c, 2 * graph.volume());
            }
            default -> throw new IllegalStateException(measure.toString());
        }
        this.rho = r;
        this.base = b;
        this.commute = c;
        this.shortest = s;
    }

    /** The measure. */
    public GraphMeasure measure() {
        return measure;
    }

    /** The graph. */
    public Graph graph() {
        return graph;
    }

    /**
     * The measure's own parameter for a rescaled t′ ({@link GraphMeasure.Scaler}): t′/ρ, ½t′/(1−t′) or t′.
     *
     * @throws Kernels4jException unless 0 &lt; t′ &lt; 1 (0 ≤ t′ ≤ 1 for spct's λ; anything for ct and sp)
     */
    public double parameter(double tPrime) {
        GraphMeasure.Scaler sc = measure.scaler();
        boolean closed = measure.family == GraphMeasure.Family.SPCT;
        if (sc != GraphMeasure.Scaler.NONE
                && !(closed ? tPrime >= 0 && tPrime <= 1 : tPrime > 0 && tPrime < 1)) {
            throw new Kernels4jException(measure.id() + ": rescaled parameter t' = " + tPrime + " is outside "
                    + (closed ? "[0, 1]" : "(0, 1)"));
        }
        return switch (sc) {
            case RHO -> tPrime / rho;
            case FRACTION -> 0.5 * tPrime / (1 - tPrime);
            case LINEAR -> tPrime;
            case NONE -> Double.NaN;
        };
    }

    /** The range of the measure's own parameter, as text (e.g. {@code "0 < t < 1/rho = 0.25"}). */
    public String parameterRange() {
        return switch (measure.scaler()) {
            case RHO -> "0 < t < 1/rho = " + (1 / rho);
            case FRACTION -> measure.family == GraphMeasure.Family.SCT || measure.family == GraphMeasure.Family.SCCT
                    ? "alpha > 0" : "t > 0";
            case LINEAR -> measure.family == GraphMeasure.Family.SPCT ? "0 <= lambda <= 1" : "0 < alpha < 1";
            case NONE -> "no parameter";
        };
    }

    private void requireParameter(double t) {
        boolean ok = switch (measure.scaler()) {
            case RHO -> t > 0 && t < 1 / rho;
            case FRACTION -> t > 0 && Double.isFinite(t);
            case LINEAR -> measure.family == GraphMeasure.Family.SPCT ? t >= 0 && t <= 1 : t > 0 && t < 1;
            case NONE -> true;
        };
        if (!ok) {
            throw new Kernels4jException(measure.id() + ": parameter " + t + " is outside its range "
                    + parameterRange());
        }
    }

    /** The kernel at the rescaled parameter t′ ({@link #parameter}). */
    public Matrix kernelAtScaled(double tPrime) {
        return kernel(parameter(tPrime));
    }

    /** The distance at the rescaled parameter t′ ({@link #parameter}). */
    public Matrix distanceAtScaled(double tPrime) {
        return distance(parameter(tPrime));
    }

    /**
     * The n×n kernel (for a log measure, ln of the plain kernel) at the measure's own parameter t (ignored by ct and
     * sp). New matrix; row i is node {@code graph().name(i)}.
     *
     * @throws Kernels4jException when t is outside its range, when a plain exponential kernel overflows (use its log
     *     form), or when a log form meets a non-positive entry
     */
    public Matrix kernel(double t) {
        requireParameter(t);
        SymmetricEigen e;
        double[] f;
        double[] left = null;
        double[] right = null;
        double shift = 0; // the kernel is e^shift · V f Vᵀ (exponential families, so ln stays finite)
        int n = graph.size();
        switch (measure.family) {
            case WALK -> {
                e = spectra.adjacency();
                f = map(e, l -> 1 / (1 - t * l));
            }
            case FOREST -> {
                e = spectra.laplacian();
                f = map(e, l -> 1 / (1 + t * l));
            }
            case COMM -> {
                e = spectra.adjacency();
                f = map(e, l -> t * l);
                shift = exponentiateShifted(f);
            }
            case HEAT -> {
                e = spectra.laplacian();
                f = map(e, l -> -t * l);
                shift = exponentiateShifted(f);
            }
            case NHEAT, HEATPR -> {
                e = spectra.normalizedAdjacency(measure.id() + " kernels");
                f = map(e, l -> -t * (1 - l)); // L_sym = I − S, and I − P = D^{−½}(I − S)D^{½}
                shift = exponentiateShifted(f);
                if (measure.family == GraphMeasure.Family.HEATPR) {
                    left = graph.inverseSqrtDegrees();
                    right = sqrtDegrees();
                }
            }
            case PPR, MODIFPPR -> {
                e = spectra.normalizedAdjacency(measure.id() + " kernels");
                f = map(e, l -> 1 / (1 - t * l));
                left = graph.inverseSqrtDegrees();
                right = measure.family == GraphMeasure.Family.PPR ? sqrtDegrees() : left;
            }
            case SCT, SCCT -> {
                return finish(sigmoid(base, t), 0);
            }
            case CT -> {
                return finish(base.copy(), 0);
            }
            case SP -> {
                return GraphKernels.toKernel(shortest);
            }
            case SPCT -> {
                return GraphKernels.toKernel(spctDistance(t));
            }
            default -> throw new IllegalStateException(measure.toString());
        }
        boolean nonNegative = true;
        for (double v : f) {
            nonNegative &= v >= 0;
        }
        Matrix h = GraphSpectra.apply(e, f, nonNegative, left, right);
        assert h.rows() == n;
        return finish(h, shift);
    }

    private Matrix finish(Matrix h, double shift) {
        if (measure.isLogarithmic()) {
            Matrix l = GraphKernels.log(h, graph, measure.id());
            if (shift != 0) {
                double[] d = l.data();
                for (int k = 0; k < d.length; k++) {
                    d[k] += shift;
                }
            }
            return l;
        }
        if (shift != 0) {
            GraphKernels.scale(h, Math.exp(shift));
            for (double v : h.data()) {
                if (!Double.isFinite(v)) {
                    throw new Kernels4jException(measure.id() + ": the kernel overflows double precision at this"
                            + " parameter (exp of " + shift + "); use log-" + measure.id() + " or a smaller parameter");
                }
            }
        }
        return h;
    }

    /**
     * The n×n distance at parameter t: ½(h1ᵀ + 1hᵀ) − ½(H + Hᵀ) of {@link #kernel}, to the power 0.5 for comm and
     * log-comm; vol·R for ct, D_SP for sp, λ·D_SP + (1−λ)·2·vol·R for spct.
     */
    public Matrix distance(double t) {
        requireParameter(t);
        switch (measure.family) {
            case CT -> {
                Matrix r = GraphKernels.toDistance(base);
                GraphKernels.scale(r, 2 * graph.volume());
                return r;
            }
            case SP -> {
                return shortest.copy();
            }
            case SPCT -> {
                return spctDistance(t);
            }
            default -> {
                double power = measure.family == GraphMeasure.Family.COMM ? 0.5 : 1.0;
                return GraphKernels.toDistance(kernel(t), power);
            }
        }
    }

    private Matrix spctDistance(double lambda) {
        int n = graph.size();
        Matrix d = new Matrix(n, n);
        double[] o = d.data();
        double[] sp = shortest.data();
        double[] ct = commute.data();
        for (int k = 0; k < o.length; k++) {
            o[k] = lambda * sp[k] + (1 - lambda) * ct[k];
        }
        return d;
    }

    private static double[] map(SymmetricEigen e, java.util.function.DoubleUnaryOperator f) {
        double[] out = new double[e.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = f.applyAsDouble(e.value(k));
        }
        return out;
    }

    /** Replaces exponents x_k by e^{x_k − m} with m = max x_k and returns m. */
    private static double exponentiateShifted(double[] x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        for (int k = 0; k < x.length; k++) {
            x[k] = Math.exp(x[k] - m);
        }
        return m;
    }

    private double[] sqrtDegrees() {
        double[] d = graph.degrees();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.sqrt(d[i]);
        }
        return d;
    }

    private static Matrix sigmoid(Matrix scaled, double alpha) {
        Matrix out = new Matrix(scaled.rows(), scaled.cols());
        double[] a = scaled.data();
        double[] o = out.data();
        for (int k = 0; k < a.length; k++) {
            o[k] = 1 / (1 + Math.exp(-alpha * a[k]));
        }
        return out;
    }

    /** Population standard deviation of all n² entries (numpy's {@code K.std()}, as pygkernels uses). */
    private static double standardDeviation(Matrix m) {
        double[] d = m.data();
        double mean = 0;
        for (double v : d) {
            mean += v;
        }
        mean /= d.length;
        double ss = 0;
        for (double v : d) {
            ss += (v - mean) * (v - mean);
        }
        return Math.sqrt(ss / d.length);
    }

    /**
     * K_CCT = J·D^{−½}·M(I − M)⁻¹M·D^{−½}·J with M = S − uuᵀ, u = √d/√vol the unit Perron vector of S (eigenvalue 1):
     * M shares S's eigenvectors with that eigenvalue set to 0, so M(I−M)⁻¹M = V·diag(λ²/(1−λ))·Vᵀ over the other
     * eigenvalues (all &lt; 1 on a connected graph).
     */
    private static Matrix correctedCommuteTimeKernel(GraphSpectra spectra, String what) {
        Graph g = spectra.graph();
        g.requireConnected("corrected commute-time kernels (scct)");
        SymmetricEigen e = spectra.normalizedAdjacency(what);
        int n = e.size();
        double[] f = new double[n];
        for (int k = 0; k < n - 1; k++) { // the largest (last) eigenvalue is the Perron value 1
            double l = e.value(k);
            f[k] = l * l / (1 - l);
        }
        double[] r = g.inverseSqrtDegrees();
        Matrix k = GraphSpectra.apply(e, f, true, r, r);
        Matrix centred = GraphKernels.toKernel(k); // −½·J·K·J; scale by −2 for J·K·J
        GraphKernels.scale(centred, -2);
        return centred;
    }
}
