package io.dicomspanner.dicom.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Specific Character Set against pydicom (Debian's python3-pydicom, run as {@code /usr/bin/python3}): the values of
 * its charset sample files, and every cell of every code table, must read as pydicom reads them.
 */
class SpecificCharacterSetTest {

    private static final Set<VR> AFFECTED_VRS = Set.of(VR.PN, VR.SH, VR.LO, VR.ST, VR.LT, VR.UC, VR.UT);
    private static final String J2K_IR13_IR87 = "J2K_pixelrep_mismatch.dcm";
    private static final String ESC = "\u001b";

    /** pydicom's values per file name and tag path, see src/test/resources/charset/pydicom_text_values.py. */
    private static Map<String, Map<String, List<String>>> pydicomValues;

    @BeforeAll
    static void askPydicom() throws Exception {
        List<String> args = new ArrayList<>();
        charsetSamples().forEach(p -> args.add(p.toString()));
        pydicomValues = runPython(
                "pydicom_text_values.py", args, new TypeReference<Map<String, Map<String, List<String>>>>() {});
    }

    static Stream<Path> charsetSamples() {
        return Stream.concat(PydicomSamples.charsetFiles().stream(), Stream.of(PydicomSamples.testFile(J2K_IR13_IR87)));
    }

    @ParameterizedTest
    @MethodSource("charsetSamples")
    void everyTextValueOfThePydicomSampleReadsAsPydicomReadsIt(Path file) throws IOException {
        Attributes dataset = DicomFile.read(file).dataset();
        Map<String, List<String>> ours = new TreeMap<>();
        collectTextValues(dataset, "", ours);

        Map<String, List<String>> theirs = pydicomValues.get(file.getFileName().toString());
        assertThat(theirs).as("pydicom's values for %s", file.getFileName()).isNotEmpty();
        assertThat(ours).as("%s", file.getFileName()).isEqualTo(new TreeMap<>(theirs));
    }

    @Test
    void theCharsetSamplesIncludeEveryIso2022CaseTheIssueNames() {
        assertThat(pydicomValues.get("chrH32.dcm").get("00100010")).containsExactly("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
        assertThat(pydicomValues.get("chrI2.dcm").get("00100010")).containsExactly("Hong^Gildong=洪^吉洞=홍^길동");
        assertThat(pydicomValues.get("chrSQEncoding.dcm").get("00321064/0/00100010"))
                .containsExactly("ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう");
    }

    @Test
    void j2kSampleInIso2022Ir13AndIr87HasThePatientNamePydicomReads() throws IOException {
        Attributes dataset =
                DicomFile.read(PydicomSamples.testFile(J2K_IR13_IR87)).dataset();

        assertThat(dataset.specificCharacterSet())
                .isEqualTo(SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87"));
        assertThat(dataset.specificCharacterSet().isKnown()).isTrue();
        assertThat(dataset.getStrings(Tag.PATIENT_NAME))
                .containsExactlyElementsOf(pydicomValues.get(J2K_IR13_IR87).get("00100010"))
                .containsExactly("JXD191021006");
    }

    /** Tag paths as the Python script writes them; PN without the trailing empty groups pydicom drops. */
    private static void collectTextValues(Attributes dataset, String prefix, Map<String, List<String>> out) {
        for (int i = 0; i < dataset.size(); i++) {
            int tag = dataset.tagAt(i);
            VR vr = dataset.vrAt(i);
            String path = prefix + String.format("%08X", tag);
            if (vr == VR.SQ) {
                List<Attributes> items = dataset.getSequence(tag).items();
                for (int item = 0; item < items.size(); item++) {
                    collectTextValues(items.get(item), path + "/" + item + "/", out);
                }
            } else if (AFFECTED_VRS.contains(vr)) {
                List<String> values = new ArrayList<>();
                for (String v : dataset.getStrings(tag)) {
                    values.add(vr == VR.PN ? v.replaceAll("=+$", "") : v);
                }
                out.put(path, values);
            }
        }
    }

    static Stream<String> codeTables() throws Exception {
        return pydicomCodeTables().keySet().stream();
    }

    private static Map<String, Map<String, String>> codeTables;

    /**
     * Cells pydicom cannot read but the JDK can, and we keep. Python's euc_kr predates KS X 1001:2002's CIRCLED HANGUL
     * IEUNG U and takes the HANGUL FILLER for the start of an 8-byte composed syllable. ISO-IR 166 is designated as a
     * 96-character set ({@code ESC - T}), as ISO 8859-11 is, whose 0xA0 is NO-BREAK SPACE; Python's tis_620 follows
     * TIS 620 itself, which leaves 0xA0 empty.
     */
    private static final Map<String, String> READ_WHERE_PYDICOM_CANNOT = Map.of(
            "ISO 2022 IR 149 a2e8", "\u327E",
            "ISO 2022 IR 149 a4d4", "\u3164",
            "ISO_IR 166 a0", "\u00A0");

    private static synchronized Map<String, Map<String, String>> pydicomCodeTables() throws Exception {
        if (codeTables == null) {
            codeTables = runPython(
                    "pydicom_code_tables.py", List.of(), new TypeReference<Map<String, Map<String, String>>>() {});
        }
        return codeTables;
    }

    /**
     * Every cell of the set reads as pydicom reads it (U+FFFD where pydicom cannot read it), and every character
     * pydicom reads is written back to a cell holding it. Single-byte sets and G1 double-byte sets are value 1; the G0
     * double-byte sets are reached through their escape sequence.
     */
    @ParameterizedTest
    @MethodSource("codeTables")
    void everyCellOfTheCodeTableReadsAsPydicomReadsItAndWritesBack(String term) throws Exception {
        Map<String, String> theirs = pydicomCodeTables().get(term);
        boolean g0DoubleByte = term.equals("ISO 2022 IR 87") || term.equals("ISO 2022 IR 159");
        boolean doubleByte = g0DoubleByte || term.equals("ISO 2022 IR 149") || term.equals("ISO 2022 IR 58");
        SpecificCharacterSet cs =
                g0DoubleByte ? SpecificCharacterSet.valueOf("", term) : SpecificCharacterSet.valueOf(term);
        String escape = term.equals("ISO 2022 IR 87") ? ESC + "$B" : term.equals("ISO 2022 IR 159") ? ESC + "$(D" : "";
        int highBits = g0DoubleByte ? 0 : 0x80;

        List<String> cells = new ArrayList<>();
        if (doubleByte) {
            for (int row = 0x21; row <= 0x7E; row++) {
                for (int col = 0x21; col <= 0x7E; col++) {
                    cells.add(String.format("%02x%02x", row | highBits, col | highBits));
                }
            }
        } else {
            for (int b = 0x80; b <= 0xFF; b++) {
                cells.add(String.format("%02x", b));
            }
        }
        Map<String, Integer> occurrences = new HashMap<>();
        theirs.values().forEach(c -> occurrences.merge(c, 1, Integer::sum));
        int mismatches = 0;
        List<String> firstMismatches = new ArrayList<>();
        for (String cell : cells) {
            byte[] wire = concat(latin1(escape), hex(cell));
            String expected =
                    theirs.getOrDefault(cell, READ_WHERE_PYDICOM_CANNOT.getOrDefault(term + " " + cell, "\uFFFD"));
            String decoded = cs.decode(wire, 0, wire.length, VR.LO);
            boolean ok = decoded.equals(expected);
            if (ok && theirs.containsKey(cell)) {
                byte[] encoded = cs.encode(expected, VR.LO);
                byte[] expectedBytes = g0DoubleByte ? concat(wire, latin1(ESC + "(B")) : wire;
                if (expected.charAt(0) < 0x80) {
                    // JIS X 0212's TILDE: written as ASCII, which needs no escape sequence.
                    ok = Arrays.equals(encoded, latin1(expected));
                } else if (occurrences.get(expected) == 1) {
                    ok = Arrays.equals(encoded, expectedBytes);
                } else {
                    ok = cs.decode(encoded, 0, encoded.length, VR.LO).equals(expected);
                }
            }
            if (!ok && mismatches++ < 10) {
                firstMismatches.add(cell + ": pydicom " + codePoints(expected) + ", ours " + codePoints(decoded));
            }
        }
        assertThat(firstMismatches).as("%s: %d cells differ", term, mismatches).isEmpty();
        assertThat(theirs).as("%s: pydicom's table", term).hasSizeGreaterThan(doubleByte ? 6000 : 60);
    }

    // ---- the examples of PS3.5 Annex H, I and K as the sample files hold them, written byte for byte ----

    static Stream<Arguments> sampleNamesAndTheirBytes() {
        return Stream.of(
                Arguments.of(List.of("ISO_IR 100"), "Buc^Jérôme", "Buc^J\u00e9r\u00f4me"), // chrFren
                Arguments.of(
                        List.of("", "ISO 2022 IR 87"), // chrH31, PS3.5 H.3.1
                        "Yamada^Tarou=山田^太郎=やまだ^たろう",
                        "Yamada^Tarou=" + ESC + "$B;3ED" + ESC + "(B^" + ESC + "$BB@O:" + ESC + "(B=" + ESC + "$B$d$^$@"
                                + ESC + "(B^" + ESC + "$B$?$m$&" + ESC + "(B"),
                Arguments.of(
                        List.of("ISO 2022 IR 13", "ISO 2022 IR 87"), // chrH32, PS3.5 H.3.2
                        "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
                        "\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3=" + ESC + "$B;3ED" + ESC + "(J^" + ESC
                                + "$BB@O:" + ESC + "(J=" + ESC + "$B$d$^$@" + ESC + "(J^" + ESC + "$B$?$m$&" + ESC
                                + "(J"),
                Arguments.of(
                        List.of("", "ISO 2022 IR 149"), // chrI2, PS3.5 I.2
                        "Hong^Gildong=洪^吉洞=홍^길동",
                        "Hong^Gildong=" + ESC + "$)C\u00fb\u00f3^" + ESC + "$)C\u00d1\u00ce\u00d4\u00d7=" + ESC
                                + "$)C\u00c8\u00ab^" + ESC + "$)C\u00b1\u00e6\u00b5\u00bf"),
                Arguments.of(
                        List.of("GB18030"), // chrX2, PS3.5 K.2
                        "Wang^XiaoDong=王^小东=",
                        "Wang^XiaoDong=\u00cd\u00f5^\u00d0\u00a1\u00b6\u00ab="),
                Arguments.of(
                        List.of("ISO_IR 192"), // chrX1, PS3.5 K.1
                        "Wang^XiaoDong=王^小東=",
                        "Wang^XiaoDong=\u00e7\u008e\u008b^\u00e5\u00b0\u008f\u00e6\u009d\u00b1="));
    }

    @ParameterizedTest
    @MethodSource("sampleNamesAndTheirBytes")
    void personNamesOfTheSampleFilesAreWrittenByteForByteAsTheSamplesHoldThem(
            List<String> codes, String name, String wireAsLatin1) {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf(codes.toArray(String[]::new));
        byte[] wire = latin1(wireAsLatin1);

        assertThat(cs.encode(name, VR.PN)).isEqualTo(wire);
        assertThat(cs.decode(wire, 0, wire.length, VR.PN)).isEqualTo(name);
    }

    // ---- round trips ----

    static Stream<Arguments> textInEachSet() {
        return Stream.of(
                Arguments.of(List.of("ISO_IR 100"), "Buc^Jérôme", "Buc^J\u00e9r\u00f4me"),
                Arguments.of(List.of("ISO_IR 101"), "Dvořák^Antonín", "Dvo\u00f8\u00e1k^Anton\u00edn"),
                Arguments.of(List.of("ISO_IR 109"), "Ħal^Ġorġ", "\u00a1al^\u00d5or\u00f5"),
                Arguments.of(List.of("ISO_IR 110"), "Ģirts^Ķēniņš", "\u00abirts^\u00d3\u00bani\u00f1\u00b9"),
                Arguments.of(
                        List.of("ISO_IR 144"),
                        "Люкceмбypг",
                        "\u00bb\u00ee\u00dace\u00dc\u00d1yp\u00d3"), // chrRuss mixes Latin c, e, y, p in
                Arguments.of(
                        List.of("ISO_IR 127"),
                        "قباني^لنزار",
                        "\u00e2\u00c8\u00c7\u00e6\u00ea^\u00e4\u00e6\u00d2\u00c7\u00d1"),
                Arguments.of(
                        List.of("ISO_IR 126"), "Διονυσιος", "\u00c4\u00e9\u00ef\u00ed\u00f5\u00f3\u00e9\u00ef\u00f2"),
                Arguments.of(
                        List.of("ISO_IR 138"), "שרון^דבורה", "\u00f9\u00f8\u00e5\u00ef^\u00e3\u00e1\u00e5\u00f8\u00e4"),
                Arguments.of(List.of("ISO_IR 148"), "Şükrü^Çağlar", "\u00de\u00fckr\u00fc^\u00c7a\u00f0lar"),
                Arguments.of(List.of("ISO_IR 203"), "Œuvre^€", "\u00bcuvre^\u00a4"),
                Arguments.of(List.of("ISO_IR 13"), "ﾔﾏﾀﾞ^ﾀﾛｳ", "\u00d4\u00cf\u00c0\u00de^\u00c0\u00db\u00b3"),
                Arguments.of(
                        List.of("ISO_IR 166"), "สมชาย^ใจดี", "\u00ca\u00c1\u00aa\u00d2\u00c2^\u00e3\u00a8\u00b4\u00d5"),
                Arguments.of(
                        List.of("GBK"), "Wang^XiaoDong=王^小东", "Wang^XiaoDong=\u00cd\u00f5^\u00d0\u00a1\u00b6\u00ab"),
                Arguments.of(List.of("", "ISO 2022 IR 87", "ISO 2022 IR 159"), "丂", ESC + "$(D0!" + ESC + "(B"),
                Arguments.of(
                        List.of("", "ISO 2022 IR 58"),
                        "Zhang^XiaoDong=张^小东",
                        "Zhang^XiaoDong=" + ESC + "$)A\u00d5\u00c5^" + ESC + "$)A\u00d0\u00a1\u00b6\u00ab"),
                Arguments.of(
                        List.of("ISO 2022 IR 100", "ISO 2022 IR 126"),
                        "Jérôme=Διονυσιος",
                        "J\u00e9r\u00f4me=" + ESC + "-F\u00c4\u00e9\u00ef\u00ed\u00f5\u00f3\u00e9\u00ef\u00f2"),
                Arguments.of(
                        List.of("ISO 2022 IR 149"), // Korean as value 1: KS X 1001 in G1 from the start
                        "김희중",
                        "\u00b1\u00e8\u00c8\u00f1\u00c1\u00df"));
    }

    @ParameterizedTest
    @MethodSource("textInEachSet")
    void aPersonNameIsWrittenInTheSetAndReadBackUnchanged(List<String> codes, String name, String wireAsLatin1) {
        SpecificCharacterSet cs = SpecificCharacterSet.valueOf(codes.toArray(String[]::new));
        byte[] wire = latin1(wireAsLatin1);

        assertThat(cs.isKnown()).isTrue();
        assertThat(cs.encode(name, VR.PN)).isEqualTo(wire);
        assertThat(cs.decode(wire, 0, wire.length, VR.PN)).isEqualTo(name);
    }

    @Test
    void utf8AndGb18030WriteAnyCharacter() {
        String anything = "Ωμέγα^김^山田^😀";
        for (SpecificCharacterSet cs : List.of(SpecificCharacterSet.UTF_8, SpecificCharacterSet.valueOf("GB18030"))) {
            byte[] wire = cs.encode(anything, VR.LO);
            assertThat(cs.decode(wire, 0, wire.length, VR.LO)).as("%s", cs).isEqualTo(anything);
        }
        assertThat(SpecificCharacterSet.UTF_8.encode("Jérôme", VR.PN))
                .isEqualTo("Jérôme".getBytes(StandardCharsets.UTF_8));
    }

    // ---- where the initial set is active again (PS3.5 §6.1.2.5.3) ----

    @Test
    void caretAndEqualsSignResetTheSetsOfAPersonName() {
        SpecificCharacterSet korean = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");
        // After the delimiter G1 is value 1's again (none: Latin-1 when reading), so 0xB1 0xE8 is "±è", not 김.
        assertThat(decode(korean, ESC + "$)C\u00b1\u00e8^\u00b1\u00e8", VR.PN)).isEqualTo("김^±è");
        assertThat(decode(korean, ESC + "$)C\u00b1\u00e8=\u00b1\u00e8", VR.PN)).isEqualTo("김=±è");
        assertThat(decode(korean, ESC + "$)C\u00b1\u00e8\\\u00b1\u00e8", VR.PN)).isEqualTo("김\\±è");

        SpecificCharacterSet latinGreek = SpecificCharacterSet.valueOf("ISO 2022 IR 100", "ISO 2022 IR 126");
        assertThat(decode(latinGreek, ESC + "-F\u00e1^\u00e1", VR.PN)).isEqualTo("α^á");
        assertThat(decode(latinGreek, ESC + "-F\u00e1\u00e1", VR.PN)).isEqualTo("αα");
    }

    @Test
    void onlyBackslashAndControlsResetOtherTextAndSingleValuedTextOnlyAtControls() {
        SpecificCharacterSet korean = SpecificCharacterSet.valueOf("", "ISO 2022 IR 149");
        String bytes = ESC + "$)C\u00b1\u00e8%s\u00b1\u00e8";

        assertThat(decode(korean, bytes.formatted("^"), VR.LO)).isEqualTo("김^김");
        assertThat(decode(korean, bytes.formatted("\\"), VR.LO)).isEqualTo("김\\±è");
        assertThat(decode(korean, bytes.formatted("\\"), VR.LT)).isEqualTo("김\\김");
        assertThat(decode(korean, bytes.formatted("\r\n"), VR.LT)).isEqualTo("김\r\n±è");
        assertThat(decode(korean, bytes.formatted("\t"), VR.ST)).isEqualTo("김\t±è");
    }

    @Test
    void delimiterBytesInsideADoubleByteG0CharacterAreNotDelimiters() {
        SpecificCharacterSet japanese = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        // In JIS X 0208 ま is 02/04 05/14, 渭 is 05/14 04/15 and 柔 is 03/13 04/00: they hold "^" and "=".
        String wire = ESC + "$B$^^O=@" + ESC + "(B^Taro";
        assertThat(decode(japanese, wire, VR.PN)).isEqualTo("ま渭柔^Taro");
        assertThat(japanese.encode("ま渭柔^Taro", VR.PN)).isEqualTo(latin1(wire));
    }

    @Test
    void theWriterSwitchesG0BackBeforeEveryValueDelimiterAndAtTheEnd() {
        SpecificCharacterSet japanese = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");

        assertThat(japanese.encode("山田\\太郎", VR.LO))
                .isEqualTo(latin1(ESC + "$B;3ED" + ESC + "(B\\" + ESC + "$BB@O:" + ESC + "(B"));
        assertThat(japanese.encode("山田 太郎", VR.LO))
                .isEqualTo(latin1(ESC + "$B;3ED" + ESC + "(B " + ESC + "$BB@O:" + ESC + "(B"));
        assertThat(japanese.encode("山田\r\n太郎", VR.LT))
                .isEqualTo(latin1(ESC + "$B;3ED" + ESC + "(B\r\n" + ESC + "$BB@O:" + ESC + "(B"));
    }

    @Test
    void escapeSequencesOfSetsNotListedAreStillHonouredWhenReading() {
        assertThat(decode(SpecificCharacterSet.DEFAULT, ESC + "$B;3ED" + ESC + "(B", VR.PN))
                .isEqualTo("山田");
        assertThat(decode(SpecificCharacterSet.valueOf("ISO_IR 100"), ESC + "-F\u00e1", VR.LO))
                .isEqualTo("α");
    }

    @Test
    void anUnknownEscapeSequenceStaysVisibleInTheText() {
        assertThat(decode(SpecificCharacterSet.DEFAULT, "A" + ESC + "(ZB", VR.LO))
                .isEqualTo("A" + ESC + "(ZB");
    }

    @Test
    void aTruncatedDoubleByteCharacterReadsAsTheReplacementCharacter() {
        SpecificCharacterSet japanese = SpecificCharacterSet.valueOf("", "ISO 2022 IR 87");
        assertThat(decode(japanese, ESC + "$B;3E", VR.PN)).isEqualTo("山\uFFFD");
        assertThat(decode(SpecificCharacterSet.valueOf("ISO 2022 IR 149"), "\u00b1", VR.PN))
                .isEqualTo("\uFFFD");
    }

    @Test
    void aGb18030TrailByteThatLooksLikeABackslashDoesNotSplitTheValue() {
        Attributes dataset = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "GB18030")
                .setBytes(Tag.PATIENT_NAME, VR.PN, new byte[] {(byte) 0x81, 0x5C, '^', 'A'});
        assertThat(dataset.getStrings(Tag.PATIENT_NAME)).containsExactly("乗^A");
    }

    // ---- writing what the set cannot hold ----

    @Test
    void writingACharacterTheSetLacksFailsNamingCodePointAndPositionButNotTheValue() {
        assertThatThrownBy(() -> SpecificCharacterSet.DEFAULT.encode("Buc^Jérôme", VR.PN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("U+00E9 at position 5 cannot be encoded in Specific Character Set default");
        assertThatThrownBy(() -> SpecificCharacterSet.valueOf("ISO_IR 100").encode("Ωmega", VR.LO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("U+03A9 at position 0 cannot be encoded in Specific Character Set ISO_IR 100");
        assertThatThrownBy(
                        () -> SpecificCharacterSet.valueOf("", "ISO 2022 IR 87").encode("山田=김", VR.PN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("U+AE40 at position 3 cannot be encoded in Specific Character Set \\ISO 2022 IR 87");
        assertThatThrownBy(() -> SpecificCharacterSet.valueOf("GBK").encode("A😀", VR.LO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("U+1F600 at position 1 cannot be encoded in Specific Character Set GBK");
    }

    @Test
    void anEscapeCharacterIsNotWrittenWhereReadersWouldTakeItForAnEscapeSequence() {
        assertThatThrownBy(() -> SpecificCharacterSet.valueOf("ISO_IR 100").encode("é" + ESC + "$B", VR.LO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("ESC (U+001B) at position 1");
    }

    // ---- the values of (0008,0005) themselves ----

    @Test
    void anUnknownTermIsAcceptedReadsLikeLatin1AndWritesOnlyAscii() {
        SpecificCharacterSet klingon = SpecificCharacterSet.valueOf("ISO_IR 999");

        assertThat(klingon.isKnown()).isFalse();
        assertThat(klingon.isDefault()).isFalse();
        assertThat(klingon.codes()).containsExactly("ISO_IR 999");
        assertThat(decode(klingon, "Buc^J\u00e9r\u00f4me", VR.PN)).isEqualTo("Buc^Jérôme");
        assertThat(klingon.encode("Doe^John", VR.PN)).isEqualTo(latin1("Doe^John"));
        assertThatThrownBy(() -> klingon.encode("Buc^Jérôme", VR.PN))
                .hasMessage("U+00E9 at position 5 cannot be encoded in Specific Character Set ISO_IR 999");
        assertThat(klingon).isNotEqualTo(SpecificCharacterSet.DEFAULT).isNotEqualTo(SpecificCharacterSet.valueOf("X"));
    }

    @Test
    void aDataSetWithAnUnknownTermStillReadsItsNames() {
        Attributes dataset = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100", "NOT A CHARSET")
                .setBytes(Tag.PATIENT_NAME, VR.PN, latin1("Buc^J\u00e9r\u00f4me"));

        assertThat(dataset.specificCharacterSet().isKnown()).isFalse();
        assertThat(dataset.getString(Tag.PATIENT_NAME)).isEqualTo("Buc^Jérôme");
    }

    @Test
    void commonMisspellingsNameTheTermTheyMean() {
        SpecificCharacterSet misspelt = SpecificCharacterSet.valueOf("iso ir 100");

        assertThat(misspelt.isKnown()).isTrue();
        assertThat(misspelt).isEqualTo(SpecificCharacterSet.valueOf("ISO_IR 100"));
        assertThat(misspelt.codes()).containsExactly("iso ir 100");
        assertThat(SpecificCharacterSet.valueOf("ISO-2022-IR-149"))
                .isEqualTo(SpecificCharacterSet.valueOf("ISO 2022 IR 149"));
    }

    @Test
    void theDefaultRepertoireHasSeveralSpellings() {
        assertThat(SpecificCharacterSet.valueOf()).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.valueOf("")).isSameAs(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.valueOf("ISO_IR 6").isDefault()).isTrue();
        assertThat(SpecificCharacterSet.valueOf("ISO 2022 IR 6").isDefault()).isTrue();
        assertThat(SpecificCharacterSet.valueOf("ISO_IR 100").isDefault()).isFalse();
        assertThat(SpecificCharacterSet.DEFAULT.codes()).isEmpty();
    }

    @Test
    void setsWithoutCodeExtensionsIgnoreFurtherValuesAndAreIgnoredAsFurtherValues() {
        assertThat(SpecificCharacterSet.valueOf("ISO_IR 192", "ISO 2022 IR 87")).isEqualTo(SpecificCharacterSet.UTF_8);
        assertThat(SpecificCharacterSet.valueOf("", "GB18030")).isEqualTo(SpecificCharacterSet.DEFAULT);
        assertThat(SpecificCharacterSet.valueOf("ISO_IR 192")).isSameAs(SpecificCharacterSet.UTF_8);
    }

    @Test
    void setsThatReadEveryByteAlikeAreEqual() {
        assertThat(SpecificCharacterSet.valueOf("ISO_IR 100"))
                .isEqualTo(SpecificCharacterSet.valueOf("ISO 2022 IR 100"))
                .hasSameHashCodeAs(SpecificCharacterSet.valueOf("ISO 2022 IR 100"))
                .isNotEqualTo(SpecificCharacterSet.valueOf("ISO_IR 101"));
        assertThat(SpecificCharacterSet.valueOf("", "ISO 2022 IR 87"))
                .isEqualTo(SpecificCharacterSet.valueOf("ISO 2022 IR 6", "ISO 2022 IR 87"))
                .isNotEqualTo(SpecificCharacterSet.valueOf("ISO 2022 IR 13", "ISO 2022 IR 87"));
    }

    @Test
    void textOfOtherVrsIsAlwaysTheDefaultRepertoire() {
        SpecificCharacterSet utf8 = SpecificCharacterSet.UTF_8;
        byte[] latin1 = latin1("J\u00e9r\u00f4me");

        assertThat(utf8.decode(latin1, 0, latin1.length, VR.CS)).isEqualTo("Jérôme");
        assertThat(utf8.encode("Jérôme", VR.CS)).isEqualTo(latin1);
        assertThatThrownBy(() -> utf8.encode("Ωmega", VR.CS))
                .hasMessage("U+03A9 at position 0 cannot be encoded in the default repertoire of CS");
    }

    // ---- helpers ----

    private static String decode(SpecificCharacterSet cs, String wireAsLatin1, VR vr) {
        byte[] wire = latin1(wireAsLatin1);
        return cs.decode(wire, 0, wire.length, vr);
    }

    /** Bytes written as a Latin-1 string, so test data reads like the escape sequences of PS3.5. */
    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String codePoints(String s) {
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(cp -> sb.append(String.format("U+%04X ", cp)));
        return sb.toString().trim();
    }

    private static <T> T runPython(String script, List<String> args, TypeReference<T> type)
            throws IOException, InterruptedException, URISyntaxException {
        Path path = Path.of(
                SpecificCharacterSetTest.class.getResource("/charset/" + script).toURI());
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", path.toString()));
        command.addAll(args);
        Process python = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        byte[] json = python.getInputStream().readAllBytes();
        if (!python.waitFor(60, TimeUnit.SECONDS) || python.exitValue() != 0) {
            python.destroyForcibly();
            throw new IllegalStateException(script + " failed; is python3-pydicom installed?");
        }
        return JsonMapper.builder().build().readValue(new String(json, StandardCharsets.UTF_8), type);
    }
}
