package dev.abo.core.synth;

/** What a generator draws behind (and around) its labelled objects. */
public enum Backdrop {
    /**
     * The generator's own background: textured scenery, unlabelled clutter and foreground
     * occluders where the generator has them, per-image lighting jitter and pixel noise.
     */
    TEXTURED,
    /**
     * For tests of label exactness: every pixel not covered by a labelled object keeps exactly
     * {@link #FLAT_RGB}; no clutter, no occluders, no lighting jitter, no noise.
     */
    FLAT;

    /** The colour of a {@link #FLAT} backdrop, packed {@code 0xRRGGBB} (pure green, no object's colour). */
    public static final int FLAT_RGB = 0x00FF00;
}
