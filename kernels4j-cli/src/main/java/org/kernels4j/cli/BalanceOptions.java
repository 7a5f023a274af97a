package org.kernels4j.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kernels4j.balance.KernelBalancing;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import picocli.CommandLine.Option;

/** The kernel balancing options shared by {@code balance} and {@code effect}. */
final class BalanceOptions {
    @Option(names = "--covariates", split = ",", paramLabel = "NAME,...", description = "Columns to balance (default: "
            + "every column except those the command uses otherwise (group, treatment, outcome, base weights) and --ignore).")
    List<String> covariates;

    @Option(names = "--ignore", split = ",", paramLabel = "NAME,...", description = "Columns that are not covariates "
            + "(repeatable).")
    List<String> ignore = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "SPEC", description = "Kernel on the (standardised) covariates (default: "
            + "rbf(length=sqrt(d)) + linear() for d covariates: the linear part balances the covariate means, the "
            + "rbf part, exp(-|x-z|^2/(2d)), smooth functions of them).")
    String kernel;

    @Option(names = "--anchors", defaultValue = "100", paramLabel = "M", description = "Anchor points a_j: the weights "
            + "balance the means of k(a_j, .) (default: ${DEFAULT-VALUE}, at most the number of target rows).")
    int anchors;

    @Option(names = "--anchors-by", defaultValue = "kmeans++", paramLabel = "kmeans++|random|leverage|adaptive",
            description = "How anchors are chosen: from the target rows by k-means++ in feature space, uniformly, by "
                    + "ridge leverage; or adaptive: the rows with the largest coefficients |alpha_i| of a kernel ridge "
                    + "fit of --outcome (needs --outcome) (default: ${DEFAULT-VALUE}).")
    String anchorsBy;

    @Option(names = "--C", defaultValue = "0", paramLabel = "C", description = "Per-anchor tolerance: |weighted observed "
            + "mean - target mean| <= C for each k(a_j, .) (default: ${DEFAULT-VALUE}; exact only with --ridge 0).")
    double c;

    @Option(names = "--ridge", defaultValue = "1e-3", paramLabel = "R", description = "Replace the hard constraints by the "
            + "penalty (1/2R) sum_j (|imbalance_j| - C)_+^2, always feasible (default: ${DEFAULT-VALUE}; 0 for hard "
            + "constraints, which real data with many anchors often cannot meet).")
    double ridge;

    @Option(names = "--tolerance", defaultValue = "1e-6", paramLabel = "TOL", description = "Largest constraint "
            + "violation the solver accepts (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--max-iter", defaultValue = "10000", paramLabel = "N", description = "L-BFGS iteration limit "
            + "(default: ${DEFAULT-VALUE}).")
    int maxIter;

    @Option(names = "--outcome-lambda", defaultValue = "1", paramLabel = "L", description = "Ridge lambda of the kernel "
            + "ridge outcome model (for --anchors-by adaptive and --doubly-robust) (default: ${DEFAULT-VALUE}).")
    double outcomeLambda;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the anchor choice and the bootstrap "
            + "(default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--standardize", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Centre and scale each covariate by the target sample's mean and standard deviation before "
                    + "the kernel sees it (default: on; --no-standardize to use the raw values).")
    boolean standardize;

    /** The kernel: --kernel, or rbf(length = √d) + linear() for d covariates (means and smooth functions balanced). A spec that does not parse is a usage error (exit 2). */
    Kernel kernel(int d) {
        return KernelSpec.parse(kernelSpec(d));
    }

    String kernelSpec(int d) {
        return kernel != null ? kernel : String.format(Locale.ROOT, "rbf(length=%.6g) + linear()", Math.sqrt(d));
    }

    /** Whether --anchors-by is adaptive (anchors from an outcome fit); also checks the name. */
    boolean adaptive() {
        return selection() == null;
    }

    /** The anchor selection of --anchors-by, null for adaptive. */
    KernelBalancing.AnchorSelection selection() {
        switch (anchorsBy.toLowerCase(Locale.ROOT)) {
            case "kmeans++": case "kmeans":
                return KernelBalancing.AnchorSelection.KMEANS_PLUS_PLUS;
            case "random": case "uniform":
                return KernelBalancing.AnchorSelection.RANDOM;
            case "leverage":
                return KernelBalancing.AnchorSelection.LEVERAGE;
            case "adaptive":
                return null;
            default:
                throw new UsageException("--anchors-by must be kmeans++, random, leverage or adaptive, got '" + anchorsBy
                        + "'");
        }
    }

    /** The kernel ridge outcome model with an intercept, on kernel {@code k}. */
    KernelRidge outcomeModel(Kernel k) {
        return UsageException.of(() -> KernelRidge.builder(k).lambda(outcomeLambda).fitIntercept(true).build());
    }

    /** Adaptive anchors: the top-|α| rows of a kernel ridge fit of y on z, at most --anchors of them. */
    Matrix adaptiveAnchors(Kernel k, Matrix z, double[] y) {
        return KernelBalancing.adaptiveAnchors(outcomeModel(k).fit(z, Matrix.column(y)), Math.min(anchors, z.rows()));
    }

    /**
     * The balancing estimator: anchors drawn from the target rows (at most {@code targetRows} of them), or, for
     * adaptive anchors, the given matrix.
     */
    KernelBalancing balancer(Kernel k, int targetRows, Matrix adaptiveAnchors) {
        if (anchors < 1) {
            throw new UsageException("--anchors must be >= 1, got " + anchors);
        }
        KernelBalancing.Builder b = KernelBalancing.builder(k).constraintTolerance(c).ridge(ridge).tolerance(tolerance)
                .maxIterations(maxIter);
        if (adaptiveAnchors != null) {
            b.anchors(adaptiveAnchors);
        } else {
            b.anchors(Math.min(anchors, targetRows), selection(), seed);
        }
        return UsageException.of(b::build);
    }

    /** How the anchors were chosen, for the report. */
    String anchorsDescription(int m) {
        return m + " anchors (" + anchorsBy.toLowerCase(Locale.ROOT) + (adaptive() ? ": top |alpha| of a kernel ridge fit"
                + " of the outcome, lambda " + outcomeLambda : ", seed " + seed) + ")";
    }
}
