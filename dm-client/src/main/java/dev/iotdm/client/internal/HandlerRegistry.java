package dev.iotdm.client.internal;

import dev.iotdm.client.ActionResponse;
import dev.iotdm.client.ClientEvent;
import dev.iotdm.client.ClientListener;
import dev.iotdm.client.CommandHandler;
import dev.iotdm.client.CustomActionHandler;
import dev.iotdm.client.DeviceActionHandler;
import dev.iotdm.client.FirmwareFailureException;
import dev.iotdm.client.FirmwareHandler;
import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.message.FirmwareInfo;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the application's handlers and listeners, which may be set at any time, also after the
 * client was built (the seed assigns its callbacks to a constructed client). The driver gets
 * fixed delegates ({@link #driverHandlers()}) that look the current handler up at each call;
 * a request for which no handler is set is answered 501, as the engine would.
 *
 * <p>Thread-safety: setters and lookups may run on any thread.
 */
public final class HandlerRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(HandlerRegistry.class);

    private volatile FirmwareHandler firmware;
    private volatile DeviceActionHandler deviceAction;
    private final Map<String, CustomActionHandler> customActions = new ConcurrentHashMap<>();
    private volatile CustomActionHandler anyCustomAction;
    private final Map<String, CommandHandler> commands = new ConcurrentHashMap<>();
    private volatile CommandHandler anyCommand;
    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();

    /** An empty registry. */
    public HandlerRegistry() {
    }

    /** Sets the firmware handler. */
    public void firmware(FirmwareHandler h) {
        firmware = Objects.requireNonNull(h, "firmwareHandler");
    }

    /** Sets the device action handler. */
    public void deviceAction(DeviceActionHandler h) {
        deviceAction = Objects.requireNonNull(h, "deviceActionHandler");
    }

    /** Sets the custom action handler of one bundle. */
    public void customAction(String bundleId, CustomActionHandler h) {
        customActions.put(Objects.requireNonNull(bundleId, "bundleId"), Objects.requireNonNull(h, "handler"));
    }

    /** Sets the custom action handler of every bundle without its own. */
    public void anyCustomAction(CustomActionHandler h) {
        anyCustomAction = Objects.requireNonNull(h, "handler");
    }

    /** Sets the handler of one command id. */
    public void command(String commandId, CommandHandler h) {
        commands.put(Objects.requireNonNull(commandId, "commandId"), Objects.requireNonNull(h, "handler"));
    }

    /** Sets the handler of every command without its own. */
    public void anyCommand(CommandHandler h) {
        anyCommand = Objects.requireNonNull(h, "handler");
    }

    /** Adds a listener. */
    public void listener(ClientListener l) {
        listeners.add(Objects.requireNonNull(l, "listener"));
    }

    /** Whether a firmware handler is set. */
    public boolean hasFirmware() {
        return firmware != null;
    }

    /** Whether a device action handler is set. */
    public boolean hasDeviceAction() {
        return deviceAction != null;
    }

    /** Whether the custom actions of this bundle have a handler. */
    public boolean handlesBundle(String bundleId) {
        return anyCustomAction != null || customActions.containsKey(bundleId);
    }

    /**
     * The driver's handlers: delegates that call whatever handler is set when a request arrives.
     * Every capability counts as handled for the engine; {@code manage()} refuses to declare one
     * without a handler, and a delegate without a handler answers 501.
     */
    public ClientDriver.Handlers driverHandlers() {
        FirmwareHandler fw = new FirmwareHandler() {
            @Override
            public CompletionStage<Void> download(FirmwareInfo image) throws Exception {
                return firmwareHandler().download(image);
            }

            @Override
            public CompletionStage<Void> install(FirmwareInfo image) throws Exception {
                return firmwareHandler().install(image);
            }
        };
        DeviceActionHandler device = (kind, reqId) -> {
            DeviceActionHandler h = deviceAction;
            return h != null ? h.handle(kind, reqId)
                    : CompletableFuture.completedFuture(ActionResponse.notSupported("no device action handler"));
        };
        CustomActionHandler custom = action -> {
            CustomActionHandler h = Optional.ofNullable(customActions.get(action.bundleId())).orElse(anyCustomAction);
            return h != null ? h.handle(action) : CompletableFuture.completedFuture(
                    ActionResponse.notSupported("no handler for bundle " + action.bundleId()));
        };
        CommandHandler command = (c, events) -> {
            CommandHandler h = Optional.ofNullable(commands.get(c.commandId())).orElse(anyCommand);
            if (h != null) {
                h.onCommand(c, events);
            } else {
                LOG.info("command {} received, but no command handler is set: it is not handled",
                        WireText.escape(c.commandId()));
            }
        };
        return new ClientDriver.Handlers(fw, device, Map.of(), custom, Map.of(), command,
                List.of(new AllListeners(listeners)));
    }

    /**
     * Every listener added, also after the driver was built. The driver skips the hand-off to the
     * callback executor while it {@link #isEmpty() is empty}: an event nobody listens to would
     * wake a callback thread for nothing (one per request; issue #15 profile).
     */
    public static final class AllListeners implements ClientListener {
        private final List<ClientListener> listeners;

        AllListeners(List<ClientListener> listeners) {
            this.listeners = listeners;
        }

        /** Whether no listener was added (yet). */
        public boolean isEmpty() {
            return listeners.isEmpty();
        }

        @Override
        public void onEvent(ClientEvent event) {
            for (ClientListener l : listeners) {
                try {
                    l.onEvent(event);
                } catch (RuntimeException e) {
                    LOG.warn("listener failed on {}: {}", event, e.toString());
                }
            }
        }
    }

    private FirmwareHandler firmwareHandler() throws FirmwareFailureException {
        FirmwareHandler h = firmware;
        if (h == null) {
            // Only a manage restored from an older state can declare firmware actions without a handler.
            throw new FirmwareFailureException(UpdateStatus.UNSUPPORTED_IMAGE, "no firmware handler is set");
        }
        return h;
    }
}
