package io.dicomspanner.dicom.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.Fragments;
import io.dicomspanner.dicom.data.PydicomSamples;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.json.JsonModelComparison.Quirks;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.JacksonException;

/**
 * Our DICOM JSON against dcmtk's dcm2json (3.6.7, Debian bookworm) on pydicom's sample files, and our reader on both.
 * The normalisations the comparison needs are documented in {@link Quirks#DCM2JSON}.
 */
class DicomJsonAgainstDcm2jsonTest {

    /**
     * Samples dcm2json cannot convert, with its reason. dcm2json also refuses every file with encapsulated (compressed)
     * pixel data ("JSON InlineBinary encoding not supported for compressed pixel data"); those are compared with Pixel
     * Data removed from both sides instead of being left out.
     */
    static final Map<String, String> DCM2JSON_FAILS = Map.ofEntries(
            Map.entry("MR_truncated.dcm", "truncated: Pixel Data is longer than the rest of the file"),
            Map.entry("rtplan_truncated.dcm", "truncated in the middle of an element"),
            Map.entry("no_meta.dcm", "not a DICOM data set (its first element claims 173 MB)"),
            Map.entry("SC_rgb_jpeg.dcm", "corrupt: garbage where (0008,0008) should be"),
            Map.entry("J2K_pixelrep_mismatch.dcm", "ISO 2022 IR 87, which glibc iconv cannot convert"),
            Map.entry("chrH31.dcm", "ISO 2022 IR 87, which glibc iconv cannot convert"),
            Map.entry("chrH32.dcm", "ISO 2022 IR 87, which glibc iconv cannot convert"),
            Map.entry("chrJapMulti.dcm", "ISO 2022 IR 87, which glibc iconv cannot convert"),
            Map.entry("chrJapMultiExplicitIR6.dcm", "ISO 2022 IR 87, which glibc iconv cannot convert"),
            Map.entry("chrSQEncoding1.dcm", "ISO 2022 IR 87, which glibc iconv cannot convert"),
            Map.entry(
                    "chrSQEncoding.dcm",
                    "ISO 2022 IR 87 in a sequence item: exits 0 but writes the ISO 2022 bytes as they are,"
                            + " which is not UTF-8"));

    private static final int DATA_SET_TRAILING_PADDING = 0xFFFCFFFC;

    @TempDir
    static Path work;

    private static final Map<Path, Dcm2json.Result> DCM2JSON_OUTPUT = new ConcurrentHashMap<>();

    static Stream<Path> readableSamples() {
        return Stream.concat(PydicomSamples.testFiles().stream(), PydicomSamples.charsetFiles().stream())
                .filter(p -> !DCM2JSON_FAILS.containsKey(p.getFileName().toString()));
    }

    static Stream<Arguments> unreadableSamples() {
        return Stream.concat(PydicomSamples.testFiles().stream(), PydicomSamples.charsetFiles().stream())
                .filter(p -> DCM2JSON_FAILS.containsKey(p.getFileName().toString()))
                .map(p -> Arguments.of(p, DCM2JSON_FAILS.get(p.getFileName().toString())));
    }

    @ParameterizedTest
    @MethodSource("readableSamples")
    void ourJsonMeansWhatDcm2jsonWrites(Path file) throws IOException, InterruptedException {
        Attributes ds = sample(file);
        byte[] ours = new DicomJsonWriter().toBytes(ds);

        assertThat(JsonModelComparison.differences(
                        JsonModelComparison.parse(ours), JsonModelComparison.parse(dcm2json(file)), Quirks.DCM2JSON))
                .as("%s", file.getFileName())
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("readableSamples")
    void readingDcm2jsonOutputAndWritingItAgainKeepsEveryValue(Path file) throws IOException, InterruptedException {
        byte[] theirs = dcm2json(file);

        byte[] rewritten = new DicomJsonWriter().toBytes(new DicomJsonReader().read(theirs));

        assertThat(JsonModelComparison.differences(
                        JsonModelComparison.parse(rewritten), JsonModelComparison.parse(theirs), Quirks.NONE))
                .as("%s", file.getFileName())
                .isEmpty();
    }

    @ParameterizedTest
    @MethodSource("readableSamples")
    void dataSetToJsonAndBackIsTheSameDataSet(Path file) throws IOException {
        Attributes ds = sample(file);
        Attributes expected = withoutWhatJsonLeavesOut(ds);

        Attributes back = new DicomJsonReader().read(new DicomJsonWriter().toBytes(ds));

        assertThat(back).as("%s", file.getFileName()).isEqualTo(expected);
    }

    @ParameterizedTest
    @MethodSource("unreadableSamples")
    void dcm2jsonReallyFailsOnTheSamplesLeftOut(Path file, String reason) throws IOException, InterruptedException {
        Dcm2json.Result r = Dcm2json.convert(file, work);

        boolean failed = r.exitCode() != 0;
        if (!failed) {
            try {
                JsonModelComparison.parse(r.json());
            } catch (JacksonException notUtf8Json) {
                failed = true;
            }
        }
        assertThat(failed)
                .as("dcm2json should fail on %s (%s)", file.getFileName(), reason)
                .isTrue();
    }

    /**
     * The data set of a sample, without encapsulated Pixel Data (which has no InlineBinary form) and then also without
     * Data Set Trailing Padding, as {@link Dcm2json#withoutPixelData} makes dcm2json's input.
     */
    private static Attributes sample(Path file) throws IOException {
        Attributes ds = DicomFile.read(file).dataset();
        if (ds.getValue(Tag.PIXEL_DATA) instanceof Fragments) {
            ds.remove(Tag.PIXEL_DATA);
            ds.remove(DATA_SET_TRAILING_PADDING);
        }
        return ds;
    }

    /**
     * What the JSON model cannot carry: group lengths (PS3.18 §F.2.2), and empty trailing PN component groups
     * ({@code "Wang^XiaoDong=王^小東="}: a JSON PN object only has the non-empty groups). PS3.5 §6.2.1 makes the latter
     * insignificant, so the data set means the same without them.
     */
    private static Attributes withoutWhatJsonLeavesOut(Attributes ds) {
        Attributes copy = Attributes.copyOf(ds);
        strip(copy);
        return copy;
    }

    private static void strip(Attributes ds) {
        for (int i = ds.size() - 1; i >= 0; i--) {
            int tag = ds.tagAt(i);
            if (Tag.isGroupLength(tag)) {
                ds.remove(tag);
            } else if (ds.valueAt(i) instanceof Sequence sq) {
                sq.items().forEach(DicomJsonAgainstDcm2jsonTest::strip);
            } else if (ds.vrAt(i) == VR.PN) {
                String[] names = ds.getStrings(tag);
                for (int k = 0; k < names.length; k++) {
                    names[k] = names[k].replaceAll("=+$", "");
                }
                ds.setString(tag, VR.PN, names);
            }
        }
    }

    /** dcm2json's output for the sample (run once per file), of a copy without Pixel Data if it is encapsulated. */
    private static byte[] dcm2json(Path file) throws IOException, InterruptedException {
        Dcm2json.Result r = DCM2JSON_OUTPUT.get(file);
        if (r == null) {
            Path input = file;
            if (DicomFile.read(file).dataset().getValue(Tag.PIXEL_DATA) instanceof Fragments) {
                input = Dcm2json.withoutPixelData(file, work);
            }
            r = Dcm2json.convert(input, work);
            DCM2JSON_OUTPUT.put(file, r);
        }
        assertThat(r.exitCode())
                .as("dcm2json on %s: %s", file.getFileName(), r.stderr())
                .isZero();
        return r.json();
    }
}
