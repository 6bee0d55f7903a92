package dev.iotdm.testkit.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.testkit.fault.PublishTally;
import org.junit.jupiter.api.Test;

class ClientPublishesTest {

    @Test
    void what_was_queued_and_not_written_when_the_connection_closed_is_known_lost() {
        ClientPublishes publishes = new ClientPublishes();
        publishes.queued("d:o:t:a");
        publishes.queued("d:o:t:a");
        publishes.written("d:o:t:a", true);
        assertThat(publishes.tally("d:o:t:a").inFlight()).isEqualTo(1);

        publishes.closed("d:o:t:a");

        assertThat(publishes.tally("d:o:t:a")).isEqualTo(new PublishTally("broker to d:o:t:a", 2, 1, 1));
        assertThat(publishes.tally("d:o:t:a").settled()).isTrue();
    }

    @Test
    void a_broker_stop_loses_every_clients_unwritten_publishes() {
        ClientPublishes publishes = new ClientPublishes();
        publishes.queued("d:o:t:a");
        publishes.queued("d:o:t:b");
        publishes.written("d:o:t:b", true);

        publishes.closedAll();

        assertThat(publishes.tally("d:o:t:a")).isEqualTo(new PublishTally("broker to d:o:t:a", 1, 0, 1));
        assertThat(publishes.tally("d:o:t:b")).isEqualTo(new PublishTally("broker to d:o:t:b", 1, 1, 0));
    }

    @Test
    void a_qos_1_publish_is_acknowledged_or_lost_with_its_connection() {
        ClientPublishes publishes = new ClientPublishes();
        publishes.queued("d:o:t:a");
        publishes.queued("d:o:t:a");
        publishes.queued("d:o:t:a");
        publishes.written("d:o:t:a", true);
        publishes.written("d:o:t:a", true);
        publishes.written("d:o:t:a", false);
        publishes.acknowledged("d:o:t:a");
        assertThat(publishes.acknowledgements("d:o:t:a")).isEqualTo(new PublishTally("acks from d:o:t:a", 2, 1, 0));
        assertThat(publishes.acknowledgements("d:o:t:a").settled()).isFalse();

        publishes.closed("d:o:t:a");
        publishes.queued("d:o:t:a");
        publishes.written("d:o:t:a", true);

        // The one lost with the first connection stays lost; the new connection's publish is in flight.
        assertThat(publishes.acknowledgements("d:o:t:a")).isEqualTo(new PublishTally("acks from d:o:t:a", 3, 1, 1));
        publishes.acknowledged("d:o:t:a");
        assertThat(publishes.acknowledgements("d:o:t:a").settled()).isTrue();
    }
}
