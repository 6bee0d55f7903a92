package dev.iotdm.client.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.pbt.Seeds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any configparser-legal way of writing the same [device] section reads the same options: key
 * order and case, either separator, whitespace around it, comment and blank lines, other sections.
 * Replay a failure with {@code -Dpbt.seed=N}; run more cases with {@code -Dpbt.tries=N}.
 */
class IniSyntaxProperties {

    private static final List<String[]> PAIRS = List.of(
            new String[] {"org", "abc123"}, new String[] {"type", "raspberry-pi-3"}, new String[] {"id", "00ef08ac05"},
            new String[] {"auth-method", "token"}, new String[] {"auth-token", "tok=en:with%%percent"},
            new String[] {"domain", "example.com"}, new String[] {"port", "1883"},
            new String[] {"clean-session", "false"});

    @TempDir
    Path dir;

    @Test
    void every_legal_spelling_of_the_same_file_reads_the_same_options() throws Exception {
        long seed = Seeds.runSeed();
        int tries = Seeds.tries(200);
        Random random = new Random(seed);
        for (int i = 0; i < tries; i++) {
            String text = spell(random);
            Path file = Files.writeString(dir.resolve("device-" + i + ".ini"), text);
            DeviceOptions o = DeviceConfigs.fromIniFile(file).build();
            String context = Seeds.replayHint(seed) + ", case " + i + ":\n" + text;
            assertThat(o.clientId()).as(context).isEqualTo("d:abc123:raspberry-pi-3:00ef08ac05");
            assertThat(o.token().reveal()).as(context).isEqualTo("tok=en:with%percent");
            assertThat(o.host()).as(context).isEqualTo("abc123.messaging.example.com");
            assertThat(o.port()).as(context).isEqualTo(1883);
            assertThat(o.tls()).as(context).isEmpty();
            assertThat(o.cleanSession()).as(context).isFalse();
        }
    }

    private static String spell(Random r) {
        List<String> lines = new ArrayList<>();
        boolean keysBefore = r.nextBoolean();
        if (keysBefore) {
            lines.add("[application]");
            lines.add("org = other1");
            lines.add("id: app");
        }
        // A header indented deeper than the previous key would continue that key's value.
        lines.add((keysBefore ? "" : space(r)) + "[device]" + space(r));
        String indent = space(r); // keys of one section share an indentation
        List<String[]> pairs = new ArrayList<>(PAIRS);
        Collections.shuffle(pairs, r);
        for (String[] pair : pairs) {
            if (r.nextInt(4) == 0) {
                lines.add(space(r) + (r.nextBoolean() ? "#" : ";") + " note = " + r.nextInt());
            }
            if (r.nextInt(4) == 0) {
                lines.add(space(r));
            }
            String key = r.nextBoolean() ? pair[0].toUpperCase(Locale.ROOT) : pair[0];
            String separator = r.nextBoolean() ? "=" : ":";
            lines.add(indent + key + space(r) + separator + space(r) + pair[1] + space(r));
        }
        if (r.nextBoolean()) {
            lines.add("[other]");
            lines.add("org=ignored");
        }
        return String.join(r.nextBoolean() ? "\n" : "\r\n", lines) + "\n";
    }

    private static String space(Random r) {
        return " \t  ".substring(0, r.nextInt(4));
    }
}
