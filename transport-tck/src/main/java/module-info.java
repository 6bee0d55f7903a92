/**
 * The transport TCK: abstract JUnit 5 classes a transport's tests extend to prove the SPI's
 * promises and every device-management flow through {@code ManagedClient} on that transport.
 *
 * <p>dm-testkit is an automatic module (HiveMQ CE's tree cannot resolve on the module path, see
 * docs/architecture.md), hence {@code requires transitive} on an automatic module here.
 */
module dev.iotdm.transport.tck {
    requires transitive dev.iotdm.client;
    requires transitive dev.iotdm.testkit;
    requires transitive org.junit.jupiter.api;
    requires transitive org.assertj.core;

    exports dev.iotdm.transport.tck;
    // JUnit instantiates the contract's subclasses and calls its test methods reflectively.
    opens dev.iotdm.transport.tck to org.junit.platform.commons;
}
