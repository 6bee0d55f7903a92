package dev.iotdm.transport.paho.internal;

import dev.iotdm.protocol.tls.TlsSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes the TLS sockets Paho connects with: sockets of {@link TlsSettings#socketFactory()} (its
 * trust, client key, protocols and endpoint identification) with {@code TCP_NODELAY} on, for the
 * reason given in {@link NoDelaySocketFactory}. It must be an {@link SSLSocketFactory}: Paho
 * refuses any other factory for {@code ssl://}.
 *
 * <p>Host name verification: Paho calls {@link #createSocket()}, connects, and before the
 * handshake replaces the socket's SSL parameters twice: once to set SNI to the host it connects
 * to (which also clears endpoint identification), then, only when its
 * {@code httpsHostnameVerificationEnabled} option is true, to set endpoint identification
 * {@code HTTPS} again. The transport therefore sets that option from
 * {@link TlsSettings#hostnameVerification()}; protocols and cipher suites set here survive,
 * because Paho's parameters leave them unset.
 *
 * <p>Thread-safety: immutable; safe for concurrent use.
 */
public final class NoDelaySslSocketFactory extends SSLSocketFactory {

    private final SSLSocketFactory delegate;
    private final Consumer<Socket> observer;

    /**
     * A factory over the sockets of {@code tls}.
     *
     * @param tls the TLS settings of the connection
     * @param observer sees each new socket; must not block
     */
    public NoDelaySslSocketFactory(TlsSettings tls, Consumer<Socket> observer) {
        this.delegate = Objects.requireNonNull(tls, "tls").socketFactory();
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
        return NoDelaySocketFactory.apply(delegate.createSocket(), observer);
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
        s.setTcpNoDelay(true); // the option lives on the underlying TCP socket
        return NoDelaySocketFactory.apply(delegate.createSocket(s, host, port, autoClose), observer);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return NoDelaySocketFactory.apply(delegate.createSocket(host, port), observer);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return NoDelaySocketFactory.apply(delegate.createSocket(host, port, localHost, localPort), observer);
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return NoDelaySocketFactory.apply(delegate.createSocket(host, port), observer);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return NoDelaySocketFactory.apply(delegate.createSocket(address, port, localAddress, localPort), observer);
    }
}
