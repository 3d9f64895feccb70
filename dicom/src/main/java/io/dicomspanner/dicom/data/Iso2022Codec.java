package io.dicomspanner.dicom.data;

import static io.dicomspanner.dicom.data.Iso2022CodeElement.ESC;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.REPLACEMENT;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Decoding and encoding with ISO 2022 code extensions as PS3.5 §6.1.2.5 uses them: escape sequences designate a set
 * into G0 (bytes 0x21..0x7E) or G1 (bytes 0xA1..0xFE), and the sets of value 1 of (0008,0005) are active again after
 * every CR, LF, FF and TAB, after every value delimiter {@code \} of a multi-valued VR, and after every {@code ^} and
 * {@code =} of a person name (PS3.5 §6.1.2.5.3).
 *
 * <p>The single-byte sets without code extensions (ISO_IR 100 ...) are the same machine with the escapes never
 * needed: value 1 puts ASCII in G0 and its set in G1.
 *
 * @param initialG0 the G0 set at the start of every value and after every reset point: ASCII, or JIS X 0201 Romaji
 *     when value 1 is ISO 2022 IR 13
 * @param initialG1 the G1 set at the same points, or {@code null} when value 1 brings none (the default repertoire);
 *     then bytes 0x80..0xFF read as Latin-1 (lenient, as pydicom does) and no character beyond ASCII can be written
 * @param repertoire every set the values of (0008,0005) allow, in value order, which the encoder picks from
 */
record Iso2022Codec(Iso2022CodeElement initialG0, Iso2022CodeElement initialG1, List<Iso2022CodeElement> repertoire) {

    Iso2022Codec {
        repertoire = List.copyOf(repertoire);
    }

    String decode(byte[] b, int off, int len, VR vr) {
        int end = off + len;
        if (isPlainAscii(b, off, end)) {
            return new String(b, off, len, StandardCharsets.ISO_8859_1);
        }
        boolean personName = vr == VR.PN;
        boolean multiValued = !vr.isSingleValuedText();
        StringBuilder out = new StringBuilder(len);
        Iso2022CodeElement g0 = initialG0;
        Iso2022CodeElement g1 = initialG1;
        int i = off;
        while (i < end) {
            int c = b[i] & 0xFF;
            if (c == ESC) {
                Iso2022CodeElement designated = Iso2022CodeElement.atEscape(b, i, end);
                if (designated != null) {
                    if (designated.area() == Iso2022CodeElement.Area.G0) {
                        g0 = designated;
                    } else {
                        g1 = designated;
                    }
                    i += Iso2022CodeElement.escapeLength(designated, b, i);
                } else {
                    // An escape sequence of no DICOM set: keep its bytes visible rather than guess a set.
                    out.append((char) c);
                    i++;
                }
            } else if (c < 0x80) {
                if (g0.isMultiByte() && isGraphic94(c)) {
                    if (i + 1 < end && isGraphic94(b[i + 1] & 0xFF)) {
                        out.append(g0.decodePair(c, b[i + 1]));
                        i += 2;
                    } else {
                        out.append(REPLACEMENT);
                        i++;
                    }
                } else {
                    // Only here, outside a double-byte G0 character, can 05/12, 05/14 and 03/13 be delimiters.
                    if (isResetPoint(c, personName, multiValued)) {
                        g0 = initialG0;
                        g1 = initialG1;
                    }
                    out.append((char) c);
                    i++;
                }
            } else if (g1 == null) {
                out.append((char) c);
                i++;
            } else if (g1.isMultiByte()) {
                if (isGraphic94(c & 0x7F) && i + 1 < end && isGraphic94((b[i + 1] & 0xFF) ^ 0x80)) {
                    out.append(g1.decodePair(c, b[i + 1]));
                    i += 2;
                } else {
                    out.append(REPLACEMENT);
                    i++;
                }
            } else {
                out.append(g1.decodeHigh(c));
                i++;
            }
        }
        return out.toString();
    }

