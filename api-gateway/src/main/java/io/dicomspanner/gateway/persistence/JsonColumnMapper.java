package io.dicomspanner.gateway.persistence;

import org.hibernate.type.descriptor.WrapperOptions;
import org.hibernate.type.descriptor.java.JavaType;
import org.hibernate.type.format.FormatMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes {@code jsonb} columns with the application's own Jackson 3 mapper; Hibernate 7 ships mappers for
 * Jackson 2 and JSON-B only, and the gateway keeps one JSON setup.
 */
final class JsonColumnMapper implements FormatMapper {

    private final JsonMapper jsonMapper;

    JsonColumnMapper(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    @Override
    public <T> T fromString(CharSequence json, JavaType<T> javaType, WrapperOptions options) {
        if (javaType.getJavaTypeClass() == String.class) {
            return javaType.cast(json.toString());
        }
        return jsonMapper.readValue(json.toString(), jsonMapper.constructType(javaType.getJavaType()));
    }

    @Override
    public <T> String toString(T value, JavaType<T> javaType, WrapperOptions options) {
        if (javaType.getJavaTypeClass() == String.class) {
            return (String) value;
        }
        return jsonMapper.writeValueAsString(value);
    }
}
