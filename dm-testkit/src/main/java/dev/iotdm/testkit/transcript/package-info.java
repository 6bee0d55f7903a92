/**
 * Transcripts of what the platform saw and sent: messages and connection markers per device
 * client, rendered as readable text or JSON lines and parsed back, with listeners for live
 * printing and checking.
 */
package dev.iotdm.testkit.transcript;
