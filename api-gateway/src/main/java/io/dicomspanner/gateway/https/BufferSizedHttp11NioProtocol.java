package io.dicomspanner.gateway.https;

import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Tomcat's NIO HTTP/1.1 protocol with the size of each request's response buffer as a property. Tomcat sizes that
 * buffer from {@link #getDesiredBufferSize()}, which its HTTP/1.1 protocol leaves at "the default" (8 KB of bytes and
 * 8,192 characters per connection); {@link ConnectionBufferProperties} sets it.
 */
public class BufferSizedHttp11NioProtocol extends Http11NioProtocol {

    /** The connector property that sets {@link #getDesiredBufferSize()}. */
    static final String DESIRED_BUFFER_SIZE = "desiredBufferSize";

    private volatile int desiredBufferSize = -1;

    @Override
    public int getDesiredBufferSize() {
        return desiredBufferSize;
    }

    /** The response buffer of each request, in bytes (and characters); -1 for Tomcat's default. */
    public void setDesiredBufferSize(int desiredBufferSize) {
        this.desiredBufferSize = desiredBufferSize;
    }
}
