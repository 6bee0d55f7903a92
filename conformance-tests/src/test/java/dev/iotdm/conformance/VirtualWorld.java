package dev.iotdm.conformance;

import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.session.DeviceActionKind;
import dev.iotdm.protocol.session.DeviceState;
import dev.iotdm.protocol.session.DeviceStateStore;
import dev.iotdm.protocol.session.ManageParams;
import dev.iotdm.protocol.session.RequestOutcome;
import dev.iotdm.protocol.session.SessionConfig;
import dev.iotdm.protocol.session.SessionEvent;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.OperationToken;
import dev.iotdm.testkit.platform.PlatformEngine;
import dev.iotdm.testkit.platform.PlatformEvent;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.scenario.DeviceSnapshot;
import dev.iotdm.testkit.scenario.DeviceUnderTest;
import dev.iotdm.testkit.scenario.HandlerOutcome;
import dev.iotdm.testkit.scenario.Pending;
import dev.iotdm.testkit.scenario.PlatformOps;
import dev.iotdm.testkit.scenario.ScenarioException;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;
import dev.iotdm.testkit.transcript.Transcript;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-memory row's world: our device engine and the platform engine in a {@link VirtualPairing}
 * on one virtual clock, with the device's application played by {@link EngineDevice}. A step
 * settles by moving the clock from timer to timer until everything it started has an outcome, so
 * no wall-clock time passes and every run is the same.
 */
final class VirtualWorld implements ScenarioWorld {

    /** How much virtual time one step may take before it counts as stuck: beyond every timeout. */
    private static final Duration STEP_DEADLINE = Duration.ofHours(2);
    /** How long a SLOW handler takes: well inside {@link PlatformOps#TIMEOUT}. */
    private static final Duration SLOW = Duration.ofSeconds(90);
    private static final ManageParams MANAGE = ManageParams.of(3600, true, true, PlatformOps.DECLARED_BUNDLE);

    private final PlatformEngine platform = new PlatformEngine();
    private final PlatformRecorder recorder = new PlatformRecorder();
    private final WipeableStore store = new WipeableStore();
    private final String clientId;
    private final VirtualPairing pair;
    private final EngineDevice device = new EngineDevice();
    private final AtomicInteger reqIds = new AtomicInteger();

    VirtualWorld() {
        clientId = platform.register("org1", "scenario", "device1", "scenario-token");
        SessionConfig config = SessionConfig.builder().deviceActionHandler(true).firmwareHandler(true)
                .customActionBundles(Set.of(PlatformOps.DECLARED_BUNDLE))
                .deviceInfo(DeviceInfo.builder().set("fwVersion", "1.0").set("model", "scenario").build())
                .reqIds(() -> "dev-" + reqIds.incrementAndGet()).build();
        pair = new VirtualPairing(Instant.parse("2026-11-25T00:00:00Z"), platform, clientId, config, store,
                this::observe);
        pair.connect();
        Pending manage = device.track("manage", pair.device().manage(pair.now(), MANAGE));
        pair.pump();
        settle(List.of(manage));
    }

    private void observe(PlatformEvent event) {
        if (event instanceof PlatformEvent.MessageSeen m) {
            recorder.onMessage(m.entry());
        } else if (event instanceof PlatformEvent.DeviceConnected c) {
            recorder.onConnect(c.time(), c.clientId());
        } else if (event instanceof PlatformEvent.DeviceDisconnected d) {
            recorder.onDisconnect(d.time(), d.clientId());
        } else if (event instanceof PlatformEvent.DecodeProblem p) {
            recorder.onDecodeProblem(p);
        } else if (event instanceof PlatformEvent.DeviceEvent e) {
            recorder.onDeviceEvent(e);
        } else if (event instanceof PlatformEvent.Note n) {
            recorder.onNote(n);
        }
    }

    @Override
    public DeviceUnderTest device() {
        return device;
    }

    @Override
    public Pending start(ScenarioStep.PlatformOp op) {
        OperationToken token = PlatformOps.start(platform, pair.now(), clientId, op);
        pair.pump();
        return new Pending() {
            @Override
            public Optional<String> outcome() {
                return pair.outcome(token).map(Object::toString);
            }

            @Override
            public String describe() {
                return op + " (platform operation " + token + ")";
            }
        };
    }

