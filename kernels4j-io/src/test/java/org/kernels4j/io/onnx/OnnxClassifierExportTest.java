package org.kernels4j.io.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kernels4j.io.onnx.OnnxExportTest.assertClose;
import static org.kernels4j.io.onnx.OnnxExportTest.data;
import static org.kernels4j.io.onnx.OnnxExportTest.export;
import static org.kernels4j.io.onnx.OnnxExportTest.rows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kernels4j.io.Dataset;
import org.kernels4j.io.SavedModel;
import org.kernels4j.model.ClassLabels;
import org.kernels4j.kernel.KernelSpec;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.model.Model;
import org.kernels4j.privacy.PrivateKernelSum;
import org.kernels4j.privacy.PrivateSimilarityClassifier;
import org.kernels4j.svm.SupportVectorMachine;
import org.kernels4j.svm.SvmModel;

/**
 * SVMs (labels, decision values, probabilities) and random-feature models exported and run by ONNX
 * Runtime against kernels4j on the bundled data: labels exactly, decision values and scores to 1e-10
 * relative, probabilities to 1e-10 absolute.
 */
class OnnxClassifierExportTest {
    private static void assertAbsolute(Matrix java, Matrix onnx, double tolerance, String what) {
        assertEquals(java.rows(), onnx.rows(), what);
        assertEquals(java.cols(), onnx.cols(), what);
        double worst = java.maxAbsDifference(onnx);
        assertTrue(worst <= tolerance, what + ": largest difference " + worst);
    }

    /** Every output of an SVM's graph against the model's own methods, on all rows of {@code ds}. */
    private static Map<String, Matrix> checkSvm(SvmModel m, Dataset ds, String what) {
        Map<String, Matrix> out = Ort.run(export(m, ds), ds.features());
        assertClose(m.decisionValues(ds.features()), out.get("decision_values"), what + " decision values");
        Matrix labels = m.predict(ds.features());
        if (m.type() == SvmModel.Type.EPSILON_SVR) {
            assertClose(labels, out.get("prediction"), what + " prediction");
        } else {
            assertArrayEquals(labels.data(), out.get("prediction").data(), what + " labels");
        }
        if (m.hasProbabilities()) {
            Matrix p = out.get("probabilities");
            assertAbsolute(m.probabilities(ds.features()), p, 1e-10, what + " probabilities");
        } else {
            assertTrue(!out.containsKey("probabilities"), what + ": no probabilities without Platt sigmoids");
        }
        return out;
    }

