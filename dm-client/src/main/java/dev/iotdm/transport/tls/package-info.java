/**
 * TLS settings for client connections ({@link dev.iotdm.transport.tls.TlsSettings}), built with the JDK only.
 */
package dev.iotdm.transport.tls;
