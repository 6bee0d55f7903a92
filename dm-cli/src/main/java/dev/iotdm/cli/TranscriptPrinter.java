package dev.iotdm.cli;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.testkit.transcript.ConnectionMarker;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import dev.iotdm.testkit.transcript.TranscriptItem;
import dev.iotdm.testkit.transcript.TranscriptListener;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Prints each transcript item as one compact line: local time of day, direction, (client id),
 * topic and the payload as compact JSON, cut at a readable length. The full transcript stays
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

    /**
     * A printer to {@code out}.
     *
     * @param showClientId whether lines name the device (off when there is only one)
     */
    TranscriptPrinter(PrintStream out, boolean showClientId) {
        this.out = Objects.requireNonNull(out, "out");
        this.showClientId = showClientId;
    }

    @Override
    public void added(TranscriptItem item) {
        out.println(line(item));
    }

    /** The compact line for an item. */
    String line(TranscriptItem item) {
        StringBuilder b = new StringBuilder("  ").append(TIME.format(item.time())).append(' ');
        if (item instanceof TranscriptEntry e) {
            b.append(e.direction() == Direction.DEVICE_TO_PLATFORM ? "D->P " : "P->D ");
            if (showClientId) {
                b.append(e.clientId()).append(' ');
            }
            b.append(e.topic()).append(' ').append(compact(e.payload()));
        } else if (item instanceof ConnectionMarker m) {
            b.append(m.kind() == ConnectionMarker.Kind.CONNECT ? "---- connected " : "---- disconnected ")
                    .append(m.clientId());
        }
        return b.toString();
    }

    /** JSON compacted, anything else as text on one line; cut at {@value #MAX_PAYLOAD_CHARS} characters. */
    static String compact(byte[] payload) {
        String text;
        try {
            text = JsonValue.parse(payload).toJson();
        } catch (IllegalArgumentException notJson) {
            text = new String(payload, java.nio.charset.StandardCharsets.UTF_8).replace("\n", "\\n").replace("\r", "\\r");
        }
        return text.length() <= MAX_PAYLOAD_CHARS ? text : text.substring(0, MAX_PAYLOAD_CHARS - 3) + "...";
    }
}
