/**
 * The iotdm transport SPI on the Eclipse Paho MQTT v5 client, registered under the name
 * {@code "paho"}. MQTT 5 only: MQTT 3.1.1 users take the Netty transport.
 *
 * <p>Only {@code dev.iotdm.transport.paho} is exported; the executor, socket factories and
 * translations in {@code dev.iotdm.transport.paho.internal} stay private. Paho ships no module
 * descriptor, so it is required under its automatic (file-name derived) module name.
 */
module dev.iotdm.transport.paho {
    requires transitive dev.iotdm.client;
    requires org.eclipse.paho.mqttv5.client;
    requires org.slf4j;

    exports dev.iotdm.transport.paho;
    // Paho instantiates its logger by class name (PahoLogging, issue #10).
    exports dev.iotdm.transport.paho.internal to org.eclipse.paho.mqttv5.client;

    provides dev.iotdm.transport.MqttTransportProvider
            with dev.iotdm.transport.paho.PahoTransportProvider;
}
