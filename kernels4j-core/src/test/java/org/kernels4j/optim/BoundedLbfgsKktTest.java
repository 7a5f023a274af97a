package org.kernels4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;

/**
 * BoundedLbfgs against the Karush–Kuhn–Tucker conditions of box-constrained problems, checked here
 * from the gradient the test computes itself (free variables: ∂f ≈ 0; at a lower bound: ∂f ≥ 0; at an
 * upper bound: ∂f ≤ 0), against closed-form optima, and its stopping rules and bookkeeping (iteration
 * and evaluation counts, reported value and gradient) against what the objective saw.
 */
class BoundedLbfgsKktTest {

    /** f = ½ Σ_i c_i (x_i − m_i)² + ¼ Σ_i (x_i − x_{i+1})², n variables with curvatures c_i over three decades. */
    private static final class IllConditioned implements BoundedLbfgs.Objective {
        final int n;
        final double[] c;
        final double[] m;
        int calls;

        IllConditioned(int n, long seed) {
            this.n = n;
            Random r = new Random(seed);
            c = new double[n];
            m = new double[n];
            for (int i = 0; i < n; i++) {
                c[i] = Math.pow(10, 3.0 * i / (n - 1));
                m[i] = 4 * r.nextDouble() - 2;
            }
        }

        @Override
        public double valueAndGradient(double[] x, double[] g) {
            calls++;
            double f = 0;
            java.util.Arrays.fill(g, 0);
            for (int i = 0; i < n; i++) {
                double e = x[i] - m[i];
                f += 0.5 * c[i] * e * e;
                g[i] += c[i] * e;
                if (i + 1 < n) {
                    double d = x[i] - x[i + 1];
                    f += 0.25 * d * d;
                    g[i] += 0.5 * d;
                    g[i + 1] -= 0.5 * d;
                }
            }
            return f;
        }
    }

    private static void assertKkt(double[] x, double[] g, double[] lo, double[] hi, double tol) {
        for (int i = 0; i < x.length; i++) {
            assertTrue(x[i] >= lo[i] && x[i] <= hi[i], "x_" + i + " = " + x[i] + " outside the box");
            if (x[i] == lo[i]) {
                assertTrue(g[i] >= -tol, "at the lower bound the gradient must point inwards, g_" + i + " = " + g[i]);
            } else if (x[i] == hi[i]) {
                assertTrue(g[i] <= tol, "at the upper bound the gradient must point inwards, g_" + i + " = " + g[i]);
            } else {
                assertEquals(0.0, g[i], tol, "free variable " + i);
            }
        }
    }

    @Test
    void illConditionedBoxedQuadraticMeetsTheKktConditions() {
        // 30 variables, curvature 1 … 1000: far more iterations than the memory of 10 pairs
        IllConditioned f = new IllConditioned(30, 1);
        double[] lo = new double[30];
        double[] hi = new double[30];
        for (int i = 0; i < 30; i++) {
            lo[i] = -1;
            hi[i] = i % 3 == 0 ? 0.5 : 1; // about a third of the minima lie outside, against either bound
        }
        double[] x0 = new double[30];
        x0[0] = 7; // outside the box: projected first
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().withTolerances(1e-9, 0).minimize(f, x0, lo, hi);
        double[] g = new double[30];
        double v = f.valueAndGradient(r.x(), g);
        // with no relative-decrease test it runs until no step lowers f at double precision, which here leaves
        // KKT violations of ~2e-6 (f is only known to rounding); 1e-5, SciPy's default gradient tolerance, is the
        // bound (a wrong step or direction would stop with violations of order 1e-2 or more)
        assertKkt(r.x(), g, lo, hi, 1e-5);
        assertEquals(v, r.value(), 0.0, "the value reported is f at the point reported");
        assertArrayEquals(g, r.gradient(), 0.0, "and so is the gradient");
        assertEquals(f.calls - 1, r.evaluations(), "evaluations count every call (the last one here is the test's)");
        int atBound = 0;
        for (int i = 0; i < 30; i++) {
            atBound += r.x()[i] == lo[i] || r.x()[i] == hi[i] ? 1 : 0;
        }
        assertTrue(atBound >= 5, atBound + " active bounds");
    }

