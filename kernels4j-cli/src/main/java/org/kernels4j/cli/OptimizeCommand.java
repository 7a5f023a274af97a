package org.kernels4j.cli;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.kernels4j.Kernels4jException;
import org.kernels4j.bo.Acquisition;
import org.kernels4j.bo.BayesianOptimizer;
import org.kernels4j.bo.SearchSpace;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.SearchSpaceFiles;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "optimize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Bayesian optimization of an external command's output: each evaluation runs --command through "
                + "'sh -c' with every {name} replaced by that parameter's value (integers without a decimal point) and "
                + "the values also in environment variables KERNELS4J_<NAME> (upper case, other characters as '_'; "
                + "other braces, as in awk or shell code, are left alone); "
                + "the LAST number the command prints on stdout is the objective (minimized unless --maximize).",
            "A failed evaluation (non-zero exit, no number on stdout, a non-finite number, or --timeout exceeded; "
                + "the command is then killed) is reported and, with --on-failure penalize (default), told to the "
                + "optimizer as the worst value seen so far so that it moves away; with skip it is not told and the "
                + "next point of the batch is tried instead. Failures count against --budget.",
            "Surrogate: a Gaussian process with Matern-5/2 ARD kernel, hyperparameters re-learned at each step; "
                + "--batch q > 1 proposes q points at once (Kriging believer) and runs them one after another.",
            "space.json: {\"parameters\": [{\"name\": \"x\", \"type\": \"continuous\", \"lower\": -5, \"upper\": 10}, "
                + "{\"name\": \"lr\", \"lower\": 1e-4, \"upper\": 0.1, \"log\": true}, "
                + "{\"name\": \"k\", \"type\": \"integer\", \"lower\": 1, \"upper\": 8}]}"})
final class OptimizeCommand implements Callable<Integer> {
    /** A decimal number, possibly signed, with an optional exponent; or inf/nan (refused as non-finite). */
    private static final Pattern NUMBER = Pattern.compile(
            "[-+]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?|(?i:inf(?:inity)?|nan))");
    /** {name} with a parameter-name character set; other braces (shell, awk) are not placeholders. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_.\\-]+)\\}");

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--space", required = true, paramLabel = "SPACE.json", description = "The parameters and their bounds.")
    Path space;

    @Option(names = "--command", required = true, paramLabel = "CMD",
            description = "Shell command template, e.g. \"python3 train.py --lr {lr} --layers {k}\".")
    String command;

    @Option(names = "--budget", defaultValue = "30", paramLabel = "N",
            description = "Evaluations in all, failed ones included (default: ${DEFAULT-VALUE}).")
    int budget;

    @Option(names = "--initial", paramLabel = "K",
            description = "Latin-hypercube evaluations before the surrogate is used (default: max(5, 2*d)).")
    Integer initial;

    @Option(names = "--acquisition", defaultValue = "ei", paramLabel = "NAME",
            description = "ei, pi (xi = 0.01), ucb (beta = 2), kg (64 candidates) or nei (plug-in noisy EI) "
                    + "(default: ${DEFAULT-VALUE}).")
    String acquisition;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "Q", description = "Points proposed at once (default: 1).")
    int batch;

    @Option(names = "--maximize", description = "Look for the largest value instead of the smallest.")
    boolean maximize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Seed of the design and the search "
            + "(default: 0).")
    long seed;

    @Option(names = "--timeout", defaultValue = "600", paramLabel = "SECONDS",
            description = "Longest one evaluation may run before it is killed and counted as failed (default: 600).")
    double timeout;

    @Option(names = "--on-failure", defaultValue = "penalize", paramLabel = "penalize|skip",
            description = "What a failed evaluation tells the optimizer (default: penalize).")
    String onFailure;

    @Option(names = "--out", paramLabel = "HISTORY.csv",
            description = "Every evaluation: number, parameters, value (empty if failed), status, best so far; "
                    + "rewritten atomically after each batch.")
    Path out;

    @Option(names = "--plot", paramLabel = "CONV.png|svg", description = "Best value so far against evaluations.")
    Path plot;

    /** One evaluation's outcome. */
    record Evaluation(double[] point, double value, String failure, double bestSoFar) {
    }

