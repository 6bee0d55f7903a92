package dev.iotdm.transport.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A broker whose every answer the test decides, for what a real broker will not do on demand:
 * keep a PUBACK back, claim a session it kept, announce a Receive Maximum or Maximum Packet Size,
 * refuse a CONNECT with a chosen code, or stay silent. It records every packet the client sends,
 * DUP flag included. Built on Netty's MQTT codec, on 127.0.0.1 with a free port.
 */
final class ScriptedBroker implements AutoCloseable {

    /** A PUBLISH as the broker received it. */
    record Published(String topic, int packetId, int qos, boolean dup, byte[] payload) {
    }

    /** How the broker answers the next CONNECTs (mutable between connections). */
    static final class Script {
        volatile int connackCode;
        volatile boolean sessionPresent;
        volatile boolean answerConnect = true;
        volatile boolean ackPublishes = true;
        volatile Integer receiveMaximum;
        volatile Integer maximumPacketSize;
    }

    final Script script = new Script();
    final BlockingQueue<Published> publishes = new LinkedBlockingQueue<>();
    final BlockingQueue<Integer> pubAcks = new LinkedBlockingQueue<>();
    final BlockingQueue<MqttMessageType> packets = new LinkedBlockingQueue<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
            new DefaultThreadFactory("scripted-broker", true), NioIoHandler.newFactory());
    private final AtomicReference<Channel> client = new AtomicReference<>();
    private final Channel server;

    ScriptedBroker() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new MqttDecoder(), MqttEncoder.INSTANCE, new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next PUBLISH from the client, failing the test if none comes in time. */
    Published awaitPublish(Duration timeout) throws InterruptedException {
        Published p = publishes.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (p == null) {
            throw new AssertionError("no PUBLISH reached the broker within " + timeout);
        }
        return p;
    }

    /** Sends a QoS 1 PUBLISH to the connected client. */
    void sendToClient(String topic, byte[] payload, int packetId) {
        Channel ch = client.get();
        if (ch == null) {
            throw new AssertionError("no client is connected");
        }
        ch.writeAndFlush(new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false,
                MqttQoS.AT_LEAST_ONCE, false, 0), new MqttPublishVariableHeader(topic, packetId),
                Unpooled.wrappedBuffer(payload)));
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<MqttMessage> {
        private boolean mqtt5;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
            MqttMessageType type = msg.fixedHeader().messageType();
            packets.add(type);
            switch (type) {
                case CONNECT -> connect(ctx, (MqttConnectMessage) msg);
                case PUBLISH -> {
                    MqttPublishMessage p = (MqttPublishMessage) msg;
                    int id = p.variableHeader().packetId();
                    publishes.add(new Published(p.variableHeader().topicName(), id, p.fixedHeader().qosLevel().value(),
                            p.fixedHeader().isDup(), ByteBufUtil.getBytes(p.content())));
                    if (id > 0 && script.ackPublishes) {
                        ctx.writeAndFlush(MqttMessageBuilders.pubAck().packetId(id).build());
                    }
                }
                case PUBACK -> pubAcks.add(((MqttMessageIdVariableHeader) msg.variableHeader()).messageId());
                case PINGREQ -> ctx.writeAndFlush(new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGRESP,
                        false, MqttQoS.AT_MOST_ONCE, false, 0)));
                case DISCONNECT -> ctx.close();
                default -> { }
            }
        }

        private void connect(ChannelHandlerContext ctx, MqttConnectMessage c) {
            client.set(ctx.channel());
            mqtt5 = c.variableHeader().version() == MqttVersion.MQTT_5.protocolLevel();
            if (!script.answerConnect) {
                return;
            }
            MqttProperties props = new MqttProperties();
            if (mqtt5 && script.receiveMaximum != null) {
                props.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, script.receiveMaximum));
            }
            if (mqtt5 && script.maximumPacketSize != null) {
                props.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE,
                        script.maximumPacketSize));
            }
            ctx.writeAndFlush(MqttMessageBuilders.connAck()
                    .returnCode(MqttConnectReturnCode.valueOf((byte) script.connackCode))
                    .sessionPresent(script.connackCode == 0 && script.sessionPresent)
                    .properties(props).build());
        }
    }
}
