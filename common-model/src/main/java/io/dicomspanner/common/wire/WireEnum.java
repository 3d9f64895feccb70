package io.dicomspanner.common.wire;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The one rule by which enum constants of the admin API and the database travel: the lower-case constant name
 * ({@code PARTIAL_RESULTS} is {@code partial_results}). Enums that the admin API and the shared tables carry implement
 * this interface so Jackson writes them that way; the static methods apply the rule to any enum, including those that
 * cannot implement it ({@code QueryLevel}, {@code EntryPoint}).
 */
public interface WireEnum {

    @JsonValue
    default String wire() {
        return wireOf((Enum<?>) this);
    }

    /** The wire value of any enum constant. */
    static String wireOf(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /**
     * The constant of {@code type} whose wire value is {@code wire}.
     *
     * @throws IllegalArgumentException naming the type and the value, for any other value
     */
    static <E extends Enum<E>> E fromWire(Class<E> type, String wire) {
        for (E constant : type.getEnumConstants()) {
            if (wireOf(constant).equals(wire)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("No " + type.getSimpleName() + " is called '" + wire + "'");
    }

    /** The wire values of {@code type}, comma-separated, for messages. */
    static String wireValues(Class<? extends Enum<?>> type) {
        StringBuilder values = new StringBuilder();
        for (Enum<?> constant : type.getEnumConstants()) {
            if (!values.isEmpty()) {
                values.append(", ");
            }
            values.append(wireOf(constant));
        }
        return values.toString();
    }
}
