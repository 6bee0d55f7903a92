package dev.iotdm.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonNull;
import dev.iotdm.protocol.json.JsonNumber;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceResponse;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.OtherField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.PlatformResponse;
import dev.iotdm.protocol.message.Response;
import dev.iotdm.protocol.message.UpdateLocation;
import dev.iotdm.protocol.message.Timestamp;
import dev.iotdm.pbt.Gen;
import dev.iotdm.protocol.testing.JsonGens;
import dev.iotdm.protocol.testing.JsonMutations;
import dev.iotdm.protocol.testing.MessageGens;
import dev.iotdm.pbt.Property;
import dev.iotdm.protocol.topic.CustomActionTopic;
import dev.iotdm.protocol.topic.DmTopic;
import dev.iotdm.protocol.topic.Topic;
import dev.iotdm.protocol.topic.UnknownTopic;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Properties of the {@link Codec} over generated messages of every type: canonical round trip,
 * deterministic encoding, robustness against mutated and random payloads on every topic, and
 * the leniency of protocol.md §12/§14 (every {@link Normalisation} read back to the canonical
 * message). Replay a failure with {@code -Dpbt.seed=<seed>}; run longer with {@code -Dpbt.tries=N}.
 */
class CodecProperties {

    private static final Codec CODEC = Codec.standard();

    static Stream<Arguments> messageTypes() {
        return MessageGens.byType().entrySet().stream()
                .map(e -> Arguments.of(Named.of(e.getKey().getSimpleName(), e.getValue())));
    }

    // ---------------------------------------------------------------- round trip