    /**
     * Encodes with the fewest escape sequences this greedy choice finds: the sets in G0 and G1 are kept while they hold
     * the next character, else the first set of the repertoire that holds it is designated. Before every reset point
     * and at the end G0 is switched back to its initial set, as PS3.5 §6.1.2.5.3 requires of a writer.
     *
     * @throws IllegalArgumentException naming the position and code point of the first character no set holds
     */
    byte[] encode(String s, VR vr, SpecificCharacterSet setForMessage) {
        boolean personName = vr == VR.PN;
        boolean multiValued = !vr.isSingleValuedText();
        Bytes out = new Bytes(s.length() * 2 + 8);
        Iso2022CodeElement g0 = initialG0;
        Iso2022CodeElement g1 = initialG1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int code;
            if (cp == ESC) {
                throw new IllegalArgumentException("ESC (U+001B) at position " + i
                        + " cannot be written in Specific Character Set " + setForMessage
                        + ": readers take it for the start of an escape sequence");
            } else if (cp < 0x80 && isResetPoint(cp, personName, multiValued)) {
                if (g0 != initialG0) {
                    out.write(initialG0.escapeSequence());
                }
                g0 = initialG0;
                g1 = initialG1;
                out.write(cp);
            } else if (cp < 0x20 || cp == 0x7F || (cp < 0x80 && !g0.isMultiByte())) {
                // C0 controls and DEL mean the same whichever sets are designated.
                out.write(cp);
            } else if (g0.isMultiByte() && (code = g0.encode(cp)) >= 0) {
                out.writePair(code);
            } else if (g1 != null && (code = g1.encode(cp)) >= 0) {
                out.write(g1, code);
            } else {
                Iso2022CodeElement designated = firstHolding(cp);
                if (designated == null) {
                    throw new IllegalArgumentException(String.format(
                            "U+%04X at position %d cannot be encoded in Specific Character Set %s",
                            cp, i, setForMessage));
                }
                out.write(designated.escapeSequence());
                if (designated.area() == Iso2022CodeElement.Area.G0) {
                    g0 = designated;
                } else {
                    g1 = designated;
                }
                out.write(designated, designated.encode(cp));
            }
            i += Character.charCount(cp);
        }
        if (g0 != initialG0) {
            out.write(initialG0.escapeSequence());
        }
        return out.toArray();
    }

    private Iso2022CodeElement firstHolding(int cp) {
        for (Iso2022CodeElement e : repertoire) {
            if (e.encode(cp) >= 0) {
                return e;
            }
        }
        return null;
    }

    /** True when the bytes hold neither ESC nor any byte above 0x7F, so every set of DICOM reads them as ASCII. */
    static boolean isPlainAscii(byte[] b, int off, int end) {
        for (int i = off; i < end; i++) {
            if (b[i] < 0 || b[i] == ESC) {
                return false;
            }
        }
        return true;
    }

    private static boolean isGraphic94(int c) {
        return c >= 0x21 && c <= 0x7E;
    }

    private static boolean isResetPoint(int c, boolean personName, boolean multiValued) {
        return switch (c) {
            case '\r', '\n', '\f', '\t' -> true;
            case '^', '=' -> personName;
            case '\\' -> multiValued;
            default -> false;
        };
    }

    /** A growable byte array; the values are short, so no pooling. */
    private static final class Bytes {
        private byte[] buf;
        private int len;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        void write(int b) {
            if (len == buf.length) {
                buf = Arrays.copyOf(buf, len * 2);
            }
            buf[len++] = (byte) b;
        }

        void write(byte[] bytes) {
            for (byte b : bytes) {
                write(b);
            }
        }

        void writePair(int code) {
            write(code >>> 8);
            write(code & 0xFF);
        }

        void write(Iso2022CodeElement e, int code) {
            if (e.isMultiByte()) {
                writePair(code);
            } else {
                write(code);
            }
        }

        byte[] toArray() {
            return Arrays.copyOf(buf, len);
        }
    }
}
