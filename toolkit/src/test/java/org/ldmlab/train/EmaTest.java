package org.ldmlab.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.checkpoint.CheckpointBuilder;
import org.nd4j.linalg.factory.Nd4j;

class EmaTest {
    @Test
    void decayWarmsUpToItsMaximum() {
        assertEquals(2.0 / 11, Ema.decayAt(0.999, 1));
        assertEquals(1001.0 / 1010, Ema.decayAt(0.999, 1000));
        assertEquals(0.9, Ema.decayAt(0.9, 100));
    }

    @Test
    void updateIsTheMovingAverageFormula() {
        Point point = new Point(1, 2);
        Ema ema = new Ema(point, 0.9);
        point.p.value().assign(Nd4j.create(new float[] {3, 5}));
        ema.update(); // d = 2/11: shadow = d (1, 2) + (1 - d) (3, 5)
        double d1 = 2.0 / 11;
        double[] s1 = {d1 * 1 + (1 - d1) * 3, d1 * 2 + (1 - d1) * 5};
        point.p.value().assign(0);
        ema.update(); // d = 3/12: shadow = d s1 + (1 - d) 0
        double d2 = 3.0 / 12;
        Point averaged = new Point(0, 0);
        ema.copyTo(averaged);
        assertEquals(d2 * s1[0], averaged.get(0), 1e-6);
        assertEquals(d2 * s1[1], averaged.get(1), 1e-6);
        assertEquals(2, ema.updates());
    }

    @Test
    void swapExchangesLiveAndAveragedWeights() {
        Point point = new Point(1, 2);
        Ema ema = new Ema(point, 0.9);
        point.p.value().assign(7);
        ema.swap();
        assertArrayEquals(new float[] {1, 2}, point.p.value().data().asFloat());
        ema.swap();
        assertArrayEquals(new float[] {7, 7}, point.p.value().data().asFloat());
    }

    @Test
    void copyToAModuleOfAnotherShapeIsRefused() {
        Ema ema = new Ema(new Point(1, 2), 0.9);
        assertThrows(IllegalArgumentException.class, () -> ema.copyTo(new Point(1, 2, 3)));
    }

    @Test
    void savedAndRestored() {
        Point point = new Point(1, 2);
        Ema ema = new Ema(point, 0.9);
        point.p.value().assign(4);
        ema.update();
        CheckpointBuilder saved = Checkpoint.builder("test");
        ema.saveTo(saved);

        Ema restored = new Ema(new Point(0, 0), 0.9);
        restored.restoreFrom(saved.build());
        assertEquals(1, restored.updates());
        Point a = new Point(0, 0);
        Point b = new Point(0, 0);
        ema.copyTo(a);
        restored.copyTo(b);
        Tensors.assertSameParameters(a, b);
    }
}
