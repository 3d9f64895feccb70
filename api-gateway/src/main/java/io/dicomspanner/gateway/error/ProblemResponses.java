package io.dicomspanner.gateway.error;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds every RFC 9457 problem the gateway answers with, for the exception handler and for the servlet filters
 * that answer before Spring MVC is reached (401, 403).
 */
@Component
public class ProblemResponses {

    /** Extension member of a 400: the bad fields, each {@code {"field": ..., "message": ...}}. */
    public static final String ERRORS = "errors";

    private final JsonMapper jsonMapper;

    public ProblemResponses(JsonMapper jsonMapper) {
        this.jsonMapper = jsonMapper;
    }

    public ProblemDetail problem(HttpStatus status, String detail, String path) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        if (path != null) {
            problem.setInstance(URI.create(path));
        }
        return problem;
    }

    public ProblemDetail invalidRequest(List<FieldProblem> problems, String path) {
        String fields = String.join(
                ", ", problems.stream().map(FieldProblem::field).distinct().toList());
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid field(s): " + fields, path);
        problem.setTitle("Invalid request");
        problem.setProperty(ERRORS, problems);
        return problem;
    }

    /** Writes a problem straight to the servlet response, for code that runs outside Spring MVC. */
    public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        jsonMapper.writeValue(response.getOutputStream(), problem);
    }

    public static String pathOf(HttpServletRequest request) {
        return request.getRequestURI();
    }
}
