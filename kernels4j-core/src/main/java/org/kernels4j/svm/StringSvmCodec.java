package org.kernels4j.svm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.string.StringKernel;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code string-svm}: the string kernel spec, the support-vector texts and the
 * text column's name as fields, and the precomputed-kernel SVM's own state ({@link SvmCodec}) under the prefix {@code svm.}.
 */
public final class StringSvmCodec extends ModelCodec<StringSvmModel> {
    /** The kind written into files. */
    public static final String KIND = "string-svm";
    private static final String SVM = "svm.";

    /** The codec (registered with ServiceLoader). */
    public StringSvmCodec() {
        super(KIND, StringSvmModel.class);
    }

    @Override
    public ModelState encode(StringSvmModel m) {
        ModelState inner = new SvmCodec().encode(m.svm());
        ModelState.Builder b = ModelState.builder(KIND)
                .put("string_kernel", m.kernel().toSpec())
                .put("support_texts", m.supportTexts())
                .put("text_column", m.textColumn());
        inner.fields().forEach((k, v) -> putField(b, SVM + k, v));
        inner.arrays().forEach((k, v) -> b.array(SVM + k, v));
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static void putField(ModelState.Builder b, String key, Object v) {
        if (v instanceof String s) {
            b.put(key, s);
        } else if (v instanceof Double d) {
            b.put(key, d.doubleValue());
        } else if (v instanceof Long l) {
            b.put(key, l.longValue());
        } else if (v instanceof Boolean f) {
            b.put(key, f.booleanValue());
        } else if (v instanceof double[] a) {
            b.put(key, a);
        } else {
            b.put(key, (List<String>) v);
        }
    }

    @Override
    public StringSvmModel decode(ModelState s) {
        StringKernel kernel;
        try {
            kernel = StringKernel.parse(s.text("string_kernel"));
        } catch (Kernels4jException e) {
            throw new Kernels4jException("string_kernel: " + e.getMessage());
        }
        Object texts = s.fields().get("support_texts");
        if (!(texts instanceof List<?> list) || list.stream().anyMatch(t -> !(t instanceof String))) {
            throw new Kernels4jException("support_texts must be a list of texts");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        s.fields().forEach((k, v) -> {
            if (k.startsWith(SVM)) {
                fields.put(k.substring(SVM.length()), v);
            }
        });
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        s.arrays().forEach((k, v) -> {
            if (k.startsWith(SVM)) {
                arrays.put(k.substring(SVM.length()), v);
            }
        });
        SvmModel svm;
        try {
            svm = new SvmCodec().decode(ModelState.of(SvmCodec.KIND, fields, arrays));
        } catch (Kernels4jException e) {
            throw new Kernels4jException("svm: " + e.getMessage());
        }
        @SuppressWarnings("unchecked")
        List<String> strings = (List<String>) list;
        return new StringSvmModel(kernel, strings, svm, s.text("text_column"));
    }
}
