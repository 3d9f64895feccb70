package io.dicomspanner.bench.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one request with its target written byte for byte (an HTTP client library would refuse or re-encode the
 * malformed ones) on a fresh connection, and reads the status line.
 */
final class HttpProber {

    private final String host;
    private final int port;
    private final String apiKey;
    private final Duration answerTimeout;

    HttpProber(String host, int port, String apiKey, Duration answerTimeout) {
        this.host = host;
        this.port = port;
        this.apiKey = apiKey;
        this.answerTimeout = answerTimeout;
    }

    /**
     * The status of the answer; 0 when the server closed the connection without one (it refused the request line),
     * -1 for a hang, -2 when nothing could connect, -3 for an answer that is not HTTP/1.1.
     */
    int send(QidoProbes.Probe probe) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout((int) answerTimeout.toMillis());
            StringBuilder request = new StringBuilder("GET ")
                    .append(probe.target())
                    .append(" HTTP/1.1\r\nHost: ")
                    .append(host)
                    .append("\r\nAuthorization: Api-Key ")
                    .append(apiKey)
                    .append("\r\nConnection: close\r\n");
            if (probe.accept() != null) {
                request.append("Accept: ").append(probe.accept()).append("\r\n");
            }
            request.append("\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            return statusOf(socket.getInputStream());
        } catch (ConnectException e) {
            return -2;
        } catch (SocketTimeoutException e) {
            return -1;
        } catch (IOException e) {
            // reset by the server after a refused request line
            return 0;
        }
    }

    static int statusOf(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        String status = line.toString(StandardCharsets.ISO_8859_1);
        if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
            return status.isEmpty() ? 0 : -3;
        }
        in.transferTo(OutputStreamSink.INSTANCE);
        return Integer.parseInt(status.substring(9, 12));
    }

    /** Reads and drops the rest of an answer, so that the server sees the whole of it taken. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {}

        @Override
        public void write(byte[] b, int off, int len) {}
    }

    static Outcome outcomeOf(int status) {
        if (status == -2) {
            return Outcome.UNREACHABLE;
        }
        if (status == -1) {
            return Outcome.HANG;
        }
        if (status >= 500 || status == -3) {
            return Outcome.SERVER_ERROR;
        }
        if (status >= 200 && status < 300) {
            return Outcome.ACCEPTED;
        }
        return Outcome.REFUSED;
    }
}
