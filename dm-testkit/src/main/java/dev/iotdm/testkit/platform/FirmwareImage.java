package dev.iotdm.testkit.platform;

import java.util.Objects;
import java.util.Optional;

/**
 * The optional parameters of a firmware download or update request (protocol.md §6.2, §6.3): when
 * given, the platform first writes them to {@code mgmt.firmware} with {@code iotdm-1/device/update}.
 *
 * <p>Thread-safety: immutable.
 *
 * @param version the version to install
 * @param name the firmware name
 * @param uri where the device downloads the image
 * @param verifier the checksum or signature
 */
public record FirmwareImage(Optional<String> version, Optional<String> name, Optional<String> uri,
        Optional<String> verifier) {

    /**
     * Requires non-null optionals and at least one parameter.
     *
     * @param version the version, or empty; not {@code null}
     * @param name the name, or empty; not {@code null}
     * @param uri the download URI, or empty; not {@code null}
     * @param verifier the checksum or signature, or empty; not {@code null}
     * @throws NullPointerException naming the part that is {@code null}
     * @throws IllegalArgumentException if every part is empty (pass no image instead)
     */
    public FirmwareImage {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(verifier, "verifier");
        if (version.isEmpty() && name.isEmpty() && uri.isEmpty() && verifier.isEmpty()) {
            throw new IllegalArgumentException("a firmware image needs at least one of version, name, uri, verifier;"
                    + " pass no image to skip the device/update step");
        }
    }

    /**
     * An image from nullable parts.
     *
     * @param version the version, or {@code null}
     * @param name the name, or {@code null}
     * @param uri the download URI, or {@code null}
     * @param verifier the checksum or signature, or {@code null}
     * @return the image
     * @throws IllegalArgumentException if every part is {@code null}
     */
    public static FirmwareImage of(String version, String name, String uri, String verifier) {
        return new FirmwareImage(Optional.ofNullable(version), Optional.ofNullable(name), Optional.ofNullable(uri),
                Optional.ofNullable(verifier));
    }
}
