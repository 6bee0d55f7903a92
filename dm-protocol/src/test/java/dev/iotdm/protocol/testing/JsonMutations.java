package dev.iotdm.protocol.testing;

import dev.iotdm.pbt.Choices;
import dev.iotdm.pbt.Gen;
import dev.iotdm.protocol.json.JsonArray;
import dev.iotdm.protocol.json.JsonObject;
import dev.iotdm.protocol.json.JsonString;
import dev.iotdm.protocol.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Mutations of a valid JSON payload for robustness properties: each mutant is one named edit
 * of the kind a buggy or hostile peer produces, so that a decoder meets every way a payload can
 * be almost right. Structural edits work on the JSON tree (and can write what a JSON object
 * cannot hold, such as a duplicated key); byte edits work on the text.
 *
 * <p>Inputs stay bounded: at most a few thousand nesting levels and a few edits, so a
 * robustness property does bounded work per try.
 *
 * <p>Thread-safety: stateless; the generators may be shared.
 */
public final class JsonMutations {

    /** Deepest nesting {@link Kind#DEEP_NESTING} inserts. */
    public static final int MAX_INSERTED_DEPTH = 3000;

    /** What a mutation does. */
    public enum Kind {
        /** One member of an object, or one element of an array, is removed. */
        DROP_MEMBER,
        /** One value (the whole payload included) is replaced by a value of another JSON type. */
        CHANGE_TYPE,
        /** One number is replaced by one outside every range the protocol uses (huge, negative, fractional...). */
        NUMBER_OUT_OF_RANGE,
        /** One member gets another name (also an empty, escaped, control-character or protocol name). */
        RENAME_KEY,
        /** One member is repeated with the same name, with the same or another value. */
        DUPLICATE_KEY,
        /** One value is wrapped in up to {@value #MAX_INSERTED_DEPTH} levels of arrays or objects. */
        DEEP_NESTING,
        /** The text is cut at a byte. */
        TRUNCATE,
        /** One to three bits of the text are flipped. */
        FLIP_BITS,
        /** One to four byte edits of {@link JsonGens#mutations(byte[])}. */
        BYTE_EDITS
    }

    /**
     * A mutated payload.
     *
     * @param kind the mutation applied
     * @param bytes the payload after it (owned by the caller; not copied)
     */
    public record Mutant(Kind kind, byte[] bytes) {

        /** Requires both parts. */
        public Mutant {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(bytes, "bytes");
        }

        /** The kind and the payload as text, so that a failing case reads. */
        @Override
        public String toString() {
            String text = new String(bytes, StandardCharsets.UTF_8);
            return kind + " " + (text.length() > 600 ? text.substring(0, 600) + "... (" + bytes.length + " bytes)" : text);
        }
    }

    /** Numbers outside the ranges of every numeric field of the protocol, in many spellings. */
    private static final List<String> OUT_OF_RANGE = List.of("-1", "1000", "3599", "-0", "1.5", "1e2", "0.0",
            "2147483648", "-2147483649", "9223372036854775808", "-9223372036854775809", "1e400", "-1e400",
            "1e-400", "99999999999999999999999999999999", "181", "-90.00000000000001", "7", "1" + "0".repeat(1200));

    private JsonMutations() {
    }

    /** Mutants of {@code validJson} of every kind, the kind chosen evenly. */
    public static Gen<Mutant> of(byte[] validJson) {
        Gen<Kind> kinds = Gen.elements(Kind.values());
        return c -> of(validJson, kinds.generate(c)).generate(c);
    }

