package org.kernels4j.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kernels4j.io.AtomicFiles;
import org.kernels4j.io.ModelFiles;
import org.kernels4j.io.SavedModel;
import org.kernels4j.io.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "export-onnx", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a model file to ONNX, in float64, for ONNX Runtime or any runtime of the standard "
                + "operators (IR version " + OnnxExport.IR_VERSION + ", opset " + OnnxExport.OPSET + ").",
            "Kinds: krr (also its Nystrom form), gp and sgpr (the predictive mean), ntk (the ensemble mean), "
                + "svm (labels, decision values, probabilities), "
                + "private-kernel-sum and private-similarity (random features). Kernels: rbf, "
                + "laplacian, matern, rq, linear, poly, sigmoid, cosine, periodic, constant, white, arccos, "
                + "nngp/ntk with a closed-form activation, and their sums, products and multiples.",
            "The graph's input is 'x' [N, d]; its outputs are 'prediction' and, for SVMs, 'decision_values' and "
                + "'probabilities' (see docs/onnx.md)."})
final class ExportOnnxCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "MODEL.zip", description = "Model file from 'fit'.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "MODEL.onnx", description = "ONNX file to write.")
    Path out;

    @Override
    public Integer call() {
        AtomicFiles.checkWritable(out, model);
        SavedModel saved = ModelFiles.load(model);
        OnnxExport.Summary s = OnnxExport.write(saved, out);
        var pw = spec.commandLine().getOut();
        pw.printf("wrote %s: ONNX IR %d, opset %d, %d nodes, %,d bytes%n", out, OnnxExport.IR_VERSION, OnnxExport.OPSET,
                s.nodes(), s.bytes());
        pw.printf("input:  %s [N, %d] float64 (%s)%n", OnnxExport.INPUT, s.features(),
                String.join(", ", saved.featureNames()));
        for (Map.Entry<String, Integer> o : s.outputs().entrySet()) {
            pw.printf("output: %s [N, %d] float64%n", o.getKey(), o.getValue());
        }
        pw.flush();
        return 0;
    }
}
