package org.kernels4j.decomposition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.approx.Landmarks;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * Kernel PCA against references computed here by other routes: the centred Gram matrix formed as the
 * product J·K·J and diagonalised by cyclic Jacobi rotations, and ordinary PCA (Jacobi on the d×d scatter
 * matrix of the centred data) for the linear kernel.
 */
class KernelPcaTest {
    private static final Kernel RBF = KernelSpec.parse("rbf(gamma=0.3)");
    private static final Matrix X = TestData.gaussian(40, 3, 1, 5);
    private static final Matrix Q = TestData.gaussian(6, 3, 1.3, 6);

    // ---- independent references ----

    /** Eigenvalues (descending) and eigenvector columns of a symmetric matrix by cyclic Jacobi. */
    static Object[] jacobi(Matrix a0) {
        int n = a0.rows();
        double[][] a = new double[n][n];
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                a[i][j] = a0.get(i, j);
            }
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    off += a[i][j] * a[i][j];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (Math.abs(a[p][q]) < 1e-300) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                    for (int k = 0; k < n; k++) {
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
        double[] values = new double[n];
        Matrix vectors = new Matrix(n, n);
        for (int j = 0; j < n; j++) {
            values[j] = a[order[j]][order[j]];
            for (int i = 0; i < n; i++) {
                vectors.set(i, j, v[i][order[j]]);
            }
        }
        return new Object[] {values, vectors};
    }

