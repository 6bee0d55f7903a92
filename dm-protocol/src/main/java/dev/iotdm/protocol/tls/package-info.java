/**
 * TLS settings for client connections ({@link dev.iotdm.protocol.tls.TlsSettings}), built with the JDK only.
 */
package dev.iotdm.protocol.tls;
