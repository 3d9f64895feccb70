package io.dicomspanner.common.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanQueryTest {

    private static SpanQuery studies(List<QueryKey> keys, List<String> returnKeys, Integer limit, int offset) {
        return new SpanQuery(
                1, QueryLevel.STUDY, QidoResource.ALL_STUDIES, keys, returnKeys, false, false, limit, offset);
    }

    @Test
    void keysAndReturnKeysAreSortedAndDeduplicatedSoEqualRequestsAreEqual() {
        SpanQuery a = studies(
                List.of(new QueryKey("00100020", "12345"), new QueryKey("00080060", "CT")),
                List.of("00081030", "00100030", "00081030"),
                null,
                0);
        SpanQuery b = studies(
                List.of(new QueryKey("00080060", "CT"), new QueryKey("00100020", "12345")),
                List.of("00100030", "00081030"),
                null,
                0);
        assertThat(a).isEqualTo(b);
        assertThat(a.keys()).extracting(QueryKey::path).containsExactly("00080060", "00100020");
        assertThat(a.returnKeys()).containsExactly("00081030", "00100030");
        assertThat(a.canonicalHash()).isEqualTo(b.canonicalHash()).hasSize(64);
    }

    @Test
    void pagesOfOneQueryShareTheHashButDifferentKeysDoNot() {
        SpanQuery q = studies(List.of(new QueryKey("00100020", "12345")), List.of(), 10, 0);
        assertThat(q.withPage(10, 20).canonicalHash()).isEqualTo(q.canonicalHash());
        assertThat(studies(List.of(new QueryKey("00100020", "1234")), List.of(), 10, 0)
                        .canonicalHash())
                .isNotEqualTo(q.canonicalHash());
        // The value length is part of the encoding: a value cannot impersonate the next key.
        assertThat(studies(List.of(new QueryKey("00100020", "1;00100010=2:ab")), List.of(), null, 0)
                        .canonicalHash())
                .isNotEqualTo(studies(
                                List.of(new QueryKey("00100020", "1"), new QueryKey("00100010", "ab")),
                                List.of(),
                                null,
                                0)
                        .canonicalHash());
    }

    @Test
    void answersWithRetrieveUrlsUnderDifferentBasesHashApart() {
        SpanQuery q = studies(List.of(new QueryKey("00100020", "12345")), List.of(), null, 0);

        assertThat(q.answerHash(null)).isEqualTo(q.canonicalHash());
        assertThat(q.answerHash("")).isEqualTo(q.canonicalHash());
        assertThat(q.answerHash("https://a.example/dicomweb/1"))
                .hasSize(64)
                .isEqualTo(q.withPage(5, 5).answerHash("https://a.example/dicomweb/1"))
                .isNotEqualTo(q.canonicalHash())
                .isNotEqualTo(q.answerHash("https://b.example/dicomweb/1"));
    }

    @Test
    void negativePagingAndMalformedPathsAreRefused() {
        assertThatThrownBy(() -> studies(List.of(), List.of(), -1, 0)).hasMessageContaining("limit");
        assertThatThrownBy(() -> studies(List.of(), List.of(), null, -5)).hasMessageContaining("offset");
        assertThatThrownBy(() -> new QueryKey("0010,0020", "x")).hasMessageContaining("8 upper-case hex");
    }
}
