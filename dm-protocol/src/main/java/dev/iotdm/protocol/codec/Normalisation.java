package dev.iotdm.protocol.codec;

/**
 * A leniency the decoder applied to read a non-canonical but known shape (protocol.md §12, §14).
 * The decoded message is the canonical meaning; the normalisation says what was irregular, so the
 * fake platform can serve old clients and still report their deviations.
 */
public enum Normalisation {
    /** {@code rc} sent as a numeric string such as {@code "202"} (C, C# clients). */
    RC_AS_STRING("§12.1", "rc sent as a numeric string"),
    /** Notify with a single {@code d.field}/{@code d.value} instead of a {@code fields} array. */
    NOTIFY_SINGLE_FIELD("§12.2", "notify with a single field instead of a fields array"),
    /** device/update with a single {@code d.field}/{@code d.value} (the oldest template). */
    UPDATE_SINGLE_FIELD("§4.2", "device/update with a single field instead of a fields array"),
    /** Observe or cancel with field names as plain strings instead of {@code {"field": ...}}. */
    FIELD_NAMES_AS_STRINGS("§12.4", "observe/cancel field names as plain strings"),
    /** {@code "reqId": null}, read as no reqId (iot-java device/update replies). */
    NULL_REQ_ID("§14", "reqId sent as null"),
    /** deviceInfo attributes sent as {@code null}, read as unset (ibmiotf 0.4.0). */
    DEVICE_INFO_NULLS("§12.24", "deviceInfo attributes sent as null"),
    /** supports flags sent as integers 1/0 instead of booleans (embedded C client). */
    SUPPORTS_AS_INTEGERS("§12.19", "supports flags sent as integers"),
    /** A timestamp without zone or offset (ibmiotf log timestamps), kept as sent: its zone is unknown. */
    ZONELESS_TIMESTAMP("§12.21", "timestamp without a zone"),
    /** {@code mgmt.firmware.updatedDateTime} sent as {@code ""}, read as absent. */
    EMPTY_TIMESTAMP("§4.2", "empty updatedDateTime");

    private final String section;
    private final String description;

    Normalisation(String section, String description) {
        this.section = section;
        this.description = description;
    }

    /**
     * The protocol.md section that documents the leniency.
     *
     * @return a section reference such as {@code "§12.3"}
     */
    public String section() {
        return section;
    }

    /**
     * A short description.
     *
     * @return one line saying what was irregular and how it was read
     */
    public String description() {
        return description;
    }
}