    @Test
    void separableQuadraticHasItsClosedFormOptimum() {
        // f = Σ (i + 1)·(x_i − t_i)²: x_i = clip(t_i, lo_i, hi_i)
        double[] t = {3, -2, 0.5, 10, -0.25};
        double[] lo = {-1, -1, -1, -1, -1};
        double[] hi = {1, 1, 1, 1, 1};
        BoundedLbfgs.Objective f = (x, g) -> {
            double s = 0;
            for (int i = 0; i < 5; i++) {
                s += (i + 1) * (x[i] - t[i]) * (x[i] - t[i]);
                g[i] = 2 * (i + 1) * (x[i] - t[i]);
            }
            return s;
        };
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().withTolerances(1e-10, 0).minimize(f, new double[5], lo, hi);
        // |∂f/∂x_i| ≤ 1e-10 at a free optimum means |x_i − t_i| ≤ 1e-10/(2(i + 1))
        assertArrayEquals(new double[] {1, -1, 0.5, 1, -0.25}, r.x(), 1e-10);
        // bounds are hit exactly: the step that reaches one is clamped to it, never one ulp beyond
        assertEquals(1.0, r.x()[0], 0.0);
        assertEquals(-1.0, r.x()[1], 0.0);
        // f at the optimum: 1·2² + 2·1² + 0 + 4·9² + 0 = 330
        assertEquals(330.0, r.value(), 1e-12);
    }

