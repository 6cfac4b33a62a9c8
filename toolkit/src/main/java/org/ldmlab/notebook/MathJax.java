package org.ldmlab.notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The MathJax that typesets the labs' equations in their HTML renders, with no network: Debian's libjs-mathjax
 * (MathJax 2.7, the version nbconvert's template configures). A render references it by a relative URL,
 * {@code mathjax/MathJax.js}, and the folder of renders holds a link {@code mathjax} to the installed copy, so
 * the folder opens offline as it is, and a copy of it made with links followed ({@code cp -rL}) opens anywhere,
 * a course's website included. (nbconvert's own default is a CDN, which an offline render cannot reach: the
 * equations then show as LaTeX source.)
 */
public final class MathJax {
    /** Where Debian's libjs-mathjax installs it. */
    static final Path INSTALLED = Path.of("/usr/share/javascript/mathjax");
    /** The folder name of the link beside the renders. */
    static final String FOLDER = "mathjax";
    /** What a render's script tag loads: the configuration nbconvert's default URL names. */
    public static final String URL = FOLDER + "/MathJax.js?config=TeX-AMS_CHTML-full,Safe";

    private MathJax() {}

    /** What is missing to typeset the renders' equations, or null when MathJax is installed. */
    public static String missing() {
        return Files.isRegularFile(INSTALLED.resolve("MathJax.js")) ? null
                : "MathJax is not installed, so the renders' equations would show as LaTeX source (Debian: apt-get install libjs-mathjax)";
    }

    /**
     * Makes {@code renders/mathjax} the installed MathJax: a link, renewed on every run; a real folder there (a copy
     * made for publishing) is left as it is.
     */
    public static void linkInto(Path renders) throws IOException {
        Path link = renders.resolve(FOLDER);
        if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(link)) {
            return;
        }
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, INSTALLED);
    }
}
