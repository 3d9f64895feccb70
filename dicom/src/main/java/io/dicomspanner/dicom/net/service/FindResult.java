package io.dicomspanner.dicom.net.service;

import io.dicomspanner.dicom.data.Attributes;
import java.util.List;

/** The collected matches of a C-FIND and how it ended. */
public record FindResult(FindOutcome outcome, List<Attributes> matches) {
    public FindResult {
        matches = List.copyOf(matches);
    }

    public int status() {
        return outcome.status();
    }
}
