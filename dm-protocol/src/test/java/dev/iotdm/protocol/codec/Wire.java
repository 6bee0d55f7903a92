package dev.iotdm.protocol.codec;

import dev.iotdm.protocol.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

/** Shortcuts for golden tests: decode JSON text, encode to text, compact a text block. */
final class Wire {

    /** The codec under test, with the platform's limits. */
    static final Codec CODEC = Codec.standard();

    /** The placeholder standing for a device-generated reqId in expected text (§12.3). */
    static final String REQ_ID_PLACEHOLDER = "<reqId>";

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private Wire() {
    }

    static DecodeResult decode(String topic, String json) {
        return CODEC.decode(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    static DecodeResult decode(String topic, byte[] payload) {
        return CODEC.decode(topic, payload);
    }

    /** The canonical payload of {@code m} as text. */
    static String encode(Message m) {
        return CODEC.encode(m).payloadText();
    }

    /** A reqId as our device generates them (a random UUID, §2.1). */
    static String generatedReqId() {
        return UUID.randomUUID().toString();
    }

    /** {@code text} with every UUID replaced by {@link #REQ_ID_PLACEHOLDER}. */
    static String withReqIdPlaceholder(String text) {
        return UUID_TEXT.matcher(text).replaceAll(REQ_ID_PLACEHOLDER);
    }

    /**
     * JSON text without the whitespace between tokens, so that expected payloads can be written
     * one field per line. Written by hand on purpose: it must not share code with the codec.
     */
    static String compact(String json) {
        StringBuilder b = new StringBuilder(json.length());
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (inString) {
                b.append(c);
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
                b.append(c);
            } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
