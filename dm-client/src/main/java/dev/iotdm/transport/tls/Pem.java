package dev.iotdm.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files (RFC 7468): owns the parsing of {@code -----BEGIN X-----} blocks and of the
 * certificates in them, with error messages that name the file.
 */
final class Pem {

    /** One decoded block. */
    record Block(String label, byte[] der) {
    }

    /** The file's bytes and its blocks; {@code blocks} is empty when the file holds no PEM at all. */
    record Contents(byte[] raw, List<Block> blocks) {
    }

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 #]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private Pem() {
    }

    static Contents read(String what, Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsConfigurationException(what + " " + file + " cannot be read: " + e, e);
        }
        // ISO-8859-1 maps every byte to one char, so binary input cannot fail to decode.
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).trim());
            } catch (IllegalArgumentException e) {
                throw new TlsConfigurationException(what + " " + file + ": the '" + m.group(1)
                        + "' block is not valid base64", e);
            }
            blocks.add(new Block(m.group(1), der));
        }
        return new Contents(raw, blocks);
    }

    /** One or more X.509 certificates; any other block is an error. */
    static List<X509Certificate> certificates(String what, Path file) {
        Contents contents = read(what, file);
        if (contents.blocks().isEmpty()) {
            throw new TlsConfigurationException(what + " " + file + " holds no PEM certificate (expected"
                    + " '-----BEGIN CERTIFICATE-----'" + (looksLikeDer(contents.raw()) ? "; it holds binary (DER) data" : "")
                    + ")");
        }
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block b : contents.blocks()) {
                if (!b.label().equals("CERTIFICATE")) {
                    throw new TlsConfigurationException(what + " " + file + " holds a '" + b.label()
                            + "' block where only certificates ('-----BEGIN CERTIFICATE-----') are expected");
                }
                certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
            }
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException(what + " " + file + " holds an invalid certificate: " + e.getMessage(), e);
        }
        return List.copyOf(certs);
    }

    /** A DER SEQUENCE starts with 0x30; PEM text never does. */
    static boolean looksLikeDer(byte[] raw) {
        return raw.length > 1 && (raw[0] & 0xFF) == 0x30;
    }
}
