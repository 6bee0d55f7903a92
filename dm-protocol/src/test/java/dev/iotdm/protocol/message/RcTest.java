package dev.iotdm.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Response codes: an open set with named constants for the codes of protocol.md §5.1. */
class RcTest {

    @ParameterizedTest(name = "{0}")
    @EnumSource(KnownRc.class)
    void every_known_code_maps_to_its_shared_constant_both_ways(KnownRc known) {
        Rc rc = known.rc();

        assertThat(rc.code()).isEqualTo(known.code());
        assertThat(Rc.of(known.code())).isSameAs(rc);
        assertThat(rc.known()).hasValue(known);
        assertThat(KnownRc.fromCode(known.code())).hasValue(known);
        assertThat(rc).hasToString(known.code() + " " + known.name());
    }

    @Test
    void the_known_codes_are_exactly_those_of_section_5_1() {
        assertThat(KnownRc.values()).extracting(KnownRc::code).containsExactly(200, 202, 204, 400, 404, 409, 500, 501);
        assertThat(Rc.OK.code()).isEqualTo(200);
        assertThat(Rc.ACCEPTED.code()).isEqualTo(202);
        assertThat(Rc.CHANGED.code()).isEqualTo(204);
        assertThat(Rc.BAD_REQUEST.code()).isEqualTo(400);
        assertThat(Rc.NOT_FOUND.code()).isEqualTo(404);
        assertThat(Rc.CONFLICT.code()).isEqualTo(409);
        assertThat(Rc.INTERNAL_ERROR.code()).isEqualTo(500);
        assertThat(Rc.NOT_IMPLEMENTED.code()).isEqualTo(501);
    }

    @Test
    void an_unknown_code_is_kept_and_equal_to_itself() {
        Rc rc = Rc.of(403);

        assertThat(rc.known()).isEmpty();
        assertThat(KnownRc.fromCode(403)).isEmpty();
        assertThat(rc).isEqualTo(new Rc(403)).hasToString("403");
    }

    @Test
    void only_three_digit_codes_exist() {
        assertThat(new Rc(100).code()).isEqualTo(100);
        assertThat(new Rc(999).code()).isEqualTo(999);
        assertThatThrownBy(() -> Rc.of(99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rc must be a three-digit code, got 99");
        assertThatThrownBy(() -> new Rc(1000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("rc must be a three-digit code, got 1000");
    }

    @Test
    void success_is_2xx() {
        assertThat(Rc.OK.isSuccess()).isTrue();
        assertThat(Rc.CHANGED.isSuccess()).isTrue();
        assertThat(Rc.of(299).isSuccess()).isTrue();
        assertThat(Rc.of(199).isSuccess()).isFalse();
        assertThat(Rc.of(300).isSuccess()).isFalse();
        assertThat(Rc.BAD_REQUEST.isSuccess()).isFalse();
    }
}
