package org.kernels4j.kernel.string;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.ToDoubleBiFunction;
import org.junit.jupiter.api.Test;
import org.kernels4j.Kernels4jException;
import org.kernels4j.linalg.Matrix;
import org.kernels4j.linalg.SymmetricEigen;

/**
 * Every string kernel against its definition written out here by brute force (all pairs of substring
 * positions, all pairs of index tuples, all k-mers of Σ^k with their Hamming distances), never through
 * the kernel's own sparse vectors or dynamic programmes; normalisation, positive semi-definiteness,
 * spec round trips and the messages for bad input.
 */
class StringKernelTest {
    /** Short random strings over a 3-letter alphabet, so that long common substrings occur. */
    private static List<String> randomTexts(int n, int minLength, int maxLength, String alphabet, long seed) {
        Random r = new Random(seed);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int l = minLength + r.nextInt(maxLength - minLength + 1);
            StringBuilder b = new StringBuilder();
            for (int p = 0; p < l; p++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            out.add(b.toString());
        }
        return out;
    }

    private static final List<String> TEXTS = randomTexts(9, 5, 11, "abc", 1);
    private static final List<String> OTHERS = randomTexts(4, 5, 9, "abc", 2);

    /** Σ over pairs of start positions and lengths l of w(l)·[s[i, i+l) = t[j, j+l)]. */
    private static double substringBrute(String s, String t, java.util.function.IntToDoubleFunction w) {
        double sum = 0;
        for (int l = 1; l <= Math.min(s.length(), t.length()); l++) {
            for (int i = 0; i + l <= s.length(); i++) {
                for (int j = 0; j + l <= t.length(); j++) {
                    if (s.regionMatches(i, t, j, l)) {
                        sum += w.applyAsDouble(l);
                    }
                }
            }
        }
        return sum;
    }

    /** Lodhi's definition: every pair of increasing index k-tuples spelling the same word, λ^(spans). */
    private static double subsequenceBrute(String s, String t, int k, double lambda) {
        List<int[]> is = tuples(s.length(), k);
        List<int[]> js = tuples(t.length(), k);
        double sum = 0;
        for (int[] i : is) {
            for (int[] j : js) {
                boolean same = true;
                for (int q = 0; q < k && same; q++) {
                    same = s.charAt(i[q]) == t.charAt(j[q]);
                }
                if (same) {
                    sum += Math.pow(lambda, (i[k - 1] - i[0] + 1) + (j[k - 1] - j[0] + 1));
                }
            }
        }
        return sum;
    }

    private static List<int[]> tuples(int n, int k) {
        List<int[]> out = new ArrayList<>();
        int[] c = new int[k];
        fill(out, c, 0, 0, n);
        return out;
    }

    private static void fill(List<int[]> out, int[] c, int pos, int from, int n) {
        if (pos == c.length) {
            out.add(c.clone());
            return;
        }
        for (int v = from; v < n; v++) {
            c[pos] = v;
            fill(out, c, pos + 1, v + 1, n);
        }
    }

    /** Leslie et al.'s feature map: for every β in Σ^k, the k-mers of s within Hamming distance m. */
    private static double mismatchBrute(String s, String t, int k, int m, String alphabet) {
        double sum = 0;
        int total = (int) Math.pow(alphabet.length(), k);
        for (int code = 0; code < total; code++) {
            StringBuilder b = new StringBuilder();
            for (int q = 0, c = code; q < k; q++, c /= alphabet.length()) {
                b.append(alphabet.charAt(c % alphabet.length()));
            }
            String beta = b.toString();
            sum += (double) near(s, beta, m) * near(t, beta, m);
        }
        return sum;
    }

    private static int near(String s, String beta, int m) {
        int count = 0;
        for (int p = 0; p + beta.length() <= s.length(); p++) {
            int d = 0;
            for (int q = 0; q < beta.length(); q++) {
                d += s.charAt(p + q) == beta.charAt(q) ? 0 : 1;
            }
            count += d <= m ? 1 : 0;
        }
        return count;
    }

