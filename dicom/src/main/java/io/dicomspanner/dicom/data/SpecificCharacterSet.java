package io.dicomspanner.dicom.data;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Specific Character Set (0008,0005) of PS3.3 §C.12.1.1.2 and the decoding/encoding rules of PS3.5 §6.1.
 *
 * <p>Supported: the default repertoire; the single-byte sets ISO_IR 100, 101, 109, 110, 144, 127, 126, 138, 148, 203,
 * 13 and 166, with or without code extensions ({@code ISO 2022 IR nnn}); the multi-byte sets with code extensions ISO
 * 2022 IR 87, 159 (Japanese), 149 (Korean) and 58 (simplified Chinese); and ISO_IR 192 (UTF-8), GB18030 and GBK, which
 * allow no code extensions, so further values after them are ignored, and they are ignored as value 2 or later.
 *
 * <p>Only the VRs SH, LO, ST, LT, UC, UT and PN ({@link VR.Kind#TEXT_SPECIFIC_CHARSET}) use the set; all other text is
 * the default repertoire, read and written as Latin-1 so odd bytes survive a round trip.
 *
 * <p>Reading is lenient, because data from the wire carries whatever its sender wrote: escape sequences of any DICOM
 * set are honoured even when (0008,0005) does not list it, bytes above 0x7F with no G1 set read as Latin-1, bytes a set
 * leaves empty read as U+FFFD, and unknown defined terms are tolerated (see {@link #valueOf}). Writing is strict: a
 * character the set cannot hold is an {@link IllegalArgumentException}, upon which callers write the data set in
 * {@link #UTF_8} instead.
 */
public final class SpecificCharacterSet {

    /** The default repertoire (ISO IR 6). Bytes above 0x7F are decoded as Latin-1 rather than rejected. */
    public static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(new String[0]);

    public static final SpecificCharacterSet UTF_8 = new SpecificCharacterSet(new String[] {"ISO_IR 192"});

    /** Bounds the cache of parsed sets: real traffic uses a handful; hostile input must not grow it without end. */
    private static final int CACHE_LIMIT = 256;

    private static final ConcurrentHashMap<String, SpecificCharacterSet> CACHE = new ConcurrentHashMap<>();

    private final String[] codes;
    private final List<String> unknownTerms;
    /** UTF-8, GB18030 or GBK; {@code null} when {@link #iso2022} applies. */
    private final Charset standalone;

    private final Iso2022Codec iso2022;

    private SpecificCharacterSet(String[] codes) {
        this.codes = codes;
        List<String> unknown = new ArrayList<>();
        List<CharsetDefinedTerm> terms = new ArrayList<>();
        for (String code : codes) {
            CharsetDefinedTerm term = CharsetDefinedTerm.of(code);
            terms.add(term);
            if (term == null) {
                unknown.add(code.trim());
            }
        }
        this.unknownTerms = List.copyOf(unknown);
        CharsetDefinedTerm first = terms.isEmpty() ? CharsetDefinedTerm.ISO_IR_6 : terms.get(0);
        this.standalone = first == null ? null : first.standaloneCharset();
        this.iso2022 = standalone == null ? iso2022Codec(first, terms) : null;
    }

    /** Value 1 gives the initial G0 and G1; an unknown value 1 leaves ASCII alone, so nothing else is written. */
    private static Iso2022Codec iso2022Codec(CharsetDefinedTerm first, List<CharsetDefinedTerm> terms) {
        Iso2022CodeElement g0 = Iso2022CodeElement.ASCII;
        Iso2022CodeElement g1 = null;
        if (first != null) {
            for (Iso2022CodeElement e : first.elements()) {
                if (e.area() == Iso2022CodeElement.Area.G1) {
                    g1 = e;
                } else if (!e.isMultiByte()) {
                    g0 = e;
                }
            }
        }
        Set<Iso2022CodeElement> repertoire = new LinkedHashSet<>();
        repertoire.add(g0);
        if (g1 != null) {
            repertoire.add(g1);
        }
        for (CharsetDefinedTerm term : terms) {
            if (term != null) {
                repertoire.addAll(term.elements());
            }
        }
        return new Iso2022Codec(g0, g1, new ArrayList<>(repertoire));
    }

    /**
     * The character set named by the values of (0008,0005). An empty or absent value means the default repertoire.
     *
     * <p>Never throws, because data sets from the wire carry whatever their sender wrote: a value that names no defined
     * term (after ignoring case, spaces, underscores and hyphens) is kept in {@link #codes()} and reported by
     * {@link #isKnown()}; an unknown value 1 reads like the default repertoire (bytes above 0x7F as Latin-1) and writes
     * only ASCII, and an unknown later value adds nothing.
     */
    public static SpecificCharacterSet valueOf(String... codes) {
        if (codes == null || codes.length == 0 || (codes.length == 1 && (codes[0] == null || codes[0].isBlank()))) {
            return DEFAULT;
        }
        String[] copy = new String[codes.length];
        for (int i = 0; i < codes.length; i++) {
            copy[i] = codes[i] == null ? "" : codes[i];
        }
        if (copy.length == 1 && copy[0].trim().equals("ISO_IR 192")) {
            return UTF_8;
        }
        // Every record a PACS returns names its set again; parsing the terms each time showed up in merge profiles.
        String key = String.join("\\", copy);
        SpecificCharacterSet cached = CACHE.get(key);
        if (cached == null) {
            cached = new SpecificCharacterSet(copy);
            if (CACHE.size() < CACHE_LIMIT) {
                CACHE.putIfAbsent(key, cached);
            }
        }
        return cached;
    }

    /** The defined terms as given, e.g. {@code ["ISO_IR 192"]}; empty for the default repertoire. */
    public String[] codes() {
        return codes.clone();
    }

    /** True when the set is the default repertoire: no value, or only ISO_IR 6 / ISO 2022 IR 6. */
    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** False when some value of (0008,0005) names no defined term this class knows; see {@link #valueOf}. */
    public boolean isKnown() {
        return unknownTerms.isEmpty();
    }

    /**
     * Decodes a text value of the given VR (all values, backslashes included). Never throws: bytes the set cannot read
     * become U+FFFD.
     */
    public String decode(byte[] bytes, int off, int len, VR vr) {
        if (vr.kind() != VR.Kind.TEXT_SPECIFIC_CHARSET) {
            return new String(bytes, off, len, StandardCharsets.ISO_8859_1);
        }
        if (standalone != null) {
            return new String(bytes, off, len, standalone);
        }
        return iso2022.decode(bytes, off, len, vr);
    }

    /**
     * Encodes a text value of the given VR (all values, joined by backslashes).
     *
     * @throws IllegalArgumentException when a character cannot be written in this set (the message names its code
     *     point and position, never the value, which may be a patient's name)
     */
    public byte[] encode(String value, VR vr) {
        if (isPlainAscii(value)) {
            return value.getBytes(StandardCharsets.ISO_8859_1);
        }
        if (vr.kind() != VR.Kind.TEXT_SPECIFIC_CHARSET) {
            return encodeStrict(value, StandardCharsets.ISO_8859_1, "the default repertoire of " + vr);
        }
        if (standalone != null) {
            return encodeStrict(value, standalone, "Specific Character Set " + this);
        }
        return iso2022.encode(value, vr, this);
    }

    /** ASCII without ESC reads the same in every set, and it is nearly every value of a C-FIND. */
    private static boolean isPlainAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c == Iso2022CodeElement.ESC) {
                return false;
            }
        }
        return true;
    }

    private static byte[] encodeStrict(String value, Charset charset, String setName) {
        try {
            ByteBuffer bytes = charset.newEncoder().encode(CharBuffer.wrap(value));
            byte[] out = new byte[bytes.remaining()];
            bytes.get(out);
            return out;
        } catch (CharacterCodingException e) {
            int at = firstUnencodable(value, charset);
            throw new IllegalArgumentException(
                    String.format("U+%04X at position %d cannot be encoded in %s", value.codePointAt(at), at, setName),
                    e);
        }
    }

    private static int firstUnencodable(String value, Charset charset) {
        var encoder = charset.newEncoder();
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (!encoder.canEncode(value.substring(i, i + Character.charCount(cp)))) {
                return i;
            }
            i += Character.charCount(cp);
        }
        return 0;
    }

    /**
     * Equal when both read and write every byte alike: {@code ISO_IR 100} equals {@code ISO 2022 IR 100} and
     * {@code ISO IR 100}, {@code ISO_IR 6} equals {@link #DEFAULT}. Unknown terms must match as written (case aside).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SpecificCharacterSet s
                && Objects.equals(standalone, s.standalone)
                && Objects.equals(iso2022, s.iso2022)
                && unknownTermsEqual(s);
    }

    private boolean unknownTermsEqual(SpecificCharacterSet s) {
        if (unknownTerms.size() != s.unknownTerms.size()) {
            return false;
        }
        for (int i = 0; i < unknownTerms.size(); i++) {
            if (!unknownTerms.get(i).equalsIgnoreCase(s.unknownTerms.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(standalone, iso2022, unknownTerms.size());
    }

    @Override
    public String toString() {
        return codes.length == 0 ? "default" : String.join("\\", codes);
    }
}
