package dev.iotdm.protocol.codec;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.iotdm.protocol.internal.Jackson;
import dev.iotdm.protocol.json.internal.JsonIo;
import dev.iotdm.protocol.message.AddErrorCode;
import dev.iotdm.protocol.message.AddLog;
import dev.iotdm.protocol.message.Cancel;
import dev.iotdm.protocol.message.ClearErrorCodes;
import dev.iotdm.protocol.message.ClearLog;
import dev.iotdm.protocol.message.Command;
import dev.iotdm.protocol.message.CustomAction;
import dev.iotdm.protocol.message.DeviceInfo;
import dev.iotdm.protocol.message.DeviceInfoField;
import dev.iotdm.protocol.message.DeviceUpdate;
import dev.iotdm.protocol.message.Event;
import dev.iotdm.protocol.message.FactoryReset;
import dev.iotdm.protocol.message.FieldValue;
import dev.iotdm.protocol.message.FirmwareDownload;
import dev.iotdm.protocol.message.FirmwareField;
import dev.iotdm.protocol.message.FirmwareInfo;
import dev.iotdm.protocol.message.FirmwareUpdate;
import dev.iotdm.protocol.message.Location;
import dev.iotdm.protocol.message.LocationField;
import dev.iotdm.protocol.message.LogEntry;
import dev.iotdm.protocol.message.Manage;
import dev.iotdm.protocol.message.Message;
import dev.iotdm.protocol.message.MetadataField;
import dev.iotdm.protocol.message.Notify;
import dev.iotdm.protocol.message.Observe;
import dev.iotdm.protocol.message.OtherField;
import dev.iotdm.protocol.message.Parameter;
import dev.iotdm.protocol.message.Reboot;
import dev.iotdm.protocol.message.Response;
import dev.iotdm.protocol.message.Supports;
import dev.iotdm.protocol.message.Unmanage;
import dev.iotdm.protocol.message.UpdateLocation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Writes the canonical JSON of every message: numbers as numbers, booleans as booleans, a reqId
 * on every request we originate, optional values only when present (protocol.md §12). Key order
 * follows the protocol's examples: device requests {@code d} then {@code reqId}, platform
 * requests {@code reqId} then {@code d}, responses {@code rc, reqId, message, d}.
 */
final class PayloadEncoder {

    private PayloadEncoder() {
    }

    static byte[] encode(Message m) {
        if (m instanceof Event e) {
            return e.payload().bytes();
        }
        if (m instanceof Command c) {
            return c.payload().bytes();
        }
        return write(g -> write(m, g));
    }

