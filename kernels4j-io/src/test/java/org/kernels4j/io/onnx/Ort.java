package org.kernels4j.io.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.nio.DoubleBuffer;
import java.util.List;
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

    /**
     * {ir_version, opset version of the default domain} read from the ModelProto bytes with protobuf's
     * wire-format reader (fields 1 and 8 of onnx.proto's ModelProto; OperatorSetIdProto's version is field 2).
     */
    static List<Long> versions(byte[] model) {
        try {
            CodedInputStream in = CodedInputStream.newInstance(model);
            long ir = -1;
            long opset = -1;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (WireFormat.getTagFieldNumber(tag) == 1) {
                    ir = in.readInt64();
                } else if (WireFormat.getTagFieldNumber(tag) == 8) {
                    CodedInputStream set = CodedInputStream.newInstance(in.readByteArray());
                    for (int t = set.readTag(); t != 0; t = set.readTag()) {
                        if (WireFormat.getTagFieldNumber(t) == 2) {
                            opset = set.readInt64();
                        } else {
                            set.skipField(t);
                        }
                    }
                } else {
                    in.skipField(tag);
                }
            }
            return List.of(ir, opset);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
