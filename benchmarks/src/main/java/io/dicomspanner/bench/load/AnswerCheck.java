package io.dicomspanner.bench.load;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether the clients of a run got right answers ({@code --verify N}): every measured unique answer is classed (complete,
 * partial with a {@code Warning} naming the PACS that did not answer, refused or failed with its HTTP status, or no
 * answer at all), a study counted twice in one answer is found, and up to N answered queries are asked again once the
 * run is over (under a cache key of their own, by a few clients, on a quiet system). A complete answer must equal that
 * reference; a partial one must hold no study the reference lacks.
 */
final class AnswerCheck {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String STUDY_INSTANCE_UID = "0020000D";
    private static final int REFERENCE_CLIENTS = 4;

    /** What the clients got and how much of it was checked. */
    record Report(
            int complete,
            int partial,
            Map<String, Integer> errors,
            int answersWithDuplicates,
            int verified,
            int completeMismatches,
            int partialWithForeignStudies,
            int referenceUnavailable) {

        List<String> lines() {
            List<String> out = new ArrayList<>();
            out.add(String.format(
                    Locale.ROOT,
                    "answers: %d complete, %d partial (a Warning names the PACS that did not answer), %d errors %s",
                    complete,
                    partial,
                    errors.values().stream().mapToInt(Integer::intValue).sum(),
                    errors));
            out.add("answers holding a study twice: " + answersWithDuplicates);
            out.add(String.format(
                    Locale.ROOT,
                    "asked again after the run: %d; complete answers that differ from it: %d; partial answers with a"
                            + " study it lacks: %d; not asked again (the reference failed): %d",
                    verified,
                    completeMismatches,
                    partialWithForeignStudies,
                    referenceUnavailable));
            return out;
        }
    }

    private AnswerCheck() {}

    static Report check(List<LoadRun.Sample> unique, Gateway gateway, long configId, int verifyAtMost)
            throws InterruptedException, ExecutionException {
        int complete = 0;
        int partial = 0;
        int duplicates = 0;
        Map<String, Integer> errors = new TreeMap<>();
        List<LoadRun.Sample> toVerify = new ArrayList<>();
        for (LoadRun.Sample s : unique) {
            Gateway.Answer a = s.answer();
            if (!a.ok()) {
                errors.merge(a.status() < 0 ? "no answer" : "HTTP " + a.status(), 1, Integer::sum);
                continue;
            }
            if (a.warning() != null) {
                partial++;
            } else {
                complete++;
            }
            List<String> uids = studyUids(a.body());
            if (new HashSet<>(uids).size() != uids.size()) {
                duplicates++;
            }
            if (toVerify.size() < verifyAtMost) {
                toVerify.add(s);
            }
        }
        int completeMismatches = 0;
        int partialForeign = 0;
        int unavailable = 0;
        ExecutorService clients = Executors.newFixedThreadPool(REFERENCE_CLIENTS);
        try {
            List<Future<Gateway.Answer>> references = new ArrayList<>();
            for (LoadRun.Sample s : toVerify) {
                references.add(clients.submit(
                        () -> gateway.studies(QueryPlan.reference(s.query()).qido(configId))));
            }
            for (int i = 0; i < toVerify.size(); i++) {
                Gateway.Answer reference = references.get(i).get();
                if (!reference.ok() || reference.warning() != null) {
                    unavailable++;
                    continue;
                }
                Set<String> expected = new HashSet<>(studyUids(reference.body()));
                Gateway.Answer got = toVerify.get(i).answer();
                Set<String> seen = new HashSet<>(studyUids(got.body()));
                if (got.warning() == null && !seen.equals(expected)) {
                    completeMismatches++;
                }
                if (got.warning() != null && !expected.containsAll(seen)) {
                    partialForeign++;
                }
            }
        } finally {
            clients.shutdownNow();
        }
        return new Report(
                complete,
                partial,
                errors,
                duplicates,
                toVerify.size() - unavailable,
                completeMismatches,
                partialForeign,
                unavailable);
    }

    /** The Study Instance UIDs of a QIDO-RS DICOM JSON answer, in order, duplicates kept. */
    static List<String> studyUids(byte[] body) {
        List<String> uids = new ArrayList<>();
        for (JsonNode study : JSON.readTree(body)) {
            for (JsonNode uid : study.path(STUDY_INSTANCE_UID).path("Value")) {
                uids.add(uid.asString());
            }
        }
        return uids;
    }
}
