package org.kernels4j.kernel;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.Kernels4jException;

/**
 * The shared body of the spectral-mixture kernels ({@link SpectralMixtureKernel},
 * {@link StudentTMixtureKernel}): Q components, each a weight w_q &gt; 0, spectral means μ_q and
 * spectral variances v_q (one value shared by all features, or one per feature), and
 * <pre>
 *   k(x, z) = Σ_q w_q · Π_f cos(2π μ_qf τ_f) · E(s_q),   τ = x − z,   s_q = Σ_f v_qf τ_f²,
 * </pre>
 * where the envelope E is the Fourier transform of the spectral shape (Gaussian or Student-t) and
 * depends on τ only through the v-weighted squared distance s_q. The cosine product is the transform
 * of the shifted spectrum averaged over the 2^d sign flips of μ, so positive means (log space) lose
 * nothing: the form GPyTorch's {@code SpectralMixtureKernel} uses.
 *
 * <p>Gradients (log space): ∂k/∂log w_q = k_q; ∂k/∂log μ_qf = −w_q E(s_q)·2πμ_qf τ_f sin(2πμ_qf τ_f)·
 * Π_{g≠f} cos(2πμ_qg τ_g); ∂k/∂log v_qf = w_q Π_g cos(…)·E'(s_q)·v_qf τ_f² (a shared μ_q or v_q sums
 * these over f). Cost per pair: O(Q·d) for values, O(Q·d²) for gradients.
 */
final class SpectralComponents {
    /** The envelope E(s) and its slope E'(s), s = Σ_f v_f τ_f² ≥ 0. */
    interface Envelope {
        double value(double s);

        double slope(double s);
    }

    final double[] weights;
    final double[][] means;
    final double[][] variances;

    /**
     * Parses the shared parameters: {@code q} (or the longest list given), weights (default 1/Q each),
     * and means and variances as {@link KernelCatalog.Param#perComponent()} rows; a single value or a
     * single row is used for every component.
     */
    static SpectralComponents parse(KernelSpec.Args a, KernelCatalog.Type type, KernelCatalog.Param qParam,
            KernelCatalog.Param w, KernelCatalog.Param mu, KernelCatalog.Param v) {
        double[][] wr = a.numberRows(w);
        double[][] mr = a.numberRows(mu);
        double[][] vr = a.numberRows(v);
        for (double[] r : wr) {
            if (r.length != 1) {
                throw a.error(w, "weights must be a number or a list with one number per component");
            }
        }
        int q = a.has(qParam) ? a.integer(qParam) : Math.max(wr.length, Math.max(mr.length, vr.length));
        try {
            qParam.check(type.name(), q);
        } catch (Kernels4jException e) {
            throw a.error(qParam, e.getMessage().substring(type.name().length() + 2));
        }
        double[] weights = new double[q];
        for (int i = 0; i < q; i++) {
            weights[i] = !a.has(w) ? 1.0 / q : wr[wr.length == 1 ? 0 : Math.min(i, wr.length - 1)][0];
        }
        if (a.has(w) && wr.length != 1 && wr.length != q) {
            throw a.error(w, "weights must have one entry per component (" + q + "), got " + wr.length);
        }
        try {
            return new SpectralComponents(type, w, mu, v, weights, broadcast(mr, q), broadcast(vr, q));
        } catch (Kernels4jException e) {
            throw a.error(mu, e.getMessage().substring(type.name().length() + 2));
        }
    }

    private static double[][] broadcast(double[][] rows, int q) {
        if (rows.length != 1 || q == 1) {
            return rows;
        }
        double[][] out = new double[q][];
        for (int i = 0; i < q; i++) {
            out[i] = rows[0].clone();
        }
        return out;
    }

    SpectralComponents(KernelCatalog.Type type, KernelCatalog.Param w, KernelCatalog.Param mu, KernelCatalog.Param v,
            double[] weights, double[][] means, double[][] variances) {
        String name = type.name();
        this.weights = w.check(name, weights);
        int q = weights.length;
        this.means = rows(name, mu, means, q);
        this.variances = rows(name, v, variances, q);
    }

