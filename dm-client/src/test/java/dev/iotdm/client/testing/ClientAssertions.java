package dev.iotdm.client.testing;

import dev.iotdm.client.testing.FakeTransport.Published;
import dev.iotdm.protocol.testing.ProtocolAssertions;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;

/**
 * The one AssertJ entry point of dm-client's tests: everything of {@link ProtocolAssertions} plus
 * assertions on what the device published through the {@link FakeTransport}.
 *
 * <p>Thread-safety: stateless.
 */
public class ClientAssertions extends ProtocolAssertions {

    /** Not for instances; extended only to inherit the static entry points. */
    protected ClientAssertions() {
    }

    /** Assertions on one publish the device made. */
    public static PublishedAssert assertThat(Published actual) {
        return new PublishedAssert(actual);
    }

    /** Assertions on a {@link Published}; failure messages show the whole publish. */
    public static final class PublishedAssert extends AbstractAssert<PublishedAssert, Published> {

        PublishedAssert(Published actual) {
            super(actual, PublishedAssert.class);
        }

        /** The publish went to this topic. */
        public PublishedAssert hasTopic(String topic) {
            isNotNull();
            if (!actual.topic().equals(topic)) {
                failWithMessage("expected a publish on <%s> but got %s", topic, actual);
            }
            return this;
        }

        /** The payload's {@code rc} is this number (protocol.md §12.1: always a JSON number). */
        public PublishedAssert hasRc(int rc) {
            return hasJson("rc", Integer.toString(rc));
        }

        /** The value at the dotted path is this JSON text ({@code 2}, {@code true}, {@code "x"}). */
        public PublishedAssert hasJson(String path, String json) {
            isNotNull();
            Optional<String> value = actual.find(path);
            if (value.isEmpty()) {
                failWithMessage("expected %s = %s but there is no %s in %s", path, json, path, actual);
            } else if (!value.get().equals(json)) {
                failWithMessage("expected %s = %s but was %s in %s", path, json, value.get(), actual);
            }
            return this;
        }

        /** The string at the dotted path is this text. */
        public PublishedAssert hasString(String path, String text) {
            isNotNull();
            String value;
            try {
                value = actual.string(path);
            } catch (AssertionError e) {
                failWithMessage("expected %s = \"%s\" but: %s", path, text, e.getMessage());
                return this;
            }
            if (!value.equals(text)) {
                failWithMessage("expected %s = \"%s\" but was \"%s\" in %s", path, text, value, actual);
            }
            return this;
        }

        /** Nothing is at the dotted path. */
        public PublishedAssert hasNo(String path) {
            isNotNull();
            actual.find(path).ifPresent(v -> failWithMessage("expected no %s but found %s in %s", path, v, actual));
            return this;
        }
    }
}
