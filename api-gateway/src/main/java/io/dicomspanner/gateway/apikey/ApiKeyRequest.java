package io.dicomspanner.gateway.apikey;

import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.gateway.validation.OneOf;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** The body of an API key creation. */
public record ApiKeyRequest(
        @NotBlank @Size(max = 128) String name,

        @ArraySchema(schema = @Schema(allowableValues = {"query", "admin"})) @NotEmpty
        List<@NotNull @OneOf(ApiKeyScope.class) String> scopes) {

    Set<ApiKeyScope> scopeSet() {
        Set<ApiKeyScope> set = EnumSet.noneOf(ApiKeyScope.class);
        scopes.forEach(wire -> set.add(WireEnum.fromWire(ApiKeyScope.class, wire)));
        return set;
    }
}
