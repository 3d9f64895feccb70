package io.dicomspanner.dicom.net.pdu;

import java.util.List;

/** P-DATA-TF (PS3.8 §9.3.5): one or more PDVs, each a fragment of a command or data set. */
public record PDataTf(List<Pdv> pdvs) implements Pdu {

    public PDataTf {
        pdvs = List.copyOf(pdvs);
        if (pdvs.isEmpty()) {
            throw new IllegalArgumentException("a P-DATA-TF carries at least one PDV");
        }
    }

    public static PDataTf of(Pdv... pdvs) {
        return new PDataTf(List.of(pdvs));
    }

    @Override
    public PduType type() {
        return PduType.P_DATA_TF;
    }

    /** The PDU-length field: the bytes of every PDV item. This is what the peer's maximum length limits. */
    public int variableFieldLength() {
        int n = 0;
        for (Pdv pdv : pdvs) {
            n += pdv.encodedLength();
        }
        return n;
    }
}
