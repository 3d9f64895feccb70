package io.dicomspanner.coordinator.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResultOrderTest {

    private static Attributes study(String uid, String date, String time) {
        Attributes a = new Attributes().setString(Tag.STUDY_INSTANCE_UID, VR.UI, uid);
        if (date != null) {
            a.setString(Tag.STUDY_DATE, VR.DA, date);
        }
        if (time != null) {
            a.setString(Tag.STUDY_TIME, VR.TM, time);
        }
        return a;
    }

    private static List<String> uids(List<Attributes> records, int tag) {
        return records.stream().map(r -> r.getString(tag)).toList();
    }

    /** Every permutation the shuffles produce sorts to one order: the order is a function of the data alone. */
    private static void assertSameOrderFromAnyArrival(QueryLevel level, List<Attributes> records, int uidTag) {
        List<String> expected = uids(ResultOrder.sort(level, records), uidTag);
        Random random = new Random(20240105L);
        for (int i = 0; i < 50; i++) {
            List<Attributes> shuffled = new ArrayList<>(records);
            Collections.shuffle(shuffled, random);
            assertThat(uids(ResultOrder.sort(level, shuffled), uidTag)).isEqualTo(expected);
        }
    }

    @Test
    void studiesNewestFirstThenByUidWithUndatedStudiesLast() {
        List<Attributes> studies = List.of(
                study("1.9", null, null),
                study("1.2", "20240105", "1015"),
                study("1.3", "2024.01.05", "10:15:00"),
                study("1.4", "20240105", "101500.5"),
                study("1.5", "20231231", "235959"),
                study("1.6", "20240105", null),
                study("1.10", "20250101", "0000"));

        assertThat(uids(ResultOrder.sort(QueryLevel.STUDY, studies), Tag.STUDY_INSTANCE_UID))
                .containsExactly("1.10", "1.4", "1.2", "1.3", "1.6", "1.5", "1.9");
        assertSameOrderFromAnyArrival(QueryLevel.STUDY, studies, Tag.STUDY_INSTANCE_UID);
    }

    @Test
    void timesCompareByMeaning() {
        assertThat(ResultOrder.time("1230")).isEqualTo(ResultOrder.time("123000"));
        assertThat(ResultOrder.time("12:30:00")).isEqualTo("123000.000000");
        assertThat(ResultOrder.time("07")).isEqualTo("070000.000000");
        assertThat(ResultOrder.time("101500.5")).isEqualTo("101500.500000");
        assertThat(ResultOrder.date("2024.01.05")).isEqualTo("20240105");
    }

    private static Attributes series(String uid, String number) {
        Attributes a = new Attributes().setString(Tag.SERIES_INSTANCE_UID, VR.UI, uid);
        return number == null ? a : a.setString(Tag.SERIES_NUMBER, VR.IS, number);
    }

    @Test
    void seriesByNumberAsANumberThenByUid() {
        List<Attributes> series = List.of(
                series("1.1", "10"),
                series("1.2", "9"),
                series("1.3", " 2"),
                series("1.4", null),
                series("1.5", "2"),
                series("1.6", "1.5"),
                series("1.7", "-1"),
                series("1.8", "+3"));

        assertThat(uids(ResultOrder.sort(QueryLevel.SERIES, series), Tag.SERIES_INSTANCE_UID))
                .containsExactly("1.7", "1.3", "1.5", "1.8", "1.2", "1.1", "1.6", "1.4");
        assertSameOrderFromAnyArrival(QueryLevel.SERIES, series, Tag.SERIES_INSTANCE_UID);
    }

    @Test
    void instancesByInstanceNumberThenBySopInstanceUid() {
        List<Attributes> instances = List.of(
                new Attributes()
                        .setString(Tag.SOP_INSTANCE_UID, VR.UI, "1.3")
                        .setString(Tag.INSTANCE_NUMBER, VR.IS, "2"),
                new Attributes()
                        .setString(Tag.SOP_INSTANCE_UID, VR.UI, "1.2")
                        .setString(Tag.INSTANCE_NUMBER, VR.IS, "2"),
                new Attributes()
                        .setString(Tag.SOP_INSTANCE_UID, VR.UI, "1.1")
                        .setString(Tag.INSTANCE_NUMBER, VR.IS, "11"));

        assertThat(uids(ResultOrder.sort(QueryLevel.IMAGE, instances), Tag.SOP_INSTANCE_UID))
                .containsExactly("1.2", "1.3", "1.1");
        assertSameOrderFromAnyArrival(QueryLevel.IMAGE, instances, Tag.SOP_INSTANCE_UID);
    }

    @Test
    void patientsByNameIgnoringCaseThenByIdAndIssuer() {
        List<Attributes> patients = List.of(
                patient("doe^jane", "2", null),
                patient("Doe^Jane", "2", "B"),
                patient("Doe^Jane", "2", "A"),
                patient("Adams^Zoe", "9", null),
                patient(null, "1", null),
                patient("Doe^Jane", "1", null));

        assertThat(ResultOrder.sort(QueryLevel.PATIENT, patients))
                .extracting(r -> r.getString(Tag.PATIENT_NAME) + "|" + r.getString(Tag.PATIENT_ID) + "|"
                        + r.getString(Tag.ISSUER_OF_PATIENT_ID))
                .containsExactly(
                        "Adams^Zoe|9|null",
                        "Doe^Jane|1|null",
                        "Doe^Jane|2|A",
                        "Doe^Jane|2|B",
                        "doe^jane|2|null",
                        "null|1|null");
    }

    private static Attributes patient(String name, String id, String issuer) {
        Attributes a = new Attributes().setString(Tag.PATIENT_ID, VR.LO, id);
        if (name != null) {
            a.setString(Tag.PATIENT_NAME, VR.PN, name);
        }
        if (issuer != null) {
            a.setString(Tag.ISSUER_OF_PATIENT_ID, VR.LO, issuer);
        }
        return a;
    }

    @Test
    void recordsEqualInEverySortValueKeepTheirOrder() {
        Attributes first = study("1.2", "20240105", "1015").setString(Tag.STUDY_ID, VR.SH, "first");
        Attributes second = study("1.2", "20240105", "101500").setString(Tag.STUDY_ID, VR.SH, "second");

        assertThat(ResultOrder.sort(QueryLevel.STUDY, List.of(first, second)))
                .extracting(r -> r.getString(Tag.STUDY_ID))
                .containsExactly("first", "second");
        assertThat(ResultOrder.sort(QueryLevel.STUDY, List.of(second, first)))
                .extracting(r -> r.getString(Tag.STUDY_ID))
                .containsExactly("second", "first");
    }
}
