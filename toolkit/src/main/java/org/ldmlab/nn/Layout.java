package org.ldmlab.nn;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Conversions between the toolkit's public image layout, channels-first [B, C, H, W] (as in the papers and
 * the samplers), and the channels-last [B, H, W, C] the networks compute in.
 */
public final class Layout {
    private Layout() {}

    /** [B, C, H, W] -> [B, H, W, C] */
    public static INDArray channelsLast(INDArray x) {
        return x.permute(0, 2, 3, 1).dup('c');
    }

    /** [B, H, W, C] -> [B, C, H, W] */
    public static INDArray channelsFirst(INDArray x) {
        return x.permute(0, 3, 1, 2).dup('c');
    }
}
