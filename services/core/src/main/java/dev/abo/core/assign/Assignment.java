package dev.abo.core.assign;

import java.util.ArrayList;
import java.util.List;

/**
 * The assignment of one image's ground truth to the anchors of a {@code gridW x gridH} grid, one
 * {@link GtAssignment} per box in input order.
 *
 * <p>Collisions: two boxes may land in the same cell with the same responsible anchor. The weighted
 * loss terms (paper Eq. 1, 3, 11) are a sum over (anchor, gt) pairs, so every entry of
 * {@link #entries()} contributes its own term. A single regression/objectness target slot
 * (cell, anchor), however, can hold one box: as in YOLOv2, the LATER box in input order wins, and
 * {@link #slotOwners()} lists only the winners.
 */
public record Assignment(List<GtAssignment> entries, int gridW, int gridH, int anchorCount) {

    public Assignment {
        entries = List.copyOf(entries);
    }

    /**
     * The entries that own their (cell, responsible anchor) slot: an entry is dropped when a later
     * entry has the same slot (YOLOv2 overwrites the earlier target). Input order is kept.
     */
    public List<GtAssignment> slotOwners() {
        List<GtAssignment> owners = new ArrayList<>(entries.size());
        for (int j = 0; j < entries.size(); j++) {
            boolean overwritten = false;
            for (int later = j + 1; later < entries.size() && !overwritten; later++) {
                overwritten = entries.get(later).sameSlot(entries.get(j));
            }
            if (!overwritten) {
                owners.add(entries.get(j));
            }
        }
        return owners;
    }
}