    @Override
    public void inject(ScenarioStep.Fault fault) {
        if (fault instanceof ScenarioStep.DropConnection) {
            pair.dropConnection();
            pair.advance(Duration.ofSeconds(5)); // the supervisor's backoff, in virtual time
            pair.connect();
        } else if (fault instanceof ScenarioStep.RestartDevice) {
            device.restart(false);
        } else if (fault instanceof ScenarioStep.DuplicateDelivery) {
            pair.duplicateNextRequest();
        } else if (fault instanceof ScenarioStep.Delay d) {
            pair.delay(Duration.ofSeconds(d.seconds()));
        } else {
            throw new IllegalArgumentException("the in-memory pairing cannot inject " + fault);
        }
    }

    @Override
    public void settle(List<Pending> started) {
        Instant deadline = pair.now().plus(STEP_DEADLINE);
        for (int rounds = 0; ; rounds++) {
            device.react();
            if (rounds > 100_000) {
                throw new ScenarioException("the pairing kept firing timers at " + pair.now() + " without settling");
            }
            List<String> open = new ArrayList<>();
            started.stream().filter(p -> p.outcome().isEmpty()).forEach(p -> open.add(p.describe()));
            device.open(open);
            // Every publish either side made is delivered: nothing may still be on the slow link.
            pair.nextArrival().ifPresent(due -> open.add("messages on the link, next due " + due));
            if (open.isEmpty()) {
                return;
            }
            Optional<Instant> next = VirtualPairing.earliest(VirtualPairing.earliest(
                    VirtualPairing.earliest(pair.device().nextTimer(), platform.nextTimer()), device.nextDue()),
                    pair.nextArrival());
            if (next.isEmpty() || next.get().isAfter(deadline)) {
                throw new ScenarioException("still open at " + pair.now() + " with no timer to wait for before "
                        + deadline + ": " + open);
            }
            pair.advance(next.get().isAfter(pair.now()) ? Duration.between(pair.now(), next.get()) : Duration.ZERO);
        }
    }

    @Override
    public Optional<DeviceView> platformRecord() {
        return platform.device(clientId);
    }

    @Override
    public CheckReport rules() {
        return recorder.report();
    }

    @Override
    public Transcript transcript() {
        return recorder.transcript();
    }

    @Override
    public void close() {
        // nothing to release: no socket, no thread
    }

    /**
     * Plays the device's application on the engine: makes the device-side calls, answers the
     * platform's requests as the current {@link HandlerOutcome} says, restarts for device actions,
     * and remembers what it set so that it can re-apply it after a restart (as an application
     * would) and be compared with the platform's record.
     */
    private final class EngineDevice implements DeviceUnderTest {

        private HandlerOutcome handlers = HandlerOutcome.SUCCEED;
        private final Map<Long, String> outcomes = new HashMap<>();
        private final Map<Long, String> names = new HashMap<>();
        private final List<Deferred> deferred = new ArrayList<>();
        private final List<Long> background = new ArrayList<>();
        private Optional<Location> location = Optional.empty();
        /** Locations sent and not yet answered, by request token. */
        private final Map<Long, Location> locations = new HashMap<>();
        private Optional<JsonObject> metadata = Optional.empty();
        private int autoManaged;

        @Override
        public String clientId() {
            return clientId;
        }

        Pending track(String name, long token) {
            names.put(token, name);
            return new Pending() {
                @Override
                public Optional<String> outcome() {
                    return Optional.ofNullable(outcomes.get(token));
                }

                @Override
                public String describe() {
                    return name + " (device request " + token + ")";
                }
            };
        }