    private static void assertMatches(StringKernel raw, ToDoubleBiFunction<String, String> brute) {
        Matrix g = raw.normalized(false).gram(TEXTS);
        Matrix c = raw.normalized(false).cross(OTHERS, TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            for (int j = 0; j < TEXTS.size(); j++) {
                double want = brute.applyAsDouble(TEXTS.get(i), TEXTS.get(j));
                assertEquals(want, g.get(i, j), 1e-10 * Math.max(1, want), raw + " " + i + "," + j);
            }
            for (int o = 0; o < OTHERS.size(); o++) {
                double want = brute.applyAsDouble(OTHERS.get(o), TEXTS.get(i));
                assertEquals(want, c.get(o, i), 1e-10 * Math.max(1, want), raw + " cross " + o + "," + i);
            }
        }
        // normalized = raw / sqrt(diagonals), the diagonal exactly 1
        Matrix n = raw.normalized(true).cross(OTHERS, TEXTS);
        for (int o = 0; o < OTHERS.size(); o++) {
            for (int i = 0; i < TEXTS.size(); i++) {
                double want = brute.applyAsDouble(OTHERS.get(o), TEXTS.get(i))
                        / Math.sqrt(brute.applyAsDouble(OTHERS.get(o), OTHERS.get(o))
                                * brute.applyAsDouble(TEXTS.get(i), TEXTS.get(i)));
                assertEquals(want, n.get(o, i), 1e-12, raw + " normalized " + o + "," + i);
            }
        }
        Matrix gn = raw.normalized(true).gram(TEXTS);
        for (int i = 0; i < TEXTS.size(); i++) {
            assertEquals(1.0, gn.get(i, i), 1e-12);
        }
        assertEquals(gn.get(2, 5), raw.value(TEXTS.get(2), TEXTS.get(5)), 1e-12, "value() is the normalized default");
    }

    @Test
    void spectrumCountsPairsOfEqualSubstringsOfExactlyTheLength() {
        for (int k = 1; k <= 4; k++) {
            int kk = k;
            assertMatches(StringKernel.spectrum(k), (s, t) -> substringBrute(s, t, l -> l == kk ? 1 : 0));
        }
    }

    @Test
    void boundRangeCountsSubstringsUpToTheLength() {
        for (int k = 1; k <= 4; k++) {
            int kk = k;
            assertMatches(StringKernel.boundRange(k), (s, t) -> substringBrute(s, t, l -> l <= kk ? 1 : 0));
        }
    }

    @Test
    void constantAndExponentialWeighEveryCommonSubstring() {
        assertMatches(StringKernel.constant(), (s, t) -> substringBrute(s, t, l -> 1));
        assertMatches(StringKernel.exponential(1.7), (s, t) -> substringBrute(s, t, l -> Math.pow(1.7, -l)));
    }

    @Test
    void subsequenceKernelIsLodhisSumOverIndexTuples() {
        for (int k = 1; k <= 3; k++) {
            int kk = k;
            assertMatches(StringKernel.subsequence(k, 0.6), (s, t) -> subsequenceBrute(s, t, kk, 0.6));
        }
        assertMatches(StringKernel.subsequence(2, 1.0), (s, t) -> subsequenceBrute(s, t, 2, 1.0));
    }

    @Test
    void mismatchKernelIsTheInnerProductOverAllKmers() {
        for (int[] km : new int[][] {{3, 0}, {3, 1}, {4, 1}, {4, 2}}) {
            assertMatches(StringKernel.mismatch(km[0], km[1], "abc"),
                    (s, t) -> mismatchBrute(s, t, km[0], km[1], "abc"));
        }
        // with m = 0 it is the spectrum kernel
        Matrix a = StringKernel.mismatch(3, 0, "abc").gram(TEXTS);
        Matrix b = StringKernel.spectrum(3).gram(TEXTS);
        assertEquals(0.0, a.maxAbsDifference(b), 1e-12);
    }

