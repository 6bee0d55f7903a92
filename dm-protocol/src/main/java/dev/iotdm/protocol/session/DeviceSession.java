package dev.iotdm.protocol.session;

import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.DecodeError;
import dev.iotdm.protocol.codec.DecodeResult;
import dev.iotdm.protocol.codec.Decoded;
import dev.iotdm.protocol.codec.Encoded;
import dev.iotdm.protocol.codec.MessageTooLargeException;
import dev.iotdm.protocol.codec.ResponseViews;
import dev.iotdm.protocol.firmware.FirmwareInput;
import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.internal.FirmwareTable;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.firmware.Verifier;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.ClearErrorCodes;
import dev.iotdm.protocol.message.ClearLog;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.DeviceMessage;
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
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.OtherField;
import dev.iotdm.protocol.message.PlatformRequest;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.message.Unmanage;
import dev.iotdm.protocol.message.UpdateLocation;
import dev.iotdm.protocol.topic.CommandTopic;
import dev.iotdm.protocol.topic.DmTopic;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The device side of the protocol as a sans-I/O engine: it never blocks, owns no socket, reads
 * no clock and starts no thread. Every input carries the current time; every output is a
 * {@link SessionAction} the driver collects with {@link #pollActions()} and performs in order
 * (model: python-hyper h11). Transports, the in-memory test kit and users' own MQTT stacks drive
 * the same engine.
 *
 * <p>It implements protocol.md §13 with the §12 rules: one subscription to {@code iotdm-1/#}
 * and the commands before anything else; exactly one manage per connection with the configured
 * parameters and a re-manage before lifetime expiry; device requests correlated by reqId with a
 * timeout; exactly one response per platform request, the same one again for a redelivery; the
 * firmware state machine of {@link FirmwareTable}; notifies only for observed fields, one per
 * logical change.
 *
 * <p>Following one firmware download: {@link #messageArrived} decodes the request and calls
 * {@code firmwareRequest}, which asks {@link FirmwareTable} for the transition, answers 202,
 * notifies the state change ({@code notifyChanges}) and emits
 * {@link SessionEvent.FirmwareDownloadRequested}; the application later reports with
 * {@link #reportFirmware}, which goes through the same table and notifies again.
 *
 * <p>Thread-safety: not thread-safe. One owner drives it serially (the facade's serial executor).
 */
public final class DeviceSession {

    /** The subscriptions every connection makes, in this order (§1.10, §12.18). */
    public static final List<String> SUBSCRIPTIONS = List.of(DmTopic.DEVICE_SUBSCRIPTION,
            CommandTopic.DEVICE_SUBSCRIPTION);

    private static final int QOS_1 = 1;
    private static final String DEVICE_ACTION = "device action";
    private static final String CUSTOM_ACTION = "custom action";

    private enum Link { OFFLINE, SUBSCRIBING, READY, CLOSED }

    /**
     * A device request waiting for the platform's response. For a manage, {@code requested} says
     * whether application calls wait on it (their tokens report the outcome) or it was sent
     * automatically (the session reports and retries it).
     */
    private record Pending(String reqId, long token, Instant deadline, boolean requested, String reason,
            long publishId) {
    }

    /**
     * A device request (not a manage) waiting for the platform's answer: published (with a
     * deadline), or waiting for a connection (made offline, or lost with one; no deadline then:
     * the offline policy bounds how many wait). Its bytes are kept, so a re-publish is identical.
     */
    private record Request(String reqId, long token, Encoded encoded, Instant deadline) {
        Request withDeadline(Instant at) {
            return new Request(reqId, token, encoded, at);
        }
    }

    /** An application call waiting for the outcome of the next manage. */
    private record ManageWaiter(long token, Instant deadline) {
    }

    /**
     * A response or notify, kept as its bytes so a re-publish is identical to the first, with the
     * observed values it tells the platform (for the acknowledged values, once its PUBACK arrives).
     */
    private record Reply(String topic, byte[] payload, List<FieldNote> notes) {
        Reply(String topic, byte[] payload) {
            this(topic, payload, List.of());
        }
    }

    /**
     * A value a reply tells the platform: the whole value of an observed field, or ({@code merge})
     * the changed keys of an object field (a partial notify of {@code mgmt.firmware} or
     * {@code deviceInfo}, §3.8), which the platform merges into what it has.
     */
    private record FieldNote(String field, JsonValue value, boolean merge) {
    }

    /** An event on its way out. */
    private record OutEvent(long token, Encoded encoded, int qos) {
    }

    private final SessionConfig config;
    private final Codec codec;
    private final ArrayDeque<SessionAction> out = new ArrayDeque<>();

    private Link link = Link.OFFLINE;
    // The first publish id of the current connection: a not-connected failure of an older id that
    // arrives once the session is ready again belongs to a dead connection and is re-sent at once.
    private long firstIdOfConnection = 1;
    private boolean sessionPresent;
    private long nextId = 1;

    // The device's own model (§11): what observe reads and notify reports.
    private DeviceInfo deviceInfo;
    private Optional<JsonObject> metadata;
    private Optional<Location> location = Optional.empty();
    private FirmwareInfo firmware;
    private FirmwarePhase phase;
    private final LinkedHashSet<String> observed = new LinkedHashSet<>();
    private final LinkedHashSet<String> changedWhileOffline = new LinkedHashSet<>();
    // What the platform acknowledged of each observed field (persisted), and what it will know
    // once every reply on its way arrives: a (re-)manage notifies what differs from the latter.
    private final Map<String, JsonValue> acknowledged = new LinkedHashMap<>();
    private final Map<String, JsonValue> told = new LinkedHashMap<>();

    // Manage (§9, §12.13-§12.15).
    private Optional<ManageParams> wanted;
    private Pending manageInFlight;
    private boolean manageAgain;
    // Application calls waiting for the next manage to be sent, and for the one in flight: a
    // token gets the answer to a manage sent after the call, i.e. with its parameters.
    private final List<ManageWaiter> manageWaiters = new ArrayList<>();
    private final List<ManageWaiter> manageInFlightWaiters = new ArrayList<>();
    private Instant remanageAt;
    // The reqId of the last manage given up on at its timeout, while no newer manage went out on
    // this connection: the platform may still accept it (an answer delayed past the timeout), and
    // then counts the lifetime from it, so its late 200 starts the re-manage timer.
    private String manageTimedOut;
    private Instant manageRetryAt;
    private Duration manageRetryDelay;

    // Device requests by reqId, and which publish carries which request.
    private final Map<String, Request> pending = new LinkedHashMap<>();
    private final Map<Long, String> requestPublishes = new LinkedHashMap<>();
    // Requests whose publish the transport gave up on (not connected): re-sent after the next
    // manage even when the broker kept the session, since the transport holds no copy of them.
    private final Set<String> requestsNotDelivered = new LinkedHashSet<>();
    // Requests made offline (per the offline policy); they go out after the manage of the next
    // connection (§3.1). Those lost unanswered with a connection stay in pending, without deadline.
    private final ArrayDeque<Request> requestsWaiting = new ArrayDeque<>();

    // Platform requests: answered ones (reqId -> response JSON), and those the application holds.
    private final LinkedHashMap<String, String> answered = new LinkedHashMap<>();
    private long answeredBytes;
    // reqId -> what it is ("device action", "custom action"), so each is answered by its own call.
    private final Map<String, String> inProgress = new LinkedHashMap<>();
    // Responses and notifies ("replies"): published and not yet acknowledged, by publish id; lost
    // with a connection; made while offline. Each goes out again after the next connect with the
    // same bytes (not connected = not delivered yet), so the platform never waits for good.
    private final Map<Long, Reply> repliesInFlight = new LinkedHashMap<>();
    // Replies in flight when a connection was lost whose publish has not ended yet: the transport
    // owns them while their future is pending (with a kept session it re-sends them itself). A
    // publish that fails as not connected was not kept by the transport and moves to repliesLost,
    // which the session re-sends (one layer re-sends each publish).
    private final Map<Long, Reply> repliesUnconfirmed = new LinkedHashMap<>();
    // By publish id: the transport may report the failures of one dead connection in any order,
    // and the replies must go out again in the order they were first published (a notify of an
    // older value after a newer one would overwrite it at the platform).
    private final TreeMap<Long, Reply> repliesLost = new TreeMap<>();
    private final ArrayDeque<Reply> repliesWaiting = new ArrayDeque<>();

    // Events: published and not yet acknowledged, and waiting for a connection.
    private final Map<Long, OutEvent> eventsInFlight = new LinkedHashMap<>();
    private final ArrayDeque<OutEvent> eventsWaiting = new ArrayDeque<>();

    /**
     * A session starting from a saved state (or {@link DeviceState#INITIAL}).
     *
     * <p>A download that was running when the device stopped has failed (CONNECTION_LOST); an
     * install that was running has succeeded when the device now runs the target version, and
     * failed (UNSUPPORTED_IMAGE) otherwise (§12.29). The outcome is reported to the platform
     * when it observes {@code mgmt.firmware}.
     *
     * @param config how the session behaves, not null
     * @param saved the state loaded from the {@link DeviceStateStore}, or {@link DeviceState#INITIAL};
     *     not null
     */
    public DeviceSession(SessionConfig config, DeviceState saved) {
        this.config = Objects.requireNonNull(config, "config");
        this.codec = config.codec();
        this.deviceInfo = config.deviceInfo();
        this.metadata = config.metadata();
        this.firmware = saved.firmware();
        this.phase = saved.phase();
        this.wanted = saved.manage();
        this.manageRetryDelay = config.manageRetryMin();
        for (DeviceState.Answer a : saved.answered()) {
            remember(a.reqId(), a.response());
        }
        observed.addAll(saved.observed());
        acknowledged.putAll(saved.acknowledged());
        told.putAll(acknowledged);
        if (phase == FirmwarePhase.DOWNLOADING) {
            applyFirmware(FirmwareInput.DOWNLOAD_FAILED, UpdateStatus.CONNECTION_LOST, null);
        } else if (phase == FirmwarePhase.INSTALLING) {
            boolean installed = firmware.version().isPresent() && firmware.version().equals(deviceInfo.fwVersion());
            applyFirmware(installed ? FirmwareInput.INSTALL_SUCCEEDED : FirmwareInput.INSTALL_FAILED,
                    UpdateStatus.UNSUPPORTED_IMAGE, null);
        }
    }

    // ---- driver side ---------------------------------------------------------------------------

    /**
     * Takes the actions produced so far, in order.
     *
     * @return the actions since the last call, oldest first; the driver performs them in this
     *     order
     */
    public List<SessionAction> pollActions() {
        List<SessionAction> actions = new ArrayList<>(out);
        out.clear();
        return actions;
    }

    /**
     * When {@link #tick} must next be called, if any timer is set.
     *
     * @return the earliest deadline the driver must call {@link #tick} at (recompute it after every
     *     input); empty when no timer is set
     */
    public Optional<Instant> nextTimer() {
        Instant next = null;
        for (Request r : pending.values()) {
            next = min(next, r.deadline()); // null while waiting for a connection
        }
        if (manageInFlight != null) {
            next = min(next, manageInFlight.deadline());
        }
        for (ManageWaiter w : manageWaiters) {
            next = min(next, w.deadline());
        }
        for (ManageWaiter w : manageInFlightWaiters) {
            next = min(next, w.deadline());
        }
        // The manage timers count only when tick can act on them: a due timer that tick must
        // ignore (offline, or a manage in flight) would make a driver spin. The manage sent on
        // the next connect supersedes them anyway.
        if (link == Link.READY && manageInFlight == null && wanted.isPresent()) {
            next = min(next, remanageAt);
            next = min(next, manageRetryAt);
        }
        return Optional.ofNullable(next);
    }

    /**
     * The transport connected (CONNACK accepted): subscribe first (§13.2).
     *
     * @param now the current instant from the driver's clock, not null
     * @param sessionPresent the CONNACK's session-present flag: whether the broker kept the session
     */
    public void connected(Instant now, boolean sessionPresent) {
        if (link == Link.CLOSED) {
            return;
        }
        this.link = Link.SUBSCRIBING;
        this.sessionPresent = sessionPresent;
        out.add(new SessionAction.Subscribe(SUBSCRIPTIONS));
    }

    /**
     * The broker answered the subscription, one flag per filter of {@link #SUBSCRIPTIONS}. A
     * refused {@code iotdm-1/#} makes the connection useless for DM: the session asks to
     * disconnect.
     *
     * @param now the current instant from the driver's clock, not null
     * @param accepted one flag per filter of {@link #SUBSCRIPTIONS}, in that order: whether the broker
     *     granted it
     */
    public void subscribed(Instant now, List<Boolean> accepted) {
        if (link != Link.SUBSCRIBING) {
            return;
        }
        if (accepted.isEmpty() || !accepted.get(0)) {
            emit(new SessionEvent.SubscriptionRefused(SUBSCRIPTIONS.get(0)));
            out.add(new SessionAction.Disconnect("the broker refused the subscription to " + SUBSCRIPTIONS.get(0)));
            link = Link.OFFLINE;
            return;
        }
        if (accepted.size() < 2 || !accepted.get(1)) {
            emit(new SessionEvent.ProtocolProblem("the broker refused the subscription to "
                    + SUBSCRIPTIONS.get(1) + "; commands will not arrive"));
        }
        link = Link.READY;
        firstIdOfConnection = nextId;
        emit(new SessionEvent.Ready(sessionPresent));
        if (wanted.isPresent()) {
            sendManage(now, "connected"); // the first DM request of a connection (§3.1)
        }
        flushOffline();
        if (!changedWhileOffline.isEmpty()) {
            List<FieldValue> current = new ArrayList<>();
            for (String f : changedWhileOffline) {
                if (observed.contains(f)) {
                    currentValue(f).ifPresent(current::add);
                }
            }
            changedWhileOffline.clear();
            if (!current.isEmpty()) {
                publishNotify(current, false);
            }
        }
        sendWaitingRequests(now);
    }

    /**
     * After the manage of a new connection (§3.1): the requests lost unanswered with the last
     * connection go out again with the same bytes unless the broker kept the session (then the
     * transport resends them), and those made offline go out. Their timeouts start now.
     */
    private void sendWaitingRequests(Instant now) {
        for (Request r : new ArrayList<>(pending.values())) {
            if (r.deadline() == null) {
                if (sessionPresent && !requestsNotDelivered.contains(r.reqId())) {
                    pending.put(r.reqId(), r.withDeadline(now.plus(config.requestTimeout())));
                } else {
                    publishRequest(now, r);
                }
            }
        }
        requestsNotDelivered.clear();
        while (!requestsWaiting.isEmpty()) {
            publishRequest(now, requestsWaiting.pollFirst());
        }
    }

    /**
     * The connection was lost. With an offline policy that lets requests wait
     * ({@link SessionConfig#offlineEventLimit()} above 0), unanswered device requests wait for the
     * next connection without a timeout and go out again after its manage (the same bytes, unless
     * the broker kept the session); with the fail-fast policy they keep waiting until their
     * timeout (a kept session may still answer).
     *
     * @param now the current instant from the driver's clock, not null
     */
    public void connectionLost(Instant now) {
        if (link == Link.CLOSED) {
            return;
        }
        link = Link.OFFLINE;
        if (config.offlineEventLimit() > 0) {
            pending.replaceAll((reqId, r) -> r.withDeadline(null));
        }
        manageInFlight = null;
        manageTimedOut = null; // the manage after the reconnect supersedes it
        // Its answer may never come: the waiting calls wait for the manage after reconnect.
        manageWaiters.addAll(0, manageInFlightWaiters);
        manageInFlightWaiters.clear();
        // Not acknowledged: not delivered yet (issue "nothing lost"). The transport still owns the
        // publishes whose future is pending; publishFailed moves those it gave up on to
        // repliesLost, and flushOffline decides after the connect.
        repliesUnconfirmed.putAll(repliesInFlight);
        repliesInFlight.clear();
        // At-least-once for QoS 1 events: unacknowledged ones go out again, first (§5 of the issue).
        List<OutEvent> again = new ArrayList<>();
        for (OutEvent e : eventsInFlight.values()) {
            if (e.qos() == QOS_1) {
                again.add(e);
            } else {
                complete(e.token(), new RequestOutcome.Failed(
                        new DeliveryFailedException(PublishFailure.NOT_CONNECTED, "the connection was lost before the QoS 0 event was written")));
            }
        }
        eventsInFlight.clear();
        for (int i = again.size() - 1; i >= 0; i--) {
            eventsWaiting.addFirst(again.get(i));
        }
    }

    /**
     * A publish the session asked for was acknowledged (QoS 1) or written (QoS 0).
     *
     * @param now the current instant from the driver's clock, not null
     * @param publishId the id of the {@link SessionAction.Publish} completed; an unknown id is ignored
     */
    public void publishCompleted(Instant now, long publishId) {
        requestPublishes.remove(publishId);
        Reply r = repliesInFlight.remove(publishId);
        if (r == null) {
            r = repliesUnconfirmed.remove(publishId);
        }
        if (r != null && !r.notes().isEmpty()) {
            note(acknowledged, r.notes());
            persist(false); // lost in a crash, the device only notifies once more
        }
        OutEvent e = eventsInFlight.remove(publishId);
        if (e != null) {
            complete(e.token(), new RequestOutcome.Delivered());
        }
    }

    /**
     * A publish the session asked for did not reach the broker. {@link PublishFailure#NOT_CONNECTED}
     * means "not delivered yet", never "done": the connection is gone (or going), and
     * {@link #connectionLost} decides what happens to the publish (requests keep waiting for
     * their timeout, QoS 1 events go out again). Any other failure fails the request, the manage
     * or the event at once with a {@link DeliveryFailedException} naming it.
     *
     * @param now the current instant from the driver's clock, not null
     * @param publishId the id of the {@link SessionAction.Publish} that failed; an unknown id is ignored
     * @param failure why it did not reach the broker, not null
     */
    public void publishFailed(Instant now, long publishId, PublishFailure failure) {
        Objects.requireNonNull(failure, "failure");
        if (failure == PublishFailure.NOT_CONNECTED) {
            notDeliveredYet(now, publishId);
            return;
        }
        repliesUnconfirmed.remove(publishId);
        if (repliesInFlight.remove(publishId) != null) {
            emit(new SessionEvent.ResponsesDropped(1)); // refused for good: sending it again cannot help
            recomputeTold();
        }
        String reqId = requestPublishes.remove(publishId);
        if (reqId != null) {
            Request p = pending.remove(reqId);
            if (p != null) {
                complete(p.token(), new RequestOutcome.Failed(new DeliveryFailedException(failure,
                        "the request " + reqId + " did not reach the broker: " + failure)));
            }
        }
        if (manageInFlight != null && manageInFlight.publishId() == publishId) {
            Pending lost = manageInFlight;
            manageInFlight = null;
            DeliveryFailedException cause = new DeliveryFailedException(failure,
                    "the manage " + lost.reqId() + " did not reach the broker: " + failure);
            // Like an answer: the waiting calls fail now instead of at the request timeout; an
            // automatic manage is retried with backoff.
            for (ManageWaiter w : manageInFlightWaiters) {
                complete(w.token(), new RequestOutcome.Failed(cause));
            }
            manageInFlightWaiters.clear();
            if (!lost.requested()) {
                manageFailed(now, cause.getMessage());
            }
            if (manageAgain && wanted.isPresent() && link == Link.READY) {
                sendManage(now, "requested");
            }
        }
        OutEvent e = eventsInFlight.remove(publishId);
        if (e != null) {
            complete(e.token(), new RequestOutcome.Failed(new DeliveryFailedException(failure,
                    "the event " + e.encoded().topic() + " did not reach the broker: " + failure)));
        }
    }

    /**
     * A reply or request the transport gave up on without delivering it (its connection ended):
     * it goes out again after the next connect, or at once when it belonged to a connection that
     * has already been replaced by a ready one.
     */
    private void notDeliveredYet(Instant now, long publishId) {
        boolean olderConnection = link == Link.READY && publishId < firstIdOfConnection;
        Reply r = repliesInFlight.remove(publishId);
        if (r == null) {
            r = repliesUnconfirmed.remove(publishId);
        }
        if (r != null) {
            if (!olderConnection) {
                repliesLost.put(publishId, r);
                boundKeptReplies();
            } else if (r.notes().isEmpty()) {
                reply(r); // a response: the identical bytes again
            } else {
                // A notify from a dead connection, failed after newer ones went out on this one:
                // sending its old values now would overwrite them at the platform, so tell the
                // current value of its fields instead.
                renotify(r.notes());
            }
        }
        String reqId = requestPublishes.remove(publishId);
        if (reqId != null) {
            Request p = pending.get(reqId);
            if (p != null) {
                if (olderConnection) {
                    publishRequest(now, p);
                } else {
                    requestsNotDelivered.add(reqId);
                }
            }
        }
    }

    /** Notifies the current value of the noted fields that are still observed. */
    private void renotify(List<FieldNote> notes) {
        List<FieldValue> current = new ArrayList<>();
        for (FieldNote n : notes) {
            if (observed.contains(n.field()) && current.stream().noneMatch(v -> v.field().equals(n.field()))) {
                currentValue(n.field()).ifPresent(current::add);
            }
        }
        if (!current.isEmpty()) {
            publishNotify(current, false);
        }
    }

    /**
     * Time passed: expire requests, re-manage before lifetime expiry, retry a failed manage.
     *
     * @param now the current instant from the driver's clock, not null; call at or after
     *     {@link #nextTimer()}; timers not yet due are left alone
     */
    public void tick(Instant now) {
        if (link == Link.CLOSED) {
            return;
        }
        for (Iterator<Request> it = pending.values().iterator(); it.hasNext();) {
            Request p = it.next();
            if (p.deadline() != null && !p.deadline().isAfter(now)) {
                it.remove();
                complete(p.token(), new RequestOutcome.TimedOut(config.requestTimeout()));
            }
        }
        expireWaiters(now, manageWaiters);
        expireWaiters(now, manageInFlightWaiters);
        if (manageInFlight != null && !manageInFlight.deadline().isAfter(now)) {
            Pending lost = manageInFlight;
            manageInFlight = null;
            manageTimedOut = lost.reqId();
            if (!lost.requested()) {
                // A requested manage reports its timeout through the tokens, like a non-200.
                manageFailed(now, "no response to manage (" + lost.reason() + ") within " + config.requestTimeout());
            }
        }
        if (link != Link.READY || wanted.isEmpty() || manageInFlight != null) {
            return;
        }
        if (remanageAt != null && !remanageAt.isAfter(now)) {
            remanageAt = null;
            sendManage(now, "lifetime");
        } else if (manageRetryAt != null && !manageRetryAt.isAfter(now)) {
            manageRetryAt = null;
            sendManage(now, "retry");
        }
    }

    private void expireWaiters(Instant now, List<ManageWaiter> waiters) {
        for (Iterator<ManageWaiter> it = waiters.iterator(); it.hasNext();) {
            ManageWaiter w = it.next();
            if (!w.deadline().isAfter(now)) {
                it.remove();
                complete(w.token(), new RequestOutcome.TimedOut(config.requestTimeout()));
            }
        }
    }

    /**
     * A message arrived on a subscribed topic. Never throws for any payload.
     *
     * @param now the current instant from the driver's clock, not null
     * @param topic the MQTT topic name as received
     * @param payload the payload bytes as received; read during the call, not kept
     */
    public void messageArrived(Instant now, String topic, byte[] payload) {
        if (link == Link.CLOSED) {
            return;
        }
        DecodeResult result = codec.decode(topic, payload);
        if (result instanceof DecodeError e) {
            // A malformed request is answered (400/404, §5.1, §12.31), a redelivery the same way
            // as any other; a malformed response is only reported.
            if (e.answerWith().isPresent() && !seenBefore(e.reqId().get())) {
                respondLazily(e.reqId().get(), e.answerWith().get(), Optional.of(e.detail()), Optional.empty(),
                        List.of());
            }
            emit(new SessionEvent.ProtocolProblem(e.toString()));
            return;
        }
        Message m = ((Decoded) result).message();
        if (m instanceof PlatformResponse r) {
            responseArrived(now, r);
        } else if (m instanceof Command c) {
            emit(new SessionEvent.CommandReceived(c));
        } else if (m instanceof PlatformRequest req) {
            requestArrived(now, req);
        } else if (m instanceof DeviceMessage) {
            emit(new SessionEvent.ProtocolProblem("a device message arrived on " + topic + "; ignored"));
        }
    }

    /**
     * Stops the session: every pending request and event fails; later inputs are ignored. Does not unmanage.
     *
     * @param now the current instant from the driver's clock, not null
     */
    public void close(Instant now) {
        if (link == Link.CLOSED) {
            return;
        }
        link = Link.CLOSED;
        // Most closes find nothing pending: then no exception is made (its stack trace is most of a close's cost).
        if (!pending.isEmpty() || !requestsWaiting.isEmpty() || !manageInFlightWaiters.isEmpty()
                || !manageWaiters.isEmpty() || !eventsInFlight.isEmpty() || !eventsWaiting.isEmpty()) {
            failEverything(new SessionClosedException("the client was closed"));
        }
        manageInFlight = null;
        remanageAt = null;
        manageRetryAt = null;
    }

    private void failEverything(SessionClosedException closed) {
        for (Request p : pending.values()) {
            complete(p.token(), new RequestOutcome.Failed(closed));
        }
        pending.clear();
        for (Request p : requestsWaiting) {
            complete(p.token(), new RequestOutcome.Failed(closed));
        }
        requestsWaiting.clear();
        failWaiters(closed);
        for (OutEvent e : eventsInFlight.values()) {
            complete(e.token(), new RequestOutcome.Failed(closed));
        }
        eventsInFlight.clear();
        for (OutEvent e : eventsWaiting) {
            complete(e.token(), new RequestOutcome.Failed(closed));
        }
        eventsWaiting.clear();
    }

    private void failWaiters(Throwable cause) {
        for (ManageWaiter w : manageInFlightWaiters) {
            complete(w.token(), new RequestOutcome.Failed(cause));
        }
        manageInFlightWaiters.clear();
        for (ManageWaiter w : manageWaiters) {
            complete(w.token(), new RequestOutcome.Failed(cause));
        }
        manageWaiters.clear();
    }

    // ---- application side ----------------------------------------------------------------------

    /**
     * Asks to be managed with these parameters, now and after every reconnect, until
     * {@link #unmanage}. The token completes with the outcome of the next manage sent (at once
     * when connected, else after connecting; after the one in flight, if any), or times out. A
     * requested manage that is refused or times out is reported through its token only; the
     * automatic ones (after a reconnect, before lifetime expiry) through
     * {@link SessionEvent.AutoManageSucceeded} and {@link SessionEvent.AutoManageFailed}, and
     * retried with capped backoff. A 200 that comes after the manage timed out (and before another
     * manage or a reconnect) still starts the lifetime's re-manage timer and cancels the retry,
     * because the platform manages the device from that answer on; the timed-out token keeps its
     * outcome.
     *
     * @param now the current instant from the driver's clock, not null
     * @param params the lifetime and supported operations, not null
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome
     * @throws SessionClosedException if the session is closed
     */
    public long manage(Instant now, ManageParams params) {
        requireOpen();
        Objects.requireNonNull(params, "params");
        wanted = Optional.of(params);
        persist();
        long token = nextId++;
        manageWaiters.add(new ManageWaiter(token, now.plus(config.requestTimeout())));
        manageRetryAt = null;
        if (link == Link.READY) {
            if (manageInFlight == null) {
                sendManage(now, "requested");
            } else {
                manageAgain = true; // never two manages in flight (§12.15)
            }
        }
        return token;
    }

    /**
     * Whether the application wants the device managed.
     *
     * @return true between {@link #manage} and {@link #unmanage}, whatever the platform answered
     */
    public boolean wantsManaged() {
        return wanted.isPresent();
    }

    /**
     * Stops being managed: clears the manage parameters and observations and sends unmanage
     * (§3.2). Managing calls still waiting fail.
     *
     * @param now the current instant from the driver's clock, not null
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome
     * @throws SessionClosedException if the session is closed
     */
    public long unmanage(Instant now) {
        requireOpen();
        wanted = Optional.empty();
        remanageAt = null;
        manageRetryAt = null;
        manageAgain = false;
        failWaiters(new IllegalStateException("unmanage was called before the manage completed"));
        if (!observed.isEmpty()) {
            observed.clear();
            changedWhileOffline.clear();
            acknowledged.clear();
            told.clear();
            emit(new SessionEvent.ObservationsChanged(Set.of()));
        }
        persist();
        return request(now, reqId -> new Unmanage(reqId));
    }

    /**
     * Reports the location (§3.3); the device model keeps it for observe.
     *
     * @param now the current instant from the driver's clock, not null
     * @param newLocation the complete new location, not null
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome
     * @throws SessionClosedException if the session is closed
     */
    public long updateLocation(Instant now, Location newLocation) {
        requireOpen();
        Objects.requireNonNull(newLocation, "location");
        location = Optional.of(newLocation);
        notifyChanges(FieldValue.LOCATION, Set.of());
        return request(now, reqId -> new UpdateLocation(reqId, newLocation));
    }

    /**
     * Appends an error code (§3.4).
     *
     * @param now the current instant from the driver's clock, not null
     * @param errorCode the code to append
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome
     * @throws SessionClosedException if the session is closed
     */
    public long addErrorCode(Instant now, int errorCode) {
        requireOpen();
        return request(now, reqId -> new AddErrorCode(reqId, errorCode));
    }

    /**
     * Clears the error codes (§3.5).
     *
     * @param now the current instant from the driver's clock, not null
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome
     * @throws SessionClosedException if the session is closed
     */
    public long clearErrorCodes(Instant now) {
        requireOpen();
        return request(now, ClearErrorCodes::new);
    }

    /**
     * Appends a log entry (§3.6).
     *
     * @param now the current instant from the driver's clock, not null
     * @param entry the log entry, not null
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome
     * @throws SessionClosedException if the session is closed
     */
    public long addLog(Instant now, LogEntry entry) {
        requireOpen();
        Objects.requireNonNull(entry, "entry");
        return request(now, reqId -> new AddLog(reqId, entry));
    }

    /**
     * Clears the log (§3.7).
     *
     * @param now the current instant from the driver's clock, not null
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome
     * @throws SessionClosedException if the session is closed
     */
    public long clearLog(Instant now) {
        requireOpen();
        return request(now, ClearLog::new);
    }

    /**
     * Replaces the local deviceInfo; notified if observed, and sent with the next manage.
     *
     * @param now the current instant from the driver's clock, not null
     * @param info the complete new deviceInfo, not null
     * @throws SessionClosedException if the session is closed
     */
    public void setDeviceInfo(Instant now, DeviceInfo info) {
        requireOpen();
        Objects.requireNonNull(info, "info");
        Set<String> changed = changedKeys(deviceInfo, info);
        deviceInfo = info;
        notifyChanges(FieldValue.DEVICE_INFO, changed);
    }

    /**
     * Replaces the local metadata; notified if observed, and sent with the next manage.
     *
     * @param now the current instant from the driver's clock, not null
     * @param newMetadata the complete new metadata, not null
     * @throws SessionClosedException if the session is closed
     */
    public void setMetadata(Instant now, JsonObject newMetadata) {
        requireOpen();
        metadata = Optional.of(Objects.requireNonNull(newMetadata, "metadata"));
        notifyChanges(FieldValue.METADATA, Set.of());
    }

    /**
     * Publishes an event. Offline, it waits (up to the configured limit) and goes out after the
     * next connect; QoS 1 events not yet acknowledged when a connection drops go out again
     * (at-least-once).
     *
     * @param now the current instant from the driver's clock, not null
     * @param event the event, not null
     * @param qos the MQTT QoS, 0 or 1
     * @return the token that {@link SessionEvent.RequestCompleted} carries with the outcome:
     *     {@link RequestOutcome.Delivered} once acknowledged (QoS 1) or written (QoS 0)
     * @throws IllegalArgumentException if {@code qos} is neither 0 nor 1
     * @throws MessageTooLargeException if the encoded event is over the codec's outbound limit
     * @throws SessionClosedException if the session is closed
     */
    public long publishEvent(Instant now, Event event, int qos) {
        requireOpen();
        Objects.requireNonNull(event, "event");
        if (qos != 0 && qos != 1) {
            throw new IllegalArgumentException("qos must be 0 or 1, got " + qos);
        }
        Encoded encoded = codec.encode(event);
        long token = nextId++;
        OutEvent e = new OutEvent(token, encoded, qos);
        if (link == Link.READY) {
            publishEvent(e);
        } else if (eventsWaiting.size() >= config.offlineEventLimit()) {
            emit(new SessionEvent.OfflineQueueFull("event " + event.eventId(), config.offlineEventLimit()));
            complete(token, new RequestOutcome.Failed(new OfflineQueueFullException(config.offlineEventLimit() == 0
                    ? "not connected, and offline queueing of events is off"
                    : "not connected, and " + config.offlineEventLimit() + " events are already waiting")));
        } else {
            eventsWaiting.add(e);
        }
        return token;
    }

    /**
     * Answers a reboot or factory reset handed to the application (§7): 202 before acting, 500
     * when the attempt failed, 501 when not supported.
     *
     * @throws IllegalStateException when no device action with this reqId is waiting for an answer
     * @throws IllegalArgumentException for any other rc
     * @param now the current instant from the driver's clock, not null
     * @param reqId the reqId of the request, from {@link SessionEvent}
     * @param rc 202, 500 or 501
     * @param message the explanation for a 500 or 501, or null for none
     * @throws SessionClosedException if the session is closed
     */
    public void respondDeviceAction(Instant now, String reqId, Rc rc, String message) {
        requireOpen();
        if (!rc.equals(Rc.ACCEPTED) && !rc.equals(Rc.INTERNAL_ERROR) && !rc.equals(Rc.NOT_IMPLEMENTED)) {
            throw new IllegalArgumentException("a device action is answered 202, 500 or 501, not " + rc.code());
        }
        answerHeld(reqId, rc, message, DEVICE_ACTION);
    }

    /**
     * Answers a custom action handed to the application (§8.4, §12.26): 200 done, 500 failed,
     * 501 not supported.
     *
     * @throws IllegalStateException when no custom action with this reqId is waiting for an answer
     * @throws IllegalArgumentException for any other rc
     * @param now the current instant from the driver's clock, not null
     * @param reqId the reqId of the request, from {@link SessionEvent}
     * @param rc 200, 500 or 501
     * @param message the explanation for a 500 or 501, or null for none
     * @throws SessionClosedException if the session is closed
     */
    public void respondCustomAction(Instant now, String reqId, Rc rc, String message) {
        requireOpen();
        if (!rc.equals(Rc.OK) && !rc.equals(Rc.INTERNAL_ERROR) && !rc.equals(Rc.NOT_IMPLEMENTED)) {
            throw new IllegalArgumentException("a custom action is answered 200, 500 or 501, not " + rc.code());
        }
        answerHeld(reqId, rc, message, CUSTOM_ACTION);
    }

    /**
     * The application reports firmware progress: {@code DOWNLOAD_SUCCEEDED},
     * {@code DOWNLOAD_FAILED}, {@code INSTALL_SUCCEEDED} or {@code INSTALL_FAILED}, with the
     * failure status for failures. Notifies the change when observed.
     *
     * @throws IllegalStateException when the report does not fit the current phase
     * @throws IllegalArgumentException for a request input or a failure without a failure status
     * @param now the current instant from the driver's clock, not null
     * @param report what finished, one of the four inputs above
     * @param failure the failure status for a failure (not SUCCESS or IN_PROGRESS); ignored otherwise, may
     *     be null then
     * @throws SessionClosedException if the session is closed
     */
    public void reportFirmware(Instant now, FirmwareInput report, UpdateStatus failure) {
        requireOpen();
        switch (report) {
            case DOWNLOAD_SUCCEEDED, INSTALL_SUCCEEDED -> {
            }
            case DOWNLOAD_FAILED, INSTALL_FAILED, IMAGE_REJECTED -> {
                if (failure == null || failure == UpdateStatus.SUCCESS || failure == UpdateStatus.IN_PROGRESS) {
                    throw new IllegalArgumentException(report + " needs a failure status, got " + failure);
                }
            }
            case DOWNLOAD_REQUESTED, DOWNLOAD_REQUESTED_UNUSABLE_IMAGE, UPDATE_REQUESTED, NEW_IMAGE ->
                    throw new IllegalArgumentException(report + " comes from the platform, not the application");
        }
        if (FirmwareTable.transition(phase, report).isEmpty()) {
            throw new IllegalStateException("cannot report " + report + " while the firmware is " + phase);
        }
        applyFirmwareAndNotify(report, failure, null);
    }

    /** The status a failed download ends with when the application names none (the seed's default). */
    public static final UpdateStatus DEFAULT_DOWNLOAD_FAILURE = UpdateStatus.CONNECTION_LOST;
    /** The status a failed install ends with when the application names none (the seed's default). */
    public static final UpdateStatus DEFAULT_INSTALL_FAILURE = UpdateStatus.UNSUPPORTED_IMAGE;

    /**
     * The seed's {@code setState}: {@code DOWNLOADED} while downloading reports a finished
     * download; the state the firmware is already in changes nothing (the seed's download sample
     * starts with {@code setState(DOWNLOADING)}).
     *
     * @throws IllegalStateException for any other state, naming the phase
     * @param now the current instant from the driver's clock, not null
     * @param state the state the application sets, not null
     * @throws SessionClosedException if the session is closed
     */
    public void setFirmwareState(Instant now, FirmwareState state) {
        requireOpen();
        Objects.requireNonNull(state, "state");
        if (state == FirmwareState.DOWNLOADED && phase == FirmwarePhase.DOWNLOADING) {
            applyFirmwareAndNotify(FirmwareInput.DOWNLOAD_SUCCEEDED, null, null);
        } else if (state != phase.wireState()) {
            throw new IllegalStateException("the firmware is " + phase + "; the device reports state " + state
                    + " only when a download finishes (setUpdateStatus reports failures)");
        }
    }

    /**
     * The seed's {@code setUpdateStatus}. A failure status ends the running download with it, or
     * rejects the downloaded image (back to IDLE; the seed's verification sample), or ends the
     * running install with it (back to DOWNLOADED). SUCCESS ends a running install;
     * IN_PROGRESS while installing changes nothing.
     *
     * @throws IllegalStateException when the status does not fit the phase, naming both
     * @param now the current instant from the driver's clock, not null
     * @param status the status the application sets, not null
     * @throws SessionClosedException if the session is closed
     */
    public void setUpdateStatus(Instant now, UpdateStatus status) {
        requireOpen();
        Objects.requireNonNull(status, "status");
        FirmwareInput input = switch (status) {
            case SUCCESS -> FirmwareInput.INSTALL_SUCCEEDED;
            case IN_PROGRESS -> null;
            case OUT_OF_MEMORY, CONNECTION_LOST, VERIFICATION_FAILED, UNSUPPORTED_IMAGE, INVALID_URI -> switch (phase) {
                case DOWNLOADING -> FirmwareInput.DOWNLOAD_FAILED;
                case DOWNLOADED -> FirmwareInput.IMAGE_REJECTED;
                case INSTALLING, IDLE -> FirmwareInput.INSTALL_FAILED;
            };
        };
        if (input == null) {
            if (phase != FirmwarePhase.INSTALLING) {
                throw new IllegalStateException("IN_PROGRESS fits only a running install, but the firmware is " + phase);
            }
            return;
        }
        if (FirmwareTable.transition(phase, input).isEmpty()) {
            throw new IllegalStateException("updateStatus " + status + " does not fit while the firmware is " + phase);
        }
        applyFirmwareAndNotify(input, input == FirmwareInput.INSTALL_SUCCEEDED ? null : status, null);
    }

    /**
     * The application's firmware handler finished its download ({@code download}) or install
     * successfully.
     *
     * @return false, changing nothing, when that work is no longer running (the application
     *     reported it already, seed style)
     * @param now the current instant from the driver's clock, not null
     * @param download true for the download, false for the install
     * @throws SessionClosedException if the session is closed
     */
    public boolean firmwareHandlerSucceeded(Instant now, boolean download) {
        requireOpen();
        if (phase != (download ? FirmwarePhase.DOWNLOADING : FirmwarePhase.INSTALLING)) {
            return false;
        }
        applyFirmwareAndNotify(download ? FirmwareInput.DOWNLOAD_SUCCEEDED : FirmwareInput.INSTALL_SUCCEEDED, null, null);
        return true;
    }

    /**
     * The application's firmware handler failed its download ({@code download}) or install, with
     * this status or, when it names none (or a non-failure), {@link #DEFAULT_DOWNLOAD_FAILURE} or
     * {@link #DEFAULT_INSTALL_FAILURE}.
     *
     * @return false, changing nothing, when that work is no longer running (the application
     *     reported it already, seed style)
     * @param now the current instant from the driver's clock, not null
     * @param download true for the download, false for the install
     * @param status the failure status the handler named, if any; not null
     * @throws SessionClosedException if the session is closed
     */
    public boolean firmwareHandlerFailed(Instant now, boolean download, Optional<UpdateStatus> status) {
        requireOpen();
        Objects.requireNonNull(status, "status");
        if (phase != (download ? FirmwarePhase.DOWNLOADING : FirmwarePhase.INSTALLING)) {
            return false;
        }
        UpdateStatus failure = status.filter(f -> f != UpdateStatus.SUCCESS && f != UpdateStatus.IN_PROGRESS)
                .orElse(download ? DEFAULT_DOWNLOAD_FAILURE : DEFAULT_INSTALL_FAILURE);
        applyFirmwareAndNotify(download ? FirmwareInput.DOWNLOAD_FAILED : FirmwareInput.INSTALL_FAILED, failure, null);
        return true;
    }

    /**
     * The firmware phase.
     *
     * @return the engine's phase, finer than the wire state (e.g. installing)
     */
    public FirmwarePhase firmwarePhase() {
        return phase;
    }

    /**
     * The {@code mgmt.firmware} object.
     *
     * @return the object as the platform would read it now, state and updateStatus included
     */
    public FirmwareInfo firmware() {
        return firmware;
    }

    /**
     * The device's current deviceInfo.
     *
     * @return the deviceInfo as last set (or from the configuration)
     */
    public DeviceInfo deviceInfo() {
        return deviceInfo;
    }

    /**
     * The fields the platform observes.
     *
     * @return an immutable copy of the observed field names
     */
    public Set<String> observed() {
        return Set.copyOf(observed);
    }

    /**
     * Whether the connection is subscribed and ready.
     *
     * @return true once the subscriptions were granted, until the connection is lost or the session
     *     closed
     */
    public boolean isReady() {
        return link == Link.READY;
    }

    /**
     * How many replies (responses and notifies) the session has decided and the broker has not
     * acknowledged yet: published and waiting for their PUBACK, lost with a connection, or made
     * while offline. A driver's graceful close waits for this to reach 0.
     *
     * @return the number of unacknowledged replies
     */
    public int unacknowledgedReplies() {
        return repliesInFlight.size() + repliesUnconfirmed.size() + repliesLost.size() + repliesWaiting.size();
    }

    /**
     * The state to persist now.
     *
     * @return a snapshot for {@link DeviceStateStore#save}; the session also asks for saves with
     *     {@link SessionAction.Persist}
     */
    public DeviceState state() {
        List<DeviceState.Answer> answers = new ArrayList<>();
        answered.forEach((k, v) -> answers.add(new DeviceState.Answer(k, v)));
        Map<String, JsonValue> acks = new LinkedHashMap<>(acknowledged);
        acks.keySet().retainAll(observed);
        return new DeviceState(firmware, phase, wanted, answers, List.copyOf(observed), acks);
    }

    // ---- device requests -----------------------------------------------------------------------

    private interface RequestFactory {
        DeviceRequest create(String reqId);
    }

    /**
     * Sends a device request now, or offline lets it wait for the next connection per the
     * offline policy: fail fast (limit 0), fail when the limit is reached, else wait.
     */
    private long request(Instant now, RequestFactory factory) {
        long token = nextId++;
        int limit = config.offlineEventLimit();
        if (link != Link.READY && limit == 0) {
            emit(new SessionEvent.OfflineQueueFull("device request", 0));
            complete(token, new RequestOutcome.Failed(new DeliveryFailedException(PublishFailure.NOT_CONNECTED,
                    "not connected: the request was not sent (offline queueing is off)")));
            return token;
        }
        if (link != Link.READY && requestsWaiting.size() >= limit) {
            emit(new SessionEvent.OfflineQueueFull("device request", limit));
            complete(token, new RequestOutcome.Failed(new OfflineQueueFullException(
                    "not connected, and " + limit + " device requests are already waiting")));
            return token;
        }
        String reqId = config.reqIds().get();
        Encoded encoded;
        try {
            encoded = codec.encode(factory.create(reqId));
        } catch (MessageTooLargeException e) {
            complete(token, new RequestOutcome.Failed(e));
            return token;
        }
        Request r = new Request(reqId, token, encoded, null);
        if (link == Link.READY) {
            publishRequest(now, r);
        } else {
            requestsWaiting.addLast(r);
        }
        return token;
    }

    private void publishRequest(Instant now, Request r) {
        // The pending entry exists before the publish, so no response can beat it.
        long id = nextId++;
        pending.put(r.reqId(), r.withDeadline(now.plus(config.requestTimeout())));
        requestPublishes.put(id, r.reqId());
        publishWithId(id, r.encoded().topic(), r.encoded().payload());
    }

    private void sendManage(Instant now, String reason) {
        ManageParams p = wanted.orElseThrow();
        String reqId = config.reqIds().get();
        Manage m = new Manage(reqId, OptionalLong.of(p.lifetimeSeconds()), Optional.of(p.supports()),
                deviceInfo.equals(DeviceInfo.EMPTY) ? Optional.empty() : Optional.of(deviceInfo), metadata);
        Encoded encoded;
        try {
            encoded = codec.encode(m);
        } catch (MessageTooLargeException e) {
            failWaiters(e);
            return;
        }
        manageInFlightWaiters.addAll(manageWaiters);
        manageWaiters.clear();
        // The publish id is kept, so a publish that fails fails the manage at once (not at its timeout).
        long id = nextId++;
        manageInFlight = new Pending(reqId, 0, now.plus(config.requestTimeout()), !manageInFlightWaiters.isEmpty(),
                reason, id);
        manageAgain = false;
        // Any manage sent supersedes the lifetime and retry timers, and a late answer to an
        // earlier one; its own answer sets them anew.
        remanageAt = null;
        manageRetryAt = null;
        manageTimedOut = null;
        publishWithId(id, encoded.topic(), encoded.payload());
    }

    private void responseArrived(Instant now, PlatformResponse r) {
        if (r.reqId().isEmpty()) {
            emit(new SessionEvent.ProtocolProblem("a platform response without reqId; ignored"));
            return;
        }
        String reqId = r.reqId().get();
        if (manageInFlight != null && manageInFlight.reqId().equals(reqId)) {
            Pending inFlight = manageInFlight;
            manageInFlight = null;
            manageAnswered(now, r, inFlight);
            return;
        }
        if (reqId.equals(manageTimedOut)) {
            manageTimedOut = null;
            if (r.rc().equals(Rc.OK) && wanted.isPresent()) {
                // Its tokens already timed out, but the platform manages the device from now on
                // and expects a manage before the lifetime ends (§9.2); a retry would be an
                // identical manage the platform already accepted (§12.15).
                manageRetryAt = null;
                manageRetryDelay = config.manageRetryMin();
                startLifetime(now);
            }
            return;
        }
        Request p = pending.remove(reqId);
        if (p == null) {
            return; // late, duplicate, or the answer to a notify: ignored (§12.3, §13.3)
        }
        complete(p.token(), new RequestOutcome.Answered(r));
    }

    private void manageAnswered(Instant now, PlatformResponse r, Pending manage) {
        for (ManageWaiter w : manageInFlightWaiters) {
            complete(w.token(), new RequestOutcome.Answered(r));
        }
        manageInFlightWaiters.clear();
        // A requested manage reports through its tokens (even ones that timed out meanwhile);
        // an automatic one through events, and a failed one is retried.
        boolean automatic = !manage.requested() && wanted.isPresent();
        if (r.rc().equals(Rc.OK)) {
            manageRetryDelay = config.manageRetryMin();
            manageRetryAt = null;
            startLifetime(now);
            if (automatic) {
                emit(new SessionEvent.AutoManageSucceeded(manage.reason()));
            }
            converge();
        } else if (automatic) {
            manageFailed(now, "manage (" + manage.reason() + ") answered " + r.rc().code()
                    + r.message().map(msg -> ": " + msg).orElse(""));
        }
        if (manageAgain && wanted.isPresent() && link == Link.READY) {
            sendManage(now, "requested");
        }
    }

    /**
     * An accepted manage starts the lifetime: re-manage well before expiry, a tenth of it early, at
     * least two minutes (§9.2).
     */
    private void startLifetime(Instant now) {
        long lifetime = wanted.map(ManageParams::lifetimeSeconds).orElse(0L);
        remanageAt = lifetime > 0 ? now.plusSeconds(lifetime - Math.max(120, lifetime / 10)) : null;
    }

    private void manageFailed(Instant now, String detail) {
        if (wanted.isEmpty()) {
            return;
        }
        Duration delay = manageRetryDelay;
        manageRetryAt = now.plus(delay);
        Duration doubled = delay.multipliedBy(2);
        manageRetryDelay = doubled.compareTo(config.manageRetryMax()) > 0 ? config.manageRetryMax() : doubled;
        emit(new SessionEvent.AutoManageFailed(detail, delay));
    }

    // ---- platform requests ---------------------------------------------------------------------

    private void requestArrived(Instant now, PlatformRequest req) {
        Optional<String> id = req.requestId();
        if (id.isPresent() && seenBefore(id.get())) {
            return;
        }
        if (req instanceof DeviceUpdate u) {
            deviceUpdate(u);
        } else if (req instanceof Observe o) {
            observe(o);
        } else if (req instanceof Cancel c) {
            for (String f : c.fields()) {
                observed.remove(f);
                changedWhileOffline.remove(f);
                acknowledged.remove(f);
                told.remove(f);
            }
            emit(new SessionEvent.ObservationsChanged(Set.copyOf(observed)));
            // Always 200 (§12.27); may be lost in a crash: the platform cancels again.
            respondLazily(c.reqId(), Rc.OK, Optional.empty(), Optional.empty(), List.of());
        } else if (req instanceof Reboot r) {
            deviceAction(r.reqId(), DeviceActionKind.REBOOT);
        } else if (req instanceof FactoryReset r) {
            deviceAction(r.reqId(), DeviceActionKind.FACTORY_RESET);
        } else if (req instanceof FirmwareDownload d) {
            firmwareRequest(d.reqId(), usableImage(firmware).isEmpty()
                    ? FirmwareInput.DOWNLOAD_REQUESTED : FirmwareInput.DOWNLOAD_REQUESTED_UNUSABLE_IMAGE);
        } else if (req instanceof FirmwareUpdate u) {
            firmwareRequest(u.reqId(), FirmwareInput.UPDATE_REQUESTED);
        } else if (req instanceof CustomAction c) {
            customAction(c);
        }
    }

    /**
     * Handles a redelivery: an answered request gets the same answer again, one the application
     * holds gets nothing now (its one answer follows); the handler never runs twice (§12.25).
     *
     * @return whether the request was seen before and is dealt with
     */
    private boolean seenBefore(String reqId) {
        String previous = answered.get(reqId);
        if (previous != null) {
            reply(new Reply(DmTopic.DEVICE_RESPONSE.topicName(),
                    previous.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            return true;
        }
        return inProgress.containsKey(reqId);
    }

    private void deviceUpdate(DeviceUpdate u) {
        List<FieldValue> applied = new ArrayList<>();
        List<String> notFound = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (FieldValue f : u.fields()) {
            if (f instanceof LocationField l) {
                location = Optional.of(l.value());
                applied.add(f);
            } else if (f instanceof MetadataField m) {
                metadata = Optional.of(m.value());
                applied.add(f);
            } else if (f instanceof DeviceInfoField d) {
                deviceInfo = d.value();
                applied.add(f);
            } else if (f instanceof FirmwareField fw) {
                // The device owns state and updateStatus: only the image parameters are taken (§4.2).
                FirmwareInfo image = fw.value();
                if (image.sameImageAs(firmware)) {
                    applied.add(f);
                } else if (applyFirmwareAndNotify(FirmwareInput.NEW_IMAGE, null, image)
                        == FirmwareTable.Effect.REFUSE_IMAGE) {
                    failed.add(f.field());
                } else {
                    applied.add(f);
                }
            } else {
                notFound.add(f.field());
            }
        }
        if (!applied.isEmpty()) {
            emit(new SessionEvent.AttributesUpdated(applied));
        }
        if (u.reqId().isEmpty()) {
            return; // a push: no response (§12.12)
        }
        if (notFound.isEmpty() && failed.isEmpty()) {
            respondLazily(u.reqId().get(), Rc.CHANGED, Optional.empty(), Optional.empty(), List.of());
            return;
        }
        List<String> names = new ArrayList<>(notFound);
        names.addAll(failed);
        Rc rc = failed.isEmpty() ? Rc.NOT_FOUND : Rc.INTERNAL_ERROR;
        String message = failed.isEmpty() ? "unknown field" : "cannot change the firmware image while "
                + phase.name().toLowerCase(java.util.Locale.ROOT);
        respondLazily(u.reqId().get(), rc, Optional.of(message), Optional.of(ResponseViews.failedFieldNamesData(names)),
                List.of());
    }

    private void observe(Observe o) {
        List<FieldValue> values = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String f : o.fields()) {
            Optional<FieldValue> v = currentValue(f);
            if (v.isPresent()) {
                observed.add(f);
                values.add(v.get());
            } else {
                missing.add(f);
            }
        }
        emit(new SessionEvent.ObservationsChanged(Set.copyOf(observed)));
        if (missing.isEmpty()) {
            // Always with the current value of each field (§12.5); once acknowledged, these are
            // what the platform knows. May be lost in a crash: the platform observes again.
            respondLazily(o.reqId(), Rc.OK, Optional.empty(), Optional.of(ResponseViews.observedValuesData(values)),
                    notes(values, false));
        } else {
            // Observe failures list entries with only "field" (§4.3), unlike device/update's names.
            List<JsonValue> entries = new ArrayList<>();
            missing.forEach(f -> entries.add(JsonObject.builder().put("field", f).build()));
            respondLazily(o.reqId(), Rc.NOT_FOUND, Optional.of("no such field"),
                    Optional.of(JsonObject.builder().put("fields", new JsonArray(entries)).build()), List.of());
        }
    }

    private void deviceAction(String reqId, DeviceActionKind kind) {
        boolean declared = wanted.map(p -> p.supports().deviceActions()).orElse(false);
        if (!declared || !config.deviceActionHandler()) {
            respond(reqId, Rc.NOT_IMPLEMENTED, Optional.of(!declared
                    ? "device actions were not declared in manage" : "no device action handler"), Optional.empty());
            return;
        }
        inProgress.put(reqId, DEVICE_ACTION);
        emit(new SessionEvent.DeviceActionRequested(reqId, kind));
    }

    private void customAction(CustomAction c) {
        boolean declared = wanted.map(p -> p.supports().bundleIds().contains(c.bundleId())).orElse(false);
        boolean handled = config.anyCustomAction() || config.customActionBundles().contains(c.bundleId());
        if (!declared || !handled) {
            respond(c.reqId(), Rc.NOT_IMPLEMENTED, Optional.of(!declared
                    ? "bundle " + c.bundleId() + " was not declared in manage"
                    : "no handler for bundle " + c.bundleId()), Optional.empty());
            return;
        }
        inProgress.put(c.reqId(), CUSTOM_ACTION);
        emit(new SessionEvent.CustomActionRequested(c));
    }

    private void firmwareRequest(String reqId, FirmwareInput input) {
        boolean declared = wanted.map(p -> p.supports().firmwareActions()).orElse(false);
        if (!declared || !config.firmwareHandler()) {
            respond(reqId, Rc.NOT_IMPLEMENTED, Optional.of(!declared
                    ? "firmware actions were not declared in manage" : "no firmware handler"), Optional.empty());
            return;
        }
        FirmwarePhase before = phase;
        FirmwareTable.Transition t = FirmwareTable.transition(phase, input).orElseThrow();
        Rc rc = Rc.of(t.answer().orElseThrow().code());
        if (!rc.equals(Rc.ACCEPTED)) {
            respond(reqId, rc, Optional.of(refusal(input, before)), Optional.empty());
            return;
        }
        // The new phase is stored (durably) before the 202 goes out, the 202 before its notify, and
        // the handler runs last, only for accepted requests.
        FirmwareInfo fwBefore = firmware;
        DeviceInfo infoBefore = deviceInfo;
        applyFirmware(input, null, null);
        respond(reqId, rc, Optional.empty(), Optional.empty());
        notifyFirmwareChange(fwBefore, infoBefore);
        emit(t.effect() == FirmwareTable.Effect.START_DOWNLOAD
                ? new SessionEvent.FirmwareDownloadRequested(firmware)
                : new SessionEvent.FirmwareInstallRequested(firmware));
    }

    private String refusal(FirmwareInput input, FirmwarePhase before) {
        if (input == FirmwareInput.DOWNLOAD_REQUESTED_UNUSABLE_IMAGE && before == FirmwarePhase.IDLE) {
            return usableImage(firmware).orElse("the firmware image is not usable");
        }
        return switch (input) {
            case DOWNLOAD_REQUESTED, DOWNLOAD_REQUESTED_UNUSABLE_IMAGE ->
                    "Cannot download as the device is not in idle state (" + before.name().toLowerCase(java.util.Locale.ROOT) + ")";
            default -> "Firmware is still not successfully downloaded (" + before.name().toLowerCase(java.util.Locale.ROOT) + ")";
        };
    }

    /** Why the firmware parameters cannot be downloaded, or empty when they can (§12.8). */
    static Optional<String> usableImage(FirmwareInfo f) {
        if (f.uri().isEmpty() || f.uri().get().isBlank()) {
            return Optional.of("no firmware uri is set");
        }
        try {
            URI uri = new URI(f.uri().get());
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                    || uri.getHost() == null) {
                return Optional.of("the firmware uri is not an http or https URL: " + f.uri().get());
            }
        } catch (URISyntaxException e) {
            return Optional.of("the firmware uri is not valid: " + e.getMessage());
        }
        if (Verifier.parse(f.verifier().orElse("")).isEmpty()) {
            return Optional.of("the verifier is neither an MD5 (32 hex digits) nor a SHA-256 (64 hex digits) digest");
        }
        return Optional.empty();
    }

    private void answerHeld(String reqId, Rc rc, String message, String what) {
        String held = inProgress.get(reqId);
        if (!what.equals(held)) {
            throw new IllegalStateException("no " + what + " with reqId " + reqId + " is waiting for an answer"
                    + (held != null ? " (it is a " + held + ")" : "")
                    + (answered.containsKey(reqId) ? " (it was answered already)" : ""));
        }
        inProgress.remove(reqId);
        respond(reqId, rc, Optional.ofNullable(message), Optional.empty());
    }

    // ---- firmware ------------------------------------------------------------------------------

    /** Applies a transition and notifies what changed; returns the transition's effect. */
    private FirmwareTable.Effect applyFirmwareAndNotify(FirmwareInput input, UpdateStatus failure, FirmwareInfo image) {
        FirmwareInfo fwBefore = firmware;
        DeviceInfo infoBefore = deviceInfo;
        FirmwareTable.Effect effect = applyFirmware(input, failure, image);
        notifyFirmwareChange(fwBefore, infoBefore);
        return effect;
    }

    /** Notifies the observed parts of the firmware and deviceInfo that changed since these values. */
    private void notifyFirmwareChange(FirmwareInfo fwBefore, DeviceInfo infoBefore) {
        Set<String> fwChanged = changedKeys(fwBefore, firmware);
        Set<String> infoChanged = changedKeys(infoBefore, deviceInfo);
        List<FieldValue> fields = new ArrayList<>();
        fields.addAll(notifyFields(FieldValue.FIRMWARE, fwChanged));
        fields.addAll(notifyFields(FieldValue.DEVICE_INFO, infoChanged));
        if (!fields.isEmpty()) {
            publishNotify(fields, true);
        }
    }

    private FirmwareTable.Effect applyFirmware(FirmwareInput input, UpdateStatus failure, FirmwareInfo image) {
        FirmwareTable.Transition t = FirmwareTable.transition(phase, input).orElseThrow(
                () -> new IllegalStateException("no firmware transition for " + input + " in " + phase));
        if (t.effect() == FirmwareTable.Effect.REFUSE_IMAGE) {
            return t.effect();
        }
        phase = t.next();
        FirmwareInfo f = firmware.withState(phase.wireState());
        f = switch (t.status()) {
            case KEEP -> f;
            case RESET -> f.withUpdateStatus(UpdateStatus.SUCCESS);
            case IN_PROGRESS -> f.withUpdateStatus(UpdateStatus.IN_PROGRESS);
            case FROM_INPUT -> f.withUpdateStatus(failure);
        };
        switch (t.effect()) {
            case STORE_IMAGE, DISCARD_IMAGE_AND_STORE -> f = f.withImageOf(image);
            case INSTALL_VERSION -> f.version().ifPresent(v -> deviceInfo = deviceInfo.withFwVersion(v));
            case NONE, START_DOWNLOAD, START_INSTALL, REFUSE_IMAGE -> {
            }
        }
        firmware = f;
        persist();
        return t.effect();
    }

    // ---- observe and notify ---------------------------------------------------------------------

    /** Notifies a change of one attribute (sub-keys for the structured ones; empty = whole). */
    private void notifyChanges(String attribute, Set<String> changedSubKeys) {
        List<FieldValue> fields = notifyFields(attribute, changedSubKeys);
        if (!fields.isEmpty()) {
            publishNotify(fields, true);
        }
    }

    /**
     * The fields to notify for a change: an observation of the attribute gets the changed
     * sub-fields (§3.8), one of a sub-field (e.g. {@code mgmt.firmware.state}) its new value.
     * Offline, the observed fields are remembered and their current values sent after reconnect.
     */
    private List<FieldValue> notifyFields(String attribute, Set<String> changedSubKeys) {
        boolean whole = attribute.equals(FieldValue.LOCATION) || attribute.equals(FieldValue.METADATA);
        if (!whole && changedSubKeys.isEmpty()) {
            return List.of();
        }
        List<FieldValue> fields = new ArrayList<>();
        for (String f : observed) {
            boolean hit = f.equals(attribute)
                    || (!whole && f.startsWith(attribute + ".") && changedSubKeys.contains(f.substring(attribute.length() + 1)));
            if (!hit) {
                continue;
            }
            if (link != Link.READY) {
                changedWhileOffline.add(f);
                continue;
            }
            if (f.equals(FieldValue.FIRMWARE)) {
                fields.add(new FirmwareField(partialFirmware(changedSubKeys)));
            } else if (f.equals(FieldValue.DEVICE_INFO)) {
                DeviceInfo.Builder b = DeviceInfo.builder();
                changedSubKeys.forEach(k -> b.set(k, deviceInfo.get(k).orElse(null)));
                fields.add(new DeviceInfoField(b.build()));
            } else {
                currentValue(f).ifPresent(fields::add);
            }
        }
        return fields;
    }

    private FirmwareInfo partialFirmware(Set<String> keys) {
        FirmwareInfo f = firmware;
        return new FirmwareInfo(keys.contains("version") ? f.version() : Optional.empty(),
                keys.contains("name") ? f.name() : Optional.empty(),
                keys.contains("uri") ? f.uri() : Optional.empty(),
                keys.contains("verifier") ? f.verifier() : Optional.empty(),
                keys.contains("state") ? f.state() : Optional.empty(),
                keys.contains("updateStatus") ? f.updateStatus() : Optional.empty(),
                Optional.empty());
    }

    /** The current value of an observable field, if the device has one. */
    private Optional<FieldValue> currentValue(String field) {
        switch (field) {
            case FieldValue.FIRMWARE:
                return Optional.of(new FirmwareField(firmware));
            case FieldValue.DEVICE_INFO:
                return Optional.of(new DeviceInfoField(deviceInfo));
            case FieldValue.LOCATION:
                return location.map(LocationField::new);
            case FieldValue.METADATA:
                return metadata.map(MetadataField::new);
            default:
                break;
        }
        if (field.startsWith(FieldValue.FIRMWARE + ".")) {
            String key = field.substring(FieldValue.FIRMWARE.length() + 1);
            return firmwareValue(key).map(v -> new OtherField(field, v));
        }
        if (field.startsWith(FieldValue.DEVICE_INFO + ".")) {
            return deviceInfo.get(field.substring(FieldValue.DEVICE_INFO.length() + 1))
                    .map(v -> new OtherField(field, new JsonString(v)));
        }
        return Optional.empty();
    }

    /** The device-writable {@code mgmt.firmware} sub-fields, in wire order (§6.1). */
    private static final List<String> FIRMWARE_KEYS = List.of("version", "name", "uri", "verifier", "state",
            "updateStatus");

    private Optional<JsonValue> firmwareValue(String key) {
        return firmwareValue(firmware, key);
    }

    /** One sub-field of a firmware object as JSON; the one place that names them all. */
    private static Optional<JsonValue> firmwareValue(FirmwareInfo f, String key) {
        return switch (key) {
            case "version" -> f.version().map(JsonString::new);
            case "name" -> f.name().map(JsonString::new);
            case "uri" -> f.uri().map(JsonString::new);
            case "verifier" -> f.verifier().map(JsonString::new);
            case "state" -> f.state().map(s -> JsonNumber.of(s.code()));
            case "updateStatus" -> f.updateStatus().map(s -> JsonNumber.of(s.code()));
            default -> Optional.empty();
        };
    }

    /**
     * Notifies these values; {@code partial} when object values hold only their changed keys
     * (the platform merges those, §3.8).
     */
    private void publishNotify(List<FieldValue> fields, boolean partial) {
        Encoded e = codec.encode(new Notify(Optional.of(config.reqIds().get()), fields));
        List<FieldNote> notes = notes(fields, partial);
        note(told, notes);
        reply(new Reply(e.topic(), e.payload(), notes));
    }

    /**
     * After a manage that succeeded: notifies, with its whole current value, every observed field
     * whose value differs from what the platform will know once the replies on their way arrive
     * (the acknowledged values after a restart). A notify lost on a dead link or in a crash
     * thereby reaches the platform after all (issue #10).
     */
    private void converge() {
        List<FieldValue> differ = new ArrayList<>();
        for (String f : observed) {
            Optional<FieldValue> current = currentValue(f);
            if (current.isPresent() && !valueJson(current.get()).equals(told.get(f))) {
                differ.add(current.get());
            }
        }
        if (!differ.isEmpty()) {
            publishNotify(differ, false);
        }
    }

    private static List<FieldNote> notes(List<FieldValue> fields, boolean partial) {
        List<FieldNote> notes = new ArrayList<>(fields.size());
        for (FieldValue f : fields) {
            boolean object = f.field().equals(FieldValue.FIRMWARE) || f.field().equals(FieldValue.DEVICE_INFO);
            notes.add(new FieldNote(f.field(), valueJson(f), partial && object));
        }
        return notes;
    }

    /** The JSON of a field's value, exactly as the codec writes it in a notify. */
    private static JsonValue valueJson(FieldValue f) {
        JsonObject d = (JsonObject) ResponseViews.observedValuesData(List.of(f));
        JsonObject entry = (JsonObject) ((JsonArray) d.get("fields").orElseThrow()).elements().get(0);
        return entry.get("value").orElseThrow();
    }

    /** Applies what replies tell the platform to a view of it (only fields still observed). */
    private void note(Map<String, JsonValue> view, List<FieldNote> notes) {
        for (FieldNote n : notes) {
            if (!observed.contains(n.field())) {
                continue;
            }
            JsonValue before = view.get(n.field());
            if (n.merge() && before instanceof JsonObject old && n.value() instanceof JsonObject changed) {
                Map<String, JsonValue> merged = new LinkedHashMap<>(old.members());
                merged.putAll(changed.members());
                view.put(n.field(), new JsonObject(merged));
            } else {
                view.put(n.field(), n.value());
            }
        }
    }

    /** After a reply was dropped: what the platform will know is what it acknowledged plus what is still on its way. */
    private void recomputeTold() {
        told.clear();
        told.putAll(acknowledged);
        repliesLost.values().forEach(r -> note(told, r.notes()));
        repliesInFlight.values().forEach(r -> note(told, r.notes()));
        repliesUnconfirmed.values().forEach(r -> note(told, r.notes()));
        repliesWaiting.forEach(r -> note(told, r.notes()));
    }

    private static Set<String> changedKeys(FirmwareInfo a, FirmwareInfo b) {
        Set<String> keys = new LinkedHashSet<>();
        for (String k : FIRMWARE_KEYS) {
            if (!firmwareValue(a, k).equals(firmwareValue(b, k))) {
                keys.add(k);
            }
        }
        return keys;
    }

    private static Set<String> changedKeys(DeviceInfo a, DeviceInfo b) {
        Set<String> keys = new LinkedHashSet<>();
        for (String k : DeviceInfo.KEYS) {
            if (!a.get(k).equals(b.get(k))) {
                keys.add(k);
            }
        }
        return keys;
    }

    // ---- output --------------------------------------------------------------------------------

    /**
     * Sends (or, offline, queues) the one response to a platform request, and remembers it. The
     * answer is stored durably before it is published: for a request with side effects (reboot,
     * factory reset, firmware, custom action), a redelivery after a crash gets this answer again
     * instead of running the handler twice.
     */
    private void respond(String reqId, Rc rc, Optional<String> message, Optional<JsonValue> d) {
        respond(reqId, rc, message, d, true, List.of());
    }

    /**
     * Like {@link #respond} for requests without side effects (observe, cancel, device/update,
     * malformed requests): the answer is stored without forcing it to disk, so a crash may lose
     * it and a redelivery after the restart is handled anew, which is harmless for these.
     */
    private void respondLazily(String reqId, Rc rc, Optional<String> message, Optional<JsonValue> d,
            List<FieldNote> notes) {
        respond(reqId, rc, message, d, false, notes);
    }

    private void respond(String reqId, Rc rc, Optional<String> message, Optional<JsonValue> d, boolean durable,
            List<FieldNote> notes) {
        Encoded e = codec.encode(new DeviceResponse(rc, Optional.of(reqId), message, d));
        if (reqId.length() <= Codec.MAX_REQ_ID_LENGTH) { // a longer one was refused, not remembered
            remember(reqId, e.payloadText());
        }
        note(told, notes);
        persist(durable);
        reply(new Reply(e.topic(), e.payload(), notes));
    }

    /**
     * Remembers an answer, forgetting the oldest beyond {@link SessionConfig#reqIdMemory()}
     * entries or {@link SessionConfig#answerMemoryBytes()} bytes (the newest is always kept).
     */
    private void remember(String reqId, String response) {
        String before = answered.put(reqId, response);
        if (before != null) {
            answeredBytes -= size(reqId, before);
        }
        answeredBytes += size(reqId, response);
        while (answered.size() > config.reqIdMemory()
                || (answered.size() > 1 && answeredBytes > config.answerMemoryBytes())) {
            Map.Entry<String, String> oldest = answered.entrySet().iterator().next();
            answeredBytes -= size(oldest.getKey(), oldest.getValue());
            answered.remove(oldest.getKey());
        }
    }

    /** The bytes an answer takes in the memory's bound: its reqId and response as UTF-8. */
    private static long size(String reqId, String response) {
        return utf8Length(reqId) + utf8Length(response);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** Publishes a reply now, or keeps it for the next connect while offline. */
    private void reply(Reply r) {
        if (link == Link.READY) {
            long id = nextId++;
            repliesInFlight.put(id, r);
            publishWithId(id, r.topic(), r.payload());
        } else {
            keep(repliesWaiting, r);
        }
    }

    /** Keeps a reply for later, dropping (and counting) the oldest beyond the bound. */
    private void keep(ArrayDeque<Reply> queue, Reply r) {
        queue.addLast(r);
        boundKeptReplies();
    }

    /** Drops (and counts) the oldest kept reply beyond the bound. */
    private void boundKeptReplies() {
        if (repliesLost.size() + repliesWaiting.size() > config.reqIdMemory()) {
            if (repliesLost.isEmpty()) {
                repliesWaiting.pollFirst();
            } else {
                repliesLost.pollFirstEntry();
            }
            emit(new SessionEvent.ResponsesDropped(1));
            recomputeTold();
        }
    }

    /**
     * After a connect: the replies lost with the last connection go out again unless the broker
     * kept the session (then the transport resends them itself), and those made offline go out.
     */
    private void flushOffline() {
        if (!sessionPresent) {
            // A new session: the transport cannot re-send what was in flight on the last one.
            repliesLost.putAll(repliesUnconfirmed);
            repliesUnconfirmed.clear();
        }
        List<Reply> again = new ArrayList<>(repliesLost.values()); // first published, first again
        repliesLost.clear();
        again.addAll(repliesWaiting);
        repliesWaiting.clear();
        again.forEach(this::reply);
        while (!eventsWaiting.isEmpty()) {
            publishEvent(eventsWaiting.poll());
        }
    }

    private void publishEvent(OutEvent e) {
        long id = nextId++;
        eventsInFlight.put(id, e);
        out.add(new SessionAction.Publish(id, e.encoded().topic(), e.encoded().payload(), e.qos()));
    }

    private void publishWithId(long id, String topic, byte[] payload) {
        out.add(new SessionAction.Publish(id, topic, payload, QOS_1));
    }

    private void persist() {
        persist(true);
    }

    private void persist(boolean durable) {
        out.add(new SessionAction.Persist(state(), durable));
    }

    private void emit(SessionEvent event) {
        out.add(new SessionAction.Emit(event));
    }

    private void complete(long token, RequestOutcome outcome) {
        emit(new SessionEvent.RequestCompleted(token, outcome));
    }

    private void requireOpen() {
        if (link == Link.CLOSED) {
            throw new SessionClosedException("the session is closed");
        }
    }

    private static Instant min(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
