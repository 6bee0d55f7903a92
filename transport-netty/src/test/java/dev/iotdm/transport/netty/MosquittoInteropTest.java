package dev.iotdm.transport.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ManagedClient;
import dev.iotdm.client.config.DeviceOptions;
import dev.iotdm.testkit.broker.DevicePublish;
import dev.iotdm.testkit.broker.ExternalBroker;
import dev.iotdm.testkit.broker.Mosquitto;
import dev.iotdm.testkit.lockstep.LockstepPeer;
import dev.iotdm.transport.MqttConnectOptions;
import dev.iotdm.transport.MqttTransport;
import dev.iotdm.transport.MqttVersion;
import dev.iotdm.transport.Transports;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Interop on a broker we did not write: our platform runs as an ordinary client
 * ({@link ExternalBroker}, over Netty) on Debian's mosquitto, and a device over Paho (MQTT 5) and
 * one over Netty (MQTT 3.1.1) are each managed and answer one platform request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosquittoInteropTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Mosquitto mosquitto;

    @BeforeAll
    void startMosquitto() {
        assumeTrue(Mosquitto.installedOrFailOnCi(), "mosquitto is not installed (" + Mosquitto.BINARY + ")");
        mosquitto = Mosquitto.start(WAIT);
    }

    @AfterAll
    void stopMosquitto() {
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void a_paho_device_on_mqtt_5_is_managed_and_answers_a_reboot_on_mosquitto() throws Exception {
        managedAndAnswering(Transports.load("paho"), MqttVersion.MQTT_5, "paho-dev");
    }

    @Test
    void a_netty_device_on_mqtt_3_1_1_is_managed_and_answers_a_reboot_on_mosquitto() throws Exception {
        managedAndAnswering(Transports.load("netty"), MqttVersion.MQTT_3_1_1, "netty-dev");
    }

    private void managedAndAnswering(MqttTransport deviceTransport, MqttVersion version, String deviceId)
            throws Exception {
        String deviceClientId = "d:interop:sensor:" + deviceId;
        LockstepPeer peer = new LockstepPeer();
        MqttConnectOptions platformOptions = MqttConnectOptions.builder().clientId("a:interop:" + deviceId)
                .host(mosquitto.host()).port(mosquitto.port()).version(MqttVersion.MQTT_3_1_1).build();
        AtomicInteger reboots = new AtomicInteger();
        try (ExternalBroker platform = ExternalBroker.connect(Transports.load("netty"), platformOptions,
                deviceClientId, peer, WAIT)) {
            peer.attach(platform);
            DeviceOptions options = DeviceOptions.builder().org("interop").typeId("sensor").deviceId(deviceId)
                    .token("interop-token").host(mosquitto.host()).port(mosquitto.port()).withoutTls()
                    .mqttVersion(version).build();
            try (ManagedClient device = ManagedClient.builder(options).transport(deviceTransport).requestTimeout(WAIT)
                    .deviceActionHandler((kind, reqId) -> {
                        reboots.incrementAndGet();
                        return CompletableFuture.completedFuture(ActionResponse.accepted());
                    }).build()) {
                ManagedClient.await(device.connect(), WAIT);
                CompletableFuture<?> managed = device.manage(3600, true, false);
                DevicePublish manage = peer.take(WAIT);
                assertThat(manage.topic()).isEqualTo("iotdevice-1/mgmt/manage");
                peer.send(deviceClientId, "iotdm-1/response",
                        "{\"rc\":200,\"reqId\":\"" + LockstepPeer.member(manage, "reqId") + "\"}", WAIT);
                ManagedClient.await(managed, WAIT);
                peer.exchange(deviceClientId, "iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":\"interop-1\"}",
                        "iotdevice-1/response", "{\"rc\":202,\"reqId\":\"interop-1\"}", WAIT);
                assertThat(reboots.get()).isEqualTo(1);
            } finally {
                deviceTransport.close();
            }
        }
    }
}
