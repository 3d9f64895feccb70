package io.dicomspanner.bench;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Decode + re-encode of a typical study-level C-FIND response identifier (25 attributes), the work a worker does per
 * match it relays. Target: at least 500,000 per second per core.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IdentifierCodecBenchmark {

    @Param({"IMPLICIT_VR_LITTLE_ENDIAN", "EXPLICIT_VR_LITTLE_ENDIAN"})
    public TransferSyntax transferSyntax;

    private byte[] encoded;
    private final DicomWriter writer = new DicomWriter(1024);

    /** A study-level response as a PACS returns it: 25 attributes including PN, dates, counts and UIDs. */
    public static Attributes studyIdentifier() {
        Attributes a = new Attributes();
        a.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        a.setString(Tag.STUDY_DATE, VR.DA, "20261126");
        a.setString(Tag.STUDY_TIME, VR.TM, "101530.123");
        a.setString(Tag.ACCESSION_NUMBER, VR.SH, "ACC20261126001");
        a.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY");
        a.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACS_A");
        a.setString(Tag.INSTANCE_AVAILABILITY, VR.CS, "ONLINE");
        a.setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "PT", "SR");
        a.setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "Müller^Hans^^Dr.");
        a.setString(Tag.TIMEZONE_OFFSET_FROM_UTC, VR.SH, "+0100");
        a.setString(Tag.STUDY_DESCRIPTION, VR.LO, "CT THORAX ABDOMEN MIT KM");
        a.setString(Tag.PATIENT_NAME, VR.PN, "Doe^John=山田^太郎=やまだ^たろう");
        a.setString(Tag.PATIENT_ID, VR.LO, "12345");
        a.setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, "HOSP_A");
        a.setString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19700101");
        a.setString(Tag.PATIENT_SEX, VR.CS, "M");
        a.setString(0x00101010, VR.AS, "056Y");
        a.setString(Tag.STUDY_INSTANCE_UID, VR.UI, "2.25.163402935234612049230294857284092832034");
        a.setString(Tag.STUDY_ID, VR.SH, "S1001");
        a.setString(Tag.NUMBER_OF_STUDY_RELATED_SERIES, VR.IS, "4");
        a.setString(Tag.NUMBER_OF_STUDY_RELATED_INSTANCES, VR.IS, "1312");
        a.setString(0x00321032, VR.PN, "Smith^Anna");
        a.setString(0x00321060, VR.LO, "CT CHEST ABDOMEN PELVIS");
        a.setString(0x00400244, VR.DA, "20261126");
        a.setString(0x00400245, VR.TM, "101000");
        return a;
    }

    @Setup
    public void setUp() {
        encoded = DicomWriter.encode(studyIdentifier(), transferSyntax);
    }

    @Benchmark
    public int decodeAndEncode() {
        Attributes a = DicomReader.read(encoded, transferSyntax);
        writer.reset().write(a, transferSyntax);
        return writer.length();
    }
}
