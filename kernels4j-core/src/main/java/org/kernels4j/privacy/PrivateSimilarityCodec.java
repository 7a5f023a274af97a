package org.kernels4j.privacy;

import java.util.ArrayList;
import java.util.List;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code private-similarity}: the classes, and per class c the released
 * structure's fields and arrays under the prefix {@code class<c>.} (as in
 * {@link PrivateKernelSumCodec}). No private row is written.
 */
public final class PrivateSimilarityCodec extends ModelCodec<PrivateSimilarityClassifier> {
    /** The kind written into files. */
    public static final String KIND = "private-similarity";

    /** The codec (registered with ServiceLoader). */
    public PrivateSimilarityCodec() {
        super(KIND, PrivateSimilarityClassifier.class);
    }

    @Override
    public ModelState encode(PrivateSimilarityClassifier m) {
        ModelState.Builder s = ModelState.builder(KIND).put("classes", m.classes());
        List<PrivateKernelSum> parts = m.structures();
        for (int c = 0; c < parts.size(); c++) {
            PrivateKernelSumCodec.put(s, parts.get(c), "class" + c + ".");
        }
        return s.build();
    }

    @Override
    public PrivateSimilarityClassifier decode(ModelState s) {
        double[] classes = s.numbers("classes", -1);
        List<PrivateKernelSum> parts = new ArrayList<>();
        for (int c = 0; c < classes.length; c++) {
            parts.add(PrivateKernelSumCodec.get(s, "class" + c + "."));
        }
        return new PrivateSimilarityClassifier(classes, List.copyOf(parts));
    }
}
