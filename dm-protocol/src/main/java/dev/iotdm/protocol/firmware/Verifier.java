package dev.iotdm.protocol.firmware;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * The firmware image check of {@code mgmt.firmware.verifier} (protocol.md §6.1): nothing, an MD5
 * digest (32 hex digits) or a SHA-256 digest (64 hex digits), case-insensitive.
 *
 * <p>Two ways in, as for every wire value: {@link #parse(String)} for decoders returns empty for
 * anything else, {@link #of(String)} for callers throws. Immutable and thread-safe.
 *
 * @param algorithm the digest algorithm, {@link Algorithm#NONE} for no verification
 * @param hex       the expected digest as lowercase hex; empty for {@link Algorithm#NONE}
 */
public record Verifier(Algorithm algorithm, String hex) {

    /** No verification: every image matches. */
    public static final Verifier NONE = new Verifier(Algorithm.NONE, "");

    /** The digest algorithms a verifier can name. */
    public enum Algorithm {
        /** No verification. */
        NONE(0, null),
        /** MD5: 32 hex digits. */
        MD5(32, "MD5"),
        /** SHA-256: 64 hex digits. */
        SHA_256(64, "SHA-256");

        private final int hexLength;
        private final String jcaName;

        Algorithm(int hexLength, String jcaName) {
            this.hexLength = hexLength;
            this.jcaName = jcaName;
        }

        /**
         * How many hex digits a verifier of this algorithm has (0 for {@link #NONE}).
         *
         * @return 0, 32 or 64
         */
        public int hexLength() {
            return hexLength;
        }
    }

    /**
     * Validates the pair and normalises the digits to lowercase.
     *
     * @param algorithm the digest algorithm, not null
     * @param hex the expected digest in hex, either case, of {@link Algorithm#hexLength()} digits;
     *     {@code ""} for {@link Algorithm#NONE}
     * @throws IllegalArgumentException if a part is null or {@code hex} has the wrong length or a
     *     non-hex character
     */
    public Verifier {
        if (algorithm == null) {
            throw new IllegalArgumentException("algorithm must not be null");
        }
        if (hex == null) {
            throw new IllegalArgumentException("hex must not be null (use \"\" for Algorithm.NONE)");
        }
        hex = hex.toLowerCase(Locale.ROOT);
        if (hex.length() != algorithm.hexLength || !isHex(hex)) {
            throw new IllegalArgumentException("hex must be " + algorithm.hexLength + " hex digits for "
                    + algorithm + ", was '" + abbreviate(hex) + "'");
        }
    }

    /**
     * The verifier for wire text: empty or null means {@link #NONE}, 32 hex digits MD5, 64 hex
     * digits SHA-256; anything else (including surrounding blanks) is invalid and gives empty.
     *
     * @param text the {@code verifier} value as received, possibly null
     * @return the verifier, empty when the text is not one
     */
    public static Optional<Verifier> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.of(NONE);
        }
        if (!isHex(text)) {
            return Optional.empty();
        }
        if (text.length() == Algorithm.MD5.hexLength) {
            return Optional.of(new Verifier(Algorithm.MD5, text));
        }
        if (text.length() == Algorithm.SHA_256.hexLength) {
            return Optional.of(new Verifier(Algorithm.SHA_256, text));
        }
        return Optional.empty();
    }

    /**
     * Like {@link #parse(String)} but throws {@link IllegalArgumentException} for invalid text.
     *
     * @param text empty or null for no verification, else 32 or 64 hex digits
     * @return the verifier
     * @throws IllegalArgumentException if the text is not a verifier
     */
    public static Verifier of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "verifier must be empty, 32 hex digits (MD5) or 64 hex digits (SHA-256), was '"
                        + abbreviate(text) + "'"));
    }

    /**
     * Whether this verifier checks anything ({@code false} for {@link #NONE}).
     *
     * @return true for MD5 and SHA-256
     */
    public boolean verifies() {
        return algorithm != Algorithm.NONE;
    }

    /**
     * Whether a computed {@code digest} is the expected one (compared in constant time). Always
     * true for {@link #NONE}.
     *
     * @param digest the digest computed over the image, not null
     * @return whether the image passes the check
     * @throws IllegalArgumentException if {@code digest} is null
     */
    public boolean matches(byte[] digest) {
        if (digest == null) {
            throw new IllegalArgumentException("digest must not be null");
        }
        return !verifies() || MessageDigest.isEqual(HexFormat.of().parseHex(hex), digest);
    }

    /**
     * A fresh digest to compute while reading the image: of this verifier's algorithm, or SHA-256
     * for {@link #NONE} so that a downloaded image can still be identified in reports and logs.
     *
     * @return a new digest, not shared; feed it the image bytes, then pass its result to {@link #matches}
     */
    public MessageDigest newDigest() {
        String name = verifies() ? algorithm.jcaName : Algorithm.SHA_256.jcaName;
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform must provide MD5 and SHA-256 (MessageDigest's Javadoc).
            throw new IllegalStateException(name + " is missing from this Java runtime", e);
        }
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean hexDigit = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hexDigit) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
