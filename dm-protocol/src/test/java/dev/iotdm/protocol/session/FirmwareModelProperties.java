package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;
import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThatThrownBy;
import static dev.iotdm.protocol.testing.ProtocolAssertions.catchThrowableOfType;

import dev.iotdm.protocol.codec.ResponseViews;
import dev.iotdm.protocol.firmware.FirmwarePhase;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.pbt.Gen;
import dev.iotdm.pbt.Property;
import dev.iotdm.pbt.Stateful;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stateful property: random sequences of platform requests (firmware parameters through
 * device/update, observe/cancel, download, update, reboot, custom actions, malformed payloads,
 * redeliveries of earlier requests), handler outcomes, reconnects with and without the broker
 * session, restarts through the file store and time jumps. After every step the responses, the
 * notifies, the handler events and the visible firmware state must equal those of
 * {@link Model}, a reference written from protocol.md §4-§8 and §12 alone: it shares no code
 * with {@code FirmwareTable} or {@code DeviceSession}.
 */
class FirmwareModelProperties {

    private static final DeviceInfo INFO = DeviceInfo.builder().serialNumber("SN-7").model("T1").fwVersion("1.0")
            .build();
    private static final List<String> OBSERVABLE = List.of("mgmt.firmware", "mgmt.firmware.state", "deviceInfo");

    @TempDir
    Path dir;

    // ---- the reference model -------------------------------------------------------------------

    /** What the platform must see: a response (values checked when given) or a notify (as a set). */
    sealed interface Out permits Resp, Note {
    }

    record Resp(String reqId, int rc, Optional<List<FieldValue>> values) implements Out {
    }

    record Note(Set<FieldValue> fields) implements Out {
    }

    /** The device as the protocol describes it; every method is a rule from protocol.md. */
    static final class Model {
        final boolean keepsSession;
        final boolean plantedBug;
        // mgmt.firmware (§6.1); null = absent
        String version;
        String name;
        String uri;
        String verifier;
        int state;               // 0 idle, 1 downloading, 2 downloaded
        boolean installing;      // shown as state 2, updateStatus 1 (§6.3 step 4)
        int updateStatus;
        String fwVersion = "1.0";
        final Set<String> observed = new LinkedHashSet<>();
        final Set<String> changedOffline = new HashSet<>();
        // What the platform knows of each observed field (every publish is acknowledged at once
        // here): partial notifies merge into it; a manage that succeeds notifies what differs.
        final Map<String, FieldValue> told = new HashMap<>();
        final Map<String, Integer> answered = new HashMap<>();
        final Map<String, Op> requests = new LinkedHashMap<>();
        final List<String> heldDevice = new ArrayList<>();
        final List<String> heldCustom = new ArrayList<>();
        final List<Out> offline = new ArrayList<>();
        final List<Out> expected = new ArrayList<>();
        boolean connected = true;
        int downloadsAsked;
        int installsAsked;
        int deviceActionsAsked;
        int customActionsAsked;

        Model(boolean keepsSession, boolean plantedBug) {
            this.keepsSession = keepsSession;
            this.plantedBug = plantedBug;
        }

        /** The one response to a request; offline it waits for the next connect (nothing lost). */
        void respond(String reqId, int rc, Optional<List<FieldValue>> values) {
            answered.put(reqId, rc);
            Resp r = new Resp(reqId, rc, values);
            if (connected) {
                expected.add(r);
            } else {
                offline.add(r);
            }
        }

        void respond(String reqId, int rc) {
            respond(reqId, rc, Optional.empty());
        }

        List<Object> snapshot() {
            return java.util.Arrays.asList(version, name, uri, verifier, wireState(), updateStatus, fwVersion);
        }

        int wireState() {
            return installing ? 2 : state;
        }

