/**
 * Device connection options ({@link dev.iotdm.client.config.DeviceOptions}) and readers for the
 * configuration formats of the older SDKs ({@link dev.iotdm.client.config.DeviceConfigs}).
 */
package dev.iotdm.client.config;
