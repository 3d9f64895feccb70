package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Our PS3.19 XML against dcmtk's {@code dcm2xml --native-format} for the same data set. */
class NativeDicomModelWriterTest {

    @TempDir
    Path dir;

    @Test
    void sameDocumentAsDcm2xmlApartFromTheNamespace() throws Exception {
        Attributes result = new Attributes();
        result.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        result.setString(Tag.STUDY_DATE, VR.DA, "20200102");
        result.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACSA", "PACSB");
        result.setString(0x00100010, VR.PN, "Müller^Hans^^Dr");
        result.setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.99.1");
        result.setString(0x00201206, VR.IS, "2");
        result.setInt(0x00280010, VR.US, 512);
        result.setString(0x00081030, VR.LO, "Thorax & <Abdomen>");
        result.newSequence(0x00400275).addItem().setString(0x00401001, VR.SH, "RP1");
        Path file = dir.resolve("result.dcm");
        Files.write(file, DicomWriter.encode(result, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));

        String ours = new String(new NativeDicomModelWriter().toBytes(result), StandardCharsets.UTF_8);
        String dcmtk = dcm2xml(file);

        assertThat(ours).contains(" xmlns=\"" + NativeDicomModelWriter.NAMESPACE + "\"");
        assertThat(ours.replace(" xmlns=\"" + NativeDicomModelWriter.NAMESPACE + "\"", ""))
                .isEqualTo(dcmtk.replace("\n", ""));
    }

    private static String dcm2xml(Path file) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(
                        "dcm2xml", "--read-dataset", "--read-xfer-little", "--native-format", file.toString())
                .redirectErrorStream(true)
                .start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue())
                .as(new String(out, StandardCharsets.UTF_8))
                .isZero();
        return new String(out, StandardCharsets.UTF_8);
    }
}
