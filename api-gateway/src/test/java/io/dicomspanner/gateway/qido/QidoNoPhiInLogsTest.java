package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SharedAnswer;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.testing.LogCapture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Searches by PatientID, PatientName and PatientBirthDate (valid, refused, synchronous, answered from the result cache
 * and asynchronous) with the
 * gateway, Spring MVC, Spring AMQP and Redis client logging at DEBUG: no log line holds a clear-text value.
 */
class QidoNoPhiInLogsTest extends QidoApiTest {

    private static final String PATIENT_ID = "MRN-77701234";
    private static final String PATIENT_NAME = "Quarterbottom^Eglantine";
    private static final List<String> DEBUG_LOGGERS = List.of(
            "io.dicomspanner",
            "org.springframework.web",
            "org.springframework.amqp",
            "org.springframework.data.redis",
            "io.lettuce.core");

    @RegisterExtension
    final LogCapture.EachTest captured = LogCapture.everythingInEachTest(DEBUG_LOGGERS);

    @Test
    void noClearTextPhiInAnyLogLine() {
        CompletableFuture<Reply> sync = CompletableFuture.supplyAsync(() -> get(
                "/dicomweb/1/studies?PatientID=" + PATIENT_ID + "&PatientName=" + PATIENT_NAME.replace("^", "%5E")));
        SpanRequest request = coordinator.takeRequest();
        Attributes study = new Attributes();
        study.setString(Tag.PATIENT_ID, VR.LO, PATIENT_ID);
        study.setString(0x00100010, VR.PN, PATIENT_NAME);
        coordinator.answer(
                request,
                new SpanAnswer(
                        request.queryId(),
                        List.of(DicomWriter.encode(study, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)),
                        true,
                        QueryState.COMPLETE,
                        List.of(),
                        1,
                        0,
                        false));
        Reply found = sync.join();
        // The same search again, answered by the gateway from a cache entry holding the study.
        String cacheKey = RedisKeys.resultCache(1, 1, request.query().answerHash(""));
        redis.opsForValue()
                .set(
                        cacheKey,
                        sealed.sealEntry(new SharedAnswer(
                                QueryState.COMPLETE,
                                List.of(DicomWriter.encode(study, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)),
                                List.of(),
                                1,
                                1,
                                0,
                                List.of(),
                                10_000)));
        Reply cached =
                get("/dicomweb/1/studies?PatientID=" + PATIENT_ID + "&PatientName=" + PATIENT_NAME.replace("^", "%5E"));
        int publishedForCached = coordinator.waitingRequests();
        redis.delete(cacheKey);
        redis.delete(RedisKeys.queryStatus(cached.header("X-Query-Id")));
        Reply async = get("/api/v1/spanner/qido/studies?PatientID=" + PATIENT_ID + "&spanner_config_id=1&async=true");
        Reply refused = get("/dicomweb/1/studies?PatientID=" + PATIENT_ID + "&PatientBirthDate=1944" + "0699");
        redis.delete(RedisKeys.queryStatus(request.queryId()));
        redis.delete(RedisKeys.queryStatus(async.body().get("query_id").asString()));

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.raw().body()).contains(PATIENT_ID);
        assertThat(cached.status()).isEqualTo(200);
        assertThat(cached.raw().body()).isEqualTo(found.raw().body());
        assertThat(publishedForCached).as("the cached search was not published").isZero();
        assertThat(async.status()).isEqualTo(202);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(captured.fullLines())
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line)
                        .doesNotContain(PATIENT_ID)
                        .doesNotContain("Quarterbottom")
                        .doesNotContain("19440699"));
    }
}
