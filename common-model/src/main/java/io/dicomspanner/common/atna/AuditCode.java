package io.dicomspanner.common.atna;

import java.util.Objects;

/**
 * A coded value of an audit message: {@code csd-code}, {@code codeSystemName} and {@code originalText} (the DICOM Code
 * Meaning). The constants are the codes this product writes, from DICOM's DCM scheme (PS3.16) and RFC 3881.
 */
public record AuditCode(String code, String codeSystemName, String originalText) {

    public AuditCode {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(codeSystemName, "codeSystemName");
        Objects.requireNonNull(originalText, "originalText");
    }

    static AuditCode dcm(String code, String meaning) {
        return new AuditCode(code, "DCM", meaning);
    }

    // Event IDs (CID 400)
    public static final AuditCode APPLICATION_ACTIVITY = dcm("110100", "Application Activity");
    public static final AuditCode QUERY = dcm("110112", "Query");
    public static final AuditCode SECURITY_ALERT = dcm("110113", "Security Alert");
    public static final AuditCode USER_AUTHENTICATION = dcm("110114", "User Authentication");

    // Event type codes (CIDs 401, 403, 404)
    public static final AuditCode APPLICATION_START = dcm("110120", "Application Start");
    public static final AuditCode APPLICATION_STOP = dcm("110121", "Application Stop");
    public static final AuditCode LOGIN = dcm("110122", "Login");
    public static final AuditCode LOGOUT = dcm("110123", "Logout");
    public static final AuditCode NODE_AUTHENTICATION = dcm("110126", "Node Authentication");
    public static final AuditCode NETWORK_CONFIGURATION = dcm("110128", "Network Configuration");
    public static final AuditCode SECURITY_CONFIGURATION = dcm("110129", "Security Configuration");
    public static final AuditCode USE_OF_RESTRICTED_FUNCTION = dcm("110132", "Use of Restricted Function");
    public static final AuditCode USER_SECURITY_ATTRIBUTES_CHANGED = dcm("110137", "User Security Attributes Changed");

    // Active participant role ID codes (CID 402)
    public static final AuditCode APPLICATION = dcm("110150", "Application");
    public static final AuditCode APPLICATION_LAUNCHER = dcm("110151", "Application Launcher");
    public static final AuditCode DESTINATION_ROLE = dcm("110152", "Destination Role ID");
    public static final AuditCode SOURCE_ROLE = dcm("110153", "Source Role ID");

    // Participant object ID type codes
    public static final AuditCode SOP_CLASS_UID = dcm("110181", "SOP Class UID");
    public static final AuditCode URI = new AuditCode("12", "RFC-3881", "URI");
    public static final AuditCode USER_IDENTIFIER = new AuditCode("11", "RFC-3881", "User Identifier");
}
