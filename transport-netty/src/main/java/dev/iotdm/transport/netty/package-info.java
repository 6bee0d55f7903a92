/**
 * The transport SPI on Netty's MQTT codec: {@link dev.iotdm.transport.netty.NettyTransportFactory}
 * (owns or borrows the event loop group many devices share), {@link dev.iotdm.transport.netty.NettyTransport}
 * (one MQTT 3.1.1 or 5 connection) and the typed failures only this transport reports.
 */
package dev.iotdm.transport.netty;
