package dev.iotdm.protocol.codec;

/** The outcome of {@link Codec#decode(String, byte[])}: a message or an error, never an exception. */
public sealed interface DecodeResult permits Decoded, DecodeError {
}
