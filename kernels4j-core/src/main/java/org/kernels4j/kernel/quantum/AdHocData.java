package org.kernels4j.kernel.quantum;

import java.util.Locale;
import java.util.SplittableRandom;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;

/**
 * The ad-hoc classification data set of Havlíček et al. (Nature 567, 2019), built the way
 * qiskit-machine-learning's {@code datasets/ad_hoc.py} builds it: data a ZZ-feature-map kernel
 * separates by construction.
 *
 * <p><b>Construction.</b> For n = 2 qubits the candidate points are the 100×100 grid
 * x ∈ {2πk/100}² ⊂ [0, 2π)²; for n = 3 the 20³ grid {2πk/20}³. Each point gets the state
 * |ψ(x)⟩ = U_Φ(x)·H^{⊗n}·U_Φ(x)·H^{⊗n}|0ⁿ⟩ of the ZZ feature map with reps = 2, full entanglement
 * and α = 2 ({@code PauliFeatureMap.zz(2, "full", 2)}), where U_Φ(x) is diagonal with phases
 * θ(b) = Σ_i x_i z_i(b) + Σ_{i&lt;j} (π − x_i)(π − x_j) z_i(b) z_j(b), z_i(b) = (−1)^{b_i}. The
 * observable is O = V†·D·V with V a random unitary and D diagonal: for n = 2 the parity
 * D_bb = (−1)^{b_0 + b_1} (that is Z⊗Z), for n = 3 the majority D_bb = −1 when at least two bits of b
 * are 1, else +1. A grid point's value is m(x) = ⟨ψ(x)|O|ψ(x)⟩ ∈ [−1, 1]; points with
 * |m(x)| ≤ gap Δ get no label, the others label sign m(x). Each class then draws grid points
 * uniformly, with replacement, until it has {@code trainSize + testSize}; the first
 * {@code trainSize} of each class form the training set, the rest the test set (class +1 rows
 * first, as in Qiskit).
 *
 * <p><b>Differences from Qiskit</b> (same distribution of data sets, not the same numbers):
 * <ul>
 *   <li>V is Haar-distributed: the Q factor of the QR decomposition of a 2ⁿ×2ⁿ matrix of i.i.d.
 *       standard complex Gaussians, with the phases of R's diagonal moved into Q (Mezzadri 2007),
 *       drawn from {@link SplittableRandom}{@code (seed)}. Qiskit takes the eigenvectors of A†A for
 *       A with uniform [0, 1) entries from NumPy's global generator; neither the construction nor the
 *       random stream is reproduced, so a seed here does not give Qiskit's points.</li>
 *   <li>Qiskit's data-set code multiplies by e^{+iθ}; Qiskit's feature-map circuits, and
 *       {@link PauliFeatureMap} with them, by e^{−iθ} (up to a global phase). The states here are
 *       therefore the complex conjugates of ad_hoc.py's, m(x) is ad_hoc.py's value for the
 *       observable Ō = Vᵀ·D·V̄, and since V̄ is Haar-distributed when V is, the distribution of labels
 *       is unchanged. The kernel |⟨ψ(x)|ψ(z)⟩|² is the same under conjugation.</li>
 *   <li>Feature k is qubit k (bit k of the basis index; ad_hoc.py's Kronecker products put feature 0
 *       on the most significant bit). D is invariant under that relabelling and V is random, so this
 *       too only relabels the random draw.</li>
 * </ul>
 *
 * <p>Immutable; the arrays returned are copies.
 */
public final class AdHocData {
    private final int qubits;
    private final double gap;
    private final long seed;
    private final Matrix trainX;
    private final double[] trainY;
    private final Matrix testX;
    private final double[] testY;
    /** V as [re, im], each 2ⁿ×2ⁿ row-major. */
    private final double[][] unitary;
    private final double[] diagonal;
    private final PauliFeatureMap map = PauliFeatureMap.zz(2, "full", 2);

