package org.kernels4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.kernels4j.Kernels4jException;
import org.kernels4j.balance.BalancedEstimate;
import org.kernels4j.balance.BalancingWeights;
import org.kernels4j.balance.KernelBalancing;
import org.kernels4j.balance.PopulationMean;
import org.kernels4j.balance.PopulationMeanEstimate;
import org.kernels4j.balance.TreatmentEffect;
import org.kernels4j.balance.TreatmentEffectEstimate;
import org.kernels4j.kernel.Kernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.regression.KernelRidge;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "effect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Estimates a treatment effect or a population mean by kernel balancing, with a standard error and an "
                + "interval.",
            "With --treatment COL (0/1), the average treatment effect E[Y(1) - Y(0)]: each arm is balanced to all rows "
                + "and the weighted means differ;",
            "With --target-data FILE or --group COL, the target population's mean of --outcome from the observed rows "
                + "(all of --data, or those with COL = 1; the other rows' outcomes are not read and may be nan with "
                + "--allow-nonfinite).",
            "--doubly-robust adds a kernel ridge outcome model (per arm for the ATE): its mean over the target plus the "
                + "weighted mean of its residuals."})
final class EffectCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "The rows (CSV with a header).")
    Path data;

    @Option(names = "--outcome", required = true, paramLabel = "COL", description = "The outcome column.")
    String outcome;

    @Option(names = "--treatment", paramLabel = "COL", description = "A 0/1 treatment column: estimate the ATE.")
    String treatment;

    @Option(names = "--target-data", paramLabel = "TARGET.csv", description = "Target rows: estimate their mean outcome "
            + "from the rows of --data.")
    Path targetData;

    @Option(names = "--group", paramLabel = "COL", description = "A 0/1 column: rows with 1 have the outcome observed; "
            + "estimate the mean outcome over all rows.")
    String group;

    @Option(names = "--doubly-robust", description = "Add a kernel ridge outcome model (--outcome-lambda, the balancing "
            + "kernel, an intercept).")
    boolean doublyRobust;

    @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B", description = "Bootstrap resamples for the "
            + "standard error, each refitting the weights (anchors held) and the outcome model, so B times the cost of one "
            + "fit; 0 for the plug-in formula with the weights held fixed, a quick look only: too large for IPS when the "
            + "outcome depends on what the weights balance, too small for --doubly-robust (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--level", defaultValue = "0.95", paramLabel = "P", description = "Coverage of the normal "
            + "interval estimate +/- z se (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--plot", paramLabel = "FILE.png|svg", description = "Also draw a Love plot: |SMD| per covariate "
            + "before and after balancing (both arms for the ATE), with the 0.1 threshold.")
    Path plot;

    @Mixin
    BalanceOptions balance = new BalanceOptions();

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        Path[] inputs = targetData == null ? new Path[] {data} : new Path[] {data, targetData};
        Charts.checkPlot(plot, inputs);
        int modes = (treatment != null ? 1 : 0) + (targetData != null ? 1 : 0) + (group != null ? 1 : 0);
        if (modes != 1) {
            throw new UsageException("give exactly one of --treatment COL (the ATE), --target-data FILE or --group COL "
                    + "(a population mean)");
        }
        if (!(level > 0 && level < 1)) {
            throw new UsageException("--level must be strictly between 0 and 1, got " + level);
        }
        if (bootstrap < 0 || bootstrap == 1) {
            throw new UsageException("--bootstrap must be 0 (plug-in errors) or >= 2, got " + bootstrap);
        }
        balance.selection(); // an unknown --anchors-by is reported before reading data
        BalanceData obs = BalanceData.read(data, options.options);
        int outcomeCol = obs.column(outcome, "--outcome");
        String split = treatment != null ? treatment : group;
        int splitCol = split == null ? -1 : obs.column(split, treatment != null ? "--treatment" : "--group");
        List<String> used = new ArrayList<>(List.of(obs.names().get(outcomeCol)));
        if (splitCol >= 0) {
            used.add(obs.names().get(splitCol));
        }
        int[] cols = obs.covariates(balance, used);
        List<String> names = new ArrayList<>();
        for (int j : cols) {
            names.add(obs.names().get(j));
        }
        return treatment != null ? ate(obs, cols, names, outcomeCol, splitCol)
                : populationMean(obs, cols, names, outcomeCol, splitCol);
    }

    private Integer ate(BalanceData obs, int[] cols, List<String> names, int outcomeCol, int treatmentCol) {
        boolean[] treated = obs.flags(treatmentCol, "--treatment");
        int[] all = BalanceData.allRows(obs.rows());
        Matrix x = obs.covariates(all, cols);
        double[] y = obs.finiteValues(outcomeCol, all, "outcome");
        int[] ones = BalanceData.rowsWhere(treated, true);
        int[] zeros = BalanceData.rowsWhere(treated, false);
        if (ones.length == 0 || zeros.length == 0) {
            throw new Kernels4jException(data + ": every row has " + treatment + " = " + (ones.length == 0 ? 0 : 1)
                    + "; the treatment effect needs treated and control rows");
        }
        BalanceData.Scale scale = BalanceData.Scale.of(x);
        Matrix z = balance.standardize ? scale.apply(x, names, data) : x;
        Kernel k = balance.kernel(cols.length);
        // adaptive anchors: from one fit of the outcome on every row (the treatment is not an input)
        Matrix adaptive = balance.adaptive() ? balance.adaptiveAnchors(k, z, y) : null;
        KernelBalancing kb = balance.balancer(k, z.rows(), adaptive);
        TreatmentEffect te = UsageException.of(() -> TreatmentEffect.builder(kb).outcomeModel(outcomeModel(k))
                .bootstrap(bootstrap, balance.seed).build());
        TreatmentEffectEstimate est = te.estimate(z, treated, y);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("effect: average treatment effect of %s on %s, %d rows of %s (%d treated, %d control), %d covariates "
                + "(%s)%n", treatment, outcome, obs.rows(), data, ones.length, zeros.length, cols.length,
                String.join(", ", names));
        printEstimate(pw, est.effect());
        double naive = mean(y, ones) - mean(y, zeros);
        pw.printf(Locale.ROOT, "naive (unweighted) difference of means: %.6g%n", naive);
        pw.printf(Locale.ROOT, "treated mean E[Y(1)]: %.6g (plug-in se %.4g); control mean E[Y(0)]: %.6g (plug-in se %.4g)%n",
                est.treatedMean().estimate(), est.treatedMean().standardError(), est.controlMean().estimate(),
                est.controlMean().standardError());
        if (est.failedReplicates() > 0) {
            pw.printf("bootstrap: %d of %d resamples could not be balanced and were skipped%n", est.failedReplicates(),
                    bootstrap);
        }
        BalancingWeights w1 = est.treatedWeights();
        BalancingWeights w0 = est.controlWeights();
        pw.println("-- treated rows balanced to all rows");
        BalanceCommand.printFit(pw, balance, k, w1, cols.length, false);
        pw.println("-- control rows balanced to all rows");
        BalanceCommand.printFit(pw, balance, k, w0, cols.length, false);
        Matrix x1 = x.selectRows(ones);
        Matrix x0 = x.selectRows(zeros);
        List<BalanceData.Series> series = List.of(
                new BalanceData.Series("treated before", BalanceData.smd(x1, BalanceData.normalised(null, ones.length),
                        scale), BalanceData.BEFORE, SeriesMarkers.CIRCLE),
                new BalanceData.Series("treated after", BalanceData.smd(x1, w1.weights(), scale), BalanceData.AFTER,
                        SeriesMarkers.DIAMOND),
                new BalanceData.Series("control before", BalanceData.smd(x0, BalanceData.normalised(null, zeros.length),
                        scale), BalanceData.BEFORE_2, SeriesMarkers.SQUARE),
                new BalanceData.Series("control after", BalanceData.smd(x0, w0.weights(), scale), BalanceData.AFTER_2,
                        SeriesMarkers.TRIANGLE_UP));
        pw.println("covariate balance of each arm to all rows: standardised mean difference (weighted arm mean - mean of "
                + "all rows) / sd of all rows");
        BalanceData.printTable(pw, names, series);
        if (plot != null) {
            BalanceData.lovePlot(plot, "covariate balance of each arm to all " + obs.rows() + " rows", names, series);
            pw.printf("wrote %s: Love plot of %d covariates, both arms%n", plot, cols.length);
        }
        return 0;
    }

    private Integer populationMean(BalanceData obs, int[] cols, List<String> names, int outcomeCol, int groupCol) {
        int[] observedRows;
        Matrix xTarget;
        String targetName;
        Path targetFile;
        if (group != null) {
            observedRows = BalanceData.rowsWhere(obs.flags(groupCol, "--group"), true);
            if (observedRows.length == 0) {
                throw new Kernels4jException(data + ": no row has " + group + " = 1, so no outcome is observed");
            }
            xTarget = obs.covariates(BalanceData.allRows(obs.rows()), cols);
            targetName = "all " + obs.rows() + " rows of " + data;
            targetFile = data;
        } else {
            observedRows = BalanceData.allRows(obs.rows());
            BalanceData target = BalanceData.read(targetData, options.options);
            xTarget = target.covariates(BalanceData.allRows(target.rows()), target.sameColumns(obs, cols));
            targetName = target.rows() + " rows of " + targetData;
            targetFile = targetData;
        }
        Matrix x = obs.covariates(observedRows, cols);
        double[] y = obs.finiteValues(outcomeCol, observedRows, "outcome");
        BalanceData.Scale scale = BalanceData.Scale.of(xTarget);
        Matrix z = balance.standardize ? scale.apply(x, names, targetFile) : x;
        Matrix zt = balance.standardize ? scale.apply(xTarget, names, targetFile) : xTarget;
        Kernel k = balance.kernel(cols.length);
        Matrix adaptive = balance.adaptive() ? balance.adaptiveAnchors(k, z, y) : null;
        KernelBalancing kb = balance.balancer(k, zt.rows(), adaptive);
        PopulationMean pm = UsageException.of(() -> PopulationMean.builder(kb).outcomeModel(outcomeModel(k))
                .bootstrap(bootstrap, balance.seed).build());
        PopulationMeanEstimate est = pm.estimate(z, y, zt);
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf("effect: target mean of %s over %s from %d observed rows of %s, %d covariates (%s)%n", outcome,
                targetName, observedRows.length, data, cols.length, String.join(", ", names));
        printEstimate(pw, est.mean());
        pw.printf(Locale.ROOT, "naive (unweighted) mean of the observed rows: %.6g%n", mean(y, null));
        if (est.failedReplicates() > 0) {
            pw.printf("bootstrap: %d of %d resamples could not be balanced and were skipped%n", est.failedReplicates(),
                    bootstrap);
        }
        BalancingWeights w = est.weights();
        BalanceCommand.printFit(pw, balance, k, w, cols.length, false);
        List<BalanceData.Series> series = List.of(
                new BalanceData.Series("before", BalanceData.smd(x, BalanceData.normalised(null, x.rows()), scale),
                        BalanceData.BEFORE, SeriesMarkers.CIRCLE),
                new BalanceData.Series("after", BalanceData.smd(x, w.weights(), scale), BalanceData.AFTER,
                        SeriesMarkers.DIAMOND));
        pw.println("covariate balance: standardised mean difference (weighted observed mean - target mean) / target sd");
        BalanceData.printTable(pw, names, series);
        if (plot != null) {
            BalanceData.lovePlot(plot, "covariate balance: " + observedRows.length + " observed rows to " + targetName,
                    names, series);
            pw.printf("wrote %s: Love plot of %d covariates%n", plot, cols.length);
        }
        return 0;
    }

    private KernelRidge outcomeModel(Kernel k) {
        return doublyRobust ? balance.outcomeModel(k) : null;
    }

    private void printEstimate(PrintWriter pw, BalancedEstimate e) {
        double[] ci = e.interval(level);
        pw.printf(Locale.ROOT, "estimand: %s%n", e.estimand());
        pw.printf(Locale.ROOT, "estimate: %.6g%n", e.estimate());
        pw.printf(Locale.ROOT, "standard error: %.6g (%s)%n", e.standardError(), e.errorMethod());
        pw.printf(Locale.ROOT, "%s%% interval: [%.6g, %.6g] (normal, estimate +/- z se)%n",
                new java.math.BigDecimal(Double.toString(100 * level)).stripTrailingZeros().toPlainString(), ci[0], ci[1]);
        pw.printf(Locale.ROOT, "effective sample size: %.2f%s%n", e.effectiveSampleSize(),
                e.estimand().contains("treatment effect") ? " (the smaller of the two arms')" : "");
    }

    /** Mean of v over rows (all when null). */
    private static double mean(double[] v, int[] rows) {
        double s = 0;
        int n = rows == null ? v.length : rows.length;
        for (int i = 0; i < n; i++) {
            s += v[rows == null ? i : rows[i]];
        }
        return s / n;
    }
}
