package dev.iotdm.protocol.json;

/** The JSON {@code null}. */
public enum JsonNull implements JsonValue {
    /** The only instance. */
    INSTANCE;

    @Override
    public String toString() {
        return "null";
    }
}