        FirmwareInfo whole() {
            return new FirmwareInfo(Optional.ofNullable(version), Optional.ofNullable(name), Optional.ofNullable(uri),
                    Optional.ofNullable(verifier), FirmwareState.fromCode(wireState()),
                    UpdateStatus.fromCode(updateStatus), Optional.empty());
        }

        FieldValue current(String field) {
            return switch (field) {
                case "mgmt.firmware" -> new FirmwareField(whole());
                case "mgmt.firmware.state" -> FieldValue.other(field, JsonNumber.of(wireState()));
                default -> new DeviceInfoField(INFO.withFwVersion(fwVersion));
            };
        }

        /**
         * Notifies what changed since {@code before}: each observed field once, firmware with only
         * its changed sub-fields, all in one notify (§3.8, §6.3); offline, the field is remembered
         * and its current value sent after reconnect.
         */
        void changed(List<Object> before) {
            List<Object> after = snapshot();
            String[] keys = {"version", "name", "uri", "verifier", "state", "updateStatus"};
            Set<String> fw = new HashSet<>();
            for (int i = 0; i < keys.length; i++) {
                if (!Objects.equals(before.get(i), after.get(i))) {
                    fw.add(keys[i]);
                }
            }
            boolean info = !Objects.equals(before.get(6), after.get(6));
            Set<FieldValue> fields = new HashSet<>();
            for (String f : observed) {
                FieldValue v = null;
                if (f.equals("mgmt.firmware") && !fw.isEmpty()) {
                    v = new FirmwareField(new FirmwareInfo(
                            fw.contains("version") ? Optional.ofNullable(version) : Optional.empty(),
                            fw.contains("name") ? Optional.ofNullable(name) : Optional.empty(),
                            fw.contains("uri") ? Optional.ofNullable(uri) : Optional.empty(),
                            fw.contains("verifier") ? Optional.ofNullable(verifier) : Optional.empty(),
                            fw.contains("state") ? FirmwareState.fromCode(wireState()) : Optional.empty(),
                            fw.contains("updateStatus") ? UpdateStatus.fromCode(updateStatus) : Optional.empty(),
                            Optional.empty()));
                } else if (f.equals("mgmt.firmware.state") && fw.contains("state")) {
                    v = current(f);
                } else if (f.equals("deviceInfo") && info) {
                    v = new DeviceInfoField(DeviceInfo.builder().fwVersion(fwVersion).build());
                }
                if (v != null && connected) {
                    fields.add(v);
                    tell(f, v);
                } else if (v != null) {
                    changedOffline.add(f);
                }
            }
            if (!fields.isEmpty()) {
                expected.add(new Note(fields));
            }
        }

        /** The platform merges a partial firmware or deviceInfo notify into what it knows (§3.8). */
        void tell(String f, FieldValue v) {
            FieldValue old = told.get(f);
            if (v instanceof FirmwareField p && old instanceof FirmwareField o) {
                FirmwareInfo a = o.value();
                FirmwareInfo b = p.value();
                told.put(f, new FirmwareField(new FirmwareInfo(b.version().or(a::version), b.name().or(a::name),
                        b.uri().or(a::uri), b.verifier().or(a::verifier), b.state().or(a::state),
                        b.updateStatus().or(a::updateStatus), b.updatedDateTime().or(a::updatedDateTime))));
            } else if (v instanceof DeviceInfoField p && old instanceof DeviceInfoField o) {
                told.put(f, new DeviceInfoField(o.value().withFwVersion(p.value().fwVersion().orElseThrow())));
            } else {
                told.put(f, v);
            }
        }

        /** After a manage that succeeded: the whole value of each observed field the platform has wrong. */
        void converge() {
            Set<FieldValue> differ = new HashSet<>();
            for (String f : observed) {
                FieldValue v = current(f);
                if (!v.equals(told.get(f))) {
                    differ.add(v);
                    told.put(f, v);
                }
            }
            if (!differ.isEmpty()) {
                expected.add(new Note(differ));
            }
        }

