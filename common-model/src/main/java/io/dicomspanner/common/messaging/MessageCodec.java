package io.dicomspanner.common.messaging;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON form of the messages between the services (RabbitMQ bodies) and of the documents they share in Redis
 * (query status, shared answers, source health): the records' own component names ({@code queryId}), enums by name,
 * {@code byte[]} as base64. Reading skips fields it does not know, because the contracts grow additively and a newer
 * service may write a field an older one does not have yet.
 *
 * <p>Independent of the services' HTTP mappers (the gateway writes snake_case for API clients): their settings must
 * not change what travels between services. Immutable and thread-safe.
 */
public final class MessageCodec {

    private static final MessageCodec INSTANCE = new MessageCodec();

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private MessageCodec() {}

    /** The codec; every service uses this one. */
    public static MessageCodec instance() {
        return INSTANCE;
    }

    public byte[] write(Object message) {
        return mapper.writeValueAsBytes(message);
    }

    public String writeString(Object message) {
        return mapper.writeValueAsString(message);
    }

    /** @throws tools.jackson.core.JacksonException when {@code json} is not a {@code type} */
    public <T> T read(byte[] json, Class<T> type) {
        return mapper.readValue(json, type);
    }

    /** @throws tools.jackson.core.JacksonException when {@code json} is not a {@code type} */
    public <T> T read(String json, Class<T> type) {
        return mapper.readValue(json, type);
    }

    public JsonNode readTree(String json) {
        return mapper.readTree(json);
    }

    /** The mapper behind the codec, for the AMQP message converter ({@link TopologyDeclarations#messageConverter}). */
    public JsonMapper mapper() {
        return mapper;
    }
}
