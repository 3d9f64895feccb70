package io.dicomspanner.gateway.apikey;

import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The body of an API key creation; the limits are optional ({@link ApiKeyAccessRequest} says what they mean).
 */
public record ApiKeyRequest(
        @NotBlank @Size(max = 128) String name,

        @ArraySchema(schema = @Schema(allowableValues = {"query", "admin"})) @NotEmpty
        List<@NotNull @OneOf(ApiKeyScope.class) String> scopes,

        @Size(max = ApiKeyAccessRequest.MAX_CONFIGS) List<@NotNull Long> allowedConfigIds,

        @Min(0) @Max(KeyLimitsPolicy.MAX_QUERIES_PER_SECOND) Integer queriesPerSecond,

        @Min(0) @Max(KeyLimitsPolicy.MAX_QUERIES_IN_FLIGHT) Integer queriesInFlight) {

    /** A key that may search every config, at the gateway's default limits. */
    public ApiKeyRequest(String name, List<String> scopes) {
        this(name, scopes, null, null, null);
    }

    Set<ApiKeyScope> scopeSet() {
        Set<ApiKeyScope> set = EnumSet.noneOf(ApiKeyScope.class);
        scopes.forEach(wire -> set.add(WireEnum.fromWire(ApiKeyScope.class, wire)));
        return set;
    }

    ApiKeyAccessRequest access() {
        return new ApiKeyAccessRequest(allowedConfigIds, queriesPerSecond, queriesInFlight);
    }
}