    @Override
    public Integer call() {
        OutputFiles.requireDistinct("--out", out, "--plot", plot);
        boolean outExisted = out != null && java.nio.file.Files.exists(out); // see the history writes below
        if (budget < 1) {
            throw new UsageException("--budget must be >= 1, got " + budget);
        }
        if (batch < 1) {
            throw new UsageException("--batch must be >= 1, got " + batch);
        }
        if (initial != null && initial < 1) {
            throw new UsageException("--initial must be >= 1, got " + initial);
        }
        if (!(timeout > 0) || Double.isInfinite(timeout)) {
            throw new UsageException("--timeout must be a positive number of seconds, got " + timeout);
        }
        if (!onFailure.equals("penalize") && !onFailure.equals("skip")) {
            throw new UsageException("--on-failure must be penalize or skip, got " + onFailure);
        }
        Acquisition acq = UsageException.of(() -> Acquisition.parse(acquisition));
        if (out != null) {
            AtomicFiles.checkWritable(out, space);
        }
        Charts.checkPlot(plot, space);
        SearchSpace s = SearchSpaceFiles.read(space);
        checkTemplate(s);
        BayesianOptimizer.Builder b = BayesianOptimizer.builder(s).acquisition(acq).seed(seed)
                .goal(maximize ? BayesianOptimizer.Goal.MAXIMIZE : BayesianOptimizer.Goal.MINIMIZE);
        if (initial != null) {
            b.initialPoints(initial);
        }
        BayesianOptimizer bo = b.build();
        PrintWriter pw = spec.commandLine().getOut();
        pw.printf(Locale.ROOT, "optimize: %d parameters from %s, budget %d, %s, batch %d, %s, seed %d%n", s.dimension(),
                space, budget, acq, batch, maximize ? "maximize" : "minimize", seed);
        List<Evaluation> history = new ArrayList<>();
        List<double[]> failed = new ArrayList<>();
        String lastFailure = null;
        while (history.size() < budget) {
            int q = Math.min(batch, budget - history.size());
            List<double[]> points = proposals(bo, q, failed);
            List<org.kernels4j.bo.Observation> told = new ArrayList<>();
            for (double[] p : points) {
                Outcome o = evaluate(s, p);
                double value = o.value;
                String failure = o.failure;
                if (failure != null) {
                    lastFailure = failure;
                    failed.add(p);
                    if (onFailure.equals("penalize") && (!bo.observations().isEmpty() || !told.isEmpty())) {
                        value = worst(bo, told);
                        told.add(new org.kernels4j.bo.Observation(p, value));
                    }
                } else {
                    told.add(new org.kernels4j.bo.Observation(p, value));
                }
                double best = bestSoFar(history, failure == null ? value : Double.NaN);
                history.add(new Evaluation(p, failure == null ? value : Double.NaN, failure, best));
                pw.printf(Locale.ROOT, "eval %d/%d: %s -> %s%s%n", history.size(), budget, describe(s, p),
                        failure == null ? format(value) : "FAILED (" + failure + ")"
                                + (Double.isNaN(value) ? ", skipped" : ", penalized with " + format(value)),
                        Double.isNaN(best) ? "" : "   best " + format(best));
                pw.flush();
            }
            bo = bo.tell(told);
            // the history is rewritten after every batch (a long search keeps its progress), but an existing file is
            // replaced only once an evaluation has succeeded: a run that fails throughout leaves it as it was
            if (out != null && (!outExisted || history.stream().anyMatch(e -> e.failure == null))) {
                writeHistory(s, history);
            }
        }
        if (plot != null) {
            plot(history);
        }
        List<Evaluation> ok = history.stream().filter(e -> e.failure == null).toList();
        if (ok.isEmpty()) {
            throw new Kernels4jException("all " + history.size() + " evaluations failed; the last: " + lastFailure
                    + (out != null && outExisted ? " (" + out + " was left as it was)" : ""));
        }
        Evaluation best = ok.get(0);
        for (Evaluation e : ok) {
            if (maximize ? e.value > best.value : e.value < best.value) {
                best = e;
            }
        }
        pw.printf(Locale.ROOT, "best: %s -> %s (evaluation %d of %d; %d failed)%n", describe(s, best.point),
                format(best.value), history.indexOf(best) + 1, history.size(), history.size() - ok.size());
        if (out != null) {
            pw.printf("wrote %s%n", out);
        }
        if (plot != null) {
            pw.printf("wrote %s%n", plot);
        }
        return 0;
    }

