package io.dicomspanner.gateway.config;

import io.dicomspanner.common.config.DeduplicationStrategy;
import io.dicomspanner.common.config.FailureStrategy;
import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.gateway.error.InvalidRequestException;
import io.dicomspanner.gateway.source.SourceLabels;
import io.dicomspanner.gateway.validation.AeTitle;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Objects;
import org.hibernate.validator.constraints.Range;

/** The body of a create or replace of a spanner config; absent optional fields take their defaults. */
public record SpannerConfigRequest(
        @NotBlank @Size(max = 128) String name,
        @Schema(defaultValue = "") @Size(max = 2000) String description,
        @Schema(defaultValue = "true") Boolean enabled,

        @Schema(defaultValue = "8") @Range(min = 1, max = 256)
        Integer maxConcurrentSources,

        @Schema(defaultValue = "30") @Range(min = 1, max = 3600)
        Integer timeoutSeconds,

        @Schema(defaultValue = "1") @Range(min = 0, max = 10)
        Integer retryAttempts,

        @Schema(
                defaultValue = "partial_results",
                allowableValues = {"partial_results", "fail_fast", "minimum_threshold"})
        @OneOf(FailureStrategy.class)
        String failureStrategy,

        @Schema(description = "Sources that must answer; required with, and only allowed with, minimum_threshold")
        @Range(min = 1, max = 1000)
        Integer minimumSuccessThreshold,

        @Schema(defaultValue = "true") Boolean deduplicationEnabled,

        @Schema(
                defaultValue = "first_wins",
                allowableValues = {"first_wins", "most_complete", "merge_all"})
        @OneOf(DeduplicationStrategy.class)
        String deduplicationStrategy,

        @Schema(defaultValue = "300") @Range(min = 0, max = 86400)
        Integer cacheTtlSeconds,

        @Schema(description = "AE title the DIMSE SCP listener answers under for this config; none by default") @AeTitle
        String scpAeTitle,

        @Schema(description = "Calling AE titles the SCP accepts for this config; empty accepts any") @Size(max = 1000)
        List<@NotNull @AeTitle String> allowedCallingAeTitles,

        @Schema(
                defaultValue = "true",
                description = "Always true: every config spans through the worker fleet; false is refused")
        Boolean enterpriseMode,

        @ArraySchema(
                schema = @Schema(description = "A source location", example = "north-campus"),
                arraySchema =
                        @Schema(
                                defaultValue = "[]",
                                description = "Besides the mapped sources, every enabled source of these locations"))
        @Size(max = SourceLabels.MAX_SELECTED)
        List<
                        @NotNull @Size(max = SourceLabels.MAX_LENGTH)
                        @Pattern(regexp = SourceLabels.PATTERN, message = SourceLabels.PATTERN_MESSAGE) String>
                includeLocations,

        @ArraySchema(
                schema = @Schema(description = "A source tag", example = "radiology"),
                arraySchema =
                        @Schema(
                                defaultValue = "[]",
                                description =
                                        "Besides the mapped sources, every enabled source with one of these tags"))
        @Size(max = SourceLabels.MAX_SELECTED)
        List<
                        @NotNull @Size(max = SourceLabels.MAX_LENGTH)
                        @Pattern(regexp = SourceLabels.PATTERN, message = SourceLabels.PATTERN_MESSAGE) String>
                includeTags) {

    static final int DEFAULT_MAX_CONCURRENT_SOURCES = 8;
    static final int DEFAULT_TIMEOUT_SECONDS = 30;
    static final int DEFAULT_RETRY_ATTEMPTS = 1;
    static final int DEFAULT_CACHE_TTL_SECONDS = 300;

    /** The settings to store; checks the rules that span fields, which annotations cannot. */
    SpannerConfigSettings withDefaults() {
        FailureStrategy failure = failureStrategy == null
                ? FailureStrategy.PARTIAL_RESULTS
                : WireEnum.fromWire(FailureStrategy.class, failureStrategy);
        InvalidRequestException.Collector problems = new InvalidRequestException.Collector();
        if (failure == FailureStrategy.MINIMUM_THRESHOLD && minimumSuccessThreshold == null) {
            problems.add("minimum_success_threshold", "is required when failure_strategy is minimum_threshold");
        }
        if (failure != FailureStrategy.MINIMUM_THRESHOLD && minimumSuccessThreshold != null) {
            problems.add("minimum_success_threshold", "is only allowed when failure_strategy is minimum_threshold");
        }
        if (Boolean.FALSE.equals(enterpriseMode)) {
            problems.add(
                    "enterprise_mode",
                    "false is not supported: every config spans through the worker fleet (omit the field or send"
                            + " true)");
        }
        problems.throwIfAny();
        return new SpannerConfigSettings(
                name.strip(),
                Objects.requireNonNullElse(description, ""),
                Objects.requireNonNullElse(enabled, true),
                Objects.requireNonNullElse(maxConcurrentSources, DEFAULT_MAX_CONCURRENT_SOURCES),
                Objects.requireNonNullElse(timeoutSeconds, DEFAULT_TIMEOUT_SECONDS),
                Objects.requireNonNullElse(retryAttempts, DEFAULT_RETRY_ATTEMPTS),
                failure,
                minimumSuccessThreshold,
                Objects.requireNonNullElse(deduplicationEnabled, true),
                deduplicationStrategy == null
                        ? DeduplicationStrategy.FIRST_WINS
                        : WireEnum.fromWire(DeduplicationStrategy.class, deduplicationStrategy),
                Objects.requireNonNullElse(cacheTtlSeconds, DEFAULT_CACHE_TTL_SECONDS),
                scpAeTitle == null ? null : scpAeTitle.strip(),
                allowedCallingAeTitles == null
                        ? List.of()
                        : allowedCallingAeTitles.stream()
                                .map(String::strip)
                                .distinct()
                                .toList(),
                includeLocations == null
                        ? List.of()
                        : includeLocations.stream().distinct().toList(),
                includeTags == null
                        ? List.of()
                        : includeTags.stream().distinct().toList());
    }
}
