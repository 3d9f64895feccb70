package io.dicomspanner.dicom.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;

/**
 * The graphic character sets of PS3.3 Tables C.12-3 and C.12-4 that (0008,0005) can designate to G0 or G1 with an
 * ISO 2022 escape sequence.
 *
 * <p>Code tables come from the JDK's charsets (ISO-8859-x, TIS-620, EUC-JP, EUC-KR, GB2312), which hold the same
 * standards; they are built on first use because the multi-byte ones have 8,836 cells each.
 */
enum Iso2022CodeElement {
    /** ISO-IR 6 (ASCII) in G0: {@code ESC ( B}. */
    ASCII(Area.G0, 1, "(B", null),
    /**
     * ISO-IR 14 (JIS X 0201 Romaji) in G0: {@code ESC ( J}. Read and written as ASCII, as pydicom does: its
     * 05/12 is the Yen sign in JIS X 0201, but DICOM needs 05/12 as the value delimiter.
     */
    JIS_X_0201_ROMAJI(Area.G0, 1, "(J", null),
    /** ISO-IR 13 (JIS X 0201 Katakana) in G1: {@code ESC ) I}; half-width katakana. */
    JIS_X_0201_KATAKANA(Area.G1, 1, ")I", null),
    LATIN_1(Area.G1, 1, "-A", "ISO-8859-1"),
    LATIN_2(Area.G1, 1, "-B", "ISO-8859-2"),
    LATIN_3(Area.G1, 1, "-C", "ISO-8859-3"),
    LATIN_4(Area.G1, 1, "-D", "ISO-8859-4"),
    CYRILLIC(Area.G1, 1, "-L", "ISO-8859-5"),
    ARABIC(Area.G1, 1, "-G", "ISO-8859-6"),
    GREEK(Area.G1, 1, "-F", "ISO-8859-7"),
    HEBREW(Area.G1, 1, "-H", "ISO-8859-8"),
    LATIN_5(Area.G1, 1, "-M", "ISO-8859-9"),
    LATIN_9(Area.G1, 1, "-b", "ISO-8859-15"),
    THAI(Area.G1, 1, "-T", "TIS-620"),
    /** ISO-IR 87 (JIS X 0208 kanji) in G0: {@code ESC $ B}. */
    JIS_X_0208(Area.G0, 2, "$B", "EUC-JP"),
    /** ISO-IR 159 (JIS X 0212 supplementary kanji) in G0: {@code ESC $ ( D}. */
    JIS_X_0212(Area.G0, 2, "$(D", "EUC-JP"),
    /** ISO-IR 149 (KS X 1001 Hangul and Hanja) in G1: {@code ESC $ ) C}. */
    KS_X_1001(Area.G1, 2, "$)C", "EUC-KR"),
    /** ISO-IR 58 (GB 2312 simplified Chinese) in G1: {@code ESC $ ) A}. */
    GB_2312(Area.G1, 2, "$)A", "GB2312");

    /** Which code area an escape sequence designates this set into. */
    enum Area {
        G0,
        G1
    }

    static final int ESC = 0x1B;
    static final char REPLACEMENT = '\uFFFD';

    private static final Iso2022CodeElement[] ALL = values();

    /** Number of cells in a 94 x 94 double-byte set. */
    private static final int CELLS_94X94 = 94 * 94;

    private final Area area;
    private final int bytesPerChar;
    private final byte[] escapeSequence;
    private final String javaCharset;
    private volatile CodeTable table;

    Iso2022CodeElement(Area area, int bytesPerChar, String escapeFinal, String javaCharset) {
        this.area = area;
        this.bytesPerChar = bytesPerChar;
        byte[] esc = new byte[escapeFinal.length() + 1];
        esc[0] = ESC;
        for (int i = 0; i < escapeFinal.length(); i++) {
            esc[i + 1] = (byte) escapeFinal.charAt(i);
        }
        this.escapeSequence = esc;
        this.javaCharset = javaCharset;
    }

