package io.dicomspanner.common.atna;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * The syslog message of IHE ITI-20 "Record Audit Event": an RFC 5424 message whose MSG is the audit message's XML
 * (UTF-8, preceded by the byte order mark RFC 5424 asks of a UTF-8 MSG), MSGID {@value #MSG_ID}, no structured data;
 * and its RFC 6587 octet-counting frame ({@code <length> SP <message>}), the framing of both plain TCP and RFC 5425 TLS.
 */
public final class SyslogFormat {

    /** The MSGID of an audit message (ITI-20). */
    public static final String MSG_ID = "IHE+RFC-3881";

    /** Severity 5: normal but significant (a successful event). */
    public static final int NOTICE = 5;
    /** Severity 4: warning (a failure, or a refused attempt). */
    public static final int WARNING = 4;

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ISO_INSTANT;

    private SyslogFormat() {}

    /**
     * One RFC 5424 message. Header fields are cut to their RFC 5424 lengths and characters outside printable US-ASCII
     * become {@code _}; an empty field becomes the NILVALUE {@code -}.
     */
    public static byte[] message(
            int facility, int severity, Instant timestamp, String hostName, String appName, String procId, byte[] msg) {
        if (facility < 0 || facility > 23) {
            throw new IllegalArgumentException("syslog facility must be 0..23, is " + facility);
        }
        if (severity < 0 || severity > 7) {
            throw new IllegalArgumentException("syslog severity must be 0..7, is " + severity);
        }
        String header = "<" + (facility * 8 + severity) + ">1 "
                + TIMESTAMP.format(timestamp.truncatedTo(ChronoUnit.MILLIS)) + " "
                + field(hostName, 255) + " "
                + field(appName, 48) + " "
                + field(procId, 128) + " "
                + MSG_ID + " - ";
        ByteArrayOutputStream out = new ByteArrayOutputStream(header.length() + BOM.length + msg.length);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(BOM);
        out.writeBytes(msg);
        return out.toByteArray();
    }

    /** The RFC 6587 octet-counting frame of a message: its length in bytes, a space, the message. */
    public static byte[] octetCounted(byte[] message) {
        byte[] prefix = (message.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[prefix.length + message.length];
        System.arraycopy(prefix, 0, frame, 0, prefix.length);
        System.arraycopy(message, 0, frame, prefix.length, message.length);
        return frame;
    }

    static String field(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        StringBuilder printable = new StringBuilder(Math.min(value.length(), maxLength));
        for (int i = 0; i < value.length() && printable.length() < maxLength; i++) {
            char c = value.charAt(i);
            printable.append(c >= 33 && c <= 126 ? c : '_');
        }
        return printable.toString();
    }
}
