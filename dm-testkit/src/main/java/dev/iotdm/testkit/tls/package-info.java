/**
 * Real X.509 test material built with BouncyCastle's bcpkix: a CA, server and client certificates, an
 * unrelated CA, their PEM and PKCS#12 files, and ready {@link javax.net.ssl.SSLContext}s.
 *
 * <p>Entry point: {@link dev.iotdm.testkit.tls.TestCertificates}.
 */
package dev.iotdm.testkit.tls;
