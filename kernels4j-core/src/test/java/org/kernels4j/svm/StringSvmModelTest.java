package org.kernels4j.svm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.kernel.string.StringKernel;
import org.kernels4j.linalg.Matrix;

/** The string-kernel SVM: equal to the precomputed-kernel SVM fed the full cross matrix, and it learns a motif. */
class StringSvmModelTest {
    /** Random DNA; class 1 texts carry the motif GATTACA at a random place. */
    private static List<String> dna(int n, long seed, Matrix labels) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder b = new StringBuilder();
            for (int p = 0; p < 40; p++) {
                b.append("ACGT".charAt(r.nextInt(4)));
            }
            boolean motif = i % 2 == 0;
            if (motif) {
                int at = r.nextInt(33);
                b.replace(at, at + 7, "GATTACA");
            }
            labels.set(i, 0, motif ? 1 : 0);
            out.add(b.toString());
        }
        return out;
    }

    @Test
    void predictionsEqualThePrecomputedSvmOnTheFullCrossMatrixAndFindTheMotif() {
        Matrix y = new Matrix(60, 1);
        List<String> train = dna(60, 1, y);
        Matrix yt = new Matrix(40, 1);
        List<String> test = dna(40, 2, yt);
        StringKernel k = StringKernel.parse("spectrum(k=4)");
        StringSvmModel m = StringSvmModel.fit(SupportVectorMachine.classifier().c(10).build(), k, train, y);
        assertTrue(m.supportTexts().size() < train.size(), "only support texts are kept");
        SvmModel direct = SupportVectorMachine.classifier().c(10).build().fitPrecomputed(k.gram(train), y);
        Matrix full = k.cross(test, train);
        assertEquals(0.0, m.decisionValuesOfTexts(test).maxAbsDifference(direct.decisionValues(full)), 1e-12);
        assertEquals(0.0, m.predictTexts(test).maxAbsDifference(direct.predict(full)), 0);
        int right = 0;
        Matrix p = m.predictTexts(test);
        for (int i = 0; i < test.size(); i++) {
            right += p.get(i, 0) == yt.get(i, 0) ? 1 : 0;
        }
        assertTrue(right >= 36, right + " of 40 right"); // the motif is 4 of the 4-mers in 37; chance is 20
    }

    @Test
    void badInputIsRefused() {
        Matrix y = new Matrix(10, 1);
        List<String> train = dna(10, 3, y);
        Kernels4jException e = assertThrows(Kernels4jException.class, () -> StringSvmModel.fit(
                SupportVectorMachine.classifier().build(), StringKernel.spectrum(3), train, new Matrix(9, 1)));
        assertTrue(e.getMessage().contains("10 texts but 9 targets"), e.getMessage());
        StringSvmModel m = StringSvmModel.fit(SupportVectorMachine.classifier().build(),
                StringKernel.mismatch(3, 1, "ACGT"), train, y);
        e = assertThrows(Kernels4jException.class, () -> m.predictTexts(List.of("ACGU")));
        assertTrue(e.getMessage().contains("'U' at position 3, which is not in the alphabet ACGT"), e.getMessage());
    }

    @Test
    void modelFileRoundTripAndAccessors() {
        Matrix y = new Matrix(30, 1);
        List<String> train = dna(30, 4, y);
        Matrix yt = new Matrix(6, 1);
        List<String> test = dna(6, 5, yt);
        StringKernel k = StringKernel.spectrum(3);
        StringSvmModel m = StringSvmModel.fit(SupportVectorMachine.classifier().probability(true).build(), k, train, y)
                .withTextColumn("sequence");
        assertEquals("sequence", m.textColumn());
        assertEquals(k, m.kernel());
        int[] idx = m.svm().supportIndices();
        assertEquals(idx.length, m.supportTexts().size());
        for (int s = 0; s < idx.length; s++) {
            assertEquals(train.get(idx[s]), m.supportTexts().get(s));
        }
        Matrix kv = m.kernelValues(test);
        assertEquals(0.0, m.predict(kv).maxAbsDifference(m.predictTexts(test)), 0);
        assertEquals(0.0, m.decisionValues(kv).maxAbsDifference(m.decisionValuesOfTexts(test)), 0);
        assertEquals(0.0, m.probabilities(kv).maxAbsDifference(m.probabilitiesOfTexts(test)), 0);
        assertTrue(m.hasProbabilities());
        assertEquals(2, m.classes().length);
        assertEquals(30, m.features());
        assertEquals(m.svm().report().toString(), m.report().toString());
        Matrix prob = m.probabilitiesOfTexts(test);
        for (int i = 0; i < 6; i++) {
            assertEquals(1.0, prob.get(i, 0) + prob.get(i, 1), 1e-12);
        }
        StringSvmModel back = new StringSvmCodec().decode(new StringSvmCodec().encode(m));
        assertEquals(m.supportTexts(), back.supportTexts());
        assertEquals("sequence", back.textColumn());
        assertEquals(0.0, back.probabilitiesOfTexts(test).maxAbsDifference(prob), 0);
        assertEquals(0.0, back.decisionValuesOfTexts(test).maxAbsDifference(m.decisionValuesOfTexts(test)), 0);
        StringSvmModel plain = StringSvmModel.fit(SupportVectorMachine.classifier().build(), k, train, y);
        assertTrue(!plain.hasProbabilities());
    }
}
