package io.dicomspanner.listener.testing;

import io.dicomspanner.dicom.interop.Findscu;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What findscu run with {@code -d} prints of the final response: the status as "DIMSE Status : 0xa900: ..." (its
 * "Received Final Find Response" line then names none) and the status detail with Error Comment and Offending Element.
 */
public final class FindscuDebugLog {

    private static final Pattern STATUS = Pattern.compile("DIMSE Status\\s*: 0x([0-9a-fA-F]{4})");

    private FindscuDebugLog() {}

    /** The status of the last response, or {@link Findscu#NO_FINAL_RESPONSE}. */
    public static int finalStatus(Findscu.Result result) {
        Matcher m = STATUS.matcher(result.log());
        int status = Findscu.NO_FINAL_RESPONSE;
        while (m.find()) {
            status = Integer.parseInt(m.group(1), 16);
        }
        return status;
    }
}
