package dev.abo.core.assign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abo.core.anchor.AnchorSet;
import dev.abo.core.geometry.Box;
import dev.abo.core.geometry.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentTest {

    // 96x64 input: anchors small square and tall
    private static final AnchorSet ANCHORS =
            new AnchorSet(List.of(new Shape(10, 10), new Shape(10, 30)), 96, 64);

    @Test
    void cellIsTheOneContainingTheCentre() {
        // grid 3x4 on 96x64 -> stride 32 px in x, 16 px in y.
        // centre (40, 40): x = floor(40/32) = 1, y = floor(40/16) = 2
        // centre (32, 16) sits on a cell corner: floor gives (1, 1)
        // centre (96, 64) is on the right/bottom edge: clamped to the last cell (2, 3)
        List<Box> gts = List.of(Box.ofCenter(40, 40, 10, 10), Box.ofCenter(32, 16, 10, 30),
                Box.ofCenter(96, 64, 4, 4));
        Assignment a = AssignmentPolicy.hard().assign(gts, ANCHORS, 3, 4);
        assertThat(a.entries()).extracting(GtAssignment::cellX).containsExactly(1, 1, 2);
        assertThat(a.entries()).extracting(GtAssignment::cellY).containsExactly(2, 1, 3);
        // 10x10 matches anchor 0 exactly; 10x30 matches anchor 1 exactly;
        // 4x4: IoU 16/100 with anchor 0 vs 16/300 with anchor 1 -> 0
        assertThat(a.entries()).extracting(GtAssignment::anchor).containsExactly(0, 1, 0);
        assertThat(a.entries()).extracting(GtAssignment::gtIndex).containsExactly(0, 1, 2);
        assertThat(a.entries().get(1).weights()).containsExactly(0.0, 1.0);
        assertThat(a.anchorCount()).isEqualTo(2);
    }

    @Test
    void softAssignmentCarriesTheSoftWeights() {
        AssignmentPolicy soft = AssignmentPolicy.soft(AssignmentDistance.IOU, 1);
        Box gt = Box.ofCenter(50, 20, 10, 20);
        GtAssignment g = soft.assign(List.of(gt), ANCHORS, 3, 4).entries().get(0);
        assertThat(g.weights()).containsExactly(soft.weights(gt.shape(), ANCHORS));
        // 10x20: IoU 100/200 = 0.5 with 10x10, 200/300 = 2/3 with 10x30 -> anchor 1
        assertThat(g.anchor()).isEqualTo(1);
    }

    @Test
    void laterBoxOwnsACollidingSlot() {
        // three boxes in cell (0, 0); #0 and #1 both pick anchor 0; #2 picks anchor 1
        List<Box> gts = List.of(Box.ofCenter(5, 5, 10, 10), Box.ofCenter(8, 8, 9, 11), Box.ofCenter(6, 6, 10, 30));
        Assignment a = AssignmentPolicy.hard().assign(gts, ANCHORS, 3, 4);
        assertThat(a.entries()).extracting(GtAssignment::anchor).containsExactly(0, 0, 1);
        assertThat(a.slotOwners()).extracting(GtAssignment::gtIndex).containsExactly(1, 2);
        assertThat(a.entries()).hasSize(3);
    }

    @Test
    void rejectsCentreOutsideAndEmptyGrid() {
        assertThatThrownBy(() -> AssignmentPolicy.hard().assign(List.of(new Box(-10, 2, -2, 6)), ANCHORS, 3, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("centre (-6.0, 4.0) of gt #0 is outside the 96x64 input");
        assertThatThrownBy(() -> AssignmentPolicy.hard().assign(List.of(), ANCHORS, 0, 4))
                .hasMessage("grid must be positive, got 0x4");
    }

    @Test
    void noBoxesGiveNoEntries() {
        assertThat(AssignmentPolicy.hard().assign(List.of(), ANCHORS, 3, 4).entries()).isEmpty();
    }
}