    private static double[][] rows(String kernel, KernelCatalog.Param p, double[][] values, int q) {
        if (values.length != q) {
            throw new Kernels4jException(kernel + ": " + p.name() + " must have one entry per component (" + q
                    + "), got " + values.length + " (for one value per feature write a list of lists, e.g. [[0.1, 0.2]])");
        }
        double[][] out = new double[q][];
        for (int i = 0; i < q; i++) {
            if (values[i].length != values[0].length) {
                throw new Kernels4jException(kernel + ": every component's " + p.name()
                        + " list must have the same length, got " + values[0].length + " and " + values[i].length);
            }
            out[i] = p.check(kernel, values[i]);
        }
        return out;
    }

    /** The spec values of weights, means and variances, for {@link KernelCatalog.Type#spec}. */
    Object[] specValues() {
        return new Object[] {weights.length, weights, means, variances};
    }

    int components() {
        return weights.length;
    }

    private static double entry(double[] row, int f) {
        return row.length == 1 ? row[0] : row[f];
    }

    void checkFeatures(String kernel, int d) {
        check(kernel, "means", means[0].length, d);
        check(kernel, "variances", variances[0].length, d);
    }

    private static void check(String kernel, String what, int given, int d) {
        if (given != 1 && given != d) {
            throw new Kernels4jException(kernel + ": " + what + " have " + given + " values per component but the data"
                    + " has " + d + " features");
        }
    }

    double value(String kernel, double[] x, double[] z, Envelope e) {
        Specs.requireSameLength(x, z);
        checkFeatures(kernel, x.length);
        double sum = 0;
        for (int q = 0; q < weights.length; q++) {
            double s = 0;
            double c = 1;
            for (int f = 0; f < x.length; f++) {
                double t = x[f] - z[f];
                s += entry(variances[q], f) * t * t;
                c *= Math.cos(2 * Math.PI * entry(means[q], f) * t);
            }
            sum += weights[q] * c * e.value(s);
        }
        return sum;
    }

    void computeBlock(String kernel, GramBlock block, double[] out, Envelope e) {
        int len = block.rows() * block.cols();
        int d = block.features();
        checkFeatures(kernel, d);
        java.util.Arrays.fill(out, 0, len, 0.0);
        double[] diff = block.borrow();
        double[] s = block.borrow();
        double[] c = block.borrow();
        try {
            for (int q = 0; q < weights.length; q++) {
                java.util.Arrays.fill(s, 0, len, 0.0);
                java.util.Arrays.fill(c, 0, len, 1.0);
                for (int f = 0; f < d; f++) {
                    block.featureDifferences(f, diff);
                    double v = entry(variances[q], f);
                    double omega = 2 * Math.PI * entry(means[q], f);
                    for (int k = 0; k < len; k++) {
                        double t = diff[k];
                        s[k] += v * t * t;
                        c[k] *= Math.cos(omega * t);
                    }
                }
                double w = weights[q];
                for (int k = 0; k < len; k++) {
                    out[k] += w * c[k] * e.value(s[k]);
                }
            }
        } finally {
            block.giveBack(diff);
            block.giveBack(s);
            block.giveBack(c);
        }
    }

