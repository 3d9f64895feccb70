package io.dicomspanner.gateway.qido;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * QIDO-RS searches ({@code spanner.qido.*}).
 *
 * @param maxLimit results one search returns at most; a larger {@code limit} is lowered to it, and a search without
 *     {@code limit} gets it
 * @param defaultConfigId the config a search on {@code /api/v1/spanner/qido/...} asks when it names none with
 *     {@code spanner_config_id}; unset = such a search is a 400
 * @param answerCacheHits whether the gateway answers a synchronous search whose complete answer is in the result cache
 *     itself, instead of through a coordinator
 * @param queryLogQueue query-log rows of such answers waiting for their writer thread; beyond it the request thread
 *     writes its row itself
 * @param configCacheTtl how long a config found by id is used without reading it again; this gateway's own admin
 *     changes drop it at once, other instances' are seen within this time; 0 = read it for every search
 * @param localAnswerCacheSize how many bytes of cached answers read from Redis this gateway keeps in its memory until
 *     their Redis entries expire, to answer a repeated search without Redis; 0 = none kept
 * @param maxParameters query parameters one search may have; more is a 400
 * @param allowUniversalBelowStudy whether a series or instance search across all studies ({@code /series},
 *     {@code /instances}) may have no matching key; false = such a search is a 400, since it asks every PACS for all
 *     its series or instances and rarely finishes within the config's deadline
 */
@Validated
@ConfigurationProperties("spanner.qido")
public record QidoProperties(
        @NotNull @Min(1) Integer maxLimit,
        @Min(1) Long defaultConfigId,
        @NotNull Boolean answerCacheHits,
        @NotNull @Min(1) Integer queryLogQueue,
        @NotNull Duration configCacheTtl,
        @NotNull DataSize localAnswerCacheSize,
        @NotNull @Min(1) Integer maxParameters,
        @NotNull Boolean allowUniversalBelowStudy) {}
