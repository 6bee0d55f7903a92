package dev.iotdm.protocol.message;

import java.util.Optional;

/** The severity of a diagnostic log entry (protocol.md §3.6). */
public enum LogSeverity {
    /** 0: informational. */
    INFORMATIONAL(0),
    /** 1: warning. */
    WARNING(1),
    /** 2: error. */
    ERROR(2);

    private final int code;

    LogSeverity(int code) {
        this.code = code;
    }

    /**
     * The wire value.
     *
     * @return the integer sent as {@code severity}, 0 to 2
     */
    public int code() {
        return code;
    }

    /**
     * The severity for a wire value, or empty outside 0-2.
     *
     * @param code the integer as received
     * @return the constant with that code
     */
    public static Optional<LogSeverity> fromCode(long code) {
        for (LogSeverity s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
