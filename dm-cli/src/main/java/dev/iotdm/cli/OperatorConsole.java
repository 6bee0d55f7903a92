package dev.iotdm.cli;

import dev.iotdm.protocol.codec.WireText;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.testkit.platform.DeviceView;
import dev.iotdm.testkit.platform.FakePlatform;
import dev.iotdm.testkit.platform.FirmwareImage;
import dev.iotdm.testkit.platform.OperationOutcome;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Carries out operator commands against a running {@link FakePlatform} without ever blocking the
 * input: operations run in the background, one at a time per device (later ones queue behind it)
 * and any number of devices at once; {@code devices}, {@code status}, {@code violations},
 * {@code help} and {@code quit} answer at once. Each operation prints {@code <what>: started} before
 * its first message goes out and {@code <what>: <outcome>} when it ends; a command that cannot run
 * prints {@code error: ...}.
 *
 * <p>Targeting is decided here, not in the platform, which sends what its API is told: an
 * operation to a device that is not connected fails at once with {@code offline} unless
 * {@code --when-online}; a command to an offline device is sent only when the broker keeps a
 * session that queues it; a custom action to a bundle the device did not declare is refused unless
 * {@code --anyway}.
 *
 * <p>Thread-safety: thread-safe. {@link #handle} is called by one reader; outcomes are printed from
 * the platform's completion threads and the console's own worker threads.
 */
final class OperatorConsole implements AutoCloseable {

    /** Extra time for an operation's future beyond its own timeout, which the engine enforces. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    private final FakePlatform platform;
    private final ConsoleFindings findings;
    private final PrintStream out;
    private final Duration timeout;
    private final boolean scripted;
    private final List<String> clientIds = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> tokenDigests = new ConcurrentHashMap<>();
    /** Per device, the completion of its last queued operation: the next one starts after it. */
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final Map<Long, Pending> pending = new ConcurrentSkipListMap<>();
    /** After a successful update: what the platform knew then, until the device reports again. */
    private final Map<String, Unconfirmed> unconfirmed = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicInteger notOk = new AtomicInteger();
    private volatile boolean quitting;
    private final ExecutorService workers = Executors.newCachedThreadPool(runnable -> {
        Thread t = new Thread(runnable, "iotdm-operator-console");
        t.setDaemon(true);
        return t;
    });

    /**
     * A console.
     *
     * @param platform the running platform
     * @param findings where violations and refusals are judged and printed
     * @param out where outcomes go
     * @param timeout the operations' timeout
     * @param scripted whether input comes from a script (allows {@code wait-managed} and {@code sleep})
     */
    OperatorConsole(FakePlatform platform, ConsoleFindings findings, PrintStream out, Duration timeout,
            boolean scripted) {
        this.platform = Objects.requireNonNull(platform, "platform");
        this.findings = Objects.requireNonNull(findings, "findings");
        this.out = Objects.requireNonNull(out, "out");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.scripted = scripted;
    }

    /**
     * Registers a device with the platform; registering it again with another token replaces the
     * token, with a warning.
     *
     * @return its client id
     * @throws IllegalArgumentException if the platform refuses it
     */
    String register(DeviceSpec spec) {
        String clientId = platform.registerDevice(spec.org(), spec.typeId(), spec.deviceId(), spec.token());
        byte[] digest = sha256(spec.token());
        byte[] before = tokenDigests.put(clientId, digest);
        if (before != null && !MessageDigest.isEqual(before, digest)) {
            out.println("warning: " + clientId + " was registered with another token; the new one replaces it and"
                    + " the old one no longer connects");
        }
        if (!clientIds.contains(clientId)) {
            clientIds.add(clientId);
        }
        return clientId;
    }

    /** The client ids registered so far, in order. */
    List<String> clientIds() {
        return List.copyOf(clientIds);
    }

    /**
     * Handles one input line; returns at once except for the script steps {@code wait-managed} and
     * {@code sleep}.
     *
     * @return false when the line asked to quit
     */
    boolean handle(String line) {
        Optional<OperatorCommand.Line> parsed;
        try {
            parsed = OperatorCommand.parseLine(line);
        } catch (IllegalArgumentException e) {
            out.println("error: " + e.getMessage());
            return true;
        }
        if (parsed.isEmpty()) {
            return true;
        }
        OperatorCommand command = parsed.get().command();
        if (command instanceof OperatorCommand.Quit) {
            quit();
            return false;
        }
        try {
            run(command, parsed.get().flags());
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("error: " + DmCli.describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.println("error: interrupted");
            quit();
            return false;
        }
        return true;
    }

    /** Ends every pending operation with "abandoned at quit"; nothing waits for them, and no queued one starts. */
    void quit() {
        quitting = true;
        for (Pending p : List.copyOf(pending.values())) {
            finish(p, "abandoned at quit", false);
            p.cancelWait();
        }
    }

    /**
     * Waits until no operation is pending (a script's end): each ends by its own timeout.
     *
     * @return false if some were still pending after the bound, and were abandoned
     */
    boolean awaitIdle() throws InterruptedException {
        while (!pending.isEmpty()) {
            List<Pending> now = List.copyOf(pending.values());
            CompletableFuture<?> all = CompletableFuture.allOf(now.stream().map(p -> p.done)
                    .toArray(CompletableFuture[]::new));
            long bound = timeout.plus(GRACE).multipliedBy(now.size() + 1L).toMillis();
            try {
                all.get(bound, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                // every outcome was printed already
            } catch (TimeoutException e) {
                quit();
                return false;
            }
        }
        return true;
    }

    /** How many operations did not end OK (failed, refused, timed out, offline, abandoned). */
    int notOk() {
        return notOk.get();
    }

    /** The rule checker's and the broker's verdict in a few lines. */
    String verdict() {
        return findings.verdict();
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        quit();
        workers.shutdownNow();
    }

    private void run(OperatorCommand command, Set<OperatorCommand.Flag> flags) throws InterruptedException {
        boolean whenOnline = flags.contains(OperatorCommand.Flag.WHEN_ONLINE);
        if (command instanceof OperatorCommand.Devices) {
            devices();
        } else if (command instanceof OperatorCommand.Status) {
            status();
        } else if (command instanceof OperatorCommand.Register c) {
            out.println("register " + register(c.device()) + ": OK");
        } else if (command instanceof OperatorCommand.Reboot c) {
            String id = resolve(c.device());
            submit(new Op("reboot " + id, id, true, whenOnline, v -> Optional.empty(),
                    () -> platform.reboot(id, timeout), this::deviceAction));
        } else if (command instanceof OperatorCommand.FactoryReset c) {
            String id = resolve(c.device());
            submit(new Op("factory-reset " + id, id, true, whenOnline, v -> Optional.empty(),
                    () -> platform.factoryReset(id, timeout), this::deviceAction));
        } else if (command instanceof OperatorCommand.Download c) {
            String id = resolve(c.device());
            FirmwareImage image = FirmwareImage.of(c.version().orElse(null), c.name(), c.uri(),
                    c.verifier().orElse(null));
            submit(new Op("download " + id, id, true, whenOnline, v -> Optional.empty(),
                    () -> platform.firmwareDownload(id, Optional.of(image), timeout), Outcomes::describe));
        } else if (command instanceof OperatorCommand.Update c) {
            String id = resolve(c.device());
            submit(new Op("update " + id, id, true, whenOnline, v -> Optional.empty(),
                    () -> platform.firmwareUpdate(id, Optional.empty(), timeout), o -> updated(id, o)));
        } else if (command instanceof OperatorCommand.Custom c) {
            String id = resolve(c.device());
            boolean anyway = flags.contains(OperatorCommand.Flag.ANYWAY);
            submit(new Op("custom " + id + " " + c.bundleId() + "/" + c.actionId(), id, true, whenOnline,
                    v -> undeclaredBundle(v, c.bundleId(), anyway),
                    () -> platform.customAction(id, c.bundleId(), c.actionId(), c.parameters(), timeout),
                    Outcomes::describe));
        } else if (command instanceof OperatorCommand.Set c) {
            String id = resolve(c.device());
            submit(new Op("set " + id + " " + c.field().field(), id, true, whenOnline, v -> Optional.empty(),
                    () -> platform.deviceUpdate(id, List.of(c.field()), timeout), Outcomes::describe));
        } else if (command instanceof OperatorCommand.Observe c) {
            String id = resolve(c.device());
            submit(new Op("observe " + id + " " + String.join(" ", c.fields()), id, true, whenOnline,
                    v -> Optional.empty(), () -> platform.observe(id, c.fields(), timeout), Outcomes::describe));
        } else if (command instanceof OperatorCommand.Cancel c) {
            String id = resolve(c.device());
            submit(new Op("cancel " + id + " " + String.join(" ", c.fields()), id, true, whenOnline,
                    v -> Optional.empty(), () -> platform.cancel(id, c.fields(), timeout), Outcomes::describe));
        } else if (command instanceof OperatorCommand.SendCommand c) {
            String id = resolve(c.device());
            submit(new Op("command " + id + " " + c.commandId(), id, false, whenOnline, v -> Optional.empty(),
                    () -> platform.command(id, c.commandId(), "json", c.json().getBytes(StandardCharsets.UTF_8)),
                    Outcomes::describe));
        } else if (command instanceof OperatorCommand.Violations) {
            out.println("violations: " + verdict());
        } else if (command instanceof OperatorCommand.Help) {
            out.println(OperatorCommand.HELP);
        } else if (command instanceof OperatorCommand.WaitManaged c) {
            waitManaged(c);
        } else if (command instanceof OperatorCommand.Sleep c) {
            requireScript("sleep");
            Thread.sleep(TimeUnit.SECONDS.toMillis(c.seconds())); // a script's own pause, not synchronisation
            out.println("sleep " + c.seconds() + ": OK");
        }
    }

    // ---- operations ---------------------------------------------------------------------------

    /**
     * One operation as the console runs it.
     *
     * @param what its name in the output, e.g. {@code reboot d:o:t:i}
     * @param clientId the device
     * @param management whether it is a DM request (needs the device managed), not a command
     * @param whenOnline whether to wait for an offline device
     * @param refusal a check at start time: the reason to refuse, if any
     * @param start starts it on the platform
     * @param describe its outcome as text
     */
    private record Op(String what, String clientId, boolean management, boolean whenOnline,
            Function<DeviceView, Optional<String>> refusal, Supplier<CompletableFuture<OperationOutcome>> start,
            Function<OperationOutcome, String> describe) {
    }

    /** A submitted operation until its outcome is printed. */
    private static final class Pending {
        final long id;
        final Op op;
        final long submittedNanos = System.nanoTime();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();
        volatile String state = "queued behind an earlier operation on the device";
        volatile CompletableFuture<?> waitingOn;

        Pending(long id, Op op) {
            this.id = id;
            this.op = op;
        }

        void cancelWait() {
            CompletableFuture<?> w = waitingOn;
            if (w != null) {
                w.cancel(false);
            }
        }
    }

    /** Queues {@code op} behind the device's earlier operations and returns at once. */
    private void submit(Op op) {
        Pending p = new Pending(ids.incrementAndGet(), op);
        pending.put(p.id, p);
        CompletableFuture<Void> before = tails.put(op.clientId(), p.done);
        if (before == null || before.isDone()) {
            start(p);
        } else {
            out.println(op.what() + ": queued behind the device's pending operation");
            before.whenCompleteAsync((ok, error) -> start(p), workers);
        }
    }

    /** Checks the target, then starts the operation or waits for the device to come online. */
    private void start(Pending p) {
        if (p.finished.get() || quitting) {
            return;
        }
        Op op = p.op;
        DeviceView view;
        try {
            view = platform.device(op.clientId());
        } catch (RuntimeException e) {
            finish(p, "ERROR " + DmCli.describe(e), false);
            return;
        }
        if (!view.connected()) {
            if (op.whenOnline()) {
                waitForDevice(p);
            } else if (op.management()) {
                finish(p, "FAILED offline: the device is not connected (add --when-online to wait for it)", false);
            } else {
                offlineCommand(p);
            }
            return;
        }
        send(p, view);
    }

    private void waitForDevice(Pending p) {
        Op op = p.op;
        p.state = op.management() ? "waiting for the device to connect and manage" : "waiting for the device to connect";
        // No bound of its own: the operator asked for "when it is online"; status shows it, quit ends it.
        out.println(op.what() + ": the device is offline; " + p.state + " (status lists it, quit ends it)");
        Predicate<DeviceView> ready = op.management() ? v -> v.connected() && v.managed() : DeviceView::connected;
        CompletableFuture<DeviceView> online;
        try {
            online = platform.whenDevice(op.clientId(), ready);
        } catch (RuntimeException e) {
            finish(p, "ERROR " + DmCli.describe(e), false);
            return;
        }
        p.waitingOn = online;
        online.whenCompleteAsync((view, error) -> {
            if (error == null) {
                send(p, view);
            } else {
                finish(p, "ERROR " + DmCli.describe(unwrap(error)), false);
            }
        }, workers);
    }

    /** A command to an offline device goes only into a kept session, where the broker queues it. */
    private void offlineCommand(Pending p) {
        boolean kept;
        try {
            kept = platform.brokerKeepsSession(p.op.clientId()).get(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            finish(p, "ERROR the broker did not say whether it keeps a session for the device: "
                    + DmCli.describe(unwrap(e)), false);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            finish(p, "ERROR interrupted", false);
            return;
        }
        if (!kept) {
            finish(p, "DROPPED: the device is offline and the broker keeps no session for it (clean session), so"
                    + " nothing would queue it; not sent (add --when-online to send it once the device connects)",
                    false);
            return;
        }
        Op queued = new Op(p.op.what(), p.op.clientId(), false, false, p.op.refusal(), p.op.start(),
                o -> Outcomes.succeeded(o) ? "QUEUED by the broker in the device's kept session; it is delivered when"
                        + " the device reconnects" : Outcomes.describe(o));
        send(new Pending(p.id, queued), p);
    }

    private void send(Pending p, DeviceView view) {
        send(p, p, view);
    }

    private void send(Pending p, Pending owner) {
        DeviceView view;
        try {
            view = platform.device(p.op.clientId());
        } catch (RuntimeException e) {
            finish(owner, "ERROR " + DmCli.describe(e), false);
            return;
        }
        send(p, owner, view);
    }

    /** Starts {@code p}'s operation on the platform; {@code owner} is what {@link #pending} and quit know. */
    private void send(Pending p, Pending owner, DeviceView view) {
        if (owner.finished.get() || quitting) {
            return;
        }
        Optional<String> refused = p.op.refusal().apply(view);
        if (refused.isPresent()) {
            finish(owner, "REFUSED: " + refused.get(), false);
            return;
        }
        owner.state = "running";
        // Printed before the first message of the operation can reach the transcript.
        out.println(p.op.what() + ": started");
        CompletableFuture<OperationOutcome> future;
        try {
            future = p.op.start().get();
        } catch (RuntimeException e) {
            finish(owner, "ERROR " + DmCli.describe(e), false);
            return;
        }
        owner.waitingOn = future;
        future.whenComplete((outcome, error) -> {
            if (error != null) {
                finish(owner, "ERROR " + DmCli.describe(unwrap(error)), false);
            } else {
                finish(owner, p.op.describe().apply(outcome), Outcomes.succeeded(outcome));
            }
        });
    }

    /** Prints the outcome once; later outcomes (e.g. a failure after quit) are dropped on purpose. */
    private void finish(Pending p, String outcome, boolean ok) {
        if (!p.finished.compareAndSet(false, true)) {
            return;
        }
        pending.remove(p.id);
        if (!ok) {
            notOk.incrementAndGet();
        }
        out.println(p.op.what() + ": " + outcome);
        p.done.complete(null);
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Reboot and factory reset: a 202 without a new manage is told apart from no answer at all. */
    private String deviceAction(OperationOutcome outcome) {
        if (outcome instanceof OperationOutcome.TimedOut t) {
            // The engine waits for a manage only once the device accepted with 202 (§7).
            return t.waitingFor().contains("accepted with 202")
                    ? "TIMED OUT: accepted (202), device did not manage again within " + timeout.toSeconds() + " s"
                    : "TIMED OUT: no answer within " + timeout.toSeconds() + " s (" + Outcomes.describe(t) + ")";
        }
        return Outcomes.describe(outcome);
    }

    /** After a successful update the platform's fwVersion is stale until the device reports deviceInfo again. */
    private String updated(String clientId, OperationOutcome outcome) {
        if (!Outcomes.succeeded(outcome)) {
            return Outcomes.describe(outcome);
        }
        try {
            DeviceView v = platform.device(clientId);
            unconfirmed.put(clientId, new Unconfirmed(v.manageCount(), v.deviceInfo()));
        } catch (RuntimeException e) {
            return Outcomes.describe(outcome) + " (the platform's record could not be read: " + DmCli.describe(e) + ")";
        }
        return Outcomes.describe(outcome) + " (devices shows fwVersion unconfirmed until the device reports its"
                + " deviceInfo again, e.g. in its next manage)";
    }

    /** What the platform knew of a device when an update succeeded. */
    private record Unconfirmed(int manageCount, Optional<DeviceInfo> deviceInfo) {
        boolean stillHolds(DeviceView v) {
            return v.manageCount() == manageCount && v.deviceInfo().equals(deviceInfo);
        }
    }

    private Optional<String> undeclaredBundle(DeviceView view, String bundleId, boolean anyway) {
        List<String> declared = view.supports().map(Supports::bundleIds).orElse(List.of());
        if (declared.contains(bundleId)) {
            return Optional.empty();
        }
        String declaredText = declared.isEmpty() ? "none" : String.join(", ", declared);
        if (anyway) {
            findings.deviation(view.clientId(), "custom action sent to bundle '" + bundleId
                    + "', which the device did not declare in mgmt.supports (declared: " + declaredText + ")");
            return Optional.empty();
        }
        return Optional.of("the device did not declare bundle '" + bundleId + "' in its manage (declared: "
                + declaredText + "); add --anyway to send it (recorded as a deviation)");
    }

    // ---- immediate commands -------------------------------------------------------------------

    private void devices() {
        if (clientIds.isEmpty()) {
            out.println("devices: none registered");
            return;
        }
        StringBuilder b = new StringBuilder("devices: ").append(clientIds.size());
        for (String id : clientIds) {
            DeviceView v = platform.device(id);
            Unconfirmed u = unconfirmed.get(id);
            boolean stale = u != null && u.stillHolds(v);
            if (u != null && !stale) {
                unconfirmed.remove(id, u);
            }
            b.append("\n  ").append(id).append(v.connected() ? " connected" : " offline")
                    .append(v.managed() ? " managed" : v.dormant() ? " dormant" : " unmanaged")
                    .append(" fwVersion=").append(v.deviceInfo().flatMap(DeviceInfo::fwVersion).map(WireText::escape)
                            .orElse("-"))
                    .append(stale ? "(unconfirmed since the update)" : "")
                    .append(" firmware=").append(v.firmwareState().map(Enum::name).orElse("-"))
                    .append("/").append(v.firmwareUpdateStatus().map(Enum::name).orElse("-"))
                    .append(v.firmware().flatMap(FirmwareInfo::version).map(x -> " fw.version=" + WireText.escape(x))
                            .orElse(""))
                    .append(" errorCodes=").append(v.errorCodes()).append(" log=").append(v.log().size())
                    .append(v.supports().map(s -> s.bundleIds().isEmpty() ? ""
                            : " bundles=" + WireText.escape(String.join(",", s.bundleIds()))).orElse(""))
                    .append(v.observations().isEmpty() ? "" : " observing=" + WireText.escape(v.observations().toString()))
                    .append(v.location().map(l -> " location=" + l.latitude() + "," + l.longitude()).orElse(""));
        }
        out.println(b);
    }

    private void status() {
        List<Pending> now = List.copyOf(pending.values());
        StringBuilder b = new StringBuilder("status: ").append(now.size()).append(" pending operation(s)");
        long nanos = System.nanoTime();
        for (Pending p : now) {
            b.append("\n  #").append(p.id).append(' ').append(p.op.what()).append(": ").append(p.state).append(", ")
                    .append(TimeUnit.NANOSECONDS.toSeconds(nanos - p.submittedNanos)).append(" s since submitted");
        }
        out.println(b);
    }

    private void waitManaged(OperatorCommand.WaitManaged c) {
        requireScript("wait-managed");
        String id = resolve(c.device());
        Duration wait = c.seconds().map(s -> Duration.ofSeconds(Math.max(1, s))).orElse(timeout);
        try {
            platform.awaitManaged(id, wait);
            out.println("wait-managed " + id + ": OK");
        } catch (AssertionError e) {
            notOk.incrementAndGet();
            out.println("wait-managed " + id + ": TIMED OUT: not managed within " + wait.toSeconds() + " s");
        }
    }

    private void requireScript(String step) {
        if (!scripted) {
            throw new IllegalArgumentException(step + " is a script step (--script FILE); the console never waits");
        }
    }

    /** A client id, or a device id that names exactly one registered device. */
    private String resolve(String device) {
        if (clientIds.contains(device)) {
            return device;
        }
        List<String> matches = clientIds.stream().filter(id -> id.endsWith(":" + device)).toList();
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (clientIds.isEmpty()) {
            throw new IllegalArgumentException("unknown device '" + device + "': no devices are registered");
        }
        throw new IllegalArgumentException((matches.isEmpty() ? "unknown device '" : "ambiguous device '") + device
                + "'; registered: " + String.join(", ", clientIds));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
