package org.ldmlab.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StepSeedTest {
    @Test
    void aStepsSeedDependsOnRunSeedAndStepOnly() {
        assertEquals(StepSeed.of(7, 123), StepSeed.of(7, 123));
        assertEquals(new SplittableRandom(StepSeed.of(7, 123)).nextLong(), new SplittableRandom(StepSeed.of(7, 123)).nextLong());
    }

    @Test
    void neighbouringSeedsAndStepsGiveDistinctStreams() {
        Set<Long> firstDraws = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) {
            for (long step = 0; step < 50; step++) {
                firstDraws.add(new SplittableRandom(StepSeed.of(seed, step)).nextLong());
            }
        }
        assertEquals(20 * 50, firstDraws.size());
    }
}
