package dev.iotdm.samples;

import dev.iotdm.client.config.DeviceOptions;

/** Reads the device the samples run as from {@code IOTDM_*} variables, as {@code dm-cli conformance --run-device} sets them. */
final class Env {

    private Env() {
    }

    static DeviceOptions options() {
        return DeviceOptions.builder().org(get("IOTDM_ORG")).typeId(get("IOTDM_TYPE")).deviceId(get("IOTDM_DEVICE"))
                .token(get("IOTDM_TOKEN")).host(get("IOTDM_HOST")).port(Integer.parseInt(get("IOTDM_PORT")))
                .withoutTls().build();
    }

    private static String get(String name) {
        String v = System.getenv(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set: set IOTDM_HOST, IOTDM_PORT, IOTDM_ORG, IOTDM_TYPE,"
                    + " IOTDM_DEVICE and IOTDM_TOKEN (dm-cli platform prints them for each device)");
        }
        return v;
    }
}
