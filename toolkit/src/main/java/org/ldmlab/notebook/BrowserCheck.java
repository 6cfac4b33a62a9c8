package org.ldmlab.notebook;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.ldmlab.io.AtomicFiles;
import org.ldmlab.io.Processes;

/**
 * Opens a notebook's HTML render in headless Chromium (Debian's {@code chromium}), screenshots it, and reports
 * every image the browser shows: its decoded size, its size on the page, and whether it has more than one colour.
 * A small script, added to a copy of the page, measures the images after the page has loaded and writes them
 * into the page, which Chromium's {@code --dump-dom} prints. The network is closed to the browser (the page's
 * MathJax comes from a CDN, so equations show as LaTeX source here; the figures are all embedded).
 */
public final class BrowserCheck {
    /** What Chromium reported about one image on the page. Blank: not decoded, not shown, or a single colour. */
    public record Figure(int index, int width, int height, int shownWidth, int shownHeight, int colours) {
        public boolean blank() {
            return width == 0 || height == 0 || shownWidth == 0 || shownHeight == 0 || colours < 2;
        }
    }

    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars");
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final String MARKER = "ldmlab-figures";
    private static final Pattern REPORT = Pattern.compile("<pre id=\"" + MARKER + "\">(.*?)</pre>", Pattern.DOTALL);
    private static final Pattern LINE = Pattern.compile("figure (\\d+) (\\d+)x(\\d+) shown (\\d+)x(\\d+) colours (\\d+)");

    /** Runs after the page's load event: one line per image, then "end" (so a cut-off report is noticed). */
    static final String MEASURE = """
            <script>
            window.addEventListener('load', function () {
              var lines = [], images = document.querySelectorAll('img');
              for (var i = 0; i < images.length; i++) {
                var img = images[i], box = img.getBoundingClientRect(), colours = 0;
                if (img.complete && img.naturalWidth > 0) {
                  var canvas = document.createElement('canvas');
                  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
                  var g = canvas.getContext('2d');
                  g.drawImage(img, 0, 0);
                  var px = g.getImageData(0, 0, canvas.width, canvas.height).data, first = null;
                  colours = 1;
                  for (var p = 0; p < px.length; p += 4) {
                    var rgb = px[p] + ',' + px[p + 1] + ',' + px[p + 2];
                    if (first === null) { first = rgb; } else if (rgb !== first) { colours = 2; break; }
                  }
                }
                lines.push('figure ' + (i + 1) + ' ' + img.naturalWidth + 'x' + img.naturalHeight + ' shown '
                    + Math.round(box.width) + 'x' + Math.round(box.height) + ' colours ' + colours);
              }
              var report = document.createElement('pre');
              report.id = 'ldmlab-figures';
              report.textContent = lines.concat(['end']).join('\\n');
              document.body.appendChild(report);
            });
            </script>
            """;

    private BrowserCheck() {}

    /** What is missing to run the check, or null when Chromium is there. */
    public static String missing() {
        return Processes.onPath("chromium") ? null : "chromium is not installed (Debian: apt-get install chromium)";
    }

    /** The images Chromium shows on {@code html}, in page order. */
    public static List<Figure> figures(Path html) throws IOException, InterruptedException {
        Path measured = Files.createTempFile(html.toAbsolutePath().getParent(), ".measure-", ".html");
        Path profile = Files.createTempDirectory("ldmlab-chromium-");
        try {
            String page = Files.readString(html);
            int end = page.lastIndexOf("</body>");
            Files.writeString(measured, end < 0 ? page + MEASURE : page.substring(0, end) + MEASURE + page.substring(end));
            List<String> command = new ArrayList<>(List.of("chromium"));
            command.addAll(FLAGS);
            command.addAll(List.of("--user-data-dir=" + profile, "--virtual-time-budget=10000", "--dump-dom",
                    measured.toUri().toString()));
            Processes.Result result = Processes.run(command, LIMIT);
            if (result.status() != 0) {
                throw new IOException("chromium exited with " + result.status() + ":\n" + Processes.lastLines(result.output(), 20));
            }
            return parse(result.output(), html);
        } finally {
            Files.deleteIfExists(measured);
            AtomicFiles.deleteQuietly(profile);
        }
    }

    /** The figures of a dumped page; fails if the measuring script did not run to its end. */
    static List<Figure> parse(String dom, Path html) {
        Matcher report = REPORT.matcher(dom);
        if (!report.find() || !report.group(1).strip().endsWith("end")) {
            throw new NotebookFailure(html.getFileName() + ": the browser did not finish loading the page (no figure report)");
        }
        List<Figure> figures = new ArrayList<>();
        Matcher line = LINE.matcher(report.group(1));
        while (line.find()) {
            figures.add(new Figure(Integer.parseInt(line.group(1)), Integer.parseInt(line.group(2)), Integer.parseInt(line.group(3)),
                    Integer.parseInt(line.group(4)), Integer.parseInt(line.group(5)), Integer.parseInt(line.group(6))));
        }
        return figures;
    }

    /** A screenshot of the top {@code height} pixels of the page, 1280 wide; returns it as an image. */
    public static BufferedImage screenshot(Path html, Path png, int height) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("ldmlab-chromium-");
        try {
            List<String> command = new ArrayList<>(List.of("chromium"));
            command.addAll(FLAGS);
            command.addAll(List.of("--user-data-dir=" + profile, "--virtual-time-budget=10000",
                    "--window-size=1280," + height, "--screenshot=" + png.toAbsolutePath(), html.toAbsolutePath().toUri().toString()));
            Processes.Result result = Processes.run(command, LIMIT);
            BufferedImage shot = Files.isRegularFile(png) ? ImageIO.read(png.toFile()) : null;
            if (result.status() != 0 || shot == null) {
                throw new IOException("chromium made no screenshot of " + html + ":\n" + Processes.lastLines(result.output(), 20));
            }
            return shot;
        } finally {
            AtomicFiles.deleteQuietly(profile);
        }
    }
}
