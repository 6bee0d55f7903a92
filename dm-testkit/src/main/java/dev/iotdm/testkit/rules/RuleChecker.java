package dev.iotdm.testkit.rules;

import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.DecodeError;
import dev.iotdm.protocol.codec.DecodeResult;
import dev.iotdm.protocol.codec.Decoded;
import dev.iotdm.protocol.codec.InvalidResponseDataException;
import dev.iotdm.protocol.codec.Normalisation;
import dev.iotdm.protocol.codec.Problem;
import dev.iotdm.protocol.codec.ResponseViews;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceRequest;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.PlatformRequest;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Response;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.UpdateLocation;
import dev.iotdm.protocol.topic.Direction;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import dev.iotdm.testkit.broker.TopicFilters;
import dev.iotdm.testkit.transcript.ConnectionMarker;
import dev.iotdm.testkit.transcript.Transcript;
import dev.iotdm.testkit.transcript.TranscriptEntry;
import dev.iotdm.testkit.transcript.TranscriptItem;
import dev.iotdm.testkit.transcript.TranscriptListener;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a device/platform conversation against the {@link RuleBook}, message by message: fed
 * with connection events and {@link TranscriptEntry}s (live, as a {@link TranscriptListener}, or
 * from a recorded {@link Transcript}), it decodes each payload with dm-protocol's {@link Codec}
 * and records every broken rule as a {@link Violation}. It never throws and never changes what
 * the platform does: old clients are served while their deviations are reported (protocol.md
 * §14).
 *
 * <p>It knows nothing of the device under test but its publishes, so it works for our own device
 * and for devices in any language. A rule counts as exercised only when its check ran with its
 * precondition true (e.g. the firmware rc rules only once the device has told its state).
 *
 * <p>Thread-safety: safe for concurrent use; every input is handled under one lock, so feed it
 * in transcript order. Violation listeners run under that lock and must be quick.
 */
public final class RuleChecker implements TranscriptListener {

    private static final Logger LOG = LoggerFactory.getLogger(RuleChecker.class);

    /** How long J waits for a manage answer (§3.1); a manage repeated after this is a retry. */
    public static final Duration DEFAULT_MANAGE_TIMEOUT = Duration.ofSeconds(120);

    /** Requests remembered per client per direction; the oldest are forgotten beyond this. */
    private static final int MAX_REMEMBERED_REQUESTS = 4096;

    static final String ENV_DECODES = "DM-ENV-1";
    static final String ENV_UNIQUE_REQID = "DM-ENV-2";
    static final String TOPIC_OWN = "DM-TOPIC-1";
    static final String PLATFORM_ANSWERS_ONCE = "DM-REQ-1";
    static final String PLATFORM_RC = "DM-REQ-2";
    static final String MANAGE_FIRST = "DM-MANAGE-1";
    static final String NO_REQUESTS_AFTER_UNMANAGE = "DM-UNMANAGE-1";
    static final String LOG_DATA_BASE64 = "DM-LOG-1";
    static final String RESPONSE_HAS_REQID = "DM-RESP-1";
    static final String RESPONSE_KNOWN_REQID = "DM-RESP-2";
    static final String UPDATE_WRITABLE_FIELDS = "DM-UPDATE-1";
    static final String UPDATE_FIELDS_ARRAY = "DM-UPDATE-2";
    static final String CANCEL_MESSAGE = "DM-CANCEL-1";
    static final String RC_FOR_CONTEXT = "DM-RC-1";
    static final String FW_DOWNLOAD_RC = "DM-FW-DOWNLOAD";
    static final String FW_UPDATE_RC = "DM-FW-UPDATE";
    static final String FW_UPDATED_TIME = "DM-FW-UPDATED-TIME";
    static final String ACTION_ANSWERED = "DM-ACTION-1";
    static final String RC_NUMBER = "R12.1-RC-NUMBER";
    static final String NOTIFY_FIELDS_ARRAY = "R12.2-NOTIFY-FIELDS-ARRAY";
    static final String NOTIFY_REQID = "R12.3-NOTIFY-REQID";
    static final String FIELD_OBJECTS = "R12.4-FIELD-OBJECTS";
    static final String OBSERVE_VALUES = "R12.5-OBSERVE-VALUES";
    static final String UPDATE_RESULT = "R12.11-UPDATE-RESULT";
    static final String NO_REPLY_WITHOUT_REQID = "R12.12-NO-REPLY-WITHOUT-REQID";
    static final String LIFETIME_BOUNDS = "R12.13-LIFETIME-BOUNDS";
    static final String REMANAGE_ON_RECONNECT = "R12.14-REMANAGE-ON-RECONNECT";
    static final String ONE_MANAGE = "R12.15-ONE-MANAGE";
    static final String DM_QOS_1 = "R12.17-DM-QOS-1";
    static final String SUPPORTS_BOOLEAN = "R12.19-SUPPORTS-BOOLEAN";
    static final String UTC_TIMESTAMPS = "R12.21-UTC-TIMESTAMPS";
    static final String NO_LOCATION_UPDATED_TIME = "R12.23-NO-LOCATION-UPDATED-TIME";
    static final String DEVICE_INFO_VALUES = "R12.24-DEVICE-INFO-VALUES";
    static final String ONE_RESPONSE = "R12.25-ONE-RESPONSE";
    static final String CUSTOM_ACTION_RC = "R12.26-CUSTOM-ACTION-RC";
    static final String CANCEL_200 = "R12.27-CANCEL-200";
    static final String NOTIFY_ONLY_OBSERVED = "R12.28-NOTIFY-ONLY-OBSERVED";
    static final String UNSUPPORTED_ACTIONS = "R12.30-UNSUPPORTED-ACTIONS";
    static final String UNKNOWN_TOPIC_404 = "R12.31-UNKNOWN-TOPIC-404";
    static final String REMANAGE_BEFORE_EXPIRY = "C13.6-REMANAGE-BEFORE-EXPIRY";
    static final String NO_RETAIN = "C13.7-NO-RETAIN";
    static final String PAYLOAD_LIMIT = "C13.7-PAYLOAD-LIMIT";
    static final String NULL_REQID = "I14-NULL-REQID";
    static final String REQUEST_ANSWERED = "DM-RESP-3";
    static final String REDELIVERED_ANSWER = "DM-RESP-4";
    static final String SUBSCRIBED = "DM-SUB-1";
    static final String MANAGE_AFTER_SUBSCRIBE = "DM-MANAGE-4";
    static final String MANAGE_AFTER_ACTION = "DM-ACTION-2";
    static final String DOWNLOAD_URI = "R12.8-DOWNLOAD-URI";
    static final String FW_NOTIFY = "DM-FW-NOTIFY";

    /** A custom action topic (§8.3), to tell whether a filter lets custom actions through. */
    private static final String CUSTOM_ACTION_SAMPLE = "iotdm-1/mgmt/custom/bundle/action";

