package dev.abo.detector.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * How timed steps are spread over rounds so that machine noise (another process, frequency changes)
 * hits every variant alike: in each round every variant runs a block of consecutive steps, and the
 * order of the variants rotates by one each round (round r starts with variant {@code r mod V}).
 * {@code steps} are split over the rounds as evenly as possible, the earlier rounds taking the
 * remainder: 10 steps in 4 rounds are 3, 3, 2, 2. Rounds beyond {@code steps} would be empty, so
 * there are {@code min(rounds, steps)} of them.
 *
 * @param steps    timed steps per variant, {@code >= 1}
 * @param rounds   requested rounds, {@code >= 1}
 * @param variants number of variants, {@code >= 1}
 */
public record RoundRobinPlan(int steps, int rounds, int variants) {

    public RoundRobinPlan {
        if (steps < 1 || rounds < 1 || variants < 1) {
            throw new IllegalArgumentException("steps, rounds and variants must be >= 1, got " + steps + ", " + rounds
                    + ", " + variants);
        }
        rounds = Math.min(rounds, steps);
    }

    /** Steps every variant runs in round {@code r} (0-based). */
    public int stepsInRound(int r) {
        if (r < 0 || r >= rounds) {
            throw new IllegalArgumentException("round " + r + " outside 0.." + (rounds - 1));
        }
        return steps / rounds + (r < steps % rounds ? 1 : 0);
    }

    /** The variant indices in the order they run in round {@code r}. */
    public List<Integer> order(int r) {
        List<Integer> o = new ArrayList<>(variants);
        for (int i = 0; i < variants; i++) {
            o.add((r + i) % variants);
        }
        return o;
    }
}
