package dev.iotdm.client.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the subset of Python {@code configparser} syntax that {@code ibmiotf} configuration files
 * use (protocol.md §10.3): owns the line syntax, so {@link DeviceConfigs} only sees sections of
 * key/value pairs.
 *
 * <p>Rules, as configparser's defaults: {@code [section]} headers (case-sensitive names);
 * {@code key=value} or {@code key: value}, split at the first {@code =} or {@code :}; keys are
 * lower-cased; keys and values are trimmed; lines whose first non-blank character is {@code #}
 * or {@code ;} are comments (no inline comments); a line indented deeper than the previous key
 * continues its value (even one that looks like a section header, as in configparser);
 * duplicate sections or keys are errors; {@code [DEFAULT]} values apply to every section.
 * Interpolation: {@code %%} reads as {@code %}; {@code %(name)s} references are not supported.
 */
final class IniFile {

    private static final String DEFAULT_SECTION = "DEFAULT";

    private final String source;
    private final Map<String, Map<String, String>> sections;

    private IniFile(String source, Map<String, Map<String, String>> sections) {
        this.source = source;
        this.sections = sections;
    }

    static IniFile parse(String source, List<String> lines) {
        Map<String, Map<String, String>> sections = new LinkedHashMap<>();
        Map<String, String> current = null;
        String lastKey = null;
        int lastKeyIndent = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = "line " + (i + 1);
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || stripped.startsWith(";")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (indent > lastKeyIndent && current != null && lastKey != null) {
                current.put(lastKey, current.get(lastKey) + "\n" + stripped);
                continue;
            }
            if (stripped.startsWith("[")) {
                if (!stripped.endsWith("]") || stripped.length() < 3) {
                    throw new ConfigurationException(source, where, "expected a section header like '[device]'");
                }
                String name = stripped.substring(1, stripped.length() - 1);
                if (sections.containsKey(name)) {
                    throw new ConfigurationException(source, where, "section [" + name + "] appears twice");
                }
                current = new LinkedHashMap<>();
                sections.put(name, current);
                lastKey = null;
                continue;
            }
            if (current == null) {
                throw new ConfigurationException(source, where, "a key comes before the first section header");
            }
            int eq = stripped.indexOf('=');
            int colon = stripped.indexOf(':');
            int cut = eq < 0 ? colon : (colon < 0 ? eq : Math.min(eq, colon));
            if (cut <= 0) {
                throw new ConfigurationException(source, where, "expected 'key = value' or 'key: value'");
            }
            String key = stripped.substring(0, cut).strip().toLowerCase(Locale.ROOT);
            String value = stripped.substring(cut + 1).strip();
            if (current.containsKey(key)) {
                throw new ConfigurationException(source, where, "key '" + key + "' appears twice in its section");
            }
            current.put(key, value);
            lastKey = key;
            lastKeyIndent = indent;
        }
        return new IniFile(source, sections);
    }

    boolean hasSection(String name) {
        return sections.containsKey(name);
    }

    /** The value of {@code key} in {@code section} (falling back to [DEFAULT]), interpolated. */
    Optional<String> get(String section, String key) {
        String raw = sections.getOrDefault(section, Map.of()).get(key);
        if (raw == null) {
            raw = sections.getOrDefault(DEFAULT_SECTION, Map.of()).get(key);
        }
        return Optional.ofNullable(raw).map(v -> interpolate(key, v));
    }

    private String interpolate(String key, String value) {
        if (value.indexOf('%') < 0) {
            return value;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '%') {
                b.append(c);
            } else if (i + 1 < value.length() && value.charAt(i + 1) == '%') {
                b.append('%');
                i++;
            } else {
                // Do not echo the value: the key may be the token.
                throw new ConfigurationException(source, key, "'%' must be written '%%' (configparser"
                        + " interpolation such as '%(name)s' is not supported)");
            }
        }
        return b.toString();
    }
}
