package dev.iotdm.testkit.scenario;

import dev.iotdm.pbt.Gen;
import java.util.List;
import java.util.function.Predicate;

/**
 * Generators of scenarios (dm-pbt): lists of {@link ScenarioStep}s, simplest alternatives first so
 * that shrinking moves toward plain steps. Stateless.
 */
public final class Scenarios {

    private Scenarios() {
    }

    /**
     * Every platform operation of protocol.md §4, §6, §7 and §8 over every scenario field.
     *
     * @return a generator of {@link ScenarioStep.PlatformOp} steps
     */
    public static Gen<ScenarioStep> platformOps() {
        Gen<String> fields = Gen.elements(PlatformOps.FIELDS);
        Gen<Integer> variants = Gen.integers(0, 7);
        return Gen.frequency(
                Gen.weighted(3, c -> new ScenarioStep.DeviceUpdate(fields.generate(c), variants.generate(c))),
                Gen.weighted(3, fields.map(ScenarioStep.Observe::new)),
                Gen.weighted(2, fields.map(ScenarioStep.Cancel::new)),
                Gen.weighted(2, Gen.booleans().map(ScenarioStep.CustomAction::new)),
                Gen.weighted(3, Gen.booleans().map(b -> new ScenarioStep.FirmwareDownload(!b))),
                Gen.weighted(2, Gen.constant(new ScenarioStep.FirmwareUpdate())),
                Gen.weighted(2, Gen.constant(new ScenarioStep.Reboot())),
                Gen.weighted(1, Gen.constant(new ScenarioStep.FactoryReset())));
    }

    /**
     * Every device-side call: location, error codes, log, events, unmanage.
     *
     * @return a generator of {@link ScenarioStep.DeviceCall} steps
     */
    public static Gen<ScenarioStep> deviceCalls() {
        return Gen.oneOf(
                Gen.integers(0, 7).map(ScenarioStep.SetLocation::new),
                Gen.integers(1, 500).map(ScenarioStep.AddErrorCode::new),
                Gen.constant(new ScenarioStep.ClearErrorCodes()),
                Gen.integers(0, 7).map(ScenarioStep.AddLog::new),
                Gen.constant(new ScenarioStep.ClearLog()),
                Gen.integers(0, 1).map(ScenarioStep.SendEvent::new),
                Gen.constant(new ScenarioStep.Unmanage()));
    }

    /**
     * Handler outcome changes.
     *
     * @return a generator of {@link ScenarioStep.SetHandlers} steps over every outcome
     */
    public static Gen<ScenarioStep> handlers() {
        return Gen.elements(HandlerOutcome.values()).map(ScenarioStep.SetHandlers::new);
    }

    /**
     * The faults {@code supported} accepts.
     *
     * @param supported the row's filter, e.g. {@code row::supports}
     * @return the accepted faults, in a fixed order; possibly empty
     */
    public static List<ScenarioStep.Fault> faults(Predicate<ScenarioStep.Fault> supported) {
        return List.<ScenarioStep.Fault>of(new ScenarioStep.DropConnection(), new ScenarioStep.RestartDevice(),
                new ScenarioStep.RestartBroker(), new ScenarioStep.DuplicateDelivery(), new ScenarioStep.Delay(2),
                new ScenarioStep.Delay(10), new ScenarioStep.Stall()).stream().filter(supported).toList();
    }

    /**
     * Scenarios of 1 to {@code maxSteps} steps, about half that on average, drawing faults only from
     * those {@code supported} accepts.
     *
     * @param maxSteps the longest scenario; at least 1
     * @param supported the row's fault filter
     * @return a generator of step lists that shrink toward fewer, plainer steps
     */
    public static Gen<List<ScenarioStep>> scenarios(int maxSteps, Predicate<ScenarioStep.Fault> supported) {
        List<ScenarioStep.Fault> faults = faults(supported);
        Gen<ScenarioStep> step = faults.isEmpty()
                ? Gen.frequency(Gen.weighted(6, platformOps()), Gen.weighted(3, deviceCalls()),
                        Gen.weighted(1, handlers()))
                : Gen.frequency(Gen.weighted(6, platformOps()), Gen.weighted(3, deviceCalls()),
                        Gen.weighted(1, handlers()), Gen.weighted(1, Gen.elements(faults)));
        return Gen.listOf(step, 1, maxSteps, Math.max(1.0, maxSteps / 2.0));
    }
}
