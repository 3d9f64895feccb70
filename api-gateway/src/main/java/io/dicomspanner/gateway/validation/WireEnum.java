package io.dicomspanner.gateway.validation;

import com.fasterxml.jackson.annotation.JsonValue;

/** An enum whose constants travel as lower-case words ({@code partial_results}) in JSON and in the database. */
public interface WireEnum {

    @JsonValue
    String wire();

    /** The constant of {@code type} whose wire value is {@code wire}. */
    static <E extends Enum<E> & WireEnum> E fromWire(Class<E> type, String wire) {
        for (E constant : type.getEnumConstants()) {
            if (constant.wire().equals(wire)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("No " + type.getSimpleName() + " is called '" + wire + "'");
    }

    /** The wire values of {@code type}, comma-separated, for messages. */
    static String wireValues(Class<? extends WireEnum> type) {
        StringBuilder values = new StringBuilder();
        for (WireEnum constant : type.getEnumConstants()) {
            if (!values.isEmpty()) {
                values.append(", ");
            }
            values.append(constant.wire());
        }
        return values.toString();
    }
}
