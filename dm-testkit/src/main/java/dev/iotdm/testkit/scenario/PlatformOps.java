package dev.iotdm.testkit.scenario;

import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.OperationToken;
import dev.iotdm.testkit.platform.PlatformEngine;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Owns what each {@link ScenarioStep.PlatformOp} means as a {@link PlatformEngine} operation: the
 * values written, the firmware images, the bundles, the timeouts. Every world that has a platform
 * engine starts its operations here, so every row runs the same operations.
 */
public final class PlatformOps {

    /** Every attribute a scenario writes, observes and cancels (protocol.md §4.2-§4.4). */
    public static final List<String> FIELDS = List.of(FieldValue.DEVICE_INFO, FieldValue.METADATA,
            FieldValue.LOCATION, FieldValue.FIRMWARE);

    /** The bundle the scenario devices declare in their manage request. */
    public static final String DECLARED_BUNDLE = "scenario-bundle-v1";

    /** A bundle no scenario device declares. */
    public static final String UNDECLARED_BUNDLE = "undeclared-bundle-v1";

    /** The MD5 verifier of the image a scenario device downloads; an adapter "downloads" exactly this. */
    public static final String GOOD_VERIFIER = "0123456789abcdef0123456789abcdef";

    /** A verifier no download matches: the verification-failure flow (§6.2, updateStatus 4). */
    public static final String BAD_VERIFIER = "ffffffffffffffffffffffffffffffff";

    /** The firmware version of the scenario image. */
    public static final String IMAGE_VERSION = "2.0";

    /**
     * The operation timeout: long enough for a slow handler and a reconnect, short enough that a
     * virtual world crosses it in no time.
     */
    public static final Duration TIMEOUT = Duration.ofMinutes(10);

    private PlatformOps() {
    }

    /**
     * The image of a download step.
     *
     * @param verifies {@code true} for {@link #GOOD_VERIFIER}, {@code false} for {@link #BAD_VERIFIER}
     * @return the scenario image, version {@link #IMAGE_VERSION}
     */
    public static FirmwareImage image(boolean verifies) {
        return FirmwareImage.of(IMAGE_VERSION, "scenario-fw", "https://firmware.invalid/scenario-fw-2.0.bin",
                verifies ? GOOD_VERIFIER : BAD_VERIFIER);
    }

    /**
     * The value a {@link ScenarioStep.DeviceUpdate} writes.
     *
     * @param update the step; its variant picks the value
     * @return the same value for the same step
     * @throws IllegalArgumentException if the step's field is not one of {@link #FIELDS}
     */
    public static FieldValue value(ScenarioStep.DeviceUpdate update) {
        int v = update.variant();
        return switch (update.field()) {
            case FieldValue.DEVICE_INFO -> new DeviceInfoField(DeviceInfo.builder()
                    .set("description", "scenario device " + v).set("model", "model-" + v).build());
            case FieldValue.METADATA -> new MetadataField(JsonObject.builder().put("variant", v).build());
            case FieldValue.LOCATION -> new LocationField(location(v));
            case FieldValue.FIRMWARE -> new FirmwareField(FirmwareInfo.ofImage("3." + v, "written-fw",
                    "https://firmware.invalid/written-" + v + ".bin", GOOD_VERIFIER));
            default -> throw new IllegalArgumentException("not a scenario field: " + update.field());
        };
    }

    /**
     * The coordinates of location variant {@code v}.
     *
     * @param v the variant; different variants give different coordinates
     * @return a location without elevation or accuracy
     */
    public static Location location(int v) {
        return Location.of(30.0 + v / 8.0, -97.0 - v / 8.0);
    }

    /**
     * Starts {@code op} on the engine.
     *
     * @param engine the platform engine; called on this thread
     * @param now the engine time of the start
     * @param clientId a registered device
     * @param op the step
     * @return the engine's token for the operation
     * @throws IllegalArgumentException if the device is not registered
     */
    public static OperationToken start(PlatformEngine engine, Instant now, String clientId, ScenarioStep.PlatformOp op) {
        return start(op, new Operations<>() {
            @Override
            public OperationToken reboot(Duration timeout) {
                return engine.reboot(now, clientId, timeout);
            }

            @Override
            public OperationToken factoryReset(Duration timeout) {
                return engine.factoryReset(now, clientId, timeout);
            }

            @Override
            public OperationToken firmwareDownload(Optional<FirmwareImage> image, Duration timeout) {
                return engine.firmwareDownload(now, clientId, image, timeout);
            }

            @Override
            public OperationToken firmwareUpdate(Optional<FirmwareImage> image, Duration timeout) {
                return engine.firmwareUpdate(now, clientId, image, timeout);
            }

            @Override
            public OperationToken customAction(String bundleId, String actionId, List<Parameter> parameters,
                    Duration timeout) {
                return engine.customAction(now, clientId, bundleId, actionId, parameters, timeout);
            }

            @Override
            public OperationToken deviceUpdate(List<FieldValue> fields, Duration timeout) {
                return engine.deviceUpdate(now, clientId, fields, timeout);
            }

            @Override
            public OperationToken observe(List<String> fields, Duration timeout) {
                return engine.observe(now, clientId, fields, timeout);
            }

            @Override
            public OperationToken cancel(List<String> fields, Duration timeout) {
                return engine.cancel(now, clientId, fields, timeout);
            }
        });
    }

