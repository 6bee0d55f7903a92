package dev.iotdm.testkit.platform;

import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.DecodeError;
import dev.iotdm.protocol.codec.DecodeResult;
import dev.iotdm.protocol.codec.Decoded;
import dev.iotdm.protocol.codec.Encoded;
import dev.iotdm.protocol.codec.InvalidResponseDataException;
import dev.iotdm.protocol.codec.Problem;
import dev.iotdm.protocol.codec.ResponseViews;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.ClearErrorCodes;
import dev.iotdm.protocol.message.ClearLog;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.DeviceRequest;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FactoryReset;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareDownload;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.FirmwareUpdate;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.OtherField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.PlatformMessage;
import dev.iotdm.protocol.message.PlatformRequest;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.message.Unmanage;
import dev.iotdm.protocol.message.UpdateLocation;
import dev.iotdm.protocol.topic.CustomActionTopic;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.protocol.topic.Identifiers;
import dev.iotdm.testkit.broker.DeviceRegistry;
import dev.iotdm.testkit.broker.PublishRefusal;
import dev.iotdm.testkit.platform.OperationOutcome.DeviceGone;
import dev.iotdm.testkit.platform.OperationOutcome.Failed;
import dev.iotdm.testkit.platform.OperationOutcome.Refused;
import dev.iotdm.testkit.platform.OperationOutcome.Succeeded;
import dev.iotdm.testkit.platform.OperationOutcome.TimedOut;
import dev.iotdm.testkit.platform.PlatformAction.DisconnectDevice;
import dev.iotdm.testkit.platform.PlatformAction.Observed;
import dev.iotdm.testkit.platform.PlatformAction.OperationCompleted;
import dev.iotdm.testkit.platform.PlatformAction.SendToDevice;
import dev.iotdm.testkit.platform.PlatformEvent.BrokerRefusal;
import dev.iotdm.testkit.platform.PlatformEvent.DecodeProblem;
import dev.iotdm.testkit.platform.PlatformEvent.DeviceConnected;
import dev.iotdm.testkit.platform.PlatformEvent.DeviceDisconnected;
import dev.iotdm.testkit.platform.PlatformEvent.DeviceEvent;
import dev.iotdm.testkit.platform.PlatformEvent.MessageSeen;
import dev.iotdm.testkit.platform.PlatformEvent.Note;
import dev.iotdm.testkit.transcript.TranscriptEntry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The fake platform's device-management side as a sans-I/O engine: it never blocks, never reads a
 * clock, never starts a thread. Inputs carry the time ({@code now}); outputs are
 * {@link PlatformAction}s collected with {@link #pollActions()}; {@link #nextTimer()} says when to
 * call {@link #tick(Instant)} next. Every input first processes the timers that are due at its
 * {@code now}; time never runs backwards (an earlier {@code now} counts as the latest one seen).
 *
 * <p>What it owns:
 * <ul>
 *   <li>the device registry ({@link #register}), also serving the broker's authentication
 *       ({@link DeviceRegistry});</li>
 *   <li>the platform's model of each device ({@link DeviceView}) and the answers to device requests on
 *       {@code iotdm-1/response} (protocol.md §3, §5.2): 200; 400 for malformed or out-of-range input;
 *       404 for an unknown topic or device and for a notify of an unobserved field; 400 for DM requests
 *       other than manage from an unmanaged device ({@link PlatformConfig#rejectUnmanaged()},
 *       §12.20); 409 only through {@link PlatformFault.AnswerConflict};</li>
 *   <li>lifetime expiry (§9.1): the device becomes dormant, its {@code mgmt.*} attributes and
 *       observations are deleted;</li>
 *   <li>platform-initiated operations (§4, §6.2, §6.3, §7, §8, §10.2), each completed by one
 *       {@link PlatformAction.OperationCompleted} or by its timeout;</li>
 *   <li>the fault hooks ({@link PlatformFault}).</li>
 * </ul>
 *
 * <p>It serves every old-client behaviour of protocol.md §14: QoS 0 DM publishes, repeated manages,
 * deviceInfo with nulls or {@code {}}, zone-less timestamps, {@code "reqId": null}, stale duplicate
 * responses (noted and ignored), notify without reqId (applied, not answered), and request topics
 * subscribed only after the manage response: after answering a manage it holds platform-initiated
 * messages to that device for {@link PlatformConfig#requestGap()}, and each {@link SendToDevice}
 * carries a delivery timeout so the transport keeps retrying until the device subscribes.
 *
 * <p>The engine has its own model of the platform: it uses dm-protocol's wire layer (topics,
 * messages, codec) but never the device session engine or the device firmware table.
 *
 * <p>Thread-safety: not thread-safe; one owner drives it serially. The only exception is
 * {@link #hasToken}, which the broker calls from its own threads: tokens live in a concurrent map.
 */
public final class PlatformEngine implements DeviceRegistry {

    private static final String DEVICE_REQUEST_PREFIX = "iotdevice-1/";
    private static final String QUICKSTART = "quickstart";
    /** Why a quickstart device is refused (protocol.md §1.8). */
    private static final String QUICKSTART_REFUSAL = "'quickstart' cannot be used: device management is not"
            + " available in the quickstart organisation (protocol.md §1.8); register the device in your own"
            + " organisation";
    private static final int DM_QOS = 1;

    private final PlatformConfig config;
    private final Codec codec;
    private final Map<String, byte[]> tokens = new ConcurrentHashMap<>();
    private final Map<String, DeviceRecord> devices = new LinkedHashMap<>();
    private final List<PlatformAction> actions = new ArrayList<>();
    private final Map<String, Pending> pending = new HashMap<>();
    private final Map<Long, Operation> operations = new LinkedHashMap<>();
    private final List<ActiveFault> faults = new ArrayList<>();
    /** Messages held by a Delay fault, the earliest (then the first held) at the head. */
    private final PriorityQueue<Delayed> delayed = new PriorityQueue<>(
            Comparator.comparing(Delayed::releaseAt).thenComparingLong(Delayed::sequence));
    /** Each device's {@link DeviceRecord#nextTimer()}; kept in step by {@link #reschedule}. */
    private final DeadlineIndex<DeviceRecord> deviceTimers = new DeadlineIndex<>();
    /** Each running operation's deadline, until it completes. */
    private final DeadlineIndex<Operation> operationTimers = new DeadlineIndex<>();
    private long reqIds;
    private long tokenIds;
    private long sequence;
    private Instant now = Instant.EPOCH;

    /** An engine with {@link PlatformConfig#defaults()}. */
    public PlatformEngine() {
        this(PlatformConfig.defaults());
    }

    /**
     * An engine with the given configuration.
     *
     * @param config how the platform behaves where protocol.md leaves room; not {@code null}
     */
    public PlatformEngine(PlatformConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.codec = config.codec();
    }

    /**
     * The configuration.
     *
     * @return the configuration the engine was built with
     */
    public PlatformConfig config() {
        return config;
    }

    // ---- registry ---------------------------------------------------------------------------

    /**
     * Registers a device (or gives a registered one a new token).
     *
     * @param orgId the organisation id; not {@code quickstart} (§1.8)
     * @param typeId the device type
     * @param deviceId the device id
     * @param token the device's token; kept as bytes, never logged
     * @return its MQTT client id {@code d:<org>:<type>:<id>}
     * @throws IllegalArgumentException if an id is malformed (protocol.md §1.4), the organisation is
     *     {@code quickstart} or the token is empty
     */
    public String register(String orgId, String typeId, String deviceId, String token) {
        Identifiers.requireOrgId("orgId", orgId);
        Identifiers.requireDeviceId("typeId", typeId);
        Identifiers.requireDeviceId("deviceId", deviceId);
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("token of device " + deviceId + " must not be empty");
        }
        if (QUICKSTART.equals(orgId)) {
            throw new IllegalArgumentException(QUICKSTART_REFUSAL);
        }
        String clientId = "d:" + orgId + ":" + typeId + ":" + deviceId;
        devices.computeIfAbsent(clientId, id -> new DeviceRecord(id, devices.size(), orgId, typeId, deviceId));
        tokens.put(clientId, token.getBytes(StandardCharsets.UTF_8));
        return clientId;
    }

    /** Thread-safe; compares in constant time for equal lengths. */
    @Override
    public boolean hasToken(String clientId, String token) {
        byte[] expected = clientId == null ? null : tokens.get(clientId);
        return expected != null && token != null
                && MessageDigest.isEqual(expected, token.getBytes(StandardCharsets.UTF_8));
    }

    /** Says whether the device is unknown (or a quickstart device) or its token wrong; thread-safe. */
    @Override
    public String tokenRefusal(String clientId) {
        if (clientId.startsWith("d:" + QUICKSTART + ":")) {
            return QUICKSTART_REFUSAL;
        }
        return tokens.containsKey(clientId) ? "wrong token for device " + clientId
                : "device " + clientId + " is not registered";
    }

    /**
     * A snapshot of the platform's record of a device, if it is registered.
     *
     * @param clientId the device's MQTT client id
     * @return the record as of the latest input; empty for an unregistered id
     */
    public Optional<DeviceView> device(String clientId) {
        return Optional.ofNullable(devices.get(clientId)).map(DeviceRecord::view);
    }

    /**
     * Snapshots of every registered device, in registration order.
     *
     * @return an unmodifiable list
     */
    public List<DeviceView> devices() {
        return devices.values().stream().map(DeviceRecord::view).toList();
    }

    // ---- faults -----------------------------------------------------------------------------

    /**
     * Adds a fault; it applies from the next message on.
     *
     * @param fault the fault; not {@code null}
     */
    public void addFault(PlatformFault fault) {
        faults.add(new ActiveFault(Objects.requireNonNull(fault, "fault")));
    }

    /** Removes every fault (messages already delayed stay delayed). */
    public void clearFaults() {
        faults.clear();
    }

    // ---- inputs from the transport ----------------------------------------------------------

    /**
     * A device connected (after authentication).
     *
     * @param now the input's time; not {@code null}
     * @param clientId the client id; an unregistered one is observed but changes no record
     */
    public void deviceConnected(Instant now, String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        advance(now);
        DeviceRecord d = devices.get(clientId);
        if (d != null) {
            d.connected = true;
            d.connections++;
            d.lastActivity = this.now;
        }
        observe(new DeviceConnected(this.now, clientId));
    }

    /**
     * A device's connection ended.
     *
     * @param now the input's time; not {@code null}
     * @param clientId the client id; not {@code null}
     */
    public void deviceDisconnected(Instant now, String clientId) {
        Objects.requireNonNull(clientId, "clientId");
        advance(now);
        DeviceRecord d = devices.get(clientId);
        if (d != null) {
            d.connected = false;
        }
        observe(new DeviceDisconnected(this.now, clientId));
    }

    /**
     * A device published a message. Decoded with the codec, answered per protocol.md §3/§5.2, fed to
     * the running operations, and recorded for the observers.
     *
     * @param now the input's time; not {@code null}
     * @param clientId the sender; not {@code null}
     * @param topic the topic; not {@code null}
     * @param payload the payload as received; not {@code null}; copied
     * @param qos the publish's QoS
     * @param retain the retain flag as sent
     */
    public void devicePublished(Instant now, String clientId, String topic, byte[] payload, int qos,
            boolean retain) {
        devicePublished(now, clientId, topic, payload, qos, retain, false);
    }

    /**
     * A device published a message, possibly a redelivery ({@code duplicate}: the DUP flag as
     * received, recorded on the transcript entry so a repeated message is told apart from a new
     * one); otherwise as {@link #devicePublished(Instant, String, String, byte[], int, boolean)}.
     *
     * @param now the input's time; not {@code null}
     * @param clientId the sender; not {@code null}
     * @param topic the topic; not {@code null}
     * @param payload the payload as received; not {@code null}; copied
     * @param qos the publish's QoS
     * @param retain the retain flag as sent
     * @param duplicate the DUP flag as received
     */
    public void devicePublished(Instant now, String clientId, String topic, byte[] payload, int qos,
            boolean retain, boolean duplicate) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payload, "payload");
        advance(now);
        observe(new MessageSeen(new TranscriptEntry(this.now, Direction.DEVICE_TO_PLATFORM, clientId, topic, payload,
                qos, retain, duplicate)));
        DeviceRecord d = devices.get(clientId);
        if (d != null) {
            d.lastActivity = this.now;
        }
        DecodeResult result = codec.decode(topic, payload);
        if (result instanceof DecodeError error) {
            onDecodeError(clientId, topic, error);
            return;
        }
        Decoded decoded = (Decoded) result;
        if (!decoded.normalisations().isEmpty()) {
            observe(new DecodeProblem(this.now, clientId, topic, Optional.empty(), decoded.normalisations()));
        }
        Message message = decoded.message();
        if (message instanceof DeviceRequest request) {
            onDeviceRequest(clientId, d, topic, request);
        } else if (message instanceof DeviceResponse response) {
            onDeviceResponse(clientId, response);
        } else if (message instanceof Event event) {
            observe(new DeviceEvent(this.now, clientId, event));
        } else {
            note(clientId, "the device published on the platform's topic " + topic + "; ignored");
        }
    }

    /**
     * The transport refused a device's publish before it reached the platform. An oversized payload
     * makes the platform disconnect the device (protocol.md §1.9).
     *
     * @param now the input's time; not {@code null}
     * @param clientId the sender; not {@code null}
     * @param topic the refused publish's topic
     * @param reason why the transport refused it; not {@code null}
     */
    public void payloadRefused(Instant now, String clientId, String topic, PublishRefusal reason) {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(reason, "reason");
        advance(now);
        note(clientId, "refused a publish on " + topic + ": " + reason);
        observe(new BrokerRefusal(this.now, clientId, reason == PublishRefusal.PAYLOAD_TOO_LARGE
                ? BrokerRefusal.Kind.PAYLOAD_TOO_LARGE : BrokerRefusal.Kind.FORBIDDEN_PUBLISH, topic));
        if (reason == PublishRefusal.PAYLOAD_TOO_LARGE) {
            disconnectForSize(clientId);
        }
    }

    /**
     * The broker refused a client's CONNECT or one filter of its SUBSCRIBE; recorded for the
     * observers only (the broker already answered the client).
     *
     * @param now the input's time; not {@code null}
     * @param clientId the client id as sent; not {@code null}
     * @param kind what was refused
     * @param detail the reason of a CONNECT refusal, or the refused filter; never a token
     */
    public void brokerRefused(Instant now, String clientId, BrokerRefusal.Kind kind, String detail) {
        Objects.requireNonNull(clientId, "clientId");
        advance(now);
        observe(new BrokerRefusal(this.now, clientId, kind, detail));
    }

    /**
     * The transport gave up sending a message to a device (e.g. it never subscribed); noted only.
     *
     * @param now the input's time; not {@code null}
     * @param clientId the device; not {@code null}
     * @param topic the undelivered message's topic
     * @param reason why, one line
     */
    public void deliveryFailed(Instant now, String clientId, String topic, String reason) {
        Objects.requireNonNull(clientId, "clientId");
        advance(now);
        note(clientId, "could not deliver " + topic + ": " + reason);
    }

    /**
     * Time passed: processes lifetimes, operation timeouts and held messages that are due.
     *
     * @param now the current time; not {@code null}; an earlier time than seen before changes nothing
     */
    public void tick(Instant now) {
        advance(now);
    }

    /**
     * When {@link #tick} should be called next, if anything is scheduled. Read from the timer
     * indexes, not by visiting every device: the platform asks after every input.
     *
     * @return the earliest operation deadline, lifetime expiry, request gap end or delayed
     *     message; empty when nothing waits for time
     */
    public Optional<Instant> nextTimer() {
        Instant next = operationTimers.earliest().orElse(null);
        Optional<Instant> device = deviceTimers.earliest();
        if (device.isPresent()) {
            next = earliest(next, device.get());
        }
        if (!delayed.isEmpty()) {
            next = earliest(next, delayed.peek().releaseAt());
        }
        return Optional.ofNullable(next);
    }

    /**
     * The actions produced since the last call, in order; the list is handed over.
     *
     * @return an unmodifiable list to carry out in order; empty when there is nothing to do
     */
    public List<PlatformAction> pollActions() {
        List<PlatformAction> out = List.copyOf(actions);
        actions.clear();
        return out;
    }

    // ---- operations -------------------------------------------------------------------------

    /**
     * Writes attributes on the device ({@code iotdm-1/device/update}, protocol.md §4.2). Succeeds on
     * 204 and then stores the values; fails with any other rc.
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param fields the values to write; at least one
     * @param timeout engine time the device may take to answer; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     *     ({@link OperationOutcome.Refused} at once when the device is not managed)
     * @throws IllegalArgumentException if the device is not registered, {@code fields} is empty or
     *     the timeout not positive
     */
    public OperationToken deviceUpdate(Instant now, String clientId, List<FieldValue> fields, Duration timeout) {
        List<FieldValue> copy = List.copyOf(Objects.requireNonNull(fields, "fields"));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("deviceUpdate needs at least one field");
        }
        return start(now, clientId, OperationKind.DEVICE_UPDATE, timeout, true, (token, d, deadline) -> {
            // Old SDKs read every key of mgmt.firmware (§14): a written value is completed from the record.
            List<FieldValue> sent = copy.stream()
                    .map(f -> f instanceof FirmwareField fw ? new FirmwareField(completeFirmware(d, fw.value())) : f)
                    .toList();
            return new SingleRequest(token, d, deadline, reqId -> new DeviceUpdate(Optional.of(reqId), sent),
                    Rc.CHANGED, r -> sent.forEach(f -> apply(d, f, false)));
        });
    }

    /**
     * Starts observing attributes ({@code iotdm-1/observe}, §4.3). Succeeds on 200 (the data carries
     * the device's current values, which are stored); fails with any other rc.
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param fields the attribute names; at least one, none empty
     * @param timeout engine time the device may take to answer; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if the device is not registered, the list or a name is empty
     *     or the timeout not positive
     */
    public OperationToken observe(Instant now, String clientId, List<String> fields, Duration timeout) {
        List<String> names = fieldNames(fields);
        return start(now, clientId, OperationKind.OBSERVE, timeout, true, (token, d, deadline) ->
                new SingleRequest(token, d, deadline, reqId -> new Observe(reqId, names), Rc.OK, r -> {
                    d.observations.addAll(names);
                    applyObservedValues(d, r);
                }));
    }

    /**
     * Stops observing attributes ({@code iotdm-1/cancel}, §4.4). Succeeds on 200.
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param fields the attribute names; at least one, none empty
     * @param timeout engine time the device may take to answer; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if the device is not registered, the list or a name is empty
     *     or the timeout not positive
     */
    public OperationToken cancel(Instant now, String clientId, List<String> fields, Duration timeout) {
        List<String> names = fieldNames(fields);
        return start(now, clientId, OperationKind.CANCEL, timeout, true, (token, d, deadline) ->
                new SingleRequest(token, d, deadline, reqId -> new Cancel(reqId, names), Rc.OK,
                        r -> names.forEach(d.observations::remove)));
    }

    /**
     * Reboots the device (§7): succeeds when it answers 202 and then manages again; fails on any
     * other rc (500 attempt failed, 501 not supported).
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param timeout engine time for the answer and the new manage together; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     */
    public OperationToken reboot(Instant now, String clientId, Duration timeout) {
        return start(now, clientId, OperationKind.REBOOT, timeout, true, (token, d, deadline) ->
                new DeviceAction(token, d, deadline, "reboot", Reboot::new));
    }

    /**
     * Factory-resets the device (§7); same completion rule as {@link #reboot}.
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param timeout engine time for the answer and the new manage together; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     */
    public OperationToken factoryReset(Instant now, String clientId, Duration timeout) {
        return start(now, clientId, OperationKind.FACTORY_RESET, timeout, true, (token, d, deadline) ->
                new DeviceAction(token, d, deadline, "factory reset", FactoryReset::new));
    }

    /**
     * The firmware download flow of protocol.md §6.2: device/update of {@code mgmt.firmware} (only
     * with an image; 204), observe (200), initiate download (202), notifies until {@code state 2},
     * cancel (200). Fails with the rc of a refused step, or with the failure {@code updateStatus} the
     * device reports.
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param image written to {@code mgmt.firmware} first, or empty to skip that step
     * @param timeout engine time for the whole flow; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     */
    public OperationToken firmwareDownload(Instant now, String clientId, Optional<FirmwareImage> image,
            Duration timeout) {
        Objects.requireNonNull(image, "image");
        return start(now, clientId, OperationKind.FIRMWARE_DOWNLOAD, timeout, true, (token, d, deadline) ->
                new FirmwareFlow(token, d, deadline, image, true));
    }

    /**
     * The firmware update (install) flow of protocol.md §6.3: optional device/update, observe,
     * initiate update (202), notifies until {@code state 0} with {@code updateStatus 0}, cancel.
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param image written to {@code mgmt.firmware} first, or empty to skip that step
     * @param timeout engine time for the whole flow; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if the device is not registered or the timeout not positive
     */
    public OperationToken firmwareUpdate(Instant now, String clientId, Optional<FirmwareImage> image,
            Duration timeout) {
        Objects.requireNonNull(image, "image");
        return start(now, clientId, OperationKind.FIRMWARE_UPDATE, timeout, true, (token, d, deadline) ->
                new FirmwareFlow(token, d, deadline, image, false));
    }

    /**
     * A device-management extension action (§8): succeeds on 200 (with the response's data), fails
     * on any other rc (500 failed, 501 unsupported).
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device
     * @param bundleId the extension bundle's id, a topic level
     * @param actionId the action's id, a topic level
     * @param parameters the action's parameters, in order; copied
     * @param timeout engine time the device may take to answer; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if the device is not registered, an id is not a valid topic
     *     level or the timeout not positive
     */
    public OperationToken customAction(Instant now, String clientId, String bundleId, String actionId,
            List<Parameter> parameters, Duration timeout) {
        CustomActionTopic topic = new CustomActionTopic(bundleId, actionId);
        List<Parameter> copy = List.copyOf(Objects.requireNonNull(parameters, "parameters"));
        return start(now, clientId, OperationKind.CUSTOM_ACTION, timeout, true, (token, d, deadline) ->
                new SingleRequest(token, d, deadline, reqId -> new CustomAction(reqId, topic, copy), Rc.OK, r -> { }));
    }

    /**
     * Sends a command on {@code iot-2/cmd/<commandId>/fmt/<format>} (§10.2). It has no answer: the
     * operation succeeds once the message is handed to the transport. Commands do not need the
     * device to be managed.
     *
     * @param now the input's time; not {@code null}
     * @param clientId a registered device, managed or not
     * @param commandId the command's id, a topic level
     * @param format the format, a topic level, e.g. {@code json}
     * @param payload the bytes sent as they are; not {@code null}
     * @param timeout engine time the transport may take to hand the message over; positive
     * @return the operation's token; its outcome comes as a {@link PlatformAction.OperationCompleted}
     * @throws IllegalArgumentException if an id is not a valid topic level or the payload is too large
     */
    public OperationToken command(Instant now, String clientId, String commandId, String format, byte[] payload,
            Duration timeout) {
        Command command = Command.of(commandId, format, Objects.requireNonNull(payload, "payload"));
        if (payload.length > codec.maxOutboundBytes()) {
            throw new IllegalArgumentException("command payload of " + payload.length + " bytes is over the limit of "
                    + codec.maxOutboundBytes() + " bytes");
        }
        return start(now, clientId, OperationKind.COMMAND, timeout, false, (token, d, deadline) ->
                new SendCommand(token, d, deadline, command));
    }

    // ---- device requests (protocol.md §3) ---------------------------------------------------

    private void onDecodeError(String clientId, String topic, DecodeError error) {
        observe(new DecodeProblem(now, clientId, topic, Optional.of(error), List.of()));
        if (error.problem() == Problem.PAYLOAD_TOO_LARGE) {
            disconnectForSize(clientId);
            return;
        }
        Optional<Rc> rc = error.answerWith();
        if (rc.isEmpty() && error.problem() == Problem.UNKNOWN_TOPIC && topic.startsWith(DEVICE_REQUEST_PREFIX)) {
            // A request on an invalid topic is answered 404 (§5.1), on our side of the namespace too.
            rc = error.reqId().map(id -> Rc.NOT_FOUND);
        }
        if (rc.isPresent()) {
            respond(clientId, topic, error.reqId(), rc.get(), error.detail());
        }
    }

    private void onDeviceRequest(String clientId, DeviceRecord d, String topic, DeviceRequest request) {
        Optional<String> reqId = request.requestId();
        if (d == null) {
            respond(clientId, topic, reqId, Rc.NOT_FOUND, "device " + clientId + " is not in the registry");
            return;
        }
        if (!(request instanceof Manage) && !d.managed && config.rejectUnmanaged()) {
            respond(clientId, topic, reqId, Rc.BAD_REQUEST,
                    "the device is not managed" + (d.dormant ? " (dormant)" : "") + ": send manage first");
            return;
        }
        if (conflict(clientId, topic, reqId)) {
            return;
        }
        if (request instanceof Manage manage) {
            manage(d, topic, manage);
        } else if (request instanceof Unmanage) {
            d.clearManagement();
            reschedule(d);
            respond(clientId, topic, reqId, Rc.OK, null);
            for (Operation op : operationsOf(d)) {
                if (!op.survivesUnmanage()) {
                    complete(op, new DeviceGone("the device unmanaged"));
                }
            }
        } else if (request instanceof UpdateLocation update) {
            Location l = update.location();
            // The platform sets updatedDateTime and uses the receipt time when measuredDateTime is missing (§3.3).
            d.location = new Location(l.latitude(), l.longitude(), l.elevation(), l.accuracy(),
                    Optional.of(l.measuredDateTime().orElse(Timestamp.of(now))), Optional.of(Timestamp.of(now)));
            respond(clientId, topic, reqId, Rc.OK, null);
        } else if (request instanceof AddErrorCode add) {
            d.errorCodes.add(add.errorCode());
            respond(clientId, topic, reqId, Rc.OK, null);
        } else if (request instanceof ClearErrorCodes) {
            d.errorCodes.clear();
            respond(clientId, topic, reqId, Rc.OK, null);
        } else if (request instanceof AddLog add) {
            d.log.addLast(add.entry());
            while (d.log.size() > config.logCapacity()) {
                d.log.removeFirst(); // the log is bounded; the oldest entries go (§3.6)
            }
            respond(clientId, topic, reqId, Rc.OK, null);
        } else if (request instanceof ClearLog) {
            d.log.clear();
            respond(clientId, topic, reqId, Rc.OK, null);
        } else if (request instanceof Notify notify) {
            notify(d, topic, notify);
        }
    }

    private void manage(DeviceRecord d, String topic, Manage manage) {
        d.managed = true;
        d.dormant = false;
        d.dormantDateTime = null;
        d.lifetime = manage.lifetime().orElse(0);
        d.dormantAt = d.lifetime > 0 ? now.plusSeconds(d.lifetime) : null;
        d.supports = manage.supports().orElse(Supports.NONE);
        manage.deviceInfo().ifPresent(info -> d.deviceInfo = info);
        manage.metadata().ifPresent(metadata -> d.metadata = metadata);
        d.manageCount++;
        respond(d.clientId, topic, Optional.of(manage.reqId()), Rc.OK, null);
        // Some clients subscribe to the request topics only after this answer (§14): hold requests a while.
        Instant allowed = now.plus(config.requestGap());
        if (allowed.isAfter(d.requestsAllowedAt)) {
            d.requestsAllowedAt = allowed;
        }
        resendLostRequests(d);
        for (Operation op : operationsOf(d)) {
            op.onManage();
        }
    }

    /**
     * Requests still unanswered that were sent on an earlier connection of the device go out again,
     * with the same reqId and bytes, once it manages on a newer one: a broker drops what was in flight
     * to a device that reconnects with a clean session, and the device cannot answer what it never
     * received. A device that did receive one answers the copy from its memory of answers (§12.25).
     */
    private void resendLostRequests(DeviceRecord d) {
        for (Map.Entry<String, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (p.clientId().equals(d.clientId) && p.connectionAtSend() < d.connections) {
                e.setValue(p.sentAgain(d.connections));
                Instant deadline = p.operation() != null ? p.operation().deadline : now.plus(config.operationTimeout());
                note(d.clientId, "re-sending " + p.request().topic() + " (reqId " + e.getKey()
                        + "): the device's connection ended before it answered");
                d.outbox.addLast(new DeviceRecord.Outgoing(p.request().topic(), p.request().payload(), deadline, null));
            }
        }
        releaseOutbox(d);
    }

    private void notify(DeviceRecord d, String topic, Notify notify) {
        List<String> unobserved = new ArrayList<>();
        for (FieldValue field : notify.fields()) {
            if (isObserved(d, field.field())) {
                apply(d, field, true);
            } else {
                unobserved.add(field.field());
            }
        }
        if (unobserved.isEmpty()) {
            respond(d.clientId, topic, notify.reqId(), Rc.OK, null);
        } else {
            note(d.clientId, "notify of unobserved " + unobserved + (notify.reqId().isEmpty() ? "; not answered" : ""));
            respond(d.clientId, topic, notify.reqId(), Rc.NOT_FOUND, "no observation exists for " + unobserved);
        }
    }

    /** An observation of a field covers its sub-fields, and a sub-field's observation its parent (§12.28). */
    private static boolean isObserved(DeviceRecord d, String field) {
        for (String observed : d.observations) {
            if (field.equals(observed) || field.startsWith(observed + ".") || observed.startsWith(field + ".")) {
                return true;
            }
        }
        return false;
    }

    /** Stores a reported or written value; firmware reports also drive the firmware flows. */
    private void apply(DeviceRecord d, FieldValue field, boolean report) {
        if (field instanceof FirmwareField firmware) {
            firmwareReported(d, firmware.value(), report);
        } else if (field instanceof LocationField location) {
            d.location = location.value();
        } else if (field instanceof DeviceInfoField info) {
            d.deviceInfo = report ? mergeInfo(d.deviceInfo, info.value()) : info.value();
        } else if (field instanceof MetadataField metadata) {
            d.metadata = metadata.value();
        } else if (field instanceof OtherField other) {
            applyOther(d, other, report);
        }
    }

    /** Sub-field reports such as {@code mgmt.firmware.state} or {@code deviceInfo.fwVersion}. */
    private void applyOther(DeviceRecord d, OtherField other, boolean report) {
        String name = other.field();
        OptionalLong number = other.value() instanceof JsonNumber n ? n.longValueExact() : OptionalLong.empty();
        if (name.equals(FieldValue.FIRMWARE + ".state") && number.isPresent()
                && FirmwareState.fromCode(number.getAsLong()).isPresent()) {
            firmwareReported(d, FirmwareInfo.ofState(FirmwareState.fromCode(number.getAsLong()).get()), report);
        } else if (name.equals(FieldValue.FIRMWARE + ".updateStatus") && number.isPresent()
                && UpdateStatus.fromCode(number.getAsLong()).isPresent()) {
            firmwareReported(d, FirmwareInfo.ofUpdateStatus(UpdateStatus.fromCode(number.getAsLong()).get()), report);
        } else if (name.startsWith(FieldValue.DEVICE_INFO + ".") && other.value() instanceof JsonString s
                && DeviceInfo.KEYS.contains(name.substring(FieldValue.DEVICE_INFO.length() + 1))) {
            DeviceInfo base = d.deviceInfo == null ? DeviceInfo.EMPTY : d.deviceInfo;
            d.deviceInfo = base.toBuilder().set(name.substring(FieldValue.DEVICE_INFO.length() + 1), s.value()).build();
        } else {
            note(d.clientId, "a value for " + name + ", which the platform does not model; ignored");
        }
    }

    private void firmwareReported(DeviceRecord d, FirmwareInfo reported, boolean report) {
        d.firmware = mergeFirmware(d.firmware, reported);
        if (report) {
            for (Operation op : operationsOf(d)) {
                op.onFirmwareReport(reported);
            }
        }
    }

    private void applyObservedValues(DeviceRecord d, DeviceResponse response) {
        try {
            for (FieldValue value : ResponseViews.observedValues(response)) {
                apply(d, value, false);
            }
        } catch (InvalidResponseDataException e) {
            note(d.clientId, "unreadable values in the observe response: " + e.getMessage());
        }
    }

    /**
     * The {@code mgmt.firmware} value the platform writes: all seven keys of §6.2 step 1, since old
     * SDKs read each one unconditionally (§14). {@code name}, {@code version}, {@code uri} and
     * {@code verifier} come from {@code given}, else from the platform's record, else are empty;
     * {@code state} and {@code updateStatus} are 0 unless given; {@code updatedDateTime} is set by the
     * platform (§6.1), here to now.
     */
    private FirmwareInfo completeFirmware(DeviceRecord d, FirmwareInfo given) {
        FirmwareInfo record = d.firmware == null ? FirmwareInfo.EMPTY : d.firmware;
        return new FirmwareInfo(textOf(given.version(), record.version()), textOf(given.name(), record.name()),
                textOf(given.uri(), record.uri()), textOf(given.verifier(), record.verifier()),
                Optional.of(given.state().orElse(FirmwareState.IDLE)),
                Optional.of(given.updateStatus().orElse(UpdateStatus.SUCCESS)), Optional.of(Timestamp.of(now)));
    }

    private static Optional<String> textOf(Optional<String> given, Optional<String> recorded) {
        return Optional.of(given.or(() -> recorded).orElse(""));
    }

    private static FirmwareInfo mergeFirmware(FirmwareInfo base, FirmwareInfo update) {
        if (base == null) {
            return update;
        }
        return new FirmwareInfo(update.version().or(base::version), update.name().or(base::name),
                update.uri().or(base::uri), update.verifier().or(base::verifier), update.state().or(base::state),
                update.updateStatus().or(base::updateStatus), update.updatedDateTime().or(base::updatedDateTime));
    }

    private static DeviceInfo mergeInfo(DeviceInfo base, DeviceInfo update) {
        if (base == null) {
            return update;
        }
        DeviceInfo.Builder b = base.toBuilder();
        for (String key : DeviceInfo.KEYS) {
            update.get(key).ifPresent(v -> b.set(key, v));
        }
        return b.build();
    }

    private void onDeviceResponse(String clientId, DeviceResponse response) {
        if (response.reqId().isEmpty()) {
            note(clientId, "a response without reqId (rc " + response.rc().code() + "); ignored");
            return;
        }
        String reqId = response.reqId().get();
        Pending p = pending.get(reqId);
        if (p == null || !p.clientId.equals(clientId)) {
            // iot-java answers a factory reset with a stale response to an earlier reqId too (§14).
            note(clientId, "a response to unknown or already answered reqId '" + reqId + "' (rc "
                    + response.rc().code() + "); ignored");
            return;
        }
        pending.remove(reqId);
        if (p.operation == null) {
            // The clean-up cancel of a failed firmware flow.
            DeviceRecord d = devices.get(clientId);
            if (d != null && response.rc().equals(Rc.OK)) {
                p.cancelledFields.forEach(d.observations::remove);
            }
            return;
        }
        p.operation.onResponse(response);
    }

    // ---- sending ----------------------------------------------------------------------------

    /** Answers a device request unless it had no reqId or a NeverAnswer fault swallows it. */
    private void respond(String clientId, String requestTopic, Optional<String> reqId, Rc rc, String message) {
        if (reqId.isEmpty()) {
            return;
        }
        if (consumeFault(PlatformFault.NeverAnswer.class, clientId, requestTopic).isPresent()) {
            note(clientId, "fault: not answering the request on " + requestTopic + " (reqId " + reqId.get() + ")");
            return;
        }
        PlatformResponse response = message == null ? PlatformResponse.of(reqId.get(), rc)
                : PlatformResponse.of(reqId.get(), rc, message);
        Encoded encoded = codec.encode(response);
        transmit(clientId, encoded.topic(), encoded.payload(), config.responseDeliveryTimeout());
    }

    /** Answers 409 and tells the caller not to apply the request, when an AnswerConflict fault matches. */
    private boolean conflict(String clientId, String topic, Optional<String> reqId) {
        if (consumeFault(PlatformFault.AnswerConflict.class, clientId, topic).isEmpty()) {
            return false;
        }
        note(clientId, "fault: answering 409 to the request on " + topic + " without applying it");
        respond(clientId, topic, reqId, Rc.CONFLICT, "conflicting concurrent update; retry later");
        return true;
    }

    /** Queues a platform-initiated message behind the device's request gap (§14). */
    private void enqueueRequest(DeviceRecord d, PlatformMessage message, Instant deadline, Runnable onRelease) {
        Encoded encoded = codec.encode(message);
        d.outbox.addLast(new DeviceRecord.Outgoing(encoded.topic(), encoded.payload(), deadline, onRelease));
        releaseOutbox(d);
    }

    private void releaseOutbox(DeviceRecord d) {
        while (!d.outbox.isEmpty() && !now.isBefore(d.requestsAllowedAt)) {
            DeviceRecord.Outgoing out = d.outbox.removeFirst();
            Duration left = Duration.between(now, out.deadline());
            transmit(d.clientId, out.topic(), out.payload(),
                    left.isNegative() || left.isZero() ? config.responseDeliveryTimeout() : left);
            if (out.onRelease() != null) {
                out.onRelease().run();
            }
        }
        reschedule(d);
    }

    /**
     * Brings the device's entry in the timer index in step with its lifetime and outbox; called
     * after every change to either (every outbox change ends in {@link #releaseOutbox}).
     */
    private void reschedule(DeviceRecord d) {
        deviceTimers.schedule(d, d.ordinal, d.nextTimer());
    }

    /** Applies the outgoing faults, then hands the message to the transport and the observers. */
    private void transmit(String clientId, String topic, byte[] payload, Duration deliveryTimeout) {
        if (consumeFault(PlatformFault.Drop.class, clientId, topic).isPresent()) {
            note(clientId, "fault: dropped " + topic + " " + new String(payload, StandardCharsets.UTF_8));
            return;
        }
        int copies = consumeFault(PlatformFault.Duplicate.class, clientId, topic).isPresent() ? 2 : 1;
        Optional<PlatformFault> delay = consumeFault(PlatformFault.Delay.class, clientId, topic);
        if (delay.isPresent()) {
            Instant releaseAt = now.plus(((PlatformFault.Delay) delay.get()).delay());
            delayed.add(new Delayed(releaseAt, sequence++, clientId, topic, payload, deliveryTimeout, copies));
            note(clientId, "fault: holding " + topic + " until " + releaseAt);
            return;
        }
        emit(clientId, topic, payload, deliveryTimeout, copies);
    }

    private void emit(String clientId, String topic, byte[] payload, Duration deliveryTimeout, int copies) {
        for (int i = 0; i < copies; i++) {
            observe(new MessageSeen(new TranscriptEntry(now, Direction.PLATFORM_TO_DEVICE, clientId, topic, payload,
                    DM_QOS, false)));
            actions.add(new SendToDevice(clientId, topic, payload, DM_QOS, deliveryTimeout));
        }
    }

    private void disconnectForSize(String clientId) {
        actions.add(new DisconnectDevice(clientId, "The message size is too large for this endpoint"));
    }

    private Optional<PlatformFault> consumeFault(Class<? extends PlatformFault> kind, String clientId, String topic) {
        for (Iterator<ActiveFault> it = faults.iterator(); it.hasNext(); ) {
            ActiveFault f = it.next();
            if (kind.isInstance(f.fault) && f.fault.target().matches(clientId, topic)) {
                if (f.remaining != PlatformFault.UNLIMITED && --f.remaining == 0) {
                    it.remove();
                }
                return Optional.of(f.fault);
            }
        }
        return Optional.empty();
    }

    private void observe(PlatformEvent event) {
        actions.add(new Observed(event));
    }

    private void note(String clientId, String text) {
        observe(new Note(now, clientId, text));
    }

    // ---- time -------------------------------------------------------------------------------

    private void advance(Instant time) {
        Objects.requireNonNull(time, "now");
        if (time.isAfter(now)) {
            now = time;
        }
        // Only what is due is visited (the indexes), in the order a scan of every device and
        // operation would meet it: lifetimes, then operation timeouts, held messages, request gaps.
        for (DeviceRecord d : deviceTimers.due(now)) {
            if (d.managed && d.dormantAt != null && !now.isBefore(d.dormantAt)) {
                // Lifetime expired: dormant, every mgmt.* attribute deleted (§9.1).
                d.clearManagement();
                d.dormant = true;
                d.dormantDateTime = now;
                reschedule(d);
                note(d.clientId, "lifetime expired: the device is dormant and unmanaged");
                for (Operation op : operationsOf(d)) {
                    complete(op, new DeviceGone("lifetime expired; the device is dormant"));
                }
            }
        }
        for (Operation op : operationTimers.due(now)) {
            complete(op, new TimedOut(op.waitingFor));
        }
        while (!delayed.isEmpty() && !now.isBefore(delayed.peek().releaseAt())) {
            Delayed m = delayed.poll();
            emit(m.clientId, m.topic, m.payload, m.deliveryTimeout, m.copies);
        }
        for (DeviceRecord d : deviceTimers.due(now)) {
            releaseOutbox(d);
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    // ---- operation plumbing -------------------------------------------------------------------

    private OperationToken start(Instant now, String clientId, OperationKind kind, Duration timeout,
            boolean needsManaged, OperationFactory factory) {
        Objects.requireNonNull(clientId, "clientId");
        PlatformConfig.requirePositive("timeout", timeout);
        advance(now);
        DeviceRecord d = devices.get(clientId);
        if (d == null) {
            throw new IllegalArgumentException("no device '" + clientId + "' is registered");
        }
        OperationToken token = new OperationToken(++tokenIds, clientId, kind);
        if (needsManaged && !d.managed) {
            // The platform sends no DM requests to unmanaged devices (§3.2, §9.1).
            actions.add(new OperationCompleted(token, new Refused("device " + clientId + " is not managed"
                    + (d.dormant ? " (dormant)" : ""))));
            return token;
        }
        Operation op = factory.create(token, d, this.now.plus(timeout));
        operations.put(token.id(), op);
        operationTimers.schedule(op, token.id(), op.deadline);
        op.start();
        return token;
    }

    private List<Operation> operationsOf(DeviceRecord d) {
        return operations.values().stream().filter(op -> op.device == d).toList();
    }

    private void complete(Operation op, OperationOutcome outcome) {
        if (operations.remove(op.token.id()) == null) {
            return;
        }
        operationTimers.schedule(op, op.token.id(), null);
        pending.values().removeIf(p -> p.operation == op);
        actions.add(new OperationCompleted(op.token, outcome));
    }

    private String nextReqId() {
        return config.reqIdPrefix() + (++reqIds);
    }

    /** Sends a request of {@code op}; its response comes back through {@link Operation#onResponse}. */
    private void sendRequest(Operation op, Function<String, PlatformRequest> build) {
        String reqId = nextReqId();
        PlatformRequest request = build.apply(reqId);
        pending.put(reqId, new Pending(op.device.clientId, op, List.of(), codec.encode(request), op.device.connections));
        op.waitingFor = "the device's response to " + request.topic().topicName() + " (reqId " + reqId + ")";
        enqueueRequest(op.device, request, op.deadline, null);
    }

    private static List<String> fieldNames(List<String> fields) {
        List<String> names = List.copyOf(Objects.requireNonNull(fields, "fields"));
        if (names.isEmpty() || names.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("fields must be a non-empty list of non-empty names, got " + names);
        }
        return names;
    }

    @FunctionalInterface
    private interface OperationFactory {
        Operation create(OperationToken token, DeviceRecord device, Instant deadline);
    }

    /**
     * A request waiting for the device's response; {@code operation} null for a clean-up cancel.
     * {@code connectionAtSend} is the device's connection count when it last went out.
     */
    private record Pending(String clientId, Operation operation, List<String> cancelledFields, Encoded request,
            int connectionAtSend) {
        Pending sentAgain(int connection) {
            return new Pending(clientId, operation, cancelledFields, request, connection);
        }
    }

    /** A fault and how many more messages it may affect. */
    private static final class ActiveFault {
        final PlatformFault fault;
        int remaining;

        ActiveFault(PlatformFault fault) {
            this.fault = fault;
            this.remaining = fault.times();
        }
    }

    /** An outgoing message held by a Delay fault. */
    private record Delayed(Instant releaseAt, long sequence, String clientId, String topic, byte[] payload,
            Duration deliveryTimeout, int copies) {
    }

    /** One running platform-initiated operation: its own little state machine. */
    private abstract class Operation {
        final OperationToken token;
        final DeviceRecord device;
        final Instant deadline;
        String waitingFor = "the operation to start";

        Operation(OperationToken token, DeviceRecord device, Instant deadline) {
            this.token = token;
            this.device = device;
            this.deadline = deadline;
        }

        abstract void start();

        abstract void onResponse(DeviceResponse response);

        void onManage() {
        }

        void onFirmwareReport(FirmwareInfo reported) {
        }

        boolean survivesUnmanage() {
            return false;
        }

        void finish(OperationOutcome outcome) {
            complete(this, outcome);
        }
    }

    /** One request, one response: success on {@code expected}, anything else fails. */
    private final class SingleRequest extends Operation {
        private final Function<String, PlatformRequest> build;
        private final Rc expected;
        private final Consumer<DeviceResponse> onSuccess;

        SingleRequest(OperationToken token, DeviceRecord device, Instant deadline,
                Function<String, PlatformRequest> build, Rc expected, Consumer<DeviceResponse> onSuccess) {
            super(token, device, deadline);
            this.build = build;
            this.expected = expected;
            this.onSuccess = onSuccess;
        }

        @Override
        void start() {
            sendRequest(this, build);
        }

        @Override
        void onResponse(DeviceResponse response) {
            if (response.rc().equals(expected)) {
                onSuccess.accept(response);
                finish(new Succeeded(response.d()));
            } else {
                finish(Failed.withRc(response.rc(), response.message()));
            }
        }
    }

    /** Reboot or factory reset (§7): 202, then complete at the next manage. */
    private final class DeviceAction extends Operation {
        private final String name;
        private final Function<String, PlatformRequest> build;
        private boolean accepted;

        DeviceAction(OperationToken token, DeviceRecord device, Instant deadline, String name,
                Function<String, PlatformRequest> build) {
            super(token, device, deadline);
            this.name = name;
            this.build = build;
        }

        @Override
        void start() {
            sendRequest(this, build);
        }

        @Override
        void onResponse(DeviceResponse response) {
            if (response.rc().equals(Rc.ACCEPTED)) {
                accepted = true;
                waitingFor = "a manage from the device after its " + name + " (accepted with 202)";
            } else {
                finish(Failed.withRc(response.rc(), response.message()));
            }
        }

        @Override
        void onManage() {
            if (accepted) {
                finish(Succeeded.empty());
            }
        }

        /** A device may unmanage on its way down (iot-java's disconnect does, §3.2). */
        @Override
        boolean survivesUnmanage() {
            return accepted;
        }
    }

    /** A command: no answer, done when handed on. */
    private final class SendCommand extends Operation {
        private final Command command;

        SendCommand(OperationToken token, DeviceRecord device, Instant deadline, Command command) {
            super(token, device, deadline);
            this.command = command;
        }

        @Override
        void start() {
            waitingFor = "the request gap after the device's manage";
            enqueueRequest(device, command, deadline, () -> finish(Succeeded.empty()));
        }

        @Override
        void onResponse(DeviceResponse response) {
            // Commands have no reqId, so no response is ever correlated to them.
        }
    }

    /**
     * The firmware flows of protocol.md §6.2 (download) and §6.3 (update), as the platform sees them:
     * ATTRIBUTES (device/update, only with an image) -> OBSERVE -> INITIATE -> RESULT (notifies) ->
     * CANCEL. The result is decided by the device's reports after the initiate request was sent:
     * download succeeds on {@code state 2}; update succeeds once an {@code updateStatus 0} was reported
     * and the state is 0 (clients report the two in one notify or in two, in either order, §14); both
     * fail on a failure {@code updateStatus} (2..6).
     */
    private final class FirmwareFlow extends Operation {
        private final Optional<FirmwareImage> image;
        private final boolean download;
        private Phase phase;
        private OperationOutcome result;
        private UpdateStatus lastStatus;
        private FirmwareInfo sentImage;

        FirmwareFlow(OperationToken token, DeviceRecord device, Instant deadline, Optional<FirmwareImage> image,
                boolean download) {
            super(token, device, deadline);
            this.image = image;
            this.download = download;
        }

        @Override
        void start() {
            if (image.isPresent()) {
                phase = Phase.ATTRIBUTES;
                sentImage = imageInfo(image.get());
                sendRequest(this, reqId -> DeviceUpdate.of(reqId, new FirmwareField(sentImage)));
            } else {
                observe();
            }
        }

        /** The §6.2 step 1 value: the image's parts, else the record's; see {@link #completeFirmware}. */
        private FirmwareInfo imageInfo(FirmwareImage i) {
            return completeFirmware(device, new FirmwareInfo(i.version(), i.name(), i.uri(), i.verifier(),
                    Optional.empty(), Optional.empty(), Optional.empty()));
        }

        private void observe() {
            phase = Phase.OBSERVE;
            sendRequest(this, reqId -> Observe.of(reqId, FieldValue.FIRMWARE));
        }

        @Override
        void onResponse(DeviceResponse response) {
            Rc rc = response.rc();
            switch (phase) {
                case ATTRIBUTES -> {
                    if (!rc.equals(Rc.CHANGED)) {
                        finish(Failed.withRc(rc, response.message()));
                        return;
                    }
                    // The device owns state and updateStatus; the platform records the image it wrote.
                    device.firmware = device.firmware == null ? sentImage : device.firmware.withImageOf(sentImage);
                    observe();
                }
                case OBSERVE -> {
                    if (!rc.equals(Rc.OK)) {
                        finish(Failed.withRc(rc, response.message()));
                        return;
                    }
                    device.observations.add(FieldValue.FIRMWARE);
                    applyObservedValues(device, response);
                    phase = Phase.INITIATE;
                    sendRequest(this, reqId -> download ? new FirmwareDownload(reqId) : new FirmwareUpdate(reqId));
                }
                case INITIATE -> {
                    if (!rc.equals(Rc.ACCEPTED)) {
                        // The clean-up cancel goes out before the outcome is told: whoever waits on the
                        // outcome then sees one more request in flight, never a quiet device about to get one.
                        cleanUpCancel();
                        finish(Failed.withRc(rc, response.message()));
                        return;
                    }
                    phase = Phase.RESULT;
                    waitingFor = download ? "a notify of mgmt.firmware state 2 (downloaded) or a failure updateStatus"
                            : "a notify of mgmt.firmware state 0 with updateStatus 0, or a failure updateStatus";
                    if (result != null) {
                        cancel();
                    }
                }
                case CANCEL -> {
                    if (rc.equals(Rc.OK)) {
                        device.observations.remove(FieldValue.FIRMWARE);
                        finish(result);
                    } else {
                        finish(result instanceof Succeeded ? Failed.withRc(rc, response.message()) : result);
                    }
                }
                case RESULT -> {
                    // no request is outstanding in this phase
                }
            }
        }

        @Override
        void onFirmwareReport(FirmwareInfo reported) {
            if (result != null || (phase != Phase.INITIATE && phase != Phase.RESULT)) {
                return;
            }
            Optional<UpdateStatus> status = reported.updateStatus();
            if (status.isPresent() && status.get() != UpdateStatus.SUCCESS && status.get() != UpdateStatus.IN_PROGRESS) {
                result = Failed.withUpdateStatus(status.get());
            } else if (download) {
                if (reported.state().equals(Optional.of(FirmwareState.DOWNLOADED))) {
                    result = Succeeded.empty();
                }
            } else {
                status.ifPresent(s -> lastStatus = s);
                boolean idle = device.firmware != null
                        && device.firmware.state().equals(Optional.of(FirmwareState.IDLE));
                if (lastStatus == UpdateStatus.SUCCESS && idle) {
                    result = Succeeded.empty();
                }
            }
            if (result != null && phase == Phase.RESULT) {
                cancel();
            }
        }

        private void cancel() {
            phase = Phase.CANCEL;
            sendRequest(this, reqId -> Cancel.of(reqId, FieldValue.FIRMWARE));
        }

        /** After a refused initiate the observation set up in step 2 is cancelled, unawaited. */
        private void cleanUpCancel() {
            String reqId = nextReqId();
            Cancel cancel = Cancel.of(reqId, FieldValue.FIRMWARE);
            pending.put(reqId, new Pending(device.clientId, null, List.of(FieldValue.FIRMWARE), codec.encode(cancel),
                    device.connections));
            enqueueRequest(device, cancel, now.plus(config.operationTimeout()), null);
        }
    }

    /** The steps of a firmware flow. */
    private enum Phase {
        ATTRIBUTES, OBSERVE, INITIATE, RESULT, CANCEL
    }
}