        @Override
        public Optional<Pending> call(ScenarioStep.DeviceCall call) {
            Instant now = pair.now();
            // Calls go out while unmanaged too: R12.20 allows them (docs/protocol.md §12 item 20).
            long token;
            if (call instanceof ScenarioStep.SetLocation l) {
                Location where = PlatformOps.location(l.variant());
                token = pair.device().updateLocation(now, where);
                locations.put(token, where); // the device's location once the platform accepts it
            } else if (call instanceof ScenarioStep.AddErrorCode e) {
                token = pair.device().addErrorCode(now, e.code());
            } else if (call instanceof ScenarioStep.ClearErrorCodes) {
                token = pair.device().clearErrorCodes(now);
            } else if (call instanceof ScenarioStep.AddLog l) {
                token = pair.device().addLog(now, LogEntry.of("scenario log " + l.variant(), Timestamp.of(now),
                        (String) null, LogSeverity.INFORMATIONAL));
            } else if (call instanceof ScenarioStep.ClearLog) {
                token = pair.device().clearLog(now);
            } else if (call instanceof ScenarioStep.Unmanage) {
                token = pair.device().unmanage(now);
            } else if (call instanceof ScenarioStep.SendEvent e) {
                token = pair.device().publishEvent(now, Event.json("scenario",
                        JsonObject.builder().put("qos", e.qos()).build()), e.qos());
            } else {
                throw new IllegalArgumentException("unknown call " + call);
            }
            pair.pump();
            return Optional.of(track(call.toString(), token));
        }

        @Override
        public boolean setHandlers(HandlerOutcome outcome) {
            handlers = outcome;
            return true;
        }

        /**
         * A new connection: the engine manages again by itself (§3.1), which refreshes the
         * platform's record without an identical manage on the same connection (R12.15).
         */
        @Override
        public Optional<Pending> remanage() {
            if (!pair.device().wantsManaged()) {
                Pending p = track("manage after unmanage", pair.device().manage(pair.now(), MANAGE));
                pair.pump();
                return Optional.of(p);
            }
            int before = autoManaged;
            pair.dropConnection();
            pair.advance(Duration.ofSeconds(5));
            pair.connect();
            return Optional.of(new Pending() {
                @Override
                public Optional<String> outcome() {
                    return autoManaged > before ? Optional.of("managed again") : Optional.empty();
                }

                @Override
                public String describe() {
                    return "the re-manage on a new connection";
                }
            });
        }

        @Override
        public Optional<DeviceSnapshot> snapshot() {
            return Optional.of(new DeviceSnapshot(pair.device().deviceInfo(), metadata, location,
                    pair.device().firmware(), MANAGE.supports()));
        }

        /** Adds what the application still waits for to {@code open}. */
        void open(List<String> open) {
            background.removeIf(outcomes::containsKey);
            background.forEach(t -> open.add(names.get(t) + " (device request " + t + ")"));
            deferred.forEach(d -> open.add(d.what() + " due " + d.due()));
            if (!pair.device().isReady()) {
                open.add("the device to be ready");
            }
        }

        Optional<Instant> nextDue() {
            return deferred.stream().map(Deferred::due).min(Instant::compareTo);
        }

        /** Handles the device engine's events and runs the handler answers that fell due. */
        void react() {
            // What the application just told the engine goes out now, as a driver sends it at
            // once: left in the engine's queue it would wait for the next timer of either side, so
            // a manage went out when its own timeout fired (and was taken for lost) and a slow
            // handler's answer when the platform's operation deadline fired (seed 4993212729081066590).
            pair.pump();
            for (SessionEvent e : pair.takeDeviceEvents(SessionEvent.class)) {
                onEvent(e);
            }
            List<Deferred> due = deferred.stream().filter(d -> !d.due().isAfter(pair.now())).toList();
            deferred.removeAll(due);
            due.forEach(d -> {
                d.action().run();
                pair.pump();
            });
            if (!due.isEmpty()) {
                react();
            }
        }

