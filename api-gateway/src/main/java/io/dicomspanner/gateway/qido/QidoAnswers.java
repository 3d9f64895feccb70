package io.dicomspanner.gateway.qido;

import io.dicomspanner.common.messaging.QueryState;
import io.dicomspanner.common.messaging.QueryStatus;
import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.common.messaging.SpanAnswer;
import io.dicomspanner.common.messaging.SpanAnswer.SourceFailure;
import io.dicomspanner.common.messaging.SpanAnswer.SourceNote;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomReader;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.json.DicomJsonWriter;
import io.dicomspanner.gateway.error.ServiceProblemException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Turns a coordinator's final answer into the HTTP answer of a search: 200 with the results (zero results: 200 with
 * an empty array, as CP-2473 has it), a {@code Warning: 299} header per source that did not answer, per source whose
 * results are not verified against every matching key, and for the checklist's "additional results" and
 * fuzzy-matching cases; or, when the failure strategy gave up, 502 (a source failed) or 504 (the deadline passed)
 * naming the sources and why.
 */
public final class QidoAnswers {

    /** The header that carries the query id on every answer of a search. */
    public static final String QUERY_ID_HEADER = "X-Query-Id";

    private QidoAnswers() {}

    /**
     * @param agent who warns: the host (and port) the client addressed
     * @param statusUrl the query's status URL, sent as {@code Location}
     */
    static ResponseEntity<byte[]> toResponse(
            SpanAnswer answer, QidoMediaType form, boolean fuzzyAsked, String agent, String statusUrl) {
        if (answer.state() == QueryState.FAILED
                || answer.state() == QueryState.TIMED_OUT
                || answer.state() == QueryState.CANCELLED) {
            throw failed(answer)
                    .withHeader(QUERY_ID_HEADER, answer.queryId())
                    .withHeader(HttpHeaders.LOCATION, statusUrl);
        }
        List<Attributes> results = new ArrayList<>(answer.matches().size());
        for (byte[] match : answer.matches()) {
            results.add(DicomReader.read(match, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        }
        HttpHeaders headers = new HttpHeaders();
        headers.add(QUERY_ID_HEADER, answer.queryId());
        headers.add(HttpHeaders.LOCATION, statusUrl);
        for (String warning : warnings(answer, fuzzyAsked)) {
            headers.add(HttpHeaders.WARNING, warning(agent, warning));
        }
        if (form == QidoMediaType.DICOM_XML_MULTIPART) {
            String boundary = UUID.randomUUID().toString();
            headers.setContentType(MediaType.parseMediaType(
                    "multipart/related; type=\"application/dicom+xml\"; boundary=" + boundary));
            return ResponseEntity.ok().headers(headers).body(multipartXml(results, boundary));
        }
        headers.setContentType(new MediaType(QidoMediaType.APPLICATION_DICOM_JSON, StandardCharsets.UTF_8));
        return ResponseEntity.ok().headers(headers).body(new DicomJsonWriter().toBytes(results));
    }

    /** The texts of the Warning headers of a successful (possibly partial) answer. */
    static List<String> warnings(SpanAnswer answer, boolean fuzzyAsked) {
        List<String> texts = new ArrayList<>();
        for (SourceFailure failure : answer.failures()) {
            texts.add(describe(failure));
        }
        for (SourceNote note : answer.notes()) {
            texts.add(describe(note));
        }
        if (answer.remaining() > 0) {
            texts.add("There are " + answer.remaining() + " additional results that can be requested");
        }
        if (fuzzyAsked) {
            texts.add("The fuzzymatching parameter is not supported. Only literal matching has been performed.");
        }
        return texts;
    }

    /**
     * The texts of the Warning headers of the stored results of a finished query, from its final status: as those of
     * its answer, without the paging and fuzzy-matching ones (the results are the whole answer).
     */
    static List<String> warnings(QueryStatus status) {
        List<String> texts = new ArrayList<>();
        List<QueryStatus.SourceStatus> sources = status.sources() == null ? List.of() : status.sources();
        for (QueryStatus.SourceStatus source : sources) {
            if (source.state() != null && source.state() != SourceOutcome.SUCCESS) {
                texts.add(describe(new SourceFailure(
                        source.sourceId(), source.name(), source.aeTitle(), source.state(), source.error())));
            }
        }
        for (SourceNote note : SourceNote.of(sources)) {
            texts.add(describe(note));
        }
        return texts;
    }

    /** {@code 299 <agent>: "<text>"}: PS3.18's form, with the text quoted as RFC 9111 wants (pitfall 12). */
    static String warning(String agent, String text) {
        return "299 " + agent + ": \"" + headerSafe(text) + "\"";
    }

    /**
     * {@code Source PACS-B (AE PACSB) timeout: ...} for a source; a refusal that did not come from a source (source id
     * 0, no AE title: the coordinator refused the whole query) names its refuser instead, and a failure whose names
     * are missing still names the source by its id.
     */
    static String describe(SourceFailure failure) {
        boolean named = failure.name() != null && !failure.name().isBlank();
        boolean hasAe = failure.aeTitle() != null && !failure.aeTitle().isBlank();
        StringBuilder text = new StringBuilder();
        if (failure.sourceId() == 0 && !hasAe) {
            text.append(named ? capitalized(failure.name()) : "The spanner");
        } else {
            text.append("Source ").append(named ? failure.name() : "id " + failure.sourceId());
            if (hasAe) {
                text.append(" (AE ").append(failure.aeTitle()).append(')');
            }
        }
        text.append(' ')
                .append(
                        failure.outcome() == null
                                ? "failed"
                                : failure.outcome().name().toLowerCase(java.util.Locale.ROOT));
        if (failure.reason() != null && !failure.reason().isBlank()) {
            text.append(": ").append(failure.reason());
        }
        return text.toString();
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /**
     * A source that answered but could not apply some matching keys: its records may not match them; and why, when its
     * worker stopped verifying at the bound of sub-queries.
     */
    static String describe(SourceNote note) {
        String text = "Source " + note.name() + " (AE " + note.aeTitle() + ") could not apply the matching keys "
                + String.join(", ", note.unverifiedKeys()) + ": its results for them are not verified";
        return note.verificationBound() > 0
                ? text + " (verification stopped at its bound of " + note.verificationBound() + " sub-queries)"
                : text;
    }

    private static ServiceProblemException failed(SpanAnswer answer) {
        HttpStatus status =
                answer.state() == QueryState.TIMED_OUT ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
        StringBuilder detail = new StringBuilder(
                switch (answer.state()) {
                    case TIMED_OUT -> "The deadline passed before the sources answered";
                    case CANCELLED -> "The query was cancelled";
                    default ->
                        refusedBeforeAnySource(answer)
                                ? "The query was refused before any source was asked"
                                : "A source failed and the config's failure strategy ends the query";
                });
        if (!answer.failures().isEmpty()) {
            detail.append(": ");
            for (int i = 0; i < answer.failures().size(); i++) {
                detail.append(i > 0 ? "; " : "")
                        .append(describe(answer.failures().get(i)));
            }
        }
        return new ServiceProblemException(status, detail.toString());
    }

    /** The coordinator refused the query itself: its one failure is no source's (id 0, no AE title). */
    private static boolean refusedBeforeAnySource(SpanAnswer answer) {
        return answer.failures().size() == 1
                && answer.failures().get(0).sourceId() == 0
                && (answer.failures().get(0).aeTitle() == null
                        || answer.failures().get(0).aeTitle().isBlank());
    }

    /** Printable ASCII only, no quote or backslash: the text goes into a quoted-string of a header. */
    private static String headerSafe(String text) {
        StringBuilder safe = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            safe.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? c : '\'');
        }
        return safe.toString();
    }

    private static byte[] multipartXml(List<Attributes> results, String boundary) {
        NativeDicomModelWriter writer = new NativeDicomModelWriter();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Attributes result : results) {
            body.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom+xml\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            writer.write(result, body);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return body.toByteArray();
    }
}
