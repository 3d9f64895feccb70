package io.dicomspanner.listener.find;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.SpecificCharacterSet;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.QueryLevel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentifierTranslatorTest {

    private static final int STUDY_DATE = 0x00080020;
    private static final int MODALITIES_IN_STUDY = 0x00080061;
    private static final int REQUEST_ATTRIBUTES_SEQUENCE = 0x00400275;
    private static final int REQUESTED_PROCEDURE_ID = 0x00401001;
    private static final int SCHEDULED_PROCEDURE_STEP_ID = 0x00400009;

    @Test
    void keysWithValuesBecomeMatchingKeysAndEmptyOnesReturnKeys() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(STUDY_DATE, VR.DA, "20250101-20250131")
                .setString(Tag.PATIENT_NAME, VR.PN, "Doe*")
                .setString(MODALITIES_IN_STUDY, VR.CS, "CT", "MR")
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);

        IdentifierTranslator.Translation t = IdentifierTranslator.translate(identifier, "STUDY", 42);

        assertThat(t.query())
                .isEqualTo(new SpanQuery(
                        42,
                        QueryLevel.STUDY,
                        null,
                        List.of(
                                new QueryKey("00080020", "20250101-20250131"),
                                new QueryKey("00080061", "CT\\MR"),
                                new QueryKey("00100010", "Doe*")),
                        List.of("0020000D", "00100020"),
                        false,
                        false,
                        null,
                        0));
        assertThat(t.unsupportedKeys()).isFalse();
    }

    @Test
    void textIsDecodedWithTheRequestsCharacterSet() {
        Attributes identifier = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 100")
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT");
        identifier.setBytes(
                Tag.PATIENT_NAME,
                VR.PN,
                SpecificCharacterSet.valueOf("ISO_IR 100").encode("Müller^Jürgen", VR.PN));

        SpanQuery query =
                IdentifierTranslator.translate(identifier, "PATIENT", 1).query();

        assertThat(query.keys()).containsExactly(new QueryKey("00100010", "Müller^Jürgen"));
        assertThat(query.level()).isEqualTo(QueryLevel.PATIENT);
    }

    @Test
    void sequenceItemKeysBecomeDottedPathsAndAnEmptySequenceAReturnKey() {
        Attributes identifier = new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES");
        Attributes item = identifier.newSequence(REQUEST_ATTRIBUTES_SEQUENCE).addItem();
        item.setString(REQUESTED_PROCEDURE_ID, VR.SH, "RP1");
        item.setNull(SCHEDULED_PROCEDURE_STEP_ID, VR.SH);

        SpanQuery withItem =
                IdentifierTranslator.translate(identifier, "SERIES", 1).query();
        identifier.setNull(REQUEST_ATTRIBUTES_SEQUENCE, VR.SQ);
        SpanQuery withoutItem =
                IdentifierTranslator.translate(identifier, "SERIES", 1).query();

        assertThat(withItem.keys())
                .containsExactly(new QueryKey("00400275.00400009", ""), new QueryKey("00400275.00401001", "RP1"));
        assertThat(withItem.returnKeys()).isEmpty();
        assertThat(withoutItem.keys()).isEmpty();
        assertThat(withoutItem.returnKeys()).containsExactly("00400275");
    }

    @Test
    void privateAndLowerLevelReturnKeysAreDroppedAndReportedUnsupported() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.PATIENT_ID, VR.LO, "12345")
                .setNull(Tag.SOP_INSTANCE_UID, VR.UI)
                .setString(0x00090010, VR.LO, "ACME");

        IdentifierTranslator.Translation t = IdentifierTranslator.translate(identifier, "STUDY", 1);

        assertThat(t.query().keys()).containsExactly(new QueryKey("00100020", "12345"));
        assertThat(t.query().returnKeys()).isEmpty();
        assertThat(t.unsupportedKeys()).isTrue();
    }

    @Test
    void aLowerLevelKeyWithAValueIsRefusedWithA900NamingIt() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2.3");

        assertThatThrownBy(() -> IdentifierTranslator.translate(identifier, "STUDY", 1))
                .isInstanceOfSatisfying(RefusedIdentifierException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS);
                    assertThat(e.offendingElement()).isEqualTo(Tag.SOP_INSTANCE_UID);
                    assertThat(e.getMessage()).isEqualTo("SOPInstanceUID is not a key of the STUDY level");
                });
    }

    @Test
    void anInvalidRangeIsRefusedWithC000NamingTheAttributeNotTheValue() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(STUDY_DATE, VR.DA, "20250131-20250101");

        assertThatThrownBy(() -> IdentifierTranslator.translate(identifier, "STUDY", 1))
                .isInstanceOfSatisfying(RefusedIdentifierException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
                    assertThat(e.offendingElement()).isEqualTo(STUDY_DATE);
                    assertThat(e.getMessage()).contains("StudyDate").doesNotContain("20250131");
                });
    }

    /** Found by IdentifierTranslatorFuzzTest: a peer's explicit VR UN for PatientName reached getStrings and failed. */
    @Test
    void aKeyWhoseValueCameAsAByteStreamIsRefusedWithC000NamingTheVrNotTheValue() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setBytes(Tag.PATIENT_NAME, VR.UN, "Doe*".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> IdentifierTranslator.translate(identifier, "PATIENT", 1))
                .isInstanceOfSatisfying(RefusedIdentifierException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
                    assertThat(e.offendingElement()).isEqualTo(Tag.PATIENT_NAME);
                    assertThat(e.getMessage())
                            .isEqualTo("PatientName (0010,0010) has VR UN, which holds no value to match");
                });
    }

    @Test
    void aByteStreamKeyInASequenceItemIsRefusedWithC000() {
        Attributes identifier = new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "SERIES");
        identifier
                .newSequence(REQUEST_ATTRIBUTES_SEQUENCE)
                .addItem()
                .setBytes(REQUESTED_PROCEDURE_ID, VR.OB, new byte[] {'R', 'P', '1', ' '});

        assertThatThrownBy(() -> IdentifierTranslator.translate(identifier, "SERIES", 1))
                .isInstanceOfSatisfying(RefusedIdentifierException.class, e -> {
                    assertThat(e.status()).isEqualTo(Status.UNABLE_TO_PROCESS);
                    assertThat(e.offendingElement()).isEqualTo(REQUESTED_PROCEDURE_ID);
                    assertThat(e.getMessage())
                            .isEqualTo("RequestedProcedureID (0040,1001) has VR OB, which holds no value to match");
                });
    }

    @Test
    void anEmptyByteStreamIsAReturnKeyAndAPrivateOneIsDroppedAsUnsupported() {
        Attributes identifier = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "PATIENT")
                .setBytes(Tag.PATIENT_NAME, VR.UN, new byte[0])
                .setBytes(0x00091010, VR.UN, new byte[] {1, 2, 3, 4});

        IdentifierTranslator.Translation t = IdentifierTranslator.translate(identifier, "PATIENT", 1);

        assertThat(t.query().keys()).isEmpty();
        assertThat(t.query().returnKeys()).containsExactly("00100010");
        assertThat(t.unsupportedKeys()).isTrue();
    }
}
