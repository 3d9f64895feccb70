package io.dicomspanner.bench.load;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRejectedException;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a user does by hand today: the same query asked of each PACS alone, one after the other, each on an association
 * of its own (as {@code findscu} does), with the time of each step.
 */
public final class SequentialBaseline {
    private static final long STEP_TIMEOUT_SECONDS = 60;

    private final DicomClient client;

    public SequentialBaseline(DicomClient client) {
        this.client = client;
    }

    /** One PACS's part of one query. */
    record PacsTime(String pacs, long associateMicros, long findMicros, long releaseMicros, int matches, int status) {
        long totalMicros() {
            return associateMicros + findMicros + releaseMicros;
        }
    }

    /** One query asked of every PACS in turn. */
    record QueryTimes(List<PacsTime> pacs) {
        /** Time to the last PACS's answer: the sum of every PACS's association, C-FIND and release. */
        long sequentialMicros() {
            return pacs.stream().mapToLong(PacsTime::totalMicros).sum();
        }

        /** The slowest single PACS's C-FIND (request to final response, on an open association). */
        long slowestFindMicros() {
            return pacs.stream().mapToLong(PacsTime::findMicros).max().orElse(0);
        }

        boolean allSucceeded() {
            return pacs.stream().allMatch(p -> p.status() == 0);
        }
    }

    QueryTimes ask(List<SourceEndpoint> sources, Attributes identifier) throws InterruptedException {
        List<PacsTime> times = new ArrayList<>();
        for (SourceEndpoint source : sources) {
            times.add(askOne(source, identifier));
        }
        return new QueryTimes(times);
    }

    private PacsTime askOne(SourceEndpoint source, Attributes identifier) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            Association as = connect(source);
            long t1 = System.nanoTime();
            FindResult result =
                    CFindScu.findAll(as, FindQuery.studyRoot(identifier)).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long t2 = System.nanoTime();
            as.release().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long t3 = System.nanoTime();
            return new PacsTime(
                    source.name(),
                    (t1 - t0) / 1000,
                    (t2 - t1) / 1000,
                    (t3 - t2) / 1000,
                    result.matches().size(),
                    result.status());
        } catch (ExecutionException | TimeoutException e) {
            return new PacsTime(source.name(), (System.nanoTime() - t0) / 1000, 0, 0, 0, -1);
        }
    }

    /**
     * Opens an association, trying again for up to {@link #STEP_TIMEOUT_SECONDS} while the PACS rejects it for its
     * association limit: right after a load run the spanner's workers still hold idle pooled associations to it.
     */
    private Association connect(SourceEndpoint source)
            throws InterruptedException, ExecutionException, TimeoutException {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(STEP_TIMEOUT_SECONDS);
        while (true) {
            try {
                return client.connect(source.peer()).get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof AssociationRejectedException) || System.nanoTime() > giveUp) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    /**
     * Patient IDs of the studies one PACS holds from 2012 to 2025 (the simulated population's years), in the order
     * found, each once.
     */
    public List<String> patientIds(SourceEndpoint source)
            throws InterruptedException, ExecutionException, TimeoutException {
        Attributes keys = new Attributes()
                .setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, "STUDY")
                .setString(ElementDictionary.standard().tagOf("StudyDate"), VR.DA, "20120101-20251231")
                .setNull(Tag.PATIENT_ID, VR.LO)
                .setNull(Tag.STUDY_INSTANCE_UID, VR.UI);
        Association as = connect(source);
        try {
            FindResult result = CFindScu.findAll(as, FindQuery.studyRoot(keys)).get(120, TimeUnit.SECONDS);
            Set<String> ids = new LinkedHashSet<>();
            for (Attributes match : result.matches()) {
                String id = match.getString(Tag.PATIENT_ID);
                if (id != null && !id.isBlank()) {
                    ids.add(id.strip());
                }
            }
            return new ArrayList<>(ids);
        } finally {
            as.release().get(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }
}
