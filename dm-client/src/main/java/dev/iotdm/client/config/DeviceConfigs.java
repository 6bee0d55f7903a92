package dev.iotdm.client.config;

import dev.iotdm.transport.tls.TlsConfigurationException;
import dev.iotdm.transport.tls.TlsSettings;
import dev.iotdm.protocol.topic.Identifiers;
import dev.iotdm.transport.Secret;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the device configuration formats of the older SDKs (protocol.md §10.3-§10.5) into a
 * pre-filled {@link DeviceOptions.Builder}, so callers can still adjust it (TLS, timeouts) before
 * {@link DeviceOptions.Builder#build()}.
 *
 * <p>Every problem is a {@link ConfigurationException} naming the source, the key and what is
 * wrong; values are validated here, so {@code build()} on the returned builder does not fail for
 * anything these readers set.
 *
 * <p>Thread-safety: stateless apart from a log-once flag; safe from any thread.
 */
public final class DeviceConfigs {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceConfigs.class);

    /** The source name of {@link #fromEnvironment(Map)} in error messages. */
    public static final String ENVIRONMENT = "environment";

    private static final AtomicBoolean CLEAN_START_WARNED = new AtomicBoolean();

    private DeviceConfigs() {
    }

    // ---------------------------------------------------------------- INI (protocol.md §10.3)

    /**
     * Reads a legacy Python {@code ibmiotf} device file: section {@code [device]} with keys
     * {@code org}, {@code type}, {@code id}, {@code auth-method} (must be {@code token}),
     * {@code auth-token}, and optionally {@code domain}, {@code port} (1883/80 plain, 8883/443
     * TLS with the JVM trust store; default 8883) and {@code clean-session} (only the exact string
     * {@code false} turns clean session off, as in ibmiotf).
     *
     * @param file the INI file, read as UTF-8
     * @return a builder holding what the file gave, with the defaults for the rest; the caller
     *     may change it further (e.g. the transport's options) before {@code build()}
     * @throws NullPointerException if {@code file} is null
     * @throws ConfigurationException naming the file, the key and the problem
     */
    public static DeviceOptions.Builder fromIniFile(Path file) {
        Objects.requireNonNull(file, "file");
        String source = file.toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException(source, null, "cannot be read: " + e, e);
        }
        IniFile ini = IniFile.parse(source, lines);
        if (!ini.hasSection("device")) {
            throw new ConfigurationException(source, null, "has no [device] section");
        }
        Values v = new Values(source, key -> ini.get("device", key));
        DeviceOptions.Builder b = identity(v, "org", "type", "id", "auth-token");
        requireTokenMethod(v, "auth-method");
        v.optional("domain").ifPresent(d -> b.domain(hostName(v, "domain", d)));
        pythonPort(v, "port", b, Optional.empty());
        String clean = v.optional("clean-session").orElse("true");
        if (!clean.equals("true") && !clean.equals("false")) {
            LOG.warn("{}: clean-session '{}' is neither 'true' nor 'false'; as in ibmiotf only 'false' turns"
                    + " clean session off, so it stays on", source, clean);
        }
        b.cleanSession(!clean.equals("false"));
        return b;
    }

    // ---------------------------------------------------------------- environment (protocol.md §10.4)

    /**
     * {@link #fromEnvironment(Map)} with {@link System#getenv()}.
     *
     * @return a builder holding what the variables gave, with the defaults for the rest; the caller
     *     may change it further (e.g. the transport's options) before {@code build()}
     * @throws ConfigurationException with source {@value #ENVIRONMENT}, naming the variable
     */
    public static DeviceOptions.Builder fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * Reads the {@code WIOTP_*} variables of {@code wiotp-sdk}: {@code WIOTP_IDENTITY_ORGID},
     * {@code _TYPEID}, {@code _DEVICEID} and {@code WIOTP_AUTH_TOKEN} (required), and
     * {@code WIOTP_OPTIONS_DOMAIN}, {@code _LOGLEVEL}, {@code _MQTT_PORT}, {@code _MQTT_TRANSPORT}
     * (only {@code tcp}), {@code _MQTT_CAFILE} ({@code _os_} = JVM trust store, also the default),
     * {@code _MQTT_CLEANSTART}, {@code _MQTT_SESSIONEXPIRY}, {@code _MQTT_KEEPALIVE}.
     *
     * <p>{@code WIOTP_OPTIONS_MQTT_CLEANSTART} keeps the meaning wiotp-sdk documents ("discard any
     * previous state"): {@code true} gives {@code cleanSession = true}, {@code false} keeps the
     * session. wiotp-sdk itself sent the inverse on the wire (protocol.md §12.16), so a WARN is
     * logged once when the variable is set. Unset, the session is clean (the project default).
     * The log level is validated but not applied: logging is configured in the slf4j backend.
     *
     * @param env the variables, e.g. {@code System.getenv()}
     * @return a builder holding what the variables gave, with the defaults for the rest; the caller
     *     may change it further (e.g. the transport's options) before {@code build()}
     * @throws NullPointerException if {@code env} is null
     * @throws ConfigurationException with source {@value #ENVIRONMENT}, naming the variable
     */
    public static DeviceOptions.Builder fromEnvironment(Map<String, String> env) {
        Objects.requireNonNull(env, "env");
        Values v = new Values(ENVIRONMENT, key -> Optional.ofNullable(env.get(key)).map(String::strip));
        DeviceOptions.Builder b = identity(v, "WIOTP_IDENTITY_ORGID", "WIOTP_IDENTITY_TYPEID",
                "WIOTP_IDENTITY_DEVICEID", "WIOTP_AUTH_TOKEN");
        v.optional("WIOTP_OPTIONS_DOMAIN").ifPresent(d -> b.domain(hostName(v, "WIOTP_OPTIONS_DOMAIN", d)));
        v.optional("WIOTP_OPTIONS_LOGLEVEL").ifPresent(level -> {
            if (!Set.of("error", "warning", "info", "debug").contains(level)) {
                throw v.fail("WIOTP_OPTIONS_LOGLEVEL", "must be one of error, warning, info, debug, was " + quote(level));
            }
            LOG.debug("WIOTP_OPTIONS_LOGLEVEL={} is not applied: configure levels in the slf4j backend", level);
        });
        v.optional("WIOTP_OPTIONS_MQTT_TRANSPORT").ifPresent(t -> {
            if (t.equals("websockets")) {
                throw v.fail("WIOTP_OPTIONS_MQTT_TRANSPORT", "'websockets' is not supported yet; use 'tcp'");
            }
            if (!t.equals("tcp")) {
                throw v.fail("WIOTP_OPTIONS_MQTT_TRANSPORT", "must be 'tcp' or 'websockets', was " + quote(t));
            }
        });
        Optional<TlsSettings> ca = v.optional("WIOTP_OPTIONS_MQTT_CAFILE").map(f -> caFile(v, f));
        pythonPort(v, "WIOTP_OPTIONS_MQTT_PORT", b, ca);
        // Parsed even when unused, so a typo does not wait for the day the session is kept.
        Optional<Duration> expiry = v.optional("WIOTP_OPTIONS_MQTT_SESSIONEXPIRY")
                .map(s -> Duration.ofSeconds(integer(v, "WIOTP_OPTIONS_MQTT_SESSIONEXPIRY", s, 0, 0xFFFF_FFFFL)));
        v.optional("WIOTP_OPTIONS_MQTT_CLEANSTART").ifPresent(text -> {
            boolean cleanStart = pythonBoolean(v, "WIOTP_OPTIONS_MQTT_CLEANSTART", text);
            if (CLEAN_START_WARNED.compareAndSet(false, true)) {
                LOG.warn("WIOTP_OPTIONS_MQTT_CLEANSTART={} is read as documented by wiotp-sdk (true = discard the"
                        + " previous session), so cleanSession={}. Note that wiotp-sdk itself sent the opposite"
                        + " CleanSession flag on the wire (protocol.md §12.16).", text, cleanStart);
            }
            b.cleanSession(cleanStart);
            if (!cleanStart) {
                expiry.ifPresent(b::sessionExpiry);
            }
        });
        v.optional("WIOTP_OPTIONS_MQTT_KEEPALIVE").ifPresent(s ->
                b.keepAlive(Duration.ofSeconds(integer(v, "WIOTP_OPTIONS_MQTT_KEEPALIVE", s, 0, 65535))));
        return b;
    }

    // ---------------------------------------------------------------- properties (protocol.md §10.5)

    /**
     * Reads an iot-java properties file (ISO-8859-1, as {@link Properties#load(InputStream)}).
     *
     * @param file the properties file
     * @return a builder holding what the file gave, with the defaults for the rest; the caller
     *     may change it further (e.g. the transport's options) before {@code build()}
     * @throws NullPointerException if {@code file} is null
     * @throws ConfigurationException naming the file, the key and the problem
     * @see #fromProperties(Properties, String)
     */
    public static DeviceOptions.Builder fromProperties(Path file) {
        Objects.requireNonNull(file, "file");
        Properties props = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            props.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(file.toString(), null, "cannot be read: " + e, e);
        }
        return fromProperties(props, file.toString());
    }

    /**
     * Reads iot-java's device properties, each under its new or old name:
     * {@code Organization-ID}/{@code org}, {@code Device-Type}/{@code type},
     * {@code Device-ID}/{@code id}, {@code Authentication-Method}/{@code auth-method} (must be
     * {@code token}), {@code Authentication-Token}/{@code auth-token}, {@code Domain}/{@code domain},
     * {@code Clean-Session}/{@code clean-session} ({@code true}/{@code false}, default true);
     * and {@code port}, {@code mqtt-server} (host override). Both names with different values is
     * an error. As in iot-java the connection always uses TLS (JVM trust store), whatever the port.
     * {@code WebSocket=true} and {@code Use-Secure-Certificate=true} are refused as not supported
     * yet; other iot-java keys are ignored.
     *
     * @param props the properties
     * @param sourceName the name used in error messages, e.g. the file path
     * @return a builder holding what the properties gave, with the defaults for the rest; the caller
     *     may change it further (e.g. the transport's options) before {@code build()}
     * @throws NullPointerException if either argument is null
     * @throws ConfigurationException naming the source, the key and the problem
     */
    public static DeviceOptions.Builder fromProperties(Properties props, String sourceName) {
        Objects.requireNonNull(props, "props");
        Objects.requireNonNull(sourceName, "sourceName");
        Values raw = new Values(sourceName, key -> Optional.ofNullable(props.getProperty(key)).map(String::strip));
        // Resolve the two spellings first; the key names in messages show both.
        Map<String, String> pairs = Map.of("Organization-ID", "org", "Device-Type", "type", "Device-ID", "id",
                "Authentication-Method", "auth-method", "Authentication-Token", "auth-token", "Domain", "domain",
                "Clean-Session", "clean-session");
        Values v = new Values(sourceName, key -> {
            String old = pairs.get(key);
            if (old == null) {
                return raw.optional(key);
            }
            Optional<String> a = raw.optional(key);
            Optional<String> b = raw.optional(old);
            if (a.isPresent() && b.isPresent() && !a.get().equals(b.get())) {
                throw raw.fail(key + "/" + old, "both names are set, to different values; keep one");
            }
            return a.isPresent() ? a : b;
        }) {
            @Override
            String display(String key) {
                String old = pairs.get(key);
                return old == null ? key : key + " (or " + old + ")";
            }
        };
        DeviceOptions.Builder b = identity(v, "Organization-ID", "Device-Type", "Device-ID", "Authentication-Token");
        requireTokenMethod(v, "Authentication-Method");
        v.optional("Domain").ifPresent(d -> b.domain(hostName(v, "Domain", d)));
        v.optional("mqtt-server").ifPresent(h -> {
            if (h.contains("://")) {
                throw v.fail("mqtt-server", "must be a host name, not a URI, was " + quote(h));
            }
            b.host(hostName(v, "mqtt-server", h));
        });
        b.tls(TlsSettings.defaults());
        v.optional("port").ifPresent(p -> b.port((int) integer(v, "port", p, 1, 65535)));
        v.optional("Clean-Session").ifPresent(c -> b.cleanSession(javaBoolean(v, "Clean-Session", c)));
        v.optional("WebSocket").ifPresent(w -> {
            if (javaBoolean(v, "WebSocket", w)) {
                throw v.fail("WebSocket", "MQTT over WebSocket is not supported yet; remove the key or set it to false");
            }
        });
        v.optional("Use-Secure-Certificate").ifPresent(u -> {
            if (javaBoolean(v, "Use-Secure-Certificate", u)) {
                throw v.fail("Use-Secure-Certificate", "client certificates are not read from properties; configure"
                        + " TlsSettings (clientPkcs12 or clientPemKey) on the returned builder");
            }
        });
        return b;
    }

    // ---------------------------------------------------------------- shared rules

    private static DeviceOptions.Builder identity(Values v, String orgKey, String typeKey, String idKey,
            String tokenKey) {
        String org = v.required(orgKey);
        Identifiers.checkOrgId(org).ifPresent(p -> {
            throw v.fail(orgKey, p + ", was " + quote(org));
        });
        if (org.equalsIgnoreCase("quickstart")) {
            throw v.fail(orgKey, DeviceOptions.quickstartProblem());
        }
        String type = v.required(typeKey);
        Identifiers.checkDeviceId(type).ifPresent(p -> {
            throw v.fail(typeKey, p + ", was " + quote(type));
        });
        String id = v.required(idKey);
        Identifiers.checkDeviceId(id).ifPresent(p -> {
            throw v.fail(idKey, p + ", was " + quote(id));
        });
        String token = v.required(tokenKey); // never echoed in messages
        return DeviceOptions.builder().org(org).typeId(type).deviceId(id).token(Secret.of(token));
    }

    private static void requireTokenMethod(Values v, String key) {
        String method = v.required(key);
        if (!method.equals("token")) {
            throw v.fail(key, "must be 'token' (the only authentication method for devices), was " + quote(method));
        }
    }

    private static String hostName(Values v, String key, String value) {
        DeviceOptions.checkHostName(value).ifPresent(p -> {
            throw v.fail(key, p + ", was " + quote(value));
        });
        return value;
    }

    /** Python SDK port rule (protocol.md §1.2): 1883/80 plain, 8883/443 TLS, else an error. */
    private static void pythonPort(Values v, String key, DeviceOptions.Builder b, Optional<TlsSettings> ca) {
        Optional<String> text = v.optional(key);
        int port = text.isPresent() ? (int) integer(v, key, text.get(), 1, 65535) : DeviceOptions.TLS_PORT;
        switch (port) {
            case 1883, 80 -> {
                if (ca.isPresent()) {
                    throw v.fail(key, "port " + port + " means plain MQTT without TLS, but a CA file is configured");
                }
                b.withoutTls();
            }
            case 8883, 443 -> b.tls(ca.orElseGet(TlsSettings::defaults));
            default -> throw v.fail(key, "must be 1883 or 80 (plain) or 8883 or 443 (TLS), was " + quote(text.get()));
        }
        b.port(port);
    }

    private static TlsSettings caFile(Values v, String file) {
        if (file.equals("_os_")) {
            return TlsSettings.defaults();
        }
        try {
            return TlsSettings.builder().trustCaFile(Path.of(file)).build();
        } catch (TlsConfigurationException | java.nio.file.InvalidPathException e) {
            throw new ConfigurationException(v.source, "WIOTP_OPTIONS_MQTT_CAFILE", e.getMessage(), e);
        }
    }

    /** wiotp-sdk's booleans: {@code True}, {@code true}, {@code 1} and their false forms. */
    private static boolean pythonBoolean(Values v, String key, String text) {
        return switch (text) {
            case "True", "true", "1" -> true;
            case "False", "false", "0" -> false;
            default -> throw v.fail(key, "must be True, true or 1, or False, false or 0, was " + quote(text));
        };
    }

    /** iot-java's booleans, compared ignoring case; anything else is an error rather than false. */
    private static boolean javaBoolean(Values v, String key, String text) {
        if (text.equalsIgnoreCase("true")) {
            return true;
        }
        if (text.equalsIgnoreCase("false")) {
            return false;
        }
        throw v.fail(key, "must be true or false, was " + quote(text));
    }

    private static long integer(Values v, String key, String text, long min, long max) {
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw v.fail(key, "must be an integer, was " + quote(text));
        }
        if (n < min || n > max) {
            throw v.fail(key, "must be from " + min + " to " + max + ", was " + n);
        }
        return n;
    }

    /** A value for an error message: quoted, on one line, and short. */
    private static String quote(String value) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < value.length() && i < 80; i++) {
            char c = value.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return b.append(value.length() > 80 ? "...'" : "'").toString();
    }

    /** Owns looking values up in one source and turning problems into messages that name it. */
    private static class Values {
        final String source;
        private final Function<String, Optional<String>> lookup;

        Values(String source, Function<String, Optional<String>> lookup) {
            this.source = source;
            this.lookup = lookup;
        }

        /** The key as shown in messages. */
        String display(String key) {
            return key;
        }

        Optional<String> optional(String key) {
            Optional<String> value = lookup.apply(key);
            if (value.isPresent() && value.get().isEmpty()) {
                throw fail(key, "must not be empty");
            }
            return value;
        }

        String required(String key) {
            return optional(key).orElseThrow(() -> fail(key, "is required"));
        }

        ConfigurationException fail(String key, String problem) {
            return new ConfigurationException(source, display(key), problem);
        }
    }
}
