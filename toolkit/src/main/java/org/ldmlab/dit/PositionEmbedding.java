package org.ldmlab.dit;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The fixed 2-D sine-cosine position embedding of DiT (from MAE, He et al. 2022): half of the d features encode
 * the token's row, half its column, each with the 1-D embedding of "Attention is all you need" (section 3.5),
 * [sin(pos omega_i), cos(pos omega_i)], omega_i = 10000^(-i / (d/4)), i = 0 .. d/4 - 1. Not learnt.
 * (The reference code feeds the column to the first half and the row to the second; the order is immaterial.)
 */
public final class PositionEmbedding {
    private PositionEmbedding() {}

    /** [1, g*g, d] for a g x g token grid, tokens in row-major order. */
    public static INDArray sinCos2d(int g, int d, DataType type) {
        float[] e = new float[g * g * d];
        int quarter = d / 4;
        for (int row = 0; row < g; row++) {
            for (int col = 0; col < g; col++) {
                int base = (row * g + col) * d;
                for (int i = 0; i < quarter; i++) {
                    double omega = Math.pow(10000.0, -(double) i / quarter);
                    e[base + i] = (float) Math.sin(row * omega);
                    e[base + quarter + i] = (float) Math.cos(row * omega);
                    e[base + 2 * quarter + i] = (float) Math.sin(col * omega);
                    e[base + 3 * quarter + i] = (float) Math.cos(col * omega);
                }
            }
        }
        return Nd4j.createFromArray(e).reshape(1, (long) g * g, d).castTo(type);
    }
}
