/**
 * The iotdm device client: the {@code ManagedClient} facade ({@code dev.iotdm.client}), the
 * transport SPI that transports implement ({@code dev.iotdm.transport}), TLS settings, the
 * configuration readers, the firmware downloader and the file state store.
 */
module dev.iotdm.client {
    requires transitive dev.iotdm.protocol;
    requires org.slf4j;
    requires java.net.http;

    exports dev.iotdm.client;
    exports dev.iotdm.client.config;
    exports dev.iotdm.client.firmware;
    exports dev.iotdm.client.store;
    exports dev.iotdm.transport;
    exports dev.iotdm.transport.tls;

    uses dev.iotdm.transport.MqttTransportProvider;
}
