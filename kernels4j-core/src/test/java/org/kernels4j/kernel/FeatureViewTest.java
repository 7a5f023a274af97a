package org.kernels4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FeatureView} is the key of the Gram inputs' cache of transformed copies, so its equality must be value
 * equality over everything that changes a transformed row: centring, the inverse length scales (element by
 * element), the periodic ω and the row map. The reference is that definition, checked pair by pair over views
 * that differ in exactly one of those, plus the equals/hashCode contract for equal pairs built separately.
 */
class FeatureViewTest {

    /** A row map that is equal only to itself (identity equality, as an anonymous class has). */
    private static RowFeatureMap map() {
        return GramBlockEdgesTest.identityMap();
    }

    @Test
    void equalityIsValueEqualityOverEveryField() {
        RowFeatureMap m = map();
        // separately built equal views: equal, with equal hashes
        List<FeatureView[]> same = List.of(
                new FeatureView[] {FeatureView.centeredScaled(new double[] {2, 4}),
                    FeatureView.centeredScaled(new double[] {2, 4})},
                new FeatureView[] {FeatureView.periodic(1.5), FeatureView.periodic(1.5)},
                new FeatureView[] {FeatureView.mapped(m), FeatureView.mapped(m)},
                new FeatureView[] {FeatureView.centeredScaled(null), FeatureView.CENTERED},
                new FeatureView[] {FeatureView.RAW, FeatureView.RAW});
        for (FeatureView[] p : same) {
            assertEquals(p[0], p[1]);
            assertEquals(p[0].hashCode(), p[1].hashCode());
        }
        // views that differ in one field only
        List<FeatureView[]> different = List.of(
                new FeatureView[] {FeatureView.RAW, FeatureView.CENTERED}, // centring
                new FeatureView[] {FeatureView.CENTERED, FeatureView.centeredScaled(new double[] {1, 1})}, // scales
                new FeatureView[] {FeatureView.centeredScaled(new double[] {2, 4}),
                    FeatureView.centeredScaled(new double[] {2, 5})}, // one scale
                new FeatureView[] {FeatureView.RAW, FeatureView.periodic(1.5)}, // ω
                new FeatureView[] {FeatureView.periodic(1.5), FeatureView.periodic(2.5)}, // ω
                new FeatureView[] {FeatureView.RAW, FeatureView.mapped(m)}, // map
                new FeatureView[] {FeatureView.mapped(m), FeatureView.mapped(map())}); // another map
        for (FeatureView[] p : different) {
            assertNotEquals(p[0], p[1]);
            assertNotEquals(p[1], p[0]);
        }
        assertNotEquals(FeatureView.RAW, "RAW");
        assertNotEquals(FeatureView.RAW, null);
    }

    /**
     * The documented transforms: a centred view multiplies feature f by 1/lengthScales[f]; rows are d wide, 2d wide
     * under the periodic map (cos, sin per feature) and map.width(d) wide under a row map.
     */
    @Test
    void scalesAreInverseLengthScalesAndWidthsFollowTheMap() {
        FeatureView v = FeatureView.centeredScaled(new double[] {2, 4, 0.5});
        assertTrue(v.centered);
        assertArrayEquals(new double[] {0.5, 0.25, 2}, v.inverseScales, 0);
        assertEquals(3, v.width(3));
        assertEquals(5, FeatureView.RAW.width(5));
        assertEquals(10, FeatureView.periodic(0.7).width(5));
        RowFeatureMap wide = new RowFeatureMap() {
            @Override
            public int width(int d) {
                return 3 * d + 1;
            }

            @Override
            public boolean complex() {
                return false;
            }

            @Override
            public void map(double[] x, int offset, int d, double[] out) {
            }
        };
        assertEquals(16, FeatureView.mapped(wide).width(5));
    }
}
