package dev.iotdm.transport.netty;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.testkit.broker.DeviceBroker;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.DevicePublishListener;
import dev.iotdm.testkit.lockstep.LockstepPeer;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A platform for many devices at once, where a lockstep peer (one expected message at a time)
 * cannot keep up: it answers every manage with rc 200 itself and collects every device response
 * by reqId, so a test sends requests to hundreds of devices and then waits for their answers.
 */
final class AnsweringPlatform implements DevicePublishListener {

    static final String ORG = "nettyorg";
    static final String TYPE = "gateway";
    static final String TOKEN = "fleet-token";

    private final Map<String, CompletableFuture<String>> responses = new ConcurrentHashMap<>();
    final AtomicInteger manages = new AtomicInteger();
    private volatile DeviceBroker broker;

    void attach(DeviceBroker b) {
        this.broker = b;
    }

    @Override
    public void onPublish(DevicePublish p) {
        String text = new String(p.payload(), StandardCharsets.UTF_8);
        if (p.topic().equals("iotdevice-1/mgmt/manage")) {
            manages.incrementAndGet();
            broker.sendToDevice(p.clientId(), "iotdm-1/response", ("{\"rc\":200,\"reqId\":\""
                    + LockstepPeer.member(p, "reqId") + "\"}").getBytes(StandardCharsets.UTF_8), 1, Duration.ofSeconds(30));
        } else if (p.topic().equals("iotdevice-1/response")) {
            response(LockstepPeer.member(p, "reqId")).complete(text);
        }
    }

    /** Completes with the device's response to the request with this reqId. */
    CompletableFuture<String> response(String reqId) {
        return responses.computeIfAbsent(reqId, k -> new CompletableFuture<>());
    }

    /** Sends a reboot request to a device; its answer completes {@link #response(String)}. */
    CompletableFuture<Void> initiateReboot(String clientId, String reqId) {
        return broker.sendToDevice(clientId, "iotdm-1/mgmt/initiate/device/reboot",
                ("{\"reqId\":\"" + reqId + "\"}").getBytes(StandardCharsets.UTF_8), 1, Duration.ofSeconds(30));
    }

    /** A device whose reboot handler accepts, on shared pools (no thread per device). */
    static ManagedClient device(String deviceId, String host, int port, MqttVersion version, MqttTransport transport,
            Executor pool, ScheduledExecutorService timer, AtomicInteger reboots) {
        DeviceOptions options = DeviceOptions.builder().org(ORG).typeId(TYPE).deviceId(deviceId).token(TOKEN)
                .host(host).port(port).withoutTls().mqttVersion(version).build();
        return ManagedClient.builder(options).transport(transport).executor(pool).callbackExecutor(pool)
                .scheduler(timer).requestTimeout(Duration.ofSeconds(60)).connectTimeout(Duration.ofSeconds(60))
                .deviceActionHandler((kind, reqId) -> {
                    reboots.incrementAndGet();
                    return CompletableFuture.completedFuture(ActionResponse.accepted());
                }).build();
    }
}
