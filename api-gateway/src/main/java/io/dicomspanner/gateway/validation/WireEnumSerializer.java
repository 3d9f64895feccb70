package io.dicomspanner.gateway.validation;

import io.dicomspanner.common.wire.WireEnum;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/** Writes a shared enum (one that cannot implement {@link WireEnum}) by the wire rule, for {@code @JsonSerialize}. */
public class WireEnumSerializer extends ValueSerializer<Enum<?>> {

    @Override
    public void serialize(Enum<?> value, JsonGenerator generator, SerializationContext context) {
        generator.writeString(WireEnum.wireOf(value));
    }
}
