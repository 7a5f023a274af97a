package org.kernels4j.io.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A float64 ONNX graph under construction: nodes in topological order (each added after its
 * inputs), constant tensors as initializers, one batch input and named outputs; {@link #toModel}
 * writes the {@code ModelProto}. Every value is a tensor of doubles unless an operator makes
 * otherwise (ArgMax's int64, comparisons' bool). Only operators of the default {@code ai.onnx}
 * domain are used, at {@link #OPSET}, where ReduceSum/ReduceSumSquare take their axes as an input.
 *
 * <p>Field numbers (onnx.proto, IR version 10) are the constants below, prefixed by message.
 */
final class OnnxGraph {
    /** ONNX IR version written: 10 (ONNX 1.16), which ONNX Runtime 1.22 reads. */
    static final long IR_VERSION = 10;
    /** The {@code ai.onnx} operator set: 21 (ONNX 1.16), supported by ONNX Runtime from 1.18 on. */
    static final long OPSET = 21;

    // ModelProto
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_PRODUCER_VERSION = 3;
    private static final int MODEL_DOMAIN = 4;
    private static final int MODEL_DOC_STRING = 6;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int MODEL_METADATA_PROPS = 14;
    // OperatorSetIdProto
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    // StringStringEntryProto
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    // GraphProto
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    // NodeProto
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    // AttributeProto and its AttributeType values
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_INT = 2;
    private static final int ATTRIBUTE_TYPE_TENSOR = 4;
    // ValueInfoProto, TypeProto, TypeProto.Tensor, TensorShapeProto, TensorShapeProto.Dimension
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int VALUE_INFO_DOC_STRING = 3;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    private static final int TENSOR_TYPE_SHAPE = 2;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;
    private static final int DIM_PARAM = 2;
    // TensorProto and its DataType values
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int DATA_TYPE_INT64 = 7;
    private static final int DATA_TYPE_DOUBLE = 11;

    /** The symbolic batch dimension of inputs and outputs. */
    static final String BATCH = "N";

    private final List<Proto> nodes = new ArrayList<>();
    private final Map<String, Proto> initializers = new LinkedHashMap<>();
    private final java.util.Set<String> used = new java.util.HashSet<>();
    private final List<Proto> inputs = new ArrayList<>();
    private final List<Proto> outputs = new ArrayList<>();
    private final Map<String, Integer> outputColumns = new LinkedHashMap<>();
    private final Map<Double, String> scalars = new HashMap<>();
    private final Map<String, String> indices = new HashMap<>();
    private int next;
    private long constantBytes;
    /** Protobuf messages are limited to 2 GB; leave room for the graph around the constants. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - (64L << 20);

    /** A node attribute: an int64, or a tensor. */
    record Attribute(String name, long value, Proto tensor) {
        static Attribute of(String name, long value) {
            return new Attribute(name, value, null);
        }

        Proto encode() {
            Proto a = new Proto().string(ATTRIBUTE_NAME, name);
            if (tensor != null) {
                return a.message(ATTRIBUTE_T, tensor).int64(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_TENSOR);
            }
            return a.int64(ATTRIBUTE_I, value).int64(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
        }
    }

    private String fresh(String hint) {
        return hint + "_" + next++;
    }

    /** Declares a graph input of doubles, shape [N, cols]. */
    String input(String name, long cols, String doc) {
        inputs.add(valueInfo(name, cols, doc));
        return name;
    }

    /** Declares the graph output {@code name} [N, cols] with the value of {@code value}. */
    void output(String name, String value, long cols, String doc) {
        op("Identity", List.of(), List.of(value), name);
        outputs.add(valueInfo(name, cols, doc));
        outputColumns.put(name, (int) cols);
    }

    /** The outputs declared so far: name and columns. */
    Map<String, Integer> outputs() {
        return outputColumns;
    }

    private static Proto valueInfo(String name, long cols, String doc) {
        Proto shape = new Proto().message(SHAPE_DIM, new Proto().string(DIM_PARAM, BATCH))
                .message(SHAPE_DIM, new Proto().int64(DIM_VALUE, cols));
        Proto tensor = new Proto().int64(TENSOR_TYPE_ELEM_TYPE, DATA_TYPE_DOUBLE).message(TENSOR_TYPE_SHAPE, shape);
        return new Proto().string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new Proto().message(TYPE_TENSOR_TYPE, tensor))
                .string(VALUE_INFO_DOC_STRING, doc);
    }

    /** A constant tensor of doubles (row-major {@code values}, shape {@code dims}). */
    String constant(String hint, double[] values, long... dims) {
        constantBytes += 8L * values.length;
        if (constantBytes > MAX_BYTES) {
            throw new org.kernels4j.Kernels4jException("the model's arrays exceed the 2 GB that one ONNX file can hold "
                    + "(a protobuf limit); export a smaller model (fewer support vectors, centres or training rows)");
        }
        String name = fresh(hint);
        initializers.put(name, tensor(name, DATA_TYPE_DOUBLE, Proto.littleEndian(values), dims));
        return name;
    }

    /** A constant scalar (shape [], broadcast against anything); equal values share one initializer. */
    String scalar(double value) {
        return scalars.computeIfAbsent(value, v -> constant("c", new double[] {v}));
    }

    /** A constant 1-D int64 tensor (axes, indices, shapes); equal ones share one initializer. */
    String int64s(long... values) {
        return indices.computeIfAbsent(java.util.Arrays.toString(values), k -> {
            String name = fresh("i");
            initializers.put(name, tensor(name, DATA_TYPE_INT64, Proto.littleEndian(values), values.length));
            return name;
        });
    }

    /** A tensor attribute holding one double (ConstantOfShape's value). */
    static Attribute doubleTensor(String name, double value) {
        return new Attribute(name, 0, tensor(null, DATA_TYPE_DOUBLE, Proto.littleEndian(new double[] {value}), 1));
    }

    private static Proto tensor(String name, int type, byte[] raw, long... dims) {
        Proto t = new Proto();
        for (long d : dims) {
            t.int64(TENSOR_DIMS, d);
        }
        t.int64(TENSOR_DATA_TYPE, type);
        if (name != null) {
            t.string(TENSOR_NAME, name);
        }
        return t.bytes(TENSOR_RAW_DATA, raw);
    }

    /** Adds a node with one output and returns the output's name. */
    String op(String type, String... in) {
        return op(type, List.of(), in);
    }

    /** Adds a node with attributes and one output; returns the output's name. */
    String op(String type, List<Attribute> attributes, String... in) {
        String out = fresh(type.toLowerCase(java.util.Locale.ROOT));
        op(type, attributes, List.of(in), out);
        return out;
    }

    private void op(String type, List<Attribute> attributes, List<String> in, String out) {
        Proto n = new Proto();
        for (String i : in) {
            n.string(NODE_INPUT, i);
            used.add(i);
        }
        n.string(NODE_OUTPUT, out).string(NODE_NAME, "n" + nodes.size()).string(NODE_OP_TYPE, type);
        for (Attribute a : attributes) {
            n.message(NODE_ATTRIBUTE, a.encode());
        }
        nodes.add(n);
    }

    // ------------------------------------------------------------------ element-wise shorthands

    String add(String a, String b) {
        return op("Add", a, b);
    }

    String sub(String a, String b) {
        return op("Sub", a, b);
    }

    String mul(String a, String b) {
        return op("Mul", a, b);
    }

    String div(String a, String b) {
        return op("Div", a, b);
    }

    String mul(String a, double c) {
        return mul(a, scalar(c));
    }

    String add(String a, double c) {
        return add(a, scalar(c));
    }

    String sqrt(String a) {
        return op("Sqrt", a);
    }

    String exp(String a) {
        return op("Exp", a);
    }

    String abs(String a) {
        return op("Abs", a);
    }

    String neg(String a) {
        return op("Neg", a);
    }

    String max(String a, String b) {
        return op("Max", a, b);
    }

    String min(String a, String b) {
        return op("Min", a, b);
    }

    String where(String condition, String ifTrue, String ifFalse) {
        return op("Where", condition, ifTrue, ifFalse);
    }

    String greater(String a, String b) {
        return op("Greater", a, b);
    }

    String less(String a, String b) {
        return op("Less", a, b);
    }

    String matmul(String a, String b) {
        return op("MatMul", a, b);
    }

    /** Sum over axis 1, kept as a column: [N, m] → [N, 1]. */
    String rowSum(String a) {
        return op("ReduceSum", List.of(Attribute.of("keepdims", 1)), a, int64s(1));
    }

    /** Sum of squares over axis 1, kept: [N, m] → [N, 1]. */
    String rowSumOfSquares(String a) {
        return op("ReduceSumSquare", List.of(Attribute.of("keepdims", 1)), a, int64s(1));
    }

    /** Columns {@code index} of a [N, m] tensor as [N, 1]. */
    String column(String a, int index) {
        return op("Gather", List.of(Attribute.of("axis", 1)), a, int64s(index));
    }

    /** Concatenation along axis 1. */
    String concatColumns(String... parts) {
        return parts.length == 1 ? parts[0] : op("Concat", List.of(Attribute.of("axis", 1)), parts);
    }

    /** Zeros of shape [N, cols], N taken from {@code like}'s first dimension. */
    String zeros(String like, long cols) {
        String n = op("Shape", List.of(Attribute.of("start", 0), Attribute.of("end", 1)), like);
        String shape = op("Concat", List.of(Attribute.of("axis", 0)), n, int64s(cols));
        return op("ConstantOfShape", List.of(doubleTensor("value", 0.0)), shape);
    }

    /** The serialized {@code ModelProto}. */
    byte[] toModel(String graphName, String doc, String producerVersion, Map<String, String> metadata) {
        Proto graph = new Proto();
        nodes.forEach(n -> graph.message(GRAPH_NODE, n));
        graph.string(GRAPH_NAME, graphName);
        // constants prepared but read by no node (a layer's variances that an activation's dual ignores) are left out
        initializers.forEach((name, t) -> {
            if (used.contains(name)) {
                graph.message(GRAPH_INITIALIZER, t);
            }
        });
        inputs.forEach(i -> graph.message(GRAPH_INPUT, i));
        outputs.forEach(o -> graph.message(GRAPH_OUTPUT, o));
        Proto model = new Proto().int64(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "kernels4j")
                .string(MODEL_PRODUCER_VERSION, producerVersion)
                .string(MODEL_DOMAIN, "org.kernels4j")
                .string(MODEL_DOC_STRING, doc)
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, new Proto().string(OPSET_DOMAIN, "").int64(OPSET_VERSION, OPSET));
        for (Map.Entry<String, String> e : new LinkedHashMap<>(metadata).entrySet()) {
            model.message(MODEL_METADATA_PROPS,
                    new Proto().string(ENTRY_KEY, e.getKey()).string(ENTRY_VALUE, e.getValue()));
        }
        return model.toBytes();
    }

    /** Number of nodes so far. */
    int nodeCount() {
        return nodes.size();
    }
}
