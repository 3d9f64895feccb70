package io.dicomspanner.dicom.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Sequence;
import io.dicomspanner.dicom.data.VR;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** PS3.4 C.2.2.2.6 Sequence Matching, on the QIDO series key RequestAttributesSequence. */
class SequenceMatchingTest {

    private static final int REQUEST_ATTRIBUTES_SEQUENCE = 0x00400275;
    private static final int SCHEDULED_PROCEDURE_STEP_ID = 0x00400009;
    private static final int REQUESTED_PROCEDURE_ID = 0x00401001;
    private static final int SCHEDULED_PROCEDURE_STEP_START_DATE = 0x00400002;

    /**
     * "If all the Item Key Attributes match, for at least one of the Items of the Attribute against which the match is
     * performed, a successful match is generated." Candidate items are written "SPS/RP;SPS/RP".
     */
    @ParameterizedTest(name = "key {0}/{1} vs items {2} -> {3}")
    @CsvSource(delimiter = '|', textBlock = """
            SPS1 | ''  | SPS1/RP1           | true
            SPS1 | ''  | SPS2/RP1;SPS1/RP2  | true
            SPS1 | ''  | SPS2/RP1;SPS3/RP1  | false
            SPS1 | RP1 | SPS1/RP1           | true
            SPS1 | RP1 | SPS1/RP2;SPS2/RP1  | false
            SPS1 | RP1 | SPS2/RP2;SPS1/RP1  | true
            SPS* | RP? | SPS9/RP7           | true
            """)
    void oneCandidateItemMustMatchAllItemKeys(String sps, String rp, String items, boolean expected) {
        Attributes identifier = new Attributes();
        Attributes keyItem = identifier.newSequence(REQUEST_ATTRIBUTES_SEQUENCE).addItem();
        keyItem.setString(SCHEDULED_PROCEDURE_STEP_ID, VR.SH, sps);
        keyItem.setString(REQUESTED_PROCEDURE_ID, VR.SH, rp);

        assertThat(QueryMatcher.compile(identifier, MatchOptions.SCP).matches(series(items)))
                .isEqualTo(expected);
    }

    /** "If the Key Attribute ... contains no Key Item Attribute ..., then all entities shall match this Attribute." */
    @Test
    void aSequenceKeyWithoutItemsOrWithOnlyReturnKeysIsUniversal() {
        Attributes noItem = new Attributes();
        noItem.newSequence(REQUEST_ATTRIBUTES_SEQUENCE);
        Attributes emptyItem = new Attributes();
        emptyItem.newSequence(REQUEST_ATTRIBUTES_SEQUENCE).addItem();
        Attributes returnKeysOnly = new Attributes();
        returnKeysOnly
                .newSequence(REQUEST_ATTRIBUTES_SEQUENCE)
                .addItem()
                .setNull(SCHEDULED_PROCEDURE_STEP_ID, VR.SH)
                .setNull(REQUESTED_PROCEDURE_ID, VR.SH);

        for (Attributes identifier : new Attributes[] {noItem, emptyItem, returnKeysOnly}) {
            QueryMatcher matcher = QueryMatcher.compile(identifier, MatchOptions.SCP);
            assertThat(matcher.isUniversal()).isTrue();
            assertThat(matcher.matches(new Attributes())).isTrue();
        }
    }

    @Test
    void aCandidateWithoutItemsIsExcludedByAnScpAndKeptByTheRecheck() {
        Attributes identifier = new Attributes();
        identifier
                .newSequence(REQUEST_ATTRIBUTES_SEQUENCE)
                .addItem()
                .setString(SCHEDULED_PROCEDURE_STEP_ID, VR.SH, "S");
        Attributes emptySequence = new Attributes();
        emptySequence.newSequence(REQUEST_ATTRIBUTES_SEQUENCE);

        for (Attributes candidate : new Attributes[] {new Attributes(), emptySequence}) {
            assertThat(QueryMatcher.compile(identifier, MatchOptions.SCP).matches(candidate))
                    .isFalse();
            assertThat(QueryMatcher.compile(identifier, MatchOptions.RECHECK).matches(candidate))
                    .isTrue();
        }
    }

    /** An item lacking the key may be the matching one, so the re-check keeps the record even if another item fails. */
    @Test
    void anItemLackingTheKeyKeepsTheRecordInTheRecheckDespiteAMismatchingItem() {
        Attributes identifier = new Attributes();
        identifier
                .newSequence(REQUEST_ATTRIBUTES_SEQUENCE)
                .addItem()
                .setString(SCHEDULED_PROCEDURE_STEP_ID, VR.SH, "S");
        Attributes candidate = series("X/RP1");
        candidate.getSequence(REQUEST_ATTRIBUTES_SEQUENCE).addItem().setString(REQUESTED_PROCEDURE_ID, VR.SH, "RP2");

        assertThat(QueryMatcher.compile(identifier, MatchOptions.SCP).matches(candidate))
                .isFalse();
        assertThat(QueryMatcher.compile(identifier, MatchOptions.RECHECK).matches(candidate))
                .isTrue();
    }

    @Test
    void aSequenceKeyWithTwoItemsIsRejected() {
        Attributes identifier = new Attributes();
        Sequence sq = identifier.newSequence(REQUEST_ATTRIBUTES_SEQUENCE);
        sq.addItem().setString(SCHEDULED_PROCEDURE_STEP_ID, VR.SH, "A");
        sq.addItem().setString(SCHEDULED_PROCEDURE_STEP_ID, VR.SH, "B");

        assertThatThrownBy(() -> QueryMatcher.compile(identifier, MatchOptions.SCP))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("RequestAttributesSequence (0040,0275): a sequence key holds exactly one item"
                        + " (PS3.4 C.2.2.2.6)");
    }

    /** Item keys follow every other rule, and an error names the path to the attribute. */
    @Test
    void itemKeysAreCheckedAndNamedByTheirPath() {
        Attributes identifier = new Attributes();
        identifier
                .newSequence(REQUEST_ATTRIBUTES_SEQUENCE)
                .addItem()
                .setString(SCHEDULED_PROCEDURE_STEP_START_DATE, VR.DA, "20241301");

        assertThatThrownBy(() -> QueryMatcher.compile(identifier, MatchOptions.SCP))
                .isInstanceOf(InvalidMatchingKeyException.class)
                .hasMessage("RequestAttributesSequence (0040,0275) > ScheduledProcedureStepStartDate (0040,0002):"
                        + " not a DA value or range: the month is out of range")
                .satisfies(e -> assertThat(((InvalidMatchingKeyException) e).tag())
                        .isEqualTo(SCHEDULED_PROCEDURE_STEP_START_DATE));
    }

    /** "SPS/RP;..." → one item per ";", each with ScheduledProcedureStepID and RequestedProcedureID. */
    private static Attributes series(String items) {
        Attributes ds = new Attributes();
        Sequence sq = ds.newSequence(REQUEST_ATTRIBUTES_SEQUENCE);
        for (String item : items.split(";")) {
            String[] ids = item.split("/");
            sq.addItem()
                    .setString(SCHEDULED_PROCEDURE_STEP_ID, VR.SH, ids[0])
                    .setString(REQUESTED_PROCEDURE_ID, VR.SH, ids[1]);
        }
        return ds;
    }
}
