package io.dicomspanner.coordinator.query;

import io.dicomspanner.common.answer.QueryStatusDocument;
import io.dicomspanner.common.messaging.ConflictingCopies;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.RedisKeys;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanRequest;
import io.dicomspanner.common.messaging.Topology;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.coordinator.CoordinatorProperties;
import io.dicomspanner.coordinator.cache.SafeRedis;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.json.DicomJsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Where a query's answers go: {@link SpanAnswer}s to the entry's reply queue, the {@link QueryStatus} to Redis as the
 * query progresses, and for an async query (no reply queue) the merged DICOM JSON array to Redis.
 */
@Component
class QueryAnswers {

    private static final Logger log = LoggerFactory.getLogger(QueryAnswers.class);

    private final RabbitTemplate rabbit;
    private final SafeRedis redis;
    private final SealedCodec codec;
    private final CoordinatorProperties properties;
    private final DicomJsonWriter dicomJson = new DicomJsonWriter();

    QueryAnswers(RabbitTemplate rabbit, SafeRedis redis, SealedCodec codec, CoordinatorProperties properties) {
        this.rabbit = rabbit;
        this.codec = codec;
        this.redis = redis;
        this.properties = properties;
    }

    void send(SpanRequest request, SpanAnswer answer) {
        if (request.replyTo() == null) {
            return;
        }
        try {
            rabbit.convertAndSend("", request.replyTo(), answer, message -> {
                message.getMessageProperties().setHeader(Topology.HEADER_QUERY_ID, request.queryId());
                // the reply queue is its entry's own and ends with it: nothing to keep on disk
                message.getMessageProperties().setDeliveryMode(MessageDeliveryMode.NON_PERSISTENT);
                return message;
            });
        } catch (AmqpException e) {
            log.error("answer to query {} not sent", request.queryId(), e);
        }
    }

    void status(QueryStatus status) {
        redis.writeInOrder(List.of(statusWrite(status)));
    }

    private SafeRedis.Write statusWrite(QueryStatus status) {
        QueryStatusDocument document = QueryStatusDocument.of(status, properties.statusTtl());
        return new SafeRedis.Set(document.key(), document.json(), document.ttl());
    }

    /**
     * The writes that end a query in Redis, in this order: {@code first} (cache entry, coalescing announcement), an
     * async query's result and its records whose copies disagree on Patient ID (when there are any), its final
     * status. Sent together; they are all done when this returns, so an entry that has the answer finds the result and
     * the status.
     */
    void finalWrites(
            List<SafeRedis.Write> first,
            SpanRequest request,
            List<byte[]> records,
            List<ConflictingCopies> conflicts,
            QueryStatus status) {
        List<SafeRedis.Write> writes = new ArrayList<>(first);
        if (request.replyTo() == null) {
            writes.add(asyncResultWrite(request, records));
            if (!conflicts.isEmpty()) {
                // unique keys are PHI-adjacent: sealed as the result is
                writes.add(new SafeRedis.Set(
                        RedisKeys.queryConflicts(request.queryId()),
                        codec.sealEntry(conflicts),
                        properties.resultTtl()));
            }
        }
        writes.add(statusWrite(status));
        redis.writeInOrder(writes);
    }

    /**
     * The answer of an async query, as the results endpoint returns it: a DICOM JSON array of the page asked for,
     * sealed.
     */
    private SafeRedis.Write asyncResultWrite(SpanRequest request, List<byte[]> records) {
        List<Attributes> datasets = new ArrayList<>(records.size());
        for (byte[] record : records) {
            datasets.add(withoutCharacterSet(DicomReader.read(record, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        }
        String array = new String(dicomJson.toBytes(datasets), StandardCharsets.UTF_8);
        return new SafeRedis.Set(
                RedisKeys.queryResult(request.queryId()), codec.sealEntryText(array), properties.resultTtl());
    }

    /** DICOM JSON is UTF-8 whatever the record's character set, which is therefore not part of it (PS3.18 F.2). */
    private static Attributes withoutCharacterSet(Attributes record) {
        if (!record.contains(Tag.SPECIFIC_CHARACTER_SET)) {
            return record;
        }
        Attributes out = new Attributes();
        for (int i = 0; i < record.size(); i++) {
            int tag = record.tagAt(i);
            if (tag != Tag.SPECIFIC_CHARACTER_SET) {
                out.copyFrom(record, tag);
            }
        }
        return out;
    }
}