    /** Every rule id this checker checks; the rule book marks exactly these as checkable. */
    public static final Set<String> CHECKED_RULE_IDS = Set.of(ENV_DECODES,
            ENV_UNIQUE_REQID, TOPIC_OWN, PLATFORM_ANSWERS_ONCE, PLATFORM_RC, MANAGE_FIRST, NO_REQUESTS_AFTER_UNMANAGE,
            LOG_DATA_BASE64, RESPONSE_HAS_REQID, RESPONSE_KNOWN_REQID, UPDATE_WRITABLE_FIELDS, UPDATE_FIELDS_ARRAY,
            CANCEL_MESSAGE, RC_FOR_CONTEXT, FW_DOWNLOAD_RC, FW_UPDATE_RC, FW_UPDATED_TIME, ACTION_ANSWERED,
            RC_NUMBER, NOTIFY_FIELDS_ARRAY, NOTIFY_REQID, FIELD_OBJECTS, OBSERVE_VALUES, UPDATE_RESULT,
            NO_REPLY_WITHOUT_REQID, LIFETIME_BOUNDS, REMANAGE_ON_RECONNECT, ONE_MANAGE, DM_QOS_1, SUPPORTS_BOOLEAN,
            UTC_TIMESTAMPS, NO_LOCATION_UPDATED_TIME, DEVICE_INFO_VALUES, ONE_RESPONSE, CUSTOM_ACTION_RC, CANCEL_200,
            NOTIFY_ONLY_OBSERVED, UNSUPPORTED_ACTIONS, UNKNOWN_TOPIC_404, REMANAGE_BEFORE_EXPIRY, NO_RETAIN,
            PAYLOAD_LIMIT, NULL_REQID, REQUEST_ANSWERED, REDELIVERED_ANSWER, SUBSCRIBED, MANAGE_AFTER_SUBSCRIBE,
            MANAGE_AFTER_ACTION, DOWNLOAD_URI, FW_NOTIFY);

    /**
     * The rule each codec leniency breaks: one rule per {@link Normalisation}.
     *
     * @param n a leniency the codec applied
     * @return the id of the rule it breaks, one of {@link #CHECKED_RULE_IDS}
     */
    public static String ruleFor(Normalisation n) {
        return switch (n) {
            case RC_AS_STRING -> RC_NUMBER;
            case NOTIFY_SINGLE_FIELD -> NOTIFY_FIELDS_ARRAY;
            case UPDATE_SINGLE_FIELD -> UPDATE_FIELDS_ARRAY;
            case FIELD_NAMES_AS_STRINGS -> FIELD_OBJECTS;
            case NULL_REQ_ID -> NULL_REQID;
            case DEVICE_INFO_NULLS -> DEVICE_INFO_VALUES;
            case SUPPORTS_AS_INTEGERS -> SUPPORTS_BOOLEAN;
            case ZONELESS_TIMESTAMP -> UTC_TIMESTAMPS;
            case EMPTY_TIMESTAMP -> FW_UPDATED_TIME;
        };
    }

    /** The kinds of platform request, by what the device must answer. */
    private enum Kind {
        DEVICE_UPDATE, OBSERVE, CANCEL, REBOOT, FACTORY_RESET, FIRMWARE_DOWNLOAD, FIRMWARE_UPDATE, CUSTOM, UNKNOWN_TOPIC
    }

    /** A platform request sent to the device. */
    private static final class PlatformReq {
        final Kind kind;
        final PlatformRequest message; // null for UNKNOWN_TOPIC
        final String topic;
        final Connection connection;
        /** False when the device had no subscription matching the topic (DM-SUB-1 said so once). */
        final boolean deliverable;
        boolean answered;
        byte[] answer; // the first answer's payload, to tell a redelivery from a second answer

        PlatformReq(Kind kind, PlatformRequest message, String topic, Connection connection, boolean deliverable) {
            this.kind = kind;
            this.message = message;
            this.topic = topic;
            this.connection = connection;
            this.deliverable = deliverable;
        }
    }

    /** A device request sent to the platform. */
    private static final class DeviceReq {
        final String topic;
        final ManageRecord manage; // for manage only
        /** The decoded request and the connection it went out on; null when it did not decode. */
        final DeviceRequest request;
        final Connection connection;
        boolean answered;

        DeviceReq(String topic, ManageRecord manage) {
            this(topic, manage, null, null);
        }

        DeviceReq(String topic, ManageRecord manage, DeviceRequest request, Connection connection) {
            this.topic = topic;
            this.manage = manage;
            this.request = request;
            this.connection = connection;
        }

        /**
         * Whether {@code again} on {@code now} is this request sent again: the same request on a later
         * connection (its answer may have been lost with the earlier one), which is no reuse of its reqId.
         */
        boolean resentAs(String topic, DeviceRequest again, Connection now) {
            return request != null && connection != now && this.topic.equals(topic) && request.equals(again);
        }
    }

    /** A manage sent on a connection, and how the platform answered it. */
    private static final class ManageRecord {
        final Manage manage;
        final Instant sentAt;
        Rc answer;

        ManageRecord(Manage manage, Instant sentAt) {
            this.manage = manage;
            this.sentAt = sentAt;
        }

        long lifetime() {
            return manage.lifetime().orElse(0);
        }
    }

    /** One MQTT connection of a client. */
    private static final class Connection {
        final Instant connectedAt;
        final boolean managedBefore;
        boolean sawDeviceRequest;
        boolean manageSent;
        boolean unmanagedSinceManage;
        boolean remanageFlagged;
        ManageRecord lastManage;
        ManageRecord lastAccepted;
        boolean expiryFlagged;
        boolean unsubscribedFlagged;
        final List<PlatformReq> deviceActions = new ArrayList<>();

        Connection(Instant connectedAt, boolean managedBefore) {
            this.connectedAt = connectedAt;
            this.managedBefore = managedBefore;
        }
    }

    /** Everything known about one device client, across its connections. */
    private static final class ClientState {
        Connection connection;
        boolean everManaged;
        Manage lastManage;
        Supports supports; // null until a manage told us
        boolean unmanaged;
        final Map<String, PlatformReq> platformRequests = bounded();
        final Map<String, DeviceReq> deviceRequests = bounded();
        final Set<String> observed = new HashSet<>();
        FirmwareState firmwareState; // null until the device told us
        /**
         * A state the platform wrote with device/update (answered 204) since the device last told
         * its own: devices differ on whether they adopt it (§6.5), so until the device tells its
         * state again either one may justify an answer. Null when none.
         */
        FirmwareState writtenState;
        /** Whether a download was accepted (202) and has not reached state 2 or failed back to 0 since. */
        boolean downloadAccepted;
        /** The reboot or factory reset the device accepted (202) and has not managed since; null when none. */
        PlatformReq acceptedAction;
        /** The filters the device holds, when its subscriptions are reported (null: unknown). */
        Set<String> subscriptions;
        boolean uriKnown;
        Optional<String> uri = Optional.empty();
        boolean pushPending;

