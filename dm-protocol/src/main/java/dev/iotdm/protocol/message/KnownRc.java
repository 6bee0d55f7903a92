package dev.iotdm.protocol.message;

import java.util.Optional;

/** The response codes the protocol defines (protocol.md §5.1). */
public enum KnownRc {
    /** 200: the operation succeeded. */
    OK(200),
    /** 202: accepted, the initiated action will run. */
    ACCEPTED(202),
    /** 204: changed, the attribute update was applied. */
    CHANGED(204),
    /** 400: bad request. */
    BAD_REQUEST(400),
    /** 404: not found, or an invalid topic. */
    NOT_FOUND(404),
    /** 409: conflict. */
    CONFLICT(409),
    /** 500: internal error, the attempt failed. */
    INTERNAL_ERROR(500),
    /** 501: not implemented. */
    NOT_IMPLEMENTED(501);

    private final int code;

    KnownRc(int code) {
        this.code = code;
    }

    /**
     * The wire value.
     *
     * @return the three-digit code sent as {@code rc}
     */
    public int code() {
        return code;
    }

    /**
     * The shared {@link Rc} value.
     *
     * @return the {@link Rc} constant with this code
     */
    public Rc rc() {
        return switch (this) {
            case OK -> Rc.OK;
            case ACCEPTED -> Rc.ACCEPTED;
            case CHANGED -> Rc.CHANGED;
            case BAD_REQUEST -> Rc.BAD_REQUEST;
            case NOT_FOUND -> Rc.NOT_FOUND;
            case CONFLICT -> Rc.CONFLICT;
            case INTERNAL_ERROR -> Rc.INTERNAL_ERROR;
            case NOT_IMPLEMENTED -> Rc.NOT_IMPLEMENTED;
        };
    }

    /**
     * The known code for a wire value, if the protocol defines it.
     *
     * @param code the rc as received
     * @return the constant, empty for a code the protocol does not define
     */
    public static Optional<KnownRc> fromCode(int code) {
        for (KnownRc k : values()) {
            if (k.code == code) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
