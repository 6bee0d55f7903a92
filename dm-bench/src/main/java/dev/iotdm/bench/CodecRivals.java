package dev.iotdm.bench;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.iotdm.protocol.internal.Jackson;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The floors and rivals of the codec benchmarks (P1): what reading a DM payload costs with plain
 * jackson-core, with jackson-databind and with Gson (the old Java SDK's library), each doing the
 * job a DM client must do with the payload.
 */
final class CodecRivals {

    /** A plain factory: the floors do no duplicate-key detection and set no limits. */
    static final JsonFactory PLAIN = new JsonFactory();

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    static final Gson GSON = new Gson();

    private CodecRivals() {
    }

    // ---- floors ---------------------------------------------------------------------------------

    /** The bare floor: every token, no value read. Returns the token count. */
    static int scan(byte[] payload) throws IOException {
        int n = 0;
        try (JsonParser p = PLAIN.createParser(payload)) {
            while (p.nextToken() != null) {
                n++;
            }
        }
        return n;
    }

    /** The floor decode is held to: every token, every name and value read into a Java value. */
    static long scanValues(byte[] payload) throws IOException {
        long acc = 0;
        try (JsonParser p = PLAIN.createParser(payload)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> acc += p.currentName().length();
                    case VALUE_STRING -> acc += p.getText().length();
                    case VALUE_NUMBER_INT -> acc += p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> acc += (long) p.getDoubleValue();
                    case VALUE_TRUE -> acc++;
                    default -> {
                    }
                }
            }
        }
        return acc;
    }

    /**
     * The value scan with every check the codec makes on the way (strict UTF-8, duplicate keys,
     * the limits, well-formed UTF-16 strings): shows what the checks cost apart from the codec's
     * own work.
     */
    static long scanValuesChecked(byte[] payload) throws IOException {
        if (Jackson.firstInvalidUtf8(payload) >= 0) {
            throw new IOException("not UTF-8");
        }
        long acc = 0;
        try (JsonParser p = Jackson.FACTORY.createParser(payload)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                switch (t) {
                    case FIELD_NAME -> acc += p.currentName().length();
                    case VALUE_STRING -> {
                        String s = p.getText();
                        if (!Jackson.isWellFormedUtf16(s)) {
                            throw new IOException("unpaired surrogate");
                        }
                        acc += s.length();
                    }
                    case VALUE_NUMBER_INT -> acc += p.getLongValue();
                    case VALUE_NUMBER_FLOAT -> acc += (long) p.getDoubleValue();
                    case VALUE_TRUE -> acc++;
                    default -> {
                    }
                }
            }
        }
        return acc;
    }

    /** The tokens of a payload, for the generator floor of encoding. */
    record Token(JsonToken token, String text, Number number) {
    }

    static List<Token> tokens(byte[] payload) throws IOException {
        List<Token> out = new ArrayList<>();
        try (JsonParser p = PLAIN.createParser(payload)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                boolean number = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT;
                out.add(new Token(t, t == JsonToken.FIELD_NAME ? p.currentName() : p.getText(),
                        number ? p.getNumberValue() : null));
            }
        }
        return out;
    }

    /** The encoding floor: the tokens written by a plain jackson-core generator. */
    static byte[] generate(List<Token> tokens) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = PLAIN.createGenerator(out)) {
            for (Token t : tokens) {
                switch (t.token()) {
                    case START_OBJECT -> g.writeStartObject();
                    case END_OBJECT -> g.writeEndObject();
                    case START_ARRAY -> g.writeStartArray();
                    case END_ARRAY -> g.writeEndArray();
                    case FIELD_NAME -> g.writeFieldName(t.text());
                    case VALUE_STRING -> g.writeString(t.text());
                    case VALUE_NUMBER_INT -> g.writeNumber(t.number().longValue());
                    case VALUE_NUMBER_FLOAT -> g.writeNumber(t.number().doubleValue());
                    case VALUE_TRUE -> g.writeBoolean(true);
                    case VALUE_FALSE -> g.writeBoolean(false);
                    case VALUE_NULL -> g.writeNull();
                    default -> throw new IllegalStateException("unexpected token " + t.token());
                }
            }
        }
        return out.toByteArray();
    }

    // ---- databind -------------------------------------------------------------------------------

    static JsonNode readTree(byte[] payload) throws IOException {
        return MAPPER.readTree(payload);
    }

    /** The POJO class a databind client maps the payload on {@code topic} to. */
    static Class<? extends Envelope> pojoClass(String topic) {
        if (topic.endsWith("/mgmt/manage")) {
            return ManageEnvelope.class;
        }
        if (topic.endsWith("/update/location")) {
            return LocationEnvelope.class;
        }
        if (topic.endsWith("/errorCodes") && topic.contains("/add/")) {
            return ErrorCodeEnvelope.class;
        }
        if (topic.endsWith("/add/diag/log")) {
            return LogEnvelope.class;
        }
        return FieldsEnvelope.class;
    }

    static Envelope readPojo(byte[] payload, Class<? extends Envelope> type) throws IOException {
        return MAPPER.readValue(payload, type);
    }

    static byte[] writePojo(Envelope envelope) throws IOException {
        return MAPPER.writeValueAsBytes(envelope);
    }

    /** The envelope every DM payload shares (protocol.md §2.1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static class Envelope {
        public String reqId;
        public Integer rc;
        public String message;
    }

    /** manage (§3.1). */
    public static final class ManageEnvelope extends Envelope {
        public ManageData d;
    }

    /** manage's d. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class ManageData {
        public Long lifetime;
        public Map<String, Boolean> supports;
        public DeviceInfoData deviceInfo;
        public Map<String, Object> metadata;
    }

    /** deviceInfo (§3.1). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class DeviceInfoData {
        public String serialNumber;
        public String manufacturer;
        public String model;
        public String deviceClass;
        public String description;
        public String fwVersion;
        public String hwVersion;
        public String descriptiveLocation;
    }

    /** update location (§3.3). */
    public static final class LocationEnvelope extends Envelope {
        public LocationData d;
    }

    /** location's d; timestamps stay strings, as the old SDKs kept them. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class LocationData {
        public double latitude;
        public double longitude;
        public Double elevation;
        public Double accuracy;
        public String measuredDateTime;
        public String updatedDateTime;
    }

    /** add error code (§3.4). */
    public static final class ErrorCodeEnvelope extends Envelope {
        public ErrorCodeData d;
    }

    /** error code's d. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class ErrorCodeData {
        public int errorCode;
    }

    /** add log (§3.6). */
    public static final class LogEnvelope extends Envelope {
        public LogData d;
    }

    /** log's d. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class LogData {
        public String message;
        public String timestamp;
        public String data;
        public int severity;
    }

    /** Everything with {@code d.fields}, or no d. */
    public static final class FieldsEnvelope extends Envelope {
        public FieldsData d;
    }

    /** d with fields, or the single field form. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public static final class FieldsData {
        public List<Object> fields;
        public String field;
        public Object value;
    }

    // ---- Gson -----------------------------------------------------------------------------------

    /** What the old Java SDK did: the payload as a String, a Gson tree, every value pulled out. */
    static long gsonExtract(byte[] payload) {
        JsonElement root = com.google.gson.JsonParser.parseString(new String(payload, StandardCharsets.UTF_8));
        return extract(root);
    }

    static JsonElement gsonTree(byte[] payload) {
        return com.google.gson.JsonParser.parseString(new String(payload, StandardCharsets.UTF_8));
    }

    static byte[] gsonWrite(JsonElement tree) {
        return GSON.toJson(tree).getBytes(StandardCharsets.UTF_8);
    }

    private static long extract(JsonElement e) {
        if (e.isJsonObject()) {
            long acc = 0;
            for (Map.Entry<String, JsonElement> m : ((JsonObject) e).entrySet()) {
                acc += m.getKey().length() + extract(m.getValue());
            }
            return acc;
        }
        if (e.isJsonArray()) {
            long acc = 0;
            for (JsonElement x : e.getAsJsonArray()) {
                acc += extract(x);
            }
            return acc;
        }
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = (JsonPrimitive) e;
            if (p.isNumber()) {
                return (long) p.getAsDouble();
            }
            if (p.isBoolean()) {
                return p.getAsBoolean() ? 1 : 0;
            }
            return p.getAsString().length();
        }
        return 0;
    }
}
