package dev.iotdm.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reference payloads of protocol.md, read from {@code reference-payloads.txt}: every
 * message the codec benchmarks time.
 */
final class ReferencePayloads {

    /**
     * One reference payload.
     *
     * @param name a short name for the table
     * @param topic the topic it arrives on
     * @param payload its UTF-8 bytes
     */
    record Payload(String name, String topic, byte[] payload) {
        /** Requires every part. */
        Payload {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(topic, "topic");
            Objects.requireNonNull(payload, "payload");
        }
    }

    private static final List<Payload> ALL = load();

    private ReferencePayloads() {
    }

    /** Every reference payload, in the file's order. */
    static List<Payload> all() {
        return ALL;
    }

    /** The payload named {@code name}. */
    static Payload named(String name) {
        return ALL.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no reference payload named '" + name + "'"));
    }

    private static List<Payload> load() {
        List<Payload> out = new ArrayList<>();
        try (InputStream in = ReferencePayloads.class.getResourceAsStream("reference-payloads.txt")) {
            if (in == null) {
                throw new IllegalStateException("reference-payloads.txt is missing from the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split(" ", 3);
                out.add(new Payload(parts[0], parts[1], parts[2].getBytes(StandardCharsets.UTF_8)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(out);
    }
}
