package dev.iotdm.cli;

import dev.iotdm.protocol.codec.Codec;
import dev.iotdm.protocol.codec.DecodeError;
import dev.iotdm.protocol.codec.DecodeResult;
import dev.iotdm.protocol.codec.Decoded;
import dev.iotdm.protocol.firmware.Verifier;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.topic.Identifiers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One operator command of {@code dm-cli platform}, typed, from one line of input. Parsing checks
 * everything that can be checked without the platform (arity, ids, JSON, verifiers), so a bad
 * line never reaches it.
 *
 * <p>Thread-safety: every command is immutable.
 */
sealed interface OperatorCommand {

    /** The command reference printed by {@code help}. */
    String HELP = String.join("\n",
            "Commands (one per line; <device> is a client id d:org:type:id, or a device id if unique).",
            "Operations run in the background: one at a time per device (later ones queue), any number of devices at",
            "once; every other command answers at once, and 'status' lists what is pending.",
            "  devices                                    list registered devices and what the platform knows",
            "  status                                     pending operations with their age",
            "  register <org:type:id:token>               register one more device (another token replaces the old)",
            "  reboot <device>                            reboot; OK once it answered 202 and managed again (§7)",
            "  factory-reset <device>                     factory reset; same completion rule",
            "  download <device> <uri> [verifier|-] [version|-] [name]",
            "                                             firmware download flow (§6.2); verifier = MD5 or SHA-256 hex;",
            "                                             name defaults to the uri's last path segment; the value sent",
            "                                             carries all of mgmt.firmware, missing parts from the record",
            "  update <device>                            firmware update (install) flow (§6.3)",
            "  custom <device> <bundle> <action> [name=value...]",
            "                                             custom action (§8); a value is JSON if it parses, else a string;",
            "                                             refused for a bundle the device did not declare unless --anyway",
            "  set <device> <field> <json>                device/update of one field, e.g. set d:o:t:i metadata {\"a\":1};",
            "                                             mgmt.firmware keys are merged into the platform's record",
            "  observe <device> <field...>                observe fields, e.g. observe d:o:t:i mgmt.firmware",
            "  cancel <device> <field...>                 cancel observations",
            "  command <device> <commandId> <json>        send a command on iot-2/cmd/<commandId>/fmt/json",
            "  violations                                 the rule checker's findings and the broker's refusals so far",
            "  help                                       this list",
            "  quit                                       stop the platform; pending operations end 'abandoned at quit'",
            "Options of an operation (right after the command name, e.g. reboot --when-online dev-1):",
            "  --when-online                              wait for an offline device to connect (and manage)",
            "                                             instead of failing at once with 'offline'; quit ends the wait",
            "  --anyway                                   custom: send to an undeclared bundle (recorded as a deviation)",
            "Script steps (--script FILE only):",
            "  wait-managed <device> [seconds]            wait until the device is managed (default: the timeout)",
            "  sleep <seconds>                            pause the script");

    /** An option of an operation line. */
    enum Flag {
        /** {@code --when-online}: wait for an offline device instead of failing at once. */
        WHEN_ONLINE("--when-online"),
        /** {@code --anyway}: send a custom action to a bundle the device did not declare. */
        ANYWAY("--anyway");

        private final String text;

        Flag(String text) {
            this.text = text;
        }

        /** How it is written. */
        String text() {
            return text;
        }
    }

    /**
     * One parsed line: the command and the options it was given.
     *
     * @param command the command
     * @param flags its options
     */
    record Line(OperatorCommand command, java.util.Set<Flag> flags) {
        /** Copies the flags. */
        public Line {
            Objects.requireNonNull(command, "command");
            flags = java.util.Set.copyOf(flags);
        }
    }

    /** {@code status}. */
    record Status() implements OperatorCommand {
    }

