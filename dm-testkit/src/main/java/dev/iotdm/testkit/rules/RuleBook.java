package dev.iotdm.testkit.rules;

import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonBoolean;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The rule book: every normative rule of protocol.md (§3-§8, each §12 recommendation, each §13
 * checklist item, the §14 interoperability facts) with a stable id, loaded from
 * {@code dev/iotdm/testkit/rules/rulebook.json}. The file documents its id scheme.
 *
 * <p>Loading validates the whole file: known keys only, every field present and of the right
 * type, ids unique. A bad file fails with an {@link IllegalArgumentException} naming the source,
 * the rule and the field.
 *
 * <p>Thread-safety: immutable after loading; safe to share.
 */
public final class RuleBook {

    /** The class-path resource of the project's rule book. */
    public static final String RESOURCE = "/dev/iotdm/testkit/rules/rulebook.json";

    private static final Pattern ID = Pattern.compile("[A-Z][A-Z0-9]*(?:[.-][A-Z0-9]+)*");
    private static final Pattern SECTION = Pattern.compile("§[0-9]+(?:\\.[0-9]+)*");
    private static final Set<String> RULE_KEYS = Set.of("id", "statement", "binds", "scope", "level", "sections", "checkable");
    private static final Set<String> TOP_KEYS = Set.of("title", "idScheme", "fields", "rules");

    private static volatile RuleBook standard;

    private final Map<String, Rule> byId;

    private RuleBook(Map<String, Rule> byId) {
        this.byId = Collections.unmodifiableMap(byId);
    }

    /**
     * The project's rule book from the class path, loaded once.
     *
     * @return the shared book; the same instance on every call
     * @throws IllegalStateException if the resource is missing
     * @throws IllegalArgumentException if it is invalid
     */
    public static RuleBook standard() {
        RuleBook b = standard;
        if (b == null) {
            synchronized (RuleBook.class) {
                b = standard;
                if (b == null) {
                    b = loadResource();
                    standard = b;
                }
            }
        }
        return b;
    }

