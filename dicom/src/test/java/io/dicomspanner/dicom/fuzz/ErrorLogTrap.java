package io.dicomspanner.dicom.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

/**
 * For fuzz tests of code that catches failures and logs them: turns an ERROR event (the code's "internal failure"
 * path) into a finding, and quiets the INFO and WARN lines bad input is meant to produce, which would otherwise cost
 * most of the fuzzing time. Keeps only the first event, so memory stays flat over millions of inputs.
 */
public final class ErrorLogTrap extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final Logger logger;
    private final Level levelBefore;
    private volatile String first;

    private ErrorLogTrap(Logger logger) {
        this.logger = logger;
        this.levelBefore = logger.getLevel();
    }

    /** Captures ERROR events of {@code loggerName} and its children until {@link #close()}. */
    public static ErrorLogTrap install(String loggerName) {
        ErrorLogTrap trap = new ErrorLogTrap((Logger) LoggerFactory.getLogger(loggerName));
        trap.logger.setLevel(Level.ERROR);
        trap.start();
        trap.logger.addAppender(trap);
        return trap;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (first == null && event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            IThrowableProxy thrown = event.getThrowableProxy();
            first = event.getLoggerName() + ": " + event.getFormattedMessage()
                    + (thrown != null ? " - " + thrown.getClassName() + ": " + thrown.getMessage() : "");
        }
    }

    public void reset() {
        first = null;
    }

    /** Fails with the first ERROR event since {@link #reset()}, if there was one. */
    public void assertNothingLogged() {
        String event = first;
        if (event != null) {
            throw new AssertionError("logged at ERROR: " + event);
        }
    }

    @Override
    public void close() {
        logger.detachAppender(this);
        stop();
        logger.setLevel(levelBefore);
    }
}
