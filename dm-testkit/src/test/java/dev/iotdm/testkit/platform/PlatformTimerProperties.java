package dev.iotdm.testkit.platform;

import dev.iotdm.pbt.Gen;
import dev.iotdm.pbt.Property;
import dev.iotdm.pbt.Stateful;
import dev.iotdm.testkit.platform.PlatformAction.Observed;
import dev.iotdm.testkit.platform.PlatformAction.OperationCompleted;
import dev.iotdm.testkit.platform.PlatformAction.SendToDevice;
import dev.iotdm.testkit.platform.PlatformEvent.Note;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's timers against a small model that finds them by brute force: every step scans every
 * device, operation and held message, the way the engine did before it kept a timer index. Random
 * command sequences (manage with a lifetime, unmanage, reconnect, reboot and command operations
 * with timeouts, Delay faults, clock steps) run against both; after each, the engine must have
 * fired exactly what the model fires, in the same order (sends, operation completions, lifetime
 * expiries), and {@link PlatformEngine#nextTimer()} must name the model's earliest deadline.
 * Deadlines are drawn from a few values on two scales (seconds and the 3,600 s lifetime floor) so
 * that ties are common. A failure shrinks to a short command list ({@code -Dpbt.seed=N} replays).
 */
class PlatformTimerProperties {

    private static final Instant T0 = EngineHarness.T0;
    private static final int DEVICES = 3;
    private static final Duration GAP = Duration.ofSeconds(2);
    private static final String RESPONSE = "iotdm-1/response";
    private static final String REBOOT = "iotdm-1/mgmt/initiate/device/reboot";
    private static final String COMMAND = "iot-2/cmd/c/fmt/json";
    private static final String DORMANT_NOTE = "lifetime expired";

    /** The system under test: an engine with its devices registered and connected, and a clock. */
    static final class Engine {
        final PlatformEngine engine = new PlatformEngine(PlatformConfig.defaults().withRequestGap(GAP));
        final String[] clientIds = new String[DEVICES];
        Instant now = T0;
        int messages;

        Engine() {
            for (int i = 0; i < DEVICES; i++) {
                clientIds[i] = engine.register("org1", "sensor", "d" + i, "token-" + i);
                engine.deviceConnected(now, clientIds[i]);
            }
            engine.pollActions();
        }

        void publish(int device, String topic, String json) {
            engine.devicePublished(now, clientIds[device], topic, json.getBytes(StandardCharsets.UTF_8), 1, false);
        }

        /** What the engine fired, as the model writes it; other actions are not about timers. */
        List<String> fired() {
            List<String> out = new ArrayList<>();
            for (PlatformAction a : engine.pollActions()) {
                if (a instanceof SendToDevice s) {
                    out.add("send " + device(s.clientId()) + " " + s.topic());
                } else if (a instanceof OperationCompleted c) {
                    out.add("done #" + c.token().id() + " " + c.outcome().getClass().getSimpleName());
                } else if (a instanceof Observed o && o.event() instanceof Note n && n.text().startsWith(DORMANT_NOTE)) {
                    out.add("dormant " + device(n.clientId()));
                }
            }
            return out;
        }

        private String device(String clientId) {
            return clientId.substring(clientId.lastIndexOf(':') + 1);
        }
    }

    /** The brute-force model: the engine's timer rules over plain lists, scanned in full every step. */
    static final class Model {
        Instant now = T0;
        final Dev[] devs = new Dev[DEVICES];
        /** Running operations in start order. */
        final Map<Long, Op> ops = new LinkedHashMap<>();
        /** Requests awaiting an answer, keyed like the engine's (so a resend goes out in the same order). */
        final Map<String, Long> pending = new HashMap<>();
        final List<Held> held = new ArrayList<>();
        /** Delay faults not yet used, oldest first: {device, delay seconds}. */
        final List<long[]> delays = new ArrayList<>();
        final List<String> fired = new ArrayList<>();
        long tokenIds;
        long reqIds;
        long heldSeq;

        Model() {
            for (int i = 0; i < DEVICES; i++) {
                devs[i] = new Dev("d" + i);
            }
        }

        /** Every input first fires what is due, in the engine's order: lifetimes, timeouts, held, gaps. */
        void advance(Instant t) {
            if (t.isAfter(now)) {
                now = t;
            }
            for (int i = 0; i < DEVICES; i++) {
                Dev d = devs[i];
                if (d.managed && d.dormantAt != null && !now.isBefore(d.dormantAt)) {
                    d.managed = false;
                    d.dormantAt = null;
                    fired.add("dormant " + d.name);
                    completeAll(i, "DeviceGone");
                }
            }
            for (Op op : List.copyOf(ops.values())) {
                if (!now.isBefore(op.deadline())) {
                    complete(op.id(), "TimedOut");
                }
            }
            held.sort(Comparator.comparing(Held::releaseAt).thenComparingLong(Held::seq));
            while (!held.isEmpty() && !now.isBefore(held.get(0).releaseAt())) {
                Held h = held.remove(0);
                fired.add("send " + h.device() + " " + h.topic());
            }
            for (int i = 0; i < DEVICES; i++) {
                release(i);
            }
        }

        Optional<Instant> nextTimer() {
            List<Instant> all = new ArrayList<>();
            ops.values().forEach(op -> all.add(op.deadline()));
            for (Dev d : devs) {
                if (d.managed && d.dormantAt != null) {
                    all.add(d.dormantAt);
                }
                if (!d.outbox.isEmpty()) {
                    all.add(d.allowedAt);
                }
            }
            held.forEach(h -> all.add(h.releaseAt()));
            return all.stream().min(Comparator.naturalOrder());
        }

        void release(int device) {
            Dev d = devs[device];
            while (!d.outbox.isEmpty() && !now.isBefore(d.allowedAt)) {
                Queued q = d.outbox.removeFirst();
                transmit(device, q.topic());
                if (q.commandToken() != null) {
                    complete(q.commandToken(), "Succeeded");
                }
            }
        }

        void transmit(int device, String topic) {
            for (int i = 0; i < delays.size(); i++) {
                if (delays.get(i)[0] == device) {
                    long seconds = delays.remove(i)[1];
                    held.add(new Held(now.plusSeconds(seconds), heldSeq++, devs[device].name, topic));
                    return;
                }
            }
            fired.add("send " + devs[device].name + " " + topic);
        }

        void complete(long id, String outcome) {
            if (ops.remove(id) != null) {
                pending.values().remove(id);
                fired.add("done #" + id + " " + outcome);
            }
        }

        void completeAll(int device, String outcome) {
            for (Op op : List.copyOf(ops.values())) {
                if (op.device() == device) {
                    complete(op.id(), outcome);
                }
            }
        }

        /** An operation that sends one message through the device's outbox. */
        long start(int device, long timeoutSeconds, boolean command) {
            long id = ++tokenIds;
            Dev d = devs[device];
            if (!command && !d.managed) {
                fired.add("done #" + id + " Refused");
                return id;
            }
            Instant deadline = now.plusSeconds(timeoutSeconds);
            ops.put(id, new Op(id, device, deadline, command));
            if (!command) {
                pending.put(PlatformConfig.defaults().reqIdPrefix() + (++reqIds), id);
                d.sentOn.put(id, d.connections);
            }
            d.outbox.addLast(new Queued(command ? COMMAND : REBOOT, command ? id : null));
            release(device);
            return id;
        }
    }

    static final class Dev {
        final String name;
        boolean managed;
        Instant dormantAt;
        Instant allowedAt = Instant.MIN;
        int connections = 1;
        final Deque<Queued> outbox = new ArrayDeque<>();
        /** Connection count when each request went out, by operation. */
        final Map<Long, Integer> sentOn = new HashMap<>();

        Dev(String name) {
            this.name = name;
        }
    }

    record Op(long id, int device, Instant deadline, boolean command) {
    }

    record Queued(String topic, Long commandToken) {
    }

    record Held(Instant releaseAt, long seq, String device, String topic) {
    }

    // ---- commands ---------------------------------------------------------------------------------

    /** One input to both; afterwards the engine's fired actions and next timer must be the model's. */
    sealed interface Step extends Stateful.Command<Engine, Model>
            permits Tick, TickToNext, Manage, Unmanage, Reboot, SendCommand, Delay, Reconnect {

        void apply(Engine engine, Model model);

        @Override
        default void run(Engine engine, Model model) {
            apply(engine, model);
            assertThat(engine.fired()).as("fired").isEqualTo(model.fired);
            model.fired.clear();
            assertThat(engine.engine.nextTimer()).as("next timer").isEqualTo(model.nextTimer());
        }
    }

    record Tick(long seconds) implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.now = engine.now.plusSeconds(seconds);
            engine.engine.tick(engine.now);
            model.advance(engine.now);
        }
    }

    /** Jumps the clock to the model's next deadline, as the fake platform's timer does. */
    record TickToNext() implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.now = model.nextTimer().orElse(engine.now);
            engine.engine.tick(engine.now);
            model.advance(engine.now);
        }
    }

    record Manage(int device, long lifetime) implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.publish(device, "iotdevice-1/mgmt/manage",
                    "{\"reqId\":\"m" + engine.messages++ + "\",\"d\":{\"lifetime\":" + lifetime + "}}");
            model.advance(engine.now);
            Dev d = model.devs[device];
            d.managed = true;
            d.dormantAt = lifetime > 0 ? model.now.plusSeconds(lifetime) : null;
            model.transmit(device, RESPONSE);
            Instant allowed = model.now.plus(GAP);
            if (allowed.isAfter(d.allowedAt)) {
                d.allowedAt = allowed;
            }
            // Requests sent on an earlier connection go out again (PlatformEngine.resendLostRequests).
            for (Map.Entry<String, Long> p : model.pending.entrySet()) {
                Integer sentOn = d.sentOn.get(p.getValue());
                if (sentOn != null && sentOn < d.connections) {
                    d.sentOn.put(p.getValue(), d.connections);
                    d.outbox.addLast(new Queued(REBOOT, null));
                }
            }
            model.release(device);
        }
    }

    record Unmanage(int device) implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.publish(device, "iotdevice-1/mgmt/unmanage", "{\"reqId\":\"u" + engine.messages++ + "\"}");
            model.advance(engine.now);
            Dev d = model.devs[device];
            // An unmanaged device's unmanage is answered 400 and changes nothing (rejectUnmanaged).
            boolean wasManaged = d.managed;
            d.managed = false;
            d.dormantAt = null;
            model.transmit(device, RESPONSE);
            if (wasManaged) {
                model.completeAll(device, "DeviceGone");
            }
        }
    }

    record Reboot(int device, long timeout) implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.engine.reboot(engine.now, engine.clientIds[device], Duration.ofSeconds(timeout));
            model.advance(engine.now);
            model.start(device, timeout, false);
        }
    }

    record SendCommand(int device, long timeout) implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.engine.command(engine.now, engine.clientIds[device], "c", "json", new byte[] {'1'},
                    Duration.ofSeconds(timeout));
            model.advance(engine.now);
            model.start(device, timeout, true);
        }
    }

    /** The next message to the device is held this long (no input, so no timer fires). */
    record Delay(int device, long seconds) implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.engine.addFault(new PlatformFault.Delay(PlatformFault.Target.device(engine.clientIds[device]),
                    Duration.ofSeconds(seconds), 1));
            model.delays.add(new long[] {device, seconds});
        }
    }

    /** The device's connection ends and a new one starts: its unanswered requests go out again at its manage. */
    record Reconnect(int device) implements Step {
        @Override
        public void apply(Engine engine, Model model) {
            engine.engine.deviceDisconnected(engine.now, engine.clientIds[device]);
            engine.engine.deviceConnected(engine.now, engine.clientIds[device]);
            model.advance(engine.now);
            model.devs[device].connections++;
        }
    }

    private static final Gen<Integer> DEVICE = Gen.integers(0, DEVICES - 1);
    /** Two scales, so short timeouts meet the 3,600 s lifetime floor; repeated values make ties. */
    private static final Gen<Long> SECONDS = Gen.elements(1L, 2L, 3L, 5L, 3600L, 3601L, 3603L);
    private static final Gen<Long> LIFETIME = Gen.elements(0L, 3600L, 3601L, 3602L, 3605L);

    /** Simplest first: shrinking moves toward the first alternatives. */
    private static final Gen<List<Step>> STEPS = Stateful.commands(Gen.frequency(
            Gen.weighted(3, Gen.elements(0L, 1L, 2L, 3L, 3600L).map(Tick::new)),
            Gen.weighted(4, Gen.constant(new TickToNext())),
            Gen.weighted(3, c -> new Manage(DEVICE.generate(c), LIFETIME.generate(c))),
            Gen.weighted(1, DEVICE.map(Unmanage::new)),
            Gen.weighted(3, c -> new Reboot(DEVICE.generate(c), SECONDS.generate(c))),
            Gen.weighted(2, c -> new SendCommand(DEVICE.generate(c), SECONDS.generate(c))),
            Gen.weighted(1, c -> new Delay(DEVICE.generate(c), SECONDS.generate(c))),
            Gen.weighted(1, DEVICE.map(Reconnect::new))), 60);

    @Test
    void the_engine_fires_exactly_the_timers_a_brute_force_scan_finds() {
        Property.forAll(STEPS).tries(300).check(steps -> Stateful.run(steps, Engine::new, Model::new));
    }
}
