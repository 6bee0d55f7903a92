package dev.iotdm.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static dev.iotdm.architecture.Modules.MAIN;

import org.junit.jupiter.api.Test;

/** No two packages of the main code depend on each other, in any module (one slice per package). */
class PackageCyclesTest {

    @Test
    void no_package_cycles() {
        slices().matching("dev.iotdm.(**)")
                .should().beFreeOfCycles()
                .because("a cycle makes two packages one unit that cannot be exported or split apart")
                .check(MAIN);
    }
}
