package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.PredictionWriter;
import org.kernels4j.io.SavedModel;
import org.kernels4j.density.KernelDensity;
import org.kernels4j.privacy.PrivateDistanceSum;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.linalg.Matrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "kde", mixinStandardHelpOptions = true,
        description = {"Kernel density estimation: fit a density to the rows of a file, score log-densities, sample.",
            "With fit --private, release an epsilon-differentially private kernel-sum structure instead."},
        subcommands = {KdeCommand.Fit.class, KdeCommand.Score.class, KdeCommand.Sample.class})
final class KdeCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: a usage error (exit 2) naming them, as any other missing argument is. */
    @Override
    public void run() {
        throw UsageException.missingSubcommand(spec);
    }

    @Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Fit a kernel density estimate and save it (.zip).",
                "Bandwidth: scott or silverman (H = factor^2 times the sample covariance), a number h (H = h^2 I), or cv: "
                    + "the h of --cv-grid with the largest leave-one-out log-likelihood (all from one pass)."})
    static final class Fit implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Points, one per row (.csv or .libsvm).")
        Path data;

        @Option(names = "--ignore", split = ",", paramLabel = "NAME|INDEX,...",
                description = "Columns to leave out (e.g. a label and an id): names, or 0-based indices (negative from "
                    + "the end); a list, or the option repeated.")
        List<String> ignore = new java.util.ArrayList<>();

        @Option(names = "--kernel", defaultValue = "gaussian", paramLabel = "NAME", description = "gaussian, tophat, "
                + "epanechnikov, exponential, linear or cosine (default: ${DEFAULT-VALUE}).")
        String kernel;

        @Option(names = "--bandwidth", defaultValue = "scott", paramLabel = "scott|silverman|cv|H",
                description = "Bandwidth rule or value (default: ${DEFAULT-VALUE}).")
        String bandwidth;

        @Option(names = "--cv-grid", defaultValue = "1e-2:1e1:16", paramLabel = "FROM:TO:COUNT",
                description = "Log-spaced bandwidths for --bandwidth cv (default: ${DEFAULT-VALUE}).")
        String grid;

        @Option(names = "--private", description = "Release an epsilon-differentially private structure instead "
                + "(random Fourier features + Laplace noise; gaussian or exponential kernel, a numeric --bandwidth). "
                + "The file holds no data row.")
        boolean privateRelease;

        @Option(names = "--epsilon", defaultValue = "1", description = "Privacy parameter for --private "
                + "(default: ${DEFAULT-VALUE}).")
        double epsilon;

        @Option(names = "--features", defaultValue = "512", description = "Random features for --private "
                + "(even; default: ${DEFAULT-VALUE}).")
        int features;

        @Option(names = "--seed", description = "Seed of the public frequencies or projection for --private "
                + "(default: random).")
        Long seed;

        @Option(names = "--distance", paramLabel = "l1|l2", description = "With --private: release distance sums "
                + "sum_x |x - y| in this norm instead of kernel sums (needs --range).")
        String distance;

        @Option(names = "--range", paramLabel = "LO:HI", description = "Public range every coordinate is clipped to "
                + "(for l2: every projected coordinate) for --distance.")
        String range;

        @Option(names = "--levels", defaultValue = "12", description = "Tree depth L for --distance: 2^L cells per "
                + "coordinate (default: ${DEFAULT-VALUE}).")
        int levels;

        @Option(names = "--projections", defaultValue = "64", description = "Gaussian projections for --distance l2 "
                + "(default: ${DEFAULT-VALUE}).")
        int projections;

        @Option(names = "--ledger", paramLabel = "FILE", description = "With --private: a privacy budget ledger; the "
                + "release's epsilon is added to the epsilon spent on this data file (identified by its SHA-256) by "
                + "sequential composition, and the file is rewritten atomically before the release is saved.")
        Path ledger;

        @Option(names = "--budget", paramLabel = "EPS", description = "With --ledger: the total epsilon this data file "
                + "may spend; a release that would exceed it is refused (recorded in the ledger; it can be lowered, "
                + "not raised).")
        Double budget;

        @Option(names = "--out", required = true, paramLabel = "KDE.zip", description = "File to write.")
        Path out;

        @Mixin
        DataOptionsMixin options;

        @Override
        public Integer call() {
            OutputFiles.requireDistinct("--out", out, "--ledger", ledger);
            AtomicFiles.checkWritable(out, data);
            var parsed = spec.commandLine().getParseResult();
            for (String o : List.of("--epsilon", "--features", "--seed", "--distance", "--range", "--levels", "--projections")) {
                if (!privateRelease && parsed.hasMatchedOption(o)) {
                    throw new UsageException(o + " applies to private releases only: add --private, or leave " + o + " out");
                }
            }
            if (privateRelease && epsilon > 10) {
                spec.commandLine().getErr().printf("kernels4j: warning: --epsilon %s gives no meaningful privacy (the "
                        + "Laplace noise is e^%s times too weak to hide a row; epsilon is usually 0.1 to 10)%n", epsilon,
                        epsilon);
            }
            KernelDensity.Profile profile = UsageException.of(() -> KernelDensity.Profile.parse(kernel));
            // each release reads its own options: a distance-sum release has no kernel, bandwidth or random features,
            // a kernel-sum release no range, tree or projections; an option the release would not read is refused
            List<String> unread = !privateRelease ? List.of() : distance != null
                    ? List.of("--kernel", "--bandwidth", "--features", "--cv-grid")
                    : List.of("--range", "--levels", "--projections", "--cv-grid");
            for (String o : unread) {
                if (parsed.hasMatchedOption(o)) {
                    throw new UsageException(o + " does not apply to " + (distance != null
                            ? "a distance-sum release (--distance), which releases sums of distances with no kernel"
                            : "a private kernel-sum release; --range, --levels and --projections belong to --distance"));
                }
            }
            if (privateRelease) {
                return releasePrivate(profile);
            }
            if (ledger != null || budget != null) {
                throw new UsageException("--ledger and --budget apply to --private releases");
            }
            String rule = bandwidth.toLowerCase(Locale.ROOT);
            if (!rule.equals("cv") && parsed.hasMatchedOption("--cv-grid")) {
                throw new UsageException("--cv-grid applies to --bandwidth cv, not --bandwidth " + bandwidth);
            }
            boolean byRule = rule.equals("scott") || rule.equals("silverman") || rule.equals("cv");
            double fixed = byRule ? Double.NaN : FitCommand.parseNumber("--bandwidth", bandwidth);
            if (!byRule) { // refused before the data are read, as an option value (exit 2)
                UsageException.of(() -> KernelDensity.scalar(fixed, 1));
            }
            Dataset ds = readWithout(options.options, data, ignore);
            Matrix x = ds.features();
            int d = x.cols();
            if (x.rows() == 0 || d == 0) {
                throw new Kernels4jException(data + ": no data rows to fit a density to");
            }
            var pw = spec.commandLine().getOut();
            Matrix h;
            if (rule.equals("scott") || rule.equals("silverman")) {
                requireVaryingColumns(x, ds.featureNames(), rule);
            }
            switch (rule) {
                case "scott":
                    h = KernelDensity.scott(x, null);
                    break;
                case "silverman":
                    h = KernelDensity.silverman(x, null);
                    break;
                case "cv": {
                    double[] hs = FitCommand.parseGrid("--cv-grid", grid);
                    double[] loo = KernelDensity.leaveOneOut(profile, x, null, hs);
                    int best = 0;
                    pw.printf("%12s %20s%n", "bandwidth", "loo_log_likelihood");
                    for (int i = 0; i < hs.length; i++) {
                        best = loo[i] > loo[best] ? i : best;
                    }
                    for (int i = 0; i < hs.length; i++) {
                        pw.printf("%12.4g %20.6f%s%n", hs[i], loo[i], i == best ? "  <- chosen" : "");
                    }
                    if (loo[best] == Double.NEGATIVE_INFINITY) {
                        throw new Kernels4jException("every bandwidth in --cv-grid leaves some point with zero density; "
                                + "widen the grid");
                    }
                    h = KernelDensity.scalar(hs[best], d);
                    break;
                }
                default:
                    h = KernelDensity.scalar(fixed, d);
            }
            if (rule.equals("scott") || rule.equals("silverman")) {
                requireUsableCovariance(h, x, ds.featureNames(), rule);
            }
            KernelDensity f = KernelDensity.fit(profile, x, null, h);
            ModelFiles.save(f, ds.featureNames(), out);
            // at most 2000 evenly spaced training rows: scoring all n would cost O(n²), far more than the fit
            int shown = Math.min(x.rows(), 2000);
            int[] rowsShown = new int[shown];
            for (int i = 0; i < shown; i++) {
                rowsShown[i] = (int) ((long) i * x.rows() / shown);
            }
            double mean = 0;
            for (double v : f.logDensity(x.selectRows(rowsShown))) {
                mean += v / shown;
            }
            pw.printf("kde: %s kernel on %d rows x %d features from %s%n", kernel, x.rows(), d, data);
            if (d == 1) {
                pw.printf("bandwidth (%s): h = %s%n", rule, Math.sqrt(h.get(0, 0)));
            } else {
                StringBuilder rows = new StringBuilder();
                for (int a = 0; a < d; a++) {
                    rows.append(a == 0 ? "[" : ", [");
                    for (int b = 0; b < d; b++) {
                        rows.append(b == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6g", h.get(a, b)));
                    }
                    rows.append(']');
                }
                pw.printf("bandwidth (%s): H = [%s]%n", rule, rows);
            }
            pw.printf("mean log-density at %s training rows: %.6f%n", shown == x.rows() ? "all " + shown
                    : shown + " of the", mean);
            if (x.rows() < 2) { // the diagnosis scores each point by the others: there are none
                pw.printf("regime: not measured (one row: no other point to carry an estimate)%n");
                pw.printf("saved %s%n", out);
                return 0;
            }
            KernelDensity.Regime regime = f.regime();
            pw.printf("regime: %s (log-term variance %.3g against ln n = %.3g; about %.3g points carry a typical estimate)%n",
                    regime.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), regime.logTermVariance(),
                    Math.log(x.rows()), regime.participation());
            if (regime.dominatedByFewPoints()) {
                spec.commandLine().getErr().printf("kernels4j: warning: at this bandwidth a few points (about %.3g) "
                        + "dominate a typical estimate (extreme-value regime, Biroli & Mezard); a larger bandwidth "
                        + "gives a smoother, more stable density%n", regime.participation());
            }
            pw.printf("saved %s%n", out);
            return 0;
        }

        /** A constant column makes the covariance-based bandwidth matrix singular: say which, and what to do. */
        private static void requireVaryingColumns(Matrix x, List<String> names, String rule) {
            for (int j = 0; j < x.cols(); j++) {
                double first = x.get(0, j);
                boolean constant = true;
                for (int i = 1; i < x.rows() && constant; i++) {
                    constant = x.get(i, j) == first;
                }
                if (constant) {
                    throw new Kernels4jException("column '" + names.get(j) + "' is constant (" + first + " in every row), "
                            + "so the " + rule + " bandwidth matrix (a multiple of the covariance) is singular; leave the "
                            + "column out (--ignore " + names.get(j) + ") or give a numeric --bandwidth");
                }
            }
        }

        /**
         * The rule's bandwidth matrix (a multiple of the covariance) must be finite and positive definite; say, in
         * terms of the columns, why it is not. Overflow: a spread whose square exceeds the double range (values near
         * 1e155 and above). Singular: a column that is a linear combination of the columns before it, found as the
         * first vanishing pivot of the Cholesky factorisation of H (pivot ≤ 1e-12 of its diagonal entry: the column
         * keeps less than a millionth of its spread once the earlier columns are regressed out). Without this, the
         * library's messages name the internal matrix H and advise a regularisation that kde fit does not have.
         * Hand-written because it is d×d and it must name the column, which a library factorisation does not.
         */
        private static void requireUsableCovariance(Matrix h, Matrix x, List<String> names, String rule) {
            int d = h.rows();
            for (int j = 0; j < d; j++) {
                if (!Double.isFinite(h.get(j, j))) {
                    double top = 0;
                    for (int i = 0; i < x.rows(); i++) {
                        top = Math.max(top, Math.abs(x.get(i, j)));
                    }
                    throw new Kernels4jException("column '" + names.get(j) + "' spreads too far for the " + rule
                            + " bandwidth matrix (its largest magnitude " + top + " squared overflows a double); "
                            + "rescale the column or give a numeric --bandwidth");
                }
            }
            double[] l = new double[d * d];
            for (int j = 0; j < d; j++) {
                for (int i = j; i < d; i++) {
                    double v = h.get(i, j);
                    for (int k = 0; k < j; k++) {
                        v -= l[i * d + k] * l[j * d + k];
                    }
                    if (i == j) {
                        if (!(v > 1e-12 * h.get(j, j))) {
                            throw new Kernels4jException("column '" + names.get(j) + "' is a linear combination of "
                                    + (j == 1 ? "column '" + names.get(0) + "'" : "the columns before it ("
                                            + String.join(", ", names.subList(0, j)) + ")")
                                    + ", so the " + rule + " bandwidth matrix (a multiple of the covariance) is "
                                    + "singular; leave the column out (--ignore " + names.get(j) + ") or give a "
                                    + "numeric --bandwidth");
                        }
                        l[j * d + j] = Math.sqrt(v);
                    } else {
                        l[i * d + j] = v / l[j * d + j];
                    }
                }
            }
        }

        /**
         * A data-dependent bandwidth rule would leak the data, so the private release takes a public
         * numeric bandwidth h: gaussian is rbf(gamma = 1/(2h²)) and exponential is laplacian(gamma = 1/h).
         */
        private Integer releasePrivate(KernelDensity.Profile profile) {
            if (distance != null) {
                return releasePrivateDistance();
            }
            double h;
            try {
                h = Double.parseDouble(bandwidth.trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--private needs a public numeric --bandwidth (a rule such as '" + bandwidth
                        + "' would be computed from the private data)");
            }
            double bw = h;
            UsageException.of(() -> KernelDensity.scalar(bw, 1));
            org.kernels4j.kernel.Kernel k = profile.kernel(h).orElseThrow(() -> new UsageException(
                    "--private supports --kernel gaussian or exponential, got " + kernel));
            long frequencySeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
            // the noise comes from the library's secure source: it has no seed to give or record
            var estimator = UsageException.of(() -> PrivateKernelSum.builder(k).features(features).epsilon(epsilon)
                    .frequencySeed(frequencySeed).build()); // option values: refused before the data is read
            Dataset ds = readWithout(options.options, data, ignore);
            chargeLedger(ledger, budget, data, epsilon, PrivateKernelSum.MECHANISM, "kde fit --private --out " + out);
            PrivateKernelSum p = estimator.fit(ds.features());
            ModelFiles.save(p, ds.featureNames(), out);
            var pw = spec.commandLine().getOut();
            pw.printf("private release: %s, epsilon %s, %d random features, %d private rows x %d features%n",
                    k.toSpec(), epsilon, features, ds.rows(), ds.features().cols());
            pw.printf("L1 sensitivity %.6g (%s neighbours, grid %.6g), discrete Laplace scale %.6g; noise sd of each mean "
                    + "answer %.6g%n", p.sensitivity(), PrivateKernelSum.NEIGHBOURS, p.granularity(), p.noiseScale(),
                    p.noiseStandardDeviation());
            pw.printf("saved %s (no data row inside)%n", out);
            return 0;
        }

        private Integer releasePrivateDistance() {
            PrivateDistanceSum.Norm norm;
            switch (distance.toLowerCase(Locale.ROOT)) {
                case "l1":
                    norm = PrivateDistanceSum.Norm.L1;
                    break;
                case "l2":
                    norm = PrivateDistanceSum.Norm.L2;
                    break;
                default:
                    throw new UsageException("--distance must be l1 or l2, got '" + distance + "'");
            }
            String[] parts = range == null ? new String[0] : range.split(":");
            if (parts.length != 2) {
                throw new UsageException("--distance needs a public --range LO:HI (a range taken from the data would "
                        + "leak it), got " + (range == null ? "none" : "'" + range + "'"));
            }
            double lo = FitCommand.parseNumber("--range", parts[0]);
            double hi = FitCommand.parseNumber("--range", parts[1]);
            long projectionSeed = seed != null ? seed : new java.security.SecureRandom().nextLong();
            var estimator = UsageException.of(() -> PrivateDistanceSum.builder(norm).range(lo, hi).levels(levels)
                    .projections(projections).epsilon(epsilon).projectionSeed(projectionSeed).build());
            Dataset ds = readWithout(options.options, data, ignore);
            chargeLedger(ledger, budget, data, epsilon, PrivateDistanceSum.MECHANISM,
                    "kde fit --private --distance " + distance + " --out " + out);
            PrivateDistanceSum p = estimator.fit(ds.features());
            ModelFiles.save(p, ds.featureNames(), out);
            var pw = spec.commandLine().getOut();
            pw.printf("private release: %s distance sums, epsilon %s, range [%s, %s], %d levels%s, %d private rows x %d "
                    + "features%n", distance, epsilon, lo, hi, levels, norm == PrivateDistanceSum.Norm.L2 ? ", "
                    + projections + " projections" : "", ds.rows(), ds.features().cols());
            pw.printf("discrete Laplace scales: counts %.6g, sums %.6g (grids %.6g, %.6g; %s neighbours)%n",
                    p.countNoiseScale(), p.sumNoiseScale(), p.countGranularity(), p.sumGranularity(),
                    PrivateKernelSum.NEIGHBOURS);
            pw.printf("saved %s (no data row inside)%n", out);
            return 0;
        }
    }

    @Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Write the log-density of every row of a file (column log_density; -Infinity where it is zero).")
    static final class Score implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "KDE.zip", description = "File from 'kde fit'.")
        Path model;

        @Option(names = "--data", required = true, paramLabel = "FILE", description = "Rows to score.")
        Path data;

        @Option(names = "--ignore", split = ",", paramLabel = "NAME|INDEX,...",
                description = "Columns to leave out: names, or 0-based indices (negative from the end).")
        List<String> ignore = new java.util.ArrayList<>();

        @Option(names = "--out", required = true, paramLabel = "SCORES.csv", description = "CSV file to write.")
        Path out;

        @Option(names = "--rtol", defaultValue = "0", description = "Relative error allowed in each density: 0 is "
                + "exact; > 0 uses a kd-tree with certified bounds when d <= 5 (default: ${DEFAULT-VALUE}).")
        double rtol;

        @Mixin
        DataOptionsMixin options;

        @Override
        public Integer call() {
            AtomicFiles.checkWritable(out, model, data);
            SavedModel saved = ModelFiles.load(model);
            if (saved.model() instanceof PrivateKernelSum p) {
                return scorePrivate(p, saved.featureNames());
            }
            if (saved.model() instanceof PrivateDistanceSum p) {
                return scorePrivateDistance(p, saved.featureNames());
            }
            if (!(rtol >= 0 && rtol < 1)) { // a relative error of 100 % or more says nothing about the density
                throw new UsageException("--rtol must be in [0, 1), got " + rtol);
            }
            KernelDensity density = saved.as(KernelDensity.class, "a kernel density (kde), private-kernel-sum or "
                    + "private-distance-sum release; " + model + " is for predict/evaluate");
            KernelDensity.Approximate a = density.logDensity(readMatching(saved.featureNames(), "density"), rtol);
            double[] ld = a.logDensity();
            PredictionWriter.write(out, List.of("log_density"), Matrix.column(ld));
            double mean = 0;
            for (double v : ld) {
                mean += v / ld.length;
            }
            spec.commandLine().getOut().printf("wrote %d log-densities to %s (mean %.6f; %s, achieved relative error "
                    + "<= %.3g)%n", ld.length, out, mean, a.method(), a.achieved());
            return 0;
        }

        private Integer scorePrivateDistance(PrivateDistanceSum p, List<String> names) {
            writeSums(p.sums(readMatching(names, "release")), p.size(), "distance");
            spec.commandLine().getOut().printf("wrote private %s distance sums to %s (epsilon %s)%n",
                    p.norm().name().toLowerCase(Locale.ROOT), out, p.epsilon());
            return 0;
        }

        /** A private release answers kernel sums and means (noisy, so possibly negative), not log-densities. */
        private Integer scorePrivate(PrivateKernelSum p, List<String> names) {
            writeSums(p.sums(readMatching(names, "release")), p.size(), "kernel");
            spec.commandLine().getOut().printf("wrote private kernel sums to %s (epsilon %s; noise sd of each mean "
                    + "%.4g)%n", out, p.epsilon(), p.noiseStandardDeviation());
            return 0;
        }

        /** The data's features, by name where both have names, which must be as many as the {@code what}'s. */
        private Matrix readMatching(List<String> names, String what) {
            Dataset ds = ModelData.byModelNames(data, readWithout(options.options, data, ignore),
                    names);
            if (ds.features().cols() != names.size()) {
                throw new Kernels4jException(data + ": has " + ds.features().cols() + " columns but the " + what
                        + " has " + names.size() + " features (" + String.join(", ", names) + ")");
            }
            return ds.features();
        }

        /**
         * Writes columns PREFIX_sum and PREFIX_mean (the sum over n), and says how many are negative: a true sum never
         * is, a noisy one can be where the noise exceeds it; left as released (clipping at 0 is post-processing the
         * user may apply without losing privacy, but it biases sums and means upwards).
         */
        private void writeSums(double[] sums, int n, String prefix) {
            Matrix both = new Matrix(sums.length, 2);
            int negative = 0;
            for (int i = 0; i < sums.length; i++) {
                both.set(i, 0, sums[i]);
                both.set(i, 1, sums[i] / n);
                negative += sums[i] < 0 ? 1 : 0;
            }
            PredictionWriter.write(out, List.of(prefix + "_sum", prefix + "_mean"), both);
            if (negative > 0) {
                spec.commandLine().getOut().printf("note: %d of %d %s sums are negative: the privacy noise exceeds "
                        + "the true sum there (clipping them at 0 keeps the privacy guarantee but biases them upwards)%n",
                        negative, sums.length, prefix);
            }
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Draw points from a fitted density and write them as CSV with the feature names.")
    static final class Sample implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--model", required = true, paramLabel = "KDE.zip", description = "File from 'kde fit'.")
        Path model;

        @Option(names = "--count", defaultValue = "100", description = "Number of points (default: ${DEFAULT-VALUE}).")
        int count;

        @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--out", required = true, paramLabel = "SAMPLES.csv", description = "CSV file to write.")
        Path out;

        @Override
        public Integer call() {
            AtomicFiles.checkWritable(out, model);
            if (count < 1 || count > 100_000_000) {
                throw new UsageException("--count must be between 1 and 100000000, got " + count);
            }
            SavedModel saved = ModelFiles.load(model);
            Matrix s = saved.as(KernelDensity.class, "a kernel density (kde) file").sample(count, seed);
            PredictionWriter.write(out, saved.featureNames(), s);
            spec.commandLine().getOut().printf("wrote %d samples to %s%n", count, out);
            return 0;
        }
    }

    /**
     * Charges a private release of {@code epsilon} on the data file to the ledger (if one is given) and
     * writes the ledger back atomically, before the release is made: a refused release leaves the
     * ledger unchanged, a release that fails afterwards is over-counted, never under-counted.
     */
    static void chargeLedger(Path ledger, Double budget, Path data, double epsilon, String mechanism, String what) {
        if (ledger == null) {
            if (budget != null) {
                throw new UsageException("--budget needs a --ledger file to keep the account in");
            }
            return;
        }
        org.kernels4j.privacy.PrivacyLedger l = org.kernels4j.privacy.PrivacyLedger.read(ledger);
        String sha = org.kernels4j.privacy.PrivacyLedger.sha256(data);
        l = l.charge(sha, epsilon, budget, mechanism, what);
        org.kernels4j.io.AtomicFiles.writeString(ledger, l.toText());
    }

    /**
     * The file's numeric columns without those named in {@code ignore} (header names, else 0-based indices, negative
     * from the end). Every column is read as a number; a LibSVM file has no columns to name.
     */
    static Dataset readWithout(DataOptions options, Path data, List<String> ignore) {
        Dataset ds = options.read(data, "none", 0);
        if (ignore.isEmpty()) {
            return ds;
        }
        List<String> names = ds.featureNames();
        java.util.Set<Integer> drop = new java.util.TreeSet<>();
        for (String raw : ignore) {
            String spec = raw.strip();
            int j = names.indexOf(spec);
            if (j < 0 && spec.matches("-?\\d+")) {
                int k = Integer.parseInt(spec);
                j = k < 0 ? names.size() + k : k;
                if (j < 0 || j >= names.size()) {
                    throw new UsageException("--ignore " + spec + ": " + data + " has columns 0 to " + (names.size() - 1));
                }
            }
            if (j < 0) {
                throw new UsageException("--ignore: " + data + " has no column '" + spec + "' (columns: "
                        + String.join(", ", names) + ")");
            }
            drop.add(j);
        }
        if (drop.size() == names.size()) {
            throw new UsageException("--ignore leaves no column of " + data + " to use");
        }
        int[] keep = java.util.stream.IntStream.range(0, names.size()).filter(j -> !drop.contains(j)).toArray();
        List<String> kept = java.util.Arrays.stream(keep).mapToObj(names::get).toList();
        return new Dataset(ds.features().selectColumns(keep), null, kept, null, ds.source());
    }
}
