package dev.iotdm.transport.tls;

/**
 * TLS settings could not be built: a file is missing or unreadable, holds an unsupported
 * format, a password is wrong, or a key does not match its certificate. The message names the
 * file and what is wrong with it; it never contains a password.
 *
 * <p>Unchecked: it reports a configuration mistake to fix, not a condition to handle at run time.
 *
 * <p>Thread-safety: immutable.
 */
public final class TlsConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the file
     */
    public TlsConfigurationException(String message) {
        super(message);
    }

    /**
     * Creates the exception with its cause.
     *
     * @param message what is wrong, naming the file
     * @param cause the underlying exception
     */
    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