    /**
     * {@code wait-managed <device> [seconds]}, a script step.
     *
     * @param device the device reference
     * @param seconds how long to wait, if given
     */
    record WaitManaged(String device, Optional<Integer> seconds) implements OperatorCommand {
    }

    /**
     * {@code sleep <seconds>}, a script step.
     *
     * @param seconds how long
     */
    record Sleep(int seconds) implements OperatorCommand {
    }

    /** {@code devices}. */
    record Devices() implements OperatorCommand {
    }

    /**
     * {@code register <org:type:id:token>}.
     *
     * @param device the device to register
     */
    record Register(DeviceSpec device) implements OperatorCommand {
    }

    /**
     * {@code reboot <device>}.
     *
     * @param device the device reference
     */
    record Reboot(String device) implements OperatorCommand {
    }

    /**
     * {@code factory-reset <device>}.
     *
     * @param device the device reference
     */
    record FactoryReset(String device) implements OperatorCommand {
    }

    /**
     * {@code download <device> <uri> [verifier|-] [version|-] [name]}.
     *
     * @param device the device reference
     * @param uri the image's URI
     * @param verifier the verifier's hex digits, if given
     * @param version the image version, if given
     * @param name the firmware name: as given, else the last path segment of the uri
     */
    record Download(String device, String uri, Optional<String> verifier, Optional<String> version, String name)
            implements OperatorCommand {
    }

    /**
     * {@code update <device>}.
     *
     * @param device the device reference
     */
    record Update(String device) implements OperatorCommand {
    }

    /**
     * {@code custom <device> <bundle> <action> [name=value...]}.
     *
     * @param device the device reference
     * @param bundleId the bundle
     * @param actionId the action
     * @param parameters the parameters, in order
     */
    record Custom(String device, String bundleId, String actionId, List<Parameter> parameters)
            implements OperatorCommand {
    }

    /**
     * {@code set <device> <field> <json>}.
     *
     * @param device the device reference
     * @param field the field and its value, typed as on the wire
     */
    record Set(String device, FieldValue field) implements OperatorCommand {
    }

    /**
     * {@code observe <device> <field...>}.
     *
     * @param device the device
     * @param fields the fields
     */
    record Observe(String device, List<String> fields) implements OperatorCommand {
    }

    /**
     * {@code cancel <device> <field...>}.
     *
     * @param device the device
     * @param fields the fields
     */
    record Cancel(String device, List<String> fields) implements OperatorCommand {
    }

    /**
     * {@code command <device> <commandId> <json>}.
     *
     * @param device the device reference
     * @param commandId the command id (a topic level)
     * @param json the payload, compact JSON
     */
    record SendCommand(String device, String commandId, String json) implements OperatorCommand {
    }

    /** {@code violations}. */
    record Violations() implements OperatorCommand {
    }

    /** {@code help}. */
    record Help() implements OperatorCommand {
    }

    /** {@code quit}. */
    record Quit() implements OperatorCommand {
    }

    /**
     * Parses one line. Blank lines and {@code #} comments give empty.
     *
     * @throws IllegalArgumentException with a message naming the problem and the right form
     */
    static Optional<OperatorCommand> parse(String line) {
        return parseLine(line).map(Line::command);
    }