        /** §12.8: an http(s) uri with a host; a verifier empty, MD5 or SHA-256 hex. */
        boolean usable() {
            boolean goodUri = uri != null && (uri.startsWith("https://") || uri.startsWith("http://"))
                    && uri.substring(uri.indexOf("//") + 2).indexOf('/') > 0;
            boolean goodVerifier = verifier == null || verifier.isEmpty()
                    || ((verifier.length() == 32 || verifier.length() == 64) && verifier.matches("[0-9a-f]+"));
            return goodUri && goodVerifier;
        }

        /** A platform request arrives (§4-§8); a redelivery gets the same answer (§12.25). */
        void request(String reqId, Op op) {
            if (reqId != null) {
                requests.putIfAbsent(reqId, op);
                if (answered.containsKey(reqId)) {
                    expected.add(new Resp(reqId, answered.get(reqId), Optional.empty()));
                    return;
                }
                if (heldDevice.contains(reqId) || heldCustom.contains(reqId)) {
                    return;
                }
            }
            if (op instanceof SendImage i) {
                boolean same = Objects.equals(i.version(), version) && Objects.equals(i.name(), name)
                        && Objects.equals(i.uri(), uri) && Objects.equals(i.verifier(), verifier);
                if (same) {
                    respond(reqId, 204);
                } else if (state == 1 || installing) {
                    respond(reqId, 500);
                } else {
                    List<Object> before = snapshot();
                    version = i.version();
                    name = i.name();
                    uri = i.uri();
                    verifier = i.verifier();
                    state = 0; // a downloaded image is discarded (§4.2 issue rule)
                    changed(before);
                    respond(reqId, 204);
                }
            } else if (op instanceof Observe o) {
                observed.addAll(o.fields());
                List<FieldValue> values = new ArrayList<>();
                o.fields().forEach(f -> values.add(current(f)));
                o.fields().forEach(f -> told.put(f, current(f)));
                respond(reqId, 200, Optional.of(values));
            } else if (op instanceof Cancel c) {
                c.fields().forEach(observed::remove);
                c.fields().forEach(changedOffline::remove);
                c.fields().forEach(told::remove);
                respond(reqId, 200);
            } else if (op instanceof Download) {
                if (state != 0 || !usable()) {
                    respond(reqId, 400);
                } else {
                    respond(reqId, 202);
                    List<Object> before = snapshot();
                    state = 1;
                    updateStatus = 0;
                    changed(before);
                    downloadsAsked++;
                }
            } else if (op instanceof Update) {
                if ((state == 2 && !installing) || plantedBug) {
                    respond(reqId, 202);
                    List<Object> before = snapshot();
                    installing = true;
                    updateStatus = 1;
                    changed(before);
                    installsAsked++;
                } else {
                    respond(reqId, 400);
                }
            } else if (op instanceof Reboot || op instanceof FactoryReset) {
                heldDevice.add(reqId);
                deviceActionsAsked++;
            } else if (op instanceof Custom c) {
                if (c.bundle().equals("acme")) {
                    heldCustom.add(reqId);
                    customActionsAsked++;
                } else {
                    respond(reqId, 501);
                }
            } else if (op instanceof Malformed m) {
                if (m.kind() == 0) {
                    respond(reqId, 400);
                } else if (m.kind() == 1) {
                    respond(reqId, 404);
                }
            }
        }
    }

    // ---- the system under test -----------------------------------------------------------------

    /**
     * Persists in memory; at each restart encodes the last state in the file store's format and
     * reads it back with {@link DeviceStateJson}. dm-client's {@code FileStateStoreTest} covers the
     * file's fsync and rename (12 ms each on a disk, too slow for hundreds of runs).
     */
    static final class RestartThroughFile implements DeviceStateStore {
        private final Path path;
        private DeviceState last;

        RestartThroughFile(Path path) {
            this.path = path;
        }

