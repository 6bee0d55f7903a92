package dev.iotdm.protocol.topic;

/**
 * Parses topic names by prefix and level splitting, without regular expressions, since it runs
 * for every message.
 */
final class TopicParser {

    private TopicParser() {
    }

    static Topic parse(String name) {
        if (name == null) {
            return new UnknownTopic("");
        }
        DmTopic fixed = DmTopic.byName(name).orElse(null);
        if (fixed != null) {
            return fixed;
        }
        if (name.startsWith(CustomActionTopic.PREFIX)) {
            String[] ids = twoLevels(name, CustomActionTopic.PREFIX.length(), "/");
            if (ids != null && Identifiers.checkBundleId(ids[0]).isEmpty()
                    && Identifiers.checkBundleId(ids[1]).isEmpty()) {
                return new CustomActionTopic(ids[0], ids[1]);
            }
        } else if (name.startsWith(EventTopic.PREFIX)) {
            String[] parts = twoLevels(name, EventTopic.PREFIX.length(), "/fmt/");
            if (parts != null) {
                return new EventTopic(parts[0], parts[1]);
            }
        } else if (name.startsWith(CommandTopic.PREFIX)) {
            String[] parts = twoLevels(name, CommandTopic.PREFIX.length(), "/fmt/");
            if (parts != null) {
                return new CommandTopic(parts[0], parts[1]);
            }
        }
        return new UnknownTopic(name);
    }

    /**
     * Splits {@code name[from..]} at the one occurrence of {@code separator} into two valid topic
     * levels; null if the shape is wrong.
     */
    private static String[] twoLevels(String name, int from, String separator) {
        int sep = name.indexOf(separator, from);
        if (sep < 0) {
            return null;
        }
        String first = name.substring(from, sep);
        String second = name.substring(sep + separator.length());
        if (Identifiers.checkTopicLevel(first).isPresent() || Identifiers.checkTopicLevel(second).isPresent()) {
            return null;
        }
        return new String[] {first, second};
    }
}
