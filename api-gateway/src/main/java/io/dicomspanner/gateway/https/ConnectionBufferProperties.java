package io.dicomspanner.gateway.https;

import jakarta.validation.constraints.NotNull;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DataSizeUnit;
import org.springframework.util.unit.DataSize;
import org.springframework.util.unit.DataUnit;
import org.springframework.validation.annotation.Validated;

/**
 * The buffers each open HTTP connection holds while its request waits for an answer. A search waits off the request
 * thread, so with 1,000 clients waiting the gateway holds 1,000 connections, and Tomcat's defaults (8 KB socket read
 * and write buffers, an 8 KB byte and an 8,192-character response buffer) cost about 88 KB of heap each. Smaller
 * buffers only mean more, smaller copies for a large answer; a request's headers still get their own
 * {@code server.max-http-request-header-size}.
 *
 * @param bufferSize the socket read and write buffer of each connection and its response buffer (bytes, and
 *     characters for the response's character buffer); 1 KB to 64 KB
 */
@Validated
@ConfigurationProperties("spanner.connections")
public record ConnectionBufferProperties(
        @NotNull @DataSizeUnit(DataUnit.BYTES) DataSize bufferSize) {

    private static final long MIN = 1024;
    private static final long MAX = 64 * 1024;

    public ConnectionBufferProperties {
        if (bufferSize != null && (bufferSize.toBytes() < MIN || bufferSize.toBytes() > MAX)) {
            throw new IllegalArgumentException("spanner.connections.buffer-size must be between 1KB and 64KB, not "
                    + bufferSize.toBytes() + " bytes");
        }
    }

    /** Sets the buffers of a connector made with {@link BufferSizedHttp11NioProtocol}. */
    void applyTo(Connector connector) {
        String bytes = String.valueOf(bufferSize.toBytes());
        setOrFail(connector, "socket.appReadBufSize", bytes);
        setOrFail(connector, "socket.appWriteBufSize", bytes);
        setOrFail(connector, BufferSizedHttp11NioProtocol.DESIRED_BUFFER_SIZE, bytes);
    }

    private static void setOrFail(Connector connector, String name, String value) {
        if (!connector.setProperty(name, value)) {
            throw new IllegalStateException("Tomcat connector " + connector + " has no property " + name);
        }
    }
}
