package dev.iotdm.testkit.platform;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A misbehaviour the fake platform can be told to show, to test a device's resilience. Each fault
 * applies to the messages its {@link Target} matches, at most {@code times} times
 * ({@link #UNLIMITED} for always), and then retires. Faults combine: one outgoing message may be
 * dropped, or else duplicated and delayed, when several faults match it.
 *
 * <p>Thread-safety: every fault is immutable.
 */
public sealed interface PlatformFault permits PlatformFault.Delay, PlatformFault.Duplicate, PlatformFault.Drop,
        PlatformFault.NeverAnswer, PlatformFault.AnswerConflict {

    /** No limit on how often a fault applies. */
    int UNLIMITED = Integer.MAX_VALUE;

    /**
     * Which messages the fault applies to.
     *
     * @return the device and topic it matches
     */
    Target target();

    /**
     * How many matching messages the fault affects.
     *
     * @return at least 1; {@link #UNLIMITED} for every one
     */
    int times();

    /**
     * Which messages a fault applies to: those to or from one device (or any), on one topic (or any).
     * For outgoing faults the topic is the platform's topic (e.g. {@code iotdm-1/response}); for
     * answer faults it is the device's request topic (e.g. {@code iotdevice-1/mgmt/manage}).
     *
     * @param clientId the device, or empty for every device
     * @param topic the exact topic, or empty for every topic
     */
    record Target(Optional<String> clientId, Optional<String> topic) {
        /**
         * Requires non-null optionals.
         *
         * @param clientId the device, or empty; not {@code null}
         * @param topic the exact topic, or empty; not {@code null}
         */
        public Target {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(topic, "topic");
        }

        /**
         * Every message of every device.
         *
         * @return a target matching everything
         */
        public static Target anyDevice() {
            return new Target(Optional.empty(), Optional.empty());
        }

        /**
         * Every message of one device.
         *
         * @param clientId the device's MQTT client id; not {@code null}
         * @return a target on every topic of that device
         */
        public static Target device(String clientId) {
            return new Target(Optional.of(Objects.requireNonNull(clientId, "clientId")), Optional.empty());
        }

        /**
         * This target restricted to one topic.
         *
         * @param exactTopic the topic, compared exactly (no wildcards); not {@code null}
         * @return a copy with that topic, replacing any topic set before
         */
        public Target onTopic(String exactTopic) {
            return new Target(clientId, Optional.of(Objects.requireNonNull(exactTopic, "topic")));
        }

        /**
         * Whether a message of {@code client} on {@code messageTopic} matches.
         *
         * @param client the message's device
         * @param messageTopic the message's topic
         * @return {@code true} if both the device and the topic match (an empty part matches all)
         */
        public boolean matches(String client, String messageTopic) {
            return clientId.map(client::equals).orElse(true) && topic.map(messageTopic::equals).orElse(true);
        }
    }

    /**
     * Holds the platform's outgoing messages for {@code delay} of engine time before sending them.
     *
     * @param target which outgoing messages
     * @param delay how long to hold each
     * @param times how many messages
     */
    record Delay(Target target, Duration delay, int times) implements PlatformFault {
        /**
         * Validates.
         *
         * @param target which outgoing messages; not {@code null}
         * @param delay positive engine time
         * @param times at least 1
         * @throws IllegalArgumentException if {@code delay} is not positive or {@code times} below 1
         */
        public Delay {
            Objects.requireNonNull(target, "target");
            PlatformConfig.requirePositive("delay", delay);
            requireTimes(times);
        }
    }

    /**
     * Sends each matching outgoing message twice (a duplicate delivery, which QoS 1 allows).
     *
     * @param target which outgoing messages
     * @param times how many messages
     */
    record Duplicate(Target target, int times) implements PlatformFault {
        /**
         * Validates.
         *
         * @param target which outgoing messages; not {@code null}
         * @param times at least 1
         * @throws IllegalArgumentException if {@code times} is below 1
         */
        public Duplicate {
            Objects.requireNonNull(target, "target");
            requireTimes(times);
        }
    }

    /**
     * Never sends matching outgoing messages (a lost message).
     *
     * @param target which outgoing messages
     * @param times how many messages
     */
    record Drop(Target target, int times) implements PlatformFault {
        /**
         * Validates.
         *
         * @param target which outgoing messages; not {@code null}
         * @param times at least 1
         * @throws IllegalArgumentException if {@code times} is below 1
         */
        public Drop {
            Objects.requireNonNull(target, "target");
            requireTimes(times);
        }
    }

    /**
     * Applies matching device requests but never answers them on {@code iotdm-1/response}.
     *
     * @param target which device requests
     * @param times how many requests
     */
    record NeverAnswer(Target target, int times) implements PlatformFault {
        /**
         * Validates.
         *
         * @param target which device requests; not {@code null}
         * @param times at least 1
         * @throws IllegalArgumentException if {@code times} is below 1
         */
        public NeverAnswer {
            Objects.requireNonNull(target, "target");
            requireTimes(times);
        }
    }

    /**
     * Answers matching device requests with 409 (conflict, retry later; protocol.md §3) without
     * applying them. The only way the fake platform ever answers 409.
     *
     * @param target which device requests
     * @param times how many requests
     */
    record AnswerConflict(Target target, int times) implements PlatformFault {
        /**
         * Validates.
         *
         * @param target which device requests; not {@code null}
         * @param times at least 1
         * @throws IllegalArgumentException if {@code times} is below 1
         */
        public AnswerConflict {
            Objects.requireNonNull(target, "target");
            requireTimes(times);
        }
    }

    private static void requireTimes(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1 (or UNLIMITED), was " + times);
        }
    }
}
