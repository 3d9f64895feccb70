package io.dicomspanner.gateway.console;

import io.dicomspanner.gateway.error.ServiceProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * A query's whole answer as a CSV download (in the order the table is sorted), for any signed-in user who may read the
 * query. Its URL names only the query's opaque id and the sort column: no search value. Audited as a read of the
 * answer; logged by query id and row count only.
 */
@Controller
class ConsoleExportController {

    private static final Logger log = LoggerFactory.getLogger(ConsoleExportController.class);
    static final MediaType TEXT_CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final ConsoleAnswers answers;
    private final ConsoleAudit audit;

    ConsoleExportController(ConsoleAnswers answers, ConsoleAudit audit) {
        this.answers = answers;
        this.audit = audit;
    }

    @GetMapping("/ui/queries/{id}/export.csv")
    ResponseEntity<byte[]> export(
            @PathVariable String id,
            @RequestParam(name = "sort", required = false) String sort,
            @RequestParam(name = "dir", required = false) String direction,
            HttpServletRequest request) {
        ConsoleUser user = ConsoleSessions.signedIn(request);
        Optional<ConsoleAnswers.Answer> answer;
        try {
            answer = answers.answer(user, id, RowOrder.of(sort, direction));
        } catch (ServiceProblemException e) {
            return text(e.status().value(), e.getMessage());
        }
        if (answer.isEmpty()) {
            return text(404, "This answer is not (or no longer) available.");
        }
        audit.exported(user, request.getRemoteAddr(), id, answer.get().rows().size());
        log.info(
                "Console export of query {} ({} rows) by API key {}",
                id,
                answer.get().rows().size(),
                user.keyId());
        return ResponseEntity.ok()
                .contentType(TEXT_CSV)
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename("query-" + id + ".csv")
                                .build()
                                .toString())
                .body(AnswerCsv.of(answer.get()).getBytes(StandardCharsets.UTF_8));
    }

    private static ResponseEntity<byte[]> text(int status, String message) {
        return ResponseEntity.status(status)
                .contentType(MediaType.TEXT_PLAIN)
                .body(message.getBytes(StandardCharsets.UTF_8));
    }
}
