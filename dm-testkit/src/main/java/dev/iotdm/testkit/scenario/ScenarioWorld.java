package dev.iotdm.testkit.scenario;

import dev.iotdm.testkit.fault.PublishTally;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.transcript.Transcript;
import java.util.List;
import java.util.Optional;

/**
 * One fresh setting for one scenario: the platform, the broker or pairing between, and the
 * {@link DeviceUnderTest}. A transport row of the suite ({@link ScenarioRow}) is a factory of worlds; each scenario (and
 * each replay while shrinking) gets its own world, so runs do not leak into each other.
 *
 * <p>Called from the scenario's thread only.
 */
public interface ScenarioWorld extends AutoCloseable {

    /**
     * The device the scenario drives.
     *
     * @return the same device on every call
     */
    DeviceUnderTest device();

    /**
     * The platform starts an operation on the device.
     *
     * @param op the step
     * @return the started operation, whose outcome {@link #settle} waits for
     */
    Pending start(ScenarioStep.PlatformOp op);

    /**
     * Injects a fault its row {@link ScenarioRow#supports supports}; the world also brings the device back (reconnects it), as its
     * supervisor would.
     *
     * @param fault a fault the row supports
     * @throws IllegalArgumentException if the row does not support it
     */
    void inject(ScenarioStep.Fault fault);

    /**
     * Ends the step: returns when every one of {@code started} has an outcome and every publish
     * either side made is delivered or known lost. Never waits on an idle period: a virtual world
     * moves its clock from timer to timer, a socket world waits on the outcomes and on the
     * {@link #publishTallies() publish counters} of the device's transport, the broker and the
     * fault proxy, with a generous deadline.
     *
     * @param started what the step started
     * @throws ScenarioException when the deadline passes first, naming what is still open
     */
    void settle(List<Pending> started);

    /**
     * The publish counters of every leg between device and platform that counts (the device's
     * transport, the broker's queue for the device, the fault proxy's directions): after
     * {@link #settle} each must be {@link PublishTally#settled() settled}, which the runner checks.
     * None by default (the in-memory pairing settles on its empty link instead).
     *
     * @return the counters as of now
     */
    default List<PublishTally> publishTallies() {
        return List.of();
    }

    /**
     * The platform's record of the device.
     *
     * @return a snapshot; empty when the world has no record of it
     */
    Optional<DeviceView> platformRecord();

    /**
     * The rule checker's report on everything the platform saw so far.
     *
     * @return a snapshot
     */
    CheckReport rules();

    /**
     * Everything between device and platform so far (connections and messages), in order.
     *
     * @return the world's transcript
     */
    Transcript transcript();

    /** Releases the world's resources (brokers, sockets, threads). */
    @Override
    void close();
}
