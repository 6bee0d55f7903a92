package dev.iotdm.protocol.testing;

import dev.iotdm.pbt.Choices;
import dev.iotdm.pbt.Gen;
import dev.iotdm.protocol.firmware.FirmwareState;
import dev.iotdm.protocol.firmware.UpdateStatus;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.ClearErrorCodes;
import dev.iotdm.protocol.message.ClearLog;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.DeviceMessage;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FactoryReset;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareDownload;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.FirmwareUpdate;
import dev.iotdm.protocol.message.KnownRc;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.LogSeverity;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.OtherField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Payload;
import dev.iotdm.protocol.message.PlatformMessage;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Rc;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.protocol.message.Unmanage;
import dev.iotdm.protocol.message.UpdateLocation;
import dev.iotdm.protocol.topic.CommandTopic;
import dev.iotdm.protocol.topic.CustomActionTopic;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.EventTopic;
import dev.iotdm.protocol.topic.Identifiers;
import dev.iotdm.protocol.topic.Topic;
import dev.iotdm.protocol.topic.UnknownTopic;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Generators of every message, value and topic of the protocol, for codec, session and platform
 * properties in any module (shipped in dm-protocol's test-jar).
 *
 * <p>Every generated message is <em>canonical</em>: the codec encodes it and decodes it back
 * equal, with no {@code Normalisation}. So timestamps always carry a zone or offset, doubles
 * are finite, strings are well-formed Unicode, lifetimes are 0 or at least 3600, ids are valid
 * topic levels. Within that, values reach the edges: coordinates at ±90/±180 and {@code -0.0},
 * the extreme doubles, every {@code int} error code, unknown response codes, 255-character
 * bundle ids, 1024-character topic levels, astral characters and escapes in every string.
 *
 * <p>Thread-safety: stateless; the generators may be shared.
 */
public final class MessageGens {

    /** The characters of bundle and action ids (protocol.md §8.1). */
    private static final String BUNDLE_ID_CHARS =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-";

    /** Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z. */
    private static final long MIN_EPOCH_SECOND = LocalDateTime.of(1, 1, 1, 0, 0).toEpochSecond(ZoneOffset.UTC);
    private static final long MAX_EPOCH_SECOND = LocalDateTime.of(9999, 12, 31, 23, 59, 59).toEpochSecond(ZoneOffset.UTC);

    private MessageGens() {
    }

    // ---------------------------------------------------------------- text and ids

    /**
     * Request ids: short identifiers, UUIDs as every SDK sends (protocol.md §2.1), and arbitrary
     * Unicode including the empty string (the protocol only asks for a string).
     */
    public static Gen<String> reqIds() {
        return Gen.frequency(
                Gen.weighted(3, Gen.asciiIdentifiers(1, 8)),
                Gen.weighted(3, uuids()),
                Gen.weighted(1, Gen.unicodeStrings(0, 40)));
    }

    /** Random UUID strings. */
    public static Gen<String> uuids() {
        Gen<Long> bits = Gen.longs(Long.MIN_VALUE, Long.MAX_VALUE);
        return c -> new UUID(bits.generate(c), bits.generate(c)).toString();
    }

    /** Free text (messages, deviceInfo values, firmware names): any well-formed Unicode, often empty. */
    public static Gen<String> texts() {
        return Gen.unicodeStrings(0, 24);
    }

    /**
     * Bundle and action ids (protocol.md §8.1): 1 to 255 of {@code [A-Za-z0-9._-]}, mostly short,
     * sometimes at the 255-character limit.
     */
    public static Gen<String> bundleIds() {
        return Gen.frequency(
                Gen.weighted(16, Gen.strings(BUNDLE_ID_CHARS, 1, 16)),
                Gen.weighted(3, Gen.elements("acme-plugins-v1", "installPlugin", ".", "-", "_")),
                Gen.weighted(1, Gen.strings(BUNDLE_ID_CHARS, 250, 255)));
    }

    /**
     * Event ids, command ids and formats: any non-empty Unicode without {@code / + #} or NUL, up
     * to the 1024-character limit of {@link Identifiers#MAX_TOPIC_LEVEL_LENGTH}.
     */
    public static Gen<String> topicLevels() {
        Gen<String> free = Gen.frequency(
                Gen.weighted(20, Gen.unicodeStrings(1, 12)),
                Gen.weighted(1, Gen.unicodeStrings(Identifiers.MAX_TOPIC_LEVEL_LENGTH - 4,
                        Identifiers.MAX_TOPIC_LEVEL_LENGTH)));
        return Gen.frequency(
                Gen.weighted(2, Gen.elements("json", "status", "txt", "bin", "fmt", "evt", "cmd")),
                Gen.weighted(5, free.map(MessageGens::asTopicLevel)));
    }

    /** Replaces the characters a topic level may not hold (protocol.md §10.1) by {@code _}. */
    private static String asTopicLevel(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> b.appendCodePoint(cp == '/' || cp == '+' || cp == '#' || cp == 0 ? '_' : cp));
        String level = b.toString();
        // a long level of astral characters is longer in chars than in code points
        return level.length() <= Identifiers.MAX_TOPIC_LEVEL_LENGTH ? level
                : level.substring(0, Character.isHighSurrogate(level.charAt(Identifiers.MAX_TOPIC_LEVEL_LENGTH - 1))
                        ? Identifiers.MAX_TOPIC_LEVEL_LENGTH - 1 : Identifiers.MAX_TOPIC_LEVEL_LENGTH);
    }

    /**
     * Device-model field names such as {@code mgmt.firmware} for observe and cancel: the real
     * paths and arbitrary non-empty Unicode.
     */
    public static Gen<String> fieldNames() {
        return Gen.frequency(
                Gen.weighted(3, Gen.elements(FieldValue.FIRMWARE, FieldValue.LOCATION, FieldValue.DEVICE_INFO,
                        FieldValue.METADATA, "mgmt.firmware.state", "mgmt.firmware.updateStatus",
                        "deviceInfo.fwVersion")),
                Gen.weighted(2, Gen.unicodeStrings(1, 16)));
    }

    // ---------------------------------------------------------------- values

    /**
     * ISO 8601 date-times with a zone: {@code Z} or an offset up to ±18:00, with or without
     * seconds, with 0 to 9 fractional digits, years 0001 to 9999; the canonical
     * {@code 2018-05-01T10:15:30.123Z} form most often (protocol.md §12.21).
     */
    public static Gen<Timestamp> timestamps() {
        Gen<String> offsets = Gen.frequency(
                Gen.weighted(4, Gen.constant("Z")),
                Gen.weighted(1, Gen.elements("+00:00", "-00:00", "+05:30", "-08:00", "+18:00", "-18:00")),
                Gen.weighted(2, c -> {
                    int minutes = Gen.integers(-18 * 60, 18 * 60).generate(c);
                    return ZoneOffset.ofTotalSeconds(minutes * 60).getId().replace("Z", "+00:00");
                }));
        return Gen.frequency(
                Gen.weighted(2, utcTimestamps()),
                Gen.weighted(3, c -> new Timestamp(localText(c) + offsets.generate(c))));
    }

    /** Date-times in UTC written with {@code Z}, with or without seconds and fraction. */
    public static Gen<Timestamp> utcTimestamps() {
        return c -> new Timestamp(localText(c) + "Z");
    }

    /** The local part of a date-time: {@code uuuu-MM-ddTHH:mm[:ss[.f{1,9}]]}. */
    private static String localText(Choices c) {
        long second = Gen.longs(MIN_EPOCH_SECOND, MAX_EPOCH_SECOND).generate(c);
        int nano = Gen.integers(0, 999_999_999).generate(c);
        LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d",
                t.getYear(), t.getMonthValue(), t.getDayOfMonth(), t.getHour(), t.getMinute()));
        int form = (int) c.draw(3); // 0: seconds and millis (canonical), 1: seconds, 2: minutes only, 3: any fraction
        if (form != 2) {
            b.append(String.format(Locale.ROOT, ":%02d", t.getSecond()));
        }
        if (form == 0) {
            b.append(String.format(Locale.ROOT, ".%03d", nano / 1_000_000));
        } else if (form == 3) {
            b.append('.').append(String.format(Locale.ROOT, "%09d", nano), 0, 1 + (int) c.draw(8));
        }
        return b.toString();
    }

    /** Latitudes: anything in [-90, 90], the poles, {@code -0.0} and the tiniest magnitudes. */
    public static Gen<Double> latitudes() {
        return coordinates(90);
    }

    /** Longitudes: anything in [-180, 180], the antimeridian, {@code -0.0} and the tiniest magnitudes. */
    public static Gen<Double> longitudes() {
        return coordinates(180);
    }

    private static Gen<Double> coordinates(double bound) {
        return Gen.frequency(
                Gen.weighted(4, Gen.doubles(-bound, bound)),
                Gen.weighted(1, Gen.elements(bound, -bound, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE,
                        Math.nextDown(bound), Math.nextUp(-bound), bound / 3, 0.1 - bound)));
    }

    /**
     * Locations (protocol.md §3.3, §11) with every optional part present or absent, extreme but
     * valid coordinates, elevations of any finite size and accuracies of at least 0 (also -0.0).
     */
    public static Gen<Location> locations() {
        Gen<OptionalDouble> elevations = optionalDoubles(Gen.doubles());
        Gen<OptionalDouble> accuracies = optionalDoubles(Gen.frequency(
                Gen.weighted(4, Gen.doubles(0, Double.MAX_VALUE)),
                Gen.weighted(1, Gen.elements(0.0, -0.0, Double.MIN_VALUE, 5.0))));
        Gen<Optional<Timestamp>> times = timestamps().optional();
        return c -> new Location(latitudes().generate(c), longitudes().generate(c), elevations.generate(c),
                accuracies.generate(c), times.generate(c), times.generate(c));
    }

    private static Gen<OptionalDouble> optionalDoubles(Gen<Double> values) {
        return values.optional().map(o -> o.map(OptionalDouble::of).orElseGet(OptionalDouble::empty));
    }

    /** Device infos with any subset of the eight attributes set, to any text (also empty). */
    public static Gen<DeviceInfo> deviceInfos() {
        Gen<Optional<String>> values = texts().optional();
        return c -> {
            DeviceInfo.Builder b = DeviceInfo.builder();
            for (String key : DeviceInfo.KEYS) {
                b.set(key, values.generate(c).orElse(null));
            }
            return b.build();
        };
    }

    /**
     * Firmware objects (protocol.md §6.1), whole or partial: any subset of the seven attributes,
     * {@code updatedDateTime} only as a valid timestamp (the wire's {@code ""} is non-canonical).
     */
    public static Gen<FirmwareInfo> firmwareInfos() {
        Gen<Optional<String>> strings = Gen.oneOf(texts(), Gen.elements("1.0.4", "https://example.com/fw/1.0.4.bin"))
                .optional();
        Gen<Optional<FirmwareState>> states = Gen.elements(FirmwareState.values()).optional();
        Gen<Optional<UpdateStatus>> statuses = Gen.elements(UpdateStatus.values()).optional();
        Gen<Optional<Timestamp>> times = timestamps().optional();
        return c -> new FirmwareInfo(strings.generate(c), strings.generate(c), strings.generate(c),
                strings.generate(c), states.generate(c), statuses.generate(c), times.generate(c));
    }

    /** Free-form metadata objects of any JSON inside. */
    public static Gen<JsonObject> metadata() {
        return JsonGens.objects(freeJson(), 5);
    }

    /**
     * The free-form JSON inside messages (metadata members, other field values, parameters,
     * response data): any value, three levels deep at most, so a message stays small.
     */
    public static Gen<JsonValue> freeJson() {
        return JsonGens.values(3, 4);
    }

    /** supports objects (protocol.md §3.1, §8.2): both flags and 0 to 4 bundle ids. */
    public static Gen<Supports> supports() {
        Gen<String> bundles = bundleIds().filter(id -> !id.equals("deviceActions") && !id.equals("firmwareActions"));
        return c -> new Supports(Gen.booleans().generate(c), Gen.booleans().generate(c),
                Gen.listOf(bundles, 0, 4).generate(c));
    }

    /**
     * Fields of notify, device/update and observe answers, of every {@link FieldValue} kind:
     * partial firmware, locations, device infos, metadata, and other names with any JSON value.
     */
    public static Gen<FieldValue> fieldValues() {
        Gen<String> otherNames = Gen.frequency(
                Gen.weighted(2, Gen.elements("deviceInfo.fwVersion", "mgmt.firmware.state", "location.latitude",
                        "mgmt", "acme.custom")),
                Gen.weighted(2, Gen.unicodeStrings(1, 12)))
                .filter(name -> !FieldValue.isTyped(name));
        Gen<OtherField> others = c -> new OtherField(otherNames.generate(c), freeJson().generate(c));
        return Gen.oneOf(
                firmwareInfos().map(FirmwareField::new),
                locations().map(LocationField::new),
                deviceInfos().map(DeviceInfoField::new),
                metadata().map(MetadataField::new),
                others);
    }

    /** Response codes: the protocol's known ones and any other three-digit code. */
    public static Gen<Rc> rcs() {
        List<Rc> known = new ArrayList<>();
        for (KnownRc k : KnownRc.values()) {
            known.add(k.rc());
        }
        return Gen.frequency(
                Gen.weighted(3, Gen.elements(known)),
                Gen.weighted(1, Gen.elements(100, 999, 201, 299, 401, 503).map(Rc::of)),
                Gen.weighted(2, Gen.integers(100, 999).map(Rc::of)));
    }

    /** Event and command payloads: arbitrary bytes, text, JSON, and empty. */
    public static Gen<Payload> payloads() {
        return Gen.oneOf(
                Gen.bytes(0, 64).map(Payload::of),
                Gen.unicodeStrings(0, 40).map(Payload::ofUtf8),
                freeJson().map(Payload::ofJson));
    }

    // ---------------------------------------------------------------- topics

    /** The fixed DM topics of protocol.md §2.2, both directions. */
    public static Gen<DmTopic> dmTopics() {
        return Gen.elements(DmTopic.values());
    }

    /** Custom-action topics (protocol.md §8.3) with any valid bundle and action ids. */
    public static Gen<CustomActionTopic> customActionTopics() {
        return c -> new CustomActionTopic(bundleIds().generate(c), bundleIds().generate(c));
    }

    /** Event topics (protocol.md §10.1) with any valid event id and format. */
    public static Gen<EventTopic> eventTopics() {
        return c -> new EventTopic(topicLevels().generate(c), topicLevels().generate(c));
    }

    /** Command topics (protocol.md §10.2) with any valid command id and format. */
    public static Gen<CommandTopic> commandTopics() {
        return c -> new CommandTopic(topicLevels().generate(c), topicLevels().generate(c));
    }

    /** Every typed topic: DM, custom action, event, command. */
    public static Gen<Topic> typedTopics() {
        return Gen.oneOf(dmTopics(), customActionTopics(), eventTopics(), commandTopics());
    }

    /**
     * Topic names that are not the protocol's: near misses of real topics (wrong prefix, an extra
     * or empty level, wildcards, gateway forms, wrong case) and arbitrary Unicode.
     */
    public static Gen<UnknownTopic> unknownTopics() {
        Gen<String> nearMisses = Gen.elements("iotdm-1/", "iotdm-1/mgmt/custom/", "iotdm-1/mgmt/custom/a",
                "iotdm-1/mgmt/custom/a/b/c", "iotdm-1/mgmt/custom/a b/c", "iotdm-1/mgmt/initiate/device/unknown",
                "iotdevice-1/", "iotdevice-1/notify/", "IOTDM-1/observe", "iotdm-1/type/t/id/d/response",
                "iot-2/evt/", "iot-2/evt/a/fmt/", "iot-2/evt//fmt/json", "iot-2/evt/a/fmt/b/c", "iot-2/evt/a+/fmt/b",
                "iot-2/cmd/#/fmt/json", "iot-2/cmd/a/fmt", "iot-2/cmd/+/fmt/+", "iotdm-1/#", "", "/", "iot-2");
        Gen<String> prefixes = Gen.elements("", "iotdm-1/", "iotdevice-1/", "iot-2/evt/", "iot-2/cmd/",
                "iotdm-1/mgmt/custom/");
        Gen<String> built = c -> prefixes.generate(c) + Gen.strings("ab/+#fmt\u0000 ", 0, 12).generate(c);
        return Gen.oneOf(nearMisses, built, Gen.unicodeStrings(0, 20))
                .filter(name -> Topic.parse(name) instanceof UnknownTopic)
                .map(UnknownTopic::new);
    }

    /** Any topic, typed or unknown. */
    public static Gen<Topic> anyTopic() {
        return Gen.frequency(Gen.weighted(4, typedTopics()), Gen.weighted(1, unknownTopics()));
    }

    // ---------------------------------------------------------------- messages

    /** Manage requests (protocol.md §3.1) with every optional part present or absent. */
    public static Gen<Manage> manages() {
        Gen<OptionalLong> lifetimes = Gen.frequency(
                Gen.weighted(2, Gen.elements(0L, Manage.MIN_LIFETIME_SECONDS, 7200L, (long) Integer.MAX_VALUE)),
                Gen.weighted(1, Gen.longs(Manage.MIN_LIFETIME_SECONDS, Integer.MAX_VALUE)))
                .optional().map(o -> o.map(OptionalLong::of).orElseGet(OptionalLong::empty));
        return c -> new Manage(reqIds().generate(c), lifetimes.generate(c), supports().optional().generate(c),
                deviceInfos().optional().generate(c), metadata().optional().generate(c));
    }

    /** Unmanage requests (protocol.md §3.2). */
    public static Gen<Unmanage> unmanages() {
        return reqIds().map(Unmanage::new);
    }

    /** Location updates (protocol.md §3.3). */
    public static Gen<UpdateLocation> updateLocations() {
        return c -> new UpdateLocation(reqIds().generate(c), locations().generate(c));
    }

    /** Error codes (protocol.md §3.4) over the whole {@code int} range. */
    public static Gen<AddErrorCode> addErrorCodes() {
        return c -> new AddErrorCode(reqIds().generate(c), Gen.integers(Integer.MIN_VALUE, Integer.MAX_VALUE).generate(c));
    }

    /** Clear error codes (protocol.md §3.5). */
    public static Gen<ClearErrorCodes> clearErrorCodes() {
        return reqIds().map(ClearErrorCodes::new);
    }

    /** Log entries (protocol.md §3.6): any text, zoned timestamps, data as base64 or raw text or absent. */
    public static Gen<AddLog> addLogs() {
        Gen<Optional<String>> data = Gen.oneOf(
                Gen.bytes(0, 24).map(b -> Base64.getEncoder().encodeToString(b)),
                texts()).optional();
        return c -> new AddLog(reqIds().generate(c), new LogEntry(texts().generate(c), timestamps().generate(c),
                data.generate(c), Gen.elements(LogSeverity.values()).generate(c)));
    }

    /** Clear log (protocol.md §3.7). */
    public static Gen<ClearLog> clearLogs() {
        return reqIds().map(ClearLog::new);
    }

    /** Notifies (protocol.md §3.8) of one to four fields of any kind, with or without reqId. */
    public static Gen<Notify> notifies() {
        return c -> new Notify(reqIds().optional().generate(c), Gen.listOf(fieldValues(), 1, 4).generate(c));
    }

    /** Device responses (protocol.md §3.9); see {@link #responseParts()}. */
    public static Gen<DeviceResponse> deviceResponses() {
        return responseParts().map(p -> new DeviceResponse(p.rc(), p.reqId(), p.message(), p.d()));
    }

    /** Platform responses (protocol.md §4.1); see {@link #responseParts()}. */
    public static Gen<PlatformResponse> platformResponses() {
        return responseParts().map(p -> new PlatformResponse(p.rc(), p.reqId(), p.message(), p.d()));
    }

    /** The parts of a response: known or unknown rc, and optional reqId, message and any JSON {@code d}. */
    private static Gen<ResponseParts> responseParts() {
        return c -> new ResponseParts(rcs().generate(c), reqIds().optional().generate(c),
                texts().optional().generate(c), freeJson().optional().generate(c));
    }

    private record ResponseParts(Rc rc, Optional<String> reqId, Optional<String> message, Optional<JsonValue> d) {
    }

    /** Attribute writes (protocol.md §4.2) of one to four fields, with or without reqId (a push). */
    public static Gen<DeviceUpdate> deviceUpdates() {
        return c -> new DeviceUpdate(reqIds().optional().generate(c), Gen.listOf(fieldValues(), 1, 4).generate(c));
    }

    /** Observe requests (protocol.md §4.3) of zero to four field names. */
    public static Gen<Observe> observes() {
        return c -> new Observe(reqIds().generate(c), Gen.listOf(fieldNames(), 0, 4).generate(c));
    }

    /** Cancel requests (protocol.md §4.4) of zero to four field names. */
    public static Gen<Cancel> cancels() {
        return c -> new Cancel(reqIds().generate(c), Gen.listOf(fieldNames(), 0, 4).generate(c));
    }

    /** Reboot requests (protocol.md §4.5). */
    public static Gen<Reboot> reboots() {
        return reqIds().map(Reboot::new);
    }

    /** Factory reset requests (protocol.md §4.6). */
    public static Gen<FactoryReset> factoryResets() {
        return reqIds().map(FactoryReset::new);
    }

    /** Firmware download requests (protocol.md §4.7). */
    public static Gen<FirmwareDownload> firmwareDownloads() {
        return reqIds().map(FirmwareDownload::new);
    }

    /** Firmware update requests (protocol.md §4.8). */
    public static Gen<FirmwareUpdate> firmwareUpdates() {
        return reqIds().map(FirmwareUpdate::new);
    }

    /** Custom actions (protocol.md §8.3) with zero to four parameters of any name and any JSON value. */
    public static Gen<CustomAction> customActions() {
        Gen<Parameter> parameters = c -> new Parameter(texts().generate(c), freeJson().generate(c));
        return c -> new CustomAction(reqIds().generate(c), customActionTopics().generate(c),
                Gen.listOf(parameters, 0, 4).generate(c));
    }

    /** Device events (protocol.md §10.1) with any topic levels and any bytes. */
    public static Gen<Event> events() {
        return c -> new Event(eventTopics().generate(c), payloads().generate(c));
    }

    /** Commands (protocol.md §10.2) with any topic levels and any bytes. */
    public static Gen<Command> commands() {
        return c -> new Command(commandTopics().generate(c), payloads().generate(c));
    }

    /**
     * The generator of each concrete message type, in the protocol's order (device messages,
     * then platform messages); every type of {@link Message} has exactly one entry.
     */
    public static Map<Class<? extends Message>, Gen<? extends Message>> byType() {
        Map<Class<? extends Message>, Gen<? extends Message>> m = new LinkedHashMap<>();
        m.put(Manage.class, manages());
        m.put(Unmanage.class, unmanages());
        m.put(UpdateLocation.class, updateLocations());
        m.put(AddErrorCode.class, addErrorCodes());
        m.put(ClearErrorCodes.class, clearErrorCodes());
        m.put(AddLog.class, addLogs());
        m.put(ClearLog.class, clearLogs());
        m.put(Notify.class, notifies());
        m.put(DeviceResponse.class, deviceResponses());
        m.put(Event.class, events());
        m.put(PlatformResponse.class, platformResponses());
        m.put(DeviceUpdate.class, deviceUpdates());
        m.put(Observe.class, observes());
        m.put(Cancel.class, cancels());
        m.put(Reboot.class, reboots());
        m.put(FactoryReset.class, factoryResets());
        m.put(FirmwareDownload.class, firmwareDownloads());
        m.put(FirmwareUpdate.class, firmwareUpdates());
        m.put(CustomAction.class, customActions());
        m.put(Command.class, commands());
        return Collections.unmodifiableMap(m);
    }

    /** Any message, every type equally likely. */
    public static Gen<Message> anyMessage() {
        return oneOfTypes(Message.class);
    }

    /** Any message a device publishes. */
    public static Gen<DeviceMessage> deviceMessages() {
        return oneOfTypes(DeviceMessage.class);
    }

    /** Any message the platform publishes. */
    public static Gen<PlatformMessage> platformMessages() {
        return oneOfTypes(PlatformMessage.class);
    }

    private static <M extends Message> Gen<M> oneOfTypes(Class<M> family) {
        List<Gen<? extends M>> gens = new ArrayList<>();
        byType().forEach((type, gen) -> {
            if (family.isAssignableFrom(type)) {
                @SuppressWarnings("unchecked") // the entry's generator makes values of its key type, an M
                Gen<? extends M> typed = (Gen<? extends M>) gen;
                gens.add(typed);
            }
        });
        return c -> {
            int span = c.startSpan();
            M message = gens.get((int) c.draw(gens.size() - 1)).generate(c);
            c.endSpan(span);
            return message;
        };
    }
}
