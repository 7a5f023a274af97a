package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.apache.commons.numbers.gamma.LogGamma;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.gp.HyperparameterSearch;
import org.kernels4j.gram.GramEngine;
import org.kernels4j.linalg.BesselReference;
import org.kernels4j.linalg.Cholesky;
import org.kernels4j.linalg.Matrix;

/** Matérn kernels of any smoothness ν: values against independent references, the RBF limit, learning ℓ. */
class MaternAnyOrderTest {

    /** 2^{1−ν}/Γ(ν)·t^ν·K_ν(t), t = √(2ν)·r, with log K_ν by quadrature ({@link BesselReference}). */
    static double maternByQuadrature(double nu, double r) {
        if (r == 0) {
            return 1;
        }
        double t = Math.sqrt(2 * nu) * r;
        return Math.exp((1 - nu) * Math.log(2) - LogGamma.value(nu) + nu * Math.log(t)
                + BesselReference.quadrature(nu, t));
    }

    private static double value(Kernel k, double r) {
        return k.value(new double[] {0.3}, new double[] {0.3 + r});
    }

    /** ν = 7/2 is not one of the coded closed forms, so this goes through log K_ν: (1 + t + 2t²/5 + t³/15)e^{−t}. */
    @Test
    void sevenHalvesEqualsItsClosedForm() {
        MaternKernel k = new MaternKernel(3.5, 1.3);
        for (double r : new double[] {1e-9, 0.01, 0.4, 1, 2.5, 7, 30}) {
            double t = Math.sqrt(7) * r / 1.3;
            double ref = (1 + t + 2 * t * t / 5 + t * t * t / 15) * Math.exp(-t);
            assertEquals(ref, value(k, r), 1e-13 * ref, "r=" + r);
        }
    }

    /** Just off ½, 3/2, 5/2 the general path must agree with the closed forms there (continuity in ν). */
    @Test
    void generalPathMeetsTheClosedFormsAtHalfIntegers() {
        for (double nu : new double[] {0.5, 1.5, 2.5}) {
            MaternKernel closed = new MaternKernel(nu, 0.9);
            for (double eps : new double[] {-1e-9, 1e-9}) {
                MaternKernel near = new MaternKernel(nu * (1 + eps), 0.9);
                for (double r : new double[] {0.05, 0.5, 1.5, 4}) {
                    double ref = value(closed, r);
                    assertEquals(ref, value(near, r), 1e-8 * ref, "nu=" + nu + (eps > 0 ? "+" : "-") + ", r=" + r);
                }
            }
        }
    }

    @Test
    void matchesTheQuadratureReferenceAtOtherOrders() {
        for (double nu : new double[] {0.05, 0.3, 0.8, 1, 1.7, 4.2, 12.5, 24.6, 25.4, 37, 150, 2000}) {
            MaternKernel k = new MaternKernel(nu, 0.7);
            for (double r : new double[] {1e-6, 0.02, 0.3, 0.7, 1.5, 3, 6}) {
                double ref = maternByQuadrature(nu, r / 0.7);
                double got = value(k, r);
                // the reference adds terms as large as ν·|log t| and log Γ(ν) that cancel: it is good to
                // about ε times their size, relative
                double t = Math.sqrt(2 * nu) * r / 0.7;
                double tol = (1e-12 + 4e-16 * (nu * Math.abs(Math.log(t)) + LogGamma.value(nu) + nu)) * ref + 1e-300;
                assertEquals(ref, got, tol, "nu=" + nu + ", r=" + r);
            }
        }
    }

    /**
     * As ν → ∞, Matérn → exp(−r²/2), with the first-order term from expanding the Debye–Stirling form:
     * log M_ν = −r²/2 + (r⁴/8 − r²/2)/ν + O(1/ν²). The remainder after that term must shrink like 1/ν²
     * (checked at ν = 10³, 10⁴, 10⁵), and the plain gap to RBF is at most 0.2306/ν, the maximum of
     * e^{−u/2}|u²/8 − u/2| over u = r².
     */
    @Test
    void tendsToRbfAsNuGrows() {
        Kernel rbf = RbfKernel.withLength(1.1);
        for (double nu : new double[] {1e3, 1e4, 1e5}) {
            MaternKernel k = new MaternKernel(nu, 1.1);
            double gap = 0;
            double remainder = 0;
            for (double r = 0; r <= 6; r += 0.01) {
                double rr = r / 1.1;
                double g = value(rbf, r);
                double m = value(k, r);
                gap = Math.max(gap, Math.abs(m - g));
                remainder = Math.max(remainder, Math.abs(m - g * (1 + (rr * rr * rr * rr / 8 - rr * rr / 2) / nu)));
            }
            assertTrue(gap < 0.2307 / nu && gap > 0.229 / nu, "nu=" + nu + ": gap·nu = " + gap * nu);
            assertTrue(remainder < 1.0 / (nu * nu), "nu=" + nu + ": remainder·nu² = " + remainder * nu * nu);
        }
    }