        private void onEvent(SessionEvent e) {
            if (e instanceof SessionEvent.RequestCompleted c) {
                outcomes.put(c.token(), c.outcome().toString());
                Location sent = locations.remove(c.token());
                if (sent != null && c.outcome() instanceof RequestOutcome.Answered a && a.response().rc().code() == 200) {
                    location = Optional.of(sent); // refused while unmanaged (400, §12.20): not the device's location
                }
            } else if (e instanceof SessionEvent.AutoManageSucceeded) {
                autoManaged++;
            } else if (e instanceof SessionEvent.DeviceActionRequested a) {
                handle("device action " + a.kind(), () -> deviceAction(a, true), () -> deviceAction(a, false));
            } else if (e instanceof SessionEvent.FirmwareDownloadRequested d) {
                boolean verifies = d.image().verifier().filter(PlatformOps.GOOD_VERIFIER::equals).isPresent();
                handle("firmware download", () -> firmwareDone(true, verifies ? null : UpdateStatus.VERIFICATION_FAILED),
                        () -> firmwareDone(true, handlers == HandlerOutcome.REFUSE
                                ? UpdateStatus.UNSUPPORTED_IMAGE : UpdateStatus.CONNECTION_LOST));
            } else if (e instanceof SessionEvent.FirmwareInstallRequested i) {
                handle("firmware install", () -> firmwareDone(false, null),
                        () -> firmwareDone(false, handlers == HandlerOutcome.REFUSE
                                ? UpdateStatus.UNSUPPORTED_IMAGE : UpdateStatus.OUT_OF_MEMORY));
            } else if (e instanceof SessionEvent.CustomActionRequested c) {
                String reqId = c.action().reqId();
                handle("custom action", () -> pair.device().respondCustomAction(pair.now(), reqId, Rc.OK, null),
                        () -> pair.device().respondCustomAction(pair.now(), reqId, handlers == HandlerOutcome.REFUSE
                                ? Rc.NOT_IMPLEMENTED : Rc.INTERNAL_ERROR, "scenario handler says " + handlers));
            } else if (e instanceof SessionEvent.AttributesUpdated u) {
                for (FieldValue f : u.fields()) {
                    if (f instanceof LocationField l) {
                        location = Optional.of(l.value());
                    } else if (f instanceof MetadataField m) {
                        metadata = Optional.of(m.value());
                    }
                }
            }
        }

        /** Runs {@code succeed} now, later (SLOW) or {@code fail} now, as the handler outcome says. */
        private void handle(String what, Runnable succeed, Runnable fail) {
            switch (handlers) {
                case SUCCEED -> succeed.run();
                case SLOW -> deferred.add(new Deferred(pair.now().plus(SLOW), what, succeed));
                case FAIL, REFUSE -> fail.run();
            }
            pair.pump();
        }

        private void deviceAction(SessionEvent.DeviceActionRequested a, boolean succeed) {
            if (!succeed) {
                pair.device().respondDeviceAction(pair.now(), a.reqId(), handlers == HandlerOutcome.REFUSE
                        ? Rc.NOT_IMPLEMENTED : Rc.INTERNAL_ERROR, "scenario handler says " + handlers);
                return;
            }
            pair.device().respondDeviceAction(pair.now(), a.reqId(), Rc.ACCEPTED, null);
            pair.pump();
            restart(a.kind() == DeviceActionKind.FACTORY_RESET);
        }

        /**
         * The firmware handler finished its download or install, failed with {@code failure} when
         * not null; the engine ignores it when a restart or a newer request moved the firmware on.
         */
        private void firmwareDone(boolean download, UpdateStatus failure) {
            if (failure == null) {
                pair.device().firmwareHandlerSucceeded(pair.now(), download);
            } else {
                pair.device().firmwareHandlerFailed(pair.now(), download, Optional.of(failure));
            }
        }

        /** Restarts the engine from its saved state (wiped for a factory reset) and re-applies what the app knows. */
        void restart(boolean wipe) {
            deferred.clear();
            if (wipe) {
                store.wipe();
            }
            pair.restartDevice();
            pair.advance(Duration.ofSeconds(10)); // the boot, in virtual time
            metadata.ifPresent(m -> pair.device().setMetadata(pair.now(), m));
            pair.connect();
            if (wipe) {
                background.add(remember("manage after factory reset", pair.device().manage(pair.now(), MANAGE)));
            }
            if (pair.device().wantsManaged()) { // an unmanaged application re-applies nothing
                location.ifPresent(l -> background.add(remember("location after restart",
                        pair.device().updateLocation(pair.now(), l))));
            }
            pair.pump();
        }

        private long remember(String name, long token) {
            names.put(token, name);
            return token;
        }
    }

    /** A handler answer that falls due later in virtual time. */
    private record Deferred(Instant due, String what, Runnable action) {
    }
}
