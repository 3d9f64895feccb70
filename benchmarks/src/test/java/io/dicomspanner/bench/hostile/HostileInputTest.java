package io.dicomspanner.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class HostileInputTest {

    @Test
    void qidoProbesAreRepeatableAndCoverEveryFamilyEvenly() {
        List<QidoProbes.Probe> probes = QidoProbes.generate(7, 1200, "/dicomweb/1", 1);

        assertThat(probes).hasSize(1200).isEqualTo(QidoProbes.generate(7, 1200, "/dicomweb/1", 1));
        assertThat(probes.stream().collect(Collectors.groupingBy(QidoProbes.Probe::family, Collectors.counting())))
                .hasSize(QidoProbes.Family.values().length)
                .allSatisfy((family, count) -> assertThat(count).isEqualTo(100));
        assertThat(probes).allSatisfy(probe -> assertThat(probe.target()).startsWith("/"));
        assertThat(probes)
                .filteredOn(probe -> probe.family() == QidoProbes.Family.BAD_ACCEPT)
                .allSatisfy(probe -> assertThat(probe.accept()).isNotNull());
        assertThat(probes)
                .filteredOn(probe -> probe.family() == QidoProbes.Family.UNKNOWN_PARAMETER)
                .allSatisfy(probe ->
                        assertThat(probe.target()).doesNotContain("?PatientID=").doesNotContain("?00100020="));
        assertThat(probes)
                .filteredOn(probe -> probe.family() == QidoProbes.Family.TOO_MANY_PARAMETERS)
                .allSatisfy(
                        probe -> assertThat(probe.target().split("&").length).isGreaterThan(100));
    }

    @Test
    void theAssociateRequestIsAWellFormedPdu() {
        byte[] rq = DicomProbes.associateRq("SPANNER", "HOSTILE");

        assertThat(rq[0]).isEqualTo((byte) 1);
        assertThat(((rq[2] & 0xFF) << 24 | (rq[3] & 0xFF) << 16 | (rq[4] & 0xFF) << 8 | (rq[5] & 0xFF)))
                .isEqualTo(rq.length - 6);
        assertThat(new String(rq, 10, 16, StandardCharsets.US_ASCII)).isEqualTo("SPANNER         ");
        assertThat(new String(rq, 26, 16, StandardCharsets.US_ASCII)).isEqualTo("HOSTILE         ");
        assertThat(Arrays.stream(DicomProbes.itemStarts(rq))
                        .map(at -> rq[at] & 0xFF)
                        .boxed()
                        .toList())
                .containsExactly(0x10, 0x20, 0x30, 0x40, 0x50, 0x51, 0x52);
    }

    @Test
    void theCFindCommandCarriesItsGroupLengthAndMessageId() {
        byte[] command = DicomProbes.command(0x1234);

        int groupLength = (command[8] & 0xFF) | (command[9] & 0xFF) << 8;
        assertThat(groupLength).isEqualTo(command.length - 12);
        byte[] pData = DicomProbes.pData(1, 0x03, command);
        assertThat(pData[0]).isEqualTo((byte) 4);
        assertThat(pData[10]).as("context id").isEqualTo((byte) 1);
        assertThat(pData[11]).as("command, last fragment").isEqualTo((byte) 3);
    }

    @Test
    void dicomStreamsAreRepeatableWithOneSlowLorisInN() {
        List<DicomProbes.Stream> streams = DicomProbes.generate(3, 1000, "SPANNER", "HOSTILE", 100);
        Map<DicomProbes.Family, Long> byFamily =
                streams.stream().collect(Collectors.groupingBy(DicomProbes.Stream::family, Collectors.counting()));

        assertThat(byFamily.get(DicomProbes.Family.SLOW_LORIS)).isEqualTo(10);
        assertThat(byFamily).hasSize(DicomProbes.Family.values().length);
        assertThat(streams.get(99).dripMillis()).isEqualTo(300);
        assertThat(DicomProbes.generate(3, 1000, "SPANNER", "HOSTILE", 100))
                .extracting(s -> Arrays.toString(s.opening()) + Arrays.toString(s.afterAccept()))
                .isEqualTo(streams.stream()
                        .map(s -> Arrays.toString(s.opening()) + Arrays.toString(s.afterAccept()))
                        .toList());
        assertThat(streams)
                .filteredOn(s -> s.family() == DicomProbes.Family.MALFORMED_C_FIND_IDENTIFIER)
                .allSatisfy(s -> assertThat(s.releaseAfterFind()).isTrue());
    }

    @Test
    void aCFindResponseStatusIsFoundInItsCommand() {
        byte[] body = {0, 0, 0, 6, 1, 3, 0, 0, 0, 9, 2, 0, 0, 0, 0x00, (byte) 0xA9};

        assertThat(DicomProber.commandStatus(body)).isEqualTo(0xA900);
        assertThat(DicomProber.commandStatus(new byte[] {1, 2, 3})).isEqualTo(-1);
    }

    @Test
    void prometheusSamplesAreSummedByNameAndLabel() {
        String exposition = """
                # HELP jvm_memory_used_bytes The amount of used memory
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.5E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.0E7
                spanner_listener_connections_open 3.0
                spanner_listener_connections_open_total 99.0
                """;

        assertThat(Prometheus.sum(exposition, "jvm_memory_used_bytes", "area=\"heap\""))
                .isEqualTo(OptionalDouble.of(3.5E7));
        assertThat(Prometheus.sum(exposition, "spanner_listener_connections_open", ""))
                .isEqualTo(OptionalDouble.of(3.0));
        assertThat(Prometheus.sum(exposition, "no_such_metric", "")).isEmpty();
    }

    @Test
    void aRunIsCleanOnlyWhenEveryFigureIsZero() {
        HostileReport report = new HostileReport();
        report.http(QidoProbes.Family.BAD_PERCENT_ENCODING, 400);
        report.http(QidoProbes.Family.BAD_ACCEPT, 406);
        report.dicom(DicomProbes.Family.SLOW_LORIS, Outcome.REFUSED);
        report.dicom(DicomProbes.Family.ABORT_MID_STREAM, Outcome.CLIENT_WENT_AWAY);
        assertThat(report.clean()).isTrue();
        assertThat(report.render())
                .contains("QIDO-RS requests: 2 (refused 4xx: 2), DICOM connections: 2 (ended by the listener: 1,"
                        + " client went away: 1)")
                .contains("HTTP statuses: 400=1 406=1")
                .endsWith("RESULT: clean (0 of each)\n");

        report.http(QidoProbes.Family.BAD_DATE_TIME_UID, 502);
        report.http(QidoProbes.Family.HUGE_VALUE, -1);
        report.dicom(DicomProbes.Family.TRUNCATED_ASSOCIATE_RQ, Outcome.HANG);
        report.leakedConnections = 2;

        String text = report.render();
        assertThat(report.clean()).isFalse();
        assertThat(text)
                .contains("hangs: 2 (HTTP 1, DICOM 1)")
                .contains("5xx answers: 1")
                .contains("leaked connections (listener gauge after the run): 2")
                .contains("  http BAD_DATE_TIME_UID SERVER_ERROR: 1")
                .contains("  dicom TRUNCATED_ASSOCIATE_RQ HANG: 1")
                .endsWith("RESULT: FINDINGS\n");
    }

    @Test
    void httpStatusesMapToOutcomes() {
        Map<Integer, Outcome> expected = Map.of(
                400, Outcome.REFUSED,
                0, Outcome.REFUSED,
                404, Outcome.REFUSED,
                200, Outcome.ACCEPTED,
                500, Outcome.SERVER_ERROR,
                504, Outcome.SERVER_ERROR,
                -1, Outcome.HANG,
                -2, Outcome.UNREACHABLE);
        assertThat(expected.keySet().stream().collect(Collectors.toMap(Function.identity(), HttpProber::outcomeOf)))
                .isEqualTo(expected);
    }
}
