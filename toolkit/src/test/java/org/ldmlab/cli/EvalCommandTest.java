package org.ldmlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `ldmlab eval` on the shipped models, with few steps: every section and attribute is reported. */
class EvalCommandTest {
    @Test
    void reportsPsnrAndEveryAttributeForSingleAndTwoObjectCaptions() {
        CliRun run = CliRun.of("eval", "--steps", "3", "--pairs", "4");
        assertEquals(0, run.status(), run.err());
        for (String s : new String[] {"autoencoder PSNR", "trained single-object captions: 100 images",
            "held-out single-object captions: 20 images", "two-object test captions: 4 images", "shape", "colour", "size",
            "position", "count", "all right"}) {
            assertTrue(run.out().contains(s), s + " missing in:\n" + run.out());
        }
    }
}
