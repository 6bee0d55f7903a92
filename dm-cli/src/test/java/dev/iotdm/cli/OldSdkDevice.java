package dev.iotdm.cli;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.testkit.raw.Connack;
import dev.iotdm.testkit.raw.ConnectOptions;
import dev.iotdm.testkit.raw.MqttPublish;
import dev.iotdm.testkit.raw.RawMqttClient;
import dev.iotdm.testkit.raw.RawMqttClient.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * A device written against one of the old SDKs of protocol.md §14, scripted on a raw MQTT 3.1.1
 * socket so that every byte it sends is the SDK's: its own thread boots (connect, subscribe and
 * manage in the SDK's order and QoS), then answers the platform's requests as the SDK did, and on a
 * reboot or factory reset disconnects and boots again, as a restarted device would.
 *
 * <p>Like the SDKs it reads every key of a {@code mgmt.firmware} value it is sent (§6.5): the Python
 * SDKs crash on a missing one (KeyError: nothing more is answered), iot-java refuses the update with
 * 404, and Node stores the value as sent, losing what was left out. Each such reaction, and anything
 * else the device did not expect, is recorded in {@link #problems()}, which a test expects empty.
 *
 * <p>Thread-safety: the device's thread does all the MQTT work; the test thread reads the recorded
 * state through thread-safe collections and waits on {@link #awaitBooted}.
 */
final class OldSdkDevice implements AutoCloseable {

    /** The old clients of protocol.md §14. */
    enum Sdk {
        /** Python {@code ibmiotf} 0.4.0 with its managed on_connect wired (≤ 0.2.x): one SUBSCRIBE, then manage. */
        PYTHON_IBMIOTF,
        /** Python {@code wiotp-sdk} 1.0.1: one SUBSCRIBE per filter and a manage on each SUBACK (ten). */
        WIOTP_SDK,
        /** Java {@code iot-java} 0.2.6/0.2.7: iotdm-1/response first, the request topics after the manage answer. */
        IOT_JAVA,
        /** Node {@code ibmiotf} 0.2.41: everything at QoS 0, manage before its SUBSCRIBE. */
        NODE_IBMIOTF;

        boolean python() {
            return this == PYTHON_IBMIOTF || this == WIOTP_SDK;
        }

        /** The QoS of every DM publish: Node used 0 (§14), the others 1. */
        int qos() {
            return this == NODE_IBMIOTF ? 0 : 1;
        }
    }

    /** The request topics of the Python SDKs, subscribed together (ibmiotf) or one by one (wiotp-sdk), §1.10. */
    private static final List<String> PYTHON_FILTERS = List.of("iotdm-1/response", "iotdm-1/observe",
            "iotdm-1/mgmt/initiate/device/reboot", "iotdm-1/mgmt/initiate/device/factory_reset",
            "iotdm-1/device/update", "iotdm-1/mgmt/initiate/firmware/update",
            "iotdm-1/mgmt/initiate/firmware/download", "iotdm-1/cancel", "iot-2/cmd/+/fmt/+", "iotdm-1/mgmt/custom/#");
    /** iot-java's request topics, subscribed after the manage answer (§1.10). */
    private static final List<String> JAVA_FILTERS = List.of("iotdm-1/device/update", "iotdm-1/observe",
            "iotdm-1/cancel", "iotdm-1/mgmt/initiate/device/reboot", "iotdm-1/mgmt/initiate/device/factory_reset",
            "iotdm-1/mgmt/initiate/firmware/download", "iotdm-1/mgmt/initiate/firmware/update",
            "iotdm-1/mgmt/custom/#");
    /** The keys of mgmt.firmware that the SDKs read unconditionally (§6.1, §6.5). */
    static final List<String> FIRMWARE_KEYS = List.of("name", "version", "uri", "verifier", "state", "updateStatus",
            "updatedDateTime");
    private static final Duration WAIT = PlatformRun.WAIT;

    private final Sdk sdk;
    private final int port;
    private final String clientId;
    private final String token;
    private final String bundle;
    private final Thread thread;
    private final List<String> problems = new CopyOnWriteArrayList<>();
    private final Map<String, JsonValue> firmware = new LinkedHashMap<>();
    private final Set<String> managesSent = new ConcurrentSkipListSet<>();
    private final Set<String> managesAnswered = new ConcurrentSkipListSet<>();
    private final Object bootLock = new Object();
    private volatile RawMqttClient mqtt;
    private volatile boolean running = true;
    private volatile boolean crashed;
    private int boots;
    private int reqIds;
    private boolean observingFirmware;
    private String lastRebootReqId;

    private OldSdkDevice(Sdk sdk, int port, String clientId, String token, String bundle) {
        this.sdk = sdk;
        this.port = port;
        this.clientId = clientId;
        this.token = token;
        this.bundle = bundle;
        if (sdk == Sdk.IOT_JAVA) {
            // An iot-java application builds its DeviceFirmware up front; Node starts from nothing (§14).
            firmware.put("name", new JsonString("fw"));
            firmware.put("version", new JsonString("1.0"));
            firmware.put("state", JsonNumber.of(0));
            firmware.put("updateStatus", JsonNumber.of(0));
        }
        this.thread = new Thread(this::run, "old-sdk-" + sdk);
        this.thread.setDaemon(true);
    }

    /** Starts the device: it connects, subscribes and manages as {@code sdk} did, and keeps answering. */
    static OldSdkDevice start(Sdk sdk, int port, String clientId, String token, String bundle) {
        OldSdkDevice device = new OldSdkDevice(sdk, port, clientId, token, bundle);
        device.thread.start();
        return device;
    }

    /**
     * Waits until the device booted {@code count} times and every manage it sent was answered 200.
     *
     * @throws AssertionError naming the problems and the manages seen, if that does not happen in time
     */
    void awaitBooted(int count) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        synchronized (bootLock) {
            while (boots < count || !managesAnswered.containsAll(managesSent)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || crashed) {
                    throw new AssertionError(sdk + " device booted " + boots + " of " + count + " times; manages sent "
                            + managesSent + ", answered " + managesAnswered + "; problems " + problems);
                }
                bootLock.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** What went wrong on the device's side: incomplete requests, crashes, refusals, surprises. */
    List<String> problems() {
        return List.copyOf(problems);
    }

    /** The mgmt.firmware value the device stores, as the SDK stored it. */
    synchronized Map<String, JsonValue> firmware() {
        return Map.copyOf(firmware);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        RawMqttClient m = mqtt;
        if (m != null) {
            m.close();
        }
        thread.join(WAIT.toMillis());
    }

    // ---- the device's thread ------------------------------------------------------------------

    private void run() {
        try {
            boot(true);
            while (running) {
                MqttPublish p;
                try {
                    p = mqtt.takePublish(WAIT);
                } catch (RuntimeException timeoutOrClosed) {
                    continue; // nothing for a while, or closing: the loop condition decides
                }
                if (!crashed) {
                    handle(p);
                }
            }
        } catch (RuntimeException e) {
            if (running) {
                problems.add(sdk + " device failed: " + e);
            }
        } finally {
            synchronized (bootLock) {
                bootLock.notifyAll();
            }
        }
    }

    /** Connects and subscribes and manages in the SDK's order (§1.10, §14). */
    private void boot(boolean firstBoot) {
        RawMqttClient m = RawMqttClient.open("127.0.0.1", port, WAIT);
        mqtt = m;
        Connack connack = m.connect(ConnectOptions.device(clientId, token).withCleanSession(true).withKeepAlive(60),
                WAIT);
        if (!connack.accepted()) {
            throw new IllegalStateException("CONNACK refused: " + connack);
        }
        switch (sdk) {
            case PYTHON_IBMIOTF -> {
                m.subscribe(PYTHON_FILTERS.stream().map(f -> new Subscription(f, 1)).toList(), WAIT);
                manage();
            }
            case WIOTP_SDK -> PYTHON_FILTERS.forEach(f -> {
                m.subscribe(f, 1, WAIT);
                manage(); // on each SUBACK (§14)
            });
            case IOT_JAVA -> {
                m.subscribe(List.of(new Subscription("iotdm-1/response", 1), new Subscription("iot-2/cmd/+/fmt/+", 2)),
                        WAIT);
                String reqId = manage();
                // The request topics only once the manage is answered; nothing else can arrive before.
                while (!managesAnswered.contains(reqId)) {
                    handle(m.takePublish(WAIT));
                }
                m.subscribe(JAVA_FILTERS.stream().map(f -> new Subscription(f, 1)).toList(), WAIT);
            }
            case NODE_IBMIOTF -> {
                manage(); // before its SUBSCRIBE (§14)
                m.subscribe(List.of(new Subscription("iotdm-1/#", 1), new Subscription("iot-2/cmd/+/fmt/+", 2)), WAIT);
            }
        }
        if (firstBoot) {
            reportLocationAndLog();
        }
        synchronized (bootLock) {
            boots++;
            bootLock.notifyAll();
        }
    }

    /** Sends the SDK's manage request and returns its reqId. */
    private String manage() {
        String reqId = nextReqId("manage");
        String supports = "\"deviceActions\": true, \"firmwareActions\": true, \"" + bundle + "\": true";
        String payload = switch (sdk) {
            // Python: lifetime, supports, deviceInfo (every key, unset ones null), metadata {} (§14).
            case PYTHON_IBMIOTF -> "{\"d\": {\"lifetime\": 3600, \"supports\": {" + supports + "}, \"deviceInfo\":"
                    + " {\"serialNumber\": null, \"manufacturer\": null, \"model\": null, \"deviceClass\": null,"
                    + " \"description\": null, \"fwVersion\": \"1.0\", \"hwVersion\": null,"
                    + " \"descriptiveLocation\": null}, \"metadata\": {}}, \"reqId\": \"" + reqId + "\"}";
            case WIOTP_SDK -> "{\"d\": {\"lifetime\": 3600, \"supports\": {" + supports + "}, \"deviceInfo\": {},"
                    + " \"metadata\": {}}, \"reqId\": \"" + reqId + "\"}";
            case IOT_JAVA -> compact("{\"d\":{\"supports\":{" + supports + "},\"deviceInfo\":{"
                    + "\"serialNumber\":\"SN-1\",\"fwVersion\":\"1.0\"},\"metadata\":{},\"lifetime\":3600},\"reqId\":\""
                    + reqId + "\"}");
            case NODE_IBMIOTF -> compact("{\"d\":{\"lifetime\":3600,\"supports\":{" + supports + "}},\"reqId\":\""
                    + reqId + "\"}");
        };
        managesSent.add(reqId);
        publish("iotdevice-1/mgmt/manage", payload);
        return reqId;
    }

    /** What an application sends after its first manage: a location and a log, in its SDK's formats (§14). */
    private void reportLocationAndLog() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        switch (sdk) {
            case PYTHON_IBMIOTF, WIOTP_SDK -> {
                publish("iotdevice-1/device/update/location", "{\"reqId\": \"" + nextReqId("loc") + "\", \"d\":"
                        + " {\"latitude\": 30.2, \"longitude\": -97.7, \"elevation\": 10, \"measuredDateTime\": \""
                        + now.truncatedTo(ChronoUnit.MICROS) + "\"}}");
                // Local time without a zone (§14).
                publish("iotdevice-1/add/diag/log", "{\"reqId\": \"" + nextReqId("log") + "\", \"d\": {\"message\":"
                        + " \"started\", \"timestamp\": \"" + LocalDateTime.now().truncatedTo(ChronoUnit.MICROS)
                        + "\", \"data\": \"some data\", \"severity\": 1}}");
            }
            case IOT_JAVA -> {
                String seconds = now.truncatedTo(ChronoUnit.SECONDS).toLocalDateTime() + "+00:00";
                publish("iotdevice-1/device/update/location", "{\"reqId\":\"" + nextReqId("loc") + "\",\"d\":{"
                        + "\"latitude\":30.2,\"longitude\":-97.7,\"elevation\":10.0,\"measuredDateTime\":\"" + seconds
                        + "\"}}");
                // data base64 ("some data"), as iot-java sent it (§14).
                publish("iotdevice-1/add/diag/log", "{\"reqId\":\"" + nextReqId("log") + "\",\"d\":{\"message\":"
                        + "\"started\",\"timestamp\":\"" + seconds + "\",\"data\":\"c29tZSBkYXRh\",\"severity\":0}}");
            }
            case NODE_IBMIOTF -> publish("iotdevice-1/device/update/location", "{\"d\":{\"latitude\":30,"
                    + "\"longitude\":-97,\"measuredDateTime\":\"" + now.truncatedTo(ChronoUnit.MILLIS) + "\"},\"reqId\":\""
                    + nextReqId("loc") + "\"}");
        }
    }

    private void handle(MqttPublish p) {
        String topic = p.topic();
        JsonObject request;
        try {
            request = (JsonObject) JsonValue.parse(p.payload());
        } catch (RuntimeException e) {
            problems.add(sdk + " could not parse the platform's message on " + topic + ": " + p.payloadText());
            return;
        }
        Optional<String> reqId = text(request, "reqId");
        if (topic.equals("iotdm-1/response")) {
            reqId.filter(managesSent::contains).filter(id -> number(request, "rc") == 200).ifPresent(id -> {
                synchronized (bootLock) {
                    managesAnswered.add(id);
                    bootLock.notifyAll();
                }
            });
            return;
        }
        if (reqId.isEmpty() && !topic.equals("iotdm-1/device/update")) {
            problems.add(sdk + " received a request without reqId on " + topic + ": " + p.payloadText());
            return;
        }
        switch (topic) {
            case "iotdm-1/device/update" -> deviceUpdate(request, reqId);
            case "iotdm-1/observe" -> observe(request, reqId.get());
            case "iotdm-1/cancel" -> {
                observingFirmware = false;
                respond(200, reqId.get(), "");
            }
            case "iotdm-1/mgmt/initiate/device/reboot" -> restart(reqId.get(), false);
            case "iotdm-1/mgmt/initiate/device/factory_reset" -> restart(reqId.get(), true);
            case "iotdm-1/mgmt/initiate/firmware/download" -> download(reqId.get());
            case "iotdm-1/mgmt/initiate/firmware/update" -> update(reqId.get());
            default -> {
                if (topic.startsWith("iotdm-1/mgmt/custom/")) {
                    // Python answers a callback's truthy result with this message (§8.4).
                    respond(200, reqId.get(), sdk.python() ? "DME Action successfully completed from Callback" : "");
                } else {
                    problems.add(sdk + " received an unexpected message on " + topic + ": " + p.payloadText());
                }
            }
        }
    }

    /** device/update: stores the fields; mgmt.firmware is read key by key as the SDKs did (§6.5). */
    private void deviceUpdate(JsonObject request, Optional<String> reqId) {
        JsonObject d = (JsonObject) request.get("d").orElse(JsonObject.EMPTY);
        List<JsonValue> fields = d.get("fields").map(f -> ((JsonArray) f).elements()).orElse(List.of());
        for (JsonValue f : fields) {
            JsonObject field = (JsonObject) f;
            if (!text(field, "field").orElse("").equals("mgmt.firmware")) {
                continue;
            }
            JsonObject value = (JsonObject) field.get("value").orElse(JsonObject.EMPTY);
            List<String> missing = FIRMWARE_KEYS.stream().filter(k -> value.get(k).isEmpty()).toList();
            if (!missing.isEmpty()) {
                switch (sdk) {
                    case PYTHON_IBMIOTF, WIOTP_SDK -> {
                        // DeviceFirmware(value["name"], ...) raises KeyError: the client thread dies.
                        crashed = true;
                        problems.add(sdk + " crashed: KeyError " + missing + " in mgmt.firmware " + value.toJson());
                        return;
                    }
                    case IOT_JAVA -> {
                        problems.add(sdk + " refused an incomplete mgmt.firmware with 404, missing " + missing);
                        respond(404, reqId.orElse(null), String.join(",", missing));
                        return;
                    }
                    case NODE_IBMIOTF -> problems.add(sdk + " stored an incomplete mgmt.firmware, missing " + missing);
                }
            }
            synchronized (this) {
                firmware.clear();
                firmware.putAll(value.members());
            }
        }
        if (reqId.isPresent()) {
            respond(204, reqId.get(), "");
        } else if (sdk == Sdk.IOT_JAVA) {
            publish("iotdevice-1/response", "{\"rc\":204,\"reqId\":null}");
        } else if (sdk == Sdk.NODE_IBMIOTF) {
            publish("iotdevice-1/response", "{\"rc\":204}");
        }
    }

    private void observe(JsonObject request, String reqId) {
        observingFirmware = true;
        switch (sdk) {
            case PYTHON_IBMIOTF, WIOTP_SDK -> respond(200, reqId, ""); // no value (§14)
            case IOT_JAVA -> publish("iotdevice-1/response", "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\","
                    + "\"value\":" + firmwareJson() + "}]},\"reqId\":\"" + reqId + "\",\"rc\":200}");
            case NODE_IBMIOTF -> publish("iotdevice-1/response", "{\"rc\":200,\"reqId\":\"" + reqId + "\",\"d\":{"
                    + "\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":" + firmwareJson() + "}]}}");
        }
    }

    private void download(String reqId) {
        boolean noUri = text(new JsonObject(firmware()), "uri").filter(u -> !u.isEmpty()).isEmpty();
        if (state() != 0 || (sdk == Sdk.IOT_JAVA && noUri)) {
            respond(400, reqId, "Cannot download as the device is not in idle state");
            return;
        }
        respond(202, reqId, "");
        setFirmware("state", 1);
        if (sdk == Sdk.IOT_JAVA) {
            // The first notify carries the whole object, later ones the changed key (§14).
            Map<String, JsonValue> whole = new LinkedHashMap<>(firmware());
            whole.keySet().retainAll(Set.of("name", "version", "uri", "verifier"));
            whole.put("state", JsonNumber.of(1));
            notifyFirmware(new JsonObject(whole).toJson());
        } else {
            notifyFirmware(sdk.python() ? "{\"state\": 1}" : "{\"state\":1}");
        }
        setFirmware("state", 2);
        notifyFirmware(sdk.python() ? "{\"state\": 2}" : "{\"state\":2}");
    }

    private void update(String reqId) {
        if (sdk != Sdk.IOT_JAVA && state() != 2) {
            respond(400, reqId, "Firmware is still not successfully downloaded.");
            return;
        }
        respond(202, reqId, "");
        setFirmware("updateStatus", 1);
        setFirmware("state", 0);
        setFirmware("updateStatus", 0);
        switch (sdk) {
            // setUpdateStatus(u) always reports state 0 with it (§6.5).
            case PYTHON_IBMIOTF, WIOTP_SDK -> {
                notifyFirmware("{\"state\": 0, \"updateStatus\": 1}");
                notifyFirmware("{\"state\": 0, \"updateStatus\": 0}");
            }
            // One key per notify; state and updateStatus separately (§14).
            case IOT_JAVA, NODE_IBMIOTF -> {
                notifyFirmware("{\"updateStatus\":1}");
                notifyFirmware("{\"state\":0}");
                notifyFirmware("{\"updateStatus\":0}");
            }
        }
    }

    /** The SDKs keep the stored value current: an observe answer (iot-java, Node) reports it. */
    private synchronized void setFirmware(String key, int value) {
        firmware.put(key, JsonNumber.of(value));
    }

    /** The stored mgmt.firmware state; 0 (idle) before any value was stored. */
    private synchronized long state() {
        return firmware.containsKey("state") ? number(new JsonObject(new LinkedHashMap<>(firmware)), "state") : 0;
    }

    /** Answers 202, then restarts: disconnects and boots again, as a rebooted device does (§7). */
    private void restart(String reqId, boolean factoryReset) {
        if (factoryReset && sdk == Sdk.IOT_JAVA && lastRebootReqId != null) {
            // iot-java's shared DeviceAction answers the earlier reboot's reqId again, with 501 (§14).
            publish("iotdevice-1/response", "{\"rc\":501,\"reqId\":\"" + lastRebootReqId + "\"}");
        }
        respond(202, reqId, "");
        if (!factoryReset) {
            lastRebootReqId = reqId;
        }
        RawMqttClient old = mqtt;
        old.disconnect();
        old.close();
        boot(false);
    }

    private void notifyFirmware(String valueJson) {
        // Node notifies only while the field is observed; the others always (§6.5).
        if (sdk == Sdk.NODE_IBMIOTF && !observingFirmware) {
            return;
        }
        String payload = "{\"d\":{\"fields\":[{\"field\":\"mgmt.firmware\",\"value\":" + valueJson + "}]}}";
        publish("iotdevice-1/notify", sdk.python() ? python(payload) : payload);
    }

    /** The SDK's response to a request; {@code reqId} null only for iot-java's 404 on a push. */
    private void respond(int rc, String reqId, String message) {
        String id = reqId == null ? "null" : "\"" + reqId + "\"";
        String payload = switch (sdk) {
            case PYTHON_IBMIOTF, WIOTP_SDK -> "{\"rc\": " + rc + ", \"message\": " + new JsonString(message).toJson()
                    + ", \"reqId\": " + id + "}";
            case IOT_JAVA -> message.isEmpty() ? "{\"rc\":" + rc + ",\"reqId\":" + id + "}"
                    : "{\"rc\":" + rc + ",\"message\":" + new JsonString(message).toJson() + ",\"reqId\":" + id + "}";
            case NODE_IBMIOTF -> "{\"rc\":" + rc + ",\"reqId\":" + id + ",\"message\":"
                    + new JsonString(message).toJson() + "}";
        };
        publish("iotdevice-1/response", payload);
    }

    private void publish(String topic, String payload) {
        mqtt.publish(topic, payload.getBytes(StandardCharsets.UTF_8), sdk.qos(), WAIT);
    }

    private synchronized String firmwareJson() {
        return new JsonObject(new LinkedHashMap<>(firmware)).toJson();
    }

    private synchronized String nextReqId(String what) {
        return sdk.name().toLowerCase(Locale.ROOT) + "-" + what + "-" + ++reqIds;
    }

    private static Optional<String> text(JsonObject o, String key) {
        return o.get(key).filter(JsonString.class::isInstance).map(v -> ((JsonString) v).value());
    }

    private static long number(JsonObject o, String key) {
        return o.get(key).filter(JsonNumber.class::isInstance).map(v -> ((JsonNumber) v).longValueExact().orElse(-1))
                .orElse(-1L);
    }

    /** Python's json.dumps spacing: ", " and ": " (§14). */
    private static String python(String compactJson) {
        return compactJson.replace("\":", "\": ").replace(",\"", ", \"");
    }

    /** The compact form of the Python-spaced text used to write the payloads once. */
    private static String compact(String spaced) {
        return spaced.replace("\": ", "\":").replace(", \"", ",\"");
    }

    @Override
    public String toString() {
        return "OldSdkDevice[" + sdk + ", " + clientId + ", problems="
                + problems.stream().collect(Collectors.joining("; ")) + "]";
    }
}
