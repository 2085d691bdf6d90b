package dev.abo.core.assign;

import java.util.ArrayList;
import java.util.List;

/**
 * The assignment of one image's ground truth to the anchors of a {@code gridW x gridH} grid, one
 * {@link GtAssignment} per box in input order.
 *
 * <p>Collisions: two boxes may land in the same cell with the same responsible anchor. A (cell, anchor)
 * slot has one regression, objectness and class target, so it can hold one box: as in YOLOv2, the LATER
 * box in input order wins, and {@link #slotOwners()} lists only the winners. The detector's loss uses
 * exactly that for its hard weights (the overwritten box gets none), while soft weights (Eq. 10) go to
 * every entry: the weighted terms of Eq. 1, 3 and 11 are sums over (anchor, gt) pairs.
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