        @Override
        public Optional<DeviceState> load() {
            // Through the bytes a file store writes, so a restart sees exactly what it would read back.
            return Optional.ofNullable(last).map(DeviceStateJson::encode).map(DeviceStateJson::decode);
        }

        @Override
        public void save(DeviceState state) {
            last = state;
        }
    }

    /** The session in its harness, and the check of one step. */
    static final class Device {
        final SessionHarness h;

        Device(boolean keepsSession, Path dir) {
            h = SessionHarness.builder().allHandlers().store(new RestartThroughFile(dir.resolve("state.json")))
                    .configure(c -> c.keepsSession(keepsSession).deviceInfo(INFO)).build()
                    .connectAndManage(ManageParams.of(0, true, true, "acme"));
        }

        void check(Model m) {
            List<Out> actual = new ArrayList<>();
            for (Sent s : h.drainPublished()) {
                if (s.message() instanceof DeviceResponse r) {
                    actual.add(new Resp(r.reqId().orElse(null), r.rc().code(),
                            r.rc().code() == 200 && r.d().isPresent()
                                    ? Optional.of(ResponseViews.observedValues(r)) : Optional.empty()));
                } else if (s.message() instanceof Notify n) {
                    actual.add(new Note(Set.copyOf(n.fields())));
                } else {
                    throw new AssertionError("unexpected publish " + s);
                }
            }
            assertThat(actual).as("published (expected %s)", m.expected).hasSameSizeAs(m.expected);
            for (int i = 0; i < actual.size(); i++) {
                Out want = m.expected.get(i);
                Out got = actual.get(i);
                if (want instanceof Resp w && got instanceof Resp g && w.values().isEmpty()) {
                    assertThat(List.of(g.reqId(), g.rc())).as("response %d of %s", i, actual)
                            .isEqualTo(List.of(w.reqId(), w.rc()));
                } else {
                    assertThat(got).as("output %d of %s", i, actual).isEqualTo(want);
                }
            }
            DeviceSession s = h.session();
            assertThat(s.firmware()).as("mgmt.firmware").isEqualTo(m.whole());
            assertThat(s.firmwarePhase()).as("phase").isEqualTo(m.installing ? FirmwarePhase.INSTALLING
                    : FirmwarePhase.values()[m.state]);
            assertThat(s.deviceInfo().fwVersion()).as("deviceInfo.fwVersion").contains(m.fwVersion);
            assertThat(s.observed()).as("observed").isEqualTo(m.observed);
            assertThat(h.events(SessionEvent.FirmwareDownloadRequested.class)).as("downloads handed over")
                    .hasSize(m.downloadsAsked);
            assertThat(h.events(SessionEvent.FirmwareInstallRequested.class)).as("installs handed over")
                    .hasSize(m.installsAsked);
            assertThat(h.events(SessionEvent.DeviceActionRequested.class)).as("device actions handed over")
                    .hasSize(m.deviceActionsAsked);
            assertThat(h.events(SessionEvent.CustomActionRequested.class)).as("custom actions handed over")
                    .hasSize(m.customActionsAsked);
        }
    }

    // ---- the commands --------------------------------------------------------------------------

    /** One step: applied to device and model, then every visible output compared. */
    interface Op extends Stateful.Command<Device, Model> {
        void apply(Device d, Model m);

        @Override
        default void run(Device d, Model m) {
            m.expected.clear();
            apply(d, m);
            d.check(m);
        }
    }

    /** A platform request: only while connected (the broker delivers nothing else). */
    interface PlatformOp extends Op {
        String send(Platform p);

        @Override
        default boolean precondition(Model m) {
            return m.connected;
        }

        @Override
        default void apply(Device d, Model m) {
            m.request(send(d.h.platform()), this);
        }
    }

    record Jump(int seconds) implements Op {
        @Override
        public void apply(Device d, Model m) {
            d.h.advanceSeconds(seconds);
        }
    }