    Area area() {
        return area;
    }

    boolean isMultiByte() {
        return bytesPerChar == 2;
    }

    /** The escape sequence that designates this set, ESC included. */
    byte[] escapeSequence() {
        return escapeSequence.clone();
    }

    /**
     * The element designated by the escape sequence at {@code b[off]} (which is ESC), or {@code null} if the bytes do
     * not start with one of the sequences of PS3.3 C.12-3/C.12-4. {@code ESC $ @} (JIS C 6226-1978, the predecessor of
     * JIS X 0208) is read as JIS X 0208 because older Japanese systems still send it.
     */
    static Iso2022CodeElement atEscape(byte[] b, int off, int end) {
        for (Iso2022CodeElement e : ALL) {
            byte[] esc = e.escapeSequence;
            if (end - off >= esc.length && Arrays.equals(b, off, off + esc.length, esc, 0, esc.length)) {
                return e;
            }
        }
        if (end - off >= 3 && b[off + 1] == '$' && b[off + 2] == '@') {
            return JIS_X_0208;
        }
        return null;
    }

    /** Length of the escape sequence {@link #atEscape} recognised at {@code b[off]}. */
    static int escapeLength(Iso2022CodeElement e, byte[] b, int off) {
        return e == JIS_X_0208 && b[off + 2] == '@' ? 3 : e.escapeSequence.length;
    }

    /** Character of a single-byte G1 set for a byte 0x80..0xFF, or U+FFFD if the set leaves the cell empty. */
    char decodeHigh(int b) {
        if (this == JIS_X_0201_KATAKANA) {
            return b >= 0xA1 && b <= 0xDF ? (char) (0xFF61 + b - 0xA1) : REPLACEMENT;
        }
        return table().chars[b - 0x80];
    }

    /**
     * Character of a double-byte set for a row and column byte, each taken modulo 0x80 (so the same call serves G0 and
     * G1) and each in 0x21..0x7E; U+FFFD for an empty cell.
     */
    char decodePair(int row, int column) {
        return table().chars[((row & 0x7F) - 0x21) * 94 + ((column & 0x7F) - 0x21)];
    }

    /**
     * The code of a character in this set, or -1 if the set lacks it: for single-byte sets the byte (the character
     * itself for G0, 0x80..0xFF for G1); for double-byte sets row and column as {@code (row << 8) | column} with the
     * high bits this set's area uses (clear in G0, set in G1).
     */
    int encode(int codePoint) {
        return switch (this) {
            case ASCII, JIS_X_0201_ROMAJI -> codePoint < 0x80 ? codePoint : -1;
            case JIS_X_0201_KATAKANA -> codePoint >= 0xFF61 && codePoint <= 0xFF9F ? codePoint - 0xFF61 + 0xA1 : -1;
            default -> codePoint <= 0xFFFF ? table().encode((char) codePoint) : -1;
        };
    }

    private CodeTable table() {
        CodeTable t = table;
        if (t == null) {
            synchronized (this) {
                t = table;
                if (t == null) {
                    t = isMultiByte() ? doubleByteTable() : highHalfTable();
                    table = t;
                }
            }
        }
        return t;
    }

    /**
     * Bytes 0x80..0xFF of an ISO 8859-style set, decoded one at a time so empty cells stay U+FFFD. 0x80..0x9F are the
     * C1 controls in every ISO 2022 set, also where the JDK's TIS-620 leaves them out.
     */
    private CodeTable highHalfTable() {
        CharsetDecoder decoder = reportingDecoder();
        char[] chars = new char[128];
        byte[] one = new byte[1];
        for (int b = 0x80; b <= 0xFF; b++) {
            one[0] = (byte) b;
            char c = decodeCell(decoder, one);
            chars[b - 0x80] = c == REPLACEMENT && b < 0xA0 ? (char) b : c;
        }
        return new CodeTable(chars, 0x80, 1, area, new char[0]);
    }

