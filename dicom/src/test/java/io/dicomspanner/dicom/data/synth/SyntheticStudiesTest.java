package io.dicomspanner.dicom.data.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticStudiesTest {

    @Test
    void seedOneStartsWithAKoreanPatientWhoseFirstStudyIsAnMrOfTheLumbarSpine() {
        SyntheticPatient patient =
                SyntheticStudies.generate(1, 1, 2, 2, 2).patients().get(0);

        assertThat(patient.patientId()).isEqualTo("SYN1-00001");
        assertThat(patient.issuerOfPatientId()).isEqualTo("HOSP_A");
        assertThat(patient.patientName()).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동");
        assertThat(patient.patientBirthDate()).isEqualTo("19550623");
        assertThat(patient.patientSex()).isEqualTo("M");

        SyntheticStudy study = patient.studies().get(0);
        assertThat(study.studyInstanceUid()).isEqualTo("2.25.244362102770223286155823469203416094929");
        assertThat(study.studyDate()).isEqualTo("20201027");
        assertThat(study.studyTime()).isEqualTo("165357");
        assertThat(study.accessionNumber()).isEqualTo("A356852699");
        assertThat(study.studyId()).isEqualTo("7176");
        assertThat(study.studyDescription()).isEqualTo("MR LUMBAR SPINE");
        assertThat(study.referringPhysicianName()).isEqualTo("House^Gregory^^Dr.");
        assertThat(study.modalitiesInStudy()).containsExactly("MR");
        assertThat(study.numberOfInstances()).isEqualTo(4);

        SyntheticSeries second = study.series().get(1);
        assertThat(second.seriesInstanceUid()).isEqualTo("2.25.200287439336088729086877678217221104094");
        assertThat(second.seriesNumber()).isEqualTo(2);
        assertThat(second.seriesDescription()).isEqualTo("T2 AX");
        assertThat(second.seriesTime()).isEqualTo("165657");

        assertThat(patient.studies().get(1).studyInstanceUid())
                .isEqualTo("2.25.71870027343639097492221781127541629324");
        assertThat(patient.studies().get(1).modalitiesInStudy()).containsExactly("CR");
    }

    @Test
    void firstImageOfSeedOneCarriesExactlyThePatientStudySeriesInstanceAndPixelAttributes() {
        SyntheticInstance first =
                SyntheticStudies.generate(1, 1, 2, 2, 2).instances().get(0);
        Attributes ds = first.dataset();
        byte[] pixels = ds.getBytes(Tag.PIXEL_DATA);
        ds.remove(Tag.PIXEL_DATA);

        Attributes expected = new Attributes()
                .setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192")
                .setString(Tag.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.4")
                .setString(Tag.SOP_INSTANCE_UID, VR.UI, "2.25.166840728468341626997338851263681835889")
                .setString(Tag.STUDY_DATE, VR.DA, "20201027")
                .setString(Tag.SERIES_DATE, VR.DA, "20201027")
                .setString(Tag.STUDY_TIME, VR.TM, "165357")
                .setString(Tag.SERIES_TIME, VR.TM, "165357")
                .setString(Tag.ACCESSION_NUMBER, VR.SH, "A356852699")
                .setString(Tag.MODALITY, VR.CS, "MR")
                .setString(Tag.REFERRING_PHYSICIAN_NAME, VR.PN, "House^Gregory^^Dr.")
                .setString(Tag.STUDY_DESCRIPTION, VR.LO, "MR LUMBAR SPINE")
                .setString(Tag.SERIES_DESCRIPTION, VR.LO, "T1 SAG")
                .setString(Tag.PATIENT_NAME, VR.PN, "Hong^Gildong=洪^吉洞=홍^길동")
                .setString(Tag.PATIENT_ID, VR.LO, "SYN1-00001")
                .setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, "HOSP_A")
                .setString(Tag.PATIENT_BIRTH_DATE, VR.DA, "19550623")
                .setString(Tag.PATIENT_SEX, VR.CS, "M")
                .setString(0x00180015, VR.CS, "LSPINE")
                .setString(Tag.STUDY_INSTANCE_UID, VR.UI, "2.25.244362102770223286155823469203416094929")
                .setString(Tag.SERIES_INSTANCE_UID, VR.UI, "2.25.238684457945258419306696665344501641333")
                .setString(Tag.STUDY_ID, VR.SH, "7176")
                .setInt(Tag.SERIES_NUMBER, VR.IS, 1)
                .setInt(Tag.INSTANCE_NUMBER, VR.IS, 1)
                .setInt(0x00280002, VR.US, 1)
                .setString(0x00280004, VR.CS, "MONOCHROME2")
                .setInt(0x00280010, VR.US, 12)
                .setInt(0x00280011, VR.US, 16)
                .setInt(0x00280100, VR.US, 16)
                .setInt(0x00280101, VR.US, 12)
                .setInt(0x00280102, VR.US, 11)
                .setInt(0x00280103, VR.US, 0);
        assertThat(ds).isEqualTo(expected);
        assertThat(first.sopInstanceUid()).isEqualTo("2.25.166840728468341626997338851263681835889");
        assertThat(first.sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.4");
        assertThat(pixels).hasSize(12 * 16 * 2);
    }

    @Test
    void theSameSeedAndShapeGiveEqualDataAndALargerSetExtendsASmallerOne() {
        SyntheticStudies a = SyntheticStudies.generate(42, 3, 2, 2, 1);
        SyntheticStudies b = SyntheticStudies.generate(42, 3, 2, 2, 1);
        SyntheticStudies larger = SyntheticStudies.generate(42, 5, 2, 2, 1);

        assertThat(b.patients()).isEqualTo(a.patients());
        assertThat(larger.patients().subList(0, 3)).isEqualTo(a.patients());
    }

    @Test
    void differentSeedsGiveDifferentUidsAndPatientIds() {
        SyntheticStudies one = SyntheticStudies.generate(1, 2, 2, 1, 1);
        SyntheticStudies two = SyntheticStudies.generate(2, 2, 2, 1, 1);

        Set<String> uids = new HashSet<>();
        one.studies().forEach(s -> uids.add(s.studyInstanceUid()));
        two.studies().forEach(s -> assertThat(uids).doesNotContain(s.studyInstanceUid()));
        assertThat(two.patients().get(0).patientId()).isEqualTo("SYN2-00001");
    }

    @Test
    void everyUidIsUniqueAndAValidUuidDerivedUid() {
        SyntheticStudies set = SyntheticStudies.generate(7, 4, 3, 3, 3);
        Set<String> uids = new HashSet<>();
        set.studies().forEach(s -> uids.add(s.studyInstanceUid()));
        set.series().forEach(s -> uids.add(s.seriesInstanceUid()));
        set.instances().forEach(i -> uids.add(i.sopInstanceUid()));

        assertThat(uids).hasSize(4 * 3 + 4 * 3 * 3 + 4 * 3 * 3 * 3);
        assertThat(uids).allSatisfy(uid -> {
            assertThat(uid).matches("2\\.25\\.(0|[1-9][0-9]*)");
            assertThat(uid.length()).isLessThanOrEqualTo(64);
        });
    }

    @Test
    void sixteenConsecutivePatientsUseEveryNameOfThePoolOnce() {
        List<String> names = SyntheticStudies.generate(3, SyntheticStudies.NAME_POOL_SIZE, 1, 1, 1).patients().stream()
                .map(SyntheticPatient::patientName)
                .toList();

        assertThat(names)
                .containsExactlyInAnyOrder(
                        "Smith^John",
                        "Müller^Jürgen",
                        "Παπαδοπούλου^Ελένη",
                        "Yamada^Tarou=山田^太郎=やまだ^たろう",
                        "Garcia^Maria^Elena",
                        "Hong^Gildong=洪^吉洞=홍^길동",
                        "Lefèvre^Hélène",
                        "Johnson^Emily^Rose^Mrs.",
                        "Wang^XiaoDong=王^小東",
                        "Schäfer^Anna-Lena",
                        "Иванова^Ольга",
                        "Nguyen^Van An",
                        "Suzuki^Hanako=鈴木^花子=すずき^はなこ",
                        "Åström^Björn",
                        "Kim^Jiwoo=金^智友=김^지우",
                        "Doe^Jane");
    }

    @Test
    void onlyDataSetsWithNonAsciiTextDeclareUtf8() {
        for (SyntheticInstance instance :
                SyntheticStudies.generate(5, 16, 2, 1, 1).instances()) {
            Attributes ds = instance.dataset();
            boolean nonAscii = !ds.getString(Tag.PATIENT_NAME).chars().allMatch(c -> c < 0x80)
                    || !ds.getString(Tag.STUDY_DESCRIPTION).chars().allMatch(c -> c < 0x80)
                    || (ds.getString(Tag.REFERRING_PHYSICIAN_NAME) != null
                            && !ds.getString(Tag.REFERRING_PHYSICIAN_NAME)
                                    .chars()
                                    .allMatch(c -> c < 0x80));
            assertThat(ds.getStrings(Tag.SPECIFIC_CHARACTER_SET))
                    .as("%s", ds.getString(Tag.PATIENT_NAME))
                    .containsExactly(nonAscii ? new String[] {"ISO_IR 192"} : new String[0]);
        }
    }

    @Test
    void aPetStudyHoldsPetSeriesAndTheCtForAttenuationCorrection() {
        SyntheticStudy pet = SyntheticStudies.generate(1, 2, 2, 2, 1)
                .patients()
                .get(1)
                .studies()
                .get(1);

        assertThat(pet.modalitiesInStudy()).containsExactly("CT", "PT");
        assertThat(pet.series().get(0).instances().get(0).sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.128");
        assertThat(pet.series().get(1).instances().get(0).sopClassUid()).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        assertThat(pet.series().get(1).seriesDescription()).isEqualTo("CT ATTENUATION CORRECTION");
    }

    @Test
    void part10FilesReadBackAsTheGeneratedDataSetsInExplicitVrLittleEndian(@TempDir Path dir) throws IOException {
        SyntheticStudies set = SyntheticStudies.generate(9, 2, 1, 2, 2);
        List<Path> files = set.writePart10(dir);

        assertThat(files).hasSize(8);
        for (int i = 0; i < files.size(); i++) {
            SyntheticInstance instance = set.instances().get(i);
            DicomFile file = DicomFile.read(files.get(i));
            assertThat(files.get(i).getFileName().toString()).isEqualTo(instance.sopInstanceUid() + ".dcm");
            assertThat(file.transferSyntax()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(file.meta().getString(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID))
                    .isEqualTo(instance.sopInstanceUid());
            assertThat(file.meta().getString(Tag.MEDIA_STORAGE_SOP_CLASS_UID)).isEqualTo(instance.sopClassUid());
            assertThat(file.dataset()).isEqualTo(instance.dataset());
        }
    }

    @Test
    void theDataSetHandedOutIsACopy() {
        SyntheticInstance instance =
                SyntheticStudies.generate(1, 1, 1, 1, 1).instances().get(0);
        instance.dataset().setString(Tag.PATIENT_NAME, VR.PN, "Changed^Name");

        assertThat(instance.dataset().getString(Tag.PATIENT_NAME)).isEqualTo("Hong^Gildong=洪^吉洞=홍^길동");
    }

    @Test
    void aShapeWithoutPatientsIsRefused() {
        assertThatThrownBy(() -> SyntheticStudies.generate(1, 0, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("patients must be at least 1, was 0");
    }
}
