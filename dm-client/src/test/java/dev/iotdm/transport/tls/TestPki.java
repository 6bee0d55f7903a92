package dev.iotdm.transport.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test certificates made with the JDK's keytool in a temporary directory: a CA, identities it
 * signed, and an unrelated CA (EC keys where the key type does not matter: they are quick to make). Each identity ends up as a PKCS#12 file with its full chain, a PEM
 * certificate chain and a PKCS#8 PEM private key.
 */
final class TestPki {

    static final String PASSWORD = "changeit";

    final Path dir;
    final Path caPem;

    /** Makes the CA that {@link #issue} signs with. */
    TestPki(Path dir) throws Exception {
        this.dir = dir;
        this.caPem = newCa("ca", "CN=iotdm test CA");
    }

    /** Makes an unrelated CA and returns its PEM certificate. */
    Path otherCa() throws Exception {
        return newCa("other-ca", "CN=iotdm other CA");
    }

    /** An identity issued by {@code ca}, with its files. */
    record Identity(Path p12, Path keyPem, Path chainPem) {
    }

    /**
     * Makes a key pair and a certificate signed by the CA.
     *
     * @param keyAlg "RSA" or "EC"
     * @param san the subjectAltName extension value, or null
     */
    Identity issue(String alias, String dname, String keyAlg, String san) throws Exception {
        Path store = dir.resolve(alias + "-self.p12");
        List<String> gen = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-dname", dname, "-keyalg", keyAlg,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", PASSWORD));
        gen.addAll(keyAlg.equals("EC") ? List.of("-groupname", "secp256r1") : List.of("-keysize", "2048"));
        keytool(gen);
        Path csr = dir.resolve(alias + ".csr");
        keytool(List.of("-certreq", "-alias", alias, "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", csr.toString()));
        Path crt = dir.resolve(alias + ".crt.pem");
        List<String> sign = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore",
                dir.resolve("ca.p12").toString(), "-storepass", PASSWORD, "-infile", csr.toString(),
                "-outfile", crt.toString(), "-rfc", "-validity", "2"));
        if (san != null) {
            sign.addAll(List.of("-ext", "san=" + san));
        }
        keytool(sign);

        // Assemble the signed chain in Java: the key from the self-signed store, the cert from keytool.
        KeyStore self = load(store);
        PrivateKey key = (PrivateKey) self.getKey(alias, PASSWORD.toCharArray());
        Certificate leaf = readCert(crt);
        Certificate ca = readCert(caPem);
        KeyStore signed = KeyStore.getInstance("PKCS12");
        signed.load(null, null);
        signed.setKeyEntry(alias, key, PASSWORD.toCharArray(), new Certificate[] {leaf, ca});
        Path p12 = dir.resolve(alias + ".p12");
        try (OutputStream out = Files.newOutputStream(p12)) {
            signed.store(out, PASSWORD.toCharArray());
        }
        Path chain = dir.resolve(alias + "-chain.pem");
        Files.writeString(chain, Files.readString(crt) + Files.readString(caPem));
        Path keyPem = dir.resolve(alias + "-key.pem");
        Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
        return new Identity(p12, keyPem, chain);
    }

    static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    static KeyStore load(Path p12) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }

    private Path newCa(String alias, String dname) throws Exception {
        Path store = dir.resolve(alias + ".p12");
        keytool(List.of("-genkeypair", "-alias", "ca", "-dname", dname, "-keyalg", "EC", "-groupname", "secp256r1",
                "-validity", "2", "-ext", "bc:c", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD));
        Path pem = dir.resolve(alias + ".pem");
        keytool(List.of("-exportcert", "-rfc", "-alias", "ca", "-keystore", store.toString(), "-storepass", PASSWORD,
                "-file", pem.toString()));
        return pem;
    }

    private static Certificate readCert(Path pem) throws Exception {
        try (InputStream in = new ByteArrayInputStream(Files.readAllBytes(pem))) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void keytool(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // keytool runs briefly: skip the optimising JIT and use the simplest GC to start fast.
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 60 s: " + command);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (" + p.exitValue() + "): " + command + "\n" + output);
        }
    }
}
