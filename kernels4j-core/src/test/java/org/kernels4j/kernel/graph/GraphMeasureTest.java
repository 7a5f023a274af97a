package org.kernels4j.kernel.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * Every measure against its definition computed by another route: inverses by Gauss–Jordan elimination with partial
 * pivoting, matrix exponentials by a truncated Taylor series with scaling and squaring, shortest paths by
 * Floyd–Warshall — all written here, on small dense arrays.
 */
class GraphMeasureTest {
    // ---------- independent references ----------

    static double[][] eye(int n) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            m[i][i] = 1;
        }
        return m;
    }

    static double[][] mul(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] c = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                for (int j = 0; j < m; j++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    static double[][] lin(double alpha, double[][] a, double beta, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                c[i][j] = alpha * a[i][j] + beta * b[i][j];
            }
        }
        return c;
    }

    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[p];
            m[p] = m[c];
            m[c] = t;
            double piv = m[c][c];
            for (int j = 0; j < 2 * n; j++) {
                m[c][j] /= piv;
            }
            for (int r = 0; r < n; r++) {
                if (r != c && m[r][c] != 0) {
                    double f = m[r][c];
                    for (int j = 0; j < 2 * n; j++) {
                        m[r][j] -= f * m[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }

    /** exp(X) = (Σ_{k≤30} (X/2^s)^k/k!)^{2^s} with ‖X‖_∞/2^s ≤ ½. */
    static double[][] expm(double[][] x) {
        int n = x.length;
        double norm = 0;
        for (double[] row : x) {
            double s = 0;
            for (double v : row) {
                s += Math.abs(v);
            }
            norm = Math.max(norm, s);
        }
        int s = Math.max(0, (int) Math.ceil(Math.log(norm / 0.5) / Math.log(2)));
        double[][] y = lin(Math.pow(2, -s), x, 0, x);
        double[][] sum = eye(n);
        double[][] term = eye(n);
        for (int k = 1; k <= 30; k++) {
            term = lin(1.0 / k, mul(term, y), 0, y);
            sum = lin(1, sum, 1, term);
        }
        for (int q = 0; q < s; q++) {
            sum = mul(sum, sum);
        }
        return sum;
    }

    static double[][] adjacency(Graph g) {
        int n = g.size();
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = g.weight(i, j);
            }
        }
        return a;
    }

    static double[][] degreeMatrix(Graph g, double power) {
        double[][] a = adjacency(g);
        double[][] d = new double[a.length][a.length];
        for (int i = 0; i < a.length; i++) {
            double s = 0;
            for (double v : a[i]) {
                s += v;
            }
            d[i][i] = Math.pow(s, power);
        }
        return d;
    }

    static double[][] laplacian(Graph g) {
        return lin(1, degreeMatrix(g, 1), -1, adjacency(g));
    }

    static void assertClose(double[][] expected, Matrix actual, double relTol, String what) {
        double scale = 0;
        for (double[] row : expected) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < expected.length; i++) {
            for (int j = 0; j < expected.length; j++) {
                assertEquals(expected[i][j], actual.get(i, j), relTol * scale, what + " at (" + i + ", " + j + ")");
            }
        }
    }

    /**
     * ln H against ln of the reference: both routes have absolute error about ε·max|H| on an entry, so the log of a
     * small entry H_ij is good to about ε·max|H|/H_ij (here 10⁻¹³·max/H_ij, with 10⁻¹⁰ for the references' own error).
     */
    static void assertLogClose(double[][] ref, Matrix actual, String what) {
        double scale = 0;
        for (double[] row : ref) {
            for (double v : row) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        for (int i = 0; i < ref.length; i++) {
            for (int j = 0; j < ref.length; j++) {
                double tol = 1e-10 + 1e-13 * scale / ref[i][j];
                assertEquals(Math.log(ref[i][j]), actual.get(i, j), tol, what + " at (" + i + ", " + j + ")");
            }
        }
    }

    static double[][] log(double[][] h) {
        double[][] l = new double[h.length][h.length];
        for (int i = 0; i < h.length; i++) {
            for (int j = 0; j < h.length; j++) {
                l[i][j] = Math.log(h[i][j]);
            }
        }
        return l;
    }

    /** A connected weighted graph on 7 nodes: a path 0…6 with random weights plus three chords. */
    static Graph randomGraph() {
        Random r = new Random(17);
        Graph.Builder b = Graph.builder();
        for (int i = 0; i < 6; i++) {
            b.edge("v" + i, "v" + (i + 1), 0.5 + r.nextDouble());
        }
        b.edge("v0", "v3", 0.7).edge("v2", "v5", 1.9).edge("v1", "v6", 0.3);
        return b.build();
    }

    static Graph path(int n) {
        Graph.Builder b = Graph.builder();
        for (int i = 0; i + 1 < n; i++) {
            b.edge("p" + i, "p" + (i + 1));
        }
        return b.build();
    }

    /** H(t) for a plain spectral measure by its definition. */
    static double[][] reference(GraphMeasure m, Graph g, double t) {
        int n = g.size();
        double[][] a = adjacency(g);
        double[][] i = eye(n);
        double[][] p = mul(degreeMatrix(g, -1), a);
        return switch (m) {
            case WALK -> inverse(lin(1, i, -t, a));
            case FOREST -> inverse(lin(1, i, t, laplacian(g)));
            case COMM -> expm(lin(t, a, 0, a));
            case HEAT -> expm(lin(-t, laplacian(g), 0, a));
            case NHEAT -> expm(lin(-t, mul(mul(degreeMatrix(g, -0.5), laplacian(g)), degreeMatrix(g, -0.5)), 0, a));
            case PPR -> inverse(lin(1, i, -t, p));
            case MODIFPPR -> inverse(lin(1, degreeMatrix(g, 1), -t, a));
            case HEATPR -> expm(lin(-t, lin(1, i, -1, p), 0, a));
            default -> throw new IllegalArgumentException(m.toString());
        };
    }

    private static final GraphMeasure[] SPECTRAL = {GraphMeasure.WALK, GraphMeasure.FOREST, GraphMeasure.COMM,
        GraphMeasure.HEAT, GraphMeasure.NHEAT, GraphMeasure.PPR, GraphMeasure.MODIFPPR, GraphMeasure.HEATPR};

    @Test
    void everySpectralKernelAndItsLogMatchTheDefinitionAcrossASweep() {
        for (Graph g : new Graph[] {randomGraph(), path(6)}) {
            GraphSpectra spectra = GraphSpectra.of(g);
            for (GraphMeasure m : SPECTRAL) {
                PreparedMeasure plain = m.prepare(spectra);
                PreparedMeasure logForm = GraphMeasure.valueOf("LOG_" + m.name()).prepare(spectra);
                for (double tp : new double[] {0.1, 0.5, 0.85}) {
                    double t = plain.parameter(tp);
                    double[][] ref = reference(m, g, t);
                    assertClose(ref, plain.kernelAtScaled(tp), 1e-10, m.id() + " t'=" + tp);
                    assertLogClose(ref, logForm.kernel(t), "log-" + m.id() + " t'=" + tp);
                }
            }
        }
    }

    @Test
    void scalersMapTheUnitIntervalOntoEachParameterRange() {
        Graph g = randomGraph();
        double[][] a = adjacency(g);
        // ρ(A) by power iteration on A + I (same eigenvectors, shift makes the Perron value dominant)
        double[] v = new double[a.length];
        java.util.Arrays.fill(v, 1);
        double rho = 0;
        for (int it = 0; it < 2000; it++) {
            double[] w = new double[v.length];
            double norm = 0;
            for (int i = 0; i < v.length; i++) {
                w[i] = v[i];
                for (int j = 0; j < v.length; j++) {
                    w[i] += a[i][j] * v[j];
                }
                norm += w[i] * w[i];
            }
            norm = Math.sqrt(norm);
            double vn = 0;
            for (double x : v) {
                vn += x * x;
            }
            rho = norm / Math.sqrt(vn) - 1;
            for (int i = 0; i < v.length; i++) {
                v[i] = w[i] / norm;
            }
        }
        assertEquals(0.3 / rho, GraphMeasure.WALK.prepare(g).parameter(0.3), 1e-12);
        assertEquals(0.5 * 0.3 / 0.7, GraphMeasure.FOREST.prepare(g).parameter(0.3), 1e-15);
        assertEquals(0.5 * 0.8 / 0.2, GraphMeasure.LOG_COMM.prepare(g).parameter(0.8), 1e-12);
        assertEquals(0.3, GraphMeasure.PPR.prepare(g).parameter(0.3));
        assertEquals(0.0, GraphMeasure.SPCT.prepare(g).parameter(0.0));
        PreparedMeasure walk = GraphMeasure.WALK.prepare(g);
        double beyond = 1.01 / rho;
        String m = assertThrows(Kernels4jException.class, () -> walk.kernel(beyond)).getMessage();
        assertTrue(m.startsWith("walk: parameter") && m.contains("1/rho"), m);
        assertThrows(Kernels4jException.class, () -> walk.kernel(0));
        assertThrows(Kernels4jException.class, () -> walk.parameter(1));
        assertThrows(Kernels4jException.class, () -> walk.parameter(0));
        assertThrows(Kernels4jException.class, () -> GraphMeasure.FOREST.prepare(g).kernel(-0.1));
        assertThrows(Kernels4jException.class, () -> GraphMeasure.PPR.prepare(g).kernel(1));
        assertThrows(Kernels4jException.class, () -> GraphMeasure.SPCT.prepare(g).kernel(1.5));
        assertThrows(Kernels4jException.class, () -> GraphMeasure.SPCT.prepare(g).parameter(-0.01));
    }

    @Test
    void pageRankRowsSumToOneOverOneMinusAlpha() {
        Graph g = randomGraph();
        for (double alpha : new double[] {0.2, 0.9}) {
            Matrix h = GraphMeasure.PPR.kernel(g, alpha);
            for (int i = 0; i < g.size(); i++) {
                double s = 0;
                for (int j = 0; j < g.size(); j++) {
                    s += h.get(i, j);
                }
                assertEquals(1 / (1 - alpha), s, 1e-10);
            }
        }
    }

    @Test
    void resistanceOnAPathSumsInverseWeightsAndOnACycleIsLTimesNMinusLOverN() {
        double[] w = {2, 0.5, 4, 1};
        Graph.Builder b = Graph.builder();
        for (int i = 0; i < w.length; i++) {
            b.edge("n" + i, "n" + (i + 1), w[i]);
        }
        Graph p = b.build();
        Matrix r = GraphKernels.resistance(p);
        Matrix ct = GraphMeasure.CT.prepare(p).distance(Double.NaN);
        for (int i = 0; i <= w.length; i++) {
            for (int j = 0; j <= w.length; j++) {
                double s = 0;
                for (int k = Math.min(i, j); k < Math.max(i, j); k++) {
                    s += 1 / w[k];
                }
                assertEquals(s, r.get(i, j), 1e-12);
                assertEquals(p.volume() * s, ct.get(i, j), 1e-10);
            }
        }
        int n = 9;
        Graph.Builder cb = Graph.builder();
        for (int i = 0; i < n; i++) {
            cb.edge("c" + i, "c" + ((i + 1) % n));
        }
        Matrix rc = GraphKernels.resistance(cb.build());
        for (int l = 0; l < n; l++) {
            assertEquals(l * (n - l) / (double) n, rc.get(0, l), 1e-12);
            assertEquals(l * (n - l) / (double) n, rc.get(3, (3 + l) % n), 1e-12);
        }
    }

    @Test
    void commuteTimeFamilyFollowsPygkernelsFormulas() {
        Graph g = randomGraph();
        int n = g.size();
        double[][] ones = new double[n][n];
        for (double[] row : ones) {
            java.util.Arrays.fill(row, 1.0 / n);
        }
        // L⁺ by pygkernels' route inv(L + 11ᵀ/n) − 11ᵀ/n, independent of the eigendecomposition
        double[][] lplus = lin(1, inverse(lin(1, laplacian(g), 1, ones)), -1, ones);
        assertClose(lplus, GraphMeasure.CT.prepare(g).kernel(Double.NaN), 1e-12, "ct kernel");
        double sigma = std(lplus);
        double alpha = 0.7;
        double[][] sct = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                sct[i][j] = 1 / (1 + Math.exp(-alpha * lplus[i][j] / sigma));
            }
        }
        assertClose(sct, GraphMeasure.SCT.prepare(g).kernel(alpha), 1e-12, "sct");
        assertClose(log(sct), GraphMeasure.LOG_SCT.prepare(g).kernel(alpha), 1e-11, "log-sct");
        // corrected commute time by its matrix formula with a Gauss–Jordan inverse
        double[][] a = adjacency(g);
        double[][] dh = degreeMatrix(g, -0.5);
        double vol = g.volume();
        double[] d = g.degrees();
        double[][] mid = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                mid[i][j] = a[i][j] - d[i] * d[j] / vol;
            }
        }
        double[][] m = mul(mul(dh, mid), dh);
        double[][] j = lin(1, eye(n), -1, ones);
        double[][] kcct = mul(mul(mul(mul(mul(mul(j, dh), m), inverse(lin(1, eye(n), -1, m))), m), dh), j);
        double s2 = std(kcct);
        double[][] scct = new double[n][n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                scct[p][q] = 1 / (1 + Math.exp(-alpha * kcct[p][q] / s2));
            }
        }
        assertClose(scct, GraphMeasure.SCCT.prepare(g).kernel(alpha), 1e-11, "scct");
    }

    static double std(double[][] k) {
        double mean = 0;
        int n = k.length;
        for (double[] row : k) {
            for (double v : row) {
                mean += v / (n * n);
            }
        }
        double ss = 0;
        for (double[] row : k) {
            for (double v : row) {
                ss += (v - mean) * (v - mean);
            }
        }
        return Math.sqrt(ss / (n * n));
    }

    @Test
    void shortestPathsUseOneOverWeightAsLengthAndSpctMixesWithCommuteTime() {
        Graph g = randomGraph();
        int n = g.size();
        double[][] fw = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                fw[i][j] = i == j ? 0 : g.weight(i, j) > 0 ? 1 / g.weight(i, j) : Double.POSITIVE_INFINITY;
            }
        }
        for (int k = 0; k < n; k++) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    fw[i][j] = Math.min(fw[i][j], fw[i][k] + fw[k][j]);
                }
            }
        }
        assertClose(fw, GraphMeasure.SP.prepare(g).distance(Double.NaN), 1e-14, "sp");
        Matrix r = GraphKernels.resistance(g);
        double lambda = 0.3;
        double[][] mix = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                mix[i][j] = lambda * fw[i][j] + (1 - lambda) * 2 * g.volume() * r.get(i, j);
            }
        }
        PreparedMeasure spct = GraphMeasure.SPCT.prepare(g);
        assertClose(mix, spct.distance(lambda), 1e-12, "spct distance");
        // the kernel is −½·J·D·J: check it as the Gram matrix of a distance that is squared Euclidean on a line
        Matrix k = spct.kernel(lambda);
        double[] rowSum = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rowSum[i] += k.get(i, j);
                // K_ii + K_jj − 2K_ij = D_ij for the double-centred form of any symmetric D with zero diagonal
                assertEquals(mix[i][j], k.get(i, i) + k.get(j, j) - 2 * k.get(i, j), 1e-9 * g.volume());
            }
            assertEquals(0, rowSum[i], 1e-9 * g.volume());
        }
    }

    @Test
    void distancesFollowKToDWithTheSquareRootForCommunicability() {
        Graph g = randomGraph();
        int n = g.size();
        for (GraphMeasure m : new GraphMeasure[] {GraphMeasure.FOREST, GraphMeasure.COMM, GraphMeasure.LOG_COMM,
            GraphMeasure.PPR}) {
            PreparedMeasure pm = m.prepare(g);
            double t = pm.parameter(0.4);
            Matrix h = pm.kernel(t);
            Matrix d = pm.distance(t);
            double power = m.plain() == GraphMeasure.COMM ? 0.5 : 1;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double half = 0.5 * (h.get(i, i) + h.get(j, j)) - 0.5 * (h.get(i, j) + h.get(j, i));
                    assertEquals(i == j ? 0 : Math.pow(half, power), d.get(i, j), 1e-12 * (1 + Math.abs(half)), m.id());
                }
            }
        }
    }

    @Test
    void toKernelDoubleCentresASquaredEuclideanDistanceIntoTheCentredGram() {
        Random r = new Random(3);
        int n = 6;
        double[][] x = new double[n][2];
        for (double[] p : x) {
            p[0] = r.nextGaussian();
            p[1] = r.nextGaussian();
        }
        double[] mean = new double[2];
        for (double[] p : x) {
            mean[0] += p[0] / n;
            mean[1] += p[1] / n;
        }
        Matrix d = new Matrix(n, n);
        Matrix gram = new Matrix(n, n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dx = x[i][0] - x[j][0];
                double dy = x[i][1] - x[j][1];
                d.set(i, j, dx * dx + dy * dy);
                gram.set(i, j, x[i][0] * x[j][0] + x[i][1] * x[j][1]);
            }
        }
        Matrix k = GraphKernels.toKernel(d);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double c = (x[i][0] - mean[0]) * (x[j][0] - mean[0]) + (x[i][1] - mean[1]) * (x[j][1] - mean[1]);
                assertEquals(c, k.get(i, j), 1e-12);
            }
        }
        Matrix half = GraphKernels.toDistance(gram);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(0.5 * d.get(i, j), half.get(i, j), 1e-12);
            }
        }
    }

    @Test
    void logForestDistanceIsAdditiveThroughACutPoint() {
        // two triangles {a,b,c} and {c,d,e} joined at the cut vertex c, plus a pendant f on e
        Graph g = Graph.builder().edge("a", "b", 1).edge("b", "c", 2).edge("a", "c", 1.5).edge("c", "d", 1)
                .edge("d", "e", 3).edge("c", "e", 0.5).edge("e", "f", 2).build();
        PreparedMeasure logForest = GraphMeasure.LOG_FOREST.prepare(g);
        for (double tp : new double[] {0.2, 0.7}) {
            Matrix d = logForest.distanceAtScaled(tp);
            int a = g.indexOf("a");
            int b = g.indexOf("b");
            int c = g.indexOf("c");
            int dd = g.indexOf("d");
            int e = g.indexOf("e");
            int f = g.indexOf("f");
            assertEquals(d.get(a, c) + d.get(c, dd), d.get(a, dd), 1e-10);
            assertEquals(d.get(b, c) + d.get(c, f), d.get(b, f), 1e-10);
            assertEquals(d.get(c, e) + d.get(e, f), d.get(c, f), 1e-10);
            // a and b are not separated by c: strict triangle inequality, so the check above can fail
            assertTrue(d.get(a, b) < d.get(a, c) + d.get(c, b) - 1e-6);
        }
    }

    @Test
    void logCommunicabilityStaysFiniteWherePlainOverflows() {
        Graph g = randomGraph();
        PreparedMeasure plain = GraphMeasure.COMM.prepare(g);
        PreparedMeasure logComm = GraphMeasure.LOG_COMM.prepare(g);
        double t = 400; // e^{tρ} is far beyond double range (ρ > 2 here)
        String m = assertThrows(Kernels4jException.class, () -> plain.kernel(t)).getMessage();
        assertTrue(m.contains("overflows") && m.contains("log-comm"), m);
        // for large t, ln exp(tA)_ij = tρ + ln(u_i u_j) + O(e^{−t(ρ−λ₂)}), u the Perron vector
        Matrix l = logComm.kernel(t);
        Matrix at20 = logComm.kernel(20);
        double[][] ref = log(reference(GraphMeasure.COMM, g, 20));
        assertClose(ref, at20, 1e-10, "log-comm t=20");
        double rho = GraphSpectra.of(g).spectralRadius();
        for (int i = 0; i < g.size(); i++) {
            for (int j = 0; j < g.size(); j++) {
                double expected = l.get(i, i) / 2 + l.get(j, j) / 2; // ln u_i u_j + tρ from the diagonal
                assertEquals(expected, l.get(i, j), 1e-8 * t * rho);
                assertTrue(Math.abs(l.get(i, j) - t * rho) < 10, "ln u_i u_j is O(1)");
            }
        }
    }

    @Test
    void namesParseAndErrorsListTheKnownOnes() {
        for (GraphMeasure m : GraphMeasure.values()) {
            assertEquals(m, GraphMeasure.parse(m.id().toUpperCase(java.util.Locale.ROOT)));
            assertEquals(m.isLogarithmic(), m.id().startsWith("log-"));
            assertEquals(m.plain().id(), m.id().replace("log-", ""));
        }
        String msg = assertThrows(Kernels4jException.class, () -> GraphMeasure.parse("katz")).getMessage();
        assertTrue(msg.startsWith("unknown graph measure 'katz'; known: walk, log-walk, forest"), msg);
        assertEquals(GraphMeasure.Scaler.RHO, GraphMeasure.LOG_WALK.scaler());
        assertEquals(GraphMeasure.Scaler.FRACTION, GraphMeasure.HEATPR.scaler());
        assertEquals(GraphMeasure.Scaler.LINEAR, GraphMeasure.MODIFPPR.scaler());
        assertEquals(GraphMeasure.Scaler.NONE, GraphMeasure.SP.scaler());
    }

    @Test
    void pageRankFamilyRefusesIsolatedNodes() {
        Graph g = Graph.builder().edge("a", "b").node("z").build();
        String m = assertThrows(Kernels4jException.class, () -> GraphMeasure.PPR.prepare(g)).getMessage();
        assertTrue(m.contains("node 'z' is isolated"), m);
        // Forest is defined on any graph: an isolated node is its own tree, H_zz = 1
        assertEquals(1.0, GraphMeasure.FOREST.kernel(g, 0.5).get(2, 2), 1e-14);
    }

    // ---------- edges of the parameter ranges, disconnected graphs, the less used entry points ----------

    private static void assertRefusedAsDisconnected(String what, org.junit.jupiter.api.function.Executable call) {
        String m = assertThrows(Kernels4jException.class, call).getMessage();
        assertTrue(m.contains("2 connected components") && m.contains(what), m);
    }

    @Test
    void measuresThatNeedAConnectedGraphRefuseTwoComponents() {
        // two components and no isolated node: the normalised adjacency exists, its Perron value 1 is double
        Graph two = Graph.builder().edge("a", "b").edge("c", "d", 2).build();
        assertRefusedAsDisconnected("shortest-path distances", () -> GraphKernels.shortestPaths(two));
        assertRefusedAsDisconnected("commute-time and resistance distances", () -> GraphKernels.resistance(two));
        assertRefusedAsDisconnected("logarithmic measures (log-forest)", () -> GraphMeasure.LOG_FOREST.prepare(two));
        assertRefusedAsDisconnected("corrected commute-time kernels (scct)", () -> GraphMeasure.SCCT.prepare(two));
    }

    @Test
    void parameterRangesAreExactAtTheirEnds() {
        Graph k3 = Graph.builder().edge("a", "b").edge("b", "c").edge("a", "c").build(); // ρ(A) = 2 (eigenvalues 2, −1, −1)
        PreparedMeasure walk = GraphMeasure.WALK.prepare(k3);
        assertTrue(walk.measure() == GraphMeasure.WALK && walk.graph() == k3);
        double end = 2 * walk.parameter(0.5); // t′/ρ at t′ = ½, doubled: exactly the computed 1/ρ
        assertEquals(0.5, end, 1e-14);
        assertEquals("0 < t < 1/rho = " + end, walk.parameterRange());
        String m = assertThrows(Kernels4jException.class, () -> walk.kernel(end)).getMessage();
        assertEquals("walk: parameter " + end + " is outside its range 0 < t < 1/rho = " + end, m);
        assertEquals("walk: rescaled parameter t' = 1.0 is outside (0, 1)",
                assertThrows(Kernels4jException.class, () -> walk.parameter(1)).getMessage());
        PreparedMeasure forest = GraphMeasure.FOREST.prepare(k3);
        assertEquals("t > 0", forest.parameterRange());
        assertEquals("forest: parameter 0.0 is outside its range t > 0",
                assertThrows(Kernels4jException.class, () -> forest.kernel(0)).getMessage());
        assertEquals("alpha > 0", GraphMeasure.SCT.prepare(k3).parameterRange());
        assertEquals("alpha > 0", GraphMeasure.LOG_SCCT.prepare(k3).parameterRange());
        PreparedMeasure ppr = GraphMeasure.PPR.prepare(k3);
        assertEquals("0 < alpha < 1", ppr.parameterRange());
        assertThrows(Kernels4jException.class, () -> ppr.kernel(0));
        assertEquals("no parameter", GraphMeasure.CT.prepare(k3).parameterRange());
        // spct's λ is a closed range: both ends are valid mixes (pure commute time, pure shortest path)
        PreparedMeasure spct = GraphMeasure.SPCT.prepare(k3);
        assertEquals("0 <= lambda <= 1", spct.parameterRange());
        assertEquals(1.0, spct.parameter(1.0), 0);
        assertEquals("spct: rescaled parameter t' = 1.5 is outside [0, 1]",
                assertThrows(Kernels4jException.class, () -> spct.parameter(1.5)).getMessage());
        // on K3 every shortest path is one edge (length 1) and every resistance 2/3, vol = 6: 2·vol·R = 8
        for (double lambda : new double[] {0, 1}) {
            Matrix d = spct.distance(lambda);
            Matrix k = spct.kernel(lambda);
            double want = lambda * 1 + (1 - lambda) * 8;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(i == j ? 0 : want, d.get(i, j), 1e-12, "lambda " + lambda);
                    assertEquals(i == j ? 0 : want, k.get(i, i) + k.get(j, j) - 2 * k.get(i, j), 1e-12);
                }
            }
        }
        assertThrows(Kernels4jException.class, () -> spct.distance(1.5));
        assertThrows(Kernels4jException.class, () -> spct.distance(-0.1));
        assertTrue(GraphMeasure.WALK.hasParameter() && GraphMeasure.SPCT.hasParameter());
        assertTrue(!GraphMeasure.CT.hasParameter() && !GraphMeasure.SP.hasParameter());
    }

    @Test
    void shortestPathKernelDoubleCentresThePathDistances() {
        Graph p = path(5); // unit weights: D_ij = |i − j|
        Matrix k = GraphMeasure.SP.kernel(p, Double.NaN);
        for (int i = 0; i < 5; i++) {
            double rowSum = 0;
            for (int j = 0; j < 5; j++) {
                rowSum += k.get(i, j);
                assertEquals(Math.abs(i - j), k.get(i, i) + k.get(j, j) - 2 * k.get(i, j), 1e-12);
            }
            assertEquals(0, rowSum, 1e-12);
        }
    }

    @Test
    void commuteTimeIsVolumeTimesSeriesResistance() {
        // a path a −1− b −2− c: resistances in series 1, ½ and 1.5; vol = 2·(1 + 2) = 6
        Graph g = Graph.builder().edge("a", "b", 1).edge("b", "c", 2).build();
        Matrix c = GraphKernels.commuteTime(g);
        double[][] want = {{0, 6, 9}, {6, 0, 3}, {9, 3, 0}};
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(want[i][j], c.get(i, j), 1e-12);
            }
        }
    }

    @Test
    void distancePowerAndLogArgumentsAreChecked() {
        Matrix h = Matrix.of(new double[][] {{2, 1}, {0, 3}});
        assertEquals("distance power must be positive and finite, got 0.0",
                assertThrows(Kernels4jException.class, () -> GraphKernels.toDistance(h, 0)).getMessage());
        Graph names = Graph.builder().edge("a", "b").build();
        String m = assertThrows(Kernels4jException.class, () -> GraphKernels.log(h, names, "log-x")).getMessage();
        assertTrue(m.startsWith("log-x: entry (b, a) is 0.0; the logarithm needs positive finite entries"), m);
    }
}