    record SendImage(String version, String name, String uri, String verifier) implements PlatformOp {
        @Override
        public String send(Platform p) {
            // state and updateStatus sent by the platform are ignored by the device (§4.2 issue rule)
            return p.sendFirmwareImage(FirmwareInfo.ofImage(version, name, uri, verifier)
                    .withState(FirmwareState.DOWNLOADED).withUpdateStatus(UpdateStatus.INVALID_URI));
        }
    }

    record Observe(List<String> fields) implements PlatformOp {
        @Override
        public String send(Platform p) {
            return p.sendObserve(fields.toArray(String[]::new));
        }
    }

    record Cancel(List<String> fields) implements PlatformOp {
        @Override
        public String send(Platform p) {
            return p.sendCancel(fields.toArray(String[]::new));
        }
    }

    record Download() implements PlatformOp {
        @Override
        public String send(Platform p) {
            return p.sendFirmwareDownload();
        }
    }

    record Update() implements PlatformOp {
        @Override
        public String send(Platform p) {
            return p.sendFirmwareUpdate();
        }
    }

    record Reboot() implements PlatformOp {
        @Override
        public String send(Platform p) {
            return p.sendReboot();
        }
    }

    record FactoryReset() implements PlatformOp {
        @Override
        public String send(Platform p) {
            return p.sendFactoryReset();
        }
    }

    record Custom(String bundle) implements PlatformOp {
        @Override
        public String send(Platform p) {
            return p.sendCustomAction(bundle, "run");
        }
    }

    /** 0: a bad observe (400); 1: an unknown DM topic (404); 2: no readable reqId (no answer). */
    record Malformed(int kind) implements PlatformOp {
        @Override
        public String send(Platform p) {
            if (kind == 2) {
                p.sendRaw("iotdm-1/mgmt/initiate/device/reboot", "{\"reqId\":");
                return null;
            }
            String id = p.nextReqId();
            if (kind == 0) {
                p.sendRaw("iotdm-1/observe", "{\"reqId\":\"" + id + "\",\"d\":{\"fields\":42}}", id);
            } else {
                p.sendRaw("iotdm-1/mgmt/initiate/device/teleport", "{\"reqId\":\"" + id + "\"}", id);
            }
            return id;
        }
    }

    /** A QoS 1 redelivery of the n-th request sent so far. */
    record Redeliver(int index) implements Op {
        @Override
        public boolean precondition(Model m) {
            return m.connected && !m.requests.isEmpty();
        }

        @Override
        public void apply(Device d, Model m) {
            String reqId = new ArrayList<>(m.requests.keySet()).get(index % m.requests.size());
            d.h.platform().redeliver(reqId);
            m.request(reqId, m.requests.get(reqId));
        }
    }

    /** A firmware report from the application; out of turn it must be refused and change nothing. */
    record Report(String what, UpdateStatus failure) implements Op {
        @Override
        public void apply(Device d, Model m) {
            boolean valid = switch (what) {
                case "downloadSucceeded", "downloadFailed" -> m.state == 1;
                default -> m.installing;
            };
            if (!valid) {
                assertThatThrownBy(() -> perform(d)).isInstanceOf(IllegalStateException.class);
                return;
            }
            perform(d);
            List<Object> before = m.snapshot();
            switch (what) {
                case "downloadSucceeded" -> m.state = 2;
                case "downloadFailed" -> {
                    m.state = 0;
                    m.updateStatus = failure.code();
                }
                case "installSucceeded" -> {
                    m.installing = false;
                    m.state = 0;
                    m.updateStatus = 0;
                    m.fwVersion = m.version;
                }
                default -> {
                    m.installing = false;
                    m.updateStatus = failure.code();
                }
            }
            m.changed(before);
        }

