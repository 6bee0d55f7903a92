package dev.iotdm.protocol.codec;

import dev.iotdm.protocol.message.Rc;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a payload could not be decoded, with what the receiver needs to answer it.
 *
 * <p>Only requests are answered: a malformed request with a readable reqId gets 400, a request
 * on an unknown {@code iotdm-1/...} topic 404 (protocol.md §5.1, §12.31). A malformed response
 * or a request without a readable reqId is dropped and reported, never answered.
 *
 * @param topic the topic as received
 * @param problem the kind of problem
 * @param detail a one-line explanation naming the field, e.g. {@code d.lifetime: must be 0 or >= 3600};
 *     control characters and line separators in it are escaped as backslash-u and four hex digits
 * @param reqId the request id, whenever one could be read
 * @param request whether the topic carries requests (which expect a response)
 */
public record DecodeError(String topic, Problem problem, String detail, Optional<String> reqId, boolean request)
        implements DecodeResult {

    /**
     * Requires all parts and escapes {@code detail} onto one line.
     *
     * @param topic the topic as received, not null
     * @param problem the kind of problem, not null
     * @param detail a one-line explanation naming the field, not null
     * @param reqId the request id, whenever one could be read, not null
     * @param request whether the topic carries requests
     */
    public DecodeError {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(problem, "problem");
        detail = oneLine(Objects.requireNonNull(detail, "detail"));
        Objects.requireNonNull(reqId, "reqId");
    }

    /**
     * The detail quotes the peer's keys and values, so control characters and line separators
     * are escaped: an error must not forge lines in a log.
     */
    private static String oneLine(String detail) {
        StringBuilder b = null;
        for (int i = 0; i < detail.length(); i++) {
            char c = detail.charAt(i);
            boolean escape = c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029;
            if (escape && b == null) {
                b = new StringBuilder(detail.length() + 16).append(detail, 0, i);
            }
            if (b != null) {
                b.append(escape ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return b == null ? detail : b.toString();
    }

    /**
     * The rc to answer with: 404 for an unknown topic, 400 otherwise; empty when not to answer.
     *
     * @return the rc of the answer, empty for a response or a request without a readable reqId
     */
    public Optional<Rc> answerWith() {
        if (!request || reqId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(problem == Problem.UNKNOWN_TOPIC ? Rc.NOT_FOUND : Rc.BAD_REQUEST);
    }

    @Override
    public String toString() {
        return "DecodeError[" + topic + ": " + problem + ": " + detail + reqId.map(r -> ", reqId " + r).orElse("")
                + "]";
    }
}
