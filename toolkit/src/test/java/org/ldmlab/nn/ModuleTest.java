package org.ldmlab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.ldmlab.nn.GradCheck.check;
import static org.ldmlab.nn.GradCheck.randn;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** Module-wide operations on parameters. */
class ModuleTest {
    @Test
    void aBlockCastToDoublePassesAGradientCheck() {
        Linear linear = new Linear(3, 2, true, new Init(1)); // FLOAT, as every block is built
        linear.castParameters(DataType.DOUBLE);
        linear.parameters().values().forEach(p -> assertEquals(DataType.DOUBLE, p.value().dataType()));
        check("linear in double", v -> linear.forward(v.get(0)), randn(1, 4, 3));
    }
}