    @Test
    void fixedVariablesStayPut() {
        // x₁ has lower = upper = 0.3; the minimum over x₀ of (x₀ − x₁)² + x₀² is x₀ = x₁/2
        BoundedLbfgs.Objective f = (x, g) -> {
            g[0] = 2 * (x[0] - x[1]) + 2 * x[0];
            g[1] = -2 * (x[0] - x[1]);
            return (x[0] - x[1]) * (x[0] - x[1]) + x[0] * x[0];
        };
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {2, 5}, new double[] {-5, 0.3},
                new double[] {5, 0.3});
        assertEquals(0.3, r.x()[1], 0.0);
        assertEquals(0.15, r.x()[0], 1e-6);
    }

    @Test
    void theIterationLimitStopsAndIsReported() {
        IllConditioned f = new IllConditioned(10, 2);
        double[] lo = new double[10];
        double[] hi = new double[10];
        java.util.Arrays.fill(lo, -5);
        java.util.Arrays.fill(hi, 5);
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().withMaxIterations(3).minimize(f, new double[10], lo, hi);
        assertEquals(BoundedLbfgs.Stop.ITERATIONS, r.stop());
        assertEquals(3, r.iterations());
        assertEquals(f.calls, r.evaluations());
        assertTrue(r.evaluations() >= 4, "the start and at least one trial per iteration");
        double[] g = new double[10];
        assertEquals(f.valueAndGradient(r.x(), g), r.value(), 0.0);
        BoundedLbfgs.Result one = BoundedLbfgs.defaults().withMaxIterations(1).minimize(new IllConditioned(10, 2),
                new double[10], lo, hi);
        assertEquals(1, one.iterations());
        assertTrue(one.value() > r.value(), "three iterations get lower than one");
    }

    @Test
    void aLooseRelativeToleranceStopsEarly() {
        IllConditioned tight = new IllConditioned(10, 3);
        IllConditioned loose = new IllConditioned(10, 3);
        double[] lo = new double[10];
        double[] hi = new double[10];
        java.util.Arrays.fill(lo, -5);
        java.util.Arrays.fill(hi, 5);
        BoundedLbfgs.Result a = BoundedLbfgs.defaults().withTolerances(0, 0).withMaxIterations(500)
                .minimize(tight, new double[10], lo, hi);
        BoundedLbfgs.Result b = BoundedLbfgs.defaults().withTolerances(0, 0.05).minimize(loose, new double[10], lo, hi);
        assertEquals(BoundedLbfgs.Stop.RELATIVE_DECREASE, b.stop());
        assertTrue(b.iterations() < a.iterations(), b.iterations() + " vs " + a.iterations());
        assertTrue(b.value() >= a.value());
        // the rule: the last step lowered f by at most 5 % of max(|f|, |f_new|, 1)
        assertTrue(b.iterations() >= 1);
    }

    @Test
    void aWrongGradientEndsInALineSearchFailureAtTheStart() {
        // the gradient's sign is flipped: every step along −g goes uphill, so nothing is accepted
        List<double[]> seen = new ArrayList<>();
        BoundedLbfgs.Objective f = (x, g) -> {
            seen.add(x.clone());
            g[0] = -2 * (x[0] - 1);
            return (x[0] - 1) * (x[0] - 1);
        };
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {3}, new double[] {-10},
                new double[] {10});
        assertEquals(BoundedLbfgs.Stop.LINE_SEARCH, r.stop());
        assertEquals(3.0, r.x()[0], 0.0);
        assertEquals(4.0, r.value(), 0.0);
        assertEquals(0, r.iterations());
        assertEquals(seen.size(), r.evaluations());
        assertEquals(3.0, seen.get(0)[0], 0.0);
    }

    @Test
    void aStartOnTheMinimumStopsAtOnce() {
        int[] calls = {0};
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize((x, g) -> {
            calls[0]++;
            g[0] = 2 * (x[0] - 2);
            return (x[0] - 2) * (x[0] - 2);
        }, new double[] {9}, new double[] {-1}, new double[] {2}); // projected onto the minimum, on the bound
        assertEquals(BoundedLbfgs.Stop.GRADIENT, r.stop());
        assertEquals(0, r.iterations());
        assertEquals(1, r.evaluations());
        assertEquals(1, calls[0]);
        assertEquals(2.0, r.x()[0], 0.0);
        // a minimum strictly outside the box, on the bound with the gradient pushing out: also converged
        BoundedLbfgs.Result out = BoundedLbfgs.defaults().minimize((x, g) -> {
            g[0] = 2 * (x[0] - 5);
            return (x[0] - 5) * (x[0] - 5);
        }, new double[] {2}, new double[] {-1}, new double[] {2});
        assertEquals(BoundedLbfgs.Stop.GRADIENT, out.stop());
        assertEquals(0, out.iterations());
    }

    @Test
    void settingsAreValidated() {
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().withMaxIterations(0));
        assertEquals(1, BoundedLbfgs.defaults().withMaxIterations(1).minimize((x, g) -> {
            g[0] = 2 * x[0] - 1;
            return x[0] * x[0] - x[0];
        }, new double[] {3}, new double[] {-5}, new double[] {5}).iterations());
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().withTolerances(-1, 0));
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().withTolerances(0, -1));
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().withTolerances(Double.NaN, 0));
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().withTolerances(0, Double.NaN));
        BoundedLbfgs.defaults().withTolerances(0, 0);
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().minimize((x, g) -> 0, new double[2],
                new double[1], new double[2]));
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().minimize((x, g) -> 0, new double[2],
                new double[2], new double[1]));
        // a finite value with a non-finite gradient is not a usable start either
        assertThrows(Kernels4jException.class, () -> BoundedLbfgs.defaults().minimize((x, g) -> {
            g[0] = Double.POSITIVE_INFINITY;
            return 1;
        }, new double[1], new double[] {-1}, new double[] {1}));
        String s = BoundedLbfgs.defaults().toString();
        assertTrue(s.contains("memory=10") && s.contains("maxIterations=15000") && s.contains("gtol=1.0E-5"), s);
    }

    @Test
    void infiniteValuesAreBackedOffFrom() {
        // f = (x − 3)² for x ≤ 2, +∞ beyond: the constrained minimum is the edge x = 2
        BoundedLbfgs.Objective f = (x, g) -> {
            if (x[0] > 2) {
                g[0] = 0;
                return Double.POSITIVE_INFINITY;
            }
            g[0] = 2 * (x[0] - 3);
            return (x[0] - 3) * (x[0] - 3);
        };
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {-4}, new double[] {-10},
                new double[] {10});
        assertTrue(r.x()[0] <= 2 && r.x()[0] > 1.99, "x = " + r.x()[0]);
        assertTrue(Double.isFinite(r.value()));
    }

    /** Records every point the objective is asked about. */
    private static final class Recording implements BoundedLbfgs.Objective {
        final BoundedLbfgs.Objective f;
        final List<double[]> points = new ArrayList<>();

        Recording(BoundedLbfgs.Objective f) {
            this.f = f;
        }

        @Override
        public double valueAndGradient(double[] x, double[] g) {
            points.add(x.clone());
            return f.valueAndGradient(x, g);
        }
    }

    @Test
    void zoomLandsOnTheMinimumOfACubicAtOnce() {
        // φ(α) = f(α) = −α + 0.65α² + α³ along d = 1 from 0 (so the first trial is α = 1, where φ(1) = 0.65 > φ(0)).
        // A cubic is its own cubic interpolant through (0, φ, φ') and (1, φ, φ'), so the next trial is the exact
        // minimiser α* = 0.4 (φ'(0.4) = −1 + 0.52 + 0.48 = 0), where the Wolfe conditions hold.
        Recording f = new Recording((x, g) -> {
            double a = x[0];
            g[0] = -1 + 1.3 * a + 3 * a * a;
            return -a + 0.65 * a * a + a * a * a;
        });
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {0}, new double[] {-10}, new double[] {10});
        assertEquals(3, f.points.size(), "start, overshoot, minimum");
        assertEquals(1.0, f.points.get(1)[0], 0.0);
        assertEquals(0.4, f.points.get(2)[0], 1e-12);
        assertEquals(BoundedLbfgs.Stop.GRADIENT, r.stop());
        assertEquals(1, r.iterations());
        assertEquals(0.4, r.x()[0], 1e-12);
    }

    @Test
    void anUndefinedTrialStepsBackAQuarter() {
        // f = 2.5(x − 0.2)², undefined beyond 0.8: from 0, d = −f'(0) = 1, the trial α = 1 is NaN, and the
        // documented fallback steps to a quarter of the interval, α = 0.25, which satisfies both Wolfe conditions
        Recording f = new Recording((x, g) -> {
            if (x[0] > 0.8) {
                return Double.NaN;
            }
            g[0] = 5 * (x[0] - 0.2);
            return 2.5 * (x[0] - 0.2) * (x[0] - 0.2);
        });
        BoundedLbfgs.defaults().withMaxIterations(1).minimize(f, new double[] {0}, new double[] {-10}, new double[] {10});
        assertEquals(3, f.points.size());
        assertEquals(1.0, f.points.get(1)[0], 0.0);
        assertEquals(0.25, f.points.get(2)[0], 0.0);
    }

    @Test
    void theStepDoublesUntilTheCurvatureConditionOrTheBound() {
        // f = −x + 0.01x²: f'(α) = −1 + 0.02α stays below −0.9 (the curvature condition |f'| ≤ 0.9|f'(0)|) up to
        // α = 5, so trials double 1, 2, 4 and then stop at the bound 4.5, where the gradient pushes outwards
        Recording f = new Recording((x, g) -> {
            g[0] = -1 + 0.02 * x[0];
            return -x[0] + 0.01 * x[0] * x[0];
        });
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {0}, new double[] {-10}, new double[] {4.5});
        double[] visited = new double[f.points.size()];
        for (int i = 0; i < visited.length; i++) {
            visited[i] = f.points.get(i)[0];
        }
        assertArrayEquals(new double[] {0, 1, 2, 4, 4.5}, visited, 0.0);
        assertEquals(BoundedLbfgs.Stop.GRADIENT, r.stop());
        assertEquals(4.5, r.x()[0], 0.0);
        // without the bound the doubling stops at α = 8, the first trial with |f'| ≤ 0.9
        Recording free = new Recording(f.f);
        BoundedLbfgs.defaults().withMaxIterations(1).minimize(free, new double[] {0}, new double[] {-100},
                new double[] {100});
        assertEquals(5, free.points.size());
        assertEquals(8.0, free.points.get(4)[0], 0.0);
    }

    @Test
    void theSecondDirectionIsTheBfgsUpdateOfTheScaledIdentity() {
        // f = ½(4x² + 2xy + 3y²) − x − 2y from (3, −3): g₀ = (8, −8), so the first trial is x₀ − g₀/max|g₀| = (2, −2).
        // After one step (s, y = g₁ − g₀) the next direction is −H₁g₁ with the BFGS matrix
        // H₁ = (I − ρsyᵀ)·γI·(I − ρysᵀ) + ρssᵀ, ρ = 1/(yᵀs), γ = sᵀy/yᵀy, written here in matrix form
        // (the code uses the two-loop recursion), and its first trial takes the full step α = 1.
        BoundedLbfgs.Objective q = (x, g) -> {
            g[0] = 4 * x[0] + x[1] - 1;
            g[1] = x[0] + 3 * x[1] - 2;
            return 0.5 * (4 * x[0] * x[0] + 2 * x[0] * x[1] + 3 * x[1] * x[1]) - x[0] - 2 * x[1];
        };
        double[] lo = {-10, -10};
        double[] hi = {10, 10};
        Recording first = new Recording(q);
        BoundedLbfgs.Result one = BoundedLbfgs.defaults().withMaxIterations(1).minimize(first, new double[] {3, -3}, lo, hi);
        assertArrayEquals(new double[] {2, -2}, first.points.get(1), 0.0);
        double[] s = {one.x()[0] - 3, one.x()[1] + 3};
        double[] y = {one.gradient()[0] - 8, one.gradient()[1] + 8};
        double sy = s[0] * y[0] + s[1] * y[1];
        double rho = 1 / sy;
        double gamma = sy / (y[0] * y[0] + y[1] * y[1]);
        double[][] h = new double[2][2];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double v = 0;
                for (int k = 0; k < 2; k++) {
                    // (I − ρsyᵀ)_ik · γ · (I − ρysᵀ)_kj
                    double left = (i == k ? 1 : 0) - rho * s[i] * y[k];
                    double right = (k == j ? 1 : 0) - rho * y[k] * s[j];
                    v += left * gamma * right;
                }
                h[i][j] = v + rho * s[i] * s[j];
            }
        }
        double[] g1 = one.gradient();
        double[] want = {one.x()[0] - (h[0][0] * g1[0] + h[0][1] * g1[1]), one.x()[1] - (h[1][0] * g1[0] + h[1][1] * g1[1])};
        Recording second = new Recording(q);
        BoundedLbfgs.defaults().withMaxIterations(2).minimize(second, new double[] {3, -3}, lo, hi);
        double[] trial = second.points.get(first.points.size());
        assertArrayEquals(want, trial, 1e-12);
    }

    @Test
    void theStepAlsoDoublesDownToALowerBoundFromAnInteriorStart() {
        // f = (x − 0.5) + 0.01(x − 0.5)² from 0.5 towards the lower bound −4: d = −1 and f'(α) along d stays
        // above 0.9 in size, so trials double (α = 1, 2, 4) until the bound caps α at (−4 − 0.5)/(−1) = 4.5
        Recording f = new Recording((x, g) -> {
            double e = x[0] - 0.5;
            g[0] = 1 + 0.02 * e;
            return e + 0.01 * e * e;
        });
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {0.5}, new double[] {-4}, new double[] {9});
        double[] visited = new double[f.points.size()];
        for (int i = 0; i < visited.length; i++) {
            visited[i] = f.points.get(i)[0];
        }
        assertArrayEquals(new double[] {0.5, -0.5, -1.5, -3.5, -4}, visited, 0.0);
        assertEquals(-4.0, r.x()[0], 0.0);
    }

    @Test
    void variablesStartingOnABoundWithTheGradientPushingOutAreHeld() {
        // f = (x₀ − 5)² + (x₁ − 0.5)² + (x₂ + 5)² on [−1, 1]³ from (1, −0.5, −1): x₀ and x₂ start on the bounds their
        // minima lie beyond; only x₁ has to move. Treating x₀ or x₂ as free would aim the step out of the box.
        BoundedLbfgs.Objective f = (x, g) -> {
            g[0] = 2 * (x[0] - 5);
            g[1] = 2 * (x[1] - 0.5);
            g[2] = 2 * (x[2] + 5);
            return (x[0] - 5) * (x[0] - 5) + (x[1] - 0.5) * (x[1] - 0.5) + (x[2] + 5) * (x[2] + 5);
        };
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {1, -0.5, -1}, new double[] {-1, -1, -1},
                new double[] {1, 1, 1});
        assertEquals(BoundedLbfgs.Stop.GRADIENT, r.stop());
        assertArrayEquals(new double[] {1, 0.5, -1}, r.x(), 1e-6);
        assertEquals(16 + 16, r.value(), 1e-9);
    }

    @Test
    void aZeroGradientToleranceStillStopsOnAnExactMinimum() {
        // the projected gradient is exactly 0 at the start: the test is ≤, so it stops there with GRADIENT
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().withTolerances(0, 0).minimize((x, g) -> {
            g[0] = 2 * (x[0] - 2);
            return (x[0] - 2) * (x[0] - 2);
        }, new double[] {2}, new double[] {-5}, new double[] {5});
        assertEquals(BoundedLbfgs.Stop.GRADIENT, r.stop());
        assertEquals(0, r.iterations());
    }

    @Test
    void theRelativeDecreaseRuleStopsAtTheFirstSmallStep() {
        // f = 10⁶ + the ill-conditioned quadratic: the rule compares each step's decrease with tol·max(|f|, |f_new|, 1),
        // here ≈ tol·10⁶. The values after k iterations, from runs limited to k, show where the rule must fire.
        double tol = 1e-7;
        BoundedLbfgs.Objective f = (x, g) -> 1e6 + new IllConditioned(8, 5).valueAndGradient(x, g);
        double[] lo = new double[8];
        double[] hi = new double[8];
        java.util.Arrays.fill(lo, -5);
        java.util.Arrays.fill(hi, 5);
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().withTolerances(0, tol).minimize(f, new double[8], lo, hi);
        assertEquals(BoundedLbfgs.Stop.RELATIVE_DECREASE, r.stop());
        int k = r.iterations();
        double previous = f.valueAndGradient(new double[8], new double[8]);
        for (int j = 1; j <= k; j++) {
            BoundedLbfgs.Result rj = BoundedLbfgs.defaults().withTolerances(0, 0).withMaxIterations(j).minimize(f,
                    new double[8], lo, hi);
            double limit = tol * Math.max(Math.max(Math.abs(previous), Math.abs(rj.value())), 1);
            if (j < k) {
                assertTrue(previous - rj.value() > limit, "step " + j + " should not have stopped it");
            } else {
                assertTrue(previous - rj.value() <= limit, "step " + j + " should have stopped it");
                assertEquals(rj.value(), r.value(), 0.0);
            }
            previous = rj.value();
        }
        assertTrue(k >= 2, k + " iterations");
    }

    @Test
    void aKinkIsBracketedToRoundingLevel() {
        // f = |x − 0.3| + 0.1x: the slope is ±1 + 0.1 everywhere, so the curvature condition never holds and every
        // line search ends by narrowing its bracket and taking the best point with sufficient decrease
        Recording f = new Recording((x, g) -> {
            g[0] = Math.signum(x[0] - 0.3) + 0.1;
            return Math.abs(x[0] - 0.3) + 0.1 * x[0];
        });
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {0}, new double[] {-10}, new double[] {10});
        assertEquals(0.3, r.x()[0], 1e-9, r.stop() + " after " + r.iterations() + " iterations");
        assertEquals(0.03, r.value(), 1e-9);
    }

    @Test
    void zoomAfterAnExtrapolationLandsOnTheCubicMinimum() {
        // f' = −1 − 1.18333x + 1.23333x² (f'(1) = −0.95, f'(1.5) = 0): from 0 with d = 1 the trial α = 1 meets the
        // sufficient decrease but not the curvature condition, α = 2 is higher than α = 1, and the bracket [1, 2] of
        // the cubic f is interpolated exactly: the next trial is its minimiser 1.5
        double q = 0.925 / 0.75;
        double p = 0.05 - q;
        Recording f = new Recording((x, g) -> {
            double a = x[0];
            g[0] = -1 + p * a + q * a * a;
            return -a + p / 2 * a * a + q / 3 * a * a * a;
        });
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {0}, new double[] {-10}, new double[] {10});
        assertEquals(1.0, f.points.get(1)[0], 0.0);
        assertEquals(2.0, f.points.get(2)[0], 0.0);
        assertEquals(1.5, f.points.get(3)[0], 1e-12);
        assertEquals(1.5, r.x()[0], 1e-12);
    }

    @Test
    void undefinedTrialsAreApproachedByQuarterSteps() {
        // f = −2x + 0.02x², undefined beyond x = 1.5: g₀ = −2, so d = 2 and the first trial is α = ½ (x = 1), then
        // α = 1 (x = 2, undefined); each later trial steps a quarter of the way from the good end to the bad one:
        // α = 0.625, 0.71875, 0.7890625 (x = 1.25, 1.4375, 1.578125, the last undefined again)
        Recording f = new Recording((x, g) -> {
            if (x[0] > 1.5) {
                return Double.NaN;
            }
            g[0] = -2 + 0.04 * x[0];
            return -2 * x[0] + 0.02 * x[0] * x[0];
        });
        BoundedLbfgs.Result r = BoundedLbfgs.defaults().minimize(f, new double[] {0}, new double[] {-10}, new double[] {10});
        double[] first = new double[6];
        for (int i = 0; i < 6; i++) {
            first[i] = f.points.get(i)[0];
        }
        assertArrayEquals(new double[] {0, 1, 2, 1.25, 1.4375, 1.578125}, first, 1e-15);
        assertTrue(r.x()[0] <= 1.5 && r.x()[0] > 1.49, "the best defined point, x = " + r.x()[0]);
    }
}