    private AdHocData(int qubits, double gap, long seed, int trainSize, int testSize) {
        this.qubits = qubits;
        this.gap = gap;
        this.seed = seed;
        int dim = 1 << qubits;
        SplittableRandom rng = new SplittableRandom(seed);
        this.unitary = haarUnitary(dim, rng);
        this.diagonal = new double[dim];
        for (int b = 0; b < dim; b++) {
            int ones = Integer.bitCount(b);
            diagonal[b] = qubits == 2 ? ((ones & 1) == 0 ? 1 : -1) : (ones >= 2 ? -1 : 1);
        }
        int count = gridSize(qubits);
        int points = (int) Math.pow(count, qubits);
        byte[] label = new byte[points];
        int[] classCount = new int[2];
        double maxAbove = Double.NEGATIVE_INFINITY;
        double minBelow = Double.POSITIVE_INFINITY;
        double[] x = new double[qubits];
        for (int p = 0; p < points; p++) {
            gridPoint(p, count, x);
            double m = expectation(x);
            maxAbove = Math.max(maxAbove, m);
            minBelow = Math.min(minBelow, m);
            if (Math.abs(m) > gap) {
                label[p] = (byte) (m > 0 ? 1 : -1);
                classCount[m > 0 ? 0 : 1]++;
            }
        }
        if (classCount[0] == 0 || classCount[1] == 0) {
            throw new Kernels4jException(String.format(Locale.ROOT,
                    "no grid point of the %d-qubit ad-hoc data (seed %d) has <psi|O|psi> %s %.4g: the values range "
                            + "over [%.4g, %.4g]; use a smaller gap or another seed",
                    qubits, seed, classCount[0] == 0 ? ">" : "<", classCount[0] == 0 ? gap : -gap, minBelow, maxAbove));
        }
        int per = trainSize + testSize;
        double[][] rows = new double[2 * per][];
        for (int c = 0; c < 2; c++) {
            byte want = (byte) (c == 0 ? 1 : -1);
            int got = 0;
            while (got < per) {
                int p = 0;
                for (int k = 0; k < qubits; k++) {
                    p = p * count + rng.nextInt(count);
                }
                if (label[p] == want) {
                    double[] row = new double[qubits];
                    gridPoint(p, count, row);
                    rows[c * per + got++] = row;
                }
            }
        }
        this.trainX = new Matrix(2 * trainSize, qubits);
        this.trainY = new double[2 * trainSize];
        this.testX = new Matrix(2 * testSize, qubits);
        this.testY = new double[2 * testSize];
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < per; i++) {
                double[] row = rows[c * per + i];
                boolean train = i < trainSize;
                Matrix target = train ? trainX : testX;
                int r = train ? c * trainSize + i : c * testSize + (i - trainSize);
                for (int k = 0; k < qubits; k++) {
                    target.set(r, k, row[k]);
                }
                (train ? trainY : testY)[r] = c == 0 ? 1 : -1;
            }
        }
    }

    /**
     * Generates the data set: {@code 2·trainSize} training rows and {@code 2·testSize} test rows
     * ({@code trainSize} and {@code testSize} per class), labels ±1, all determined by {@code seed}.
     *
     * @param qubits 2 or 3 (the number of features)
     * @param gap the separation Δ in [0, 1) (0.3 in the paper)
     * @throws Kernels4jException for other qubit counts, a gap outside [0, 1), sizes below 1, or when
     *     one class has no grid point beyond the gap
     */
    public static AdHocData generate(int qubits, double gap, int trainSize, int testSize, long seed) {
        if (qubits != 2 && qubits != 3) {
            throw new Kernels4jException("the ad-hoc data set is defined for 2 or 3 qubits (features), got " + qubits);
        }
        if (!(gap >= 0 && gap < 1)) {
            throw new Kernels4jException("the ad-hoc gap must be in [0, 1), got " + gap);
        }
        if (trainSize < 1 || testSize < 1) {
            throw new Kernels4jException("the ad-hoc training and test sizes must be at least 1 per class, got "
                    + trainSize + " and " + testSize);
        }
        return new AdHocData(qubits, gap, seed, trainSize, testSize);
    }

    /** Points per axis of the grid: 100 for 2 qubits, 20 for 3 (as ad_hoc.py). */
    public static int gridSize(int qubits) {
        return qubits == 2 ? 100 : 20;
    }

    private static void gridPoint(int p, int count, double[] out) {
        for (int k = out.length - 1; k >= 0; k--) {
            out[k] = 2 * Math.PI * (p % count) / count;
            p /= count;
        }
    }

    /**
     * m(x) = ⟨ψ(x)|V†·D·V|ψ(x)⟩ = Σ_b D_bb·|(V·ψ(x))_b|², the value whose sign labels x.
     *
     * @throws Kernels4jException when x does not have {@link #qubits()} finite features
     */
    public double expectation(double[] x) {
        if (x.length != qubits) {
            throw new Kernels4jException("an ad-hoc point has " + qubits + " features, got " + x.length);
        }
        double[] psi = map.state(x);
        int dim = 1 << qubits;
        double[] vr = unitary[0];
        double[] vi = unitary[1];
        double m = 0;
        for (int r = 0; r < dim; r++) {
            double re = 0;
            double im = 0;
            for (int c = 0; c < dim; c++) {
                double ar = vr[r * dim + c];
                double ai = vi[r * dim + c];
                re += ar * psi[2 * c] - ai * psi[2 * c + 1];
                im += ar * psi[2 * c + 1] + ai * psi[2 * c];
            }
            m += diagonal[r] * (re * re + im * im);
        }
        return m;
    }

    /** Haar-random unitary: QR of a complex Gaussian matrix by modified Gram–Schmidt (R's diagonal is then real positive). */
    private static double[][] haarUnitary(int dim, SplittableRandom rng) {
        // columns of Z, then orthonormalised in place
        double[][] re = new double[dim][dim];
        double[][] im = new double[dim][dim];
        double s = Math.sqrt(0.5);
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                re[c][r] = s * gaussian(rng);
                im[c][r] = s * gaussian(rng);
            }
        }
        for (int c = 0; c < dim; c++) {
            for (int pass = 0; pass < 2; pass++) { // twice is enough (Kahan–Parlett)
                for (int p = 0; p < c; p++) {
                    // proj = <q_p, z_c> = Σ conj(q_p)·z_c
                    double pr = 0;
                    double pi = 0;
                    for (int k = 0; k < dim; k++) {
                        pr += re[p][k] * re[c][k] + im[p][k] * im[c][k];
                        pi += re[p][k] * im[c][k] - im[p][k] * re[c][k];
                    }
                    for (int k = 0; k < dim; k++) {
                        re[c][k] -= pr * re[p][k] - pi * im[p][k];
                        im[c][k] -= pr * im[p][k] + pi * re[p][k];
                    }
                }
            }
            double norm = 0;
            for (int k = 0; k < dim; k++) {
                norm += re[c][k] * re[c][k] + im[c][k] * im[c][k];
            }
            norm = Math.sqrt(norm);
            for (int k = 0; k < dim; k++) {
                re[c][k] /= norm;
                im[c][k] /= norm;
            }
        }
        double[] vr = new double[dim * dim];
        double[] vi = new double[dim * dim];
        for (int r = 0; r < dim; r++) {
            for (int c = 0; c < dim; c++) {
                vr[r * dim + c] = re[c][r];
                vi[r * dim + c] = im[c][r];
            }
        }
        return new double[][] {vr, vi};
    }

    private static double gaussian(SplittableRandom rng) {
        // Marsaglia's polar method: only the stream of the seeded generator, no hidden state
        while (true) {
            double u = 2 * rng.nextDouble() - 1;
            double v = 2 * rng.nextDouble() - 1;
            double q = u * u + v * v;
            if (q > 0 && q < 1) {
                return u * Math.sqrt(-2 * Math.log(q) / q);
            }
        }
    }

    /** V as {re, im}, each 2ⁿ×2ⁿ row-major (copies; for tests). */
    double[][] unitary() {
        return new double[][] {unitary[0].clone(), unitary[1].clone()};
    }

    /** The number of qubits (features): 2 or 3. */
    public int qubits() {
        return qubits;
    }

    /** The gap Δ. */
    public double gap() {
        return gap;
    }

    /** The seed. */
    public long seed() {
        return seed;
    }

    /** Training features, 2·trainSize × qubits (a copy). */
    public Matrix trainFeatures() {
        return trainX.copy();
    }

    /** Training labels ±1 (a copy). */
    public double[] trainLabels() {
        return trainY.clone();
    }

    /** Test features, 2·testSize × qubits (a copy). */
    public Matrix testFeatures() {
        return testX.copy();
    }

    /** Test labels ±1 (a copy). */
    public double[] testLabels() {
        return testY.clone();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "AdHocData(qubits=%d, gap=%s, seed=%d, train=%d, test=%d)", qubits,
                Double.toString(gap), seed, trainY.length, testY.length);
    }
}