    @Test
    void there_is_a_generator_for_every_concrete_message_type() {
        Set<Class<?>> generated = new java.util.HashSet<>(MessageGens.byType().keySet());

        assertThat(generated).isEqualTo(concreteTypes(Message.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messageTypes")
    void every_message_decodes_from_its_encoding_equal_and_with_no_normalisation(Gen<? extends Message> messages) {
        Property.forAll(messages).tries(100).check(m -> {
            Encoded encoded = CODEC.encode(m);

            assertThat(encoded.topic()).isEqualTo(m.topic().topicName());
            assertThat(CODEC.decode(encoded.topic(), encoded.payload())).isEqualTo(new Decoded(m, List.of()));
        });
    }

    @Test
    void encoding_is_deterministic_and_equal_messages_give_equal_bytes() {
        Property.forAll(MessageGens.anyMessage()).tries(200).check(m -> {
            Encoded first = CODEC.encode(m);
            Message equalCopy = ((Decoded) CODEC.decode(first.topic(), first.payload())).message();

            assertThat(CODEC.encode(m)).isEqualTo(first);
            assertThat(equalCopy).isEqualTo(m).isNotSameAs(m);
            assertThat(CODEC.encode(equalCopy).payload()).isEqualTo(first.payload());
        });
    }

    /**
     * The one exception to "equal messages, equal bytes": free-form JSON objects (metadata,
     * parameter values, response data) compare equal whatever their member order but are
     * written in their own order, so that nothing a peer sent is reordered.
     */
    @Test
    void free_form_objects_with_members_in_another_order_give_equal_messages_and_the_same_json_value() {
        Gen<Manage> withMetadata = MessageGens.manages().filter(m -> m.metadata().isPresent());
        Property.forAll(withMetadata.flatMap(m -> JsonGens.reordered(m.metadata().get())
                .map(r -> List.of(m, new Manage(m.reqId(), m.lifetime(), m.supports(), m.deviceInfo(), Optional.of(r))))))
                .tries(100).check(pair -> {
                    Encoded original = CODEC.encode(pair.get(0));
                    Encoded reordered = CODEC.encode(pair.get(1));

                    assertThat(pair.get(1)).isEqualTo(pair.get(0));
                    assertThat(JsonValue.parse(reordered.payload())).isEqualTo(JsonValue.parse(original.payload()));
                    assertThat(CODEC.decode(reordered.topic(), reordered.payload()))
                            .isEqualTo(new Decoded(pair.get(0), List.of()));
                });
    }

    /**
     * Field and parameter names: a message type accepts a name exactly when the decoder accepts
     * it in a payload, so that everything we can send can be read back and nothing we read
     * is unrepresentable.
     */
    @Test
    void a_name_is_accepted_by_the_message_types_exactly_when_the_decoder_accepts_it() {
        Gen<String> names = Gen.frequency(
                Gen.weighted(1, Gen.constant("")),
                Gen.weighted(1, Gen.elements(" ", "\u0000", "mgmt.firmware.state")),
                Gen.weighted(4, Gen.unicodeStrings(0, 8)));
        Property.forAll(names, MessageGens.freeJson()).tries(200).check((name, value) -> {
            Property.assume(!FieldValue.isTyped(name));
            JsonObject entry = JsonObject.builder().put("field", name).put("value", value).build();
            JsonObject d = JsonObject.builder().put("fields", JsonArray.of(entry)).build();
            JsonObject request = JsonObject.builder().put("reqId", "r").put("d", d).build();

            assertThat(CODEC.decode(DmTopic.NOTIFY.topicName(), request.toJsonBytes()) instanceof Decoded)
                    .as("notify field decodes").isEqualTo(accepts(() -> new OtherField(name, value)));
            assertThat(CODEC.decode(DmTopic.OBSERVE.topicName(), request.toJsonBytes()) instanceof Decoded)
                    .as("observe field decodes").isEqualTo(accepts(() -> Observe.of("r", name)));
            assertThat(CODEC.decode("iotdm-1/mgmt/custom/b/a", request.toJsonBytes()) instanceof Decoded)
                    .as("parameter decodes").isEqualTo(accepts(() -> new Parameter(name, value)));
        });
    }

    private static boolean accepts(Runnable construction) {
        try {
            construction.run();
            return true;
        } catch (IllegalArgumentException refused) {
            return false;
        }
    }

    // ---------------------------------------------------------------- robustness

    /** A payload on a topic, printed readably when a property fails. */
    record Input(String topic, byte[] payload) {
        @Override
        public String toString() {
            return topic + " " + new String(payload, StandardCharsets.UTF_8);
        }
    }

    @ParameterizedTest
    @EnumSource(JsonMutations.Kind.class)
    void a_mutated_payload_gives_a_message_or_an_error_never_an_exception(JsonMutations.Kind kind) {
        Gen<Message> jsonMessages = MessageGens.anyMessage().filter(m -> !(m instanceof Event || m instanceof Command));
        Gen<Input> mutants = jsonMessages.flatMap(m -> {
            Encoded e = CODEC.encode(m);
            return JsonMutations.of(e.payload(), kind).map(mutant -> new Input(e.topic(), mutant.bytes()));
        });
        Property.forAll(mutants).tries(100).check(in -> assertWellBehaved(in.topic(), in.payload()));
    }

    @Test
    void random_bytes_and_random_json_on_any_topic_give_a_message_or_an_error_never_an_exception() {
        Gen<byte[]> envelopes = JsonGens.object()
                .optional("reqId", Gen.oneOf(MessageGens.reqIds().map(JsonString::new), JsonGens.scalars()))
                .optional("rc", Gen.oneOf(Gen.integers(-1, 1000).map(JsonNumber::of), JsonGens.scalars()))
                .optional("message", JsonGens.scalars())
                .optional("d", JsonGens.values())
                .unknownMembers(2)
                .anyOrder()
                .map(JsonValue::toJsonBytes);
        Gen<byte[]> payloads = Gen.oneOf(Gen.bytes(0, 64), JsonGens.jsonishBytes(0, 64), envelopes);
        Gen<String> topics = Gen.frequency(
                Gen.weighted(4, MessageGens.anyTopic().map(Topic::topicName)),
                Gen.weighted(1, Gen.unicodeStrings(0, 30)));
        Property.forAll(topics, payloads).tries(300).check(this::assertWellBehaved);
    }

    /**
     * Whatever the input: decode returns a message that re-encodes canonically, or an error that
     * names the topic, says on one line what is wrong, is answered iff it is a request with a
     * readable reqId, and carries that reqId.
     */
    private void assertWellBehaved(String topicName, byte[] payload) {
        DecodeResult result = CODEC.decode(topicName, payload);
        Topic topic = Topic.parse(topicName);

        assertThat(result).isNotNull();
        if (result instanceof Decoded decoded) {
            Message m = decoded.message();
            Encoded again = CODEC.encode(m);
            assertThat(m.topic()).isEqualTo(topic);
            assertThat(again.topic()).isEqualTo(topicName);
            assertThat(CODEC.decode(again.topic(), again.payload())).isEqualTo(new Decoded(m, List.of()));
            return;
        }
        DecodeError error = (DecodeError) result;
        boolean request = isRequestTopic(topic);
        assertThat(error.topic()).isEqualTo(topicName);
        assertThat(error.request()).as("request topic").isEqualTo(request);
        assertThat(error.problem() == Problem.UNKNOWN_TOPIC).as("unknown topic").isEqualTo(topic instanceof UnknownTopic);
        assertThat(error.detail()).as("detail").isNotBlank().doesNotContain("\n", "\r");
        if (isJson(payload)) {
            assertThat(error.problem()).as("problem with well-formed JSON").isNotEqualTo(Problem.MALFORMED_JSON);
        }
        Optional<String> readable = ReadableReqId.in(payload);
        if (request && readable.isPresent()) {
            assertThat(error.reqId()).as("reqId of a request with a readable reqId").isEqualTo(readable);
            assertThat(error.answerWith()).isPresent();
        }
        if (error.answerWith().isPresent()) {
            assertThat(error.reqId()).isPresent();
        }
    }

    @Test
    void an_error_detail_is_one_line_whatever_the_peer_wrote_in_keys_and_values() {
        Gen<String> breaks = Gen.elements("\n", "\r", "\u0000", "\u001b", "\u007f", "\u0085", "\u2028", "\u2029");
        Gen<String> hostile = c -> Gen.unicodeStrings(0, 4).generate(c) + breaks.generate(c) + Gen.unicodeStrings(0, 4).generate(c);
        Property.forAll(hostile).tries(100).check(text -> {
            String key = new JsonString(text).toJson();
            List<Input> inputs = List.of(
                    new Input("iotdevice-1/mgmt/manage", utf8("{\"d\":{\"supports\":{" + key + ":true}},\"reqId\":\"r\"}")),
                    new Input("iotdevice-1/mgmt/manage", utf8("{\"d\":{\"metadata\":{" + key + ":1," + key + ":2}},\"reqId\":\"r\"}")),
                    new Input("iotdevice-1/response", utf8("{\"rc\":" + key + ",\"reqId\":\"r\"}")),
                    new Input("iotdevice-1/add/diag/log", utf8("{\"d\":{\"message\":\"m\",\"timestamp\":" + key
                            + ",\"severity\":0},\"reqId\":\"r\"}")));
            for (Input in : inputs) {
                DecodeError error = (DecodeError) CODEC.decode(in.topic(), in.payload());
                assertThat(error.detail()).as(in.toString()).doesNotContain("\n", "\r", "\u0000", "\u001b", "\u007f",
                        "\u0085", "\u2028", "\u2029");
            }
        });
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Our own reading of protocol.md §2.2 and §12.31: which topics carry requests that expect an answer. */
    private static boolean isRequestTopic(Topic topic) {
        if (topic instanceof DmTopic t) {
            return t != DmTopic.DEVICE_RESPONSE && t != DmTopic.PLATFORM_RESPONSE;
        }
        // Unknown DM topics in either namespace are requests: they are answered 404 (§12.31, §5.1).
        return topic instanceof CustomActionTopic || topic instanceof UnknownTopic u
                && (u.topicName().startsWith("iotdm-1/") || u.topicName().startsWith("iotdevice-1/"));
    }

    private static boolean isJson(byte[] payload) {
        try {
            JsonValue.parse(payload);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- leniency

    /**
     * A non-canonical payload with the canonical message it means.
     *
     * @param canonical the message
     * @param payload its encoding made non-canonical
     * @param expected the normalisation the decoder must report
     */
    record Variant(Message canonical, JsonObject payload, Normalisation expected) {
        @Override
        public String toString() {
            return canonical.topic() + " " + payload.toJson();
        }
    }

    @ParameterizedTest
    @EnumSource(Normalisation.class)
    void a_non_canonical_variant_decodes_to_the_canonical_message_reporting_its_normalisation(Normalisation n) {
        Property.forAll(variants(n)).tries(100).check(v -> {
            String topic = v.canonical().topic().topicName();
            DecodeResult lenient = CODEC.decode(topic, v.payload().toJsonBytes());

            assertThat(lenient).isEqualTo(new Decoded(v.canonical(), List.of(v.expected())));
            Encoded canonical = CODEC.encode(((Decoded) lenient).message());
            assertThat(canonical).isEqualTo(CODEC.encode(v.canonical()));
            // A zone-less timestamp is kept as sent (its zone is unknown), so it stays reported.
            List<Normalisation> left = n == Normalisation.ZONELESS_TIMESTAMP ? List.of(n) : List.of();
            assertThat(CODEC.decode(canonical.topic(), canonical.payload()))
                    .isEqualTo(new Decoded(v.canonical(), left));
        });
    }

    /** Non-canonical forms that old clients send (protocol.md §12, §14), one per normalisation. */
    private static Gen<Variant> variants(Normalisation n) {
        return switch (n) {
            case RC_AS_STRING -> Gen.<Response>oneOf(MessageGens.deviceResponses(), MessageGens.platformResponses())
                    .map(r -> new Variant((Message) r, with(tree((Message) r), "rc",
                            new JsonString(Integer.toString(r.rc().code()))), n));
            case NOTIFY_SINGLE_FIELD -> singleFieldForm(c -> new Notify(MessageGens.reqIds().optional().generate(c),
                    List.of(MessageGens.fieldValues().generate(c))), n);
            case UPDATE_SINGLE_FIELD -> singleFieldForm(c -> new DeviceUpdate(MessageGens.reqIds().optional().generate(c),
                    List.of(MessageGens.fieldValues().generate(c))), n);
            case FIELD_NAMES_AS_STRINGS -> c -> {
                Message m = Gen.<Message>oneOf(MessageGens.observes(), MessageGens.cancels())
                        .filter(x -> !names(x).isEmpty()).generate(c);
                List<JsonValue> fields = new ArrayList<>();
                for (int i = 0; i < names(m).size(); i++) {
                    String name = names(m).get(i);
                    fields.add(i == 0 || c.drawBoolean(0.5) ? new JsonString(name)
                            : JsonObject.builder().put("field", name).build());
                }
                return new Variant(m, edit(tree(m), d -> with((JsonObject) d, "fields", new JsonArray(fields)), "d"), n);
            };
            case NULL_REQ_ID -> Gen.<Message>oneOf(
                    MessageGens.notifies().map(x -> new Notify(Optional.empty(), x.fields())),
                    MessageGens.deviceUpdates().map(x -> new DeviceUpdate(Optional.empty(), x.fields())),
                    MessageGens.deviceResponses().map(x -> new DeviceResponse(x.rc(), Optional.empty(), x.message(), x.d())),
                    MessageGens.platformResponses().map(x -> new PlatformResponse(x.rc(), Optional.empty(), x.message(), x.d())))
                    .map(m -> new Variant(m, with(tree(m), "reqId", JsonNull.INSTANCE), n));
            case DEVICE_INFO_NULLS -> c -> {
                Manage base = MessageGens.manages().generate(c);
                DeviceInfo info = MessageGens.deviceInfos().filter(i -> unset(i).size() > 0).generate(c);
                Manage m = new Manage(base.reqId(), base.lifetime(), base.supports(), Optional.of(info), base.metadata());
                return new Variant(m, edit(tree(m), di -> {
                    JsonObject o = (JsonObject) di;
                    for (String key : unset(info)) {
                        o = with(o, key, JsonNull.INSTANCE);
                    }
                    return o;
                }, "d", "deviceInfo"), n);
            };
            case SUPPORTS_AS_INTEGERS -> c -> {
                Manage base = MessageGens.manages().generate(c);
                Manage m = new Manage(base.reqId(), base.lifetime(), Optional.of(MessageGens.supports().generate(c)),
                        base.deviceInfo(), base.metadata());
                return new Variant(m, edit(tree(m), s -> {
                    Map<String, JsonValue> flags = new LinkedHashMap<>(((JsonObject) s).members());
                    boolean first = true;
                    for (Map.Entry<String, JsonValue> e : flags.entrySet()) {
                        if (first || c.drawBoolean(0.5)) {
                            e.setValue(JsonNumber.of(e.getValue().equals(dev.iotdm.protocol.json.JsonBoolean.TRUE) ? 1 : 0));
                        }
                        first = false;
                    }
                    return new JsonObject(flags);
                }, "d", "supports"), n);
            };
            case ZONELESS_TIMESTAMP -> Gen.oneOf(
                    c -> {
                        AddLog base = MessageGens.addLogs().generate(c);
                        LogEntry e = base.entry();
                        AddLog m = new AddLog(base.reqId(), new LogEntry(e.message(),
                                zoneless(MessageGens.utcTimestamps().generate(c)), e.data(), e.severity()));
                        return new Variant(m, tree(m), n);
                    },
                    c -> {
                        UpdateLocation base = MessageGens.updateLocations().generate(c);
                        UpdateLocation m = new UpdateLocation(base.reqId(),
                                base.location().withMeasuredDateTime(zoneless(MessageGens.utcTimestamps().generate(c))));
                        return new Variant(m, tree(m), n);
                    });
            case EMPTY_TIMESTAMP -> c -> {
                FirmwareInfo f = MessageGens.firmwareInfos().generate(c);
                FirmwareField firmware = new FirmwareField(new FirmwareInfo(f.version(), f.name(), f.uri(), f.verifier(),
                        f.state(), f.updateStatus(), Optional.empty()));
                List<FieldValue> fields = new ArrayList<>(Gen.listOf(MessageGens.fieldValues(), 0, 2).generate(c));
                int at = (int) Gen.integers(0, fields.size()).generate(c);
                fields.add(at, firmware);
                // Only a notify: "" is the platform's canonical form in device/update (§4.2).
                Message m = new Notify(MessageGens.reqIds().optional().generate(c), fields);
                return new Variant(m, edit(tree(m), v -> with((JsonObject) v, "updatedDateTime", new JsonString("")),
                        "d", "fields", at, "value"), n);
            };
        };
    }

    /** {@code d: {"field": f, "value": v}} (either member first) instead of a one-element fields array. */
    private static Gen<Variant> singleFieldForm(Gen<Message> messages, Normalisation n) {
        return c -> {
            Message m = messages.generate(c);
            JsonObject entry = (JsonObject) ((JsonArray) ((JsonObject) tree(m).get("d").orElseThrow())
                    .get("fields").orElseThrow()).elements().get(0);
            JsonObject single = c.drawBoolean(0.5) ? entry : JsonObject.builder()
                    .put("value", entry.get("value").orElseThrow()).put("field", entry.get("field").orElseThrow()).build();
            return new Variant(m, with(tree(m), "d", single), n);
        };
    }

    private static List<String> names(Message observeOrCancel) {
        return observeOrCancel instanceof Observe o ? o.fields() : ((Cancel) observeOrCancel).fields();
    }

    private static List<String> unset(DeviceInfo info) {
        return DeviceInfo.KEYS.stream().filter(k -> info.get(k).isEmpty()).toList();
    }

    private static Timestamp zoneless(Timestamp utc) {
        return new Timestamp(utc.text().substring(0, utc.text().length() - 1));
    }

    // ---------------------------------------------------------------- JSON tree editing

    private static JsonObject tree(Message m) {
        return (JsonObject) JsonValue.parse(CODEC.encode(m).payload());
    }

    /** {@code o} with member {@code name} set to {@code value}, in place when it exists, else last. */
    private static JsonObject with(JsonObject o, String name, JsonValue value) {
        Map<String, JsonValue> members = new LinkedHashMap<>(o.members());
        members.put(name, value);
        return new JsonObject(members);
    }

    /** {@code root} with the value at {@code path} (member names and array indexes) replaced by {@code f} of it. */
    private static JsonObject edit(JsonObject root, UnaryOperator<JsonValue> f, Object... path) {
        return (JsonObject) edit(root, f, path, 0);
    }

    private static JsonValue edit(JsonValue v, UnaryOperator<JsonValue> f, Object[] path, int depth) {
        if (depth == path.length) {
            return f.apply(v);
        }
        if (path[depth] instanceof String name) {
            JsonObject o = (JsonObject) v;
            return with(o, name, edit(o.get(name).orElseThrow(), f, path, depth + 1));
        }
        int index = (Integer) path[depth];
        List<JsonValue> elements = new ArrayList<>(((JsonArray) v).elements());
        elements.set(index, edit(elements.get(index), f, path, depth + 1));
        return new JsonArray(elements);
    }

    /** The records that implement {@code family}, found through the sealed hierarchy. */
    private static Set<Class<?>> concreteTypes(Class<?> family) {
        Set<Class<?>> out = new java.util.HashSet<>();
        if (!family.isSealed()) {
            out.add(family);
            return out;
        }
        for (Class<?> sub : family.getPermittedSubclasses()) {
            out.addAll(concreteTypes(sub));
        }
        return out;
    }
}
