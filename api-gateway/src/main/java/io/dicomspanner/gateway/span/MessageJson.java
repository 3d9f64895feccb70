package io.dicomspanner.gateway.span;

import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON form of the common-model contracts on RabbitMQ and in Redis: the records' own component names
 * ({@code queryId}, {@code deadlineEpochMillis}), enums by name, {@code byte[]} as base64. Kept apart from the HTTP
 * mapper, which writes snake_case for API clients.
 *
 * <p>Reading is lenient in two ways, because other services write these documents: unknown fields are skipped (the
 * contracts grow additively) and snake_case names are accepted as well as the component names.
 */
@Component
public class MessageJson {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] write(Object message) {
        return mapper.writeValueAsBytes(message);
    }

    public <T> T read(byte[] json, Class<T> type) {
        return mapper.treeToValue(camelCaseNames(mapper.readTree(json)), type);
    }

    public <T> T read(String json, Class<T> type) {
        return mapper.treeToValue(camelCaseNames(mapper.readTree(json)), type);
    }

    public JsonNode readTree(String json) {
        return mapper.readTree(json);
    }

    /** The tree with every object member named in camelCase ({@code query_id} becomes {@code queryId}). */
    static JsonNode camelCaseNames(JsonNode node) {
        if (node instanceof ObjectNode object) {
            ObjectNode renamed = object.objectNode();
            for (Map.Entry<String, JsonNode> member : object.properties()) {
                renamed.set(camelCase(member.getKey()), camelCaseNames(member.getValue()));
            }
            return renamed;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode renamed = array.arrayNode();
            array.forEach(element -> renamed.add(camelCaseNames(element)));
            return renamed;
        }
        return node;
    }

    static String camelCase(String name) {
        if (name.indexOf('_') < 0) {
            return name;
        }
        StringBuilder camel = new StringBuilder(name.length());
        boolean upper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '_') {
                upper = camel.length() > 0;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.toString();
    }
}