    /**
     * The 94 x 94 cells, decoded through the EUC form of the set (row and column with the high bit set). Where the JDK
     * departs from the Unicode consortium's mapping tables (JIS0208.TXT, JIS0212.TXT), which Python and so pydicom
     * follow, the consortium's character is read and the JDK's is accepted when writing.
     */
    private CodeTable doubleByteTable() {
        CharsetDecoder decoder = reportingDecoder();
        char[] chars = new char[CELLS_94X94];
        // JIS X 0212 is the third code set of EUC-JP, reached through single shift 3 (0x8F).
        byte[] cell = this == JIS_X_0212 ? new byte[] {(byte) 0x8F, 0, 0} : new byte[2];
        int rowAt = cell.length - 2;
        for (int row = 0; row < 94; row++) {
            for (int col = 0; col < 94; col++) {
                cell[rowAt] = (byte) (0xA1 + row);
                cell[rowAt + 1] = (byte) (0xA1 + col);
                chars[row * 94 + col] = decodeCell(decoder, cell);
            }
        }
        char[] alsoWritten = new char[0];
        if (this == JIS_X_0208) {
            alsoWritten = consortiumMapping(chars, 0x213D, '\u2015'); // HORIZONTAL BAR; the JDK has EM DASH
        } else if (this == JIS_X_0212) {
            alsoWritten = consortiumMapping(chars, 0x2237, '~'); // TILDE; the JDK has FULLWIDTH TILDE
        }
        return new CodeTable(chars, 0, 2, area, alsoWritten);
    }

    /** Puts the consortium's character into a cell; returns {the JDK's character, the cell's index} for writing. */
    private static char[] consortiumMapping(char[] chars, int cell, char consortium) {
        int index = ((cell >> 8) - 0x21) * 94 + ((cell & 0xFF) - 0x21);
        char jdk = chars[index];
        chars[index] = consortium;
        return new char[] {jdk, (char) index};
    }

    private CharsetDecoder reportingDecoder() {
        return Charset.forName(javaCharset)
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** One character, or U+FFFD when the cell is empty or maps to more than one char. */
    private static char decodeCell(CharsetDecoder decoder, byte[] cell) {
        try {
            CharBuffer out = decoder.reset().decode(ByteBuffer.wrap(cell));
            return out.length() == 1 ? out.charAt(0) : REPLACEMENT;
        } catch (CharacterCodingException empty) {
            return REPLACEMENT;
        }
    }

    /**
     * Decoding table plus its inverse; the first cell wins when a set holds one character twice. Double-byte sets never
     * write ASCII characters (JIS X 0212 has TILDE): ASCII in G0 does that without an escape sequence.
     */
    private static final class CodeTable {
        final char[] chars;
        /** Code per BMP character; 0 where the set lacks it (no set encodes a graphic character as 0). */
        private final char[] codes = new char[0x10000];

        /** {@code alsoWritten} holds pairs of a character and the index of the cell it is written to. */
        CodeTable(char[] chars, int firstByte, int bytesPerChar, Area area, char[] alsoWritten) {
            this.chars = chars;
            for (int i = chars.length - 1; i >= 0; i--) {
                char c = chars[i];
                if (c != REPLACEMENT && (bytesPerChar == 1 || c >= 0x80)) {
                    codes[c] = code(i, firstByte, bytesPerChar, area);
                }
            }
            for (int k = 0; k < alsoWritten.length; k += 2) {
                codes[alsoWritten[k]] = code(alsoWritten[k + 1], firstByte, bytesPerChar, area);
            }
        }

        private static char code(int index, int firstByte, int bytesPerChar, Area area) {
            if (bytesPerChar == 1) {
                return (char) (firstByte + index);
            }
            int highBits = area == Area.G1 ? 0x8080 : 0;
            return (char) ((((0x21 + index / 94) << 8) | (0x21 + index % 94)) | highBits);
        }

        int encode(char c) {
            int code = codes[c];
            return code == 0 ? -1 : code;
        }
    }
}