    /** q points not among the skipped failures (asking for more when some were). */
    private static List<double[]> proposals(BayesianOptimizer bo, int q, List<double[]> failed) {
        for (int extra = 0; extra <= failed.size(); extra++) {
            List<double[]> keep = new ArrayList<>();
            for (double[] p : bo.ask(q + extra)) {
                if (failed.stream().noneMatch(f -> Arrays.equals(f, p)) && keep.size() < q) {
                    keep.add(p);
                }
            }
            if (keep.size() == q) {
                return keep;
            }
        }
        return bo.ask(q);
    }

    private double worst(BayesianOptimizer bo, List<org.kernels4j.bo.Observation> told) {
        double w = maximize ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
        List<org.kernels4j.bo.Observation> all = new ArrayList<>(bo.observations());
        all.addAll(told);
        for (org.kernels4j.bo.Observation o : all) {
            w = maximize ? Math.min(w, o.value()) : Math.max(w, o.value());
        }
        return w;
    }

    private double bestSoFar(List<Evaluation> history, double value) {
        double best = history.isEmpty() ? Double.NaN : history.get(history.size() - 1).bestSoFar;
        if (Double.isNaN(value)) {
            return best;
        }
        if (Double.isNaN(best)) {
            return value;
        }
        return maximize ? Math.max(best, value) : Math.min(best, value);
    }

    /** Refuses an empty command; warns (stderr) about a {word} that is no parameter, which is passed on as is. */
    private void checkTemplate(SearchSpace s) {
        if (command.isBlank()) {
            throw new UsageException("--command is empty");
        }
        Matcher m = PLACEHOLDER.matcher(command);
        while (m.find()) {
            String name = m.group(1);
            if (s.parameters().stream().noneMatch(p -> p.name().equals(name))) {
                spec.commandLine().getErr().println("kernels4j: warning: --command contains {" + name + "}, which is "
                        + "not a parameter in " + space + " (parameters: " + String.join(", ", s.parameters().stream()
                        .map(SearchSpace.Parameter::name).toList()) + "); it is passed on unchanged");
                spec.commandLine().getErr().flush();
            }
        }
    }

    /** The value as the command sees it: integers without a decimal point, reals in Java's shortest form. */
    static String value(SearchSpace.Parameter p, double v) {
        return p.type() == SearchSpace.Type.INTEGER ? Long.toString((long) v) : Double.toString(v);
    }