        private void perform(Device d) {
            switch (what) {
                case "downloadSucceeded" -> d.h.downloadSucceeded();
                case "downloadFailed" -> d.h.downloadFailed(failure);
                case "installSucceeded" -> d.h.installSucceeded();
                default -> d.h.installFailed(failure);
            }
        }
    }

    /** The application answers the n-th held reboot/factory reset (202/500/501, §7). */
    record AnswerDeviceAction(int index, int rc) implements Op {
        @Override
        public boolean precondition(Model m) {
            return !m.heldDevice.isEmpty();
        }

        @Override
        public void apply(Device d, Model m) {
            String reqId = m.heldDevice.remove(index % m.heldDevice.size());
            d.h.respondDeviceAction(reqId, Rc.of(rc));
            m.respond(reqId, rc);
        }
    }

    /** The application answers the n-th held custom action (200/500/501, §8.4). */
    record AnswerCustomAction(int index, int rc) implements Op {
        @Override
        public boolean precondition(Model m) {
            return !m.heldCustom.isEmpty();
        }

        @Override
        public void apply(Device d, Model m) {
            String reqId = m.heldCustom.remove(index % m.heldCustom.size());
            d.h.respondCustomAction(reqId, Rc.of(rc));
            m.respond(reqId, rc);
        }
    }

    record Lose() implements Op {
        @Override
        public boolean precondition(Model m) {
            return m.connected;
        }

        @Override
        public void apply(Device d, Model m) {
            d.h.loseConnection();
            m.connected = false;
        }
    }

    /** Reconnects; the manage goes first and is answered 200, then what waited offline. */
    record Reconnect(boolean sessionPresent) implements Op {
        @Override
        public boolean precondition(Model m) {
            return !m.connected;
        }

        @Override
        public void apply(Device d, Model m) {
            d.h.connect(sessionPresent);
            Manage manage = d.h.takePublished(Manage.class);
            d.h.platform().respond(manage.reqId(), Rc.OK);
            m.connected = true;
            m.expected.addAll(m.offline);
            m.offline.clear();
            Set<FieldValue> now = new HashSet<>();
            for (String f : m.changedOffline) {
                if (m.observed.contains(f)) {
                    now.add(m.current(f));
                    m.told.put(f, m.current(f));
                }
            }
            m.changedOffline.clear();
            if (!now.isEmpty()) {
                m.expected.add(new Note(now));
            }
            m.converge();
        }
    }

    /**
     * The device restarts through the file store: a running download failed (CONNECTION_LOST), a
     * running install succeeded iff the device now runs the target version (§12.29); held requests
     * and queued responses are gone; answers, observations and what the platform acknowledged are
     * remembered, so the manage after the restart notifies what changed (issue #10).
     */
    record Restart(boolean runsTargetVersion) implements Op {
        @Override
        public void apply(Device d, Model m) {
            String running = runsTargetVersion && m.version != null ? m.version : m.fwVersion;
            d.h.drainPublished();
            d.h.restart(c -> c.deviceInfo(INFO.withFwVersion(running)));
            if (m.state == 1) {
                m.state = 0;
                m.updateStatus = 3;
            }
            if (m.installing) {
                m.installing = false;
                boolean ok = running.equals(m.version);
                m.state = ok ? 0 : 2;
                m.updateStatus = ok ? 0 : 5;
            }
            m.fwVersion = running;
            m.changedOffline.clear();
            m.heldDevice.clear();
            m.heldCustom.clear();
            m.offline.clear();
            m.connected = false;
        }
    }

    // ---- generators ----------------------------------------------------------------------------

    record Run(boolean keepsSession, List<Op> ops) {
    }

