package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.match.KeyValidator;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.gateway.error.FieldProblem;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.qido.QidoQueryParser.ParsedQuery;
import io.dicomspanner.gateway.qido.QidoQueryParser.PathUids;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Any query string, as the gateway reads it from the request line, on any QIDO-RS resource: either a query whose every
 * key a PACS can be asked (no control character, valid for its VR, a bounded limit, never a universal search below the
 * study level) or a 400 whose every problem names a field and says what is wrong; never another exception. The seed
 * corpus (realistic searches and the malformed ones a probe found) replays in every build; {@code JAZZER_FUZZ=1} fuzzes.
 */
class QidoQueryParserFuzzTest {

    private static final int MAX_LIMIT = 1000;
    private static final QidoQueryParser PARSER = new QidoQueryParser(MAX_LIMIT, false);
    private static final ElementDictionary DICTIONARY = ElementDictionary.standard();
    private static final QidoResource[] RESOURCES = QidoResource.values();

    @FuzzTest
    void everyQueryStringIsASendableQueryOrA400NamingItsProblems(byte[] input) {
        if (input.length == 0) {
            return;
        }
        QidoResource resource = RESOURCES[Byte.toUnsignedInt(input[0]) % RESOURCES.length];
        // The first byte picks the resource ('0' studies, '1' a study's series, '2' series, '3' a series' instances,
        // '4' a study's instances, '5' instances); the rest, Latin-1 so that every byte stays one char, is the raw
        // query string as the container hands it over.
        String raw = new String(input, 1, input.length - 1, StandardCharsets.ISO_8859_1);
        PathUids path = switch (resource) {
            case ALL_STUDIES, ALL_SERIES, ALL_INSTANCES -> PathUids.NONE;
            case STUDY_SERIES, STUDY_INSTANCES -> new PathUids("1.2.3", null);
            case STUDY_SERIES_INSTANCES -> new PathUids("1.2.3", "1.2.3.4");
        };
        ParsedQuery parsed;
        try {
            Map<String, List<String>> parameters = QidoQueryString.parse(raw, 100);
            parsed = PARSER.parse(resource, path, parameters);
        } catch (InvalidRequestException e) {
            assertThat(e.problems()).isNotEmpty();
            for (FieldProblem problem : e.problems()) {
                assertThat(problem.field()).isNotBlank();
                assertThat(problem.message()).isNotBlank();
            }
            return;
        }
        assertThat(parsed.limit()).isBetween(0, MAX_LIMIT);
        assertThat(parsed.offset()).isNotNegative();
        for (QueryKey key : parsed.keys()) {
            assertThat(QidoQueryParser.hasControlCharacter(key.value()))
                    .as("control character in %s", key.path())
                    .isFalse();
            if (key.path().indexOf('.') < 0) {
                int tag = (int) Long.parseLong(key.path(), 16);
                VR vr = DICTIONARY.vrOf(tag);
                if (vr != VR.SQ) {
                    KeyValidator.validate(tag, vr, key.value());
                }
            }
        }
        if (resource == QidoResource.ALL_SERIES || resource == QidoResource.ALL_INSTANCES) {
            assertThat(parsed.keys())
                    .as("a search below the study level across all studies has a narrowing key")
                    .anyMatch(key ->
                            !key.value().replace("*", "").replace("\\", "").isBlank());
        }
        parsed.toSpanQuery(1);
    }
}