        private static <V> Map<String, V> bounded() {
            return new LinkedHashMap<>() {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                    return size() > MAX_REMEMBERED_REQUESTS;
                }
            };
        }
    }

    private final RuleBook book;
    private final Duration manageTimeout;
    private final Codec codec = Codec.standard();
    private final List<Violation> violations = new ArrayList<>();
    private final Set<String> exercised = new TreeSet<>();
    private final Map<String, ClientState> clients = new HashMap<>();
    private final List<Consumer<Violation>> listeners = new CopyOnWriteArrayList<>();
    private final boolean liveSubscriptions;
    private int internalFailures;

    /** A checker for the project's rule book. */
    public RuleChecker() {
        this(RuleBook.standard(), DEFAULT_MANAGE_TIMEOUT);
    }

    /**
     * A checker for {@code book}.
     *
     * @param book the rule book; it must contain every rule this checker checks, as checkable
     * @param manageTimeout how long an unanswered manage may wait before a repeat counts as a retry
     * @throws IllegalArgumentException if the book lacks a checked rule or the timeout is not positive
     */
    public RuleChecker(RuleBook book, Duration manageTimeout) {
        this(book, manageTimeout, false);
    }

    /**
     * A checker for the project's rule book that is told of every SUBSCRIBE as it happens
     * ({@link #onSubscribe}), in order with the messages: it then also checks that manage comes
     * after the device's SUBSCRIBE ({@code DM-MANAGE-4}). Use it where the broker reports
     * subscriptions live (scripted peers, an instrumented broker).
     *
     * @return a new checker with the default manage timeout
     */
    public static RuleChecker withLiveSubscriptions() {
        return new RuleChecker(RuleBook.standard(), DEFAULT_MANAGE_TIMEOUT, true);
    }

    private RuleChecker(RuleBook book, Duration manageTimeout, boolean liveSubscriptions) {
        this.liveSubscriptions = liveSubscriptions;
        this.book = Objects.requireNonNull(book, "book");
        this.manageTimeout = Objects.requireNonNull(manageTimeout, "manageTimeout");
        if (manageTimeout.isNegative() || manageTimeout.isZero()) {
            throw new IllegalArgumentException("manageTimeout must be positive, got " + manageTimeout);
        }
        List<String> missing = new ArrayList<>();
        for (String id : CHECKED_RULE_IDS) {
            if (book.rule(id).filter(Rule::checkable).isEmpty()) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the rule book lacks checkable rules " + new TreeSet<>(missing));
        }
    }

    /**
     * Checks a whole recorded transcript with the project's rule book.
     *
     * @param transcript the recorded run; read once, in order
     * @return the report; the end of the run is not charged (see {@link #finish})
     */
    public static CheckReport check(Transcript transcript) {
        RuleChecker c = new RuleChecker();
        c.feed(transcript);
        return c.report();
    }

    /**
     * Feeds every item of {@code transcript}, in order.
     *
     * @param transcript read as a snapshot; items added later are not fed
     */
    public void feed(Transcript transcript) {
        for (TranscriptItem item : transcript.items()) {
            added(item);
        }
    }

    /**
     * Adds a listener told of each violation as it is found (e.g. to log it live).
     *
     * @param listener called on the feeding thread, with the checker locked; must be quick; not
     *     {@code null}
     */
    public void addViolationListener(Consumer<Violation> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /** Feeds one transcript item: a message or a connection marker. */
    @Override
    public void added(TranscriptItem item) {
        if (item instanceof TranscriptEntry e) {
            onMessage(e);
        } else if (item instanceof ConnectionMarker m) {
            if (m.kind() == ConnectionMarker.Kind.CONNECT) {
                onConnect(m.time(), m.clientId(), m.sessionPresent());
            } else {
                onDisconnect(m.time(), m.clientId());
            }
        }
    }

    /**
     * A device client connected; {@code sessionPresent} is the CONNACK flag when known.
     *
     * @param time when; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     * @param sessionPresent the CONNACK flag, or empty when unknown; not {@code null}
     */
    public synchronized void onConnect(Instant time, String clientId, Optional<Boolean> sessionPresent) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(sessionPresent, "sessionPresent");
        guarded(clientId, () -> {
            ClientState s = client(clientId);
            if (s.connection != null) {
                // A second connect without a disconnect: the old connection was taken over (§1.4).
                closeConnection(s, clientId, time);
            }
            s.connection = new Connection(time, managedBefore(s));
            if (liveSubscriptions && (s.subscriptions == null || !sessionPresent.orElse(false))) {
                // A clean session starts without subscriptions; a kept one keeps them (§1.7).
                s.subscriptions = new HashSet<>();
            }
        });
    }

    /**
     * A device's SUBSCRIBE was granted for {@code filters} (refused filters left out). From the first
     * call for a client on, requests on topics none of its filters match are charged once per
     * connection to {@code DM-SUB-1} and not expected to be answered. Without live reporting
     * ({@link #withLiveSubscriptions()}) a call adds to a snapshot of what the broker holds.
     *
     * @param time when the broker granted them; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     * @param filters the granted filters; not {@code null}; copied
     */
    public synchronized void onSubscribe(Instant time, String clientId, List<String> filters) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(clientId, "clientId");
        List<String> copy = List.copyOf(Objects.requireNonNull(filters, "filters"));
        guarded(clientId, () -> {
            ClientState s = client(clientId);
            if (s.subscriptions == null) {
                s.subscriptions = new HashSet<>();
            }
            s.subscriptions.addAll(copy);
        });
    }

    /**
     * The run is over at {@code now}: charges what only the end reveals. A request sent on the
     * device's current connection and never answered breaks {@code DM-RESP-3} (a reboot or
     * factory reset {@code DM-ACTION-1}, a request on an unknown topic {@code R12.31}); a reboot or
     * factory reset accepted without a manage since breaks {@code DM-ACTION-2}. Call it once, after
     * giving the device time to answer; later input is checked as usual.
     *
     * @param now the end of the run; not {@code null}
     */
    public synchronized void finish(Instant now) {
        Objects.requireNonNull(now, "now");
        for (Map.Entry<String, ClientState> entry : clients.entrySet()) {
            String clientId = entry.getKey();
            ClientState s = entry.getValue();
            guarded(clientId, () -> finishClient(clientId, s, now));
        }
    }

    private void finishClient(String clientId, ClientState s, Instant now) {
        for (Map.Entry<String, PlatformReq> e : s.platformRequests.entrySet()) {
            PlatformReq p = e.getValue();
            if (p.answered || !p.deliverable || p.connection != s.connection || s.connection == null) {
                continue; // answered, never reachable, or lost with an earlier connection
            }
            String rule = switch (p.kind) {
                case REBOOT, FACTORY_RESET -> ACTION_ANSWERED;
                case UNKNOWN_TOPIC -> UNKNOWN_TOPIC_404;
                default -> REQUEST_ANSWERED;
            };
            violation(rule, clientId, now, describe(p) + " reqId " + e.getKey() + " never answered", null);
        }
        exercise(MANAGE_AFTER_ACTION);
        if (s.acceptedAction != null) {
            PlatformReq a = s.acceptedAction;
            s.acceptedAction = null;
            violation(MANAGE_AFTER_ACTION, clientId, now, "accepted " + describe(a) + " and never managed again", null);
        }
    }

    /**
     * A device client connected (session-present flag unknown).
     *
     * @param time when; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     */
    public void onConnect(Instant time, String clientId) {
        onConnect(time, clientId, Optional.empty());
    }

    /**
     * A device client's connection ended.
     *
     * @param time when; not {@code null}
     * @param clientId the device's MQTT client id; not {@code null}
     */
    public synchronized void onDisconnect(Instant time, String clientId) {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(clientId, "clientId");
        guarded(clientId, () -> {
            ClientState s = client(clientId);
            if (s.connection != null) {
                closeConnection(s, clientId, time);
            }
        });
    }

    /**
     * A message the platform received from or sent to a device.
     *
     * @param entry the message; not {@code null}
     */
    public synchronized void onMessage(TranscriptEntry entry) {
        Objects.requireNonNull(entry, "entry");
        guarded(entry.clientId(), () -> {
            ClientState s = client(entry.clientId());
            if (s.connection == null) {
                // A transcript that starts mid-conversation: assume a connection nobody announced.
                s.connection = new Connection(entry.time(), managedBefore(s));
            }
            checkExpiry(s, entry.clientId(), entry.time(), entry);
            if (entry.direction() == Direction.DEVICE_TO_PLATFORM) {
                fromDevice(s, entry);
            } else {
                fromPlatform(s, entry);
            }
        });
    }

    /**
     * The report so far: violations, exercised and not exercised checkable rules.
     *
     * @return an immutable snapshot
     */
    public synchronized CheckReport report() {
        Set<String> notExercised = new TreeSet<>(book.checkableIds());
        notExercised.removeAll(exercised);
        return new CheckReport(violations, exercised, notExercised);
    }

    /**
     * The violations so far, in order.
     *
     * @return an unmodifiable copy
     */
    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** How many inputs failed inside the checker (a bug in the checker, logged); 0 normally. */
    synchronized int internalFailures() {
        return internalFailures;
    }

    private void guarded(String clientId, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            // The checker reports; it must never take the platform down with it.
            internalFailures++;
            LOG.error("rule checker failed on input for {}; continuing", clientId, e);
        }
    }

    private ClientState client(String clientId) {
        return clients.computeIfAbsent(clientId, k -> new ClientState());
    }

    // ---- recording ---------------------------------------------------------------------------

    private void exercise(String ruleId) {
        exercised.add(ruleId);
    }

    private void violation(String ruleId, String clientId, Instant time, String detail, TranscriptEntry entry) {
        exercised.add(ruleId);
        Violation v = new Violation(ruleId, book.levelOf(ruleId), clientId, time, detail, Optional.ofNullable(entry));
        violations.add(v);
        for (Consumer<Violation> l : listeners) {
            try {
                l.accept(v);
            } catch (RuntimeException e) {
                LOG.warn("violation listener failed: {}", e.toString());
            }
        }
    }

    private void violation(String ruleId, TranscriptEntry e, String detail) {
        violation(ruleId, e.clientId(), e.time(), detail, e);
    }

    // ---- connections -------------------------------------------------------------------------

    private void closeConnection(ClientState s, String clientId, Instant time) {
        Connection c = s.connection;
        checkExpiry(s, clientId, time, null);
        for (PlatformReq r : c.deviceActions) {
            exercise(ACTION_ANSWERED);
            if (!r.answered) {
                violation(ACTION_ANSWERED, clientId, time, "connection ended with " + r.message.topic()
                        + " reqId " + r.message.requestId().orElse("?") + " unanswered (answer 202 before acting, §7)",
                        null);
            }
        }
        if (c.managedBefore) {
            exercise(REMANAGE_ON_RECONNECT);
            if (!c.manageSent && !c.remanageFlagged
                    && Duration.between(c.connectedAt, time).compareTo(manageTimeout) >= 0) {
                violation(REMANAGE_ON_RECONNECT, clientId, time, "connected for "
                        + Duration.between(c.connectedAt, time).toSeconds()
                        + " s after an earlier managed connection and never sent manage", null);
            }
        }
        if (s.pushPending) {
            exercise(NO_REPLY_WITHOUT_REQID);
            s.pushPending = false;
        }
        s.connection = null;
    }

    /**
     * Whether a new connection of the client must start with a re-manage (R12.14): it was managed
     * and has not unmanaged since. A device that unmanaged itself stays unmanaged across
     * reconnects until it manages again, and may send diagnostics meanwhile (R12.20).
     */
    private static boolean managedBefore(ClientState s) {
        return s.everManaged && !s.unmanaged;
    }

    /** C13.6: a device managed with a lifetime must manage again before it runs out. */
    private void checkExpiry(ClientState s, String clientId, Instant now, TranscriptEntry e) {
        Connection c = s.connection;
        if (c == null || c.lastAccepted == null || c.expiryFlagged || c.lastAccepted.lifetime() == 0) {
            return;
        }
        Instant expiry = c.lastAccepted.sentAt.plusSeconds(c.lastAccepted.lifetime());
        if (now.isAfter(expiry)) {
            c.expiryFlagged = true;
            violation(REMANAGE_BEFORE_EXPIRY, clientId, now, "no manage within the lifetime of "
                    + c.lastAccepted.lifetime() + " s of the manage at " + c.lastAccepted.sentAt + " (expired " + expiry
                    + ")", e);
        }
    }

    // ---- device to platform ------------------------------------------------------------------

    private void fromDevice(ClientState s, TranscriptEntry e) {
        String topic = e.topic();
        byte[] payload = e.payload();
        exercise(NO_RETAIN);
        if (e.retain()) {
            violation(NO_RETAIN, e, "device published with the retain flag");
        }
        exercise(PAYLOAD_LIMIT);
        if (payload.length > Codec.DEFAULT_MAX_PAYLOAD_BYTES) {
            violation(PAYLOAD_LIMIT, e, payload.length + " bytes is over the limit of " + Codec.DEFAULT_MAX_PAYLOAD_BYTES
                    + " (the platform disconnects the device)");
            return;
        }
        boolean dm = topic.startsWith("iotdevice-1/");
        if (dm) {
            exercise(DM_QOS_1);
            if (e.qos() != 1) {
                violation(DM_QOS_1, e, "DM message published at QoS " + e.qos());
            }
        }
        DecodeResult result = codec.decode(topic, payload);
        exercise(TOPIC_OWN);
        if (result instanceof DecodeError err) {
            deviceDecodeError(s, e, err);
            return;
        }
        Decoded d = (Decoded) result;
        Message m = d.message();
        if (m instanceof Event) {
            return;
        }
        exercise(ENV_DECODES);
        normalisations(d, e, Direction.DEVICE_TO_PLATFORM);
        if (!(m instanceof DeviceResponse) || ((DeviceResponse) m).reqId().isPresent()) {
            if (s.pushPending) {
                // The device moved on without answering the push: that is the rule kept (§12.12).
                exercise(NO_REPLY_WITHOUT_REQID);
                s.pushPending = false;
            }
        }
        if (m instanceof DeviceResponse r) {
            deviceResponse(s, e, r);
        } else if (m instanceof DeviceRequest req) {
            deviceRequest(s, e, req);
        } else {
            violation(TOPIC_OWN, e, "device published a platform message on " + topic);
        }
    }

    private void deviceDecodeError(ClientState s, TranscriptEntry e, DecodeError err) {
        if (err.problem() == Problem.UNKNOWN_TOPIC) {
            violation(TOPIC_OWN, e, "not a device topic of the protocol: " + e.topic());
            if (err.reqId().isPresent()) {
                // The platform answers it 404 ("published to an invalid topic", §5.1): a valid answer.
                s.deviceRequests.put(err.reqId().get(), new DeviceReq(e.topic(), null));
            }
            return;
        }
        Topic t = Topic.parse(e.topic());
        if (t instanceof DmTopic dt && dt.direction() == Direction.PLATFORM_TO_DEVICE) {
            violation(TOPIC_OWN, e, "device published on the platform's topic " + e.topic());
            return;
        }
        String rule = ENV_DECODES;
        if (t == DmTopic.MANAGE && err.detail().startsWith("d.lifetime")) {
            rule = LIFETIME_BOUNDS;
        } else if (t == DmTopic.MANAGE && err.detail().startsWith("d.supports")) {
            rule = SUPPORTS_BOOLEAN;
        }
        violation(rule, e, "undecodable " + err.problem() + ": " + err.detail());
        // Keep the bookkeeping right so the platform's 400 or the device's answer are not misread.
        Connection c = s.connection;
        if (t == DmTopic.MANAGE) {
            c.sawDeviceRequest = true;
            c.manageSent = true;
        }
        if (err.reqId().isPresent()) {
            String reqId = err.reqId().get();
            if (t == DmTopic.DEVICE_RESPONSE) {
                PlatformReq p = s.platformRequests.get(reqId);
                if (p != null) {
                    p.answered = true;
                }
            } else if (err.request()) {
                s.deviceRequests.put(reqId, new DeviceReq(e.topic(), null));
            }
        }
    }

    private void normalisations(Decoded d, TranscriptEntry e, Direction direction) {
        Message m = d.message();
        // Exercised wherever the leniency could have applied to this message.
        if (m instanceof Response) {
            exercise(RC_NUMBER);
        }
        if (direction == Direction.DEVICE_TO_PLATFORM) {
            exercise(NULL_REQID);
            if (m instanceof Notify n) {
                exercise(NOTIFY_FIELDS_ARRAY);
                if (n.fields().stream().anyMatch(FirmwareField.class::isInstance)) {
                    exercise(FW_UPDATED_TIME);
                }
            }
            if (m instanceof Manage mg) {
                mg.deviceInfo().ifPresent(x -> exercise(DEVICE_INFO_VALUES));
                mg.supports().ifPresent(x -> exercise(SUPPORTS_BOOLEAN));
            }
            if (m instanceof AddLog || (m instanceof UpdateLocation u && u.location().measuredDateTime().isPresent())) {
                exercise(UTC_TIMESTAMPS);
            }
        } else {
            if (m instanceof DeviceUpdate) {
                exercise(UPDATE_FIELDS_ARRAY);
            }
            if (m instanceof Observe || m instanceof Cancel) {
                exercise(FIELD_OBJECTS);
            }
        }
        for (Normalisation n : d.normalisations()) {
            String ruleId = ruleFor(n);
            Binds binds = book.require(ruleId).binds();
            boolean binding = binds == Binds.BOTH
                    || (binds == Binds.DEVICE) == (direction == Direction.DEVICE_TO_PLATFORM);
            if (binding) {
                violation(ruleId, e, n.description() + " (" + n.section() + ")");
            }
        }
    }

    private void deviceRequest(ClientState s, TranscriptEntry e, DeviceRequest req) {
        Connection c = s.connection;
        if (!c.sawDeviceRequest) {
            c.sawDeviceRequest = true;
            exercise(MANAGE_FIRST);
            // R12.20 wins over DM-MANAGE-1: a device that unmanaged itself may send diagnostics and
            // location without managing first (protocol.md §12.20, docs/protocol.md).
            if (!(req instanceof Manage) && !s.unmanaged) {
                violation(MANAGE_FIRST, e, "first DM request on this connection is " + e.topic() + ", not manage");
            }
        }
        // A manage completes the accepted action on any connection; before it, only a later connection's
        // first request is judged (a notify on the old connection before it drops is fine).
        if (s.acceptedAction != null && (req instanceof Manage || s.acceptedAction.connection != c)) {
            exercise(MANAGE_AFTER_ACTION);
            PlatformReq a = s.acceptedAction;
            s.acceptedAction = null;
            if (!(req instanceof Manage)) {
                violation(MANAGE_AFTER_ACTION, e, "after accepting " + describe(a) + " the device came back with "
                        + e.topic() + " instead of manage");
            }
        }
        if (!(req instanceof Manage) && c.managedBefore && !c.manageSent && !c.remanageFlagged) {
            c.remanageFlagged = true;
            violation(REMANAGE_ON_RECONNECT, e, "reconnected after being managed and sent " + e.topic()
                    + " without managing again");
        }
        ManageRecord record = null;
        if (req instanceof Manage m) {
            record = manage(s, e, m);
        } else if (req instanceof UpdateLocation u) {
            exercise(NO_LOCATION_UPDATED_TIME);
            if (u.location().updatedDateTime().isPresent()) {
                violation(NO_LOCATION_UPDATED_TIME, e, "location update carries updatedDateTime, which the platform sets");
            }
        } else if (req instanceof AddLog log) {
            exercise(LOG_DATA_BASE64);
            Optional<String> data = log.entry().data();
            if (data.isPresent() && !isBase64(data.get())) {
                violation(LOG_DATA_BASE64, e, "log data is not base64: '" + abbreviate(data.get()) + "'");
            }
        } else if (req instanceof Notify n) {
            notify(s, e, n);
        }
        Optional<String> reqId = req.requestId();
        if (reqId.isPresent()) {
            exercise(ENV_UNIQUE_REQID);
            // The same request again on a later connection is a re-send of one whose answer the device may
            // never have received (lost with the earlier connection), not a reuse: docs/reliability.md.
            DeviceReq earlier = s.deviceRequests.get(reqId.get());
            if (earlier != null && !earlier.resentAs(e.topic(), req, c)) {
                violation(ENV_UNIQUE_REQID, e, "device reused reqId " + reqId.get());
            }
            s.deviceRequests.put(reqId.get(), new DeviceReq(e.topic(), record, req, c));
        }
    }

    private ManageRecord manage(ClientState s, TranscriptEntry e, Manage m) {
        Connection c = s.connection;
        Instant now = e.time();
        exercise(ONE_MANAGE);
        if (c.managedBefore && !c.manageSent) {
            exercise(REMANAGE_ON_RECONNECT);
        }
        if (liveSubscriptions && s.subscriptions != null) {
            exercise(MANAGE_AFTER_SUBSCRIBE);
            if (s.subscriptions.stream().noneMatch(f -> coversRequests(f))) {
                violation(MANAGE_AFTER_SUBSCRIBE, e, "manage published before any SUBSCRIBE to the iotdm-1 request"
                        + " topics: the platform's first requests may be lost");
            }
        }
        ManageRecord prev = c.lastManage;
        if (prev != null) {
            Duration since = Duration.between(prev.sentAt, now);
            if (prev.answer == null) {
                if (since.compareTo(manageTimeout) < 0) {
                    violation(ONE_MANAGE, e, "another manage " + since.toMillis() + " ms after manage "
                            + prev.manage.reqId() + ", which is not answered yet");
                }
            } else {
                boolean lifetimeReason = prev.lifetime() > 0 && since.toSeconds() * 2 >= prev.lifetime();
                boolean changed = !sameParameters(prev.manage, m);
                boolean retry = !prev.answer.equals(Rc.OK);
                if (!lifetimeReason && !changed && !retry && !c.unmanagedSinceManage) {
                    violation(ONE_MANAGE, e, "identical manage again on the same connection " + since.toSeconds()
                            + " s after an accepted one"
                            + (prev.lifetime() > 0 ? ", long before the lifetime of " + prev.lifetime() + " s runs out"
                                    : " (lifetime 0: no re-manage is ever due)"));
                }
            }
        }
        if (c.lastAccepted != null && c.lastAccepted.lifetime() > 0) {
            // In time: checkExpiry() already flagged a late one.
            exercise(REMANAGE_BEFORE_EXPIRY);
        }
        exercise(LIFETIME_BOUNDS);
        if (s.lastManage != null && sameExceptLifetime(s.lastManage, m)) {
            long before = s.lastManage.lifetime().orElse(0);
            long sent = m.lifetime().orElse(0);
            // J-old re-manages with the time left (§9.2): a smaller or explicit-0 lifetime, all else equal.
            if (before > 0 && sent != before && (sent == 0 ? m.lifetime().isPresent() : sent < before)) {
                violation(LIFETIME_BOUNDS, e, sent == 0
                        ? "re-manage with lifetime 0 instead of the " + before + " s sent before: a lifetime under"
                                + " 3600 s sent as 0 (never dormant) instead of being refused; send 0 or at least 3600"
                        : "re-manage with lifetime " + sent + " s instead of the " + before
                                + " s sent before: looks like the remaining time, not the configured lifetime");
            }
        }
        ManageRecord record = new ManageRecord(m, now);
        c.lastManage = record;
        c.manageSent = true;
        s.lastManage = m;
        s.supports = m.supports().orElse(Supports.NONE);
        s.unmanaged = false;
        return record;
    }

    private static boolean sameParameters(Manage a, Manage b) {
        return a.lifetime().equals(b.lifetime()) && sameExceptLifetime(a, b);
    }

    private static boolean sameExceptLifetime(Manage a, Manage b) {
        return a.supports().equals(b.supports()) && a.deviceInfo().equals(b.deviceInfo())
                && a.metadata().equals(b.metadata());
    }

    private void notify(ClientState s, TranscriptEntry e, Notify n) {
        exercise(NOTIFY_REQID);
        if (n.reqId().isEmpty()) {
            violation(NOTIFY_REQID, e, "notify without reqId");
        }
        Set<String> observing = observing(s);
        for (FieldValue f : n.fields()) {
            exercise(NOTIFY_ONLY_OBSERVED);
            if (!covered(observing, f)) {
                violation(NOTIFY_ONLY_OBSERVED, e, "notify of " + f.field() + ", which the platform does not observe"
                        + (observing.isEmpty() ? " (nothing is observed)" : " (observed: " + new TreeSet<>(observing) + ")"));
            }
            if (f instanceof FirmwareField fw && fw.value().state().isPresent()) {
                firmwareStateNotified(s, e, fw.value().state().get());
            }
        }
    }

    /** §6.2: the state leaves Idle towards Downloading or Downloaded only after a download was accepted (202). */
    private void firmwareStateNotified(ClientState s, TranscriptEntry e, FirmwareState next) {
        FirmwareState before = s.firmwareState;
        boolean forward = next != FirmwareState.IDLE && before != null && before != FirmwareState.DOWNLOADED
                && next != before;
        if (forward) {
            exercise(FW_NOTIFY);
            if (!s.downloadAccepted) {
                violation(FW_NOTIFY, e, "firmware state moved from " + before.code() + " to " + next.code()
                        + " although no download was accepted (202) first");
            }
        }
        if (next != FirmwareState.DOWNLOADING) {
            s.downloadAccepted = false; // downloaded, or failed back to Idle: the accepted download is over
        }
        s.firmwareState = next;
        s.writtenState = null;
    }

    /** The observed fields plus those of observe requests not answered yet. */
    private static Set<String> observing(ClientState s) {
        Set<String> all = new HashSet<>(s.observed);
        for (PlatformReq r : s.platformRequests.values()) {
            if (r.kind == Kind.OBSERVE && !r.answered) {
                all.addAll(((Observe) r.message).fields());
            }
        }
        return all;
    }

    /** Whether an observation covers a notified field; an observe of a parent covers its sub-fields (§12.28). */
    private static boolean covered(Set<String> observing, FieldValue f) {
        if (coveredName(observing, f.field())) {
            return true;
        }
        if (f instanceof FirmwareField fw) {
            List<String> parts = firmwareParts(fw.value());
            return !parts.isEmpty() && parts.stream().allMatch(p -> coveredName(observing, FieldValue.FIRMWARE + "." + p));
        }
        return false;
    }

    private static boolean coveredName(Set<String> observing, String name) {
        for (String o : observing) {
            if (name.equals(o) || name.startsWith(o + ".")) {
                return true;
            }
        }
        return false;
    }

    private static List<String> firmwareParts(FirmwareInfo f) {
        List<String> parts = new ArrayList<>();
        f.version().ifPresent(x -> parts.add("version"));
        f.name().ifPresent(x -> parts.add("name"));
        f.uri().ifPresent(x -> parts.add("uri"));
        f.verifier().ifPresent(x -> parts.add("verifier"));
        f.state().ifPresent(x -> parts.add("state"));
        f.updateStatus().ifPresent(x -> parts.add("updateStatus"));
        f.updatedDateTime().ifPresent(x -> parts.add("updatedDateTime"));
        return parts;
    }

    private void deviceResponse(ClientState s, TranscriptEntry e, DeviceResponse r) {
        Connection c = s.connection;
        if (r.reqId().isEmpty()) {
            if (s.pushPending) {
                s.pushPending = false;
                violation(NO_REPLY_WITHOUT_REQID, e, "answered a device/update push that had no reqId (rc "
                        + r.rc().code() + ")");
            } else {
                violation(RESPONSE_HAS_REQID, e, "device response without reqId (rc " + r.rc().code() + ")");
            }
            return;
        }
        exercise(RESPONSE_HAS_REQID);
        String reqId = r.reqId().get();
        PlatformReq p = s.platformRequests.get(reqId);
        exercise(RESPONSE_KNOWN_REQID);
        if (p == null) {
            violation(RESPONSE_KNOWN_REQID, e, "response (rc " + r.rc().code() + ") to reqId " + reqId
                    + ", which the platform never sent to this device");
            return;
        }
        exercise(ONE_RESPONSE);
        exercise(REQUEST_ANSWERED);
        if (p.answered) {
            if (java.util.Arrays.equals(p.answer, e.payload())) {
                violation(REDELIVERED_ANSWER, e, "the same answer (rc " + r.rc().code() + ") to " + describe(p)
                        + " reqId " + reqId + " again: a QoS 1 redelivery");
            } else {
                violation(ONE_RESPONSE, e, "second, different response (rc " + r.rc().code() + ") to " + describe(p)
                        + " reqId " + reqId);
            }
            return;
        }
        exercise(REDELIVERED_ANSWER);
        p.answered = true;
        p.answer = e.payload();
        if (c.managedBefore && !c.manageSent && !c.remanageFlagged) {
            c.remanageFlagged = true;
            violation(REMANAGE_ON_RECONNECT, e, "reconnected after being managed and answers requests without"
                    + " managing again");
        }
        int rc = r.rc().code();
        switch (p.kind) {
            case DEVICE_UPDATE -> updateAnswered(s, e, r, (DeviceUpdate) p.message);
            case OBSERVE -> observeAnswered(s, e, r, (Observe) p.message);
            case CANCEL -> {
                exercise(CANCEL_200);
                if (rc != 200) {
                    violation(CANCEL_200, e, "cancel answered " + rc + " instead of 200");
                    exercise(CANCEL_MESSAGE);
                    if (r.message().isEmpty()) {
                        violation(CANCEL_MESSAGE, e, "cancel answered " + rc + " without a message");
                    }
                }
                s.observed.removeAll(((Cancel) p.message).fields());
            }
            case REBOOT, FACTORY_RESET -> {
                rcIn(e, rc, describe(p), 202, 500, 501);
                if (rc == 202) {
                    s.acceptedAction = p;
                }
                if (s.supports != null) {
                    exercise(UNSUPPORTED_ACTIONS);
                    if (!s.supports.deviceActions() && rc == 202) {
                        violation(UNSUPPORTED_ACTIONS, e, describe(p) + " accepted (202) although manage did not"
                                + " advertise supports.deviceActions");
                    }
                }
            }
            case FIRMWARE_DOWNLOAD, FIRMWARE_UPDATE -> firmwareAnswered(s, e, p, rc);
            case CUSTOM -> {
                exercise(CUSTOM_ACTION_RC);
                if (rc != 200 && rc != 500 && rc != 501) {
                    violation(CUSTOM_ACTION_RC, e, "custom action " + p.message.topic() + " answered " + rc
                            + " (200 done, 500 failed, 501 unsupported)");
                }
            }
            case UNKNOWN_TOPIC -> {
                exercise(UNKNOWN_TOPIC_404);
                if (rc != 404 && rc != 501) {
                    violation(UNKNOWN_TOPIC_404, e, "request on an unknown topic answered " + rc + " instead of 404");
                }
            }
        }
    }

    private boolean rcIn(TranscriptEntry e, int rc, String what, int... allowed) {
        exercise(RC_FOR_CONTEXT);
        for (int a : allowed) {
            if (a == rc) {
                return true;
            }
        }
        violation(RC_FOR_CONTEXT, e, what + " answered " + rc + "; allowed: " + java.util.Arrays.toString(allowed));
        return false;
    }

    private void updateAnswered(ClientState s, TranscriptEntry e, DeviceResponse r, DeviceUpdate u) {
        int rc = r.rc().code();
        rcIn(e, rc, "device/update", 204, 400, 404, 500);
        exercise(UPDATE_RESULT);
        if (rc == 204) {
            for (FieldValue f : u.fields()) {
                if (f instanceof FirmwareField fw) {
                    s.uriKnown = true;
                    s.uri = fw.value().uri();
                    FirmwareState written = fw.value().state().orElse(null);
                    if (written != null && written != s.firmwareState) {
                        s.writtenState = written;
                    }
                }
            }
        } else if (rc == 404 || rc == 500) {
            List<String> failed;
            try {
                failed = ResponseViews.failedFieldNames(r);
            } catch (InvalidResponseDataException ex) {
                violation(UPDATE_RESULT, e, "device/update failure answer has unreadable d.fields: " + ex.getMessage());
                return;
            }
            if (failed.isEmpty()) {
                violation(UPDATE_RESULT, e, "device/update answered " + rc + " without d.fields naming the failed fields");
            }
        }
    }

    private void observeAnswered(ClientState s, TranscriptEntry e, DeviceResponse r, Observe o) {
        int rc = r.rc().code();
        rcIn(e, rc, "observe", 200, 400, 404, 500);
        if (rc == 200) {
            s.observed.addAll(o.fields());
            exercise(OBSERVE_VALUES);
            List<FieldValue> values;
            try {
                values = ResponseViews.observedValues(r);
            } catch (InvalidResponseDataException ex) {
                violation(OBSERVE_VALUES, e, "observe answer has unreadable d.fields: " + ex.getMessage());
                return;
            }
            for (String field : o.fields()) {
                if (values.stream().noneMatch(v -> v.field().equals(field))) {
                    violation(OBSERVE_VALUES, e, "observe answer 200 without the current value of " + field);
                }
            }
            for (FieldValue v : values) {
                if (v instanceof FirmwareField fw && fw.value().isEmpty()) {
                    // Node answers {} (§14): the field is named but its current value is missing.
                    violation(OBSERVE_VALUES, e, "observe answer 200 with an empty value {} for " + v.field()
                            + " instead of its current value");
                }
                if (v instanceof FirmwareField fw && fw.value().state().isPresent()) {
                    s.firmwareState = fw.value().state().get();
                    s.writtenState = null;
                }
            }
        } else if (rc == 404 || rc == 500) {
            List<String> failed;
            try {
                failed = ResponseViews.failedFieldNames(r);
            } catch (InvalidResponseDataException ex) {
                failed = o.fields();
            }
            for (String f : o.fields()) {
                if (!failed.contains(f)) {
                    s.observed.add(f);
                }
            }
        }
    }

    private void firmwareAnswered(ClientState s, TranscriptEntry e, PlatformReq p, int rc) {
        rcIn(e, rc, describe(p), 202, 400, 500, 501);
        if (s.supports != null && !s.supports.firmwareActions()) {
            exercise(UNSUPPORTED_ACTIONS);
            if (rc == 202) {
                violation(UNSUPPORTED_ACTIONS, e, describe(p) + " accepted (202) although manage did not advertise"
                        + " supports.firmwareActions");
            }
            return;
        }
        if (p.kind == Kind.FIRMWARE_DOWNLOAD && rc == 202) {
            s.downloadAccepted = true; // the progress notifies may follow (DM-FW-NOTIFY)
        }
        FirmwareState state = s.firmwareState;
        if (state == null) {
            return; // the device never told its state: nothing to judge against
        }
        // The states that may justify the answer: the device's own, and one the platform wrote since.
        Set<FirmwareState> states = s.writtenState == null ? Set.of(state) : Set.of(state, s.writtenState);
        String told = states.size() == 1 ? "state " + state.code() + " " + state
                : "state " + state.code() + " " + state + " (or " + s.writtenState.code() + " as the platform wrote)";
        if (p.kind == Kind.FIRMWARE_DOWNLOAD) {
            exercise(FW_DOWNLOAD_RC);
            boolean usable = s.uriKnown && usableUri(s.uri);
            boolean idle = states.contains(FirmwareState.IDLE);
            if (rc == 202 && !idle) {
                violation(FW_DOWNLOAD_RC, e, "download accepted (202) in " + told + "; only state 0 may start a download");
            } else if (rc == 400 && idle && states.size() == 1 && usable) {
                violation(FW_DOWNLOAD_RC, e, "download refused (400) in state 0 with a usable uri");
            }
            if (idle && s.uriKnown) {
                exercise(DOWNLOAD_URI);
                if (rc == 202 && !usable) {
                    violation(DOWNLOAD_URI, e, "download accepted (202) although the uri is "
                            + s.uri.map(u -> "not usable: '" + abbreviate(u) + "'").orElse("missing"));
                }
            }
        } else {
            exercise(FW_UPDATE_RC);
            boolean downloaded = states.contains(FirmwareState.DOWNLOADED);
            if (rc == 202 && !downloaded) {
                violation(FW_UPDATE_RC, e, "update accepted (202) in " + told + "; only state 2 (downloaded) may install");
            } else if (rc == 400 && downloaded && states.size() == 1) {
                violation(FW_UPDATE_RC, e, "update refused (400) although the image is downloaded (state 2)");
            }
        }
    }

    // ---- platform to device ------------------------------------------------------------------

    private void fromPlatform(ClientState s, TranscriptEntry e) {
        exercise(NO_RETAIN);
        if (e.retain()) {
            violation(NO_RETAIN, e, "platform published with the retain flag");
        }
        exercise(PAYLOAD_LIMIT);
        if (e.payload().length > Codec.DEFAULT_MAX_PAYLOAD_BYTES) {
            violation(PAYLOAD_LIMIT, e, "platform message of " + e.payload().length + " bytes is over the limit");
            return;
        }
        DecodeResult result = codec.decode(e.topic(), e.payload());
        if (result instanceof DecodeError err) {
            if (err.problem() == Problem.UNKNOWN_TOPIC && err.request() && err.reqId().isPresent()) {
                // Deliberate or not, the device must answer it 404 (§12.31).
                registerPlatformRequest(s, e, err.reqId().get(), Kind.UNKNOWN_TOPIC, null);
                return;
            }
            exercise(ENV_DECODES);
            violation(ENV_DECODES, e, "platform message undecodable " + err.problem() + ": " + err.detail());
            return;
        }
        Decoded d = (Decoded) result;
        Message m = d.message();
        if (!m.topic().topicName().startsWith("iot-2/")) {
            exercise(ENV_DECODES);
        }
        normalisations(d, e, Direction.PLATFORM_TO_DEVICE);
        if (m instanceof PlatformResponse r) {
            platformResponse(s, e, r);
        } else if (m instanceof PlatformRequest req) {
            platformRequest(s, e, req);
        }
    }

    private void platformRequest(ClientState s, TranscriptEntry e, PlatformRequest req) {
        if (s.unmanaged) {
            exercise(NO_REQUESTS_AFTER_UNMANAGE);
            violation(NO_REQUESTS_AFTER_UNMANAGE, e, "platform sent " + e.topic() + " after accepting unmanage");
        }
        Kind kind = req instanceof CustomAction ? Kind.CUSTOM : kindOf((DmTopic) req.topic());
        if (req instanceof DeviceUpdate u) {
            for (FieldValue f : u.fields()) {
                exercise(UPDATE_WRITABLE_FIELDS);
                if (!writable(f.field())) {
                    violation(UPDATE_WRITABLE_FIELDS, e, "device/update writes " + f.field()
                            + " (writable: location, metadata, deviceInfo, mgmt.firmware)");
                }
            }
            if (u.reqId().isEmpty()) {
                s.pushPending = true;
                return;
            }
        }
        registerPlatformRequest(s, e, req.requestId().orElseThrow(), kind, req);
    }

    private void registerPlatformRequest(ClientState s, TranscriptEntry e, String reqId, Kind kind,
            PlatformRequest req) {
        exercise(ENV_UNIQUE_REQID);
        PlatformReq earlier = s.platformRequests.get(reqId);
        // The same request again on a later connection is a re-send of one the device may never have
        // received (a broker drops what was in flight to a clean-session device), not a reuse.
        boolean resent = earlier != null && earlier.connection != s.connection && earlier.topic.equals(e.topic())
                && Objects.equals(earlier.message, req);
        if (earlier != null && !resent) {
            violation(ENV_UNIQUE_REQID, e, "platform reused reqId " + reqId);
        }
        PlatformReq p = new PlatformReq(kind, req, e.topic(), s.connection, subscribedTo(s, e));
        s.platformRequests.put(reqId, p);
        if (kind == Kind.REBOOT || kind == Kind.FACTORY_RESET) {
            s.connection.deviceActions.add(p);
        }
    }

    private void platformResponse(ClientState s, TranscriptEntry e, PlatformResponse r) {
        exercise(PLATFORM_ANSWERS_ONCE);
        if (r.reqId().isEmpty()) {
            violation(PLATFORM_ANSWERS_ONCE, e, "platform response without reqId");
            return;
        }
        DeviceReq q = s.deviceRequests.get(r.reqId().get());
        if (q == null) {
            violation(PLATFORM_ANSWERS_ONCE, e, "platform response to reqId " + r.reqId().get()
                    + ", which the device never sent");
            return;
        }
        if (q.answered) {
            violation(PLATFORM_ANSWERS_ONCE, e, "second platform response to " + q.topic + " reqId " + r.reqId().get());
            return;
        }
        q.answered = true;
        int rc = r.rc().code();
        exercise(PLATFORM_RC);
        boolean notify = q.topic.equals(DmTopic.NOTIFY.topicName());
        if (rc != 200 && rc != 400 && rc != 404 && rc != 409 && !(notify && rc == 500)) {
            violation(PLATFORM_RC, e, "platform answered " + q.topic + " with rc " + rc);
        }
        if (q.manage != null) {
            q.manage.answer = r.rc();
            if (rc == 200) {
                s.everManaged = true;
                Connection c = s.connection;
                c.lastAccepted = q.manage;
                c.expiryFlagged = false;
                c.unmanagedSinceManage = false;
            }
        } else if (q.topic.equals(DmTopic.UNMANAGE.topicName()) && rc == 200) {
            s.unmanaged = true;
            s.connection.unmanagedSinceManage = true;
            s.connection.lastAccepted = null;
            s.observed.clear();
        }
    }

    /** Whether the device holds a subscription for the request's topic; charges DM-SUB-1 once per connection if not. */
    private boolean subscribedTo(ClientState s, TranscriptEntry e) {
        if (s.subscriptions == null) {
            return true; // not reported: assume it is
        }
        exercise(SUBSCRIBED);
        if (s.subscriptions.stream().anyMatch(f -> TopicFilters.matches(f, e.topic()))) {
            return true;
        }
        Connection c = s.connection;
        if (!c.unsubscribedFlagged) {
            c.unsubscribedFlagged = true;
            violation(SUBSCRIBED, e, "the device holds no subscription for " + e.topic() + " (subscribed: "
                    + (s.subscriptions.isEmpty() ? "nothing" : new TreeSet<>(s.subscriptions).toString())
                    + "): platform requests cannot reach it");
        }
        return false;
    }

    /** Whether a filter lets at least one platform request topic through ({@code iotdm-1/response} alone does not). */
    private static boolean coversRequests(String filter) {
        for (DmTopic t : DmTopic.values()) {
            if (t.direction() == Direction.PLATFORM_TO_DEVICE && t != DmTopic.PLATFORM_RESPONSE
                    && TopicFilters.matches(filter, t.topicName())) {
                return true;
            }
        }
        return TopicFilters.matches(filter, CUSTOM_ACTION_SAMPLE);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static boolean writable(String field) {
        for (String root : List.of(FieldValue.LOCATION, FieldValue.METADATA, FieldValue.DEVICE_INFO, FieldValue.FIRMWARE)) {
            if (field.equals(root) || field.startsWith(root + ".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean usableUri(Optional<String> uri) {
        if (uri.isEmpty() || uri.get().isBlank()) {
            return false;
        }
        try {
            URI u = new URI(uri.get());
            return u.isAbsolute() && !u.isOpaque();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isBase64(String s) {
        try {
            Base64.getDecoder().decode(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String describe(PlatformReq p) {
        return p.message == null ? "request on the unknown topic " + p.topic : p.topic;
    }

    private static String abbreviate(String s) {
        return s.length() <= 48 ? s : s.substring(0, 45) + "...";
    }

    /** The request kind of a fixed platform request topic; exhaustive, so a new topic breaks the build here. */
    private static Kind kindOf(DmTopic t) {
        return switch (t) {
            case DEVICE_UPDATE -> Kind.DEVICE_UPDATE;
            case OBSERVE -> Kind.OBSERVE;
            case CANCEL -> Kind.CANCEL;
            case REBOOT -> Kind.REBOOT;
            case FACTORY_RESET -> Kind.FACTORY_RESET;
            case FIRMWARE_DOWNLOAD -> Kind.FIRMWARE_DOWNLOAD;
            case FIRMWARE_UPDATE -> Kind.FIRMWARE_UPDATE;
            case MANAGE, UNMANAGE, UPDATE_LOCATION, ADD_ERROR_CODE, CLEAR_ERROR_CODES, ADD_LOG, CLEAR_LOG, NOTIFY,
                    DEVICE_RESPONSE, PLATFORM_RESPONSE -> throw new IllegalStateException("not a platform request: " + t);
        };
    }
}
