package io.dicomspanner.dicom.json;

import io.dicomspanner.dicom.data.Attributes;
import java.io.UncheckedIOException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.exc.JacksonIOException;

/**
 * A JSON array of data sets written one at a time, for answers streamed while results are still arriving. Opened by
 * {@link DicomJsonWriter#openArray}; {@link #close()} ends the array and flushes, leaving the target stream open. If a
 * data set fails to be written, the array is left unterminated so the reader sees a broken document, not a short one.
 *
 * <p>Not thread-safe: one producer appends.
 */
public final class DicomJsonArrayWriter implements AutoCloseable {
    private final JsonGenerator generator;
    private final DicomJsonWriter.Output output;
    private boolean failed;
    private boolean closed;

    DicomJsonArrayWriter(DicomJsonWriter writer, JsonGenerator generator) {
        this.generator = generator;
        this.output = writer.output(generator);
        run(generator::writeStartArray);
    }

    /** Appends one data set. */
    public DicomJsonArrayWriter add(Attributes dataset) {
        if (closed) {
            throw new IllegalStateException("the JSON array is already closed");
        }
        run(() -> output.dataset(dataset));
        return this;
    }

    /** Pushes what has been written so far to the target, so a client sees each result as it comes. */
    public void flush() {
        run(generator::flush);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!failed) {
                generator.writeEndArray();
            }
            generator.close();
        } catch (JacksonIOException e) {
            throw new UncheckedIOException(e.getCause());
        }
    }

    private void run(Runnable step) {
        try {
            step.run();
        } catch (JacksonIOException e) {
            failed = true;
            throw new UncheckedIOException(e.getCause());
        } catch (RuntimeException e) {
            failed = true;
            throw e;
        }
    }
}
