package org.ldmlab.cli;

import java.nio.file.Path;

/**
 * The ldm-lab checkout the command runs from: the launcher passes it as {@code -Dldmlab.home}, so default
 * outputs such as figures/ land in the repository whatever the working folder; without it, the working folder.
 */
final class Repository {
    private Repository() {}

    static Path path(String relative) {
        return Path.of(System.getProperty("ldmlab.home", ".")).resolve(relative);
    }
}
