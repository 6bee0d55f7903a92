package dev.iotdm.cli;

import java.io.PrintStream;
import java.util.List;

/**
 * Owns what the {@code platform} command prints for each registered device: the connection
 * settings to paste into a device, as {@code DeviceOptions} builder lines, a {@code device.conf}
 * INI file (the seed's {@code ParseConfigFile}) and {@code WIOTP_*} variables. Tokens are
 * printed as {@code <token>} / {@code $IOTDM_TOKEN} unless asked for: a terminal's scrollback and
 * a CI log are no place for secrets.
 *
 * <p>Thread-safety: stateless.
 */
final class ConnectionSettingsPrinter {

    /** How many devices get their settings printed; a fleet gets the first few and a count. */
    static final int SHOWN = 3;

    private ConnectionSettingsPrinter() {
    }

    /**
     * Prints the settings of the first {@link #SHOWN} devices.
     *
     * @param out where to print
     * @param devices the registered devices
     * @param host the host the platform listens on
     * @param port the plain MQTT port
     * @param showTokens whether to print the tokens themselves
     */
    static void print(PrintStream out, List<DeviceSpec> devices, String host, int port, boolean showTokens) {
        for (DeviceSpec d : devices.subList(0, Math.min(SHOWN, devices.size()))) {
            print(out, d, host, port, showTokens);
        }
        if (devices.size() > SHOWN) {
            out.println("  (settings of " + (devices.size() - SHOWN) + " more devices: the same with their ids)");
        }
    }

    private static void print(PrintStream out, DeviceSpec d, String host, int port, boolean showTokens) {
        String javaToken = showTokens ? javaString(d.token()) : "\"<token>\"";
        out.println("connection settings of " + d.clientId() + (showTokens ? ""
                : " (the token as <token> / $IOTDM_TOKEN; --show-tokens prints it)") + ":");
        out.println("  Java:");
        out.println("    DeviceOptions options = DeviceOptions.builder()");
        out.println("            .org(" + javaString(d.org()) + ").typeId(" + javaString(d.typeId()) + ").deviceId("
                + javaString(d.deviceId()) + ").token(" + javaToken + ")");
        out.println("            .host(" + javaString(host) + ").port(" + port + ").withoutTls()");
        out.println("            .build();");
        boolean iniPort = port == 1883 || port == 80;
        String portNote = iniPort ? "" : " (these formats know only ports 1883 and 80 without TLS: start the"
                + " platform with --port 1883 to use them)";
        out.println("  device.conf, read with DeviceConfigs.fromIniFile(path).host(" + javaString(host)
                + ").build()" + portNote + ":");
        out.println("    [device]");
        out.println("    org=" + d.org());
        out.println("    type=" + d.typeId());
        out.println("    id=" + d.deviceId());
        out.println("    auth-method=token");
        out.println("    auth-token=" + (showTokens ? d.token() : "<token>"));
        out.println("    port=" + port);
        out.println("  environment, read with DeviceConfigs.fromEnvironment().host(" + javaString(host)
                + ").build()" + portNote + ":");
        out.println("    export WIOTP_IDENTITY_ORGID=" + d.org());
        out.println("    export WIOTP_IDENTITY_TYPEID=" + d.typeId());
        out.println("    export WIOTP_IDENTITY_DEVICEID=" + d.deviceId());
        out.println("    export WIOTP_AUTH_TOKEN=" + (showTokens ? shellString(d.token()) : "\"$IOTDM_TOKEN\""));
        out.println("    export WIOTP_OPTIONS_MQTT_PORT=" + port);
    }

    /** A Java string literal. */
    private static String javaString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.append('"').toString();
    }

    /** A single-quoted shell word. */
    private static String shellString(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
