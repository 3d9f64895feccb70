package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.PDataTf;
import io.dicomspanner.dicom.net.pdu.Pdv;
import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts one DIMSE message into P-DATA-TF PDUs no longer than the peer's maximum: the command, then the data set, each
 * in fragments, the last of each flagged. A small command and data set share one PDU. Called on the event loop, it
 * writes the whole message before anything else can be written, so messages never interleave.
 */
final class MessageWriter {
    private MessageWriter() {}

    /** @param maxPduLength the largest P-DATA-TF variable field the peer accepts */
    static void write(Channel channel, int presentationContextId, byte[] command, byte[] dataset, int maxPduLength) {
        List<Pdv> pdvs = new ArrayList<>(2);
        int used = 0;
        for (int part = 0; part < 2; part++) {
            byte[] bytes = part == 0 ? command : dataset;
            if (bytes == null) {
                continue;
            }
            if (!pdvs.isEmpty() && used + Pdv.HEADER_LENGTH + bytes.length > maxPduLength) {
                channel.write(new PDataTf(pdvs));
                pdvs = new ArrayList<>(2);
                used = 0;
            }
            int off = 0;
            do {
                int room = maxPduLength - used - Pdv.HEADER_LENGTH;
                if (room <= 0 && !pdvs.isEmpty()) {
                    channel.write(new PDataTf(pdvs));
                    pdvs = new ArrayList<>(2);
                    used = 0;
                    continue;
                }
                int n = Math.min(Math.max(room, 1), bytes.length - off);
                boolean last = off + n == bytes.length;
                byte[] fragment = off == 0 && last ? bytes : Arrays.copyOfRange(bytes, off, off + n);
                pdvs.add(new Pdv(presentationContextId, part == 0, last, fragment));
                used += Pdv.HEADER_LENGTH + n;
                off += n;
            } while (off < bytes.length);
        }
        if (!pdvs.isEmpty()) {
            channel.write(new PDataTf(pdvs));
        }
        channel.flush();
    }
}
