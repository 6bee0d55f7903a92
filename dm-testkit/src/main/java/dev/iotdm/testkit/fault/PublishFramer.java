package dev.iotdm.testkit.fault;

/**
 * Finds the ends of MQTT PUBLISH packets in one direction's byte stream (MQTT 3.1.1 and 5 share
 * the fixed header: a type nibble, then the remaining length as a variable byte integer), so that
 * the proxy can count publishes without decoding them. It sees plain MQTT only: behind TLS its
 * counts mean nothing, and nothing but the publish counters relies on it.
 *
 * <p>One instance per direction of one connection, fed by that direction's reader thread only.
 */
final class PublishFramer {

    private static final int PUBLISH = 3;

    private enum State { TYPE, LENGTH, BODY }

    private State state = State.TYPE;
    private boolean publish;
    private long remaining;
    private int shift;

    /** Feeds {@code n} bytes and returns how many PUBLISH packets ended in them. */
    int feed(byte[] bytes, int n) {
        int ended = 0;
        int i = 0;
        while (i < n) {
            switch (state) {
                case TYPE -> {
                    publish = ((bytes[i] & 0xF0) >>> 4) == PUBLISH;
                    remaining = 0;
                    shift = 0;
                    state = State.LENGTH;
                    i++;
                }
                case LENGTH -> {
                    int b = bytes[i] & 0xFF;
                    remaining |= (long) (b & 0x7F) << shift;
                    shift += 7;
                    i++;
                    if ((b & 0x80) == 0) {
                        if (remaining == 0) {
                            ended += publish ? 1 : 0;
                            state = State.TYPE;
                        } else {
                            state = State.BODY;
                        }
                    }
                }
                case BODY -> {
                    int take = (int) Math.min(remaining, n - i);
                    remaining -= take;
                    i += take;
                    if (remaining == 0) {
                        ended += publish ? 1 : 0;
                        state = State.TYPE;
                    }
                }
            }
        }
        return ended;
    }
}
