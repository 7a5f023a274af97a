package org.kernels4j.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Classifier;
import org.kernels4j.model.Model;
import org.kernels4j.model.ModelCodec;
import org.kernels4j.model.ModelCodecs;
import org.kernels4j.model.ModelState;

/**
 * Model files of kind {@code calibrated}. Fields: {@code classes}, {@code method} (sigmoid or
 * isotonic), {@code scores} (decision, decision_one_vs_one, similarity or probability),
 * {@code orientation} (±1), {@code folds}, {@code seed}; for sigmoid {@code sigmoid_a} and
 * {@code sigmoid_b} (one per calibrator), for isotonic one array {@code isotonic_k} per calibrator
 * k (2×L: thresholds, then values). The base model's state is embedded: {@code base.kind} names its
 * kind, and each of its fields and arrays is stored under {@code base.} + its name, so any
 * classifier with a codec (a calibrated one too) can be the base.
 */
public final class CalibratedClassifierCodec extends ModelCodec<CalibratedClassifierModel> {
    /** The kind written into files. */
    public static final String KIND = "calibrated";
    private static final String BASE = "base.";

    /** The codec (registered with ServiceLoader). */
    public CalibratedClassifierCodec() {
        super(KIND, CalibratedClassifierModel.class);
    }

    @Override
    public ModelState encode(CalibratedClassifierModel m) {
        ModelState base = ModelCodecs.encode(m.base());
        ModelState.Builder b = ModelState.builder(KIND)
                .put("classes", m.classes())
                .put("method", m.method().label())
                .put("scores", m.scores().name().toLowerCase(java.util.Locale.ROOT))
                .put("orientation", m.orientation())
                .put("folds", (long) m.folds())
                .put("seed", m.seed());
        List<Calibrator> cs = m.calibrators();
        if (m.method() == CalibratedClassifier.Method.SIGMOID) {
            double[] a = new double[cs.size()];
            double[] bb = new double[cs.size()];
            for (int k = 0; k < cs.size(); k++) {
                a[k] = ((SigmoidCalibrator) cs.get(k)).a();
                bb[k] = ((SigmoidCalibrator) cs.get(k)).b();
            }
            b.put("sigmoid_a", a).put("sigmoid_b", bb);
        } else {
            for (int k = 0; k < cs.size(); k++) {
                IsotonicCalibrator c = (IsotonicCalibrator) cs.get(k);
                double[] t = c.thresholds();
                double[] v = c.values();
                Matrix pts = new Matrix(2, t.length);
                for (int i = 0; i < t.length; i++) {
                    pts.set(0, i, t[i]);
                    pts.set(1, i, v[i]);
                }
                b.array("isotonic_" + k, pts);
            }
        }
        b.put(BASE + "kind", base.kind());
        for (Map.Entry<String, Object> e : base.fields().entrySet()) {
            putAny(b, BASE + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Matrix> e : base.arrays().entrySet()) {
            b.array(BASE + e.getKey(), e.getValue());
        }
        return b.build();
    }

    @SuppressWarnings("unchecked")
    private static void putAny(ModelState.Builder b, String name, Object v) {
        if (v instanceof String s) {
            b.put(name, s);
        } else if (v instanceof Boolean f) {
            b.put(name, f);
        } else if (v instanceof Long l) {
            b.put(name, l);
        } else if (v instanceof Integer i) {
            b.put(name, (long) i);
        } else if (v instanceof Number d) {
            b.put(name, d.doubleValue());
        } else if (v instanceof double[] a) {
            b.put(name, a);
        } else if (v instanceof List<?> l) {
            b.put(name, (List<String>) l);
        } else {
            throw new Kernels4jException("cannot embed field '" + name + "' of type " + v.getClass().getSimpleName());
        }
    }

    @Override
    public CalibratedClassifierModel decode(ModelState s) {
        double[] classes = s.numbers("classes", -1);
        if (classes.length < 2) {
            throw new Kernels4jException("field 'classes' must list at least two classes");
        }
        CalibratedClassifier.Method method = s.choice("method", CalibratedClassifier.Method.class);
        Scores source = s.choice("scores", Scores.class);
        double orientation = s.number("orientation");
        int folds = s.integer("folds", 2, Integer.MAX_VALUE);
        long seed = (long) s.number("seed");
        String baseKind = s.text(BASE + "kind");
        Map<String, Object> fields = new LinkedHashMap<>();
        s.fields().forEach((k, v) -> {
            if (k.startsWith(BASE) && !k.equals(BASE + "kind")) {
                fields.put(k.substring(BASE.length()), v);
            }
        });
        Map<String, Matrix> arrays = new LinkedHashMap<>();
        s.arrays().forEach((k, v) -> {
            if (k.startsWith(BASE)) {
                arrays.put(k.substring(BASE.length()), v);
            }
        });
        Model base;
        try {
            base = ModelCodecs.decode(ModelState.of(baseKind, fields, arrays));
        } catch (Kernels4jException e) {
            throw new Kernels4jException("base model: " + e.getMessage());
        }
        if (!(base instanceof Classifier c)) {
            throw new Kernels4jException("base model of kind '" + baseKind + "' is not a classifier");
        }
        if (!Arrays.equals(c.classes(), classes)) {
            throw new Kernels4jException("field 'classes' " + Arrays.toString(classes) + " disagrees with the base model's "
                    + Arrays.toString(c.classes()));
        }
        if (Scores.of(c) != source) {
            throw new Kernels4jException("field 'scores' is " + source + " but the base model gives " + Scores.of(c));
        }
        int k = classes.length == 2 ? 1 : classes.length;
        List<Calibrator> cs = new ArrayList<>();
        if (method == CalibratedClassifier.Method.SIGMOID) {
            double[] a = s.numbers("sigmoid_a", k);
            double[] b = s.numbers("sigmoid_b", k);
            for (int i = 0; i < k; i++) {
                cs.add(new SigmoidCalibrator(a[i], b[i]));
            }
        } else {
            for (int i = 0; i < k; i++) {
                Matrix pts = s.matrix("isotonic_" + i, 2, -1);
                cs.add(new IsotonicCalibrator(pts.row(0), pts.row(1)));
            }
        }
        return new CalibratedClassifierModel(c, classes, source, orientation, method, cs, folds, seed);
    }
}
