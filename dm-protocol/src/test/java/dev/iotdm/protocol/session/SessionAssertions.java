package dev.iotdm.protocol.session;

import dev.iotdm.protocol.codec.ResponseViews;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/**
 * Domain assertions for device responses, notifies and request outcomes, e.g.
 * {@code assertThat(h.takeResponse()).hasRc(202).hasReqId(reqId)}, reached through the module's one
 * entry point, {@code dev.iotdm.protocol.testing.ProtocolAssertions}.
 *
 * <p>Thread-safety: stateless.
 */
public final class SessionAssertions {

    private SessionAssertions() {
    }

    /** Assertions on a device response. */
    public static DeviceResponseAssert assertThat(DeviceResponse actual) {
        return new DeviceResponseAssert(actual);
    }

    /** Assertions on a notify. */
    public static NotifyAssert assertThat(Notify actual) {
        return new NotifyAssert(actual);
    }

    /** Assertions on a request outcome. */
    public static OutcomeAssert assertThat(RequestOutcome actual) {
        return new OutcomeAssert(actual);
    }

    /** Assertions on a device response ({@code iotdevice-1/response}). */
    public static final class DeviceResponseAssert extends AbstractAssert<DeviceResponseAssert, DeviceResponse> {

        DeviceResponseAssert(DeviceResponse actual) {
            super(actual, DeviceResponseAssert.class);
        }

        /** The rc is {@code code}. */
        public DeviceResponseAssert hasRc(int code) {
            isNotNull();
            if (actual.rc().code() != code) {
                failWithMessage("expected rc %s but was %s in %s", code, actual.rc().code(), actual);
            }
            return this;
        }

        /** The rc is {@code rc}. */
        public DeviceResponseAssert hasRc(Rc rc) {
            return hasRc(rc.code());
        }

        /** The reqId is {@code reqId}. */
        public DeviceResponseAssert hasReqId(String reqId) {
            isNotNull();
            if (!actual.reqId().equals(Optional.of(reqId))) {
                failWithMessage("expected reqId %s but was %s in %s", reqId, actual.reqId(), actual);
            }
            return this;
        }

        /** The message contains {@code text}. */
        public DeviceResponseAssert hasMessageContaining(String text) {
            isNotNull();
            if (actual.message().isEmpty() || !actual.message().get().contains(text)) {
                failWithMessage("expected a message containing '%s' in %s", text, actual);
            }
            return this;
        }

        /** The response carries no {@code d}. */
        public DeviceResponseAssert hasNoData() {
            isNotNull();
            if (actual.d().isPresent()) {
                failWithMessage("expected no d in %s", actual);
            }
            return this;
        }

        /** {@code d.fields} names exactly these failed fields (device/update or observe failure). */
        public DeviceResponseAssert hasFailedFields(String... names) {
            isNotNull();
            List<String> got = ResponseViews.failedFieldNames(actual);
            if (!got.equals(List.of(names))) {
                failWithMessage("expected failed fields %s but were %s in %s", List.of(names), got, actual);
            }
            return this;
        }

        /** {@code d.fields} of a 200 observe answer holds exactly these values. */
        public DeviceResponseAssert hasObservedValues(FieldValue... values) {
            isNotNull();
            List<FieldValue> got = ResponseViews.observedValues(actual);
            if (!got.equals(List.of(values))) {
                failWithMessage("expected observed values %s but were %s", List.of(values), got);
            }
            return this;
        }
    }

    /** Assertions on a notify ({@code iotdevice-1/notify}). */
    public static final class NotifyAssert extends AbstractAssert<NotifyAssert, Notify> {

        NotifyAssert(Notify actual) {
            super(actual, NotifyAssert.class);
        }

        /** The notify carries exactly these fields, in order. */
        public NotifyAssert hasFields(FieldValue... fields) {
            isNotNull();
            if (!actual.fields().equals(List.of(fields))) {
                failWithMessage("expected notify fields %s but were %s", List.of(fields), actual.fields());
            }
            return this;
        }

        /** The notify carries exactly one field, {@code mgmt.firmware} with this (partial) value. */
        public NotifyAssert hasOnlyFirmware(FirmwareInfo value) {
            return hasFields(new FirmwareField(value));
        }

        /** The notify has a reqId (§12.3). */
        public NotifyAssert hasReqId() {
            isNotNull();
            if (actual.reqId().isEmpty()) {
                failWithMessage("expected the notify to carry a reqId: %s", actual);
            }
            return this;
        }
    }

    /** Assertions on how a request ended. */
    public static final class OutcomeAssert extends AbstractAssert<OutcomeAssert, RequestOutcome> {

        OutcomeAssert(RequestOutcome actual) {
            super(actual, OutcomeAssert.class);
        }

        /** The platform answered with this rc. */
        public OutcomeAssert isAnsweredWith(Rc rc) {
            isNotNull();
            if (!(actual instanceof RequestOutcome.Answered a) || !a.response().rc().equals(rc)) {
                failWithMessage("expected an answer with rc %s but the outcome was %s", rc, actual);
            }
            return this;
        }

        /** The platform answered with this response. */
        public OutcomeAssert isAnswered(PlatformResponse response) {
            isNotNull();
            if (!(actual instanceof RequestOutcome.Answered a) || !a.response().equals(response)) {
                failWithMessage("expected the answer %s but the outcome was %s", response, actual);
            }
            return this;
        }

        /** No answer came in time. */
        public OutcomeAssert isTimedOut() {
            isNotNull();
            if (!(actual instanceof RequestOutcome.TimedOut)) {
                failWithMessage("expected a timeout but the outcome was %s", actual);
            }
            return this;
        }

        /** The event was delivered. */
        public OutcomeAssert isDelivered() {
            isNotNull();
            if (!(actual instanceof RequestOutcome.Delivered)) {
                failWithMessage("expected delivery but the outcome was %s", actual);
            }
            return this;
        }

        /** The request failed with a cause of this type. */
        public OutcomeAssert isFailedWith(Class<? extends Throwable> cause) {
            isNotNull();
            if (!(actual instanceof RequestOutcome.Failed f) || !cause.isInstance(f.cause())) {
                failWithMessage("expected a failure with %s but the outcome was %s", cause.getSimpleName(), actual);
            }
            return this;
        }
    }
}
