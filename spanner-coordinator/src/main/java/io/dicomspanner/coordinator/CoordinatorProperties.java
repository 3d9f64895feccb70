package io.dicomspanner.coordinator;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The coordinator's own settings ({@code spanner.coordinator.*}); defaults in {@code application.yaml}, each described
 * in {@code docs/configuration-coordinator.md}.
 *
 * @param instanceId names this instance's results queue ({@code spanner.results.<instanceId>}); unique per instance
 * @param requestsQueue the queue span requests are taken from
 * @param requestsQueueMaxLength requests waiting beyond this many are refused at publish (reject-publish)
 * @param requestConcurrency span requests handled at once by this instance
 * @param maxResults the most results one answer holds, whatever the client's limit
 * @param answerMargin how long before the entry's deadline the coordinator stops waiting and answers
 * @param statusTtl how long a query's status stays in Redis
 * @param statusProgressInterval while a query runs, its status in Redis is rewritten at most this often (it is written
 *     when the query starts and when it ends in any case); 0 = after every batch
 * @param resultTtl how long an async query's result stays in Redis
 * @param coalescingWait how long a query waits for an identical in-flight query before fanning out itself
 * @param dicomwebBaseUrl base of the Retrieve URLs in QIDO answers, followed by {@code /<config id>}; empty = none
 * @param timerThreads threads that end queries at their deadlines and answer coalesced followers
 * @param redisSubscribeRetry how often the coalescing subscription is tried again while Redis is unreachable
 */
@Validated
@ConfigurationProperties("spanner.coordinator")
public record CoordinatorProperties(
        @NotBlank String instanceId,
        String requestsQueue,
        @Min(1) int requestsQueueMaxLength,
        @Min(1) int requestConcurrency,
        @Min(1) int maxResults,
        Duration answerMargin,
        Duration statusTtl,

        @NotNull @DurationMin(millis = 0, message = "must not be negative")
        Duration statusProgressInterval,

        Duration resultTtl,
        Duration coalescingWait,
        String dicomwebBaseUrl,
        @Min(1) int timerThreads,
        Duration redisSubscribeRetry) {}
