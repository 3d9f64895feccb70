package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A PACS never receives more associations from the whole worker fleet than its {@code max_associations}: three worker
 * processes serve one source whose PACS accepts 4 associations at once and rejects the fifth, and 40 different queries
 * arrive at once, each answered only after {@value #LATENCY_MILLIS} ms. Counted on the PACS's side by the simulator.
 * Without the fleet-wide leases each worker would open up to 4, 12 in all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetAssociationLimitTest {

    @RegisterExtension
    static final Fleet FLEET = new Fleet("assoc");

    private static final int MAX_ASSOCIATIONS = 4;
    private static final int WORKERS = 3;
    private static final int QUERIES = 40;
    private static final int LATENCY_MILLIS = 400;

    private SimulatorProcess simulator;
    private SimulatorProcess.Pacs pacs;
    private final List<Fleet.Service> workers = new ArrayList<>();
    private long configId;

    @BeforeAll
    void startFleet() throws Exception {
        simulator = FLEET.startSimulator(
                1,
                200,
                List.of(
                        "--latency-ms", Integer.toString(LATENCY_MILLIS),
                        "--max-associations", Integer.toString(MAX_ASSOCIATIONS)));
        pacs = simulator.pacs().get(0);
        long source = FLEET.registerSource(
                pacs.name(),
                pacs.aeTitle(),
                pacs.host(),
                pacs.port(),
                Map.of("max_associations", MAX_ASSOCIATIONS, "query_timeout_seconds", 60));
        configId = FLEET.createConfig("Limited", Fleet.comparedConfig(Map.of("timeout_seconds", 60)));
        FLEET.mapSources(configId, List.of(source));
        FLEET.startCoordinator("spanner-coordinator");
        for (int i = 1; i <= WORKERS; i++) {
            workers.add(FLEET.startWorker("dimse-query-worker-" + i, List.of(source), Map.of()));
        }
    }

    /** Studies per patient, asked of the PACS alone on one association: the expected answers. */
    private Map<String, Integer> studiesPerPatient() throws Exception {
        Map<String, Integer> studies = new LinkedHashMap<>();
        try (DirectFind direct = new DirectFind()) {
            List<Attributes> all = direct.find(
                    new DirectFind.Pacs(pacs.aeTitle(), pacs.host(), pacs.port()),
                    "STUDY",
                    DirectFind.keys("PatientID", "", "StudyInstanceUID", ""));
            for (Attributes study : all) {
                studies.merge(study.getString(Tag.PATIENT_ID), 1, Integer::sum);
            }
        }
        return studies;
    }

    private double onWorkers(String metric) throws Exception {
        double sum = 0;
        for (Fleet.Service w : workers) {
            sum += FLEET.metric(w, metric, "");
        }
        return sum;
    }

    @Test
    void fortyConcurrentQueriesAreAllAnsweredWhileThePacsNeverSeesMoreThanItsFourAssociations() throws Exception {
        Map<String, Integer> expected = studiesPerPatient();
        List<String> patients = expected.keySet().stream().limit(QUERIES).toList();
        assertThat(patients).hasSize(QUERIES);
        assertThat(simulator.associations(pacs.name()))
                .as("before the queries: the one direct C-FIND")
                .isEqualTo(new SimulatorProcess.Associations(1, 0));

        List<HttpAnswer> answers = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(QUERIES);
        try {
            List<Future<HttpAnswer>> futures = new ArrayList<>();
            for (String patient : patients) {
                futures.add(clients.submit(() -> FLEET.get("/api/v1/spanner/qido/studies?PatientID=" + patient
                        + "&includefield=StudyDate&spanner_config_id=" + configId)));
            }
            for (Future<HttpAnswer> f : futures) {
                answers.add(f.get());
            }
        } finally {
            clients.shutdownNow();
        }

        for (int i = 0; i < QUERIES; i++) {
            HttpAnswer a = answers.get(i);
            String patient = patients.get(i);
            assertThat(a.status()).as(a.toString()).isEqualTo(200);
            assertThat(a.header("Warning")).as("warning of query %d", i).isNull();
            assertThat(a.dicom())
                    .as("studies of patient %d", i)
                    .hasSize(expected.get(patient))
                    .allSatisfy(
                            study -> assertThat(study.getString(Tag.PATIENT_ID)).isEqualTo(patient));
        }
        assertThat(simulator.associations(pacs.name()))
                .as("most associations the PACS held at once, and those it rejected")
                .isEqualTo(new SimulatorProcess.Associations(MAX_ASSOCIATIONS, 0));
        assertThat(onWorkers("spanner_worker_association_wait_seconds_count"))
                .as("C-FINDs that asked for an association, across the workers")
                .isGreaterThanOrEqualTo(QUERIES);
        assertThat(onWorkers("spanner_worker_association_wait_seconds_sum"))
                .as("seconds C-FINDs waited for a free association, across the workers")
                .isGreaterThan(0);
        assertThat(onWorkers("spanner_worker_association_waiting"))
                .as("still waiting")
                .isZero();
    }
}
