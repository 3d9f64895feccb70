package io.dicomspanner.listener.find;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomParseException;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.service.CFindScp;
import io.dicomspanner.dicom.query.InformationModel;

/**
 * Any C-FIND identifier that the SCP hands on (it parsed, and its Query/Retrieve Level belongs to the SOP class's
 * model) becomes a span query, or is refused with C000 or A900 and an Error Comment; nothing else escapes.
 *
 * <p>The first byte picks the transfer syntax (even: Implicit VR LE, odd: Explicit VR LE) and the information model
 * (byte / 2 modulo the models); the rest is the identifier, as the SCU sent it in its P-DATA.
 */
class IdentifierTranslatorFuzzTest {
    private static final InformationModel[] MODELS = InformationModel.values();

    @FuzzTest
    void everyIdentifierTranslatesOrIsRefusedWithAStatus(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int selector = input[0] & 0xFF;
        TransferSyntax ts = (selector & 1) == 0
                ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN
                : TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        InformationModel model = MODELS[(selector >> 1) % MODELS.length];
        Attributes identifier;
        try {
            identifier = DicomReader.read(input, 1, input.length - 1, ts);
        } catch (DicomParseException e) {
            return; // the SCP refuses it before translation
        }
        String level = CFindScp.queryRetrieveLevel(identifier);
        if (level == null || !model.hasLevelCode(level)) {
            return; // the SCP refuses it before translation
        }
        try {
            IdentifierTranslator.translate(identifier, level, 7);
        } catch (RefusedIdentifierException e) {
            if (e.status() != Status.UNABLE_TO_PROCESS && e.status() != Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS) {
                throw new AssertionError("refused with status " + Status.toString(e.status()), e);
            }
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError("refused without an Error Comment", e);
            }
        }
    }
}
