package io.dicomspanner.worker.cancel;

import io.dicomspanner.dicom.net.service.FindOperation;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The C-FINDs this worker runs, by query, so a {@code CancelQuery} can stop them. A cancelled query is remembered
 * while its tasks run, so a task that would start another C-FIND (the next study of a split query) does not.
 */
@Component
public class RunningQueries {

    private final Map<String, Set<FindOperation>> operations = new ConcurrentHashMap<>();
    private final Map<String, Integer> tasks = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    /** A task of the query begins; pairs with {@link #taskEnded}. */
    public void taskStarted(String queryId) {
        tasks.merge(queryId, 1, Integer::sum);
    }

    public void taskEnded(String queryId) {
        tasks.computeIfPresent(queryId, (q, n) -> {
            if (n > 1) {
                return n - 1;
            }
            cancelled.remove(q);
            operations.remove(q);
            return null;
        });
    }

    public boolean isCancelled(String queryId) {
        return cancelled.contains(queryId);
    }

    /** Registers a running C-FIND; false (and nothing registered) if the query was cancelled meanwhile. */
    public boolean add(String queryId, FindOperation operation) {
        operations.computeIfAbsent(queryId, q -> ConcurrentHashMap.newKeySet()).add(operation);
        if (cancelled.contains(queryId)) {
            remove(queryId, operation);
            return false;
        }
        return true;
    }

    public void remove(String queryId, FindOperation operation) {
        Set<FindOperation> ops = operations.get(queryId);
        if (ops != null) {
            ops.remove(operation);
        }
    }

    /**
     * Sends C-CANCEL on every running C-FIND of the query. Only queries with a task on this worker are remembered as
     * cancelled; others are not this worker's concern.
     *
     * @return the number of C-FINDs cancelled
     */
    public int cancel(String queryId) {
        if (!tasks.containsKey(queryId)) {
            return 0;
        }
        cancelled.add(queryId);
        Set<FindOperation> ops = operations.getOrDefault(queryId, Set.of());
        ops.forEach(FindOperation::cancel);
        return ops.size();
    }
}
