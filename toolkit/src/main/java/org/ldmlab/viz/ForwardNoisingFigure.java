package org.ldmlab.viz;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ldmlab.data.ImageTensors;
import org.ldmlab.schedule.ForwardProcess;
import org.ldmlab.schedule.Noise;
import org.ldmlab.schedule.NoiseSchedule;
import org.ldmlab.schedule.ScheduleKind;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One image noised by the closed form x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps (DDPM eq. 4) at several
 * t, one row per schedule. Every row uses the same eps, so the rows differ only by their abar_t.
 */
public final class ForwardNoisingFigure {
    private ForwardNoisingFigure() {}

    /** @param x0 one image [1, 3, H, W] in [-1, 1] */
    public static BufferedImage render(INDArray x0, int steps, int[] timesteps, long seed) {
        INDArray eps = new Noise(seed).like(x0); // [1, 3, H, W]
        List<BufferedImage> cells = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        for (ScheduleKind kind : ScheduleKind.values()) {
            ForwardProcess q = new ForwardProcess(NoiseSchedule.of(kind, steps));
            rows.add(kind.cliName());
            for (int t : timesteps) {
                INDArray xt = q.sample(x0, new int[] {t}, eps).xt(); // [1, 3, H, W]
                cells.add(ImageTensors.toImage(xt.get(org.nd4j.linalg.indexing.NDArrayIndex.point(0))));
            }
        }
        List<String> columns = Arrays.stream(timesteps).mapToObj(t -> "t=" + t).toList();
        return new ImageGrid(cells, timesteps.length).scale(3).rowHeaders(rows).columnHeaders(columns)
                .title("q(x_t | x_0), T = " + steps + ", the same noise in every row").render();
    }
}