    /**
     * Mutants of {@code validJson} of one kind. Where the text has nothing to apply the kind to
     * (no number, no object member), the mutant is the text unchanged.
     *
     * @throws IllegalArgumentException if {@code validJson} is not JSON
     */
    public static Gen<Mutant> of(byte[] validJson, Kind kind) {
        byte[] original = validJson.clone();
        Node tree = toNode(JsonValue.parse(original));
        return switch (kind) {
            case DROP_MEMBER -> c -> structural(kind, tree, JsonMutations::isNonEmptyContainer, c, (n, cc) -> {
                List<Node> children = children(n);
                int i = (int) cc.draw(children.size() - 1);
                return n instanceof Obj o ? new Obj(without(o.members(), i)) : new Arr(without(children, i));
            });
            case CHANGE_TYPE -> c -> structural(kind, tree, n -> true, c, (n, cc) -> otherType(n, cc));
            case NUMBER_OUT_OF_RANGE -> c -> structural(kind, tree, JsonMutations::isNumber, c,
                    (n, cc) -> new Raw(Gen.elements(OUT_OF_RANGE).generate(cc)));
            case RENAME_KEY -> c -> structural(kind, tree, JsonMutations::isNonEmptyObject, c, (n, cc) -> {
                List<Member> members = new ArrayList<>(((Obj) n).members());
                int i = (int) cc.draw(members.size() - 1);
                members.set(i, new Member(JsonGens.keys().generate(cc), members.get(i).value()));
                return new Obj(members);
            });
            case DUPLICATE_KEY -> c -> structural(kind, tree, JsonMutations::isNonEmptyObject, c, (n, cc) -> {
                List<Member> members = new ArrayList<>(((Obj) n).members());
                int i = (int) cc.draw(members.size() - 1);
                Node value = cc.drawBoolean(0.5) ? members.get(i).value() : toNode(JsonGens.scalars().generate(cc));
                members.add(i + (int) cc.draw(1), new Member(members.get(i).key(), value));
                return new Obj(members);
            });
            case DEEP_NESTING -> c -> structural(kind, tree, n -> true, c, (n, cc) -> {
                int depth = Gen.integers(1, MAX_INSERTED_DEPTH).generate(cc);
                boolean arrays = cc.drawBoolean(0.5);
                return new Raw((arrays ? "[" : "{\"a\":").repeat(depth) + write(n) + (arrays ? "]" : "}").repeat(depth));
            });
            case TRUNCATE -> c -> new Mutant(kind, java.util.Arrays.copyOf(original,
                    (int) c.draw(Math.max(0, original.length - 1))));
            case FLIP_BITS -> c -> {
                byte[] b = original.clone();
                int flips = Gen.integers(1, 3).generate(c);
                for (int k = 0; k < flips && b.length > 0; k++) {
                    b[(int) c.draw(b.length - 1)] ^= (byte) (1 << c.draw(7));
                }
                return new Mutant(kind, b);
            };
            case BYTE_EDITS -> JsonGens.mutations(original).map(b -> new Mutant(kind, b));
        };
    }

    // ---------------------------------------------------------------- the tree

    /** A JSON tree that, unlike {@link JsonValue}, can hold duplicate keys and raw text. */
    private sealed interface Node permits Obj, Arr, Raw {
    }

    private record Obj(List<Member> members) implements Node {
    }

    private record Member(String key, Node value) {
    }

    private record Arr(List<Node> elements) implements Node {
    }

    /** A scalar's JSON text, or any text spliced in as a value. */
    private record Raw(String json) implements Node {
    }

    private interface Edit {
        Node apply(Node target, Choices c);
    }

    private interface Eligible {
        boolean test(Node n);
    }

    /** Applies {@code edit} to one node chosen among those {@code eligible}; unchanged text when there is none. */
    private static Mutant structural(Kind kind, Node tree, Eligible eligible, Choices c, Edit edit) {
        List<List<Integer>> paths = new ArrayList<>();
        collect(tree, new ArrayList<>(), eligible, paths);
        if (paths.isEmpty()) {
            return new Mutant(kind, write(tree).getBytes(StandardCharsets.UTF_8));
        }
        List<Integer> path = paths.get((int) c.draw(paths.size() - 1));
        Node mutated = replace(tree, path, 0, n -> edit.apply(n, c));
        return new Mutant(kind, write(mutated).getBytes(StandardCharsets.UTF_8));
    }