    /** K(a, b) entry by entry through Kernel.value (not the Gram engine). */
    static Matrix kernelMatrix(Kernel k, Matrix a, Matrix b) {
        Matrix out = new Matrix(a.rows(), b.rows());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < b.rows(); j++) {
                out.set(i, j, k.value(a.row(i), b.row(j)));
            }
        }
        return out;
    }

    /** J·K·J with J = I − 11ᵀ/n, as two naive matrix products. */
    static Matrix centred(Matrix k) {
        int n = k.rows();
        Matrix j = new Matrix(n, n);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                j.set(a, b, (a == b ? 1 : 0) - 1.0 / n);
            }
        }
        return TestData.naiveProduct(TestData.naiveProduct(j, k), j);
    }

    /** Flips column c of v so that its largest-magnitude entry (first on ties) is positive. */
    static void alignSigns(Matrix v) {
        for (int c = 0; c < v.cols(); c++) {
            int arg = 0;
            for (int i = 1; i < v.rows(); i++) {
                if (Math.abs(v.get(i, c)) > Math.abs(v.get(arg, c))) {
                    arg = i;
                }
            }
            if (v.get(arg, c) < 0) {
                for (int i = 0; i < v.rows(); i++) {
                    v.set(i, c, -v.get(i, c));
                }
            }
        }
    }

    /** Reference projections √λ_j·u_j (n×k), signs aligned. */
    static Matrix referenceProjections(double[] lam, Matrix u, int k) {
        Matrix z = new Matrix(u.rows(), k);
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < u.rows(); i++) {
                z.set(i, j, u.get(i, j) * Math.sqrt(lam[j]));
            }
        }
        alignSigns(z);
        return z;
    }

    private static void assertClose(Matrix want, Matrix got, double tol, String what) {
        assertEquals(want.rows(), got.rows(), what);
        assertEquals(want.cols(), got.cols(), what);
        assertEquals(0.0, want.maxAbsDifference(got), tol, what);
    }

    // ---- eigenvalues and projections ----

    @Test
    void everyExactSolverMatchesJacobiOnTheCentredGram() {
        int k = 4;
        Object[] ref = jacobi(centred(kernelMatrix(RBF, X, X)));
        double[] lam = (double[]) ref[0];
        Matrix z = referenceProjections(lam, (Matrix) ref[1], k);
        double total = 0;
        for (double v : lam) {
            total += v;
        }
        for (KernelPca.Solver s : new KernelPca.Solver[] {KernelPca.Solver.dense(), KernelPca.Solver.lanczos(1e-12),
                KernelPca.Solver.exact(), KernelPca.Solver.randomized(30, 6)}) {
            KernelPcaModel m = KernelPca.builder(RBF).components(k).solver(s).seed(3).build().fit(X);
            double[] got = m.eigenvalues();
            double[] ratio = m.explainedVarianceRatio();
            for (int j = 0; j < k; j++) {
                assertEquals(lam[j], got[j], 1e-10 * lam[0], s.describe() + " eigenvalue " + j);
                assertEquals(lam[j] / total, ratio[j], 1e-10, s.describe() + " explained variance " + j);
            }
            assertEquals(total, m.totalVariance(), 1e-10 * total, s.describe());
            assertClose(z, m.trainingProjections(), 1e-7, s.describe() + " projections");
            assertClose(m.trainingProjections(), m.transform(X), 1e-9, s.describe() + " transform of training rows");
        }
    }

    @Test
    void newPointsAreCentredAsKernelCentererDoes() {
        // t(x) = k̃(x)·u/√λ with k̃(x)_i = k(x,x_i) − mean_l k(x,x_l) − r̄_i + ḡ, from the reference pairs
        int k = 3;
        Matrix kxx = kernelMatrix(RBF, X, X);
        Object[] ref = jacobi(centred(kxx));
        double[] lam = (double[]) ref[0];
        Matrix u = ((Matrix) ref[1]).selectColumns(new int[] {0, 1, 2});
        alignSigns(u);
        int n = X.rows();
        double[] rbar = new double[n];
        double g = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                rbar[i] += kxx.get(i, j) / n;
            }
            g += rbar[i] / n;
        }
        Matrix kq = kernelMatrix(RBF, Q, X);
        KernelPcaModel m = KernelPca.builder(RBF).components(k).solver(KernelPca.Solver.dense()).build().fit(X);
        Matrix got = m.transform(Q);
        for (int r = 0; r < Q.rows(); r++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += kq.get(r, i) / n;
            }
            for (int j = 0; j < k; j++) {
                double t = 0;
                for (int i = 0; i < n; i++) {
                    t += (kq.get(r, i) - mean - rbar[i] + g) * u.get(i, j) / Math.sqrt(lam[j]);
                }
                assertEquals(t, got.get(r, j), 1e-9, "row " + r + " component " + j);
            }
        }
        assertClose(got, m.predict(Q), 0, "predict is transform");
    }

    @Test
    void linearKernelPcaIsOrdinaryPca() {
        Matrix x = TestData.gaussian(30, 3, 1, 8);
        double[] scale = {3, 1, 0.2};
        for (int i = 0; i < x.rows(); i++) {
            for (int a = 0; a < 3; a++) {
                x.set(i, a, x.get(i, a) * scale[a] + a);
            }
        }
        double[] mean = x.columnMeans();
        Matrix xc = x.copy();
        xc.standardizeColumns(mean, new double[] {1, 1, 1});
        Object[] ref = jacobi(TestData.naiveProduct(xc.transpose(), xc)); // right singular vectors V, s²
        double[] s2 = (double[]) ref[0];
        Matrix v = (Matrix) ref[1];
        Matrix z = TestData.naiveProduct(xc, v);
        alignSigns(z);
        Matrix vAligned = TestData.gaussSolve(TestData.naiveProduct(xc.transpose(), xc),
                TestData.naiveProduct(xc.transpose(), z)); // (X_cᵀX_c)⁻¹X_cᵀ·X_cV = V, with the signs of z
        KernelPcaModel m = KernelPca.builder(KernelSpec.parse("linear()")).components(3)
                .solver(KernelPca.Solver.dense()).build().fit(x);
        for (int j = 0; j < 3; j++) {
            assertEquals(s2[j], m.eigenvalues()[j], 1e-10 * s2[0]);
        }
        assertClose(z, m.trainingProjections(), 1e-9, "projections = X_c·V");
        Matrix q = TestData.gaussian(4, 3, 2, 9);
        Matrix qc = q.copy();
        qc.standardizeColumns(mean, new double[] {1, 1, 1});
        assertClose(TestData.naiveProduct(qc, vAligned), m.transform(q), 1e-9, "new points: (x − mean)·V");
    }

    @Test
    void lanczosAndRandomizedAgreeWithDenseOnALargerProblem() {
        Matrix x = TestData.gaussian(400, 5, 1, 21);
        Kernel kernel = KernelSpec.parse("rbf(gamma=0.1)");
        KernelPcaModel dense = KernelPca.builder(kernel).components(6).solver(KernelPca.Solver.dense()).build().fit(x);
        KernelPcaModel lanczos = KernelPca.builder(kernel).components(6).solver(KernelPca.Solver.lanczos(1e-11))
                .seed(4).build().fit(x);
        KernelPcaModel other = KernelPca.builder(kernel).components(6).solver(KernelPca.Solver.lanczos(1e-11))
                .seed(5).build().fit(x);
        double top = dense.eigenvalues()[0];
        for (int j = 0; j < 6; j++) {
            assertEquals(dense.eigenvalues()[j], lanczos.eigenvalues()[j], 1e-12 * top, "lanczos eigenvalue " + j);
        }
        assertTrue(lanczos.report().number("max_relative_residual") <= 1e-11);
        assertClose(dense.trainingProjections(), lanczos.trainingProjections(), 1e-6, "lanczos projections");
        assertClose(lanczos.trainingProjections(), other.trainingProjections(), 1e-6, "the sign rule removes the seed");
        // randomized (p = 10): more power iterations, closer; with q = 7 within 1e-8 of λ_1
        double[] err = new double[2];
        int[] q = {0, 7};
        for (int t = 0; t < 2; t++) {
            KernelPcaModel r = KernelPca.builder(kernel).components(6).solver(KernelPca.Solver.randomized(10, q[t]))
                    .seed(2).build().fit(x);
            assertEquals(2 + q[t], r.report().number("passes"));
            for (int j = 0; j < 6; j++) {
                double e = dense.eigenvalues()[j] - r.eigenvalues()[j];
                assertTrue(e >= -1e-10 * top, "Ritz values never exceed the true ones");
                err[t] = Math.max(err[t], e / top);
            }
        }
        assertTrue(err[1] < 1e-8, "q = 7: " + err[1]);
        assertTrue(err[0] > 10 * err[1], "power iterations help: " + err[0] + " vs " + err[1]);
    }

    @Test
    void nystromWithEveryPointAsLandmarkIsExactAndFewerLandmarksAreClose() {
        int n = X.rows();
        KernelPcaModel exact = KernelPca.builder(RBF).components(3).solver(KernelPca.Solver.dense()).build().fit(X);
        KernelPcaModel full = KernelPca.builder(RBF).components(3).solver(KernelPca.Solver.nystrom(n)).build().fit(X);
        for (int j = 0; j < 3; j++) {
            assertEquals(exact.eigenvalues()[j], full.eigenvalues()[j], 1e-8 * exact.eigenvalues()[0]);
        }
        assertClose(exact.trainingProjections(), full.trainingProjections(), 1e-6, "m = n projections");
        assertClose(exact.transform(Q), full.transform(Q), 1e-6, "m = n new points");
        assertClose(full.trainingProjections(), full.transform(X), 1e-9, "Nystrom transform of training rows");
        assertEquals(exact.totalVariance(), full.totalVariance(), 1e-8 * exact.totalVariance());
        // 25 of 40 landmarks: the Nyström Gram is below K̃ in the PSD order, so every eigenvalue is at most exact
        KernelPcaModel part = KernelPca.builder(RBF).components(3)
                .solver(KernelPca.Solver.nystrom(25, Landmarks.Sampler.KMEANS_PP)).seed(1).build().fit(X);
        for (int j = 0; j < 3; j++) {
            assertTrue(part.eigenvalues()[j] <= exact.eigenvalues()[j] * (1 + 1e-12));
            assertTrue(part.eigenvalues()[j] >= 0.9 * exact.eigenvalues()[j], "close: " + j);
        }
    }

    @Test
    void aKernelMatrixFitsLikeItsData() {
        Matrix k = kernelMatrix(RBF, X, X);
        for (KernelPca.Solver s : new KernelPca.Solver[] {KernelPca.Solver.dense(), KernelPca.Solver.lanczos(1e-12)}) {
            KernelPcaModel fromData = KernelPca.builder(RBF).components(3).solver(s).build().fit(X);
            KernelPcaModel fromMatrix = KernelPca.builder().components(3).solver(s).build().fitKernelMatrix(k);
            assertTrue(fromMatrix.precomputed());
            assertEquals(X.rows(), fromMatrix.features());
            assertClose(fromData.trainingProjections(), fromMatrix.trainingProjections(), 1e-8, s.describe());
            assertClose(fromData.transform(Q), fromMatrix.transform(kernelMatrix(RBF, Q, X)), 1e-8, s.describe());
            assertClose(fromMatrix.trainingProjections(), fromMatrix.transform(k), 1e-9, "training rows");
        }
    }

    @Test
    void uncentredPcaDiagonalisesKItself() {
        Matrix k = kernelMatrix(RBF, X, X);
        Object[] ref = jacobi(k);
        double[] lam = (double[]) ref[0];
        KernelPcaModel m = KernelPca.builder(RBF).components(2).centre(false).solver(KernelPca.Solver.dense())
                .build().fit(X);
        assertFalse(m.centred());
        double trace = 0;
        for (int i = 0; i < X.rows(); i++) {
            trace += k.get(i, i);
        }
        for (int j = 0; j < 2; j++) {
            assertEquals(lam[j], m.eigenvalues()[j], 1e-10 * lam[0]);
            assertEquals(lam[j] / trace, m.explainedVarianceRatio()[j], 1e-12);
        }
        assertClose(referenceProjections(lam, (Matrix) ref[1], 2), m.trainingProjections(), 1e-8, "uncentred");
        assertClose(m.trainingProjections(), m.transform(X), 1e-9, "uncentred transform");
    }

    @Test
    void zeroEigenvaluesAreClippedAndOptionallyRemoved() {
        Matrix x = TestData.gaussian(20, 2, 1, 3); // linear kernel: rank 2, so λ_3 = λ_4 = 0
        Kernel lin = KernelSpec.parse("linear()");
        KernelPcaModel kept = KernelPca.builder(lin).components(4).solver(KernelPca.Solver.dense()).build().fit(x);
        assertEquals(4, kept.components());
        assertEquals(0.0, kept.eigenvalues()[2]);
        assertEquals(0.0, kept.eigenvalues()[3]);
        for (int i = 0; i < x.rows(); i++) {
            assertEquals(0.0, kept.trainingProjections().get(i, 3), 0.0);
        }
        assertEquals(0.0, kept.transform(Q.selectColumns(new int[] {0, 1})).get(2, 2), 0.0);
        KernelPcaModel removed = KernelPca.builder(lin).components(4).removeZeroEigenvalues(true)
                .solver(KernelPca.Solver.dense()).build().fit(x);
        assertEquals(2, removed.components());
        assertClose(kept.trainingProjections().selectColumns(new int[] {0, 1}), removed.trainingProjections(), 0,
                "the kept components are unchanged");
    }

    // ---- pre-images ----

    @Test
    void preImagesAreKernelRidgeFromProjectionsToInputs() {
        double alpha = 0.05;
        KernelPcaModel m = KernelPca.builder(RBF).components(3).fitInverseTransform(alpha)
                .solver(KernelPca.Solver.dense()).build().fit(X);
        Matrix z = m.trainingProjections();
        Matrix kz = kernelMatrix(RBF, z, z);
        for (int i = 0; i < kz.rows(); i++) {
            kz.set(i, i, kz.get(i, i) + alpha);
        }
        Matrix dual = TestData.gaussSolve(kz, X);
        Matrix zq = m.transform(Q);
        assertClose(TestData.naiveProduct(kernelMatrix(RBF, zq, z), dual), m.inverseTransform(zq), 1e-8,
                "x̂(z) = K(z, Z)(K(Z, Z) + αI)⁻¹X");
    }

    @Test
    void linearPreImagesReconstructCentredPointsExactly() {
        // linear kernel, k = d: x̂(t(x)) = Z_new·Zᵀ(ZZᵀ + αI)⁻¹X → (x − mean) as α → 0. Stated tolerance: the bias is
        // about α/λ_min(ZZᵀ) ≈ 1e-7/25 relative and the rounding of the solve about ε·λ_max/α ≈ 1.1e-16·25/1e-7 ≈ 3e-8,
        // both far below 1e-6 (with α = 1e-9 the rounding term reached 1.1e-6 on one machine's BLAS)
        Matrix x = TestData.gaussian(25, 3, 1, 4);
        Kernel lin = KernelSpec.parse("linear()");
        KernelPcaModel m = KernelPca.builder(lin).components(3).fitInverseTransform(1e-7)
                .solver(KernelPca.Solver.dense()).build().fit(x);
        assertTrue(m.hasInverseTransform());
        Matrix q = TestData.gaussian(5, 3, 1, 7);
        Matrix want = q.copy();
        want.standardizeColumns(x.columnMeans(), new double[] {1, 1, 1});
        assertClose(want, m.inverseTransform(m.transform(q)), 1e-6, "centred reconstruction");
    }

    // ---- model files ----

    @Test
    void modelsSurviveTheirCodec() {
        Map<String, KernelPcaModel> models = new LinkedHashMap<>();
        models.put("exact", KernelPca.builder(RBF).components(3).fitInverseTransform(0.1).build().fit(X));
        models.put("nystrom", KernelPca.builder(RBF).components(3).solver(KernelPca.Solver.nystrom(20)).build().fit(X));
        models.put("uncentred", KernelPca.builder(RBF).components(2).centre(false).build().fit(X));
        models.put("precomputed", KernelPca.builder().components(2).build().fitKernelMatrix(kernelMatrix(RBF, X, X)));
        for (Map.Entry<String, KernelPcaModel> e : models.entrySet()) {
            KernelPcaModel m = e.getValue();
            ModelState s = ModelCodecs.encode(m);
            assertEquals("kpca", s.kind());
            KernelPcaModel back = (KernelPcaModel) ModelCodecs.decode(ModelState.of(s.kind(), s.fields(), s.arrays()));
            Matrix in = m.precomputed() ? kernelMatrix(RBF, Q, X) : Q;
            assertClose(m.transform(in), back.transform(in), 1e-12, e.getKey());
            assertClose(m.trainingProjections(), back.trainingProjections(), 0, e.getKey());
            assertEquals(m.centred(), back.centred(), e.getKey());
            assertEquals(m.solver(), back.solver(), e.getKey());
            assertEquals(m.explainedVarianceRatio()[1], back.explainedVarianceRatio()[1], 0, e.getKey());
            assertEquals(m.hasInverseTransform(), back.hasInverseTransform(), e.getKey());
            if (m.hasInverseTransform()) {
                Matrix z = m.transform(Q);
                assertClose(m.inverseTransform(z), back.inverseTransform(z), 1e-12, e.getKey());
            }
        }
    }

    @Test
    void inconsistentStatesAreRefusedByName() {
        ModelState s = ModelCodecs.encode(KernelPca.builder(RBF).components(3).build().fit(X));
        Map<String, Matrix> arrays = new LinkedHashMap<>(s.arrays());
        arrays.put("eigenvalues", Matrix.wrap(1, 3, new double[] {1, 2, 0.5}));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> ModelCodecs.decode(ModelState.of("kpca", s.fields(), arrays)));
        assertTrue(e.getMessage().contains("'eigenvalues' must be non-negative and descending"), e.getMessage());
        Map<String, Matrix> shape = new LinkedHashMap<>(s.arrays());
        shape.put("kernel_row_means", new Matrix(1, 7));
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of("kpca", s.fields(), shape)));
        assertTrue(e.getMessage().contains("array 'kernel_row_means' has shape 1x7, expected 1x40"), e.getMessage());
        Map<String, Matrix> missing = new LinkedHashMap<>(s.arrays());
        missing.remove("coefficients");
        e = assertThrows(Kernels4jException.class, () -> ModelCodecs.decode(ModelState.of("kpca", s.fields(), missing)));
        assertTrue(e.getMessage().contains("array 'coefficients' is missing"), e.getMessage());
    }

    // ---- bad input ----

    @Test
    void badInputGetsOneClearMessageEach() {
        assertMessage("cannot take 41 components from 40 points",
                () -> KernelPca.builder(RBF).components(41).build().fit(X));
        assertMessage("at least one component, got 0", () -> KernelPca.builder(RBF).components(0).build());
        Matrix nan = X.copy();
        nan.set(3, 1, Double.NaN);
        assertMessage("NaN", () -> KernelPca.builder(RBF).build().fit(nan));
        assertMessage("must be square, got 3x4", () -> KernelPca.builder().build().fitKernelMatrix(new Matrix(3, 4)));
        Matrix asym = Matrix.of(new double[][] {{1, 0.5, 0}, {0.4, 1, 0}, {0, 0, 1}});
        assertMessage("not symmetric: K[1][0] = 0.4 but K[0][1] = 0.5",
                () -> KernelPca.builder().build().fitKernelMatrix(asym));
        assertMessage("Nystrom solver needs a kernel and data", () -> KernelPca.builder()
                .solver(KernelPca.Solver.nystrom(2)).build().fitKernelMatrix(Matrix.identity(3)));
        assertMessage("cannot choose 50 Nystrom landmarks from 40 points",
                () -> KernelPca.builder(RBF).solver(KernelPca.Solver.nystrom(50)).build().fit(X));
        assertMessage("trained on 3 features but the data has 5",
                () -> KernelPca.builder(RBF).build().fit(X).transform(new Matrix(2, 5)));
        assertMessage("no inverse map", () -> KernelPca.builder(RBF).build().fit(X).inverseTransform(new Matrix(1, 2)));
        assertMessage("alpha must be positive", () -> KernelPca.builder(RBF).fitInverseTransform(0).build());
        assertMessage("Lanczos tolerance must be in", () -> KernelPca.Solver.lanczos(0.5));
        assertMessage("not positive semi-definite", () -> KernelPca.builder().components(3).centre(false)
                .build().fitKernelMatrix(Matrix.of(new double[][] {{3, 0, 0}, {0, -2, 0}, {0, 0, 1}})));
        assertMessage("no positive eigenvalue", () -> KernelPca.builder().components(1)
                .build().fitKernelMatrix(Matrix.of(new double[][] {{2, 2}, {2, 2}})));
        assertMessage("built without a kernel", () -> KernelPca.builder().build().fit(X));
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        Kernels4jException e = assertThrows(Kernels4jException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
