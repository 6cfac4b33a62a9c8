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
 * Opens a notebook's HTML render in headless Chromium (Debian's {@code chromium}), screenshots it, and reports what
 * the browser shows: every image (its decoded size, its size on the page, and whether it has more than one colour)
 * and every equation of the prose that MathJax did not typeset (LaTeX source still on the page, or a TeX error).
 * A small script, added to a copy of the page, measures the page once MathJax has typeset it (at once if there is
 * no MathJax) and writes its report into the page, which Chromium's {@code --dump-dom} prints. The network is
 * closed to the browser: the figures are embedded and MathJax is a local copy ({@link MathJax}).
 */
public final class BrowserCheck {
    /** What Chromium reported about one image on the page. Blank: not decoded, not shown, or a single colour. */
    public record Figure(int index, int width, int height, int shownWidth, int shownHeight, int colours) {
        public boolean blank() {
            return width == 0 || height == 0 || shownWidth == 0 || shownHeight == 0 || colours < 2;
        }
    }

    /** What Chromium showed: the images in page order, and the equations left untypeset (their text, shortened). */
    public record Page(List<Figure> figures, List<String> untypeset) {}

    private static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars");
    private static final Duration LIMIT = Duration.ofMinutes(2);
    private static final String MARKER = "ldmlab-report";
    private static final Pattern REPORT = Pattern.compile("<pre id=\"" + MARKER + "\">(.*?)</pre>", Pattern.DOTALL);
    private static final Pattern LINE = Pattern.compile("figure (\\d+) (\\d+)x(\\d+) shown (\\d+)x(\\d+) colours (\\d+)");
    private static final Pattern UNTYPESET = Pattern.compile("^untypeset (.*)$", Pattern.MULTILINE);

    /**
     * Runs after the page's load event and MathJax's first typesetting: one line per image, one per equation of the
     * prose (Jupyter's markdown cells) that is not typeset, then "end" (so a cut-off report is noticed). Not typeset:
     * LaTeX with its delimiters ($$...$$, \(...\), \[...\], $...$ on one line, or an unclosed $$, \( or \[) in the
     * text people see, a TeX syntax error (noErrors shows the source) or an undefined macro (noUndefined shows its
     * name in red).
     */
    static final String MEASURE = """
            <script>
            window.addEventListener('load', function () {
              function report() {
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
                var prose = document.querySelectorAll('.jp-MarkdownOutput, .text_cell_render');
                for (var c = 0; c < prose.length; c++) {
                  var text = prose[c].innerText, source = /\\$\\$[\\s\\S]*?\\$\\$|\\\\\\([\\s\\S]*?\\\\\\)|\\\\\\[[\\s\\S]*?\\\\\\]|\\$[^$\\n]+\\$|\\$\\$|\\\\\\(|\\\\\\[/g, m;
                  while ((m = source.exec(text)) !== null) {
                    lines.push('untypeset ' + text.substr(m.index, 60).replace(/\\s+/g, ' '));
                  }
                  var errors = prose[c].querySelectorAll('.mjx-noError, .MathJax_Error, mtext[mathcolor="red"]');
                  for (var e = 0; e < errors.length; e++) {
                    lines.push('untypeset TeX error: ' + errors[e].textContent.substr(0, 60).replace(/\\s+/g, ' '));
                  }
                }
                var out = document.createElement('pre');
                out.id = 'ldmlab-report';
                out.textContent = lines.concat(['end']).join('\\n');
                document.body.appendChild(out);
              }
              if (window.MathJax && MathJax.Hub) {
                MathJax.Hub.Register.StartupHook('End', function () { MathJax.Hub.Queue(report); });
              } else {
                report();
              }
            });
            </script>
            """;

    private BrowserCheck() {}

    /** What is missing to run the check (Chromium, or the MathJax whose equations it checks), or null when both are there. */
    public static String missing() {
        return Processes.onPath("chromium") ? MathJax.missing() : "chromium is not installed (Debian: apt-get install chromium)";
    }

    /** What Chromium shows on {@code html}: its images in page order and its untypeset equations. */
    public static Page inspect(Path html) throws IOException, InterruptedException {
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

    /** The report of a dumped page; fails if the measuring script did not run to its end. */
    static Page parse(String dom, Path html) {
        Matcher report = REPORT.matcher(dom);
        if (!report.find() || !report.group(1).strip().endsWith("end")) {
            throw new NotebookFailure(html.getFileName() + ": the browser did not finish loading the page (no report on it)");
        }
        String text = report.group(1);
        List<Figure> figures = new ArrayList<>();
        Matcher line = LINE.matcher(text);
        while (line.find()) {
            figures.add(new Figure(Integer.parseInt(line.group(1)), Integer.parseInt(line.group(2)), Integer.parseInt(line.group(3)),
                    Integer.parseInt(line.group(4)), Integer.parseInt(line.group(5)), Integer.parseInt(line.group(6))));
        }
        List<String> untypeset = new ArrayList<>();
        Matcher equation = UNTYPESET.matcher(text);
        while (equation.find()) {
            untypeset.add(unescape(equation.group(1).strip()));
        }
        return new Page(figures, untypeset);
    }

    /** Text as --dump-dom serialises it inside an element. */
    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", " ").replace("&amp;", "&");
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
