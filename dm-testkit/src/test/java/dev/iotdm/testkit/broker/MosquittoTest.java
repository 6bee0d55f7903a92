package dev.iotdm.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The mosquitto fixture starts a real broker on a free loopback port and stops it. */
class MosquittoTest {

    @Test
    void a_started_broker_accepts_connections_until_closed() throws Exception {
        assumeTrue(Mosquitto.installedOrFailOnCi(), "mosquitto is not installed");
        int port;
        try (Mosquitto mosquitto = Mosquitto.start(Duration.ofSeconds(20))) {
            port = mosquitto.port();
            assertThat(mosquitto.host()).isEqualTo("127.0.0.1");
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(mosquitto.host(), port), 5000);
                assertThat(s.isConnected()).isTrue();
            }
        }
        assertThat(refused(port)).as("nothing listens on %d after close", port).isTrue();
    }

    private static boolean refused(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
