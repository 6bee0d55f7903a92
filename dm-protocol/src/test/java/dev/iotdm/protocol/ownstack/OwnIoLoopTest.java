package dev.iotdm.protocol.ownstack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.Decoded;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.session.DeviceActionKind;
import dev.iotdm.protocol.session.DeviceSession;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionAction;
import dev.iotdm.protocol.session.SessionConfig;
import dev.iotdm.protocol.session.SessionEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A user who depends on dm-protocol alone: no dm-client, no transport, no harness of ours. The
 * device engine is driven by a dozen lines of the user's own I/O loop over a plain in-memory pipe
 * (length-prefixed frames of topic and payload), through manage, a platform request and the
 * device's response. Only exported packages are used.
 */
class OwnIoLoopTest {

    /** One direction of the user's "wire": frames written as bytes, read back in order. */
    static final class Pipe {
        private final ByteArrayOutputStream written = new ByteArrayOutputStream();
        private int readOffset;

        void write(String topic, byte[] payload) throws IOException {
            DataOutputStream out = new DataOutputStream(written);
            out.writeUTF(topic);
            out.writeInt(payload.length);
            out.write(payload);
        }

        /** The next frame as {topic, payload}, or empty when nothing more was written. */
        Optional<Object[]> read() throws IOException {
            byte[] all = written.toByteArray();
            if (readOffset >= all.length) {
                return Optional.empty();
            }
            ByteArrayInputStream bytes = new ByteArrayInputStream(all, readOffset, all.length - readOffset);
            DataInputStream in = new DataInputStream(bytes);
            String topic = in.readUTF();
            byte[] payload = new byte[in.readInt()];
            in.readFully(payload);
            readOffset = all.length - bytes.available();
            return Optional.of(new Object[] {topic, payload});
        }
    }

    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Pipe toPlatform = new Pipe();
    private final Pipe toDevice = new Pipe();
    private final List<SessionEvent> events = new ArrayList<>();
    private int ids;
    private final DeviceSession device = new DeviceSession(SessionConfig.builder().deviceActionHandler(true)
            .reqIds(() -> "own-" + (++ids)).build(), DeviceState.INITIAL);

    /** The user's I/O loop: perform the engine's actions, then feed it what arrived. */
    private void pump() throws IOException {
        boolean progress = true;
        while (progress) {
            progress = false;
            for (SessionAction a : device.pollActions()) {
                progress = true;
                if (a instanceof SessionAction.Subscribe s) {
                    device.subscribed(now, s.filters().stream().map(f -> true).toList());
                } else if (a instanceof SessionAction.Publish p) {
                    toPlatform.write(p.topic(), p.payload());
                    device.publishCompleted(now, p.id());
                } else if (a instanceof SessionAction.Emit e) {
                    events.add(e.event());
                }
            }
            Optional<Object[]> frame;
            while ((frame = toDevice.read()).isPresent()) {
                progress = true;
                device.messageArrived(now, (String) frame.get()[0], (byte[]) frame.get()[1]);
            }
        }
    }

    /** The platform's side of the pipe: the next message the device sent, decoded. */
    private Message platformReads() throws IOException {
        Object[] frame = toPlatform.read().orElseThrow(() -> new AssertionError("the device sent nothing"));
        return ((Decoded) Codec.standard().decode((String) frame[0], (byte[]) frame[1])).message();
    }

    private void platformSends(String topic, String json) throws IOException {
        toDevice.write(topic, json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void a_user_drives_the_engine_with_their_own_io_through_manage_a_platform_request_and_the_response()
            throws IOException {
        long manage = device.manage(now, ManageParams.of(3600, true, false));
        device.connected(now, false);
        pump();

        Manage sent = (Manage) platformReads();
        assertThat(sent.lifetime()).hasValue(3600);
        platformSends("iotdm-1/response", "{\"rc\":200,\"reqId\":\"" + sent.reqId() + "\"}");
        pump();
        SessionEvent.RequestCompleted done = events.stream().filter(SessionEvent.RequestCompleted.class::isInstance)
                .map(SessionEvent.RequestCompleted.class::cast).findFirst().orElseThrow();
        assertThat(done.token()).isEqualTo(manage);
        assertThat(((RequestOutcome.Answered) done.outcome()).response().rc()).isEqualTo(Rc.OK);

        platformSends("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"p-1\"}");
        pump();
        assertThat(events).contains(new SessionEvent.DeviceActionRequested("p-1", DeviceActionKind.REBOOT));
        device.respondDeviceAction(now, "p-1", Rc.ACCEPTED, null);
        pump();

        DeviceResponse answer = (DeviceResponse) platformReads();
        assertThat(answer.rc()).isEqualTo(Rc.ACCEPTED);
        assertThat(answer.reqId()).hasValue("p-1");
        assertThat(toPlatform.read()).as("nothing more on the wire").isEmpty();
    }
}
