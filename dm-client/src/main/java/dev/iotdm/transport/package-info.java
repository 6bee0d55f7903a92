/**
 * The transport SPI: the small, generic MQTT client contract ({@link dev.iotdm.transport.MqttTransport})
 * that each transport module implements and the core drives, with its options, results and failures.
 * Nothing here is specific to device management.
 */
package dev.iotdm.transport;
