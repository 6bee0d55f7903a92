package dev.iotdm.transport.netty.internal;

import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Qos;
import dev.iotdm.transport.SubscribeResult;
import dev.iotdm.transport.Subscription;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Translates between the SPI's values and Netty's MQTT messages, both ways, and nothing else:
 * no state, no protocol decisions. This is the only class that builds Netty MQTT messages.
 *
 * <p>Thread-safety: stateless.
 */
public final class Packets {

    /** PINGREQ has no variable part; one instance serves every connection. */
    public static final MqttMessage PINGREQ =
            new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));

    /** MQTT 5 reason code for a packet larger than the Maximum Packet Size. */
    public static final int PACKET_TOO_LARGE = 0x95;

    private Packets() {
    }

    /** Netty's name for an SPI version. */
    public static io.netty.handler.codec.mqtt.MqttVersion version(MqttVersion v) {
        return switch (v) {
            case MQTT_3_1_1 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_3_1_1;
            case MQTT_5 -> io.netty.handler.codec.mqtt.MqttVersion.MQTT_5;
        };
    }

    /**
     * The CONNECT for these options. MQTT 5 adds the session expiry and the largest packet this
     * client accepts.
     */
    public static MqttConnectMessage connect(MqttConnectOptions o, int maxInboundPacketSize) {
        MqttMessageBuilders.ConnectBuilder b = MqttMessageBuilders.connect()
                .protocolVersion(version(o.version()))
                .clientId(o.clientId())
                .cleanSession(o.cleanSession())
                .keepAlive((int) o.keepAlive().toSeconds());
        o.username().ifPresent(u -> b.hasUser(true).username(u));
        o.password().ifPresent(p -> b.hasPassword(true).password(p.revealUtf8()));
        if (o.version() == MqttVersion.MQTT_5) {
            MqttProperties props = new MqttProperties();
            long expiry = o.sessionExpiry().toSeconds();
            if (expiry > 0) {
                props.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, (int) expiry));
            }
            props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE, maxInboundPacketSize));
            b.properties(props);
        }
        return b.build();
    }

    /** A PUBLISH, never retained; {@code dup} marks a resend of an unacknowledged QoS 1 message. */
    public static MqttPublishMessage publish(String topic, byte[] payload, Qos qos, int packetId, boolean dup) {
        MqttFixedHeader fixed = new MqttFixedHeader(MqttMessageType.PUBLISH, dup, qos(qos), false, 0);
        return new MqttPublishMessage(fixed, new MqttPublishVariableHeader(topic, packetId, MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(payload));
    }

    /**
     * The size of a PUBLISH on the wire, to compare with a maximum packet size before sending.
     */
    public static long publishSize(String topic, byte[] payload, Qos qos, MqttVersion version) {
        long remaining = 2L + topic.getBytes(StandardCharsets.UTF_8).length + payload.length
                + (qos == Qos.AT_LEAST_ONCE ? 2 : 0) + (version == MqttVersion.MQTT_5 ? 1 : 0);
        return 1 + varIntSize(remaining) + remaining;
    }

    private static int varIntSize(long n) {
        return n < 128 ? 1 : n < 16_384 ? 2 : n < 2_097_152 ? 3 : 4;
    }

    /** One SUBSCRIBE with every filter. */
    public static MqttSubscribeMessage subscribe(List<Subscription> subscriptions, int packetId) {
        MqttMessageBuilders.SubscribeBuilder b = MqttMessageBuilders.subscribe().messageId(packetId);
        for (Subscription s : subscriptions) {
            b.addSubscription(qos(s.qos()), s.topicFilter());
        }
        return b.build();
    }

    /** The PUBACK for a received QoS 1 PUBLISH. */
    public static MqttMessage pubAck(int packetId) {
        return MqttMessageBuilders.pubAck().packetId(packetId).build();
    }

    /** A DISCONNECT; the reason code is sent in MQTT 5 only (0 = normal). */
    public static MqttMessage disconnect(MqttVersion version, int reasonCode) {
        MqttMessageBuilders.DisconnectBuilder b = MqttMessageBuilders.disconnect();
        if (version == MqttVersion.MQTT_5) {
            b.reasonCode((byte) reasonCode);
        }
        return b.build();
    }

    /**
     * The SUBACK's codes as results, one per filter: 0..2 granted (a QoS above 1 is capped at 1,
     * the most this client asks for), 0x80 and up refused.
     */
    public static List<SubscribeResult> subscribeResults(MqttSubAckMessage ack) {
        List<SubscribeResult> results = new ArrayList<>();
        for (int code : ack.payload().reasonCodes()) {
            int c = code & 0xFF;
            results.add(c >= 0x80 ? new SubscribeResult.Refused(c)
                    : new SubscribeResult.Granted(c == 0 ? Qos.AT_MOST_ONCE : Qos.AT_LEAST_ONCE));
        }
        return results;
    }

    /** The SPI's QoS of an inbound PUBLISH, or empty for QoS 2 (which this client never asks for). */
    public static Optional<Qos> qos(MqttQoS q) {
        return Qos.fromCode(q.value());
    }

    private static MqttQoS qos(Qos q) {
        return switch (q) {
            case AT_MOST_ONCE -> MqttQoS.AT_MOST_ONCE;
            case AT_LEAST_ONCE -> MqttQoS.AT_LEAST_ONCE;
        };
    }

    /** An MQTT 5 integer property, if present. */
    public static Optional<Integer> intProperty(MqttProperties props, int id) {
        if (props == null) {
            return Optional.empty();
        }
        MqttProperties.MqttProperty<?> p = props.getProperty(id);
        return p != null && p.value() instanceof Integer i ? Optional.of(i) : Optional.empty();
    }

    /** The MQTT 5 reason string, if present. */
    public static Optional<String> reasonString(MqttProperties props) {
        if (props == null) {
            return Optional.empty();
        }
        MqttProperties.MqttProperty<?> p = props.getProperty(MqttProperties.REASON_STRING);
        return p != null && p.value() instanceof String s ? Optional.of(s) : Optional.empty();
    }
}
