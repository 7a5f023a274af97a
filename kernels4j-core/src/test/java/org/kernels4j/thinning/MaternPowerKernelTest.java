package org.kernels4j.thinning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.kernels4j.Kernels4jException;
import org.kernels4j.TestData;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.junit.jupiter.api.Test;

/** Matérn and Laplace power kernels: their Fourier transforms are the target's raised to α, checked by quadrature. */
class MaternPowerKernelTest {

    private static DoubleUnaryOperator profile(Kernel k) {
        return t -> k.value(new double[] {0}, new double[] {t});
    }

    /** ∫ k(τ) cos(ωτ) dτ over [−L, L] by the composite Simpson rule (k decays exponentially). */
    private static double fourier(DoubleUnaryOperator k, double omega) {
        double l = 60;
        int n = 240_000;
        double h = 2 * l / n;
        double s = 0;
        for (int i = 0; i <= n; i++) {
            double t = -l + i * h;
            double w = i == 0 || i == n ? 1 : (i % 2 == 1 ? 4 : 2);
            s += w * k.applyAsDouble(t) * Math.cos(omega * t);
        }
        return s * h / 3;
    }

    @Test
    void powerKernelsHaveTheTargetsSpectrumRaisedToAlpha() {
        // d = 1: Matérn-5/2 square root, Matérn-3/2 at α = 0.8, Laplace at α = 0.9 (a Matérn of order 0.4)
        Object[][] cases = {{"matern(nu=2.5, length=1.3)", 0.5}, {"matern(nu=1.5, length=0.7)", 0.8},
            {"laplacian(gamma=1.5)", 0.9}};
        for (Object[] c : cases) {
            Kernel k = KernelSpec.parse((String) c[0]);
            double alpha = (double) c[1];
            Kernel power = (alpha == 0.5 ? SplitKernel.root() : SplitKernel.power(alpha)).of(k, 1);
            double[] ratios = new double[4];
            double[] omegas = {0, 0.7, 1.9, 3.5};
            for (int i = 0; i < omegas.length; i++) {
                double target = fourier(profile(k), omegas[i]);
                ratios[i] = fourier(profile(power), omegas[i]) / Math.pow(target, alpha);
            }
            for (int i = 1; i < ratios.length; i++) {
                assertEquals(ratios[0], ratios[i], 1e-5 * ratios[0], c[0] + " at omega " + omegas[i]);
            }
        }
    }

    @Test
    void squareRootOfMaternThreeHalvesIsAnExponentialWhoseSelfConvolutionIsTheTarget() {
        // ν = 3/2, ℓ = 1, d = 1: the root is Matérn-½ with length 1/√3, and (a + |τ|)e^{−|τ|/a} ∝ (1 + √3|τ|)e^{−√3|τ|}
        Kernel root = SplitKernel.root().of(KernelSpec.parse("matern(nu=1.5, length=1)"), 1);
        double a = 1 / Math.sqrt(3);
        for (double t : new double[] {0, 0.4, 1.3, 3}) {
            assertEquals(Math.exp(-t / a), root.value(new double[] {0}, new double[] {t}), 1e-12);
        }
    }

    @Test
    void existenceDependsOnTheDimension() {
        Kernel laplace = KernelSpec.parse("laplacian(gamma=1)");
        assertFalse(SplitKernel.hasPowerKernel(laplace, 1, 0.5), "ν_rt = ½(½ + ½) − ½ = 0");
        assertTrue(SplitKernel.hasPowerKernel(laplace, 1, 0.6));
        assertTrue(SplitKernel.hasPowerKernel(KernelSpec.parse("matern(nu=2.5, length=1)"), 4, 0.5)); // 0.5·4.5 − 2 > 0
        assertFalse(SplitKernel.hasPowerKernel(KernelSpec.parse("matern(nu=1.5, length=1)"), 4, 0.5)); // 0.5·3.5 − 2 < 0
        assertFalse(SplitKernel.hasPowerKernel(laplace), "no d-free power kernel");
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> SplitKernel.root().of(laplace, 2));
        assertTrue(e.getMessage().contains("needs alpha > d/(2 nu + d) = 0.6667"), e.getMessage());
        assertThrows(Kernels4jException.class,
                () -> KernelThinning.builder(KernelSpec.parse("rq(alpha=1, length=1)")).split(SplitKernel.root()).build());
    }

    @Test
    void maternPowerThinningBeatsIidThinning() {
        // KT with the α = 0.75 power kernel of Matérn-5/2 on 2-D Gaussian data: over 4 seeds its MMD to the sample is
        // below half of i.i.d. thinning's (KT's guarantee: O(√log n / s) against O(1/√s)).
        Kernel k = KernelSpec.parse("matern(nu=2.5, length=1)");
        Matrix x = TestData.gaussian(1024, 2, 1, 5);
        KernelThinning kt = KernelThinning.builder(k).split(SplitKernel.power(0.75)).build();
        double ktMmd = 0;
        double iid = 0;
        for (long seed = 0; seed < 4; seed++) {
            ktMmd += Mmd.of(k, x, kt.thin(x, 32, seed));
            iid += Mmd.of(k, x, Thinning.Method.IID.thinner(k).thin(x, 32, seed));
        }
        assertTrue(ktMmd < 0.5 * iid, "kt " + ktMmd / 4 + " iid " + iid / 4);
        assertTrue(kt.splitKernel(2).toSpec().startsWith("matern(nu=1.625"), kt.splitKernel(2).toSpec());
    }
}
