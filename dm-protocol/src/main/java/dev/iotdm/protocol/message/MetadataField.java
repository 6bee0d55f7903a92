package dev.iotdm.protocol.message;

import dev.iotdm.protocol.json.JsonObject;
import java.util.Objects;

/**
 * The {@code metadata} field: free-form JSON.
 *
 * @param value the metadata object
 */
public record MetadataField(JsonObject value) implements FieldValue {

    /**
     * Requires a value.
     *
     * @param value the metadata object, not null
     */
    public MetadataField {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String field() {
        return METADATA;
    }
}
