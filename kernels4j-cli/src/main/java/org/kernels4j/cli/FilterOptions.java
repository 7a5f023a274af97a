package org.kernels4j.cli;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.kernels4j.regression.RegularizationPath;
import org.kernels4j.spectral.SpectralFilter;
import picocli.CommandLine.Option;

/** The spectral-filter options of {@code fit --model krr}: which filter, its shape options and its parameter. */
final class FilterOptions {
    /** The option names, for the "applies to --model krr" check. */
    static final List<String> NAMES = List.of("--filter", "--order", "--step", "--weight", "--iterations",
            "--rounds", "--grid");

    @Option(names = "--filter", defaultValue = "tikhonov", paramLabel = "NAME",
            description = "krr: the spectral regularisation, applied to the eigenvalues mu of K: tikhonov (ridge, "
                    + "mu/(mu+lambda)), iterated (--order ridge fits on the residuals), cutoff (keep mu >= lambda), "
                    + "landweber (--iterations steps of gradient descent, --step), flow (gradient flow to --time), "
                    + "nu-method (accelerated gradient descent, --nu), self-distillation (--rounds of ridge fits to "
                    + "--weight*y + (1-weight)*last fit). Landweber, nu-method, flow and self-distillation choose their "
                    + "parameter by GCV unless it is given (default: ${DEFAULT-VALUE}).")
    String filter;

    @Option(names = "--order", paramLabel = "Q", description = "krr --filter iterated: the number of ridge fits "
            + "(default 2).")
    Integer order;

    @Option(names = "--step", paramLabel = "ETA", description = "krr --filter landweber: the step size, below "
            + "2/largest eigenvalue of K (default 1/largest eigenvalue).")
    Double step;

    @Option(names = "--weight", paramLabel = "A", description = "krr --filter self-distillation: the weight in [0, 1] on "
            + "the ground-truth targets (default 0.5); --lambda is the ridge of every round.")
    Double weight;

    @Option(names = "--iterations", paramLabel = "N|auto", description = "krr --filter landweber|nu-method: the number "
            + "of steps, or auto (the default) to choose it by GCV over --grid. pegasos: stochastic steps per binary "
            + "problem (default 10 x its rows).")
    String iterations;

    @Option(names = "--rounds", paramLabel = "N|auto", description = "krr --filter self-distillation: distillation "
            + "rounds (0 is ridge), or auto (the default) to choose them by GCV over --grid.")
    String rounds;

    @Option(names = "--grid", paramLabel = "FROM:TO:COUNT", description = "krr: the values searched for --iterations, "
            + "--time or --rounds auto, log-spaced (whole numbers for steps; evenly spaced for rounds) (defaults: "
            + "iterations 1:10000:40, time 1e-2:1e6:33, rounds 0:20:21).")
    String grid;

    /** A fixed parameter value, or a grid to choose from. */
    record Choice(double value, double[] grid) {
    }

    /**
     * The filter named by --filter, with its shape options; {@code ridgeLambda} is self-distillation's λ and
     * {@code nu} the ν-method's (the --nu option, shared with the one-class SVM).
     */
    SpectralFilter filter(String ridgeLambda, Double nu) {
        String name = filter.trim().toLowerCase(Locale.ROOT);
        List<String> known = List.of("tikhonov", "iterated", "cutoff", "landweber", "flow", "nu-method",
                "self-distillation");
        if (!known.contains(name)) {
            throw new UsageException("unknown --filter '" + filter + "'; available: " + String.join(", ", known));
        }
        requireOnlyWith(order, "--order", "iterated", name);
        requireOnlyWith(step, "--step", "landweber", name);
        requireOnlyWith(nu, "--nu", "nu-method", name);
        requireOnlyWith(weight, "--weight", "self-distillation", name);
        requireOnlyWith(iterations, "--iterations", "landweber|nu-method", name);
        requireOnlyWith(rounds, "--rounds", "self-distillation", name);
        return UsageException.of(() -> {
            switch (name) {
                case "iterated":
                    return SpectralFilter.iteratedTikhonov(order == null ? 2 : order);
                case "cutoff":
                    return SpectralFilter.cutoff();
                case "landweber":
                    return step == null ? SpectralFilter.landweber() : SpectralFilter.landweber(step);
                case "flow":
                    return SpectralFilter.gradientFlow();
                case "nu-method":
                    return SpectralFilter.nuMethod(nu == null ? 1 : nu);
                case "self-distillation":
                    if (ridgeLambda.equalsIgnoreCase("auto")) {
                        throw new UsageException("--filter self-distillation needs a number for --lambda (the ridge "
                                + "of every round); its --rounds are what is chosen");
                    }
                    return SpectralFilter.selfDistillation(FitCommand.parseNumber("--lambda", ridgeLambda),
                            weight == null ? 0.5 : weight);
                default:
                    return SpectralFilter.tikhonov();
            }
        });
    }

