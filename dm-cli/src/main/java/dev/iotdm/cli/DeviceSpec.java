package dev.iotdm.cli;

import dev.iotdm.protocol.topic.Identifiers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A device to register with the platform, written {@code org:type:id:token} on the command line
 * and in device files. The token may itself contain {@code :}.
 *
 * <p>Thread-safety: immutable. {@link #toString()} never shows the token.
 *
 * @param org the organisation id (letters and digits)
 * @param typeId the device type (protocol.md §1.4)
 * @param deviceId the device id (protocol.md §1.4)
 * @param token the device's token, its MQTT password
 */
record DeviceSpec(String org, String typeId, String deviceId, String token) {

    /** Validates every part, naming the bad one. */
    DeviceSpec {
        Identifiers.requireOrgId("org", org);
        Identifiers.requireDeviceId("type", typeId);
        Identifiers.requireDeviceId("device id", deviceId);
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token must not be empty");
        }
    }

    /**
     * Parses {@code org:type:id:token}.
     *
     * @throws IllegalArgumentException naming what is missing or malformed
     */
    static DeviceSpec parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("device must be org:type:id:token");
        }
        String[] parts = text.trim().split(":", 4);
        if (parts.length != 4) {
            throw new IllegalArgumentException("device must be org:type:id:token, got " + parts.length
                    + " part(s) in '" + redact(text) + "'");
        }
        try {
            return new DeviceSpec(parts[0], parts[1], parts[2], parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("device '" + redact(text) + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads a device file: one {@code org:type:id:token} per line; blank lines and lines starting
     * with {@code #} are skipped.
     *
     * @throws IllegalArgumentException naming the file and line of a bad entry, or an unreadable file
     */
    static List<DeviceSpec> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read the device file " + file + ": " + e.getMessage(), e);
        }
        List<DeviceSpec> specs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                specs.add(parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return specs;
    }

    /** The MQTT client id {@code d:org:type:id} (protocol.md §1.4). */
    String clientId() {
        return "d:" + org + ":" + typeId + ":" + deviceId;
    }

    /** The text with the token (everything after the third colon) hidden. */
    private static String redact(String text) {
        int colons = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == ':' && ++colons == 3) {
                return text.substring(0, i + 1) + "***";
            }
        }
        return text;
    }

    @Override
    public String toString() {
        return "DeviceSpec[" + clientId() + ", token=***]";
    }
}
