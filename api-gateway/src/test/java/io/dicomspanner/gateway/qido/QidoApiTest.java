package io.dicomspanner.gateway.qido;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanAnswer.SourceFailure;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.query.QidoResource;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.gateway.GatewayTest;
import io.dicomspanner.gateway.apikey.ApiKeyRequest;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.span.SpanProperties;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.amqp.rabbit.core.RabbitAdmin;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * QIDO-RS searches over real HTTP, RabbitMQ, Redis and PostgreSQL, with a {@link TestCoordinator} in place of the
 * spanner coordinator: the key, the config "Enterprise Production" (id 1, the default config of the tests) and the
 * fixtures every search test starts from.
 */
abstract class QidoApiTest extends GatewayTest {

    static final String DICOM_JSON = "application/dicom+json;charset=UTF-8";

    @Autowired
    RabbitAdmin rabbitAdmin;

    @Autowired
    RabbitTemplate rabbit;

    @Autowired
    SpanProperties spanProperties;

    final MessageCodec messageJson = MessageCodec.instance();

    @Autowired
    SealedCodec sealed;

    @Autowired
    StringRedisTemplate redis;

    TestCoordinator coordinator;
    String queryKey;
    long queryKeyId;
    final List<String> redisKeys = new ArrayList<>();

    @BeforeEach
    void configAndCoordinator() {
        coordinator = new TestCoordinator(rabbitAdmin, rabbit, sealed, spanProperties);
        coordinator.listen(null);
        var created = apiKeys.create(new ApiKeyRequest("viewer", List.of("query")), Actor.system("test"));
        queryKey = created.key();
        queryKeyId = created.id();
        Reply config = post("/api/v1/config/spanner", jsonOf("""
                {'name': 'Enterprise Production', 'timeout_seconds': 20, 'failure_strategy': 'partial_results'}"""));
        assertThat(config.status()).isEqualTo(201);
        assertThat(config.body().get("id").asLong()).isEqualTo(1);
    }

    @AfterEach
    void cleanUp() {
        coordinator.close();
        redisKeys.forEach(redis::delete);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    Reply search(String path, String accept) {
        return search(path, accept, queryKey);
    }

    Reply search(String path, String accept, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .GET();
        if (accept != null) {
            request.header("Accept", accept);
        }
        if (key != null) {
            request.header("Authorization", "Api-Key " + key);
        }
        return exchange(request.build());
    }

    /** Starts a synchronous search; its reply arrives once the coordinator has answered. */
    CompletableFuture<Reply> searchInBackground(String path, String accept) {
        return CompletableFuture.supplyAsync(() -> search(path, accept));
    }

    static SpanAnswer answer(
            SpanRequest request, QueryState state, List<byte[]> matches, List<SourceFailure> failures, int remaining) {
        return new SpanAnswer(request.queryId(), matches, true, state, failures, matches.size(), remaining, false);
    }

    /** A study as a coordinator sends it: merged, shaped, Explicit VR Little Endian, UTF-8 names. */
    static byte[] study() {
        Attributes study = new Attributes();
        study.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        study.setString(Tag.STUDY_DATE, VR.DA, "20200102");
        study.setString(Tag.RETRIEVE_AE_TITLE, VR.AE, "PACSA", "PACSB");
        study.setString(Tag.MODALITIES_IN_STUDY, VR.CS, "CT", "MR");
        study.setString(0x00100010, VR.PN, "Müller^Hans");
        study.setString(Tag.PATIENT_ID, VR.LO, "12345");
        study.setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.99.1");
        study.setString(0x00201206, VR.IS, "2");
        return DicomWriter.encode(study, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    static final String STUDY_JSON = "[{"
            + "\"00080005\":{\"vr\":\"CS\",\"Value\":[\"ISO_IR 192\"]},"
            + "\"00080020\":{\"vr\":\"DA\",\"Value\":[\"20200102\"]},"
            + "\"00080054\":{\"vr\":\"AE\",\"Value\":[\"PACSA\",\"PACSB\"]},"
            + "\"00080061\":{\"vr\":\"CS\",\"Value\":[\"CT\",\"MR\"]},"
            + "\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Müller^Hans\"}]},"
            + "\"00100020\":{\"vr\":\"LO\",\"Value\":[\"12345\"]},"
            + "\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.840.99.1\"]},"
            + "\"00201206\":{\"vr\":\"IS\",\"Value\":[2]}}]";

    static byte[] series() {
        Attributes series = new Attributes();
        series.setString(Tag.MODALITY, VR.CS, "CT");
        series.setString(Tag.STUDY_INSTANCE_UID, VR.UI, "1.2.840.99.1");
        series.setString(Tag.SERIES_INSTANCE_UID, VR.UI, "1.2.840.99.1.1");
        return DicomWriter.encode(series, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** The query {@code PatientID=12345} on {@code /api/v1/spanner/qido/studies} sends with this config id. */
    static SpanQuery studiesOfPatient12345(long configId) {
        return new SpanQuery(
                configId,
                QueryLevel.STUDY,
                QidoResource.ALL_STUDIES,
                List.of(new QueryKey("00100020", "12345")),
                List.of(),
                false,
                false,
                1000,
                0);
    }
}
