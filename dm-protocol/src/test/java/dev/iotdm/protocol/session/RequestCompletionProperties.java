package dev.iotdm.protocol.session;

import static dev.iotdm.protocol.testing.ProtocolAssertions.assertThat;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.message.DeviceRequest;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.pbt.Gen;
import dev.iotdm.pbt.Property;
import dev.iotdm.pbt.Stateful;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * For any interleaving of device requests, manage/unmanage, events, platform answers with the
 * right, a wrong or no reqId, acknowledgements, publish failures, lost connections, refused
 * subscriptions, close and time: every token completes exactly once (the harness fails at once
 * on a second completion), and nothing is left pending: after the connection is lost and every
 * deadline has passed, no timer remains and every request token has completed; after close,
 * every token has completed and no timer remains.
 */
class RequestCompletionProperties {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The tokens handed out so far, and whether each is an event (which may wait for a connection). */
    static final class Tokens {
        final Set<Long> requests = new LinkedHashSet<>();
        final Set<Long> events = new LinkedHashSet<>();
        boolean closed;
    }

    interface Op extends Stateful.Command<SessionHarness, Tokens> {
    }

    /** An application call; after close it must throw {@link SessionClosedException}. */
    record Call(String what) implements Op {
        @Override
        public void run(SessionHarness h, Tokens t) {
            if (t.closed) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> call(h)))
                        .isInstanceOf(SessionClosedException.class);
                return;
            }
            long token = call(h);
            (what.startsWith("event") ? t.events : t.requests).add(token);
        }

        private long call(SessionHarness h) {
            return switch (what) {
                case "addErrorCode" -> h.addErrorCode(1);
                case "clearLog" -> h.clearLog();
                case "location" -> h.updateLocation(Location.of(1, 2));
                case "manage" -> h.manage(ManageParams.of(0, true, false));
                case "manageWithLifetime" -> h.manage(ManageParams.of(3600, false, false));
                case "unmanage" -> h.unmanage();
                case "event0" -> h.publishEvent(Event.json("e", JsonObject.EMPTY), 0);
                default -> h.publishEvent(Event.json("e", JsonObject.EMPTY), 1);
            };
        }
    }

    /** The platform answers the n-th device request published so far (maybe again, maybe late). */
    record Answer(int index, int rc) implements Op {
        @Override
        public boolean precondition(Tokens t) {
            return !t.closed;
        }

        @Override
        public void run(SessionHarness h, Tokens t) {
            List<String> reqIds = new ArrayList<>();
            h.published().forEach(s -> {
                if (s.message() instanceof DeviceRequest r && !(r instanceof Notify)) {
                    reqIds.add(r.requestId().orElseThrow());
                }
            });
            if (h.isConnected() && !reqIds.isEmpty()) {
                h.platform().respond(reqIds.get(Math.max(0, reqIds.size() - 1 - index % reqIds.size())), Rc.of(rc));
            }
        }
    }

    /** An answer with an unknown reqId, or none at all. */
    record StrayAnswer(boolean withReqId) implements Op {
        @Override
        public void run(SessionHarness h, Tokens t) {
            if (!h.isConnected() || t.closed) {
                return;
            }
            if (withReqId) {
                h.platform().respond("stray", Rc.OK);
            } else {
                h.platform().sendRaw("iotdm-1/response", "{\"rc\":200}");
            }
        }
    }

    /** Acknowledges (or fails) the n-th publish waiting for it. */
    record Ack(int index, boolean fail) implements Op {
        @Override
        public void run(SessionHarness h, Tokens t) {
            List<Sent> waiting = h.unacked();
            if (waiting.isEmpty() || t.closed) {
                return;
            }
            Sent s = waiting.get(index % waiting.size());
            if (fail) {
                h.failPublish(s, PublishFailure.REFUSED_BY_BROKER);
            } else {
                h.ack(s);
            }
        }
    }

    /** 0 lose, 1 connect clean, 2 connect with the session kept, 3 connect with iotdm-1/# refused. */
    record Link(int kind) implements Op {
        @Override
        public void run(SessionHarness h, Tokens t) {
            if (kind == 0 && h.isConnected()) {
                h.loseConnection();
            } else if (kind == 3 && !h.isConnected()) {
                h.beginConnect(false).answerSubscription(false, true);
            } else if (kind > 0 && !h.isConnected()) {
                h.connect(kind == 2);
            }
        }
    }

    record Jump(int seconds) implements Op {
        @Override
        public void run(SessionHarness h, Tokens t) {
            h.advanceSeconds(seconds);
        }
    }

    record Close() implements Op {
        @Override
        public void run(SessionHarness h, Tokens t) {
            h.close();
            t.closed = true;
        }
    }

    /** Appended to every run: the end-of-run checks. */
    record Finish() implements Op {
        @Override
        public void run(SessionHarness h, Tokens t) {
            if (!t.closed) {
                // Requests waiting for a connection (offline policy) go out after the next
                // connect and its manage, then time out or are answered.
                if (!h.isConnected()) {
                    h.connect(false);
                }
                h.advance(TIMEOUT.plusSeconds(1));
                h.loseConnection();
                h.advance(TIMEOUT.plusSeconds(1));
                assertThat(h.session().nextTimer()).as("timers once offline and past every deadline").isEmpty();
                assertThat(h.outcomes().keySet()).as("completed request tokens").containsAll(t.requests);
                h.close();
            }
            assertThat(h.outcomes().keySet()).as("completed tokens after close")
                    .containsAll(t.requests).containsAll(t.events);
            assertThat(h.session().nextTimer()).as("timers after close").isEmpty();
        }
    }

    static Gen<Op> ops() {
        return Gen.frequency(
                Gen.weighted(2, Gen.elements(0, 1, 10, 29, 30, 31, 300, 3600).map(Jump::new)),
                Gen.weighted(6, Gen.elements("addErrorCode", "clearLog", "location", "manage", "manageWithLifetime",
                        "unmanage", "event0", "event1").map(Call::new)),
                // recent requests are answered most: the index counts back from the newest
                Gen.weighted(6, Gen.integers(0, 9).flatMap(i -> Gen.elements(200, 500, 400).map(rc -> new Answer(i, rc)))),
                Gen.weighted(1, Gen.booleans().map(StrayAnswer::new)),
                Gen.weighted(4, Gen.integers(0, 9).flatMap(i -> Gen.booleans().map(f -> new Ack(i, f)))),
                Gen.weighted(6, Gen.integers(0, 3).map(Link::new)),
                Gen.weighted(1, Gen.constant(new Close())));
    }

    @Test
    void every_token_completes_exactly_once_and_nothing_stays_pending() {
        Gen<List<Op>> runs = Stateful.commands(ops(), 50).map(ops -> {
            List<Op> all = new ArrayList<>(ops);
            all.add(new Finish());
            return all;
        });
        Property.forAll(runs).tries(300).check(ops -> Stateful.run(ops,
                () -> SessionHarness.builder().acks(SessionHarness.Acks.MANUAL)
                        .configure(c -> c.requestTimeout(TIMEOUT).offlineEventLimit(3)
                                .manageRetry(Duration.ofSeconds(5), Duration.ofSeconds(40)))
                        .build(),
                Tokens::new));
    }
}
