// A user's application on the module path: it names dm-client only; Paho comes in through
// ServiceLoader because transport-paho's module provides MqttTransportProvider.
module dev.iotdm.sample.modulepath {
    requires dev.iotdm.client;

    uses dev.iotdm.transport.MqttTransportProvider;
}
