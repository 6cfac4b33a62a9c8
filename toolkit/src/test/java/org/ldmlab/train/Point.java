package org.ldmlab.train;

import org.ldmlab.nn.Module;
import org.ldmlab.nn.Var;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** A module that is one float32 vector parameter "p": the smallest thing an optimizer can move. */
final class Point extends Module {
    final Var p;

    Point(float... values) {
        p = parameter("p", Nd4j.create(values, new long[] {values.length}, DataType.FLOAT));
    }

    float get(int i) {
        return p.value().getFloat(i);
    }
}
