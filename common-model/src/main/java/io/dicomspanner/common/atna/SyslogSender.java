package io.dicomspanner.common.atna;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends framed syslog messages to one receiver over TCP, or over TLS (RFC 5425), from a thread of its own: callers only
 * put a message into a bounded queue and never wait for the network. A message the receiver could not be given is
 * kept and sent again after reconnecting, with a delay that doubles from the shortest to the longest backoff. A message
 * that finds the queue full, or is still unsent when the sender is closed, is counted
 * ({@code spanner_audit_atna_messages_total{result="dropped"|"unsent"}}) and logged: nothing is lost silently.
 */
public final class SyslogSender {

    private static final Logger log = LoggerFactory.getLogger(SyslogSender.class);
    private static final long DROP_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Where and how to send. */
    public record Target(String host, int port, SSLContext tls, Duration connectTimeout) {}

    /** How long to wait before reconnecting: doubling from {@code min} up to {@code max}. */
    public record Backoff(Duration min, Duration max) {}

    private final Target target;
    private final Backoff backoff;
    private final BlockingQueue<byte[]> queue;
    private final Counter sent;
    private final Counter dropped;
    private final Counter unsent;
    private final Counter connectFailures;
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private final AtomicLong lastDropLog = new AtomicLong(System.nanoTime() - DROP_LOG_INTERVAL_NANOS);
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean abort;
    private volatile Socket socket;
    private volatile byte[] pending;

    public SyslogSender(Target target, Backoff backoff, int capacity, MeterRegistry meters) {
        if (capacity < 1) {
            throw new IllegalArgumentException("queue capacity must be at least 1, is " + capacity);
        }
        this.target = target;
        this.backoff = backoff;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sent = result(meters, "sent", "Audit messages given to the Audit Record Repository");
        this.dropped = result(meters, "dropped", "Audit messages not sent: the queue was full");
        this.unsent = result(meters, "unsent", "Audit messages not sent: still queued when the service stopped");
        this.connectFailures = Counter.builder("spanner.audit.atna.connection.failures")
                .description("Connections to the Audit Record Repository that failed or broke")
                .register(meters);
        Gauge.builder("spanner.audit.atna.queue", queue, BlockingQueue::size)
                .description("Audit messages waiting to be sent")
                .register(meters);
        this.thread = new Thread(this::run, "atna-syslog-sender");
        this.thread.setDaemon(true);
    }

    private static Counter result(MeterRegistry meters, String result, String description) {
        return Counter.builder("spanner.audit.atna.messages")
                .description(description)
                .tag("result", result)
                .register(meters);
    }

    public void start() {
        thread.start();
    }

    /**
     * Queues one framed message without waiting. Returns {@code false} (and counts and logs it) when the queue is
     * full or the sender is closing.
     */
    public boolean offer(byte[] frame) {
        if (!closing && queue.offer(frame)) {
            return true;
        }
        dropped.increment();
        long count = droppedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastDropLog.get();
        if (now - last >= DROP_LOG_INTERVAL_NANOS && lastDropLog.compareAndSet(last, now)) {
            droppedSinceLog.addAndGet(-count);
            log.error(
                    "{} audit message(s) not sent to {}:{}: {}",
                    count,
                    target.host(),
                    target.port(),
                    closing ? "the sender is closed" : "the queue of " + (queue.size()) + " is full");
        }
        return false;
    }

    /** Messages queued and not yet handed to the receiver. */
    public int backlog() {
        return queue.size() + (pending == null ? 0 : 1);
    }

    /**
     * Stops taking messages, sends what is queued for at most {@code timeout}, then closes the connection. What is
     * still unsent then is counted and logged.
     */
    public void close(Duration timeout) {
        closing = true;
        try {
            thread.join(Math.max(1, timeout.toMillis()));
            if (thread.isAlive()) {
                abort = true;
                closeSocket();
                thread.interrupt();
                thread.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = queue.size() + (pending == null ? 0 : 1);
        queue.clear();
        if (left > 0) {
            unsent.increment(left);
            log.error(
                    "{} audit message(s) not sent to {}:{} within {} ms of stopping",
                    left,
                    target.host(),
                    target.port(),
                    timeout.toMillis());
        }
        closeSocket();
    }

    private void run() {
        long delayMillis = backoff.min().toMillis();
        int failuresInRow = 0;
        while (!abort) {
            try {
                if (pending == null) {
                    pending = queue.poll(200, TimeUnit.MILLISECONDS);
                }
                if (pending == null) {
                    if (closing) {
                        return;
                    }
                    continue;
                }
                OutputStream out = connected();
                out.write(pending);
                out.flush();
                pending = null;
                sent.increment();
                if (failuresInRow > 0) {
                    log.info("Audit messages reach {}:{} again", target.host(), target.port());
                }
                failuresInRow = 0;
                delayMillis = backoff.min().toMillis();
            } catch (InterruptedException e) {
                if (abort) {
                    return;
                }
            } catch (IOException | RuntimeException e) {
                closeSocket();
                connectFailures.increment();
                failuresInRow++;
                if (failuresInRow == 1 || failuresInRow % 10 == 0) {
                    log.warn(
                            "Audit Record Repository {}:{} not reachable ({} attempt(s), {} message(s) waiting), "
                                    + "retrying in {} ms: {}",
                            target.host(),
                            target.port(),
                            failuresInRow,
                            backlog(),
                            delayMillis,
                            e.toString());
                }
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException interrupted) {
                    if (abort) {
                        return;
                    }
                }
                delayMillis = Math.min(delayMillis * 2, backoff.max().toMillis());
            }
        }
    }

    /** The open connection's stream, after (re)connecting if there is none or the receiver closed it. */
    private OutputStream connected() throws IOException {
        Socket current = socket;
        if (current != null && !closedByPeer(current)) {
            return current.getOutputStream();
        }
        closeSocket();
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(target.host(), target.port()), (int)
                    target.connectTimeout().toMillis());
            plain.setKeepAlive(true);
            if (target.tls() == null) {
                socket = plain;
                return plain.getOutputStream();
            }
            SSLSocket tls =
                    (SSLSocket) target.tls().getSocketFactory().createSocket(plain, target.host(), target.port(), true);
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the receiver's certificate must name the host
            tls.setSSLParameters(parameters);
            tls.setSoTimeout((int) target.connectTimeout().toMillis());
            tls.startHandshake();
            socket = tls;
            return tls.getOutputStream();
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Whether the receiver has closed the connection. A syslog receiver never writes, so a read that times out at once
     * means the connection is open; an end of stream or an error means it is gone, and a message written now would be
     * lost in the socket's buffer.
     */
    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            InputStream in = socket.getInputStream();
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private void closeSocket() {
        Socket current = socket;
        socket = null;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                log.debug("closing the audit connection", e);
            }
        }
    }
}
