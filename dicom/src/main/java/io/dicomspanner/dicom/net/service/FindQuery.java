package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.net.Priority;
import io.dicomspanner.dicom.net.SopClasses;
import java.time.Duration;
import java.util.Objects;

/**
 * One C-FIND to send: information model, priority, the identifier (query keys, QueryRetrieveLevel included), and
 * limits that override the association's {@link io.dicomspanner.dicom.net.DicomSettings}.
 *
 * @param keys the identifier; not copied, so do not change it until the request is sent
 * @param operationTimeout bound on the whole operation, or {@code null} for the settings' operation timeout
 * @param responseTimeout bound on the silence between responses, or {@code null} for the settings' response timeout
 * @param maxMatches after this many matches C-CANCEL is sent and no more are delivered; 0 = no limit
 */
public record FindQuery(
        String sopClassUid,
        Priority priority,
        Attributes keys,
        Duration operationTimeout,
        Duration responseTimeout,
        int maxMatches) {

    public FindQuery {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(keys, "keys");
        if (maxMatches < 0) {
            throw new IllegalArgumentException("maxMatches " + maxMatches + " is negative");
        }
    }

    public static FindQuery of(String sopClassUid, Attributes keys) {
        return new FindQuery(sopClassUid, Priority.MEDIUM, keys, null, null, 0);
    }

    public static FindQuery studyRoot(Attributes keys) {
        return of(SopClasses.STUDY_ROOT_QUERY_FIND, keys);
    }

    public static FindQuery patientRoot(Attributes keys) {
        return of(SopClasses.PATIENT_ROOT_QUERY_FIND, keys);
    }

    public FindQuery withPriority(Priority p) {
        return new FindQuery(sopClassUid, p, keys, operationTimeout, responseTimeout, maxMatches);
    }

    public FindQuery withTimeouts(Duration operation, Duration response) {
        return new FindQuery(sopClassUid, priority, keys, operation, response, maxMatches);
    }

    public FindQuery withMaxMatches(int max) {
        return new FindQuery(sopClassUid, priority, keys, operationTimeout, responseTimeout, max);
    }
}
