package io.dicomspanner.bench.hostile;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * Runs one {@link DicomProbes.Stream} against a listener: the connection must end (the listener closes it, after an
 * A-ABORT, an A-ASSOCIATE-RJ or a release) within the timeout, unless the client goes away first on purpose.
 */
final class DicomProber {

    private final String host;
    private final int port;
    private final Duration closeTimeout;
    private final Duration findTimeout;

    /**
     * @param closeTimeout how long the listener may take to close a connection it cannot use: its ARTIM timeout plus a
     *     margin
     * @param findTimeout how long a C-FIND with a malformed identifier may take to be answered and released
     */
    DicomProber(String host, int port, Duration closeTimeout, Duration findTimeout) {
        this.host = host;
        this.port = port;
        this.closeTimeout = closeTimeout;
        this.findTimeout = findTimeout;
    }

    Outcome run(DicomProbes.Stream stream) {
        // A stream that may start a real C-FIND (its command is well-formed) gets the time of one.
        boolean mayFind = stream.releaseAfterFind() || stream.afterAccept() != null;
        long deadline = System.nanoTime() + (mayFind ? findTimeout : closeTimeout).toNanos();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            if (stream.dripMillis() > 0) {
                return drip(socket, stream, deadline);
            }
            out.write(stream.opening());
            out.flush();
            if (stream.afterAccept() != null) {
                int type = readPdu(socket, in, deadline, null);
                if (type == 2) {
                    out.write(stream.afterAccept());
                    out.flush();
                } else if (type < 0) {
                    return type == -1 ? Outcome.REFUSED : Outcome.HANG;
                }
            }
            if (stream.clientAborts()) {
                socket.setSoLinger(true, 0);
                return Outcome.CLIENT_WENT_AWAY;
            }
            int[] findStatus = {-1};
            while (true) {
                int type = readPdu(socket, in, deadline, findStatus);
                if (type == -1) {
                    return Outcome.REFUSED; // closed by the listener
                }
                if (type == -2) {
                    return Outcome.HANG;
                }
                if (type == 6) {
                    return Outcome.REFUSED; // released: the requestor closes (PS3.8 §9.1.2.4)
                }
                // The listener accepted the association, or answered a C-FIND: a polite requestor releases it now.
                if (type == 2 || (type == 4 && isFinal(findStatus[0]))) {
                    out.write(new byte[] {5, 0, 0, 0, 0, 4, 0, 0, 0, 0});
                    out.flush();
                    findStatus[0] = -1;
                }
            }
        } catch (ConnectException e) {
            return Outcome.UNREACHABLE;
        } catch (IOException e) {
            return Outcome.REFUSED; // reset by the listener
        }
    }

    private static boolean isFinal(int status) {
        return status >= 0 && status != 0xFF00 && status != 0xFF01;
    }

    /** Sends the opening byte by byte; the listener must close the connection before the deadline. */
    private Outcome drip(Socket socket, DicomProbes.Stream stream, long deadline) throws IOException {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        socket.setSoTimeout(Math.max(1, stream.dripMillis()));
        byte[] scratch = new byte[512];
        int sent = 0;
        while (System.nanoTime() < deadline) {
            if (sent < stream.opening().length) {
                try {
                    out.write(stream.opening()[sent++]);
                    out.flush();
                } catch (IOException e) {
                    return Outcome.REFUSED;
                }
            }
            try {
                if (in.read(scratch) < 0) {
                    return Outcome.REFUSED;
                }
            } catch (SocketTimeoutException e) {
                // still open
            } catch (IOException e) {
                return Outcome.REFUSED;
            }
        }
        return Outcome.HANG;
    }

    /**
     * Reads one PDU; its type, -1 when the listener closed the connection, -2 at the deadline. The final status of a
     * C-FIND-RSP found in a P-DATA goes to {@code findStatus[0]}.
     */
    static int readPdu(Socket socket, DataInputStream in, long deadline, int[] findStatus) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            return -2;
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        try {
            int type = in.read();
            if (type < 0) {
                return -1;
            }
            in.readUnsignedByte();
            long length = in.readInt() & 0xFFFFFFFFL;
            if (length > 16 * 1024 * 1024) {
                return -1; // not a PDU a listener sends; treat as the end of the conversation
            }
            byte[] body = new byte[(int) length];
            in.readFully(body);
            if (type == 4 && findStatus != null) {
                int status = commandStatus(body);
                if (status >= 0) {
                    findStatus[0] = status;
                }
            }
            return type;
        } catch (SocketTimeoutException e) {
            return -2;
        } catch (EOFException e) {
            return -1;
        }
    }

    /** The Status (0000,0900) of a command PDV in a P-DATA body, Implicit VR Little Endian; -1 if none. */
    static int commandStatus(byte[] body) {
        for (int i = 0; i + 10 <= body.length; i++) {
            if (body[i] == 0
                    && body[i + 1] == 0
                    && body[i + 2] == 0
                    && body[i + 3] == 0x09
                    && body[i + 4] == 2
                    && body[i + 5] == 0
                    && body[i + 6] == 0
                    && body[i + 7] == 0) {
                return (body[i + 8] & 0xFF) | (body[i + 9] & 0xFF) << 8;
            }
        }
        return -1;
    }
}
