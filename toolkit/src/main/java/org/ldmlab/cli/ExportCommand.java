package org.ldmlab.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ldmlab.InvalidInputException;
import org.ldmlab.ldm.Models;
import org.ldmlab.train.Checkpoint;
import org.ldmlab.train.Ema;

/**
 * {@code ldmlab export}: a training checkpoint reduced to what inference needs (the EMA weights, and the
 * autoencoder inside an LDM checkpoint), with its settings, seed, step, time trained and command line. This is
 * how the checkpoints shipped in the toolkit are made; it cannot be resumed.
 */
final class ExportCommand implements Command {
    @Override
    public String name() {
        return "export";
    }

    @Override
    public String summary() {
        return "reduce a training checkpoint to its inference weights (how shipped models are made)";
    }

    @Override
    public String usage() {
        return """
                ldmlab export --model PATH --kind autoencoder|ldm|inpaint|classifier --out FILE.zip
                  keeps ema/ (and autoencoder/) tensors and all metadata; drops the raw weights and Adam's state""";
    }

    @Override
    public int run(Args args, PrintStream out) throws IOException {
        Path from = Path.of(args.required("model", "the training checkpoint"));
        String kind = args.required("kind", "autoencoder, ldm, inpaint or classifier");
        Path to = Path.of(args.required("out", "the file to write"));
        args.requireAllUsed();
        if (to.toAbsolutePath().normalize().equals(from.toAbsolutePath().normalize())) {
            throw new InvalidInputException("--out must differ from --model: export never overwrites the training checkpoint");
        }
        Checkpoint c = Checkpoint.load(from, kind);
        Checkpoint.Builder slim = Checkpoint.builder(kind).seed(c.seed()).step(c.step()).secondsTrained(c.secondsTrained())
                .commandLine(c.commandLine()).config(c.config());
        c.extras().forEach(slim::extra);
        for (String name : c.tensorNames()) {
            if (name.startsWith(Ema.GROUP + "/") || name.startsWith(Models.AUTOENCODER_GROUP + "/")) {
                slim.tensor(name, c.tensor(name));
            }
        }
        slim.build().save(to);
        out.printf("exported %s (step %d, %.0f s trained) to %s: %d KiB%n", kind, c.step(), c.secondsTrained(), to,
                Files.size(to) / 1024);
        return 0;
    }
}
