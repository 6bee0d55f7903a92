package dev.iotdm.transport.paho.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.SocketFactory;

/**
 * Makes the plain TCP sockets Paho connects with, with {@code TCP_NODELAY} on.
 *
 * <p>Why: Paho leaves Nagle's algorithm on, and Nagle plus the peer's delayed ACK costs about
 * 40 ms per request/response round trip (shared/hivemq-embedded.md §4). Paho calls the no-argument
 * {@link #createSocket()} and then connects the socket itself; the other methods exist for
 * completeness and behave the same.
 *
 * <p>Thread-safety: immutable; safe for concurrent use.
 */
public final class NoDelaySocketFactory extends SocketFactory {

    private final Consumer<Socket> observer;

    /**
     * A factory that shows every socket it made to {@code observer} (tests check the option).
     *
     * @param observer sees each new socket; must not block
     */
    public NoDelaySocketFactory(Consumer<Socket> observer) {
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return noDelay(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return noDelay(new Socket(address, port, localAddress, localPort));
    }

    private Socket noDelay(Socket socket) throws IOException {
        return apply(socket, observer);
    }

    /** Turns on {@code TCP_NODELAY} (closing the socket if that fails) and shows it to the observer. */
    static Socket apply(Socket socket, Consumer<Socket> observer) throws IOException {
        try {
            socket.setTcpNoDelay(true);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        observer.accept(socket);
        return socket;
    }
}