    /**
     * Parses one line with its options. Blank lines and {@code #} comments give empty.
     *
     * @throws IllegalArgumentException with a message naming the problem and the right form
     */
    static Optional<Line> parseLine(String line) {
        Objects.requireNonNull(line, "line");
        String trimmed = line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return Optional.empty();
        }
        Words w = new Words(trimmed);
        String name = w.next();
        OperatorCommand command = switch (name) {
            case "devices" -> new Devices();
            case "register" -> new Register(DeviceSpec.parse(w.required("<org:type:id:token>",
                    "register <org:type:id:token>")));
            case "reboot" -> new Reboot(w.required("<device>", "reboot <device>"));
            case "factory-reset" -> new FactoryReset(w.required("<device>", "factory-reset <device>"));
            case "download" -> download(w);
            case "update" -> new Update(w.required("<device>", "update <device>"));
            case "custom" -> custom(w);
            case "set" -> set(w);
            case "observe", "cancel" -> fields(name, w);
            case "command" -> command(w);
            case "violations" -> new Violations();
            case "status" -> new Status();
            case "wait-managed" -> new WaitManaged(w.required("<device>", "wait-managed <device> [seconds]"),
                    w.optional().map(t -> seconds(t, "wait-managed <device> [seconds]")));
            case "sleep" -> new Sleep(seconds(w.required("<seconds>", "sleep <seconds>"), "sleep <seconds>"));
            case "help", "?" -> new Help();
            case "quit", "exit" -> new Quit();
            default -> throw new IllegalArgumentException("unknown command '" + name + "'; type 'help' for the list");
        };
        w.requireEnd(name);
        java.util.Set<Flag> flags = w.flags();
        boolean operation = !(command instanceof Devices || command instanceof Register || command instanceof Violations
                || command instanceof Status || command instanceof WaitManaged || command instanceof Sleep
                || command instanceof Help || command instanceof Quit);
        if (!operation && !flags.isEmpty()) {
            throw new IllegalArgumentException(name + " takes no options; " + Flag.WHEN_ONLINE.text()
                    + " is for operations, " + Flag.ANYWAY.text() + " for custom");
        }
        if (flags.contains(Flag.ANYWAY) && !(command instanceof Custom)) {
            throw new IllegalArgumentException(Flag.ANYWAY.text() + " is for custom only");
        }
        return Optional.of(new Line(command, flags));
    }

    private static int seconds(String text, String usage) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0 && n <= 86_400) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a number of seconds (0 to 86400); usage: " + usage);
    }

    private static Download download(Words w) {
        String usage = "download <device> <uri> [verifier|-] [version|-] [name]";
        String device = w.required("<device>", usage);
        String uri = w.required("<uri>", usage);
        Optional<String> verifier = w.optional().filter(v -> !v.equals("-"));
        if (verifier.isPresent() && Verifier.parse(verifier.get()).isEmpty()) {
            throw new IllegalArgumentException("verifier must be 32 (MD5) or 64 (SHA-256) hex digits, or '-' for"
                    + " none; usage: " + usage);
        }
        Optional<String> version = w.optional().filter(v -> !v.equals("-"));
        String name = w.optional().orElseGet(() -> lastSegment(uri));
        return new Download(device, uri, verifier, version, name);
    }

    /** The last non-empty path segment of a URI, without query or fragment; the whole text if it has none. */
    static String lastSegment(String uri) {
        String path = uri;
        int cut = indexOfAny(path, "?#");
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String last = path.substring(path.lastIndexOf('/') + 1);
        return last.isEmpty() ? uri : last;
    }

    private static int indexOfAny(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static Custom custom(Words w) {
        String usage = "custom <device> <bundle> <action> [name=value...]";
        String device = w.required("<device>", usage);
        String bundle = w.required("<bundle>", usage);
        String action = w.required("<action>", usage);
        checkId(Identifiers.checkBundleId(bundle), "bundle", bundle);
        checkId(Identifiers.checkBundleId(action), "action", action);
        List<Parameter> parameters = new ArrayList<>();
        for (Optional<String> p = w.optional(); p.isPresent(); p = w.optional()) {
            int eq = p.get().indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("parameter '" + p.get() + "' must be name=value; usage: " + usage);
            }
            String value = p.get().substring(eq + 1);
            parameters.add(new Parameter(p.get().substring(0, eq), jsonOrString(value)));
        }
        return new Custom(device, bundle, action, parameters);
    }

    private static Set set(Words w) {
        String usage = "set <device> <field> <json>";
        String device = w.required("<device>", usage);
        String field = w.required("<field>", usage);
        JsonValue value = json(w.rest("<json>", usage), usage);
        // The codec types the value exactly as a device/update from the platform would carry it (§4.2).
        JsonObject update = JsonObject.builder().put("reqId", "operator").put("d", JsonObject.builder()
                .put("fields", JsonArray.of(JsonObject.builder().put("field", field).put("value", value).build()))
                .build()).build();
        DecodeResult decoded = Codec.standard().decode("iotdm-1/device/update", update.toJsonBytes());
        if (decoded instanceof Decoded d && d.message() instanceof DeviceUpdate u && u.fields().size() == 1) {
            return new Set(device, u.fields().get(0));
        }
        String why = decoded instanceof DecodeError e ? e.detail() : "not a single field";
        throw new IllegalArgumentException("cannot set " + field + " to that value: " + why);
    }

    private static OperatorCommand fields(String name, Words w) {
        String usage = name + " <device> <field...>";
        String device = w.required("<device>", usage);
        List<String> fields = new ArrayList<>();
        fields.add(w.required("<field>", usage));
        for (Optional<String> f = w.optional(); f.isPresent(); f = w.optional()) {
            fields.add(f.get());
        }
        return name.equals("observe") ? new Observe(device, fields) : new Cancel(device, fields);
    }

    private static SendCommand command(Words w) {
        String usage = "command <device> <commandId> <json>";
        String device = w.required("<device>", usage);
        String commandId = w.required("<commandId>", usage);
        checkId(Identifiers.checkTopicLevel(commandId), "commandId", commandId);
        return new SendCommand(device, commandId, json(w.rest("<json>", usage), usage).toJson());
    }

    private static void checkId(Optional<String> problem, String what, String value) {
        problem.ifPresent(p -> {
            throw new IllegalArgumentException(what + " '" + value + "' " + p);
        });
    }

    private static JsonValue json(String text, String usage) {
        try {
            return JsonValue.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage() + "; usage: " + usage, e);
        }
    }

    private static JsonValue jsonOrString(String text) {
        try {
            return JsonValue.parse(text);
        } catch (IllegalArgumentException notJson) {
            return new JsonString(text);
        }
    }

    /** The words of a line, read left to right; the rest of the line can be taken whole (for JSON). */
    final class Words {
        private final String line;
        private final java.util.Set<Flag> flags = EnumSet.noneOf(Flag.class);
        private int pos;

        Words(String line) {
            this.line = line;
        }

        /** The next word that is not an option; options ({@code --x}) are collected on the way. */
        String next() {
            while (true) {
                String word = word();
                if (!word.startsWith("--")) {
                    return word;
                }
                flags.add(Arrays.stream(Flag.values()).filter(f -> f.text().equals(word)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown option '" + word + "'; options: "
                                + Flag.WHEN_ONLINE.text() + ", " + Flag.ANYWAY.text())));
            }
        }

        java.util.Set<Flag> flags() {
            return flags;
        }

        private String word() {
            skipBlanks();
            int start = pos;
            while (pos < line.length() && !Character.isWhitespace(line.charAt(pos))) {
                pos++;
            }
            return line.substring(start, pos);
        }

        Optional<String> optional() {
            String word = next();
            return word.isEmpty() ? Optional.empty() : Optional.of(word);
        }

        String required(String what, String usage) {
            return optional().orElseThrow(() -> new IllegalArgumentException("missing " + what + "; usage: " + usage));
        }

        String rest(String what, String usage) {
            skipBlanks();
            String rest = line.substring(pos).strip();
            pos = line.length();
            if (rest.isEmpty()) {
                throw new IllegalArgumentException("missing " + what + "; usage: " + usage);
            }
            return rest;
        }

        void requireEnd(String command) {
            Optional<String> extra = optional();
            if (extra.isPresent()) {
                throw new IllegalArgumentException("unexpected '" + extra.get() + "' after " + command
                        + "; type 'help' for the forms");
            }
        }

        private void skipBlanks() {
            while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
                pos++;
            }
        }
    }
}
