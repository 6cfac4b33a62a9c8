package org.ldmlab.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class JupyterTest {
    @Test
    void kernelspecsAreLookedForInJupytersDataFolders() {
        String paths = """
                config:
                    /root/.jupyter
                    /etc/jupyter
                data:
                    /root/.local/share/jupyter
                    /usr/share/jupyter
                runtime:
                    /root/.local/share/jupyter/runtime
                """;
        assertEquals(List.of(Path.of("/root/.local/share/jupyter"), Path.of("/usr/share/jupyter")), Jupyter.parseDataDirectories(paths));
    }
}
