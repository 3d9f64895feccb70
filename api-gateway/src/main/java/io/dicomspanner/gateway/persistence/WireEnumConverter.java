package io.dicomspanner.gateway.persistence;

import io.dicomspanner.common.wire.WireEnum;
import jakarta.persistence.AttributeConverter;

/** Stores an enum as its wire value, so the database reads like the API ({@code partial_results}). */
public abstract class WireEnumConverter<E extends Enum<E>> implements AttributeConverter<E, String> {

    private final Class<E> type;

    protected WireEnumConverter(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value == null ? null : WireEnum.wireOf(value);
    }

    @Override
    public E convertToEntityAttribute(String wire) {
        return wire == null ? null : WireEnum.fromWire(type, wire);
    }
}
