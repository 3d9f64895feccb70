package io.dicomspanner.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Collects the log events of one logger (and its children) during a test, from its creation until {@link #close()};
 * or, as a JUnit extension, every logger's events during each test.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.of(CFindScp.class)) {
 *     ...
 *     assertThat(log.lines()).containsExactly("WARN ...");
 * }
 *
 * @RegisterExtension
 * final LogCapture.EachTest captured = LogCapture.everythingInEachTest(List.of("io.dicomspanner"));
 * }</pre>
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger;
    private final Map<Logger, Level> levelsBefore = new LinkedHashMap<>();
    private final List<Event> events = new CopyOnWriteArrayList<>();

    /** An event's text, taken when it is logged. */
    private record Event(Level level, String logger, String message, String thrown) {}

    private LogCapture(Logger logger) {
        this.logger = logger;
    }

    /** The events of {@code type}'s logger and its children, at the levels configured. */
    public static LogCapture of(Class<?> type) {
        return attach(new LogCapture((Logger) LoggerFactory.getLogger(type)));
    }

    /**
     * Every logger's events, with the loggers named in {@code atDebug} (and their children) turned to DEBUG until
     * {@link #close()}, which gives them their levels back: for checks of what no log line may hold.
     */
    private static LogCapture everything(List<String> atDebug) {
        LogCapture capture = new LogCapture((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME));
        for (String name : atDebug) {
            Logger named = (Logger) LoggerFactory.getLogger(name);
            capture.levelsBefore.put(named, named.getLevel());
            named.setLevel(Level.DEBUG);
        }
        return attach(capture);
    }

    /**
     * For {@code @RegisterExtension}: {@link #everything} during each test, from before its {@code @BeforeEach}
     * methods until after its {@code @AfterEach} methods.
     */
    public static EachTest everythingInEachTest(List<String> atDebug) {
        return new EachTest(List.copyOf(atDebug));
    }

    /** A JUnit extension holding the capture of the test that runs. */
    public static final class EachTest implements BeforeEachCallback, AfterEachCallback {
        private final List<String> atDebug;
        private LogCapture capture;

        private EachTest(List<String> atDebug) {
            this.atDebug = atDebug;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            capture = everything(atDebug);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            capture.close();
        }

        /** The running test's {@link LogCapture#fullLines()}. */
        public List<String> fullLines() {
            return capture.fullLines();
        }
    }

    private static LogCapture attach(LogCapture capture) {
        capture.start();
        capture.logger.addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        IThrowableProxy thrown = event.getThrowableProxy();
        events.add(new Event(
                event.getLevel(),
                event.getLoggerName(),
                event.getFormattedMessage(),
                thrown != null ? thrown.getMessage() : null));
    }

    /** Lines so far, each "LEVEL message". */
    public List<String> lines() {
        return events.stream().map(e -> e.level() + " " + e.message()).toList();
    }

    /**
     * Lines so far with all the text an event carries: "LEVEL logger: message", followed by the message of its
     * exception if it has one.
     */
    public List<String> fullLines() {
        return events.stream()
                .map(e -> e.level() + " " + e.logger() + ": " + e.message()
                        + (e.thrown() != null ? " " + e.thrown() : ""))
                .toList();
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
        levelsBefore.forEach(Logger::setLevel);
    }
}
