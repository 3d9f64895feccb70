package io.dicomspanner.dicom.data;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Specific Character Set (0008,0005) of PS3.3 §C.12.1.1.2 and the decoding/encoding rules of PS3.5 §6.1.
 *
 * <p>Single-byte sets without code extensions, ISO_IR 192 (UTF-8) and GB18030 map to one Java charset.
 */
public final class SpecificCharacterSet {

    /** The default repertoire (ISO IR 6). Bytes above 0x7F are decoded as Latin-1 rather than rejected. */
    public static final SpecificCharacterSet DEFAULT =
            new SpecificCharacterSet(new String[0], StandardCharsets.ISO_8859_1);

    public static final SpecificCharacterSet UTF_8 =
            new SpecificCharacterSet(new String[] {"ISO_IR 192"}, StandardCharsets.UTF_8);

    private final String[] codes;
    private final Charset charset;

    private SpecificCharacterSet(String[] codes, Charset charset) {
        this.codes = codes;
        this.charset = charset;
    }

    /**
     * The character set named by the values of (0008,0005). An empty or absent value means the default repertoire.
     *
     * @throws IllegalArgumentException for a defined term this implementation does not know
     */
    public static SpecificCharacterSet valueOf(String... codes) {
        if (codes == null || codes.length == 0 || (codes.length == 1 && codes[0].isBlank())) {
            return DEFAULT;
        }
        String first = codes[0].trim().toUpperCase(Locale.ROOT);
        if (codes.length == 1 && (first.equals("ISO_IR 192"))) {
            return UTF_8;
        }
        Charset cs = charsetOf(first);
        if (cs == null) {
            throw new IllegalArgumentException("unsupported Specific Character Set: " + String.join("\\", codes));
        }
        return new SpecificCharacterSet(codes.clone(), cs);
    }

    private static Charset charsetOf(String term) {
        return switch (term) {
            case "", "ISO_IR 6", "ISO 2022 IR 6" -> StandardCharsets.ISO_8859_1;
            case "ISO_IR 100", "ISO 2022 IR 100" -> StandardCharsets.ISO_8859_1;
            case "ISO_IR 192" -> StandardCharsets.UTF_8;
            case "GB18030" -> Charset.forName("GB18030");
            default -> null;
        };
    }

    /** The defined terms as given, e.g. {@code ["ISO_IR 192"]}; empty for the default repertoire. */
    public String[] codes() {
        return codes.clone();
    }

    public boolean isDefault() {
        return codes.length == 0;
    }

    /** Decodes a text value of the given VR (all values, backslashes included). */
    public String decode(byte[] bytes, int off, int len, VR vr) {
        return new String(bytes, off, len, vr.kind() == VR.Kind.STRING ? StandardCharsets.ISO_8859_1 : charset);
    }

    /** Encodes a text value of the given VR. */
    public byte[] encode(String value, VR vr) {
        return value.getBytes(vr.kind() == VR.Kind.STRING ? StandardCharsets.ISO_8859_1 : charset);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpecificCharacterSet s && Arrays.equals(codes, s.codes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(codes);
    }

    @Override
    public String toString() {
        return codes.length == 0 ? "default" : String.join("\\", codes);
    }
}