    private static RuleBook loadResource() {
        try (InputStream in = RuleBook.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("rule book resource " + RESOURCE + " is not on the class path");
            }
            return parse(in.readAllBytes(), "rulebook.json");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses and validates a rule book.
     *
     * @param utf8Json the file's bytes
     * @param source a name for error messages, e.g. the file name
     * @return the book, rules in file order
     * @throws IllegalArgumentException naming the source, the rule and the field when anything is wrong
     */
    public static RuleBook parse(byte[] utf8Json, String source) {
        JsonValue root;
        try {
            root = JsonValue.parse(utf8Json);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
        if (!(root instanceof JsonObject top)) {
            throw new IllegalArgumentException(source + ": the top level must be a JSON object");
        }
        for (String key : top.members().keySet()) {
            if (!TOP_KEYS.contains(key)) {
                throw new IllegalArgumentException(source + ": unknown top-level key '" + key + "'");
            }
        }
        if (!(top.get("rules").orElse(null) instanceof JsonArray rules)) {
            throw new IllegalArgumentException(source + ": 'rules' must be an array");
        }
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (int i = 0; i < rules.elements().size(); i++) {
            String where = source + ": rules[" + i + "]";
            Rule rule = rule(rules.elements().get(i), where);
            if (byId.putIfAbsent(rule.id(), rule) != null) {
                throw new IllegalArgumentException(where + ": duplicate id " + rule.id());
            }
        }
        if (byId.isEmpty()) {
            throw new IllegalArgumentException(source + ": 'rules' is empty");
        }
        return new RuleBook(byId);
    }

    private static Rule rule(JsonValue value, String where) {
        if (!(value instanceof JsonObject o)) {
            throw new IllegalArgumentException(where + ": must be an object");
        }
        String id = o.get("id").orElse(null) instanceof JsonString s ? s.value() : null;
        String at = id == null ? where : where + " (" + id + ")";
        for (String key : o.members().keySet()) {
            if (!RULE_KEYS.contains(key)) {
                throw new IllegalArgumentException(at + ": unknown key '" + key + "'");
            }
        }
        for (String key : RULE_KEYS) {
            if (o.get(key).isEmpty()) {
                throw new IllegalArgumentException(at + ": missing '" + key + "'");
            }
        }
        List<String> sections = new ArrayList<>();
        if (!(o.get("sections").get() instanceof JsonArray a)) {
            throw new IllegalArgumentException(at + ": 'sections' must be an array of strings");
        }
        for (JsonValue v : a.elements()) {
            if (!(v instanceof JsonString s)) {
                throw new IllegalArgumentException(at + ": 'sections' must be an array of strings");
            }
            sections.add(s.value());
        }
        if (!(o.get("checkable").get() instanceof JsonBoolean checkable)) {
            throw new IllegalArgumentException(at + ": 'checkable' must be true or false");
        }
        String levelName = text(o, "level", at);
        RuleLevel level = RuleLevel.fromWireName(levelName).orElseThrow(() -> new IllegalArgumentException(at
                + ": 'level' must be one of required, recommended, informational, got '" + levelName + "'"));
        try {
            return new Rule(text(o, "id", at), text(o, "statement", at),
                    constant(Binds.class, text(o, "binds", at), "binds", at),
                    constant(Scope.class, text(o, "scope", at), "scope", at), level, sections, checkable.value());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(at + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonObject o, String key, String at) {
        if (o.get(key).get() instanceof JsonString s) {
            return s.value();
        }
        throw new IllegalArgumentException(at + ": '" + key + "' must be a string");
    }

    private static <E extends Enum<E>> E constant(Class<E> type, String name, String key, String at) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name());
        }
        throw new IllegalArgumentException(at + ": '" + key + "' must be one of " + names + ", got '" + name + "'");
    }

    static boolean isValidId(String id) {
        return ID.matcher(id).matches();
    }

    static boolean isValidSection(String section) {
        return SECTION.matcher(section).matches();
    }

    /**
     * Every rule, in file order.
     *
     * @return an unmodifiable copy; never empty
     */
    public List<Rule> rules() {
        return List.copyOf(byId.values());
    }

    /**
     * The rule with this id, if the book has it.
     *
     * @param id the rule's id, e.g. {@code R12.15-ONE-MANAGE}
     * @return the rule, or empty for an unknown id
     */
    public Optional<Rule> rule(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * The rule with this id.
     *
     * @param id the rule's id, e.g. {@code R12.15-ONE-MANAGE}
     * @return the rule
     * @throws IllegalArgumentException if the book has no such rule
     */
    public Rule require(String id) {
        Rule r = byId.get(id);
        if (r == null) {
            throw new IllegalArgumentException("no rule with id '" + id + "' in the rule book");
        }
        return r;
    }

    /**
     * Whether the book has a rule with this id.
     *
     * @param id the rule's id
     * @return {@code true} if {@link #rule(String)} would find it
     */
    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    /**
     * The ids of the rules the checker can check from a transcript, sorted.
     *
     * @return an unmodifiable set
     */
    public Set<String> checkableIds() {
        Set<String> ids = new TreeSet<>();
        for (Rule r : byId.values()) {
            if (r.checkable()) {
                ids.add(r.id());
            }
        }
        return Collections.unmodifiableSet(ids);
    }

    /**
     * The level of the rule with this id; {@link RuleLevel#REQUIRED} for an id the book lacks (never
     * lenient by accident).
     *
     * @param id the rule's id
     * @return the rule's level, never {@code null}
     */
    public RuleLevel levelOf(String id) {
        Rule r = byId.get(id);
        return r == null ? RuleLevel.REQUIRED : r.level();
    }

    /**
     * The rules citing {@code section} (e.g. {@code §12.15}), in file order.
     *
     * @param section a section with its {@code §}, matched exactly
     * @return the rules; empty if none cites it
     */
    public List<Rule> citing(String section) {
        return byId.values().stream().filter(r -> r.cites(section)).toList();
    }

    @Override
    public String toString() {
        return "RuleBook[" + byId.size() + " rules]";
    }
}
