package dev.iotdm.protocol.codec;

/**
 * Control flow for a decoding failure deep inside a payload: thrown where the problem is found,
 * caught by each enclosing reader to prefix its path segment, turned into a {@link DecodeError}
 * at the top. No stack trace: it is a value, and it is cheap.
 */
final class Bad extends Exception {

    private static final long serialVersionUID = 1L;

    final Problem problem;
    final String detail;
    private String path;

    Bad(Problem problem, String detail) {
        super(null, null, false, false);
        this.problem = problem;
        this.detail = detail;
        this.path = "";
    }

    /** Prefixes an object member name. */
    Bad at(String member) {
        String name = Reader.abbreviate(member); // names come from the peer
        path = path.isEmpty() || path.startsWith("[") ? name + path : name + "." + path;
        return this;
    }

    /** Prefixes an array index. */
    Bad at(int index) {
        path = "[" + index + "]" + (path.isEmpty() || path.startsWith("[") ? path : "." + path);
        return this;
    }

    String describe() {
        return path.isEmpty() ? detail : path + ": " + detail;
    }
}
