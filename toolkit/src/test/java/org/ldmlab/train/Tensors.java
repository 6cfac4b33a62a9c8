package org.ldmlab.train;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.nn.Module;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Exact comparisons: same shape, same dtype, same bits. */
final class Tensors {
    private Tensors() {}

    static void assertBitEqual(INDArray expected, INDArray actual, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dataType(), actual.dataType(), what + ": data type");
        assertArrayEquals(bits(expected), bits(actual), what + ": values");
    }

    static void assertSameParameters(Module expected, Module actual) {
        assertEquals(expected.parameters().keySet(), actual.parameters().keySet());
        expected.parameters().forEach((name, p) -> assertBitEqual(p.value(), actual.parameters().get(name).value(), name));
    }

    static void assertSameTensors(Checkpoint expected, Checkpoint actual) {
        assertEquals(expected.tensorNames(), actual.tensorNames());
        for (String name : expected.tensorNames()) {
            assertBitEqual(expected.tensor(name), actual.tensor(name), name);
        }
    }

    static Map<String, INDArray> copy(Module m) {
        Map<String, INDArray> values = new LinkedHashMap<>();
        m.parameters().forEach((name, p) -> values.put(name, p.value().dup()));
        return values;
    }

    private static long[] bits(INDArray a) {
        double[] values = a.dup('c').data().asDouble();
        return Arrays.stream(values).mapToLong(Double::doubleToRawLongBits).toArray();
    }
}
