package io.dicomspanner.dicom.net.pdu;

import java.util.List;
import java.util.Objects;

/**
 * A proposed presentation context (item 20H, PS3.8 §9.3.2.2): an odd ID, one abstract syntax (30H) and the transfer
 * syntaxes (40H) the requestor can use for it, in its order of preference.
 */
public record PresentationContextRq(int id, String abstractSyntax, List<String> transferSyntaxes) {

    public PresentationContextRq {
        checkId(id);
        if ((id & 1) == 0) {
            throw new IllegalArgumentException("presentation context ID " + id + " is even; proposals use odd IDs");
        }
        Objects.requireNonNull(abstractSyntax, "abstractSyntax");
        transferSyntaxes = List.copyOf(transferSyntaxes);
        if (transferSyntaxes.isEmpty()) {
            throw new IllegalArgumentException("presentation context " + id + " proposes no transfer syntax");
        }
    }

    public static PresentationContextRq of(int id, String abstractSyntax, String... transferSyntaxes) {
        return new PresentationContextRq(id, abstractSyntax, List.of(transferSyntaxes));
    }

    static void checkId(int id) {
        if (id < 1 || id > 255) {
            throw new IllegalArgumentException("presentation context ID " + id + " is outside 1-255");
        }
    }
}
