package io.dicomspanner.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * A change while PostgreSQL is away: the exceptions a real pool throws when no server answers on its port become a
 * 503 problem detail with {@code Retry-After}, within the pool's connection timeout.
 */
class DatabaseUnavailableTest {

    /** A loopback port where no PostgreSQL listens. */
    private static final String NOBODY = "jdbc:postgresql://127.0.0.1:25439/spanner?connectTimeout=1";

    private final HikariDataSource pool = new HikariDataSource();
    private final ApiExceptionHandler handler =
            new ApiExceptionHandler(new ProblemResponses(JsonMapper.builder().build()));

    DatabaseUnavailableTest() {
        pool.setJdbcUrl(NOBODY);
        pool.setUsername("postgres");
        pool.setConnectionTimeout(1_000);
    }

    @AfterEach
    void closePool() {
        pool.close();
    }

    @Test
    void aStatementWithoutAConnectionIsA503WithRetryAfter() {
        Exception e = catchException(() -> new JdbcTemplate(pool).update("delete from dicom_source"));

        assertUnavailable(e);
    }

    @Test
    void aTransactionThatCannotBeginIsA503WithRetryAfter() {
        long start = System.nanoTime();
        Exception e = catchException(
                () -> new TransactionTemplate(new JdbcTransactionManager(pool)).executeWithoutResult(status -> {}));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;

        assertUnavailable(e);
        assertThat(tookMillis).isLessThan(5_000);
    }

    private void assertUnavailable(Exception e) {
        // what the handler's @ExceptionHandler names
        assertThat(e).isInstanceOfAny(DataAccessResourceFailureException.class, CannotCreateTransactionException.class);
        MockHttpServletRequest request = new MockHttpServletRequest("POST", "/api/v1/sources/");

        ResponseEntity<ProblemDetail> answer = handler.databaseUnavailable(e, request);

        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("30");
        assertThat(answer.getHeaders().getContentType()).hasToString("application/problem+json");
        ProblemDetail problem = answer.getBody();
        assertThat(problem.getStatus()).isEqualTo(503);
        assertThat(problem.getDetail())
                .isEqualTo("The configuration database is unavailable; the change was not made. Try again later.");
        assertThat(problem.getInstance()).hasToString("/api/v1/sources/");
    }
}