    private static void write(Message m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (m instanceof Response r) {
            g.writeNumberField("rc", r.rc().code());
            optionalString(g, "reqId", r.reqId());
            optionalString(g, "message", r.message());
            if (r.d().isPresent()) {
                g.writeFieldName("d");
                JsonIo.write(r.d().get(), g);
            }
        } else if (m instanceof Manage x) {
            manage(x, g);
            g.writeStringField("reqId", x.reqId());
        } else if (m instanceof UpdateLocation x) {
            g.writeFieldName("d");
            location(x.location(), g);
            g.writeStringField("reqId", x.reqId());
        } else if (m instanceof AddErrorCode x) {
            g.writeObjectFieldStart("d");
            g.writeNumberField("errorCode", x.errorCode());
            g.writeEndObject();
            g.writeStringField("reqId", x.reqId());
        } else if (m instanceof AddLog x) {
            logEntry(x.entry(), g);
            g.writeStringField("reqId", x.reqId());
        } else if (m instanceof Notify x) {
            g.writeObjectFieldStart("d");
            fieldValues(x.fields(), g, false);
            g.writeEndObject();
            optionalString(g, "reqId", x.reqId());
        } else if (m instanceof DeviceUpdate x) {
            optionalString(g, "reqId", x.reqId());
            g.writeObjectFieldStart("d");
            fieldValues(x.fields(), g, true);
            g.writeEndObject();
        } else if (m instanceof Observe x) {
            fieldNames(x.reqId(), x.fields(), g);
        } else if (m instanceof Cancel x) {
            fieldNames(x.reqId(), x.fields(), g);
        } else if (m instanceof CustomAction x) {
            g.writeStringField("reqId", x.reqId());
            if (!x.parameters().isEmpty()) {
                g.writeObjectFieldStart("d");
                g.writeArrayFieldStart("fields");
                for (Parameter p : x.parameters()) {
                    g.writeStartObject();
                    g.writeStringField("field", p.name());
                    g.writeFieldName("value");
                    JsonIo.write(p.value(), g);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        } else if (m instanceof Unmanage || m instanceof ClearErrorCodes || m instanceof ClearLog
                || m instanceof Reboot || m instanceof FactoryReset || m instanceof FirmwareDownload
                || m instanceof FirmwareUpdate) {
            // Requests that are nothing but a reqId (§3.2, §3.5, §3.7, §4.5-§4.8).
            g.writeStringField("reqId", m.requestId().orElseThrow());
        } else {
            throw new IllegalStateException("no encoding for " + m.getClass().getName());
        }
        g.writeEndObject();
    }

    /** {@code {"fields": [{"field", "value"}...]}} as a response {@code d}. */
    static byte[] fieldValuesData(List<FieldValue> values) {
        return write(g -> {
            g.writeStartObject();
            fieldValues(values, g, false);
            g.writeEndObject();
        });
    }

    /** {@code {"fields": [name...]}} as a response {@code d}. */
    static byte[] fieldNamesData(List<String> names) {
        return write(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("fields");
            for (String n : names) {
                g.writeString(Objects.requireNonNull(n, "field name"));
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private interface Writing {
        void to(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writing writing) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = Jackson.FACTORY.createGenerator(out)) {
            writing.to(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen writing to memory
        }
        return out.toByteArray();
    }

    private static void optionalString(JsonGenerator g, String name, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(name, value.get());
        }
    }

    private static void manage(Manage m, JsonGenerator g) throws IOException {
        if (m.lifetime().isEmpty() && m.supports().isEmpty() && m.deviceInfo().isEmpty() && m.metadata().isEmpty()) {
            return; // d is optional as a whole (§3.1)
        }
        g.writeObjectFieldStart("d");
        if (m.lifetime().isPresent()) {
            g.writeNumberField("lifetime", m.lifetime().getAsLong());
        }
        if (m.supports().isPresent()) {
            Supports s = m.supports().get();
            g.writeObjectFieldStart("supports");
            g.writeBooleanField("deviceActions", s.deviceActions());
            g.writeBooleanField("firmwareActions", s.firmwareActions());
            for (String bundle : s.bundleIds()) {
                g.writeBooleanField(bundle, true);
            }
            g.writeEndObject();
        }
        if (m.deviceInfo().isPresent()) {
            g.writeFieldName("deviceInfo");
            deviceInfo(m.deviceInfo().get(), g);
        }
        if (m.metadata().isPresent()) {
            g.writeFieldName("metadata");
            JsonIo.write(m.metadata().get(), g);
        }
        g.writeEndObject();
    }

    private static void deviceInfo(DeviceInfo info, JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (String key : DeviceInfo.KEYS) {
            optionalString(g, key, info.get(key));
        }
        g.writeEndObject();
    }

    private static void location(Location l, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("latitude", l.latitude());
        g.writeNumberField("longitude", l.longitude());
        if (l.elevation().isPresent()) {
            g.writeNumberField("elevation", l.elevation().getAsDouble());
        }
        if (l.accuracy().isPresent()) {
            g.writeNumberField("accuracy", l.accuracy().getAsDouble());
        }
        if (l.measuredDateTime().isPresent()) {
            g.writeStringField("measuredDateTime", l.measuredDateTime().get().text());
        }
        if (l.updatedDateTime().isPresent()) {
            g.writeStringField("updatedDateTime", l.updatedDateTime().get().text());
        }
        g.writeEndObject();
    }

    private static void logEntry(LogEntry e, JsonGenerator g) throws IOException {
        g.writeObjectFieldStart("d");
        g.writeStringField("message", e.message());
        g.writeStringField("timestamp", e.timestamp().text());
        optionalString(g, "data", e.data());
        g.writeNumberField("severity", e.severity().code());
        g.writeEndObject();
    }

    /**
     * Writes {@code mgmt.firmware}. A platform write always carries {@code updatedDateTime},
     * {@code ""} until the platform has a time (§4.2, §6.2): ibmiotf and wiotp-sdk read all seven
     * keys of a device/update firmware value and fail on a missing one (§4.2 SDK behaviour).
     */
    private static void firmware(FirmwareInfo f, JsonGenerator g, boolean platformWrite) throws IOException {
        g.writeStartObject();
        optionalString(g, "version", f.version());
        optionalString(g, "name", f.name());
        optionalString(g, "uri", f.uri());
        optionalString(g, "verifier", f.verifier());
        if (f.state().isPresent()) {
            g.writeNumberField("state", f.state().get().code());
        }
        if (f.updateStatus().isPresent()) {
            g.writeNumberField("updateStatus", f.updateStatus().get().code());
        }
        if (f.updatedDateTime().isPresent()) {
            g.writeStringField("updatedDateTime", f.updatedDateTime().get().text());
        } else if (platformWrite) {
            g.writeStringField("updatedDateTime", "");
        }
        g.writeEndObject();
    }

    private static void fieldValues(List<FieldValue> fields, JsonGenerator g, boolean platformWrite)
            throws IOException {
        g.writeArrayFieldStart("fields");
        for (FieldValue f : fields) {
            g.writeStartObject();
            g.writeStringField("field", f.field());
            g.writeFieldName("value");
            if (f instanceof FirmwareField x) {
                firmware(x.value(), g, platformWrite);
            } else if (f instanceof LocationField x) {
                location(x.value(), g);
            } else if (f instanceof DeviceInfoField x) {
                deviceInfo(x.value(), g);
            } else if (f instanceof MetadataField x) {
                JsonIo.write(x.value(), g);
            } else {
                JsonIo.write(((OtherField) f).value(), g);
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void fieldNames(String reqId, List<String> names, JsonGenerator g) throws IOException {
        g.writeStringField("reqId", reqId);
        g.writeObjectFieldStart("d");
        g.writeArrayFieldStart("fields");
        for (String n : names) {
            g.writeStartObject();
            g.writeStringField("field", n);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
}
