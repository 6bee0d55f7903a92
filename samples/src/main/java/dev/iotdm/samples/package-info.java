/**
 * Java ports of the seed's samples: {@link dev.iotdm.samples.ManagedDeviceSample} (firmware download
 * with verification, update, reboot and factory reset), {@link dev.iotdm.samples.ConfigFileSample} (a
 * device from a {@code device.conf} INI file) and {@link dev.iotdm.samples.EventsAndCommandsSample}.
 * Each reads the fake platform's address from {@code IOTDM_HOST} and {@code IOTDM_PORT}.
 */
package dev.iotdm.samples;
