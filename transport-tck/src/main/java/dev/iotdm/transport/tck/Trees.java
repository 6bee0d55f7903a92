package dev.iotdm.transport.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;

/** Deletes the temporary directory trees the contracts write certificates into. */
final class Trees {

    private Trees() {
    }

    /** Deletes {@code dir} and everything under it; does nothing for {@code null}. */
    static void delete(Path dir) throws IOException {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
