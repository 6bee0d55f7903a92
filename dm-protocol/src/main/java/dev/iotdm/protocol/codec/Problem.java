package dev.iotdm.protocol.codec;

/** What is wrong with a payload that could not be decoded. */
public enum Problem {
    /** The payload exceeds the inbound size limit (protocol.md §1.9). */
    PAYLOAD_TOO_LARGE,
    /** The topic is not one of the protocol's. */
    UNKNOWN_TOPIC,
    /** The bytes are not well-formed JSON (including truncation and trailing content). */
    MALFORMED_JSON,
    /** The payload is not UTF-8 (protocol.md §2.1), or a string has an unpaired surrogate escape. */
    INVALID_STRING,
    /** Nesting, a number or a string exceeds the parser's limits. */
    LIMIT_EXCEEDED,
    /** An object has the same key twice. */
    DUPLICATE_KEY,
    /** A value has the wrong JSON type. */
    WRONG_TYPE,
    /** A required field is missing. */
    MISSING_FIELD,
    /** A number is outside its allowed range. */
    OUT_OF_RANGE,
    /** A value has the right type but is not valid (a bad timestamp, an invalid identifier). */
    INVALID_VALUE
}
