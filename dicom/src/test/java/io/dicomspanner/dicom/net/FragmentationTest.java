package io.dicomspanner.dicom.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.pdu.AAbort;
import io.dicomspanner.dicom.net.pdu.InvalidPduException;
import io.dicomspanner.dicom.net.pdu.PDataTf;
import io.dicomspanner.dicom.net.pdu.Pdv;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MessageWriter cuts messages at the peer's maximum PDU length; DimseAssembler joins them and polices the order. */
class FragmentationTest {

    static List<PDataTf> written(byte[] command, byte[] dataset, int maxPdu) {
        EmbeddedChannel ch = new EmbeddedChannel();
        MessageWriter.write(ch, 3, command, dataset, maxPdu);
        List<PDataTf> out = new ArrayList<>();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            out.add((PDataTf) o);
        }
        return out;
    }

    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    @Test
    void smallCommandAndDataSetShareOnePdu() {
        byte[] command = bytes(80, 1);
        byte[] dataset = bytes(300, 2);

        assertThat(written(command, dataset, 16384))
                .containsExactly(PDataTf.of(new Pdv(3, true, true, command), new Pdv(3, false, true, dataset)));
    }

    @Test
    void dataSetLargerThanThePduIsCutIntoFragmentsThatFillEachPdu() {
        byte[] command = bytes(80, 1);
        byte[] dataset = bytes(10_000, 2);

        List<PDataTf> pdus = written(command, dataset, 4096);

        assertThat(pdus).allSatisfy(p -> assertThat(p.variableFieldLength()).isLessThanOrEqualTo(4096));
        assertThat(pdus.get(0).pdvs()).containsExactly(new Pdv(3, true, true, command));
        List<Pdv> data = pdus.stream().skip(1).flatMap(p -> p.pdvs().stream()).toList();
        assertThat(data).extracting(p -> p.fragment().length).containsExactly(4090, 4090, 1820);
        assertThat(data).extracting(Pdv::last).containsExactly(false, false, true);
        assertThat(data).noneMatch(Pdv::command);
    }

    @Test
    void assemblerJoinsFragmentsBackIntoTheMessage() throws Exception {
        Attributes command =
                Commands.findRq(SopClasses.STUDY_ROOT_QUERY_FIND, Priority.LOW).setInt(Tag.MESSAGE_ID, VR.US, 9);
        byte[] dataset = bytes(10_000, 5);
        DimseAssembler assembler = new DimseAssembler(1 << 20);
        List<DimseAssembler.Assembled> done = new ArrayList<>();

        for (PDataTf p : written(Commands.encode(command), dataset, 1000)) {
            for (Pdv pdv : p.pdvs()) {
                DimseAssembler.Assembled a = assembler.add(pdv);
                if (a != null) {
                    done.add(a);
                }
            }
        }

        assertThat(done).singleElement().satisfies(a -> {
            assertThat(a.presentationContextId()).isEqualTo(3);
            assertThat(a.command().getInt(Tag.MESSAGE_ID, -1)).isEqualTo(9);
            assertThat(a.command().getInt(Tag.PRIORITY, -1)).isEqualTo(Priority.LOW.code());
            assertThat(a.dataset()).isEqualTo(dataset);
        });
        assertThat(assembler.inProgress()).isFalse();
    }

    @Test
    void commandGroupLengthIsComputedAndFirst() {
        byte[] encoded = Commands.encode(Commands.echoRq().setInt(Tag.MESSAGE_ID, VR.US, 1));
        Attributes decoded = Commands.decode(encoded);

        assertThat(decoded.tagAt(0)).isEqualTo(Tag.COMMAND_GROUP_LENGTH);
        assertThat(decoded.getInt(Tag.COMMAND_GROUP_LENGTH, -1)).isEqualTo(encoded.length - 12);
        // (0000,0002) UI 18 bytes, (0000,0100), (0000,0110), (0000,0800) US: 8 + 18 + 3 * (8 + 2)
        assertThat(encoded.length - 12).isEqualTo(56);
    }

    @Test
    void fragmentOfAnotherContextInsideAMessageIsRefusedAsInterleaving() throws Exception {
        DimseAssembler assembler = new DimseAssembler(1 << 20);
        assembler.add(new Pdv(3, true, false, bytes(10, 1)));

        assertThatThrownBy(() -> assembler.add(new Pdv(5, true, true, bytes(10, 1))))
                .isInstanceOf(InvalidPduException.class)
                .hasMessage("a fragment on presentation context 5 arrived inside a message on context 3:"
                        + " messages must not interleave")
                .extracting(e -> ((InvalidPduException) e).abortReason())
                .isEqualTo(AAbort.REASON_UNEXPECTED_PDU_PARAMETER);
    }

    @Test
    void dataSetFragmentAfterACommandWithoutDataSetIsRefused() throws Exception {
        DimseAssembler assembler = new DimseAssembler(1 << 20);
        byte[] echo = Commands.encode(Commands.echoRq().setInt(Tag.MESSAGE_ID, VR.US, 1));
        assertThat(assembler.add(new Pdv(1, true, true, echo)).dataset()).isNull();

        assertThatThrownBy(() -> assembler.add(new Pdv(1, false, true, bytes(4, 0))))
                .isInstanceOf(InvalidPduException.class)
                .hasMessage("a data set fragment arrived before any command");
    }

    @Test
    void messageOverTheBoundIsRefusedBeforeItIsBuffered() throws Exception {
        DimseAssembler assembler = new DimseAssembler(1000);
        assembler.add(new Pdv(1, true, false, bytes(600, 0)));

        assertThatThrownBy(() -> assembler.add(new Pdv(1, true, false, bytes(600, 0))))
                .isInstanceOf(DicomNetworkException.class)
                .hasMessage("DIMSE message exceeds the maximum message size of 1000 bytes (1200 so far)");
    }
}
