package dev.iotdm.protocol.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** The JSON {@code null}. */
public enum JsonNull implements JsonValue {
    /** The only instance. */
    INSTANCE;

    @Override
    public void writeTo(JsonGenerator g) throws IOException {
        g.writeNull();
    }

    @Override
    public String toString() {
        return "null";
    }
}
