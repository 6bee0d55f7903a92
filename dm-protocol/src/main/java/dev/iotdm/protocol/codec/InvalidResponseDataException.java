package dev.iotdm.protocol.codec;

/** A response's {@code d} does not have the shape its request calls for. */
public final class InvalidResponseDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    InvalidResponseDataException(String detail) {
        super("response data is not as expected: " + detail);
    }
}
