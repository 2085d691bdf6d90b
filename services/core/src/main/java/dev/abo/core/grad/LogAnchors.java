package dev.abo.core.grad;

import java.util.List;

/** Checks shared by the anchor losses: matching log-anchor arrays and in-range anchor indices. */
final class LogAnchors {
    private LogAnchors() {
    }

    static void check(List<WhResidual> terms, double[] logW, double[] logH) {
        if (logW.length != logH.length) {
            throw new IllegalArgumentException("logW and logH lengths differ: " + logW.length + " vs " + logH.length);
        }
        for (WhResidual t : terms) {
            if (t.anchor() >= logW.length) {
                throw new IllegalArgumentException("anchor " + t.anchor() + " outside 0.." + (logW.length - 1));
            }
        }
    }
}
