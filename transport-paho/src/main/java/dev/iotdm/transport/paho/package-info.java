/**
 * The iotdm transport SPI ({@link dev.iotdm.transport.MqttTransport}) on the Eclipse
 * Paho MQTT v5 client: {@link dev.iotdm.transport.paho.PahoTransport}, found by
 * {@link java.util.ServiceLoader} as {@code "paho"} through
 * {@link dev.iotdm.transport.paho.PahoTransportProvider}. A translator only: no protocol logic,
 * no JSON, no reconnect. MQTT 5 only; MQTT 3.1.1 users take the Netty transport.
 */
package dev.iotdm.transport.paho;
