package dev.iotdm.protocol.message;

import java.util.Optional;

/**
 * A response code (protocol.md §5). An open set: codes we do not know survive decoding and
 * re-encoding unchanged, and {@link #known()} says whether the protocol defines this one.
 *
 * @param code the HTTP-like code, 100 to 999
 */
public record Rc(int code) {

    /** 200: the operation succeeded. */
    public static final Rc OK = new Rc(200);
    /** 202: an initiated action was accepted and will run. */
    public static final Rc ACCEPTED = new Rc(202);
    /** 204: an attribute update was applied. */
    public static final Rc CHANGED = new Rc(204);
    /** 400: malformed, out of range, or the device is not in a state for the command. */
    public static final Rc BAD_REQUEST = new Rc(400);
    /** 404: attribute not found, or a request on an invalid topic. */
    public static final Rc NOT_FOUND = new Rc(404);
    /** 409: conflicting concurrent update; retry later. */
    public static final Rc CONFLICT = new Rc(409);
    /** 500: the attempt failed on the device or platform. */
    public static final Rc INTERNAL_ERROR = new Rc(500);
    /** 501: the operation is not implemented. */
    public static final Rc NOT_IMPLEMENTED = new Rc(501);

    /**
     * Requires a three-digit code.
     *
     * @param code the HTTP-like code, 100 to 999
     * @throws IllegalArgumentException if {@code code} is not three digits
     */
    public Rc {
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("rc must be a three-digit code, got " + code);
        }
    }

    /**
     * The code {@code code}; the shared constant when there is one.
     *
     * @param code the HTTP-like code, 100 to 999
     * @return the rc
     * @throws IllegalArgumentException if {@code code} is not three digits
     */
    public static Rc of(int code) {
        return KnownRc.fromCode(code).map(KnownRc::rc).orElseGet(() -> new Rc(code));
    }

    /**
     * The protocol's meaning of this code, if it defines one.
     *
     * @return the known code, empty for a code §5.1 does not define
     */
    public Optional<KnownRc> known() {
        return KnownRc.fromCode(code);
    }

    /**
     * Whether the code is a success (2xx).
     *
     * @return true for 200 to 299
     */
    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    @Override
    public String toString() {
        return known().map(k -> code + " " + k.name()).orElse(Integer.toString(code));
    }
}
