package dev.iotdm.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.iotdm.architecture.Modules.CLI;
import static dev.iotdm.architecture.Modules.CLIENT;
import static dev.iotdm.architecture.Modules.CLIENT_FACADE;
import static dev.iotdm.architecture.Modules.MAIN;
import static dev.iotdm.architecture.Modules.METRICS;
import static dev.iotdm.architecture.Modules.MICROMETER;
import static dev.iotdm.architecture.Modules.NETTY;
import static dev.iotdm.architecture.Modules.PAHO;
import static dev.iotdm.architecture.Modules.PROTOCOL;
import static dev.iotdm.architecture.Modules.PROTOCOL_SESSION;
import static dev.iotdm.architecture.Modules.TCK;
import static dev.iotdm.architecture.Modules.TESTKIT;
import static dev.iotdm.architecture.Modules.TEST_FRAMEWORKS;
import static dev.iotdm.architecture.Modules.TRANSPORTS;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of docs/architecture.md, checked on the main classes: arrows only point down,
 * and dm-testkit stays an oracle independent of the device engine and of every transport.
 */
class ModuleArrowsTest {

    @Test
    void dm_protocol_depends_on_nothing_of_ours_and_only_on_the_jdk_and_jackson_core() {
        classes().that().resideInAPackage(PROTOCOL)
                .should().onlyDependOnClassesThat().resideInAnyPackage(PROTOCOL, "java..", "com.fasterxml.jackson.core..")
                .because("dm-protocol is the pure core; its pom lists jackson-core alone (issue #9 item 1)")
                .check(MAIN);
    }

    @Test
    void dm_client_depends_on_dm_protocol_and_on_no_module_above_it() {
        noClasses().that().resideInAnyPackage(CLIENT)
                .should().dependOnClassesThat().resideInAnyPackage(concat(new String[] {TESTKIT, TCK, CLI, METRICS, MICROMETER}, TRANSPORTS))
                .because("transports, the testkit and the command line build on dm-client, never the other way")
                .check(MAIN);
    }

    @Test
    void dm_testkit_never_uses_the_device_engine() {
        noClasses().that().resideInAPackage(TESTKIT)
                .should().dependOnClassesThat().resideInAPackage(PROTOCOL_SESSION)
                .because("the fake platform is an independent oracle of the device engine (issue #9 item 4)")
                .check(MAIN);
    }

    @Test
    void dm_testkit_uses_only_the_transport_spi_of_dm_client() {
        noClasses().that().resideInAPackage(TESTKIT)
                .should().dependOnClassesThat().resideInAPackage(CLIENT_FACADE)
                .because("InMemoryBroker and ExternalBroker need the SPI (dev.iotdm.transport..), not the client")
                .check(MAIN);
    }

    @Test
    void dm_testkit_depends_on_no_test_framework_no_transport_and_no_module_above_it() {
        noClasses().that().resideInAPackage(TESTKIT)
                .should().dependOnClassesThat().resideInAnyPackage(concat(TEST_FRAMEWORKS, TRANSPORTS, new String[] {TCK, CLI}))
                .because("dm-cli ships dm-testkit, and transports are found through ServiceLoader")
                .check(MAIN);
    }

    @Test
    void transports_depend_on_dm_client_only_never_on_the_testkit() {
        noClasses().that().resideInAnyPackage(PAHO, NETTY)
                .should().dependOnClassesThat().resideInAnyPackage(TESTKIT, TCK, CLI)
                .because("a transport translates between its library and the SPI, nothing else")
                .check(MAIN);
    }

    @Test
    void the_transport_tck_never_names_a_concrete_transport() {
        noClasses().that().resideInAPackage(TCK)
                .should().dependOnClassesThat().resideInAnyPackage(concat(TRANSPORTS, new String[] {CLI}))
                .because("every transport extends the same contract; it supplies itself through newTransport()")
                .check(MAIN);
    }

    @Test
    void dm_cli_never_imports_paho_or_netty() {
        noClasses().that().resideInAPackage(CLI)
                .should().dependOnClassesThat().resideInAnyPackage(TRANSPORTS)
                .because("the command line finds transports by name through ServiceLoader (runtime scope)")
                .check(MAIN);
    }

    @Test
    void dm_metrics_micrometer_depends_on_dm_client_and_micrometer_only() {
        noClasses().that().resideInAPackage(METRICS)
                .should().dependOnClassesThat().resideInAnyPackage(concat(TRANSPORTS, new String[] {TESTKIT, TCK, CLI}))
                .because("the metrics read a client's events and figures; any transport and any application may use them")
                .check(MAIN);
    }

    @Test
    void only_dm_metrics_micrometer_uses_micrometer() {
        noClasses().that().resideOutsideOfPackage(METRICS)
                .should().dependOnClassesThat().resideInAPackage(MICROMETER)
                .because("Micrometer is optional: an application without it never loads it (issue #14)")
                .check(MAIN);
    }

    private static String[] concat(String[]... parts) {
        return Stream.of(parts).flatMap(Arrays::stream).toArray(String[]::new);
    }
}
