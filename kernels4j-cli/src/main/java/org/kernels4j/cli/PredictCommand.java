package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.PredictionWriter;
import org.kernels4j.io.Predictions;
import org.kernels4j.io.SavedModel;
import org.kernels4j.svm.SvmModel;
import org.kernels4j.svm.StringSvmModel;
import org.kernels4j.io.TextColumnReader;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.DecisionFunction;
import org.kernels4j.model.Model;
import org.kernels4j.model.PredictiveVariance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict with a saved model and write one CSV row per input row.",
            "The data file holds the model's features, optionally with its target column (which is ignored)."})
final class PredictCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "Model file from 'fit'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Data to predict (.csv or .libsvm).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "PREDICTIONS.csv", description = "CSV file to write.")
    Path out;

    @Option(names = "--std", description = "Also write the predictive standard deviation (column NAME_std; needs a "
            + "model from fit --model gp, sgpr or ntk): of the latent function, plus the noise of any white(noise=...) term in the "
            + "kernel, as scikit-learn reports it.")
    boolean std;

    @Option(names = "--proba", description = "Also write class probabilities, one column NAME_p_LABEL per class "
            + "(needs a model from fit --model gpc, dkm --likelihood one-hot, svc --probability, or a classifier fitted "
            + "with --calibrate).")
    boolean proba;

    @Option(names = "--decision", description = "Also write the SVM decision values f(x), one column per decision "
            + "function (svc, svr, oneclass models).")
    boolean decision;

    @Mixin
    DataOptionsMixin options;

    @Option(names = "--no-progress", description = "Never show a progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(out, model, data);
        SavedModel saved = ModelFiles.load(model);
        Model m = saved.model();
        if (std && !(m instanceof PredictiveVariance)) {
            throw new UsageException("--std needs a model with a predictive variance (fit --model gp|sgpr|ntk); "
                    + model + " holds " + describe(m));
        }
        if (proba && m instanceof SvmModel svm && svm.classes() != null && !svm.hasProbabilities()) {
            throw new UsageException("--proba: " + model + " was trained without probabilities (fit --model "
                    + (svm.type() == org.kernels4j.svm.SvmModel.Type.NU_SVC ? "nusvc" : "svc") + " --probability)");
        }
        if (proba && !(m instanceof Classifier c && c.hasProbabilities())) {
            throw new UsageException("--proba needs a classifier with probabilities (fit --model gpc, svc "
                    + "--probability, or --calibrate); " + model + " holds " + describe(m));
        }
        if (decision && !(m instanceof DecisionFunction)) {
            throw new UsageException("--decision needs a model with decision values (fit --model svc|svr|oneclass); "
                    + model + " holds " + describe(m));
        }
        if (m instanceof StringSvmModel text) {
            return predictTexts(saved, text);
        }
        Dataset ds = ModelData.read(options.options, data, saved, false);
        String name = saved.targetName() == null ? "prediction" : saved.targetName();
        java.util.Set<Predictions.Output> wanted = java.util.EnumSet.of(Predictions.Output.PREDICTION);
        if (std) {
            wanted.add(Predictions.Output.STD);
        }
        if (proba) {
            wanted.add(Predictions.Output.PROBABILITIES);
        }
        if (decision) {
            wanted.add(Predictions.Output.DECISION);
        }
        Predictions result;
        try (Progress p = new Progress(!noProgress)) {
            result = Predictions.of(m, ds.features(), wanted, p);
        }
        List<String> columns = new java.util.ArrayList<>();
        List<double[]> values = new java.util.ArrayList<>();
        Matrix pred = result.values();
        int k = pred.cols();
        for (int o = 0; o < k; o++) {
            columns.add(k == 1 ? name : name + "_" + o);
            values.add(pred.column(o));
        }
        if (std) {
            Matrix sd = result.std();
            for (int o = 0; o < sd.cols(); o++) {
                columns.add((k == 1 ? name : name + "_" + o) + "_std");
                values.add(sd.column(o));
            }
        }
        if (proba) {
            Classifier c = (Classifier) m;
            for (int j = 0; j < c.classes().length; j++) {
                columns.add(name + "_p_" + saved.label(c.classes()[j]));
                values.add(result.probabilities().column(j));
            }
        }
        if (decision) {
            Matrix f = result.decisions();
            for (int q = 0; q < f.cols(); q++) {
                String problem = Predictions.decisionName(saved, q).replace(' ', '_');
                columns.add(f.cols() == 1 && problem.equals("-") ? "decision" : "decision_" + problem);
                values.add(f.column(q));
            }
        }
        Matrix all = new Matrix(ds.rows(), values.size());
        for (int j = 0; j < values.size(); j++) {
            for (int i = 0; i < ds.rows(); i++) {
                all.set(i, j, values.get(j)[i]);
            }
        }
        PredictionWriter.write(out, columns, all, m instanceof Classifier c && c.classes() != null ? saved.classLabels() : null);
        spec.commandLine().getOut().printf("wrote %d predictions to %s%n", ds.rows(), out);
        return 0;
    }

    /**
     * A string-kernel SVM: the texts are read from the column the model was trained on; labels, probabilities and decision values as for any SVM.
     */
    private Integer predictTexts(SavedModel saved, StringSvmModel m) {
        List<String> texts = TextColumnReader.read(data, m.textColumn(), null, false).texts();
        String name = saved.targetName() == null ? "prediction" : saved.targetName();
        List<String> columns = new java.util.ArrayList<>();
        Matrix k = m.kernelValues(texts);
        Matrix f = m.svm().decisionValues(k);
        List<double[]> values = new java.util.ArrayList<>();
        columns.add(name);
        values.add(m.svm().predictFromDecisions(f));
        if (proba) {
            Matrix pr = m.svm().probabilitiesFromDecisions(f);
            for (int j = 0; j < m.classes().length; j++) {
                columns.add(name + "_p_" + saved.label(m.classes()[j]));
                values.add(pr.column(j));
            }
        }
        if (decision) {
            for (int q = 0; q < f.cols(); q++) {
                String problem = m.svm().problemName(q, saved::label).replace(' ', '_');
                columns.add(f.cols() == 1 && problem.equals("-") ? "decision" : "decision_" + problem);
                values.add(f.column(q));
            }
        }
        Matrix all = new Matrix(texts.size(), values.size());
        for (int j = 0; j < values.size(); j++) {
            for (int i = 0; i < texts.size(); i++) {
                all.set(i, j, values.get(j)[i]);
            }
        }
        PredictionWriter.write(out, columns, all, m.classes() != null ? saved.classLabels() : null);
        spec.commandLine().getOut().printf("wrote %d predictions to %s%n", texts.size(), out);
        return 0;
    }

    /** "a 'krr' model", for messages. */
    static String describe(Model m) {
        return "a '" + org.kernels4j.model.ModelCodecs.kindOf(m) + "' model";
    }
}
