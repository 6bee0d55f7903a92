package dev.iotdm.transport.paho.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PahoLoggingTest {

    @Test
    void the_password_field_of_a_connect_trace_is_blanked_whatever_it_holds() {
        String line = "MqttConnect [clientId=d:o:t:d, userName=use-token-auth, password=[1, 2, 3], keepAliveInterval=60]";

        assertThat(PahoLogging.redact(line))
                .isEqualTo("MqttConnect [clientId=d:o:t:d, userName=use-token-auth, password=[***], keepAliveInterval=60]");
    }

    @Test
    void a_registered_token_is_blanked_as_text_and_as_its_decimal_byte_list() {
        Object owner = new Object();
        byte[] token = "tok-Zq8".getBytes(StandardCharsets.UTF_8);
        PahoLogging.secret(owner, token);

        assertThat(PahoLogging.redact("sent tok-Zq8 as 116, 111, 107, 45, 90, 113, 56 or 116,111,107,45,90,113,56"))
                .isEqualTo("sent *** as *** or ***");
        Reference.reachabilityFence(owner); // the registry forgets a token whose owner is gone
    }

    @Test
    void a_line_without_secrets_is_left_alone() {
        assertThat(PahoLogging.redact("connected to 127.0.0.1:1883 [1, 2]")).isEqualTo("connected to 127.0.0.1:1883 [1, 2]");
    }
}
