package io.dicomspanner.common.atna;

/** {@code NetworkAccessPointTypeCode}: what kind of address {@code NetworkAccessPointID} is. */
public enum NetworkAccessPointType {
    MACHINE_NAME("1"),
    IP_ADDRESS("2"),
    TELEPHONE_NUMBER("3"),
    EMAIL_ADDRESS("4"),
    URI("5");

    private final String code;

    NetworkAccessPointType(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** An IP address (a colon or only digits and dots) or else a machine name. */
    public static NetworkAccessPointType of(String address) {
        return address.indexOf(':') >= 0 || address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))
                ? IP_ADDRESS
                : MACHINE_NAME;
    }
}
