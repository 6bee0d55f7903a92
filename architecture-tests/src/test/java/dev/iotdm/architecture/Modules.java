package dev.iotdm.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * Where each module's main classes live, as ArchUnit package patterns, and the one import of every
 * module's main classes that all rules read.
 *
 * <p>Modules are told apart by package because the packages are the module map
 * (docs/architecture.md): {@code dev.iotdm.transport} (exactly) and {@code dev.iotdm.transport.tls}
 * belong to dm-client, while {@code dev.iotdm.transport.paho..} and {@code dev.iotdm.transport.tck..}
 * are modules of their own.
 */
final class Modules {

    static final String PROTOCOL = "dev.iotdm.protocol..";
    static final String PROTOCOL_SESSION = "dev.iotdm.protocol.session..";
    static final String[] CLIENT = {"dev.iotdm.client..", "dev.iotdm.transport", "dev.iotdm.transport.tls.."};
    static final String CLIENT_FACADE = "dev.iotdm.client..";
    static final String TESTKIT = "dev.iotdm.testkit..";
    static final String PAHO = "dev.iotdm.transport.paho..";
    static final String TCK = "dev.iotdm.transport.tck..";
    /** transport-netty (planned; its classes join the import once architecture-tests depends on it). */
    static final String NETTY = "dev.iotdm.transport.netty..";
    static final String CLI = "dev.iotdm.cli..";
    /** dm-metrics-micrometer, and the library it binds to. */
    static final String METRICS = "dev.iotdm.metrics..";
    static final String MICROMETER = "io.micrometer..";
    /** Every concrete transport module, today's and planned, plus the libraries they wrap. */
    static final String[] TRANSPORTS = {
        PAHO, NETTY, "org.eclipse.paho..", "io.netty..", "com.hivemq.client.."
    };
    static final String[] TEST_FRAMEWORKS = {"org.junit..", "org.assertj..", "org.opentest4j..", "org.mockito.."};

    /**
     * The main classes of every module (the test class path of this module holds the main jars
     * only; {@link ImportOption.DoNotIncludeTests} keeps this module's own tests out).
     */
    static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.iotdm");

    private Modules() {
    }
}
