package io.dicomspanner.worker.dicomweb;

import io.dicomspanner.common.messaging.DicomWebEndpoint;
import io.dicomspanner.common.messaging.SourceEndpoint;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.json.DicomJsonReader;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.TlsFailure;
import io.dicomspanner.dicom.net.service.FindOutcome;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.WorkerProperties;
import io.dicomspanner.worker.find.CFindFailedException;
import io.dicomspanner.worker.find.SourceFinder.FindContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * Asks a DICOMweb source with QIDO-RS what a C-FIND would ask a PACS: one {@link QidoSearch} per identifier, its pages
 * ({@code limit}/{@code offset}, the source's {@code page_size}) asked one after another until a page comes back short,
 * each DICOM JSON object read into the same {@link Attributes} a C-FIND match is. A page that comes back short while its
 * {@code Warning: 299} announces more results is not the last ({@link QidoWarnings}). The search's end says whether it
 * was capped: it gave as many records as the source's {@code max_results}, or announced more than paging reached; the
 * task then splits it. One JDK {@link HttpClient} per source, at most the source's {@code max_associations} requests at
 * once on this worker ({@link ConnectionPermits}).
 *
 * <p>How a search ends, as the task's outcome:
 *
 * <ul>
 *   <li>every page 2xx: SUCCESS with the matches counted;
 *   <li>HTTP 4xx: REFUSED with the status ({@code HTTP 401 Unauthorized}), as a PACS that rejects the association;
 *   <li>HTTP 5xx or a transport failure (refused connect, reset): CONNECTION_FAILED, retried like a failed connect
 *       ({@code retry_attempts}, {@code spanner.worker.retry-backoff}) while the deadline allows;
 *   <li>no answer within the source's {@code query_timeout_seconds} or the task's deadline: TIMEOUT.
 * </ul>
 *
 * HTTPS trusts the CAs of the worker's TLS bundle ({@code spanner.worker.tls.bundle}) when one is configured, and
 * presents its certificate; otherwise the Java runtime's trusted CAs. The host name is always checked.
 */
@Component
public class QidoFinder {
    private static final Logger LOG = LoggerFactory.getLogger(QidoFinder.class);
    static final String ACCEPT = "application/dicom+json";

    private final SealedCodec sealed;
    private final Clock clock;
    private final WorkerProperties properties;
    private final ObjectProvider<SslBundles> bundles;
    private final Map<Long, SourceClient> clients = new ConcurrentHashMap<>();

    /**
     * How one search ended.
     *
     * @param outcome the outcome of the search as a C-FIND's, counting the records the archive gave
     * @param capped the archive gave no more than part of what matches: as many records as its cap ({@code
     *     max_results}), or a {@code Warning} announced more results than paging could reach
     * @param warnings what its {@code Warning: 299} headers said
     */
    public record SearchEnd(FindOutcome outcome, boolean capped, QidoWarnings warnings) {}

    /** One page: its records and its warnings. */
    private record Page(List<Attributes> records, QidoWarnings warnings) {}

    /** The client of one source, for as long as its DICOMweb settings and connection limit stay the same. */
    private record SourceClient(DicomWebEndpoint web, int maxConnections, HttpClient http, ConnectionPermits permits) {}

    public QidoFinder(
            SealedCodec sealed, Clock clock, WorkerProperties properties, ObjectProvider<SslBundles> bundles) {
        this.sealed = sealed;
        this.clock = clock;
        this.properties = properties;
        this.bundles = bundles;
    }

    /**
     * The matches of one identifier at the source, each to {@code onMatch}; the outcome counts them.
     *
     * @param keys the identifier as the C-FIND would carry it, with its QueryRetrieveLevel
     * @param cancelled whether the query was cancelled: no further page is asked
     * @return how the search ended; a future failed with a {@link CFindFailedException} when it did not end with an
     *     answer
     */
    public CompletableFuture<SearchEnd> find(
            FindContext ctx, Attributes keys, BooleanSupplier cancelled, Consumer<Attributes> onMatch) {
        SourceEndpoint source = ctx.source();
        QueryLevel level = QueryLevel.ofCode(keys.getString(Tag.QUERY_RETRIEVE_LEVEL));
        QidoSearch search;
        try {
            search = QidoSearch.of(level, keys, source.dicomweb().includefieldAll());
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(
                    new CFindFailedException(SourceOutcome.FAILED_STATUS, e.getMessage(), false, e));
        }
        Paging paging = new Paging(ctx, search, level, cancelled, onMatch);
        return paging.next(0);
    }

    /** One search's pages, one after another. */
    private final class Paging {
        private final FindContext ctx;
        private final SourceClient client;
        private final QidoSearch search;
        private final QueryLevel level;
        private final BooleanSupplier cancelled;
        private final Consumer<Attributes> onMatch;
        private final Set<String> seen = new HashSet<>();
        private int matches;
        private QidoWarnings warnings = QidoWarnings.NONE;

        Paging(
                FindContext ctx,
                QidoSearch search,
                QueryLevel level,
                BooleanSupplier cancelled,
                Consumer<Attributes> onMatch) {
            this.ctx = ctx;
            this.client = clientOf(ctx.source());
            this.search = search;
            this.level = level;
            this.cancelled = cancelled;
            this.onMatch = onMatch;
        }

        CompletableFuture<SearchEnd> next(int offset) {
            if (cancelled.getAsBoolean()) {
                return CompletableFuture.completedFuture(
                        new SearchEnd(new FindOutcome(Status.CANCEL, null, matches, true), false, warnings));
            }
            DicomWebEndpoint web = client.web();
            int limit = web.limitOffset() ? web.pageSize() : 0;
            URI uri = search.page(web.baseUrl(), limit, offset);
            return send(ctx, client, uri, 0).thenCompose(answer -> {
                List<Attributes> page = answer.records();
                warnings = warnings.and(answer.warnings());
                int fresh = 0;
                for (Attributes record : page) {
                    Attributes match = search.completed(record);
                    String key = level.uniqueKeyOf(match);
                    if (key == null || seen.add(key)) {
                        fresh++;
                    }
                    matches++;
                    onMatch.accept(match);
                }
                // A page shorter than asked for is the last, unless the archive announces more results (its own page
                // is smaller than ours); one longer (limit ignored) or with nothing new (offset ignored) says the
                // archive does not page: what it gave is all there is to get by paging.
                boolean announced = answer.warnings().moreResults();
                boolean more = limit > 0 && fresh > 0 && (page.size() == limit || (announced && page.size() < limit));
                if (more) {
                    return next(offset + page.size());
                }
                if (warnings.notApplied() > 0 || warnings.other() > 0) {
                    // the texts stay out: an archive may quote query values (PHI) in them
                    LOG.debug(
                            "source {}: {} warnings of keys or parameters not applied, {} others; every record is"
                                    + " re-checked locally",
                            ctx.source().sourceId(),
                            warnings.notApplied(),
                            warnings.other());
                }
                // an empty answer cannot have been cut, whatever its warning says: no split of an empty range
                int cap = web.maxResults();
                boolean capped = !seen.isEmpty() && (announced || (cap > 0 && seen.size() >= cap));
                return CompletableFuture.completedFuture(
                        new SearchEnd(new FindOutcome(Status.SUCCESS, null, matches, false), capped, warnings));
            });
        }
    }

    /** Whether the source answers a cheap search ({@code /studies?limit=1}): its health check. */
    public CompletableFuture<Void> ping(SourceEndpoint source, long deadlineEpochMillis) {
        SourceClient client = clientOf(source);
        URI uri = URI.create(client.web().baseUrl() + "/studies?limit=1");
        FindContext ctx = new FindContext("health", source, deadlineEpochMillis, 0, op -> {});
        return send(ctx, client, uri, 0).thenApply(answer -> null);
    }

    /** One request, within the source's connection limit; retried on a transport failure or a 5xx. */
    private CompletableFuture<Page> send(FindContext ctx, SourceClient client, URI uri, int attempt) {
        long remaining = ctx.deadlineEpochMillis() - clock.millis();
        if (remaining <= 0) {
            return CompletableFuture.failedFuture(
                    new CFindFailedException(SourceOutcome.TIMEOUT, "the deadline passed", false, null));
        }
        Duration timeout = Duration.ofMillis(
                Math.min(remaining, TimeUnit.SECONDS.toMillis(ctx.source().queryTimeoutSeconds())));
        HttpRequest request;
        try {
            request = request(client.web(), uri, timeout);
        } catch (CFindFailedException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> permit = client.permits().acquire();
        return permit.orTimeout(remaining, TimeUnit.MILLISECONDS)
                .handle((x, waitFailed) -> {
                    if (waitFailed != null) {
                        throw CFindFailedException.timedOutWaitingForAssociation(
                                "the deadline passed waiting for one of the source's "
                                        + client.permits().max() + " connections");
                    }
                    return client.http()
                            .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                            .whenComplete((r, e) -> client.permits().release());
                })
                .thenCompose(response -> response)
                .handle((response, error) -> {
                    CFindFailedException failure =
                            error != null ? failure(unwrap(error), timeout) : failure(response.statusCode());
                    if (failure == null) {
                        return CompletableFuture.completedFuture(new Page(
                                read(response),
                                QidoWarnings.of(response.headers().allValues("Warning"))));
                    }
                    if (failure.isRetryable() && attempt < ctx.retryAttempts()) {
                        long delay = backoff(attempt);
                        if (clock.millis() + delay < ctx.deadlineEpochMillis()) {
                            LOG.debug(
                                    "source {}: {}; retry {} in {} ms",
                                    ctx.source().sourceId(),
                                    failure.getMessage(),
                                    attempt + 1,
                                    delay);
                            return CompletableFuture.supplyAsync(
                                            () -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
                                    .thenCompose(x -> send(ctx, client, uri, attempt + 1));
                        }
                    }
                    return CompletableFuture.<Page>failedFuture(failure);
                })
                .thenCompose(page -> page);
    }

    private HttpRequest request(DicomWebEndpoint web, URI uri, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Accept", ACCEPT)
                .GET();
        String authorization = authorization(web);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    /** The Authorization header of the source, its secret opened only here; null without authentication. */
    private String authorization(DicomWebEndpoint web) {
        return switch (web.auth()) {
            case NONE -> null;
            case BASIC ->
                "Basic "
                        + Base64.getEncoder()
                                .encodeToString((web.username() + ":" + secret(web)).getBytes(StandardCharsets.UTF_8));
            case BEARER -> "Bearer " + (web.tokenFile() != null ? tokenFromFile(web.tokenFile()) : secret(web));
        };
    }

    private String secret(DicomWebEndpoint web) {
        if (web.sealedSecret() == null) {
            throw new CFindFailedException(
                    SourceOutcome.FAILED_STATUS,
                    "the source's " + web.auth().wire() + " secret is missing",
                    false,
                    null);
        }
        return new String(sealed.sealer().open(Base64.getDecoder().decode(web.sealedSecret())), StandardCharsets.UTF_8);
    }

    private static String tokenFromFile(String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new CFindFailedException(
                    SourceOutcome.FAILED_STATUS, "cannot read the bearer token file " + file, false, e);
        }
    }

    /** The failure of a 2xx-less status; null for a 2xx. */
    private static CFindFailedException failure(int status) {
        if (status >= 200 && status < 300) {
            return null;
        }
        String text = HttpStatusText.of(status);
        return status >= 500
                ? new CFindFailedException(SourceOutcome.CONNECTION_FAILED, text, true, null)
                : new CFindFailedException(SourceOutcome.REFUSED, text, false, null);
    }

    private static CFindFailedException failure(Throwable error, Duration timeout) {
        if (error instanceof CFindFailedException f) {
            return f;
        }
        if (error instanceof HttpTimeoutException) {
            return new CFindFailedException(
                    SourceOutcome.TIMEOUT, "no HTTP answer within " + timeout.toMillis() + " ms", false, error);
        }
        if (error instanceof TimeoutException) {
            return new CFindFailedException(SourceOutcome.TIMEOUT, "the deadline passed", false, error);
        }
        TlsFailure tls = TlsFailure.of(error, null);
        if (tls != null) {
            // in the same few words as a DICOM TLS source's ("TLS handshake failed: unknown CA")
            return new CFindFailedException(SourceOutcome.CONNECTION_FAILED, tls.summary(), true, error);
        }
        if (error instanceof IOException) {
            return new CFindFailedException(
                    SourceOutcome.CONNECTION_FAILED,
                    "HTTP connection failed: " + error.getClass().getSimpleName()
                            + (error.getMessage() == null ? "" : " " + error.getMessage()),
                    true,
                    error);
        }
        return new CFindFailedException(SourceOutcome.FAILED_STATUS, "worker error: " + error, false, error);
    }

    /** The DICOM JSON objects of a 2xx answer (204: none). */
    private static List<Attributes> read(HttpResponse<byte[]> response) {
        byte[] body = response.body();
        if (response.statusCode() == 204 || body == null || body.length == 0) {
            return List.of();
        }
        try {
            return new DicomJsonReader().readList(body);
        } catch (RuntimeException e) {
            // the reader's message may quote values, which may be PHI
            throw new CFindFailedException(
                    SourceOutcome.FAILED_STATUS,
                    "the answer of " + HttpStatusText.of(response.statusCode()) + " is not DICOM JSON",
                    false,
                    null);
        }
    }

    private long backoff(int attempt) {
        long first = properties.retryBackoff().toMillis();
        long max = properties.retryBackoffMax().toMillis();
        return Math.min(max, first << Math.min(attempt, 20));
    }

    private static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private SourceClient clientOf(SourceEndpoint source) {
        return clients.compute(source.sourceId(), (id, current) -> {
            if (current != null
                    && current.web().equals(source.dicomweb())
                    && current.maxConnections() == source.maxAssociations()) {
                return current;
            }
            HttpClient.Builder http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(properties.dicom().connectTimeout());
            if (source.dicomweb().baseUrl().startsWith("https:")) {
                http.sslContext(sslContext());
            }
            return new SourceClient(
                    source.dicomweb(),
                    source.maxAssociations(),
                    http.build(),
                    new ConnectionPermits(source.maxAssociations()));
        });
    }

    /** The worker's TLS bundle's context where one is configured, else the runtime's default. */
    private SSLContext sslContext() {
        SslBundles available = bundles.getIfAvailable();
        if (available != null) {
            try {
                return available.getBundle(properties.tls().bundle()).createSslContext();
            } catch (NoSuchSslBundleException e) {
                // no bundle: the runtime's trusted CAs
            }
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context in this Java runtime", e);
        }
    }

    /** How many requests of the source run on this worker now (for tests). */
    int inUse(long sourceId) {
        SourceClient client = clients.get(sourceId);
        return client == null ? 0 : client.permits().inUse();
    }
}