    void computeGradientBlock(String kernel, GramBlock block, double[] out, double[][] gradients, Envelope e) {
        int len = block.rows() * block.cols();
        int d = block.features();
        checkFeatures(kernel, d);
        java.util.Arrays.fill(out, 0, len, 0.0);
        int nq = weights.length;
        int mm = means[0].length;
        int mv = variances[0].length;
        for (int p = nq; p < gradients.length; p++) {
            java.util.Arrays.fill(gradients[p], 0, len, 0.0);
        }
        double[][] diffs = new double[d][];
        double[][] cos = new double[d][];
        double[] s = block.borrow();
        double[] c = block.borrow();
        double[] env = block.borrow();
        double[] slope = block.borrow();
        try {
            for (int f = 0; f < d; f++) {
                diffs[f] = block.borrow();
                cos[f] = block.borrow();
                block.featureDifferences(f, diffs[f]);
            }
            for (int q = 0; q < nq; q++) {
                java.util.Arrays.fill(s, 0, len, 0.0);
                java.util.Arrays.fill(c, 0, len, 1.0);
                for (int f = 0; f < d; f++) {
                    double v = entry(variances[q], f);
                    double omega = 2 * Math.PI * entry(means[q], f);
                    double[] t = diffs[f];
                    double[] cf = cos[f];
                    for (int k = 0; k < len; k++) {
                        s[k] += v * t[k] * t[k];
                        cf[k] = Math.cos(omega * t[k]);
                        c[k] *= cf[k];
                    }
                }
                double w = weights[q];
                double[] gw = gradients[q];
                for (int k = 0; k < len; k++) {
                    env[k] = e.value(s[k]);
                    slope[k] = w * c[k] * e.slope(s[k]);
                    gw[k] = w * c[k] * env[k];
                    out[k] += gw[k];
                }
                for (int f = 0; f < d; f++) {
                    double mu = entry(means[q], f);
                    double omega = 2 * Math.PI * mu;
                    double v = entry(variances[q], f);
                    double[] gm = gradients[nq + q * mm + (mm == 1 ? 0 : f)];
                    double[] gv = gradients[nq + nq * mm + q * mv + (mv == 1 ? 0 : f)];
                    double[] t = diffs[f];
                    for (int k = 0; k < len; k++) {
                        double others = 1;
                        for (int g = 0; g < d; g++) {
                            if (g != f) {
                                others *= cos[g][k];
                            }
                        }
                        double a = omega * t[k];
                        gm[k] -= w * env[k] * others * a * Math.sin(a);
                        gv[k] += slope[k] * v * t[k] * t[k];
                    }
                }
            }
        } finally {
            for (int f = 0; f < d; f++) {
                if (diffs[f] != null) {
                    block.giveBack(diffs[f]);
                }
                if (cos[f] != null) {
                    block.giveBack(cos[f]);
                }
            }
            block.giveBack(s);
            block.giveBack(c);
            block.giveBack(env);
            block.giveBack(slope);
        }
    }

    /** weights[q], then means (row-major, q·m + f), then variances, named {@code <type>.<param>[i]}. */
    List<Hyperparameter> hyperparameters(KernelCatalog.Type type, KernelCatalog.Param w, KernelCatalog.Param mu,
            KernelCatalog.Param v) {
        List<Hyperparameter> out = new ArrayList<>(w.hyperparameters(type, weights));
        out.addAll(mu.hyperparameters(type, flatten(means)));
        out.addAll(v.hyperparameters(type, flatten(variances)));
        return out;
    }

    int hyperparameterCount() {
        return weights.length * (1 + means[0].length + variances[0].length);
    }

    /** The values θ in {@link #hyperparameters} order, split back into weights, means and variances. */
    double[][][] split(double[] values) {
        int q = weights.length;
        int mm = means[0].length;
        int mv = variances[0].length;
        double[][] w = {java.util.Arrays.copyOfRange(values, 0, q)};
        double[][] mu = new double[q][];
        double[][] v = new double[q][];
        for (int i = 0; i < q; i++) {
            mu[i] = java.util.Arrays.copyOfRange(values, q + i * mm, q + (i + 1) * mm);
            v[i] = java.util.Arrays.copyOfRange(values, q + q * mm + i * mv, q + q * mm + (i + 1) * mv);
        }
        return new double[][][] {w, mu, v};
    }

    private static double[] flatten(double[][] rows) {
        int m = rows[0].length;
        double[] out = new double[rows.length * m];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, out, i * m, m);
        }
        return out;
    }

    static double[][] copy(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SpectralComponents)) {
            return false;
        }
        SpectralComponents c = (SpectralComponents) o;
        return java.util.Arrays.equals(weights, c.weights) && java.util.Arrays.deepEquals(means, c.means)
                && java.util.Arrays.deepEquals(variances, c.variances);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(weights) * 31 + java.util.Arrays.deepHashCode(means) * 7
                + java.util.Arrays.deepHashCode(variances);
    }
}
