package dev.iotdm.testkit.fault;

/**
 * Finds the ends of MQTT packets in one direction's byte stream (MQTT 3.1.1 and 5 share the fixed
 * header: a type nibble and flags, then the remaining length as a variable byte integer) and counts
 * the PUBLISH packets, the QoS 1 ones among them, and the PUBACK packets, so that the proxy can count
 * publishes and their acknowledgements without decoding them. It sees plain MQTT only: behind TLS
 * its counts mean nothing, and nothing but the publish counters relies on it.
 *
 * <p>One instance per direction of one connection, fed by that direction's reader thread only.
 */
final class PublishFramer {

    private static final int PUBLISH = 3;
    private static final int PUBACK = 4;

    /**
     * The packets that ended in one {@link #feed}.
     *
     * @param publishes PUBLISH packets
     * @param qos1 the QoS 1 PUBLISH packets among them (their receiver owes a PUBACK)
     * @param pubacks PUBACK packets
     */
    record Framed(int publishes, int qos1, int pubacks) {
        static final Framed NONE = new Framed(0, 0, 0);
    }

    private enum State { TYPE, LENGTH, BODY }

    private State state = State.TYPE;
    private int type;
    private int qos;
    private long remaining;
    private int shift;
    // The counts of the feed in progress.
    private int publishes;
    private int qos1;
    private int pubacks;

    /** Feeds {@code n} bytes and returns the packets that ended in them. */
    Framed feed(byte[] bytes, int n) {
        publishes = 0;
        qos1 = 0;
        pubacks = 0;
        int i = 0;
        while (i < n) {
            switch (state) {
                case TYPE -> {
                    type = (bytes[i] & 0xF0) >>> 4;
                    qos = (bytes[i] & 0x06) >>> 1;
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
                            ended();
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
                        ended();
                    }
                }
            }
        }
        return publishes == 0 && pubacks == 0 ? Framed.NONE : new Framed(publishes, qos1, pubacks);
    }

    private void ended() {
        if (type == PUBLISH) {
            publishes++;
            qos1 += qos == 1 ? 1 : 0;
        } else if (type == PUBACK) {
            pubacks++;
        }
        state = State.TYPE;
    }
}
