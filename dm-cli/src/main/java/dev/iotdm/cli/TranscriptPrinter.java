package dev.iotdm.cli;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.ConnectionMarker;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import dev.iotdm.testkit.transcript.TranscriptItem;
import dev.iotdm.testkit.transcript.TranscriptListener;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Prints each transcript item as one compact line: local time of day, direction, (client id),
 * topic and the payload as compact JSON, escaped and cut at a readable length unless full payloads are asked for. The full transcript stays
 * available from the recorder; this is the live view.
 *
 * <p>Thread-safety: stateless apart from the stream, whose {@code println} is atomic.
 */
final class TranscriptPrinter implements TranscriptListener {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final int MAX_PAYLOAD_CHARS = 160;

    private final PrintStream out;
    private final boolean showClientId;
    private final int maxPayloadChars;

    /**
     * A printer to {@code out} that cuts payloads at {@value #MAX_PAYLOAD_CHARS} characters.
     *
     * @param showClientId whether lines name the device (off when there is only one)
     */
    TranscriptPrinter(PrintStream out, boolean showClientId) {
        this(out, showClientId, false);
    }

    /**
     * A printer to {@code out}.
     *
     * @param showClientId whether lines name the device (off when there is only one)
     * @param fullPayloads whether payloads are printed whole instead of cut
     */
    TranscriptPrinter(PrintStream out, boolean showClientId, boolean fullPayloads) {
        this.out = Objects.requireNonNull(out, "out");
        this.showClientId = showClientId;
        this.maxPayloadChars = fullPayloads ? Integer.MAX_VALUE : MAX_PAYLOAD_CHARS;
    }

    @Override
    public void added(TranscriptItem item) {
        out.println(line(item));
    }

    /** The compact line for an item; every piece of wire text is escaped ({@link WireText#escape}). */
    String line(TranscriptItem item) {
        StringBuilder b = new StringBuilder("  ").append(TIME.format(item.time())).append(' ');
        if (item instanceof TranscriptEntry e) {
            b.append(e.direction() == Direction.DEVICE_TO_PLATFORM ? "D->P " : "P->D ");
            if (showClientId) {
                b.append(WireText.escape(e.clientId())).append(' ');
            }
            // A redelivery (DUP) may repeat a message the transcript already shows: say so.
            b.append(WireText.escape(e.topic())).append(e.duplicate() ? " [DUP] " : " ")
                    .append(compact(e.payload(), maxPayloadChars));
        } else if (item instanceof ConnectionMarker m) {
            b.append(m.kind() == ConnectionMarker.Kind.CONNECT ? "---- connected " : "---- disconnected ")
                    .append(WireText.escape(m.clientId()));
        }
        return b.toString();
    }

    /** JSON compacted, anything else as text; escaped, and cut at {@value #MAX_PAYLOAD_CHARS} characters. */
    static String compact(byte[] payload) {
        return compact(payload, MAX_PAYLOAD_CHARS);
    }

    /** JSON compacted, anything else as text; escaped, and cut at {@code limit} characters. */
    static String compact(byte[] payload, int limit) {
        String text;
        try {
            text = JsonValue.parse(payload).toJson();
        } catch (IllegalArgumentException notJson) {
            text = new String(payload, StandardCharsets.UTF_8);
        }
        return WireText.escape(text, limit);
    }
}