    /**
     * Starts {@code op} through {@code platform}, whatever handle its operations return.
     *
     * @param <T> what starting an operation returns
     * @param op the step
     * @param platform the operations to start it with, each given {@link #TIMEOUT}
     * @return what the operation returned
     */
    public static <T> T start(ScenarioStep.PlatformOp op, Operations<T> platform) {
        if (op instanceof ScenarioStep.Reboot) {
            return platform.reboot(TIMEOUT);
        } else if (op instanceof ScenarioStep.FactoryReset) {
            return platform.factoryReset(TIMEOUT);
        } else if (op instanceof ScenarioStep.FirmwareDownload d) {
            return platform.firmwareDownload(Optional.of(image(d.verifies())), TIMEOUT);
        } else if (op instanceof ScenarioStep.FirmwareUpdate) {
            return platform.firmwareUpdate(Optional.empty(), TIMEOUT);
        } else if (op instanceof ScenarioStep.CustomAction c) {
            return platform.customAction(c.declared() ? DECLARED_BUNDLE : UNDECLARED_BUNDLE, "doIt",
                    List.of(new Parameter("p", new JsonString("v"))), TIMEOUT);
        } else if (op instanceof ScenarioStep.DeviceUpdate u) {
            return platform.deviceUpdate(List.of(value(u)), TIMEOUT);
        } else if (op instanceof ScenarioStep.Observe o) {
            return platform.observe(List.of(o.field()), TIMEOUT);
        } else if (op instanceof ScenarioStep.Cancel c) {
            return platform.cancel(List.of(c.field()), TIMEOUT);
        }
        throw new IllegalArgumentException("unknown operation " + op);
    }

    /**
     * The operations of a {@link FakePlatform} on the device {@code clientId}.
     *
     * @param platform the running platform; not {@code null}
     * @param clientId a registered device; not {@code null}
     * @return operations whose futures complete with the outcomes
     */
    public static Operations<CompletableFuture<OperationOutcome>> on(FakePlatform platform, String clientId) {
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(clientId, "clientId");
        return new Operations<>() {
            @Override
            public CompletableFuture<OperationOutcome> reboot(Duration timeout) {
                return platform.reboot(clientId, timeout);
            }

            @Override
            public CompletableFuture<OperationOutcome> factoryReset(Duration timeout) {
                return platform.factoryReset(clientId, timeout);
            }

            @Override
            public CompletableFuture<OperationOutcome> firmwareDownload(Optional<FirmwareImage> image, Duration timeout) {
                return platform.firmwareDownload(clientId, image, timeout);
            }

            @Override
            public CompletableFuture<OperationOutcome> firmwareUpdate(Optional<FirmwareImage> image, Duration timeout) {
                return platform.firmwareUpdate(clientId, image, timeout);
            }

            @Override
            public CompletableFuture<OperationOutcome> customAction(String bundleId, String actionId,
                    List<Parameter> parameters, Duration timeout) {
                return platform.customAction(clientId, bundleId, actionId, parameters, timeout);
            }

            @Override
            public CompletableFuture<OperationOutcome> deviceUpdate(List<FieldValue> fields, Duration timeout) {
                return platform.deviceUpdate(clientId, fields, timeout);
            }

            @Override
            public CompletableFuture<OperationOutcome> observe(List<String> fields, Duration timeout) {
                return platform.observe(clientId, fields, timeout);
            }

            @Override
            public CompletableFuture<OperationOutcome> cancel(List<String> fields, Duration timeout) {
                return platform.cancel(clientId, fields, timeout);
            }
        };
    }

    /**
     * The platform's operations on one device, as a row's platform offers them (the engine's
     * tokens, the fake platform's futures).
     *
     * @param <T> what starting an operation returns
     */
    public interface Operations<T> {
        /**
         * Reboot (§7.1).
         *
         * @param timeout for the answer and the new manage together
         * @return the started operation's handle
         */
        T reboot(Duration timeout);

        /**
         * Factory reset (§7.2).
         *
         * @param timeout for the answer and the new manage together
         * @return the started operation's handle
         */
        T factoryReset(Duration timeout);

        /**
         * The firmware download flow (§6.2).
         *
         * @param image written to {@code mgmt.firmware} first, or empty
         * @param timeout for the whole flow
         * @return the started operation's handle
         */
        T firmwareDownload(Optional<FirmwareImage> image, Duration timeout);

        /**
         * The firmware update flow (§6.3).
         *
         * @param image written to {@code mgmt.firmware} first, or empty
         * @param timeout for the whole flow
         * @return the started operation's handle
         */
        T firmwareUpdate(Optional<FirmwareImage> image, Duration timeout);

        /**
         * A custom action (§8).
         *
         * @param bundleId the extension bundle
         * @param actionId the action
         * @param parameters the action's parameters
         * @param timeout for the answer
         * @return the started operation's handle
         */
        T customAction(String bundleId, String actionId, List<Parameter> parameters, Duration timeout);

        /**
         * A device/update (§4.2).
         *
         * @param fields the values to write; at least one
         * @param timeout for the answer
         * @return the started operation's handle
         */
        T deviceUpdate(List<FieldValue> fields, Duration timeout);

        /**
         * Observe (§4.3).
         *
         * @param fields the attribute names
         * @param timeout for the answer
         * @return the started operation's handle
         */
        T observe(List<String> fields, Duration timeout);

        /**
         * Cancel (§4.4).
         *
         * @param fields the attribute names
         * @param timeout for the answer
         * @return the started operation's handle
         */
        T cancel(List<String> fields, Duration timeout);
    }
}
