package dev.iotdm.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ISO 8601 timestamps kept as text: we write UTC millis with Z and read what old clients sent (§12.21). */
class TimestampTest {

    @Test
    void our_canonical_form_is_utc_with_milliseconds_and_z() {
        assertThat(Timestamp.of(Instant.parse("2018-05-01T10:15:30Z")).text()).isEqualTo("2018-05-01T10:15:30.000Z");
        assertThat(Timestamp.of(Instant.parse("2018-05-01T10:15:30.123456789Z")).text())
                .isEqualTo("2018-05-01T10:15:30.123Z");
        assertThat(Timestamp.of(Instant.EPOCH).text()).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Timestamp.of(Instant.parse("2018-05-01T10:15:30.999Z"))).hasToString("2018-05-01T10:15:30.999Z");
    }

    @Test
    void a_timestamp_with_an_offset_keeps_its_text_and_gives_its_instant() {
        Timestamp t = new Timestamp("2026-11-25T13:08:15.747566+02:00");

        assertThat(t.isZoneless()).isFalse();
        assertThat(t.offsetDateTime()).hasValue(OffsetDateTime.parse("2026-11-25T13:08:15.747566+02:00"));
        assertThat(t.toInstant(ZoneOffset.UTC)).isEqualTo(Instant.parse("2026-11-25T11:08:15.747566Z"));
        assertThat(t.localDateTime()).isEqualTo(LocalDateTime.parse("2026-11-25T13:08:15.747566"));
        assertThat(t.text()).isEqualTo("2026-11-25T13:08:15.747566+02:00");
    }

    @Test
    void the_same_instant_written_differently_is_a_different_timestamp() {
        assertThat(new Timestamp("2018-05-01T10:15:30Z")).isNotEqualTo(new Timestamp("2018-05-01T10:15:30+00:00"));
        assertThat(new Timestamp("2018-05-01T10:15:30Z").toInstant(ZoneOffset.UTC))
                .isEqualTo(new Timestamp("2018-05-01T10:15:30+00:00").toInstant(ZoneOffset.UTC));
    }

    @Test
    void a_zoneless_timestamp_is_local_time_read_in_an_assumed_offset() {
        Timestamp t = new Timestamp("2026-11-25T13:08:16.748536");

        assertThat(t.isZoneless()).isTrue();
        assertThat(t.offsetDateTime()).isEmpty();
        assertThat(t.localDateTime()).isEqualTo(LocalDateTime.parse("2026-11-25T13:08:16.748536"));
        assertThat(t.toInstant(ZoneOffset.ofHours(1))).isEqualTo(Instant.parse("2026-11-25T12:08:16.748536Z"));
    }

    @ParameterizedTest(name = "[{index}] ''{0}''")
    @ValueSource(strings = {
        "", "yesterday", "2018-05-01", "2018-05-01T10", "2018-05-01 10:15:30Z", "2018-13-01T10:15:30Z",
        "2018-02-30T10:15:30Z", "2018-05-01T25:00:00Z", "2018-05-01T10:15:30+0000", "2018-05-01T10:15:30 Z",
        "2018-05-01T10:15:30.1234567890Z", "20180501T101530Z"
    })
    void text_that_is_not_an_iso_8601_date_time_is_refused(String text) {
        assertThat(Timestamp.parseText(text)).isEmpty();
        assertThatThrownBy(() -> new Timestamp(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an ISO 8601 date-time: '" + text + "'");
    }

    @Test
    void over_long_text_is_refused_without_parsing() {
        String text = "2018-05-01T10:15:30" + ".0".repeat(30) + "Z";

        assertThat(Timestamp.parseText(text)).isEmpty();
        assertThat(Timestamp.parseText(null)).isEmpty();
        assertThatThrownBy(() -> new Timestamp(null)).isInstanceOf(NullPointerException.class).hasMessage("text");
    }

    @Test
    void minutes_without_seconds_are_iso_8601_too() {
        assertThat(Timestamp.parseText("2018-05-01T10:15Z")).hasValueSatisfying(
                t -> assertThat(t.toInstant(ZoneOffset.UTC)).isEqualTo(Instant.parse("2018-05-01T10:15:00Z")));
    }
}