    @Test
    void wideAlphabetsAndLongSubstringsTakeTheDictionaryPathWithTheSameValues() {
        // 70 distinct characters and length 12: 71^12 overflows 62 bits, so substrings are looked up by text
        String wide = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-*/=<>()[]";
        List<String> texts = randomTexts(5, 14, 20, wide, 7);
        texts = new ArrayList<>(texts);
        texts.add(texts.get(0).substring(1) + texts.get(1)); // long shared substrings with text 0 and 1
        for (StringKernel k : List.of(StringKernel.spectrum(12), StringKernel.boundRange(12))) {
            int len = k.length();
            boolean exact = k.type() == StringKernel.Type.SPECTRUM;
            Matrix g = k.normalized(false).gram(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < texts.size(); j++) {
                    double want = substringBrute(texts.get(i), texts.get(j), l -> (exact ? l == len : l <= len) ? 1 : 0);
                    assertEquals(want, g.get(i, j), 0, k + " " + i + "," + j);
                }
            }
        }
    }

    @Test
    void valuesWorkedByHand() {
        // 2-mers: "abab" = {ab: 2, ba: 1}, "bab" = {ba: 1, ab: 1}: 2·1 + 1·1 = 3; self-values 5 and 2
        StringKernel sp = StringKernel.spectrum(2).normalized(false);
        assertEquals(3.0, sp.value("abab", "bab"), 0);
        assertEquals(3.0 / Math.sqrt(5 * 2), StringKernel.spectrum(2).value("abab", "bab"), 1e-15);
        // constant: common substrings of "ab" and "ab" are a, b, ab: 3
        assertEquals(3.0, StringKernel.constant().normalized(false).value("ab", "ab"), 0);
        // subsequence k = 2 of "cat" and "cart" (Lodhi's paper, Table 1 style): common 2-subsequences
        // ca: λ²·λ², ct: λ³·λ⁴, at: λ²·λ³, so λ⁴ + λ⁷ + λ⁵
        double l = 0.5;
        assertEquals(Math.pow(l, 4) + Math.pow(l, 7) + Math.pow(l, 5),
                StringKernel.subsequence(2, l).normalized(false).value("cat", "cart"), 1e-15);
        // (2,1)-mismatch over {A,C}: every 2-mer is within 1 of 3 of the 4 words: "AA" vs "CC" share AC and CA
        assertEquals(2.0, StringKernel.mismatch(2, 1, "AC").normalized(false).value("AA", "CC"), 0);
    }

    @Test
    void gramMatricesArePositiveSemiDefiniteAndSymmetric() {
        List<String> many = randomTexts(40, 6, 30, "ACGT", 3);
        for (StringKernel k : List.of(StringKernel.spectrum(3), StringKernel.boundRange(3), StringKernel.constant(),
                StringKernel.exponential(1.2), StringKernel.subsequence(3, 0.7), StringKernel.mismatch(4, 1, "ACGT"),
                StringKernel.spectrum(2).normalized(false))) {
            Matrix g = k.gram(many);
            assertEquals(0.0, g.maxAbsDifference(g.transpose()), 0, k.toString());
            double min = SymmetricEigen.of(g).values()[0];
            for (double v : SymmetricEigen.of(g).values()) {
                min = Math.min(min, v);
            }
            double max = 0;
            for (double v : g.data()) {
                max = Math.max(max, Math.abs(v));
            }
            assertTrue(min >= -1e-10 * max * many.size(), k + ": smallest eigenvalue " + min);
            Matrix c = k.cross(many.subList(0, 5), many);
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < many.size(); j++) {
                    assertEquals(g.get(i, j), c.get(i, j), 1e-12 * Math.max(1, Math.abs(g.get(i, j))), k.toString());
                }
            }
        }
    }

    @Test
    void specsParseWithKernlabDefaultsAndRoundTrip() {
        StringKernel d = StringKernel.parse("spectrum()");
        assertEquals(4, d.length());
        assertTrue(d.isNormalized());
        assertEquals(1.1, StringKernel.parse("exponential").lambda(), 0);
        assertEquals(3, StringKernel.parse("spectrum(k=3)").length());
        StringKernel m = StringKernel.parse("mismatch()");
        assertEquals(5, m.length());
        assertEquals(1, m.mismatches());
        assertEquals("ACGT", m.alphabet());
        StringKernel s = StringKernel.parse("subsequence()");
        assertEquals(3, s.length());
        assertEquals(0.5, s.lambda(), 0);
        assertEquals(4, StringKernel.parse("boundrange").length());
        for (String spec : List.of("spectrum(length=3)", "boundrange(length=2, normalized=false)", "constant()",
                "exponential(lambda=1.5)", "subsequence(k=2, lambda=0.25)", "mismatch(k=4, m=2, alphabet=ACDE)",
                "constant(normalized=false)")) {
            StringKernel k = StringKernel.parse(spec);
            assertEquals(spec, k.toSpec());
            assertEquals(k, StringKernel.parse(k.toSpec()));
        }
        assertTrue(StringKernel.isStringKernelSpec("Spectrum(k=2)"));
        assertTrue(!StringKernel.isStringKernelSpec("rbf(gamma=1)"));
    }

    @Test
    void badInputIsRefusedWithOneMessage() {
        assertMessage("spectrum: text 1 is empty", () -> StringKernel.spectrum(2).gram(List.of("ab", "")));
        assertMessage("spectrum(length=5): text 0 has 3 characters, fewer than k = 5",
                () -> StringKernel.spectrum(5).gram(List.of("abc", "abcdef")));
        assertMessage("text 0 of the second list has 2 characters, fewer than k = 3",
                () -> StringKernel.subsequence(3, 0.5).cross(List.of("abc"), List.of("ab")));
        assertMessage("text 1 has 'N' at position 2, which is not in the alphabet ACGT",
                () -> StringKernel.parse("mismatch(k=3, m=1)").gram(List.of("ACGT", "ACNT")));
        assertMessage("unknown string kernel 'spectra'", () -> StringKernel.parse("spectra(k=3)"));
        assertMessage("unknown parameter 'm' for spectrum", () -> StringKernel.parse("spectrum(k=3, m=1)"));
        assertMessage("expected an integer, got 'x'", () -> StringKernel.parse("spectrum(k=x)"));
        assertMessage("lambda must be a finite number > 1, got 0.5", () -> StringKernel.parse("exponential(lambda=0.5)"));
        assertMessage("lambda must be in (0, 1], got 1.5", () -> StringKernel.subsequence(2, 1.5));
        assertMessage("m must be in [0, k - 1] = [0, 2], got 3", () -> StringKernel.mismatch(3, 3, "AC"));
        assertMessage("the alphabet repeats 'A'", () -> StringKernel.mismatch(3, 1, "ACA"));
        assertMessage("length must be an integer >= 1, got 0", () -> StringKernel.spectrum(0));
        assertMessage("no texts", () -> StringKernel.constant().gram(List.of()));
        assertMessage("constant: text 0 of the second list is empty", () -> StringKernel.constant().value("ab", null));
    }

    /** |{β ∈ Σ^k : d_H(β, x) ≤ m}| for a fixed x, by a position-by-position count of the words at each distance. */
    private static long hammingBall(int k, int m, int sigma) {
        long[] ways = new long[m + 1]; // ways[d]: words over the positions so far at distance d
        ways[0] = 1;
        for (int p = 0; p < k; p++) {
            long[] next = new long[m + 1];
            for (int d = 0; d <= m; d++) {
                next[d] += ways[d]; // this position matches
                if (d + 1 <= m) {
                    next[d + 1] += ways[d] * (sigma - 1); // any of the σ − 1 other letters
                }
            }
            ways = next;
        }
        long sum = 0;
        for (long w : ways) {
            sum += w;
        }
        return sum;
    }

    @Test
    void parameterBoundsAreExact() {
        assertMessage("lambda must be a finite number > 1, got 1.0", () -> StringKernel.exponential(1.0));
        assertMessage("lambda must be in (0, 1], got 0.0", () -> StringKernel.subsequence(2, 0.0));
        assertEquals(1.0, StringKernel.subsequence(2, 1.0).lambda(), 0);
        // mismatch codes are base-|Σ| numerals of k digits: |Σ|^k must stay below 2^63
        assertMessage("2^63 k-mers do not fit a 64-bit code", () -> StringKernel.mismatch(63, 0, "AC"));
        assertEquals(62, StringKernel.mismatch(62, 0, "AC").length());
        assertMessage("4^32 k-mers do not fit a 64-bit code", () -> StringKernel.mismatch(32, 1, "ACGT"));
        assertEquals(31, StringKernel.mismatch(31, 1, "ACGT").length());
        // the neighbourhood guard: the Hamming ball's size, counted position by position, against 10^6
        for (int[] kms : new int[][] {{20, 5, 4}, {9, 6, 6}, {39, 4, 3}, {13, 5, 7}}) {
            long ball = hammingBall(kms[0], kms[1], kms[2]);
            assertTrue(ball > 1_000_000, "test case " + java.util.Arrays.toString(kms));
            String alphabet = "ACGTUVW".substring(0, kms[2]);
            assertMessage("each k-mer has " + ball + " neighbours within m = " + kms[1],
                    () -> StringKernel.mismatch(kms[0], kms[1], alphabet));
        }
        for (int[] kms : new int[][] {{20, 4, 4}, {9, 5, 6}, {39, 3, 3}, {13, 4, 7}, {22, 2, 7}}) {
            assertTrue(hammingBall(kms[0], kms[1], kms[2]) <= 1_000_000, "test case " + java.util.Arrays.toString(kms));
            StringKernel k = StringKernel.mismatch(kms[0], kms[1], "ACGTUVW".substring(0, kms[2]));
            assertEquals(kms[1], k.mismatches());
        }
    }

    @Test
    void parseMessagesNameTheSpecOnce() {
        assertEquals("invalid string kernel spec 'exponential(lambda=0.5)': exponential: lambda must be a finite number"
                + " > 1, got 0.5", assertThrows(Kernels4jException.class,
                        () -> StringKernel.parse("exponential(lambda=0.5)")).getMessage());
        assertEquals("invalid string kernel spec 'spectra(k=3)': unknown string kernel 'spectra' (spectrum, boundrange,"
                + " constant, exponential, subsequence, mismatch)", assertThrows(Kernels4jException.class,
                        () -> StringKernel.parse("spectra(k=3)")).getMessage());
        // a spec that starts with '(' has an empty name; one without its ')' is refused for that first
        assertMessage("unknown string kernel ''", () -> StringKernel.parse("(k=3)"));
        assertMessage("missing ')'", () -> StringKernel.parse("("));
        assertMessage("expected name=value, got 'k'", () -> StringKernel.parse("spectrum(k)"));
        assertMessage("unknown parameter '' for spectrum", () -> StringKernel.parse("spectrum(=3)"));
        assertTrue(!StringKernel.isStringKernelSpec(null));
        assertTrue(!StringKernel.isStringKernelSpec("(spectrum)"));
        assertTrue(StringKernel.isStringKernelSpec(" mismatch "));
    }

    @Test
    void accessorsEqualityAndText() {
        StringKernel a = StringKernel.parse("constant(normalized=false)");
        assertTrue(!a.isNormalized());
        assertEquals("constant(normalized=false)", a.toString());
        assertTrue(!StringKernel.spectrum(3).equals(StringKernel.spectrum(4)));
        assertTrue(!StringKernel.spectrum(3).equals(StringKernel.spectrum(3).normalized(false)));
        assertEquals(StringKernel.spectrum(3), StringKernel.parse("spectrum(k=3)"));
        assertEquals(StringKernel.spectrum(3).hashCode(), StringKernel.parse("spectrum(k=3)").hashCode());
    }

    @Test
    void crossChecksTheFirstListToo() {
        assertMessage("spectrum(length=3): text 0 has 2 characters, fewer than k = 3",
                () -> StringKernel.spectrum(3).cross(List.of("ab"), List.of("abc")));
        Kernels4jException e = assertThrows(Kernels4jException.class,
                () -> StringKernel.spectrum(3).cross(List.of(), List.of("abc")));
        assertEquals("spectrum: no texts", e.getMessage());
        e = assertThrows(Kernels4jException.class, () -> StringKernel.constant().cross(List.of("abc", ""), List.of("abc")));
        assertEquals("constant: text 1 is empty", e.getMessage());
    }

    @Test
    void longSubstringsOverFewLettersAreCountedExactly() {
        // 3 letters and length 40: 4^40 = 2^80 would overflow a numeral code (4^32 = 2^64 wraps to 0, so the
        // first 8 letters of a 40-mer would be lost); "a"+X and "b"+X share no 40-mer but every 40-mer of X
        Random r = new Random(11);
        StringBuilder x = new StringBuilder();
        for (int p = 0; p < 45; p++) {
            x.append("abc".charAt(r.nextInt(3)));
        }
        List<String> texts = List.of("a" + x, "b" + x, "c" + x.substring(3) + "ab", x.toString());
        for (StringKernel k : List.of(StringKernel.spectrum(40), StringKernel.boundRange(40))) {
            boolean exact = k.type() == StringKernel.Type.SPECTRUM;
            Matrix g = k.normalized(false).gram(texts);
            for (int i = 0; i < texts.size(); i++) {
                for (int j = 0; j < texts.size(); j++) {
                    double want = substringBrute(texts.get(i), texts.get(j), l -> (exact ? l == 40 : l <= 40) ? 1 : 0);
                    assertEquals(want, g.get(i, j), 0, k + " " + i + "," + j);
                }
            }
        }
        // one letter: "a", "aa", "aaa" are different substrings
        for (String[] st : new String[][] {{"aaaa", "aa"}, {"aaa", "aaa"}}) {
            assertEquals(substringBrute(st[0], st[1], l -> l <= 3 ? 1 : 0),
                    StringKernel.boundRange(3).normalized(false).value(st[0], st[1]), 0);
        }
    }

    @Test
    void mismatchFeaturesOfLongTextsGrowTheirBuffer() {
        // 146 4-mers times a neighbourhood of 1 + 4·3 = 13 codes: more than the first buffer of 1024
        List<String> texts = randomTexts(3, 140, 150, "ACGT", 12);
        Matrix g = StringKernel.mismatch(4, 1, "ACGT").normalized(false).gram(texts);
        for (int i = 0; i < texts.size(); i++) {
            for (int j = 0; j < texts.size(); j++) {
                assertEquals(mismatchBrute(texts.get(i), texts.get(j), 4, 1, "ACGT"), g.get(i, j), 0, i + "," + j);
            }
        }
    }

    private static void assertMessage(String part, org.junit.jupiter.api.function.Executable call) {
        Kernels4jException e = assertThrows(Kernels4jException.class, call);
        assertTrue(e.getMessage().contains(part), e.getMessage());
    }
}