    /** 2g'(s) of the kernel's profile against a central difference of the quadrature reference. */
    @Test
    void radialDerivativeMatchesCentralDifferences() {
        Matrix x = org.kernels4j.TestData.gaussian(5, 2, 0.9, 31);
        double[] l = {0.8, 1.9};
        for (double nu : new double[] {0.8, 1.2, 3.7, 40}) {
            for (boolean ard : new boolean[] {false, true}) {
                MaternKernel k = ard ? new MaternKernel(nu, l) : new MaternKernel(nu, 1.7);
                double[] out = new double[25];
                try (GramInputs in = new GramInputs(x, x.columnMeans())) {
                    GramBlock block = new GramBlock(in, in, true, 25);
                    try {
                        block.moveTo(0, 5, 0, 5);
                        k.computeRadialDerivativeBlock(block, out);
                    } finally {
                        block.release();
                    }
                }
                for (int i = 0; i < 5; i++) {
                    for (int j = 0; j < 5; j++) {
                        if (i == j) {
                            continue;
                        }
                        double s = 0;
                        for (int f = 0; f < 2; f++) {
                            double t = (x.get(i, f) - x.get(j, f)) / (ard ? l[f] : 1);
                            s += t * t;
                        }
                        double len = ard ? 1 : 1.7;
                        double h = 1e-4 * s; // the quadrature is good to ~1e-14: a smaller step would amplify that
                        double ref = 2 * (maternByQuadrature(nu, Math.sqrt(s + h) / len)
                                - maternByQuadrature(nu, Math.sqrt(s - h) / len)) / (2 * h);
                        assertEquals(ref, out[i * 5 + j], 1e-6 * Math.abs(ref), k + " at (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    /**
     * A GP with a ν = 1.2 Matérn learns the length scale of a draw from that same prior (n = 150 on
     * [0, 15], ℓ = 0.8, noise 10⁻²): started at ℓ = 4, the evidence maximum lands within 35% of the truth,
     * and its gradient there is ~0.
     */
    @Test
    void gaussianProcessLearnsTheLengthScale() {
        int n = 150;
        Random rng = new Random(7);
        Matrix x = new Matrix(n, 1);
        for (int i = 0; i < n; i++) {
            x.set(i, 0, 15.0 * i / n + 0.05 * rng.nextDouble());
        }
        Matrix gram = GramEngine.gram(new MaternKernel(1.2, 0.8), x);
        for (int i = 0; i < n; i++) {
            gram.set(i, i, gram.get(i, i) + 1e-2);
        }
        Matrix y = new Matrix(n, 1);
        try (Cholesky c = Cholesky.factor(gram, "prior")) {
            Matrix lower = c.lower();
            double[] g = new double[n];
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextGaussian();
            }
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j <= i; j++) {
                    s += lower.get(i, j) * g[j];
                }
                y.set(i, 0, s);
            }
        }
        GaussianProcess gp = GaussianProcess.builder(KernelSpec.parse("matern(nu=1.2, length=4)")).noise(1e-2)
                .normalizeTargets(false).build();
        HyperparameterSearch.Result r = gp.optimize(x, y, HyperparameterSearch.builder().build());
        double learned = r.hyperparameters().get(0).value();
        assertTrue(learned > 0.8 / 1.35 && learned < 0.8 * 1.35, "learned length " + learned);
        assertEquals(0, gp.withKernel(r.kernel()).evidence(x, y).gradient()[0], 1e-2);
    }

    @Test
    void refusesNonPositiveSmoothness() {
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> new MaternKernel(0, 1));
        assertEquals("matern: nu must be a positive finite number, got 0", e.getMessage());
        assertThrows(Kernels4jException.class, () -> KernelSpec.parse("matern(nu=-1)"));
        assertThrows(Kernels4jException.class, () -> KernelSpec.parse("matern(nu=1e999)"));
        assertEquals("matern(nu=0.8, length=1.3)", KernelSpec.parse("matern(nu=0.8, length=1.3)").toSpec());
        assertEquals(new MaternKernel(0.8, 1.3), KernelSpec.parse(new MaternKernel(0.8, 1.3).toSpec()));
    }
}
