package dev.iotdm.testkit.broker;

import com.hivemq.configuration.service.InternalConfigurations;
import com.hivemq.embedded.EmbeddedHiveMQ;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the two changes that make an embedded HiveMQ stop in a few hundred milliseconds instead of
 * about 4 s (docs/hivemq-embedded.md §7), so that {@code quit} of {@code dm-cli platform} returns
 * within a second or two and every test class that closes a broker saves the time.
 *
 * <p>Where the 4 s go (measured with HiveMQ's shutdown-hook trace on HiveMQ CE 2025.5): about 2 s in
 * its "Netty Shutdown" hook, which closes the client connections and then shuts both event loop
 * groups down with Netty's fixed 2 s quiet period; about 2 s in "Persistence Shutdown", whose single
 * writer waits out {@code PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC} (2000) before it stops.
 *
 * <ul>
 *   <li>{@link #beforeStart}: for {@link Persistence#IN_MEMORY} the grace period is cut to
 *       {@value #IN_MEMORY_GRACE_MILLIS} ms (the data dies with the broker anyway); for
 *       {@link Persistence#FILE} HiveMQ's default is set back, so files are written as HiveMQ
 *       intends. The value is JVM-wide and read while the broker starts, hence set before each start.
 *   <li>{@link #install}: replaces the "Netty Shutdown" hook with one that does the same work with a
 *       quiet period of 0: close the client connections while the event loops still run, then shut
 *       both groups down and wait for them. A quiet period only waits for tasks that might still be
 *       submitted; after the connections are closed nothing submits any.
 * </ul>
 *
 * <p>The hook lives in HiveMQ's internals (its Guice injector, not part of the embedded API), so it is
 * reached by reflection and never named at compile time: if a HiveMQ upgrade moves it, {@link #install}
 * logs why at INFO and the broker keeps HiveMQ's own, slower, stop. No Netty type is named here: the
 * testkit depends on no transport library (ModuleArrowsTest).
 *
 * <p>Stateless; thread-safe.
 */
final class QuickStop {

    /** The single writer's grace at stop for in-memory data, which nothing reads after the stop. */
    static final int IN_MEMORY_GRACE_MILLIS = 100;
    /** HiveMQ CE's own default of {@code PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC}. */
    static final int HIVEMQ_DEFAULT_GRACE_MILLIS = 2000;
    /** How long the replacement hook waits for the connections to close and each group to end. */
    private static final long WAIT_SECONDS = 10;
    private static final String NETTY_HOOK_NAME = "Netty Shutdown";

    private static final Logger LOG = LoggerFactory.getLogger(QuickStop.class);

    private QuickStop() {
    }

    /** Sets the single writer's grace period for the broker about to start (see the class comment). */
    static void beforeStart(Persistence persistence) {
        InternalConfigurations.PERSISTENCE_SHUTDOWN_GRACE_PERIOD_MSEC.set(switch (persistence) {
            case IN_MEMORY -> IN_MEMORY_GRACE_MILLIS;
            case FILE -> HIVEMQ_DEFAULT_GRACE_MILLIS;
        });
    }

    /**
     * Replaces the started broker's "Netty Shutdown" hook with one without a quiet period.
     *
     * @return whether it was replaced; false (with the reason logged) leaves HiveMQ's own hook
     */
    static boolean install(EmbeddedHiveMQ hivemq) {
        try {
            Method getInjector = hivemq.getClass().getDeclaredMethod("getInjector");
            getInjector.setAccessible(true);
            Object injector = getInjector.invoke(hivemq);
            ClassLoader loader = hivemq.getClass().getClassLoader();
            Method getInstance = type(loader, "com.google.inject.Injector").getMethod("getInstance", Class.class);
            Class<?> hooksType = type(loader, "com.hivemq.common.shutdown.ShutdownHooks");
            Class<?> hookType = type(loader, "com.hivemq.common.shutdown.HiveMQShutdownHook");
            Class<?> nettyType = type(loader, "com.hivemq.bootstrap.netty.NettyConfiguration");
            Class<?> connectionsType = type(loader, "com.hivemq.persistence.connection.ConnectionPersistence");
            // Methods are taken from the public types, never from implementation classes that may not be.
            Method shutdownGracefully = type(loader, "io.netty.util.concurrent.EventExecutorGroup")
                    .getMethod("shutdownGracefully", long.class, long.class, TimeUnit.class);
            Object hooks = getInstance.invoke(injector, hooksType);
            Object netty = getInstance.invoke(injector, nettyType);
            Object connections = getInstance.invoke(injector, connectionsType);
            Object original = nettyHook(loader, hooks, hooksType, hookType);
            Object priority = hookType.getMethod("priority").invoke(original);
            List<Object> groups = List.of(nettyType.getMethod("getChildEventLoopGroup").invoke(netty),
                    nettyType.getMethod("getParentEventLoopGroup").invoke(netty));
            Method closeConnections = connectionsType.getMethod("shutDown");
            String name = NETTY_HOOK_NAME + " (iotdm: no quiet period)";
            Object replacement = Proxy.newProxyInstance(loader, new Class<?>[] {hookType},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "name", "toString" -> name;
                        case "priority" -> priority;
                        case "run" -> {
                            stopNetty(() -> (Future<?>) closeConnections.invoke(connections), groups.stream()
                                    .map(g -> (Termination) () -> (Future<?>) shutdownGracefully.invoke(g, 0L,
                                            WAIT_SECONDS, TimeUnit.SECONDS)).toList());
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
            hooksType.getMethod("remove", hookType).invoke(hooks, original);
            hooksType.getMethod("add", hookType).invoke(hooks, replacement);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.info("HiveMQ's internals differ from what the quick stop expects ({}); the broker keeps its own"
                    + " stop, which takes about 4 s", e instanceof InvocationTargetException t ? t.getCause() : e);
            return false;
        }
    }

    private static Class<?> type(ClassLoader loader, String name) throws ClassNotFoundException {
        return Class.forName(name, false, loader);
    }

    private static Object nettyHook(ClassLoader loader, Object hooks, Class<?> hooksType, Class<?> hookType)
            throws ReflectiveOperationException {
        Object multimap = hooksType.getMethod("getShutdownHooks").invoke(hooks);
        Collection<?> all = (Collection<?>) type(loader, "com.google.common.collect.Multimap").getMethod("values")
                .invoke(multimap);
        Method name = hookType.getMethod("name");
        List<Object> found = new ArrayList<>();
        for (Object hook : all) {
            if (NETTY_HOOK_NAME.equals(name.invoke(hook))) {
                found.add(hook);
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one '" + NETTY_HOOK_NAME + "' hook, found " + found.size());
        }
        return found.get(0);
    }

    /** Starts an asynchronous step of the stop and returns its completion. */
    @FunctionalInterface
    private interface Termination {
        Future<?> start() throws ReflectiveOperationException;
    }

    /** What HiveMQ's hook does, without the quiet period; failures are logged, as HiveMQ's hook does. */
    private static void stopNetty(Termination closeConnections, List<Termination> groups) {
        // The connections first, while the event loops still run their close; then both groups at once.
        await("closing the client connections", closeConnections);
        List<Future<?>> ends = new ArrayList<>();
        for (Termination group : groups) {
            try {
                ends.add(group.start());
            } catch (ReflectiveOperationException | RuntimeException e) {
                LOG.warn("shutting down a broker event loop group failed: {}", e.toString());
            }
        }
        ends.forEach(end -> await("ending a broker event loop group", () -> end));
    }

    private static void await(String what, Termination step) {
        try {
            step.start().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReflectiveOperationException | ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("{} at broker stop failed: {}", what, e.toString());
        }
    }
}
