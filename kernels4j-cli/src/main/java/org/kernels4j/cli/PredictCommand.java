package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.PredictionWriter;
import org.kernels4j.io.SavedModel;
import org.kernels4j.io.LibSvmWriter;
import org.kernels4j.io.SavedSvm;
import org.kernels4j.svm.SvmModel;
import org.kernels4j.gp.GaussianProcess;
import org.kernels4j.linalg.Matrix;
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
            + "model from fit --model gp): of the latent function, plus the noise of any white(noise=...) term in the "
            + "kernel, as scikit-learn reports it.")
    boolean std;

    @Option(names = "--proba", description = "Also write class probabilities, one column NAME_p_LABEL per class "
            + "(needs a model from fit --model svc --probability).")
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
        if (ModelFiles.SVM_KIND.equals(ModelFiles.kind(model))) {
            return predictSvm(ModelFiles.loadSvm(model));
        }
        if (proba || decision) {
            throw new org.kernels4j.Kernels4jException((proba ? "--proba" : "--decision") + " needs a support vector "
                    + "machine model (fit --model svc|svr|oneclass); " + model + " is a '" + ModelFiles.kind(model)
                    + "' model");
        }
        SavedModel saved = ModelFiles.load(model);
        if (std && !saved.isGaussianProcess()) {
            throw new org.kernels4j.Kernels4jException("--std needs a Gaussian process model (fit --model gp); " + model
                    + " is a '" + saved.kind() + "' model");
        }
        Dataset ds = ModelData.read(options.options, data, saved, false);
        Matrix pred;
        try (Progress p = new Progress(!noProgress)) {
            pred = saved.model().predict(ds.features(), p);
        }
        String name = saved.targetName() == null ? "prediction" : saved.targetName();
        if (std) {
            Matrix both = new Matrix(pred.rows(), 2);
            try (GaussianProcess.Model gp = saved.gaussianProcess()) {
                double[] var = gp.variance(ds.features(), 0);
                for (int i = 0; i < pred.rows(); i++) {
                    both.set(i, 0, pred.get(i, 0));
                    both.set(i, 1, Math.sqrt(var[i]));
                }
            }
            PredictionWriter.write(out, List.of(name, name + "_std"), both);
        } else {
            PredictionWriter.write(out, List.of(name), pred);
        }
        spec.commandLine().getOut().printf("wrote %d predictions to %s%n", pred.rows(), out);
        return 0;
    }

    private Integer predictSvm(SavedSvm saved) {
        SvmModel m = saved.model();
        if (std) {
            throw new org.kernels4j.Kernels4jException("--std needs a Gaussian process model (fit --model gp); " + model
                    + " is a support vector machine");
        }
        if (proba && !m.hasProbabilities()) {
            throw new org.kernels4j.Kernels4jException("--proba: " + model + " was trained without probabilities "
                    + "(fit --model svc --probability)");
        }
        Dataset ds = ModelData.read(options.options, data, saved.featureNames().size(), saved.targetName(), false);
        String name = saved.targetName() == null ? "prediction" : saved.targetName();
        List<String> columns = new java.util.ArrayList<>(List.of(name));
        List<double[]> values = new java.util.ArrayList<>();
        Matrix f;
        try (Progress p = new Progress(!noProgress)) {
            f = m.decisionValues(ds.features(), p);
        }
        values.add(m.predictFromDecisions(f)); // one kernel pass serves labels, probabilities and decision values
        if (proba) {
            Matrix pr = m.probabilitiesFromDecisions(f);
            for (int c = 0; c < m.classes().length; c++) {
                columns.add(name + "_p_" + LibSvmWriter.label(m.classes()[c]));
                values.add(pr.column(c));
            }
        }
        if (decision) {
            for (int q = 0; q < f.cols(); q++) {
                columns.add("decision_" + FitCommand.problemName(m, q).replace(' ', '_'));
                values.add(f.column(q));
            }
        }
        Matrix all = new Matrix(ds.rows(), values.size());
        for (int j = 0; j < values.size(); j++) {
            for (int i = 0; i < ds.rows(); i++) {
                all.set(i, j, values.get(j)[i]);
            }
        }
        PredictionWriter.write(out, columns, all);
        spec.commandLine().getOut().printf("wrote %d predictions to %s%n", ds.rows(), out);
        return 0;
    }
}