    static Gen<Op> ops() {
        Gen<List<String>> fields = Gen.listOf(Gen.elements(OBSERVABLE), 1, 3);
        Gen<Integer> index = Gen.integers(0, 7);
        return Gen.frequency(
                Gen.weighted(1, Gen.elements(0, 1, 60, 3600).map(Jump::new)),
                Gen.weighted(5, Gen.elements("2.0", "3.0").flatMap(v -> Gen.elements("fw", "gw").flatMap(n ->
                        Gen.elements("https://h/fw.bin", "http://h/b.bin", "ftp://h/x", "").flatMap(u ->
                                Gen.elements("", Firmware.MD5, Firmware.SHA256, "abc").map(
                                        x -> (Op) new SendImage(v, n, u, x)))))),
                Gen.weighted(3, fields.map(Observe::new)),
                Gen.weighted(1, fields.map(Cancel::new)),
                Gen.weighted(5, Gen.constant(new Download())),
                Gen.weighted(4, Gen.constant(new Update())),
                Gen.weighted(2, Gen.constant(new Reboot())),
                Gen.weighted(1, Gen.constant(new FactoryReset())),
                Gen.weighted(2, Gen.elements("acme", "other").map(Custom::new)),
                Gen.weighted(1, Gen.integers(0, 2).map(Malformed::new)),
                Gen.weighted(3, index.map(Redeliver::new)),
                Gen.weighted(4, Gen.constant(new Report("downloadSucceeded", null))),
                Gen.weighted(2, Gen.elements(UpdateStatus.OUT_OF_MEMORY, UpdateStatus.CONNECTION_LOST,
                        UpdateStatus.VERIFICATION_FAILED, UpdateStatus.INVALID_URI)
                        .map(s -> new Report("downloadFailed", s))),
                Gen.weighted(3, Gen.constant(new Report("installSucceeded", null))),
                Gen.weighted(2, Gen.elements(UpdateStatus.OUT_OF_MEMORY, UpdateStatus.UNSUPPORTED_IMAGE)
                        .map(s -> new Report("installFailed", s))),
                Gen.weighted(2, index.flatMap(i -> Gen.elements(202, 500, 501)
                        .map(rc -> new AnswerDeviceAction(i, rc)))),
                Gen.weighted(2, index.flatMap(i -> Gen.elements(200, 500, 501)
                        .map(rc -> new AnswerCustomAction(i, rc)))),
                Gen.weighted(3, Gen.constant(new Lose())),
                Gen.weighted(3, Gen.booleans().map(Reconnect::new)),
                Gen.weighted(1, Gen.booleans().map(Restart::new)));
    }

    static Gen<Run> runs() {
        return Gen.booleans().flatMap(k -> Stateful.commands(ops(), 40).map(ops -> new Run(k, ops)));
    }

    private void check(Run run, boolean plantedBug) throws Exception {
        Path tryDir = Files.createTempDirectory(dir, "try");
        Stateful.run(run.ops(), () -> new Device(run.keepsSession(), tryDir),
                () -> new Model(run.keepsSession(), plantedBug));
    }

    @Test
    void the_session_agrees_with_the_reference_model_after_every_step() {
        Property.forAll(runs()).tries(300).check(run -> check(run, false));
    }

    @Test
    void a_disagreement_shrinks_to_a_minimal_sequence() {
        // A model that wrongly accepts an update in any state: the smallest witness is one update.
        AssertionError e = catchThrowableOfType(AssertionError.class,
                () -> Property.forAll(runs()).tries(300).check(run -> check(run, true)));
        assertThat(e).isNotNull();
        // Usually exactly [Update[]]; the shrinker may stop one harmless step above it.
        java.util.regex.Matcher minimal = java.util.regex.Pattern
                .compile("minimal failing value: Run\\[keepsSession=\\w+, ops=\\[(.*)\\]\\]\n").matcher(e.getMessage());
        assertThat(minimal.find()).as(e.getMessage()).isTrue();
        assertThat(minimal.group(1)).endsWith("Update[]");
        assertThat(minimal.group(1).split("\\], (?=[A-Z])")).as(minimal.group(1)).hasSizeLessThanOrEqualTo(2);
    }
}
