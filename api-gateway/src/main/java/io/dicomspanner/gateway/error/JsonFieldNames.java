package io.dicomspanner.gateway.error;

import tools.jackson.databind.PropertyNamingStrategies;

/** Turns Java property paths ({@code allowedCallingAeTitles[1]}) into the JSON names clients send. */
final class JsonFieldNames {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    private JsonFieldNames() {}

    static String of(String javaPath) {
        StringBuilder json = new StringBuilder();
        StringBuilder name = new StringBuilder();
        boolean inIndex = false;
        for (int i = 0; i < javaPath.length(); i++) {
            char c = javaPath.charAt(i);
            if (!inIndex && (c == '.' || c == '[')) {
                json.append(SNAKE_CASE.nameForField(null, null, name.toString()));
                name.setLength(0);
                json.append(c);
                inIndex = c == '[';
            } else if (inIndex) {
                json.append(c);
                inIndex = c != ']';
            } else {
                name.append(c);
            }
        }
        return json.append(SNAKE_CASE.nameForField(null, null, name.toString())).toString();
    }
}
