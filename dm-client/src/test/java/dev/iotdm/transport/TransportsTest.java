package dev.iotdm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider discovery. The test class path registers two providers (fake-a, fake-b) in
 * META-INF/services; other situations are staged with a context class loader.
 */
class TransportsTest {

    private static final String SERVICE_FILE = "META-INF/services/" + MqttTransportProvider.class.getName();

    @Test
    void available_lists_the_registered_providers_sorted() {
        assertThat(Transports.available()).containsExactly("fake-a", "fake-b");
    }

    @Test
    void load_by_name_creates_a_disconnected_transport_of_that_provider() {
        try (MqttTransport t = Transports.load("fake-b")) {
            assertThat(t).isInstanceOfSatisfying(FakeTransport.class, f -> assertThat(f.providerName).isEqualTo("fake-b"));
            assertThat(t.isConnected()).isFalse();
        }
    }

    @Test
    void each_load_creates_a_new_transport() {
        try (MqttTransport a = Transports.load("fake-a"); MqttTransport b = Transports.load("fake-a")) {
            assertThat(a).isNotSameAs(b);
        }
    }

    @Test
    void an_unknown_name_is_refused_listing_the_known_ones() {
        assertThatThrownBy(() -> Transports.load("netty")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown MQTT transport 'netty'; available: fake-a, fake-b");
    }

    @Test
    void load_default_with_several_providers_asks_to_choose_one() {
        assertThatThrownBy(Transports::loadDefault).isInstanceOf(IllegalStateException.class)
                .hasMessage("several MQTT transports found (fake-a, fake-b) and none chosen:"
                        + " choose one with Transports.load(name)");
    }

    @Test
    void without_any_provider_the_error_says_to_add_a_transport_module() throws Exception {
        ClassLoader none = new HidingServicesLoader(getClass().getClassLoader());
        withContextLoader(none, () -> {
            assertThat(Transports.available()).isEmpty();
            assertThatThrownBy(Transports::loadDefault).isInstanceOf(IllegalStateException.class)
                    .hasMessage("no MQTT transport found: put a transport module (e.g. transport-paho or"
                            + " transport-netty) on the class path or module path");
            assertThatThrownBy(() -> Transports.load("fake-a")).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("no MQTT transport found");
            return null;
        });
    }

    @Test
    void load_default_with_exactly_one_provider_uses_it(@TempDir Path dir) throws Exception {
        Path services = dir.resolve(SERVICE_FILE);
        Files.createDirectories(services.getParent());
        Files.writeString(services, FakeTransport.ProviderA.class.getName() + "\n");
        try (URLClassLoader one = new URLClassLoader(new URL[] {dir.toUri().toURL()},
                new HidingServicesLoader(getClass().getClassLoader()))) {
            withContextLoader(one, () -> {
                assertThat(Transports.available()).containsExactly("fake-a");
                try (MqttTransport t = Transports.loadDefault()) {
                    assertThat(((FakeTransport) t).providerName).isEqualTo("fake-a");
                }
                return null;
            });
        }
    }

    @Test
    void two_providers_with_the_same_name_are_an_error(@TempDir Path dir) throws Exception {
        Path services = dir.resolve(SERVICE_FILE);
        Files.createDirectories(services.getParent());
        Files.writeString(services, SameNameAsA.class.getName() + "\n");
        try (URLClassLoader extra = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
            withContextLoader(extra, () -> {
                assertThatThrownBy(Transports::available).isInstanceOf(IllegalStateException.class)
                        .hasMessage("two MQTT transport providers are named 'fake-a': "
                                + FakeTransport.ProviderA.class.getName() + " and " + SameNameAsA.class.getName());
                return null;
            });
        }
    }

    @Test
    void a_blank_name_is_refused() {
        assertThatThrownBy(() -> Transports.load(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport name must not be empty");
    }

    /** A second provider claiming fake-a's name. */
    public static final class SameNameAsA implements MqttTransportProvider {
        @Override
        public String name() {
            return "fake-a";
        }

        @Override
        public MqttTransport create() {
            return new FakeTransport(name(), 0);
        }
    }

    private static <T> T withContextLoader(ClassLoader loader, Callable<T> body) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return body.call();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Delegates everything but hides the provider registrations of the test class path. */
    private static final class HidingServicesLoader extends ClassLoader {
        HidingServicesLoader(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            return name.equals(SERVICE_FILE) ? Collections.emptyEnumeration() : super.getResources(name);
        }
    }
}