    private static String describe(SearchSpace s, double[] point) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < point.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(s.parameters().get(i).name()).append('=')
                    .append(value(s.parameters().get(i), point[i]));
        }
        return sb.toString();
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.10g", v);
    }

    /** The value or the reason it failed. */
    private record Outcome(double value, String failure) {
    }

    private Outcome evaluate(SearchSpace s, double[] point) {
        Matcher m = PLACEHOLDER.matcher(command);
        StringBuilder line = new StringBuilder();
        while (m.find()) {
            int i = indexOf(s, m.group(1));
            m.appendReplacement(line, Matcher.quoteReplacement(i < 0 ? m.group() : value(s.parameters().get(i), point[i])));
        }
        m.appendTail(line);
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", line.toString());
        Map<String, String> env = pb.environment();
        for (int i = 0; i < point.length; i++) {
            SearchSpace.Parameter p = s.parameters().get(i);
            env.put("KERNELS4J_" + p.name().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_"), value(p, point[i]));
        }
        Process proc;
        try {
            proc = pb.start();
        } catch (IOException e) {
            throw new Kernels4jException("cannot start 'sh -c': " + e.getMessage());
        }
        try {
            proc.getOutputStream().close();
        } catch (IOException e) {
            // the command does not read stdin
        }
        Drain stdout = new Drain(proc.getInputStream());
        Drain stderr = new Drain(proc.getErrorStream());
        stdout.start();
        stderr.start();
        boolean finished;
        try {
            finished = proc.waitFor((long) (timeout * 1000), TimeUnit.MILLISECONDS);
            if (!finished) {
                proc.descendants().forEach(ProcessHandle::destroyForcibly);
                proc.destroyForcibly();
                proc.waitFor(5, TimeUnit.SECONDS);
            }
            stdout.join(5000);
            stderr.join(5000);
        } catch (InterruptedException e) {
            proc.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new Kernels4jException("interrupted while running the command");
        }
        if (!finished) {
            return new Outcome(Double.NaN, "timed out after " + format(timeout).replaceAll("\\.?0+$", "") + " s");
        }
        String text = stdout.text();
        String err = lastLine(stderr.text());
        if (proc.exitValue() != 0) {
            return new Outcome(Double.NaN, "exit code " + proc.exitValue() + (err.isEmpty() ? "" : ": " + err));
        }
        Matcher n = NUMBER.matcher(text);
        String last = null;
        while (n.find()) {
            last = n.group();
        }
        if (last == null) {
            return new Outcome(Double.NaN, "no number on stdout" + (err.isEmpty() ? "" : " (stderr: " + err + ")"));
        }
        double v = parse(last);
        if (!Double.isFinite(v)) {
            return new Outcome(Double.NaN, "the last number printed is " + last + ", not finite");
        }
        return new Outcome(v, null);
    }

    private static double parse(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        if (t.contains("nan")) {
            return Double.NaN;
        }
        if (t.contains("inf")) {
            return t.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        return Double.parseDouble(s);
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\\R");
        String l = lines.length == 0 ? "" : lines[lines.length - 1].strip();
        return l.length() > 200 ? l.substring(0, 200) + "..." : l;
    }

    private static int indexOf(SearchSpace s, String name) {
        for (int i = 0; i < s.dimension(); i++) {
            if (s.parameters().get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Reads a stream to the end on its own thread (so that a chatty command never blocks on a full pipe). */
    private static final class Drain extends Thread {
        private static final int LIMIT = 1 << 20;
        private final InputStream in;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Drain(InputStream in) {
            this.in = in;
            setDaemon(true);
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                int r;
                while ((r = in.read(buf)) >= 0) {
                    synchronized (bytes) {
                        // keep the tail: the objective is the last number printed
                        if (bytes.size() + r > LIMIT) {
                            byte[] all = bytes.toByteArray();
                            bytes.reset();
                            bytes.write(all, all.length / 2, all.length - all.length / 2);
                        }
                        bytes.write(buf, 0, r);
                    }
                }
            } catch (IOException e) {
                // the process was killed: what was read so far stays
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }

    private void writeHistory(SearchSpace s, List<Evaluation> history) {
        List<String> header = new ArrayList<>();
        header.add("evaluation");
        for (SearchSpace.Parameter p : s.parameters()) {
            header.add(p.name());
        }
        header.addAll(List.of("value", "status", "best_so_far"));
        AtomicFiles.write(out, stream -> {
            var w = new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8);
            CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').build());
            csv.printRecord(header);
            int i = 0;
            for (Evaluation e : history) {
                List<String> row = new ArrayList<>();
                row.add(Integer.toString(++i));
                for (int f = 0; f < e.point.length; f++) {
                    row.add(value(s.parameters().get(f), e.point[f]));
                }
                row.add(e.failure == null ? Double.toString(e.value) : "");
                row.add(e.failure == null ? "ok" : "failed: " + e.failure);
                row.add(Double.isNaN(e.bestSoFar) ? "" : Double.toString(e.bestSoFar));
                csv.printRecord(row);
            }
            csv.flush();
        });
    }

    private void plot(List<Evaluation> history) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChart(900, 600);
        chart.setTitle("Bayesian optimization: " + command);
        chart.setXAxisTitle("evaluation");
        chart.setYAxisTitle("best value so far");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesVisible(true);
        List<Double> xs = new ArrayList<>();
        List<Double> best = new ArrayList<>();
        List<Double> xv = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            Evaluation e = history.get(i);
            if (!Double.isNaN(e.bestSoFar)) {
                xs.add(i + 1.0);
                best.add(e.bestSoFar);
            }
            if (e.failure == null) {
                xv.add(i + 1.0);
                values.add(e.value);
            }
        }
        if (!xv.isEmpty()) {
            XYSeries v = chart.addSeries("evaluations", xv, values);
            v.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            v.setMarker(SeriesMarkers.CIRCLE);
            XYSeries b = chart.addSeries("best so far", xs, best);
            b.setMarker(SeriesMarkers.NONE);
        }
        Charts.save(chart, plot);
    }
}
