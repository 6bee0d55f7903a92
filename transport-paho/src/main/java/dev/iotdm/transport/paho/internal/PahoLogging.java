package dev.iotdm.transport.paho.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Routes Paho's own logging to SLF4J with every secret redacted (issue #10).
 *
 * <p>Paho logs through {@code java.util.logging} unless told otherwise through its logger-factory
 * hook ({@code org.eclipse.paho.mqttv5.client.logging.LoggerFactory.setLogger(className)}); at its
 * finer levels it prints the CONNECT packet, whose {@code toString} shows the password as a
 * decimal byte list ({@code password=[116, 111, ...]}). {@link #install()} points the hook at
 * {@link RedactingPahoLogger}, and every line it writes passes through {@link #redact(String)}: the
 * {@code password=[...]} field is blanked whatever it holds, and every token registered with
 * {@link #secret(Object, byte[])} is replaced wherever it appears, as text or as its decimal
 * byte list.
 *
 * <p>A token is remembered only as long as its owner (the Paho connection options) is reachable:
 * the registry holds its owners weakly.
 *
 * <p>Thread-safety: thread-safe.
 */
public final class PahoLogging {

    /** What a secret becomes in a log line. */
    public static final String REDACTED = "***";

    private static final Pattern PASSWORD_FIELD = Pattern.compile("(?i)(password=)\\[[^\\]]*\\]");
    private static final Map<Object, List<String>> SECRETS = Collections.synchronizedMap(new WeakHashMap<>());
    private static volatile boolean installed;

    private PahoLogging() {
    }

    /**
     * Points Paho's logger factory at {@link RedactingPahoLogger}, once per JVM. Call it before the
     * first Paho client is made: Paho looks its loggers up when its objects are created.
     */
    public static void install() {
        if (!installed) {
            synchronized (PahoLogging.class) {
                if (!installed) {
                    org.eclipse.paho.mqttv5.client.logging.LoggerFactory.setLogger(RedactingPahoLogger.class.getName());
                    installed = true;
                }
            }
        }
    }

    /**
     * Registers {@code secret} for redaction for as long as {@code owner} is reachable, and returns
     * it unchanged (so that it can wrap the value handed to Paho).
     *
     * @param owner the object whose life bounds the registration, held weakly
     * @param secret the password bytes; its text and its decimal list are blanked; empty
     *     registers nothing
     * @return {@code secret}, the same array
     */
    public static byte[] secret(Object owner, byte[] secret) {
        if (secret.length > 0) {
            String text = new String(secret, StandardCharsets.UTF_8);
            String decimal = IntStream.range(0, secret.length).mapToObj(i -> Integer.toString(secret[i]))
                    .collect(Collectors.joining(", "));
            // The longest first, so that a list is blanked before a shorter text inside it could split it.
            List<String> forms = new ArrayList<>(List.of(decimal, decimal.replace(" ", ""), text));
            SECRETS.put(owner, List.copyOf(forms));
        }
        return secret;
    }

    /**
     * Blanks what must not reach a log.
     *
     * @param line a log line or message argument, may be null
     * @return {@code line} with the password field and every registered secret replaced by
     *     {@value #REDACTED}; null for null
     */
    public static String redact(String line) {
        if (line == null) {
            return null;
        }
        String out = PASSWORD_FIELD.matcher(line).replaceAll("$1[" + Matcher.quoteReplacement(REDACTED) + "]");
        List<List<String>> all;
        synchronized (SECRETS) {
            all = new ArrayList<>(SECRETS.values());
        }
        for (List<String> forms : all) {
            for (String form : forms) {
                if (!form.isEmpty()) {
                    out = out.replace(form, REDACTED);
                }
            }
        }
        return out;
    }
}
