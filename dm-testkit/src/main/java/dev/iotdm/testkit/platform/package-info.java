/**
 * The fake Watson IoT Platform: {@link dev.iotdm.testkit.platform.PlatformEngine}, a sans-I/O model
 * of the platform's device-management side (registry, answers to device requests, platform-initiated
 * operations, lifetime expiry, fault hooks), and {@link dev.iotdm.testkit.platform.FakePlatform}, the
 * threaded facade that drives it over the embedded broker or any other {@link
 * dev.iotdm.testkit.platform.DeviceLink}.
 *
 * <p>The platform has its own model: it uses dm-protocol's wire layer (topics, messages, codec) and
 * never the device engine or the device's firmware table, so the conformance suite never checks the
 * implementation against itself.
 */
package dev.iotdm.testkit.platform;
