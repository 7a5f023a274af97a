package org.kernels4j.leastsquares;

import java.util.Random;
import org.kernels4j.linalg.Matrix;

/**
 * An approximation space V_m = span{φ₁, …, φ_m} given by functions orthonormal in L²(μ) for a
 * reference probability measure μ on ℝ^d: ∫ φ_i φ_j dμ = δ_ij.
 *
 * <p>Its inverse Christoffel function is k_m(x) = ‖φ(x)‖² = Σ_j φ_j(x)², with ∫ k_m dμ = m; the
 * optimal sampling density is ρ_m = k_m/m (with respect to μ) and the matching weight w = m/k_m, so
 * that E_{x∼ρ_m}[w(x)·φ(x)φ(x)ᵀ] = I. Implementations are immutable.
 */
public interface OrthonormalBasis {
    /** m, the number of basis functions. */
    int dimension();

    /** d, the dimension of the inputs. */
    int inputDimension();

    /** Writes φ(x) (length m) into {@code out} for one input of length d. */
    void evaluate(double[] x, double[] out);

    /** Φ with Φ_ij = φ_j(x_i): n × m for n × d inputs. O(n·cost of one evaluation). */
    default Matrix evaluate(Matrix x) {
        int d = inputDimension();
        if (x.cols() != d) {
            throw new org.kernels4j.Kernels4jException("the basis takes " + d + " input columns, got " + x.cols());
        }
        int m = dimension();
        Matrix phi = new Matrix(x.rows(), m);
        double[] row = new double[m];
        for (int i = 0; i < x.rows(); i++) {
            evaluate(x.row(i), row);
            System.arraycopy(row, 0, phi.data(), i * m, m);
        }
        return phi;
    }

    /** k_m(x) = ‖φ(x)‖², the inverse Christoffel function. */
    default double inverseChristoffel(double[] x) {
        double[] phi = new double[dimension()];
        evaluate(x, phi);
        double s = 0;
        for (double v : phi) {
            s += v * v;
        }
        return s;
    }

    /** One point drawn from μ. */
    double[] sampleReference(Random random);

    /**
     * One point drawn from the optimal density ρ_m = k_m/m·μ. Because ρ_m = (1/m)·Σ_j φ_j²·μ is a
     * mixture, draw j uniformly and then x from φ_j²·μ.
     */
    double[] sampleOptimal(Random random);

    /** A one-line description for reports, e.g. "legendre, d=2, total degree 5 (m=21)". */
    String describe();
}