    private static void requireOnlyWith(Object value, String option, String filters, String name) {
        if (value != null && !List.of(filters.split("\\|")).contains(name)) {
            throw new UsageException(option + " applies to --filter " + filters + ", not --filter " + name);
        }
    }

    /**
     * The parameter: λ filters read --lambda (a number, or auto over --lambda-grid); the iterative ones read
     * --iterations, --time or --rounds, choosing by GCV over --grid when it is absent or auto.
     *
     * @param selectGiven whether --select was given: then an absent λ is chosen too
     */
    Choice choice(SpectralFilter f, String lambda, boolean lambdaGiven, String lambdaGrid, Double time,
            boolean selectGiven) {
        String name = f.parameterName();
        if (name.equals("lambda")) {
            if (lambda.equalsIgnoreCase("auto") || (!lambdaGiven && selectGiven)) {
                return new Choice(Double.NaN, FitCommand.parseGrid("--lambda-grid", lambdaGrid));
            }
            return new Choice(FitCommand.parseNumber("--lambda", lambda), null);
        }
        if (grid != null && !isAuto(name, time)) {
            throw new UsageException("--grid is searched only when the " + name + " is auto (or not given)");
        }
        if (!isAuto(name, time)) {
            String text = name.equals("time") ? String.valueOf(time) : name.equals("rounds") ? rounds : iterations;
            return new Choice(FitCommand.parseNumber("--" + name, text), null);
        }
        switch (name) {
            case "time":
                return new Choice(Double.NaN, FitCommand.parseGrid("--grid", grid == null ? "1e-2:1e6:33" : grid));
            case "rounds":
                return new Choice(Double.NaN, linearWholeNumbers(grid == null ? "0:20:21" : grid));
            default:
                return new Choice(Double.NaN, wholeNumbers(FitCommand.parseGrid("--grid",
                        grid == null ? "1:10000:40" : grid)));
        }
    }

    private boolean isAuto(String name, Double time) {
        switch (name) {
            case "time":
                return time == null;
            case "rounds":
                return rounds == null || rounds.equalsIgnoreCase("auto");
            default:
                return iterations == null || iterations.equalsIgnoreCase("auto");
        }
    }

    /** The criterion: --select when given, else LOO for ridge (exact there) and GCV for every other filter. */
    static RegularizationPath.Criterion criterion(SpectralFilter f, String select, boolean selectGiven) {
        if (!selectGiven) {
            return f.hasExactLeaveOneOut() ? RegularizationPath.Criterion.LOO : RegularizationPath.Criterion.GCV;
        }
        switch (select.toLowerCase(Locale.ROOT)) {
            case "loo":
                if (!f.hasExactLeaveOneOut()) {
                    throw new UsageException("--select loo has no closed form for --filter " + f.toSpec()
                            + " (only for tikhonov); use --select gcv");
                }
                return RegularizationPath.Criterion.LOO;
            case "gcv":
                return RegularizationPath.Criterion.GCV;
            default:
                throw new UsageException("--select must be loo or gcv, got '" + select + "'");
        }
    }

    /** The grid's values rounded to distinct whole numbers ≥ 1, ascending. */
    private static double[] wholeNumbers(double[] values) {
        TreeSet<Double> set = new TreeSet<>();
        for (double v : values) {
            set.add(Math.max(1, (double) Math.round(v)));
        }
        return set.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** FROM:TO:COUNT evenly spaced, rounded to distinct whole numbers ≥ 0. */
    private static double[] linearWholeNumbers(String text) {
        String[] parts = text.split(":");
        if (parts.length != 3) {
            throw new UsageException("--grid must be FROM:TO:COUNT, e.g. 0:20:21, got '" + text + "'");
        }
        double from = FitCommand.parseNumber("--grid", parts[0]);
        double to = FitCommand.parseNumber("--grid", parts[1]);
        double count = FitCommand.parseNumber("--grid", parts[2]);
        if (!(from >= 0) || !(to >= from) || !(count >= 1) || count != Math.rint(count) || to > 1e6) {
            throw new UsageException("--grid for rounds needs 0 <= FROM <= TO <= 1e6 and a whole COUNT >= 1, got '"
                    + text + "'");
        }
        TreeSet<Double> set = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            set.add((double) Math.round(count == 1 ? from : from + (to - from) * i / (count - 1)));
        }
        return set.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
