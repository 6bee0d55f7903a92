package dev.iotdm.testkit.broker;

/** MQTT topic filter matching (MQTT 3.1.1 §4.7), for the in-memory broker and the rule checker. Stateless. */
public final class TopicFilters {

    private TopicFilters() {
    }

    /**
     * Whether {@code topic} matches {@code filter} with {@code +} and {@code #} wildcards.
     *
     * @param filter a topic filter, e.g. {@code iotdm-1/#}; not validated
     * @param topic a topic name without wildcards
     * @return {@code true} if the broker would deliver a message on {@code topic} to a
     *     subscription of {@code filter}
     */
    public static boolean matches(String filter, String topic) {
        int f = 0;
        int t = 0;
        while (f < filter.length()) {
            int fEnd = filter.indexOf('/', f);
            String level = filter.substring(f, fEnd < 0 ? filter.length() : fEnd);
            if (level.equals("#")) {
                return true; // matches the parent level and everything below (§4.7.1.2)
            }
            if (t > topic.length()) {
                return false;
            }
            int tEnd = topic.indexOf('/', t);
            String topicLevel = topic.substring(t, tEnd < 0 ? topic.length() : tEnd);
            if (!level.equals("+") && !level.equals(topicLevel)) {
                return false;
            }
            if (fEnd < 0) {
                return tEnd < 0;
            }
            if (tEnd < 0) {
                // The topic ended; only a trailing "/#" may still match.
                return filter.substring(fEnd + 1).equals("#");
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
        return false;
    }
}
