package dev.iotdm.conformance;

import dev.iotdm.testkit.scenario.ScenarioRow;
import dev.iotdm.testkit.scenario.ScenarioStep;
import dev.iotdm.testkit.scenario.ScenarioWorld;

/**
 * The in-memory row: device engine and platform engine on a virtual clock. Faults: drops, device
 * restarts, a duplicated request and a slow link, all in virtual time; no broker to restart and
 * no socket to stall.
 */
final class InMemoryRow implements ScenarioRow {

    @Override
    public String name() {
        return "in-memory";
    }

    @Override
    public ScenarioWorld newWorld() {
        return new VirtualWorld();
    }

    @Override
    public boolean supports(ScenarioStep.Fault fault) {
        return fault instanceof ScenarioStep.DropConnection || fault instanceof ScenarioStep.RestartDevice
                || fault instanceof ScenarioStep.DuplicateDelivery || fault instanceof ScenarioStep.Delay;
    }
}
