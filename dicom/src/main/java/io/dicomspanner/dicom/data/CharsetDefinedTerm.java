package io.dicomspanner.dicom.data;

import static io.dicomspanner.dicom.data.Iso2022CodeElement.ARABIC;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.ASCII;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.CYRILLIC;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.GB_2312;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.GREEK;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.HEBREW;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.JIS_X_0201_KATAKANA;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.JIS_X_0201_ROMAJI;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.JIS_X_0208;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.JIS_X_0212;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.KS_X_1001;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.LATIN_1;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.LATIN_2;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.LATIN_3;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.LATIN_4;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.LATIN_5;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.LATIN_9;
import static io.dicomspanner.dicom.data.Iso2022CodeElement.THAI;

import java.nio.charset.Charset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The defined terms of (0008,0005), PS3.3 Tables C.12-2 to C.12-5, and the code elements each one brings. */
enum CharsetDefinedTerm {
    /** Not a defined term of PS3.3 (the default is an absent or empty value), but senders write it. */
    ISO_IR_6("ISO_IR 6", ASCII),
    ISO_IR_100("ISO_IR 100", ASCII, LATIN_1),
    ISO_IR_101("ISO_IR 101", ASCII, LATIN_2),
    ISO_IR_109("ISO_IR 109", ASCII, LATIN_3),
    ISO_IR_110("ISO_IR 110", ASCII, LATIN_4),
    ISO_IR_144("ISO_IR 144", ASCII, CYRILLIC),
    ISO_IR_127("ISO_IR 127", ASCII, ARABIC),
    ISO_IR_126("ISO_IR 126", ASCII, GREEK),
    ISO_IR_138("ISO_IR 138", ASCII, HEBREW),
    ISO_IR_148("ISO_IR 148", ASCII, LATIN_5),
    ISO_IR_203("ISO_IR 203", ASCII, LATIN_9),
    ISO_IR_13("ISO_IR 13", JIS_X_0201_ROMAJI, JIS_X_0201_KATAKANA),
    ISO_IR_166("ISO_IR 166", ASCII, THAI),
    ISO_2022_IR_6("ISO 2022 IR 6", ASCII),
    ISO_2022_IR_100("ISO 2022 IR 100", ASCII, LATIN_1),
    ISO_2022_IR_101("ISO 2022 IR 101", ASCII, LATIN_2),
    ISO_2022_IR_109("ISO 2022 IR 109", ASCII, LATIN_3),
    ISO_2022_IR_110("ISO 2022 IR 110", ASCII, LATIN_4),
    ISO_2022_IR_144("ISO 2022 IR 144", ASCII, CYRILLIC),
    ISO_2022_IR_127("ISO 2022 IR 127", ASCII, ARABIC),
    ISO_2022_IR_126("ISO 2022 IR 126", ASCII, GREEK),
    ISO_2022_IR_138("ISO 2022 IR 138", ASCII, HEBREW),
    ISO_2022_IR_148("ISO 2022 IR 148", ASCII, LATIN_5),
    ISO_2022_IR_203("ISO 2022 IR 203", ASCII, LATIN_9),
    ISO_2022_IR_13("ISO 2022 IR 13", JIS_X_0201_ROMAJI, JIS_X_0201_KATAKANA),
    ISO_2022_IR_166("ISO 2022 IR 166", ASCII, THAI),
    ISO_2022_IR_87("ISO 2022 IR 87", JIS_X_0208),
    ISO_2022_IR_159("ISO 2022 IR 159", JIS_X_0212),
    ISO_2022_IR_149("ISO 2022 IR 149", KS_X_1001),
    ISO_2022_IR_58("ISO 2022 IR 58", GB_2312),
    ISO_IR_192("ISO_IR 192", "UTF-8"),
    GB18030("GB18030", "GB18030"),
    GBK("GBK", "GBK");

    private static final Map<String, CharsetDefinedTerm> BY_KEY = new HashMap<>();

    static {
        for (CharsetDefinedTerm t : values()) {
            BY_KEY.put(key(t.term), t);
        }
    }

    private final String term;
    private final List<Iso2022CodeElement> elements;
    private final String standaloneCharset;

    CharsetDefinedTerm(String term, Iso2022CodeElement... elements) {
        this.term = term;
        this.elements = List.of(elements);
        this.standaloneCharset = null;
    }

    CharsetDefinedTerm(String term, String standaloneCharset) {
        this.term = term;
        this.elements = List.of();
        this.standaloneCharset = standaloneCharset;
    }

    /**
     * The defined term a value of (0008,0005) names, or {@code null}. Case, spaces, underscores and hyphens are
     * ignored, so the misspellings seen in the wild ({@code ISO IR 100}, {@code ISO-IR 100}, {@code ISO_2022_IR_87})
     * name the term they obviously mean. An empty value names the default repertoire.
     */
    static CharsetDefinedTerm of(String value) {
        String key = key(value == null ? "" : value);
        return key.isEmpty() ? ISO_IR_6 : BY_KEY.get(key);
    }

    /** Letters and digits only, upper case. */
    private static String key(String value) {
        StringBuilder key = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                key.append(c);
            } else if (c >= 'a' && c <= 'z') {
                key.append((char) (c - 'a' + 'A'));
            }
        }
        return key.toString();
    }

    /** The defined term as PS3.3 spells it. */
    String term() {
        return term;
    }

    /** The code elements (G0 and/or G1) this term designates; empty for the sets without code extensions below. */
    List<Iso2022CodeElement> elements() {
        return elements;
    }

    /**
     * The one charset for UTF-8, GB18030 and GBK, which PS3.3 Table C.12-5 lists as not allowing code extensions;
     * {@code null} for the ISO 2022 sets.
     */
    Charset standaloneCharset() {
        return standaloneCharset == null ? null : Charset.forName(standaloneCharset);
    }
}