    private static void collect(Node n, List<Integer> path, Eligible eligible, List<List<Integer>> out) {
        if (eligible.test(n)) {
            out.add(List.copyOf(path));
        }
        List<Node> children = children(n);
        for (int i = 0; i < children.size(); i++) {
            path.add(i);
            collect(children.get(i), path, eligible, out);
            path.remove(path.size() - 1);
        }
    }

    private static Node replace(Node n, List<Integer> path, int depth, UnaryOperator<Node> f) {
        if (depth == path.size()) {
            return f.apply(n);
        }
        int i = path.get(depth);
        if (n instanceof Obj o) {
            List<Member> members = new ArrayList<>(o.members());
            Member m = members.get(i);
            members.set(i, new Member(m.key(), replace(m.value(), path, depth + 1, f)));
            return new Obj(members);
        }
        List<Node> elements = new ArrayList<>(((Arr) n).elements());
        elements.set(i, replace(elements.get(i), path, depth + 1, f));
        return new Arr(elements);
    }

    private static List<Node> children(Node n) {
        if (n instanceof Obj o) {
            return o.members().stream().map(Member::value).toList();
        }
        return n instanceof Arr a ? a.elements() : List.of();
    }

    private static <T> List<T> without(List<T> list, int index) {
        List<T> out = new ArrayList<>(list);
        out.remove(index);
        return out;
    }

    private static boolean isNonEmptyContainer(Node n) {
        return !children(n).isEmpty();
    }

    private static boolean isNonEmptyObject(Node n) {
        return n instanceof Obj o && !o.members().isEmpty();
    }

    private static boolean isNumber(Node n) {
        return n instanceof Raw r && typeOf(r) == 'n';
    }

    /** 'o'bject, 'a'rray, 's'tring, 'n'umber, 'b'oolean or 'z' for null. */
    private static char typeOf(Node n) {
        if (n instanceof Obj) {
            return 'o';
        }
        if (n instanceof Arr) {
            return 'a';
        }
        char first = ((Raw) n).json().charAt(0);
        return switch (first) {
            case '"' -> 's';
            case 't', 'f' -> 'b';
            case 'n' -> 'z';
            default -> 'n';
        };
    }

    private static Node otherType(Node n, Choices c) {
        List<Node> candidates = new ArrayList<>();
        for (Node candidate : List.of(new Raw("null"), new Raw("true"), new Raw("false"), new Raw("0"),
                new Raw("-1.5"), new Raw("\"\""), new Raw("\"202\""), new Raw("\"x\""), new Arr(List.of()),
                new Arr(List.of(new Raw("1"))), new Obj(List.of()))) {
            if (typeOf(candidate) != typeOf(n)) {
                candidates.add(candidate);
            }
        }
        return candidates.get((int) c.draw(candidates.size() - 1));
    }

    private static Node toNode(JsonValue v) {
        if (v instanceof JsonObject o) {
            List<Member> members = new ArrayList<>();
            for (Map.Entry<String, JsonValue> e : o.members().entrySet()) {
                members.add(new Member(e.getKey(), toNode(e.getValue())));
            }
            return new Obj(members);
        }
        if (v instanceof JsonArray a) {
            return new Arr(a.elements().stream().map(JsonMutations::toNode).toList());
        }
        return new Raw(v.toJson());
    }

    private static String write(Node n) {
        StringBuilder b = new StringBuilder();
        write(n, b);
        return b.toString();
    }

    private static void write(Node n, StringBuilder b) {
        if (n instanceof Raw r) {
            b.append(r.json());
        } else if (n instanceof Arr a) {
            b.append('[');
            for (int i = 0; i < a.elements().size(); i++) {
                b.append(i == 0 ? "" : ",");
                write(a.elements().get(i), b);
            }
            b.append(']');
        } else {
            Obj o = (Obj) n;
            b.append('{');
            for (int i = 0; i < o.members().size(); i++) {
                Member m = o.members().get(i);
                b.append(i == 0 ? "" : ",").append(new JsonString(m.key()).toJson()).append(':');
                write(m.value(), b);
            }
            b.append('}');
        }
    }
}
