package dev.iotdm.testkit.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class PublishFramerTest {

    /** CONNECT (10 bytes of body), PUBLISH QoS 1 (200 bytes: a two-byte length), PINGREQ, PUBLISH QoS 0 (3 bytes). */
    static byte[] stream() {
        return streamWith(new byte[0]);
    }

    /** {@link #stream()} with {@code tail} after it. */
    private static byte[] streamWith(byte[] tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x10);
        out.write(10);
        out.writeBytes(new byte[10]);
        out.write(0x32);
        out.write(0xC8); // 200 = 0x48 + 1 * 128
        out.write(0x01);
        out.writeBytes(new byte[200]);
        out.write(0xC0);
        out.write(0x00);
        out.write(0x30);
        out.write(3);
        out.writeBytes(new byte[] {0, 1, 'a'});
        out.writeBytes(tail);
        return out.toByteArray();
    }

    @Test
    void publishes_are_counted_where_they_end_whatever_the_chunking() {
        byte[] all = stream();
        assertThat(new PublishFramer().feed(all, all.length).publishes()).isEqualTo(2);
        for (int split = 1; split < all.length; split++) {
            PublishFramer framer = new PublishFramer();
            byte[] head = java.util.Arrays.copyOfRange(all, 0, split);
            byte[] tail = java.util.Arrays.copyOfRange(all, split, all.length);
            int first = framer.feed(head, head.length).publishes();
            int second = framer.feed(tail, tail.length).publishes();
            assertThat(first + second).as("split at %d", split).isEqualTo(2);
            // The QoS 1 publish ends at byte 12 + 3 + 200 = 215: counted in the head only when it is all there.
            assertThat(first).as("split at %d", split).isEqualTo(split >= 215 ? (split >= all.length ? 2 : 1) : 0);
        }
    }

    @Test
    void one_byte_at_a_time_counts_the_same() {
        byte[] all = stream();
        PublishFramer framer = new PublishFramer();
        int ended = 0;
        for (byte b : all) {
            ended += framer.feed(new byte[] {b}, 1).publishes();
        }
        assertThat(ended).isEqualTo(2);
    }

    @Test
    void qos_1_publishes_and_pubacks_are_counted_apart() {
        // PUBACK of MQTT 3.1.1 (packet id only), PUBACK of MQTT 5 (packet id, reason code, no properties),
        // SUBACK (type 9: not a PUBACK).
        byte[] all = streamWith(new byte[] {0x40, 2, 0, 7, 0x40, 3, 0, 8, 0, (byte) 0x90, 3, 0, 1, 1});
        int publishes = 0;
        int qos1 = 0;
        int pubacks = 0;
        PublishFramer framer = new PublishFramer();
        for (byte b : all) {
            PublishFramer.Framed f = framer.feed(new byte[] {b}, 1);
            publishes += f.publishes();
            qos1 += f.qos1();
            pubacks += f.pubacks();
        }
        assertThat(new int[] {publishes, qos1, pubacks}).containsExactly(2, 1, 2);
        assertThat(new PublishFramer().feed(all, all.length)).isEqualTo(new PublishFramer.Framed(2, 1, 2));
    }
}
