package org.kernels4j.kernel.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Proximity measures on the nodes of a graph (pygkernels' set, {@code vlivashkin/pygkernels measure/}), each a
 * function of one parameter giving an n×n matrix over the nodes. A is the adjacency matrix, D = diag(A·1),
 * L = D − A, P = D⁻¹A, L_sym = I − D^{−½}AD^{−½}, ρ = ρ(A):
 * <table>
 * <caption>measures</caption>
 * <tr><th>id</th><th>kernel H</th><th>parameter</th><th>scaler t′ ∈ (0,1) → t</th></tr>
 * <tr><td>walk</td><td>(I − tA)⁻¹ (Katz)</td><td>0 &lt; t &lt; 1/ρ</td><td>t = t′/ρ</td></tr>
 * <tr><td>forest</td><td>(I + tL)⁻¹</td><td>t &gt; 0</td><td>t = ½t′/(1−t′)</td></tr>
 * <tr><td>comm</td><td>exp(tA)</td><td>t &gt; 0</td><td>½t′/(1−t′)</td></tr>
 * <tr><td>heat</td><td>exp(−tL)</td><td>t &gt; 0</td><td>½t′/(1−t′)</td></tr>
 * <tr><td>nheat</td><td>exp(−t·L_sym)</td><td>t &gt; 0</td><td>½t′/(1−t′)</td></tr>
 * <tr><td>ppr</td><td>(I − αP)⁻¹ (not symmetric; rows sum to 1/(1−α))</td><td>0 &lt; α &lt; 1</td><td>α = t′</td></tr>
 * <tr><td>modifppr</td><td>(D − αA)⁻¹</td><td>0 &lt; α &lt; 1</td><td>α = t′</td></tr>
 * <tr><td>heatpr</td><td>exp(−t(I − P))</td><td>t &gt; 0</td><td>½t′/(1−t′)</td></tr>
 * <tr><td>sct</td><td>σ(αK/s) with K = L⁺, s = std of K's n² entries, σ(x) = 1/(1+e^{−x})</td><td>α &gt; 0</td>
 *     <td>½t′/(1−t′)</td></tr>
 * <tr><td>scct</td><td>σ(αK/s) with the corrected commute-time kernel K = J D^{−½}M(I−M)⁺M D^{−½} J,
 *     M = D^{−½}(A − ddᵀ/vol)D^{−½}</td><td>α &gt; 0</td><td>½t′/(1−t′)</td></tr>
 * <tr><td>ct</td><td>L⁺; distance vol(G)·R (commute time)</td><td>none</td><td>—</td></tr>
 * <tr><td>sp</td><td>−½J·D_SP·J; distance D_SP, shortest paths with length 1/weight</td><td>none</td><td>—</td></tr>
 * <tr><td>spct</td><td>−½J·D·J with D = λ·D_SP + (1−λ)·2·vol·R</td><td>0 ≤ λ ≤ 1</td><td>λ = t′</td></tr>
 * </table>
 * The {@code log-} form of each kernel with positive entries (walk … scct) is the element-wise logarithm ln H
 * (a connected graph is required; a non-positive entry is an error naming the pair, see
 * {@link GraphKernels#log}). For the exponential kernels the log form is computed from a rescaled spectrum,
 * ln H = m + ln(V·e^{f(Λ)−m}·Vᵀ) with m = max f, so log-comm stays finite where exp(tA) itself overflows.
 * Accuracy: the spectral route gives each entry to an absolute error of about ε·max|H| (as a dense inverse or
 * Padé exponential does), so ln H_ij is good to about ε·max|H|/H_ij: entries many orders below the largest (far
 * nodes at a small parameter) lose digits in the log form.
 *
 * <p>Distances ({@link PreparedMeasure#distance}): D = ½(h1ᵀ + 1hᵀ) − ½(H + Hᵀ) of the (log) kernel, raised to the
 * power 0.5 for comm and log-comm (pygkernels' {@code Comm_D}/{@code logComm_D}); ct, sp and spct give their
 * distances directly. pygkernels' 10⁻¹⁰ guards in its scalers are left out.
 */
public enum GraphMeasure {
    /** Walk (Katz): (I − tA)⁻¹. */
    WALK("walk", Family.WALK, false),
    /** ln (I − tA)⁻¹ (the paper's "Walk"; plain is "pWalk"). */
    LOG_WALK("log-walk", Family.WALK, true),
    /** Forest: (I + tL)⁻¹. */
    FOREST("forest", Family.FOREST, false),
    /** ln (I + tL)⁻¹. */
    LOG_FOREST("log-forest", Family.FOREST, true),
    /** Communicability: exp(tA). */
    COMM("comm", Family.COMM, false),
    /** ln exp(tA) (the paper's usual leader). */
    LOG_COMM("log-comm", Family.COMM, true),
    /** Heat: exp(−tL). */
    HEAT("heat", Family.HEAT, false),
    /** ln exp(−tL). */
    LOG_HEAT("log-heat", Family.HEAT, true),
    /** Normalised heat: exp(−t·L_sym). */
    NHEAT("nheat", Family.NHEAT, false),
    /** ln exp(−t·L_sym). */
    LOG_NHEAT("log-nheat", Family.NHEAT, true),
    /** Personalised PageRank: (I − αP)⁻¹. */
    PPR("ppr", Family.PPR, false),
    /** ln (I − αP)⁻¹. */
    LOG_PPR("log-ppr", Family.PPR, true),
    /** Modified PageRank: (D − αA)⁻¹. */
    MODIFPPR("modifppr", Family.MODIFPPR, false),
    /** ln (D − αA)⁻¹. */
    LOG_MODIFPPR("log-modifppr", Family.MODIFPPR, true),
    /** Heat PageRank: exp(−t(I − P)). */
    HEATPR("heatpr", Family.HEATPR, false),
    /** ln exp(−t(I − P)). */
    LOG_HEATPR("log-heatpr", Family.HEATPR, true),
    /** Sigmoid commute time. */
    SCT("sct", Family.SCT, false),
    /** ln of the sigmoid commute time. */
    LOG_SCT("log-sct", Family.SCT, true),
    /** Sigmoid corrected commute time. */
    SCCT("scct", Family.SCCT, false),
    /** ln of the sigmoid corrected commute time. */
    LOG_SCCT("log-scct", Family.SCCT, true),
    /** Commute time: kernel L⁺, distance vol·R. */
    CT("ct", Family.CT, false),
    /** Shortest path: distance D_SP, kernel −½J·D_SP·J. */
    SP("sp", Family.SP, false),
    /** Shortest path / commute time mix: λ·D_SP + (1−λ)·2·vol·R. */
    SPCT("spct", Family.SPCT, false);

    /** How a rescaled parameter t′ ∈ (0,1) maps to the measure's own parameter (pygkernels' scalers). */
    public enum Scaler {
        /** t = t′/ρ(A): t′ ∈ (0,1) covers 0 &lt; t &lt; 1/ρ. */
        RHO,
        /** t = ½t′/(1 − t′): t′ ∈ (0,1) covers t &gt; 0 (t′ = ½ gives t = ½). */
        FRACTION,
        /** t = t′. */
        LINEAR,
        /** No parameter; the value is ignored. */
        NONE
    }

    enum Family {
        WALK(Scaler.RHO), FOREST(Scaler.FRACTION), COMM(Scaler.FRACTION), HEAT(Scaler.FRACTION),
        NHEAT(Scaler.FRACTION), PPR(Scaler.LINEAR), MODIFPPR(Scaler.LINEAR), HEATPR(Scaler.FRACTION),
        SCT(Scaler.FRACTION), SCCT(Scaler.FRACTION), CT(Scaler.NONE), SP(Scaler.NONE), SPCT(Scaler.LINEAR);

        final Scaler scaler;

        Family(Scaler scaler) {
            this.scaler = scaler;
        }
    }

    private final String id;
    final Family family;
    private final boolean logarithmic;

    GraphMeasure(String id, Family family, boolean logarithmic) {
        this.id = id;
        this.family = family;
        this.logarithmic = logarithmic;
    }

    /** The name used on a command line, e.g. {@code log-comm}. */
    public String id() {
        return id;
    }

    /** Whether this is the element-wise logarithm of a plain kernel. */
    public boolean isLogarithmic() {
        return logarithmic;
    }

    /** The plain measure this log form is taken of (itself when plain). */
    public GraphMeasure plain() {
        return logarithmic ? valueOf(name().substring(4)) : this;
    }

    /** The rescaling of t′ ∈ (0,1) for sweeps. */
    public Scaler scaler() {
        return family.scaler;
    }

    /** Whether the measure has a parameter. */
    public boolean hasParameter() {
        return family.scaler != Scaler.NONE;
    }

    /** The measure whose {@link #id} is {@code id} (case-insensitive); the error lists every id. */
    public static GraphMeasure parse(String id) {
        String key = id == null ? "" : id.trim().toLowerCase(Locale.ROOT);
        for (GraphMeasure m : values()) {
            if (m.id.equals(key)) {
                return m;
            }
        }
        throw new Kernels4jException("unknown graph measure '" + id + "'; known: " + String.join(", ", ids()));
    }

    /** Every id, in declaration order. */
    public static List<String> ids() {
        List<String> out = new ArrayList<>();
        for (GraphMeasure m : values()) {
            out.add(m.id);
        }
        return out;
    }

    /** Prepares this measure on {@code graph}: the eigendecomposition (or shortest paths) it needs, done once. */
    public PreparedMeasure prepare(Graph graph) {
        return new PreparedMeasure(this, GraphSpectra.of(graph));
    }

    /** Prepares this measure on spectra shared with other measures of the same graph. */
    public PreparedMeasure prepare(GraphSpectra spectra) {
        return new PreparedMeasure(this, spectra);
    }

    /** The kernel at parameter t in one call ({@link #prepare} and {@link PreparedMeasure#kernel}). */
    public Matrix kernel(Graph graph, double t) {
        return prepare(graph).kernel(t);
    }
}
