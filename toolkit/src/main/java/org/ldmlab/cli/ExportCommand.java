package org.ldmlab.cli;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ldmlab.InvalidInputException;
import org.ldmlab.checkpoint.Checkpoint;
import org.ldmlab.ldm.InferenceExport;

/**
 * {@code ldmlab export}: a training checkpoint reduced to what inference needs ({@link InferenceExport}). This is how
 * the checkpoints shipped in the toolkit are made; it cannot be resumed.
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
        if (Files.exists(to) && Files.exists(from) && Files.isSameFile(to, from)) { // also through a symbolic link or another spelling
            throw new InvalidInputException("--out " + to + " is the file --model names: export never overwrites the training checkpoint");
        }
        Checkpoint c = Checkpoint.load(from, kind);
        InferenceExport.of(c).save(to);
        out.printf("exported %s (step %d, %.0f s trained) to %s: %d KiB%n", kind, c.step(), c.secondsTrained(), to,
                Files.size(to) / 1024);
        return 0;
    }
}
