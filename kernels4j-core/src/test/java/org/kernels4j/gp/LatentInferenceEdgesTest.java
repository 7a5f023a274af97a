package org.kernels4j.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kernels4j.TestData;
import org.kernels4j.linalg.Matrix;

/**
 * {@link LatentInference#posterior} against the Gaussian posterior written out here by another route:
 * Σ = (K⁻¹ + diag τ)⁻¹ and μ = Σ·ν, both by Gauss–Jordan elimination with partial pivoting on the dense matrices.
 * The sites mix the three cases the code treats apart: τ = 0 (no site), τ = 1e−9 (weak: τ_iΣ_ii far below the
 * 1e−8·cond B floor, where the shortcut (1 − (B⁻¹)_ii)/τ_i would lose about ε·cond B/τ_iK_ii ≈ 1e−6 of the value, so
 * those sites must take the direct route) and τ ∈ [0.5, 2]; weak and empty sites are a minority, so the shortcut is
 * used for the others. n = 260 rows make two bands of B's fill (65536/260 = 252 rows, then 8).
 *
 * <p>Also: the sweep cap of EP and CVI is exact (a cap of c sweeps reports c iterations and no convergence).
 */
class LatentInferenceEdgesTest {

    /** The inverse of a square matrix by Gaussian elimination with partial pivoting ({@link TestData#gaussSolve}). */
    private static double[][] inverse(double[][] a) {
        int n = a.length;
        Matrix inv = TestData.gaussSolve(Matrix.of(a), Matrix.identity(n));
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                out[i][j] = inv.get(i, j);
            }
        }
        return out;
    }

    @Test
    void posteriorMeanAndVariancesMatchTheDenseInverseForMixedSites() {
        int n = 260;
        java.util.Random rnd = new java.util.Random(17);
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = 6.0 * i / n;
        }
        // K: a squared exponential of length 0.7 plus 0.05·I (cond K ≈ 10³, so K⁻¹ by elimination is accurate to ~1e−13)
        Matrix k = new Matrix(n, n);
        double[][] kd = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = (xs[i] - xs[j]) / 0.7;
                kd[i][j] = Math.exp(-0.5 * d * d) + (i == j ? 0.05 : 0);
                k.set(i, j, kd[i][j]);
            }
        }
        double[] tau = new double[n];
        double[] nu = new double[n];
        for (int i = 0; i < n; i++) {
            tau[i] = i % 5 == 0 ? 0 : i % 5 == 1 ? 1e-9 : 0.5 + 1.5 * rnd.nextDouble();
            nu[i] = rnd.nextGaussian();
        }
        double[][] prec = inverse(kd);
        for (int i = 0; i < n; i++) {
            prec[i][i] += tau[i];
        }
        double[][] sigma = inverse(prec);
        try (LatentInference.Posterior p = LatentInference.posterior(k, tau, nu)) {
            for (int i = 0; i < n; i++) {
                double mean = 0;
                for (int j = 0; j < n; j++) {
                    mean += sigma[i][j] * nu[j];
                }
                assertEquals(sigma[i][i], p.variance()[i], 1e-9 * sigma[i][i], "Σ_" + i + " (τ = " + tau[i] + ")");
                assertEquals(mean, p.mean()[i], 1e-9 * (1 + Math.abs(mean)), "μ_" + i);
            }
        }
    }

    /** EP and CVI stopped by their sweep cap (a tolerance of 1e−14 is out of reach in 1–3 sweeps) report exactly the cap. */
    @Test
    void theSweepCapIsExact() {
        int n = 30;
        Matrix x = new Matrix(n, 1);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x.set(i, 0, -2 + 4.0 * i / n);
            y[i] = Math.sin(3 * x.get(i, 0)) + (i % 4 == 0 ? 0.8 : 0) > 0 ? 1 : 0;
        }
        Matrix k = org.kernels4j.gram.GramEngine.gram(org.kernels4j.kernel.KernelSpec.parse("rbf(length=0.6)"), x);
        for (InferenceMethod m : new InferenceMethod[] {InferenceMethod.EP, InferenceMethod.CVI}) {
            for (int cap = 1; cap <= 3; cap++) {
                LatentInference.Result r = LatentInference.infer(k, y, Likelihood.probit(),
                        new LatentInference.Options(m, cap, 0.7, 0.7, 1e-14), null, null);
                try (LatentInference.Posterior p = r.posterior()) {
                    assertEquals(cap, r.iterations(), m + ", cap " + cap);
                    org.junit.jupiter.api.Assertions.assertFalse(r.converged(), m + ", cap " + cap);
                }
            }
        }
    }

    /**
     * Laplace sites with the ELBO as objective have no analytic gradient here (the formula is the Laplace evidence's):
     * the gradient is the objective's own central difference, computed in the test with h = 1e−4 in log θ.
     */
    @Test
    void laplaceWithTheElboObjectiveHasTheElbosGradient() {
        int n = 10;
        Matrix x = new Matrix(n, 1);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x.set(i, 0, -2 + 4.0 * i / n);
            y[i] = Math.sin(3 * x.get(i, 0)) + (i % 4 == 0 ? 0.8 : 0) > 0 ? 1 : 0;
        }
        org.kernels4j.kernel.Kernel kernel = org.kernels4j.kernel.KernelSpec.parse("1.5*rbf(length=0.8)");
        LatentInference.Options o = new LatentInference.Options(InferenceMethod.LAPLACE, 2000, 0.7, 0.7, 1e-11);
        LatentInference.Problems p = new LatentInference.Problems(x, new double[][] {y}, Likelihood.logit(), o,
                HyperparameterObjective.ELBO);
        double[] g = p.evaluate(kernel).gradient();
        double[] theta = kernel.hyperparameters().stream().mapToDouble(hp -> hp.value()).toArray();
        for (int j = 0; j < theta.length; j++) {
            double[] side = new double[2];
            for (int s = 0; s < 2; s++) {
                double[] th = theta.clone();
                th[j] *= Math.exp(s == 0 ? 1e-4 : -1e-4);
                org.kernels4j.kernel.Kernel kk = kernel.withHyperparameters(th);
                LatentInference.Result r = LatentInference.infer(org.kernels4j.gram.GramEngine.gram(kk, x), y,
                        Likelihood.logit(), o, null, null);
                side[s] = LatentInference.objective(r, y, Likelihood.logit(), InferenceMethod.LAPLACE,
                        HyperparameterObjective.ELBO);
                r.posterior().close();
            }
            double fd = (side[0] - side[1]) / 2e-4;
            assertEquals(fd, g[j], 1e-4 * (1 + Math.abs(fd)), "parameter " + j);
        }
    }

    /** Q·diag(b)·Qᵀ added into a matrix, with positive, negative and zero weights, against the sum written here. */
    @Test
    void signedGramAddsQDiagBQtForEverySign() {
        Matrix q = TestData.gaussian(5, 4, 1, 77);
        double[] b = {0.7, -1.3, 0.0, 2.1};
        Matrix out = Matrix.identity(5);
        LatentInference.addSignedGram(q, b, out);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                double e = i == j ? 1 : 0;
                for (int k = 0; k < 4; k++) {
                    e += q.get(i, k) * b[k] * q.get(j, k);
                }
                assertEquals(e, out.get(i, j), 1e-12, "entry " + i + "," + j);
            }
        }
    }
}
