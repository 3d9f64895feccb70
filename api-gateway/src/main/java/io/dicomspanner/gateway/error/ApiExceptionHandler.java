package io.dicomspanner.gateway.error;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.hibernate.exception.ConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place that turns exceptions into RFC 9457 problem details. Spring MVC's own exceptions (405, 406, 415, no
 * such path, ...) come out of the base class as problem details too; the overrides here make 400s name each bad
 * field by its JSON name. Log lines never quote request bodies: they may carry PHI.
 */
@RestControllerAdvice
public class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final ProblemResponses problems;

    public ApiExceptionHandler(ProblemResponses problems) {
        this.problems = problems;
    }

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalidRequest(InvalidRequestException e, HttpServletRequest request) {
        return problems.invalidRequest(e.problems(), ProblemResponses.pathOf(request));
    }

    /**
     * The servlet container could not parse the query string (a parameter without a name, a malformed %-escape, too
     * many parameters). Its message quotes the parameter, which may be PHI, so it is not repeated.
     */
    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail invalidParameters(InvalidParameterException e, HttpServletRequest request) {
        return problems.invalidRequest(
                List.of(new FieldProblem(
                        "query",
                        "is not well-formed: a parameter without a name, a % not starting a %XX escape, or too many"
                                + " parameters")),
                ProblemResponses.pathOf(request));
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e, HttpServletRequest request) {
        return problems.problem(HttpStatus.NOT_FOUND, e.getMessage(), ProblemResponses.pathOf(request));
    }

    @ExceptionHandler(ConflictException.class)
    ProblemDetail conflict(ConflictException e, HttpServletRequest request) {
        return problems.problem(HttpStatus.CONFLICT, e.getMessage(), ProblemResponses.pathOf(request));
    }

    @ExceptionHandler(ServiceProblemException.class)
    ResponseEntity<ProblemDetail> serviceProblem(ServiceProblemException e, HttpServletRequest request) {
        ResponseEntity.BodyBuilder answer =
                ResponseEntity.status(e.status()).headers(e.headers()).contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (e.retryAfter() != null) {
            answer.header(
                    HttpHeaders.RETRY_AFTER,
                    Long.toString(Math.max(1, e.retryAfter().toSeconds())));
        }
        return answer.body(problems.problem(e.status(), e.getMessage(), ProblemResponses.pathOf(request)));
    }

    /** A concurrent request won the race past the service's own checks; the database constraint had the last word. */
    @ExceptionHandler(DataIntegrityViolationException.class)
    ProblemDetail dataIntegrityViolation(DataIntegrityViolationException e, HttpServletRequest request) {
        String constraint =
                e.getCause() instanceof ConstraintViolationException violation ? violation.getConstraintName() : null;
        log.info(
                "Request {} {} refused by database constraint {}",
                request.getMethod(),
                request.getRequestURI(),
                constraint);
        return problems.problem(
                HttpStatus.CONFLICT,
                "The change conflicts with the current data" + (constraint != null ? " (" + constraint + ")" : ""),
                ProblemResponses.pathOf(request));
    }

    /** How long a client is asked to wait before it tries a change again while the database is unavailable. */
    static final long DATABASE_RETRY_AFTER_SECONDS = 30;

    /**
     * PostgreSQL is away (no connection within the pool's connection timeout, or the connection broke): a change
     * cannot be stored now and may be tried again, so 503 with {@code Retry-After}, never a 500.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e, HttpServletRequest request) {
        log.warn(
                "Database unavailable answering {} {}: {}",
                request.getMethod(),
                request.getRequestURI(),
                e.getClass().getSimpleName());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(DATABASE_RETRY_AFTER_SECONDS))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problems.problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        "The configuration database is unavailable; the change was not made. Try again later.",
                        ProblemResponses.pathOf(request)));
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e, HttpServletRequest request) {
        log.error("Unexpected error answering {} {}", request.getMethod(), request.getRequestURI(), e);
        return problems.problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "Internal error; the gateway log has the details",
                ProblemResponses.pathOf(request));
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> fieldProblems = new ArrayList<>();
        for (FieldError error : e.getBindingResult().getFieldErrors()) {
            fieldProblems.add(new FieldProblem(JsonFieldNames.of(error.getField()), error.getDefaultMessage()));
        }
        e.getBindingResult()
                .getGlobalErrors()
                .forEach(
                        error -> fieldProblems.add(new FieldProblem(error.getObjectName(), error.getDefaultMessage())));
        return badRequest(fieldProblems, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(
            HandlerMethodValidationException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> fieldProblems = new ArrayList<>();
        for (ParameterValidationResult result : e.getParameterValidationResults()) {
            String name = result.getMethodParameter().getParameterName();
            result.getResolvableErrors()
                    .forEach(error -> fieldProblems.add(new FieldProblem(
                            name != null ? JsonFieldNames.of(name) : "request", error.getDefaultMessage())));
        }
        return badRequest(fieldProblems, headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(
            TypeMismatchException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = e.getPropertyName() != null ? e.getPropertyName() : "request";
        Class<?> type = e.getRequiredType();
        return badRequest(List.of(new FieldProblem(field, "must be " + describe(type))), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleMissingServletRequestParameter(
            MissingServletRequestParameterException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return badRequest(List.of(new FieldProblem(e.getParameterName(), "is required")), headers, request);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getCause();
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return badRequest(List.of(new FieldProblem(jsonPath(unknown), "is not a known field")), headers, request);
        }
        if (cause instanceof MismatchedInputException mismatch
                && !mismatch.getPath().isEmpty()) {
            return badRequest(
                    List.of(new FieldProblem(jsonPath(mismatch), "must be " + describe(mismatch.getTargetType()))),
                    headers,
                    request);
        }
        String detail = cause instanceof StreamReadException
                ? "The request body is not well-formed JSON"
                : "The request body is missing or is not a JSON object of the expected shape";
        ProblemDetail problem = problems.problem(HttpStatus.BAD_REQUEST, detail, pathOf(request));
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private ResponseEntity<Object> badRequest(
            List<FieldProblem> fieldProblems, HttpHeaders headers, WebRequest request) {
        ProblemDetail problem = problems.invalidRequest(fieldProblems, pathOf(request));
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    private static String jsonPath(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "request" : path.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "an integer";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "an object";
        }
        return "a valid " + type.getSimpleName();
    }

    private static String pathOf(WebRequest request) {
        return request instanceof NativeWebRequest nativeRequest
                        && nativeRequest.getNativeRequest() instanceof HttpServletRequest servletRequest
                ? servletRequest.getRequestURI()
                : null;
    }
}