    @Test
    void twoClassSvmWithPlattProbabilities() {
        Dataset ds = data("breast_cancer.csv");
        SvmModel m = SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=0.02)")).c(2).probability(true).seed(5)
                .build().fit(rows(ds.features(), 400), rows(ds.target(), 400));
        Map<String, Matrix> out = checkSvm(m, ds, "breast cancer");
        assertEquals(List.of("decision_values", "prediction", "probabilities"), List.copyOf(out.keySet()));
        assertEquals(2, out.get("probabilities").cols());
        byte[] named = OnnxExport.toBytes(new SavedModel(m, ds.featureNames(), "diagnosis",
                ClassLabels.inOrder(List.of("malignant", "benign"))));
        Map<String, String> meta = Ort.metadata(named);
        assertEquals("kernels4j", meta.get("producer"));
        assertEquals("svm", meta.get("kernels4j.kind"));
        assertEquals("rbf(gamma=0.02)", meta.get("kernels4j.kernel"));
        assertEquals("[\"malignant\",\"benign\"]", meta.get("kernels4j.class_names"));
        assertEquals("diagnosis", meta.get("kernels4j.target_name"));
        assertEquals(List.of(10L, 21L), Ort.versions(named), "IR version and opset pinned");
        assertTrue(meta.get("kernels4j.feature_names").startsWith("[\"mean radius\",\"mean texture\","),
                meta.get("kernels4j.feature_names"));
    }

    @Test
    void multiClassOneVsOneWithPairwiseCoupling() {
        Dataset iris = data("iris.csv");
        SvmModel m = SupportVectorMachine.classifier(KernelSpec.parse("ntk(depth=2, activation=relu, w_var=2, b_var=0.1)"))
                .c(0.5).probability(true).seed(2).build().fit(iris.features(), iris.target());
        assertEquals(3, checkSvm(m, iris, "iris one-vs-one").get("decision_values").cols());
        Dataset digits = data("digits.csv");
        Dataset train = new Dataset(rows(digits.features(), 400), rows(digits.target(), 400), digits.featureNames(),
                digits.targetName(), digits.source());
        SvmModel ten = SupportVectorMachine.classifier(KernelSpec.parse("rbf(gamma=0.01)")).c(3).probability(true)
                .seed(4).build().fit(train.features(), train.target());
        Dataset test = new Dataset(rows(digits.features(), 700), rows(digits.target(), 700), digits.featureNames(),
                digits.targetName(), digits.source());
        assertEquals(10, checkSvm(ten, test, "digits one-vs-one").get("probabilities").cols());
    }

    @Test
    void oneVsRestRegressionOneClassAndPrecomputedSvms() {
        Dataset wine = data("wine.csv");
        SvmModel ovr = SupportVectorMachine.classifier(KernelSpec.parse("matern(nu=1.5, length=3)"))
                .multiclass(SvmModel.Multiclass.ONE_VS_REST).probability(true).seed(1).build()
                .fit(wine.features(), wine.target());
        checkSvm(ovr, wine, "wine one-vs-rest");
        SvmModel plain = SupportVectorMachine.classifier(KernelSpec.parse("poly(degree=2, gamma=0.1, coef0=1)")).build()
                .fit(wine.features(), wine.target());
        checkSvm(plain, wine, "wine one-vs-one without probabilities");
        Dataset diabetes = data("diabetes.csv");
        SvmModel svr = SupportVectorMachine.regression(KernelSpec.parse("rbf(gamma=0.1)")).c(100).epsilon(5).build()
                .fit(rows(diabetes.features(), 300), rows(diabetes.target(), 300));
        checkSvm(svr, diabetes, "epsilon-SVR");
        Dataset iris = data("iris.csv");
        SvmModel oneClass = SupportVectorMachine.oneClass(KernelSpec.parse("rbf(gamma=0.5)")).nu(0.2).build()
                .fit(rows(iris.features(), 100), new Matrix(100, 1));
        Map<String, Matrix> out = checkSvm(oneClass, iris, "one-class");
        assertTrue(java.util.Arrays.stream(out.get("prediction").data()).anyMatch(v -> v < 0), "some outliers");
        Matrix gram = org.kernels4j.gram.GramEngine.cross(KernelSpec.parse("rbf(gamma=0.3)"), iris.features(),
                rows(iris.features(), 120));
        SvmModel precomputed = SupportVectorMachine.classifier().probability(true).seed(3).build()
                .fitPrecomputed(rows(gram, 120), rows(iris.target(), 120));
        List<String> columns = java.util.stream.IntStream.range(0, 120).mapToObj(j -> "k" + j).toList();
        checkSvm(precomputed, new Dataset(gram, iris.target(), columns, iris.targetName(), iris.source()),
                "precomputed kernel");
    }

    @Test
    void randomFeatureModels() {
        Dataset iris = data("iris.csv");
        PrivateKernelSum sum = PrivateKernelSum.builder(KernelSpec.parse("rbf(gamma=0.5)")).features(200).epsilon(2)
                .frequencySeed(7).build().fit(iris.features());
        assertClose(sum.predict(iris.features()), Ort.run(export(sum, iris), iris.features()).get("prediction"),
                "private kernel sum");
        PrivateSimilarityClassifier c = PrivateKernelSum.builder(KernelSpec.parse("laplacian(gamma=0.3)"))
                .features(300).epsilon(5).frequencySeed(8).buildClassifier().fit(iris.features(), iris.target());
        Map<String, Matrix> out = Ort.run(export(c, iris), iris.features());
        assertArrayEquals(c.predict(iris.features()).data(), out.get("prediction").data(), "similarity labels");
        Matrix scores = out.get("scores");
        List<PrivateKernelSum> parts = c.structures();
        for (int k = 0; k < parts.size(); k++) {
            Matrix column = Matrix.column(scores.column(k));
            assertClose(parts.get(k).predict(iris.features()), column, "similarity score of class " + k);
        }
    }
}
