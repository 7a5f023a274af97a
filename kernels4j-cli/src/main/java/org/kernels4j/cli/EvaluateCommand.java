package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.learn.RegressionMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate a saved model on labelled data; prints one 'metric: value' line per metric.",
            "Regression metrics: rmse, mae, r2 (and n, the number of rows)."})
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "Model file from 'fit'.")
    Path model;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Labelled data (.csv or .libsvm).")
    Path data;

    @Mixin
    DataOptionsMixin options;

    @Override
    public Integer call() {
        SavedModel saved = ModelFiles.load(model);
        Dataset ds = ModelData.read(options.options, data, saved, true);
        RegressionMetrics m = RegressionMetrics.of(ds.target(), saved.model().predict(ds.features()));
        var out = spec.commandLine().getOut();
        out.printf("n: %d%n", ds.rows());
        out.printf("rmse: %s%n", m.rmse());
        out.printf("mae: %s%n", m.mae());
        out.printf("r2: %s%n", m.r2());
        return 0;
    }
}
