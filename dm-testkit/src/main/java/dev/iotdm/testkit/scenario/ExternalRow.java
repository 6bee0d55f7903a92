package dev.iotdm.testkit.scenario;

import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import dev.iotdm.testkit.platform.PlatformObserver;
import dev.iotdm.testkit.platform.PlatformRecorder;
import dev.iotdm.testkit.rules.CheckReport;
import dev.iotdm.testkit.transcript.Transcript;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * The row of one external device ({@link ExternalDevice}) on a running {@link FakePlatform}:
 * scenarios of platform operations only (device calls, handler changes and faults are skipped),
 * judged as an external device (only required rules fail it). Every world is a view on the same
 * platform and device, with its own rule checker, so replays while shrinking run on the real
 * device again.
 *
 * <p>Firmware steps use the images the caller serves ({@code images}: true gives an image whose
 * verifier matches, false one whose verifier does not); a step ends when every operation it started
 * has an outcome, each within the operation timeout the caller gives, and every request either side
 * sent has its answer (or the operation timeout passed: the invariants then judge the silence).
 *
 * <p>Worlds run one after another on one thread.
 */
public final class ExternalRow implements ScenarioRow {

    private final FakePlatform platform;
    private final ExternalDevice device;
    private final Function<Boolean, FirmwareImage> images;
    private final Duration timeout;

    /**
     * The row of {@code clientId} on {@code platform}.
     *
     * @param platform the running platform the device connects to; not {@code null}; the row
     *     neither starts nor closes it
     * @param clientId the external device's MQTT client id, registered on {@code platform}
     * @param images the image for a download that verifies (true) or must fail verification (false)
     * @param timeout how long one operation may take (a reboot includes the device's re-manage)
     */
    public ExternalRow(FakePlatform platform, String clientId, Function<Boolean, FirmwareImage> images,
            Duration timeout) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.device = new ExternalDevice(clientId);
        this.images = Objects.requireNonNull(images, "images");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public String name() {
        return "external " + device.clientId();
    }

    @Override
    public ScenarioWorld newWorld() {
        return new World();
    }

    /** None: the device's connection and process are not ours to break. */
    @Override
    public boolean supports(ScenarioStep.Fault fault) {
        return false;
    }

    @Override
    public boolean ourDevice() {
        return false;
    }

    /** One scenario's view of the platform and the device, with its own recorder. */
    private final class World implements ScenarioWorld {
        private final PlatformRecorder recorder = new PlatformRecorder();
        private final PlatformObserver observer = recorder.onlyFor(device.clientId());
        private final AnswerWatch answers = new AnswerWatch(recorder.transcript());

        World() {
            platform.addObserver(observer);
        }

        @Override
        public DeviceUnderTest device() {
            return device;
        }

        @Override
        public Pending start(ScenarioStep.PlatformOp op) {
            PlatformOps.Operations<CompletableFuture<OperationOutcome>> ops = PlatformOps.on(platform, device.clientId());
            CompletableFuture<OperationOutcome> outcome;
            if (op instanceof ScenarioStep.FirmwareDownload d) {
                outcome = ops.firmwareDownload(Optional.of(images.apply(d.verifies())), timeout);
            } else {
                outcome = PlatformOps.start(op, new Timed(ops));
            }
            return new FuturePending(op + " (platform operation on " + device.clientId() + ")", outcome);
        }

        @Override
        public void inject(ScenarioStep.Fault fault) {
            throw new IllegalArgumentException("an external device's row injects no faults: " + fault);
        }

        /** Waits for each operation's outcome; the operations time themselves out, the extra minute only guards. */
        @Override
        public void settle(List<Pending> started) {
            Duration guard = timeout.plusMinutes(1);
            long deadline = System.nanoTime() + guard.toNanos();
            for (Pending p : started) {
                try {
                    ((FuturePending) p).future().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    throw new ScenarioException("still open after " + guard.toSeconds() + " s: " + p.describe());
                } catch (ExecutionException e) {
                    // a failed outcome is an outcome: the invariants judge it
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ScenarioException("interrupted while waiting for " + p.describe(), e);
                }
            }
            // An operation may end before the last request it sent is answered (a firmware flow's
            // closing cancel): wait for those answers too, so that the invariants do not judge the
            // request a moment before its answer arrives, nor the next scenario receive it. An
            // answer that never comes within the operation timeout is the device's finding
            // (unanswered request), judged by the invariants, not a harness failure.
            try {
                answers.awaitAnswered(Math.min(deadline, System.nanoTime() + timeout.toNanos()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScenarioException("interrupted while waiting for the device's answers", e);
            }
        }

        @Override
        public Optional<DeviceView> platformRecord() {
            return Optional.of(platform.device(device.clientId()));
        }

        @Override
        public CheckReport rules() {
            return recorder.report();
        }

        @Override
        public Transcript transcript() {
            return recorder.transcript();
        }

        @Override
        public void close() {
            platform.removeObserver(observer);
            answers.close();
        }
    }

    /** The platform's operations with this row's timeout instead of the scenario default. */
    private final class Timed implements PlatformOps.Operations<CompletableFuture<OperationOutcome>> {
        private final PlatformOps.Operations<CompletableFuture<OperationOutcome>> ops;

        Timed(PlatformOps.Operations<CompletableFuture<OperationOutcome>> ops) {
            this.ops = ops;
        }

        @Override
        public CompletableFuture<OperationOutcome> reboot(Duration ignored) {
            return ops.reboot(timeout);
        }

        @Override
        public CompletableFuture<OperationOutcome> factoryReset(Duration ignored) {
            return ops.factoryReset(timeout);
        }

        @Override
        public CompletableFuture<OperationOutcome> firmwareDownload(Optional<FirmwareImage> image, Duration ignored) {
            return ops.firmwareDownload(image, timeout);
        }

        @Override
        public CompletableFuture<OperationOutcome> firmwareUpdate(Optional<FirmwareImage> image, Duration ignored) {
            return ops.firmwareUpdate(image, timeout);
        }

        @Override
        public CompletableFuture<OperationOutcome> customAction(String bundleId, String actionId,
                List<dev.iotdm.protocol.message.Parameter> parameters, Duration ignored) {
            return ops.customAction(bundleId, actionId, parameters, timeout);
        }

        @Override
        public CompletableFuture<OperationOutcome> deviceUpdate(List<dev.iotdm.protocol.message.FieldValue> fields,
                Duration ignored) {
            return ops.deviceUpdate(fields, timeout);
        }

        @Override
        public CompletableFuture<OperationOutcome> observe(List<String> fields, Duration ignored) {
            return ops.observe(fields, timeout);
        }

        @Override
        public CompletableFuture<OperationOutcome> cancel(List<String> fields, Duration ignored) {
            return ops.cancel(fields, timeout);
        }
    }
}
