package org.kernels4j.io.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.DoubleBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.kernels4j.linalg.Matrix;

/** Runs an exported graph with ONNX Runtime's CPU provider (test scope only). */
final class Ort {
    private Ort() {
    }

    /** Every output of {@code model} for the input rows {@code x}, by name, as matrices [N, cols]. */
    static Map<String, Matrix> run(byte[] model, Matrix x) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                    OnnxTensor input = OnnxTensor.createTensor(env, DoubleBuffer.wrap(x.data()),
                            new long[] {x.rows(), x.cols()});
                    OrtSession.Result result = session.run(Map.of(OnnxExport.INPUT, input))) {
                Map<String, Matrix> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    OnnxTensor t = (OnnxTensor) e.getValue();
                    long[] shape = t.getInfo().getShape();
                    DoubleBuffer b = t.getDoubleBuffer();
                    double[] v = new double[b.remaining()];
                    b.get(v);
                    out.put(e.getKey(), Matrix.wrap((int) shape[0], shape.length > 1 ? (int) shape[1] : 1, v));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }

    /** The model's custom metadata, as ONNX Runtime reads it, with "producer" added. */
    static Map<String, String> metadata(byte[] model) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            Map<String, String> out = new LinkedHashMap<>(session.getMetadata().getCustomMetadata());
            out.put("producer", session.getMetadata().getProducerName());
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
        }
    }
}
