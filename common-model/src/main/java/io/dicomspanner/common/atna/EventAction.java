package io.dicomspanner.common.atna;

/** {@code EventActionCode}: what the audited event did to its objects. */
public enum EventAction {
    CREATE("C"),
    READ("R"),
    UPDATE("U"),
    DELETE("D"),
    EXECUTE("E");

    private final String code;

    EventAction(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
