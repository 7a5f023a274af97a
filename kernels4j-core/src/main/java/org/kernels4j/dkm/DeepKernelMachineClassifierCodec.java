package org.kernels4j.dkm;

import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code dkm-classifier}: every field and array of the {@code dkm} kind (the one-hot
 * regression model, {@link DeepKernelMachineCodec}) plus {@code classes}, the c labels ascending, one per
 * column of {@code train_y}.
 */
public final class DeepKernelMachineClassifierCodec extends ModelCodec<DeepKernelMachineClassifierModel> {
    /** The kind written into files. */
    public static final String KIND = "dkm-classifier";
    private static final DeepKernelMachineCodec REGRESSION = new DeepKernelMachineCodec();

    /** The codec (registered with ServiceLoader). */
    public DeepKernelMachineClassifierCodec() {
        super(KIND, DeepKernelMachineClassifierModel.class);
    }

    @Override
    public ModelState encode(DeepKernelMachineClassifierModel m) {
        ModelState inner = REGRESSION.encode(m.regression());
        Map<String, Object> fields = new java.util.LinkedHashMap<>(inner.fields());
        fields.put("classes", m.classes());
        return ModelState.of(KIND, fields, inner.arrays());
    }

    @Override
    public DeepKernelMachineClassifierModel decode(ModelState s) {
        DeepKernelMachineModel regression = REGRESSION.decode(s);
        int c = regression.trainingTargets().cols();
        if (c < 2) {
            throw new Kernels4jException("train_y must have one column per class (at least two), got " + c);
        }
        return new DeepKernelMachineClassifierModel(regression, s.numbers("classes", c));
    }
}
