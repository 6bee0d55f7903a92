package dev.iotdm.protocol.codec;

import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.Response;
import java.util.List;
import java.util.Objects;

/**
 * Typed views of a response's {@code d}, applied by the receiver once it has matched the
 * response to its request by reqId and so knows what {@code d} should hold.
 *
 * <p>Thread-safety: stateless.
 */
public final class ResponseViews {

    private ResponseViews() {
    }

    /**
     * The current values of a 200 answer to observe (protocol.md §4.3):
     * {@code d.fields[] = {"field", "value"}}; empty when the response has no {@code d}.
     *
     * @param response the platform's answer to observe, not null
     * @return the field values in the order sent, unmodifiable
     * @throws InvalidResponseDataException when {@code d} is not of that shape
     */
    public static List<FieldValue> observedValues(Response response) {
        if (response.d().isEmpty()) {
            return List.of();
        }
        try {
            return PayloadDecoder.view(response.d().get(), true);
        } catch (Bad b) {
            throw new InvalidResponseDataException(b.at("d").describe());
        }
    }

    /**
     * The names of the fields that failed, from a 404/500 answer to device/update or observe
     * (protocol.md §4.2, §4.3): {@code d.fields} as strings or {@code {"field": name}} objects;
     * empty when the response has no {@code d}.
     *
     * @param response the device's failure answer, not null
     * @return the field names in the order sent, unmodifiable
     * @throws InvalidResponseDataException when {@code d} is not of that shape
     */
    public static List<String> failedFieldNames(Response response) {
        if (response.d().isEmpty()) {
            return List.of();
        }
        try {
            return PayloadDecoder.view(response.d().get(), false);
        } catch (Bad b) {
            throw new InvalidResponseDataException(b.at("d").describe());
        }
    }

    /**
     * The {@code d} of a 200 answer to observe (protocol.md §4.3, §12.5):
     * {@code {"fields": [{"field": name, "value": current value}...]}}, written as the codec
     * writes notify values.
     *
     * @param values the current values, not null
     * @return the {@code d} to put in the response
     */
    public static JsonValue observedValuesData(List<FieldValue> values) {
        return JsonValue.parse(PayloadEncoder.fieldValuesData(Objects.requireNonNull(values, "values")));
    }

    /**
     * The {@code d} of a 404/500 answer to device/update (protocol.md §4.2, §12.11):
     * {@code {"fields": [name...]}} with the names of the fields that could not be updated.
     *
     * @param names the field names, not null
     * @return the {@code d} to put in the response
     */
    public static JsonValue failedFieldNamesData(List<String> names) {
        return JsonValue.parse(PayloadEncoder.fieldNamesData(Objects.requireNonNull(names, "names")));
    }
}
