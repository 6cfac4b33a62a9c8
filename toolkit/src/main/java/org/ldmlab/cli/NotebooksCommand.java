package org.ldmlab.cli;

import static org.ldmlab.InvalidInputException.shorten;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.ldmlab.InvalidInputException;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Scratch;
import org.ldmlab.notebook.BrowserCheck;
import org.ldmlab.notebook.Jupyter;
import org.ldmlab.notebook.Lab;
import org.ldmlab.notebook.MathJax;
import org.ldmlab.notebook.NotebookFailure;

/**
 * {@code ldmlab notebooks}: runs the labs headlessly (executed copies, HTML renders) and checks in a browser that
 * each render shows the figures its notebook declares. Everything goes to a build folder; the committed
 * notebooks stay without outputs.
 */
final class NotebooksCommand implements Command {
    private static final int SCREENSHOT_HEIGHT = 3000;

    @Override
    public String name() {
        return "notebooks";
    }

    @Override
    public String summary() {
        return "execute the lab notebooks headlessly, render them as HTML, check their figures and equations in a browser";
    }

    @Override
    public String usage() {
        return """
                ldmlab notebooks [--execute] [--html] [--check] [--only NAME] [--out DIR] [--cell-timeout S] [--if-available]
                  (no action)     list the labs and whether Jupyter, the 'java' kernel, Chromium and MathJax are installed
                  --execute       run every cell of every lab in a fresh kernel; fails on any cell error
                  --html          also render each executed lab as HTML (implies --execute), its equations typeset
                                  by the MathJax linked beside it (Debian's libjs-mathjax, no network)
                  --check         also open each render in headless Chromium: a screenshot, every figure the lab
                                  declares must be there and not blank, every equation typeset (implies --html)
                  --only NAME     just the labs whose file name contains NAME (e.g. 03)
                  --out DIR       where executed copies, renders, screenshots and logs go (default notebooks/build)
                  --cell-timeout  seconds one cell may run (default 600)
                  --if-available  when Jupyter, Chromium or MathJax is missing, say so and skip that part instead of failing""";
    }

