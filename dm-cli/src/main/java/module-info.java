/**
 * The iotdm command line: {@code demo} (broker, fake platform and a managed device over a real
 * socket) and {@code platform} (the fake platform as a server for devices in any language).
 *
 * <p>Transports are found by name through {@code ServiceLoader}; no transport is required here.
 * dm-testkit is an automatic module (HiveMQ CE's tree cannot resolve on the module path, see
 * docs/architecture.md), so the distribution runs on the class path ({@code java -jar}).
 */
module dev.iotdm.cli {
    requires dev.iotdm.client;
    requires dev.iotdm.testkit;
    requires info.picocli;
    requires java.logging;
    requires java.management;
    requires jdk.httpserver;

    // picocli reads the annotated command classes reflectively.
    opens dev.iotdm.cli to info.picocli;

    uses dev.iotdm.transport.MqttTransportProvider;
}
