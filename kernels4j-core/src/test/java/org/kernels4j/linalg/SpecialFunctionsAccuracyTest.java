package org.kernels4j.linalg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@link SpecialFunctions#besselJ}, {@link SpecialFunctions#logBesselK} and {@code asinhOfRatio} at the last digit:
 * against values computed with mpmath 1.3.0 at 40 significant digits ({@code mpmath.besselj}, {@code log(besselk)},
 * {@code asinh(a/b)}, printed to 20 digits), an implementation independent of this one. The points sit in every regime
 * of the code: J by Miller's recurrence (2 &lt; x ≤ max(40, n²), at x = 40 where its start order matters most) and by
 * Hankel's expansion (x &gt; 40), log K by Steed's fraction (2 &lt; x ≤ 10⁴) with the forward recurrence, by Hankel's
 * expansion (x &gt; 10⁴) and by the Debye expansion (ν ≥ 25, from x = 10⁻⁹ to 10⁵), asinh(a/b) on both sides of
 * a/b = 10⁸.
 *
 * <p>Tolerance: 2·10⁻¹⁵, absolute for J (|J| ≤ 1; relative error is meaningless near its zeros), |Δ log K| /
 * max(1, |log K|) for log K, relative for asinh. The code's largest errors at these points are 3.4·10⁻¹⁶ (J),
 * 4.4·10⁻¹⁶ (log K) and 1.6·10⁻¹⁶ (asinh), so the bound is about five times the observed error and four ulps of
 * the values: a start order, stopping rule or correction term that costs more than a few ulps fails here, where the
 * other Bessel tests (at 10⁻¹²–10⁻¹⁴) would let it pass.
 */
class SpecialFunctionsAccuracyTest {
    private static final double TOLERANCE = 2e-15;

    /** kind (J: n x J_n(x); K: ν x log K_ν(x); A: a b asinh(a/b)), from mpmath 1.3.0, mp.dps = 40. */
    private static final String REFERENCE = """
            J 0 2.5 -0.048383776468197996327
            J 0 7.3 0.28821694763501439904
            J 0 15.0 -0.014224472826780773234
            J 0 39.9 0.019928646818465381639
            J 0 40.0 0.0073668905842372895535
            J 1 2.5 0.49709410246427403801
            J 1 7.3 0.082570430493257831051
            J 1 15.0 0.20510403861352276115
            J 1 39.9 0.12498710161884170239
            J 1 40.0 0.12603831803758499921
            J 2 2.5 0.44605905843961722674
            J 2 7.3 -0.26559491188343691053
            J 2 15.0 0.04157167797525047472
            J 2 39.9 -0.013663629193460784805
            J 2 40.0 -0.0010649746823580395933
            J 5 2.5 0.019501625134503219886
            J 5 7.3 0.31370617089730907746
            J 5 15.0 0.13045613456502955267
            J 5 39.9 0.1252867322653260035
            J 5 40.0 0.12257346597711778699
            J 10 2.5 2.2247284173983832948e-6
            J 10 7.3 0.032111623954048501212
            J 10 15.0 -0.090071811047659053964
            J 10 39.9 0.11445971855642887349
            J 10 40.0 0.11938336278226095161
            J 20 2.5 3.3090793836587766837e-17
            J 20 7.3 3.8026628466865908758e-8
            J 20 15.0 0.0073602340792234852583
            J 20 39.9 0.13144014521416021705
            J 20 40.0 0.12779393355084889625
            J 7 49.0 0.11455038479626842849
            J 10 100.0 -0.054732176935472014742
            J 30 900.0 -0.0091669234609020506139
            J 0 40.5 -0.053582675632262946882
            J 3 60.0 -0.040396711521655156971
            J 1 1000.0 0.0047283119070895239176
            K 0.0 2.5 -2.7750308506034038846
            K 0.0 11.0 -11.984046430579226889
            K 0.0 150.0 -152.28035686905117578
            K 0.0 9999.0 -10003.379341331468262
            K 0.0 10001.0 -10005.379441328968846
            K 0.0 30000.0 -30004.928689144274643
            K 0.3 2.5 -2.7596507116816822453
            K 0.3 11.0 -11.9801256249547993
            K 0.3 150.0 -152.28005786200368845
            K 0.3 9999.0 -10003.379336831243238
            K 0.3 10001.0 -10005.379436829643732
            K 0.3 30000.0 -30004.928687644299643
            K 1.0 2.5 -2.6051667300933749557
            K 1.0 11.0 -11.940504185433829085
            K 1.0 150.0 -152.27703457953747779
            K 1.0 9999.0 -10003.379291328968033
            K 1.0 10001.0 -10005.379391336467617
            K 1.0 30000.0 -30004.928672477885746
            K 2.5 2.5 -1.7465372187695847898
            K 2.5 11.0 -11.71270102400289087
            K 2.5 150.0 -152.25959295669595039
            K 2.5 9999.0 -10003.379028815843197
            K 2.5 10001.0 -10005.379128875837531
            K 2.5 30000.0 -30004.928584979344085
            K 7.0 2.5 4.0699502318118389368
            K 7.0 11.0 -9.9033504329857040799
            K 7.0 150.0 -152.11759313157127495
            K 7.0 9999.0 -10003.376891209055033
            K 7.0 10001.0 -10005.376991696506569
            K 7.0 30000.0 -30004.927872491222301
            K 24.0 2.5 45.490252812890921769
            K 24.0 11.0 8.7207367279655055052
            K 24.0 150.0 -150.37069697967153828
            K 24.0 9999.0 -10003.350539905136232
            K 24.0 10001.0 -10005.350645662052675
            K 24.0 30000.0 -30004.919089304780815
            K 25.0 1e-07 474.37265300550900235
            K 30.0 0.001 298.59096556424984427
            K 40.0 5.0 69.127063381989267844
            K 60.0 100.0 -84.643808933588170117
            K 100.0 100000.0 -100005.48067288399797
            K 25.5 30.0 -21.318391426709918419
            K 1000.0 1e-09 27320.94029353497767
            A 10000000000.0 1.0 23.71899811050040215
            A 3000000000.0 7.0 20.569115157119152853
            A 1e+300 1e-10 714.49452600871410737
            A 2.0 3.0 0.62514511725041668763
            """;

    @Test
    void everyValueIsWithinFourUlpsOfMpmath() {
        StringBuilder failures = new StringBuilder();
        for (String line : REFERENCE.strip().split("\\n")) {
            String[] p = line.strip().split(" ");
            double u = Double.parseDouble(p[1]);
            double x = Double.parseDouble(p[2]);
            double reference = Double.parseDouble(p[3]);
            double got;
            double error;
            switch (p[0]) {
                case "J" -> {
                    got = SpecialFunctions.besselJ((int) u, x);
                    error = Math.abs(got - reference);
                }
                case "K" -> {
                    got = SpecialFunctions.logBesselK(u, x);
                    error = Math.abs(got - reference) / Math.max(1, Math.abs(reference));
                }
                default -> {
                    got = SpecialFunctions.asinhOfRatio(u, x);
                    error = Math.abs(got - reference) / Math.abs(reference);
                }
            }
            if (!(error <= TOLERANCE)) {
                failures.append(line.strip()).append(": got ").append(got).append(", error ").append(error).append('\n');
            }
        }
        assertTrue(failures.length() == 0, failures.toString());
    }
}
