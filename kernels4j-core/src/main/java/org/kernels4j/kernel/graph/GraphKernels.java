package org.kernels4j.kernel.graph;

import java.util.Arrays;
import java.util.PriorityQueue;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.Parallelism;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Maps between graph kernels and distances, the element-wise logarithm, and the graph distances that are not
 * spectral functions (shortest paths, resistance, commute time). The kernels themselves are {@link GraphMeasure}s.
 * Conventions follow pygkernels ({@code vlivashkin/pygkernels}, {@code measure/shortcuts.py}, {@code distance.py}).
 */
public final class GraphKernels {
    private GraphKernels() {
    }

    /**
     * Kernel → distance: D = ½(h·1ᵀ + 1·hᵀ) − ½(H + Hᵀ) with h = diag H, i.e. half the squared feature-space distance
     * when H is positive semi-definite. H need not be symmetric (PageRank kernels are not); D always is, with a zero
     * diagonal. O(n²).
     */
    public static Matrix toDistance(Matrix h) {
        return toDistance(h, 1.0);
    }

    /**
     * {@link #toDistance(Matrix)} raised element-wise to {@code power} &gt; 0 (pygkernels uses 0.5 for Comm and
     * logComm). Rounding can leave off-diagonal entries a few ulps below 0; they are set to 0 first, so a square
     * root never yields NaN.
     */
    public static Matrix toDistance(Matrix h, double power) {
        int n = h.rows();
        if (h.cols() != n) {
            throw new Kernels4jException("a kernel matrix must be square, got " + h.shape());
        }
        if (!(power > 0) || Double.isInfinite(power)) {
            throw new Kernels4jException("distance power must be positive and finite, got " + power);
        }
        double[] a = h.data();
        Matrix d = new Matrix(n, n);
        double[] o = d.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = i == j ? 0 : 0.5 * (a[i * n + i] + a[j * n + j]) - 0.5 * (a[i * n + j] + a[j * n + i]);
                v = Math.max(v, 0);
                o[i * n + j] = power == 1.0 ? v : Math.pow(v, power);
            }
        }
        return d;
    }

    /**
     * Distance → kernel: K = −½·J·D·J with J = I − 11ᵀ/n (double centring; for a squared Euclidean D this is the
     * Gram matrix of the centred points). O(n²), new matrix.
     */
    public static Matrix toKernel(Matrix d) {
        int n = d.rows();
        if (d.cols() != n) {
            throw new Kernels4jException("a distance matrix must be square, got " + d.shape());
        }
        double[] a = d.data();
        double[] rowMean = new double[n];
        double[] colMean = new double[n];
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v = a[i * n + j];
                rowMean[i] += v / n;
                colMean[j] += v / n;
                all += v;
            }
        }
        all /= (double) n * n;
        Matrix k = new Matrix(n, n);
        double[] o = k.data();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                o[i * n + j] = -0.5 * (a[i * n + j] - rowMean[i] - colMean[j] + all);
            }
        }
        return k;
    }

    /**
     * Element-wise natural logarithm ln H_ij (new matrix). Unlike pygkernels' {@code ewlog}, which maps entries ≤ 0
     * to −∞, a non-positive entry is an error naming the pair: −∞ would only fail later, in a distance or a
     * clustering step, far from its cause.
     *
     * @param names node names for the message (row i is {@code names.name(i)})
     * @param what the measure, for the message
     */
    public static Matrix log(Matrix h, Graph names, String what) {
        int n = h.rows();
        double[] a = h.data();
        Matrix out = new Matrix(h.rows(), h.cols());
        double[] o = out.data();
        for (int k = 0; k < a.length; k++) {
            double v = a[k];
            if (!(v > 0) || Double.isInfinite(v)) {
                int i = k / h.cols();
                int j = k % h.cols();
                throw new Kernels4jException(what + ": entry (" + names.name(i) + ", " + names.name(j) + ") is " + v
                        + "; the logarithm needs positive finite entries (at this parameter the entry is below double"
                        + " precision relative to the largest; try a larger parameter)");
            }
            o[k] = Math.log(v);
        }
        return out;
    }

    /**
     * Shortest-path distances by Dijkstra from every node, an edge's <b>length being 1/weight</b> (weights are
     * strengths, as in pygkernels' {@code SP_D}, which runs scipy's {@code shortest_path} on 1/A). Cost
     * O(n·(m + n)·log n) with m edges; sources run in parallel.
     *
     * @throws Kernels4jException when the graph is disconnected (distances would be infinite)
     */
    public static Matrix shortestPaths(Graph g) {
        g.requireConnected("shortest-path distances");
        int n = g.size();
        int[][] nbr = new int[n][];
        double[][] len = new double[n][];
        for (int i = 0; i < n; i++) {
            int c = 0;
            for (int j = 0; j < n; j++) {
                if (g.weight(i, j) > 0) {
                    c++;
                }
            }
            nbr[i] = new int[c];
            len[i] = new double[c];
            c = 0;
            for (int j = 0; j < n; j++) {
                double w = g.weight(i, j);
                if (w > 0) {
                    nbr[i][c] = j;
                    len[i][c++] = 1 / w;
                }
            }
        }
        Matrix d = new Matrix(n, n);
        double[] o = d.data();
        Parallelism.forEachBlock(n, s -> {
            double[] dist = new double[n];
            Arrays.fill(dist, Double.POSITIVE_INFINITY);
            boolean[] done = new boolean[n];
            dist[s] = 0;
            PriorityQueue<double[]> q = new PriorityQueue<>((x, y) -> Double.compare(x[0], y[0]));
            q.add(new double[] {0, s});
            while (!q.isEmpty()) {
                double[] top = q.poll();
                int u = (int) top[1];
                if (done[u]) {
                    continue;
                }
                done[u] = true;
                for (int e = 0; e < nbr[u].length; e++) {
                    int v = nbr[u][e];
                    double nd = dist[u] + len[u][e];
                    if (nd < dist[v]) {
                        dist[v] = nd;
                        q.add(new double[] {nd, v});
                    }
                }
            }
            System.arraycopy(dist, 0, o, s * n, n);
        });
        return d;
    }

    /**
     * Moore–Penrose pseudo-inverse L⁺ of the Laplacian from its eigendecomposition: Σ_{k≥1} v_k v_kᵀ/λ_k, the one
     * zero eigenvalue of a connected graph's L dropped. O(n³).
     *
     * @throws Kernels4jException when the graph is disconnected
     */
    public static Matrix laplacianPseudoInverse(GraphSpectra s) {
        s.graph().requireConnected("commute-time and resistance distances");
        SymmetricEigen e = s.laplacian();
        double[] f = new double[e.size()];
        for (int k = 1; k < f.length; k++) {
            f[k] = 1 / e.value(k);
        }
        return GraphSpectra.apply(e, f, true, null, null);
    }

    /** Resistance distances R_ij = L⁺_ii + L⁺_jj − 2L⁺_ij (effective resistance with conductances A_ij). */
    public static Matrix resistance(Graph g) {
        return resistance(GraphSpectra.of(g));
    }

    /** {@link #resistance(Graph)} from shared spectra. */
    public static Matrix resistance(GraphSpectra s) {
        Matrix r = toDistance(laplacianPseudoInverse(s));
        scale(r, 2);
        return r;
    }

    /** Commute-time distances C = vol(G)·R (expected steps of a random walk from i to j and back). */
    public static Matrix commuteTime(Graph g) {
        Matrix r = resistance(g);
        scale(r, g.volume());
        return r;
    }

    static void scale(Matrix m, double c) {
        double[] d = m.data();
        for (int k = 0; k < d.length; k++) {
            d[k] *= c;
        }
    }
}