    @Override
    public int run(Args args, PrintStream out) throws Exception {
        boolean check = args.flag("check");
        boolean html = args.flag("html") | check; // not ||: every flag given must be read, or it counts as unknown
        boolean execute = args.flag("execute") | html;
        boolean ifAvailable = args.flag("if-available");
        String only = args.string("only", "");
        Path dir = Repository.path("notebooks");
        Path build = Path.of(args.string("out", dir.resolve("build").toString()));
        int cellTimeout = args.integer("cell-timeout", 600);
        args.requireAllUsed();
        if (cellTimeout < 1) {
            throw new InvalidInputException("--cell-timeout must be at least 1 second, got " + cellTimeout);
        }
        List<Lab> labs = Lab.in(dir).stream().filter(l -> l.name().contains(only)).toList();
        if (labs.isEmpty()) {
            List<String> all = Lab.in(dir).stream().map(Lab::name).toList();
            throw new InvalidInputException("no lab's name contains '" + shorten(only) + "'; labs: " + all.get(0)
                    + (all.size() > 1 ? " .. " + all.get(all.size() - 1) : "") + " (`ldmlab notebooks` lists them)");
        }
        Optional<String> noJupyter = Jupyter.missing();
        String noBrowser = BrowserCheck.missing();
        if (!execute) {
            labs.forEach(l -> out.println(l.name() + " (" + l.figures() + " figures)"));
            out.println("jupyter: " + noJupyter.orElse("ready"));
            out.println("browser check: " + (noBrowser == null ? "ready" : noBrowser));
            return 0;
        }
        if (noJupyter.isPresent()) {
            skipOrFail("the notebooks", noJupyter.get(), ifAvailable, out);
            return 0;
        }
        boolean skipped = check && noBrowser != null;
        if (skipped) {
            skipOrFail("the browser check", noBrowser, ifAvailable, out);
            check = false;
        }
        AtomicFiles.prepareParent(build.resolve(".scratch")); // a clear error if --out is a file or not writable
        String noMathJax = MathJax.missing();
        if (html && noMathJax == null) {
            Files.createDirectories(build); // else each lab's scratch folder makes it: a run stopped first leaves none
            MathJax.linkInto(build);
        } else if (html && !(skipped && noMathJax.equals(noBrowser))) { // unless the skipped check said so already
            out.println("notebooks: " + noMathJax);
        }
        List<String> failures = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < labs.size(); i++) {
            Lab lab = labs.get(i);
            out.printf("notebooks [%d/%d] %s: running...%n", i + 1, labs.size(), lab.name());
            long t0 = System.nanoTime();
            try {
                List<String> done = runOne(lab, build, Duration.ofSeconds(cellTimeout), html, check);
                out.printf("notebooks [%d/%d] %s: ok in %.0f s (%s)%n", i + 1, labs.size(), lab.name(),
                        (System.nanoTime() - t0) / 1e9, String.join(", ", done));
            } catch (NotebookFailure | IOException e) { // e.g. Chromium failing on one lab: report it, go on with the rest
                out.printf("notebooks [%d/%d] %s: FAILED after %.0f s%n%s%n", i + 1, labs.size(), lab.name(),
                        (System.nanoTime() - t0) / 1e9, e.getMessage());
                failures.add(lab.name());
            }
        }
        out.printf("notebooks: %d of %d labs green in %.0f s; outputs in %s%n", labs.size() - failures.size(), labs.size(),
                (System.nanoTime() - start) / 1e9, build);
        if (!failures.isEmpty()) {
            out.println("notebooks: FAILED: " + String.join(", ", failures) + " (logs: " + build + "/<name>.log)");
            return 1;
        }
        return 0;
    }

    /** Without --if-available a missing tool is an error; with it, a line saying what is skipped and why. */
    private static void skipOrFail(String what, String reason, boolean ifAvailable, PrintStream out) {
        if (!ifAvailable) {
            throw new InvalidInputException("cannot run " + what + ": " + reason);
        }
        out.println("notebooks: SKIPPED " + what + ": " + reason);
    }

    /**
     * Executes one lab (and renders and checks it). Each result is made in a scratch folder and then moved into
     * {@code build}, so a file there is always whole; what was made stays for inspection when a later stage fails.
     * Returns what was made.
     */
    private static List<String> runOne(Lab lab, Path build, Duration cellTimeout, boolean html, boolean check)
            throws IOException, InterruptedException {
        Path log = build.resolve(lab.name() + ".log");
        Files.deleteIfExists(log);
        List<String> done = new ArrayList<>();
        try (Scratch folder = Scratch.newFolder(build)) { // removed also on Ctrl-C or SIGTERM, after Jupyter is stopped
            Path scratch = folder.path();
            Path executed = build.resolve(lab.name() + ".ipynb");
            Jupyter.execute(lab.notebook(), moveLater(scratch, executed), cellTimeout, log);
            moveIn(scratch, executed);
            done.add("executed");
            Path page = build.resolve(lab.name() + ".html");
            if (html) {
                Jupyter.html(executed, moveLater(scratch, page), log);
                moveIn(scratch, page);
                done.add("html");
            }
            if (check) {
                Path screenshot = build.resolve(lab.name() + ".png");
                done.add(browserCheck(lab, page, moveLater(scratch, screenshot)));
                moveIn(scratch, screenshot);
            }
            return done;
        }
    }

    /** Where {@code target} is made before {@link #moveIn} puts it in place. */
    private static Path moveLater(Path scratch, Path target) {
        return scratch.resolve(target.getFileName());
    }

    private static void moveIn(Path scratch, Path target) throws IOException {
        AtomicFiles.move(moveLater(scratch, target), target);
    }

    /**
     * The lab as Chromium shows it: at least the declared number of figures, none blank; every equation typeset;
     * and a screenshot.
     */
    private static String browserCheck(Lab lab, Path page, Path screenshot) throws IOException, InterruptedException {
        BrowserCheck.Page shown = BrowserCheck.inspect(page);
        List<BrowserCheck.Figure> figures = shown.figures();
        List<BrowserCheck.Figure> blank = figures.stream().filter(BrowserCheck.Figure::blank).toList();
        if (!blank.isEmpty() || figures.size() < lab.figures()) {
            throw new NotebookFailure(lab.name() + ": the browser shows " + figures.size() + " figures, " + blank.size()
                    + " of them blank " + blank + "; the lab declares " + lab.figures());
        }
        if (!shown.untypeset().isEmpty()) {
            throw new NotebookFailure(lab.name() + ": the browser shows " + shown.untypeset().size() + " equation(s) not typeset by MathJax"
                    + " (it loads from " + MathJax.URL + " beside the page); the first: " + shown.untypeset().get(0));
        }
        BufferedImage shot = BrowserCheck.screenshot(page, screenshot, SCREENSHOT_HEIGHT);
        if (singleColour(shot)) {
            throw new NotebookFailure(lab.name() + ": the browser's screenshot of the page is blank");
        }
        return figures.size() + " figures and the equations typeset in the browser";
    }

    private static boolean singleColour(BufferedImage image) {
        int first = image.getRGB(0, 0);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) != first) {
                    return false;
                }
            }
        }
        return true;
    }
}
