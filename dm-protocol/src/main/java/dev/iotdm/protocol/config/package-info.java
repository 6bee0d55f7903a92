/**
 * Device connection options ({@link dev.iotdm.protocol.config.DeviceOptions}) and readers for the
 * configuration formats of the older SDKs ({@link dev.iotdm.protocol.config.DeviceConfigs}).
 */
package dev.iotdm.protocol.config;
