package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kernels4j.Kernels4jException;
import org.kernels4j.balance.BalancingWeights;
import org.kernels4j.balance.KernelBalancing;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.FitReport;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "balance", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kernel balancing weights: weights w >= 0, sum 1, on the observed rows, closest to the base weights "
                + "q in KL(w||q), under which the weighted mean of every anchor function k(a_j, .) matches its mean over "
                + "the target rows to within C.",
            "The target is --target-data, or with --group COL all rows of --data (the observed rows are those with "
                + "COL = 1). Writes one row per observed row: its 1-based data row number in --data and its weight; "
                + "prints the fit, the MMD^2 before and after and each covariate's standardised mean difference."})
final class BalanceCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "OBS.csv", description = "The observed rows (CSV with a header).")
    Path data;

    @Option(names = "--target-data", paramLabel = "TARGET.csv", description = "The target rows (the same covariate columns).")
    Path targetData;

    @Option(names = "--group", paramLabel = "COL", description = "A 0/1 column of --data: rows with 1 are observed, and "
            + "the target is every row (the whole population).")
    String group;

    @Option(names = "--base-weights", paramLabel = "COL", description = "A column of --data with base weights q >= 0 "
            + "(e.g. design weights) the balancing starts from (default: uniform).")
    String baseWeights;

    @Option(names = "--outcome", paramLabel = "COL", description = "The outcome column, for --anchors-by adaptive (it is "
            + "not a covariate).")
    String outcome;

    @Option(names = "--out", required = true, paramLabel = "WEIGHTS.csv", description = "The weights file to write.")
    Path out;

    @Option(names = "--plot", paramLabel = "BALANCE.png|svg", description = "Also draw a Love plot: |SMD| per covariate "
            + "before and after balancing, with the 0.1 threshold.")
    Path plot;

    @Mixin
    BalanceOptions balance = new BalanceOptions();

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        Path[] inputs = targetData == null ? new Path[] {data} : new Path[] {data, targetData};
        AtomicFiles.checkWritable(out, inputs);
        Charts.checkPlot(plot, inputs);
        OutputFiles.requireDistinct("--out", out, "--plot", plot);
        if ((targetData == null) == (group == null)) {
            throw new UsageException("give the target as --target-data FILE or as --group COL (one of them)");
        }
        balance.selection(); // an unknown --anchors-by is reported before reading data
        if (balance.adaptive() && outcome == null) {
            throw new UsageException("--anchors-by adaptive needs --outcome COL (the anchors come from a fit of it)");
        }
        BalanceData obs = BalanceData.read(data, options.options);
        List<String> used = new ArrayList<>();
        int groupCol = group == null ? -1 : obs.column(group, "--group");
        int baseCol = baseWeights == null ? -1 : obs.column(baseWeights, "--base-weights");
        int outcomeCol = outcome == null ? -1 : obs.column(outcome, "--outcome");
        for (int j : new int[] {groupCol, baseCol, outcomeCol}) {
            if (j >= 0) {
                used.add(obs.names().get(j));
            }
        }
        int[] cols = obs.covariates(balance, used);
        List<String> covariateNames = new ArrayList<>();
        for (int j : cols) {
            covariateNames.add(obs.names().get(j));
        }
        int[] observedRows;
        Matrix xTarget;
        String targetName;
        if (group != null) {
            boolean[] in = obs.flags(groupCol, "--group");
            observedRows = BalanceData.rowsWhere(in, true);
            if (observedRows.length == 0) {
                throw new Kernels4jException(data + ": no row has " + group + " = 1, so there are no observed rows");
            }
            xTarget = obs.covariates(BalanceData.allRows(obs.rows()), cols);
            targetName = "all " + obs.rows() + " rows of " + data;
        } else {
            observedRows = BalanceData.allRows(obs.rows());
            BalanceData target = BalanceData.read(targetData, options.options);
            xTarget = target.covariates(BalanceData.allRows(target.rows()), target.sameColumns(obs, cols));
            targetName = target.rows() + " rows of " + targetData;
        }
        Matrix xObs = obs.covariates(observedRows, cols);
        double[] base = null;
        if (baseCol >= 0) {
            base = obs.finiteValues(baseCol, observedRows, "base weight");
            for (int k = 0; k < base.length; k++) {
                if (base[k] < 0) {
                    throw new Kernels4jException(obs.where(observedRows[k], baseCol) + "base weight " + base[k]
                            + " is negative (--base-weights " + baseWeights + ")");
                }
            }
        }
        BalanceData.Scale scale = BalanceData.Scale.of(xTarget);
        Matrix zObs = balance.standardize ? scale.apply(xObs, covariateNames, group != null ? data : targetData) : xObs;
        Matrix zTarget = balance.standardize ? scale.apply(xTarget, covariateNames, group != null ? data : targetData)
                : xTarget;
        Kernel k = balance.kernel(cols.length);
        Matrix adaptive = null;
        if (balance.adaptive()) {
            adaptive = balance.adaptiveAnchors(k, zObs, obs.finiteValues(outcomeCol, observedRows, "outcome"));
        }
        KernelBalancing kb = balance.balancer(k, zTarget.rows(), adaptive);
        BalancingWeights w = kb.fit(zObs, base, zTarget);
        double[] weights = w.weights();
        writeWeights(observedRows, weights, base);

        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("balance: %d observed rows of %s to %s on %d covariates (%s)%n", observedRows.length, data, targetName,
                cols.length, String.join(", ", covariateNames));
        printFit(pw, balance, k, w, cols.length, base != null);
        double[] before = BalanceData.smd(xObs, BalanceData.normalised(base, xObs.rows()), scale);
        double[] after = BalanceData.smd(xObs, weights, scale);
        pw.println("covariate balance: standardised mean difference (weighted observed mean - target mean) / target sd");
        List<BalanceData.Series> series = List.of(
                new BalanceData.Series(base == null ? "before" : "before (base)", before, BalanceData.BEFORE,
                        SeriesMarkers.CIRCLE),
                new BalanceData.Series("after", after, BalanceData.AFTER, SeriesMarkers.DIAMOND));
        BalanceData.printTable(pw, covariateNames, series);
        pw.printf("wrote %s: %d rows (row, weight%s)%n", out, observedRows.length, base != null ? ", base_weight" : "");
        if (plot != null) {
            BalanceData.lovePlot(plot, "covariate balance: " + observedRows.length + " observed rows to " + targetName,
                    covariateNames, series);
            pw.printf("wrote %s: Love plot of %d covariates%n", plot, cols.length);
        }
        return 0;
    }

    /** The fit's settings and diagnostics (shared with {@code effect}). */
    static void printFit(PrintWriter pw, BalanceOptions o, Kernel k, BalancingWeights w, int d, boolean base) {
        FitReport r = w.report();
        pw.println(o.standardize ? "covariates standardised by the target rows' mean and standard deviation"
                : "covariates used as given (--no-standardize)");
        pw.printf(Locale.ROOT, "kernel %s, %s, C = %s, ridge = %s%n", k.toSpec(), o.anchorsDescription(w.anchors().rows()),
                w.constraintTolerance(), w.ridge());
        pw.printf(Locale.ROOT, "solver: %d iterations, %s (stop: %s, kkt residual %.3g)%n", (long) r.number("iterations"),
                r.flag("converged") ? "converged" : "NOT converged", r.text("stop"), r.number("kkt_residual"));
        pw.printf(Locale.ROOT, "KL(w||q) = %.6g, effective sample size %.2f of %d, max weight %.6g%n", w.klDivergence(),
                w.effectiveSampleSize(), w.size(), w.maxWeight());
        pw.printf(Locale.ROOT, "max anchor imbalance |sum_i w_i k(a_j, x_i) - target mean_j| = %.3g%n", w.maxImbalance());
        pw.printf(Locale.ROOT, "MMD^2 to the target: before %.6g (%s weights), after %.6g%n", w.baseMmdSquared(),
                base ? "base" : "uniform", w.mmdSquared());
    }

    private void writeWeights(int[] rows, double[] weights, double[] base) {
        AtomicFiles.write(out, stream -> {
            var writer = new java.io.OutputStreamWriter(stream, java.nio.charset.StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get());
            if (base == null) {
                csv.printRecord("row", "weight");
            } else {
                csv.printRecord("row", "weight", "base_weight");
            }
            for (int k = 0; k < rows.length; k++) {
                if (base == null) {
                    csv.printRecord(rows[k] + 1, Double.toString(weights[k]));
                } else {
                    csv.printRecord(rows[k] + 1, Double.toString(weights[k]), Double.toString(base[k]));
                }
            }
            csv.flush();
        });
    }
}
