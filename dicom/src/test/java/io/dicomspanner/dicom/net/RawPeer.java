package io.dicomspanner.dicom.net;

import io.dicomspanner.dicom.net.pdu.Pdu;
import io.dicomspanner.dicom.net.pdu.PduReader;
import io.dicomspanner.dicom.net.pdu.PduType;
import io.dicomspanner.dicom.net.pdu.PduWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.HexFormat;

/** A hand-driven peer on a plain socket: sends exactly the bytes a test gives and reads PDUs back. */
public final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;

    public RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(socket.getInputStream());
    }

    public static RawPeer connect(int port) throws IOException {
        return new RawPeer(new Socket("127.0.0.1", port));
    }

    public static byte[] encode(Pdu pdu) {
        ByteBuf buf = Unpooled.buffer();
        PduWriter.write(pdu, buf);
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    public RawPeer send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public RawPeer send(Pdu pdu) throws IOException {
        return send(encode(pdu));
    }

    public RawPeer sendHex(String hex) throws IOException {
        return send(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    /** Reads one whole PDU and parses it. */
    public Pdu receive() throws IOException {
        byte[] header = new byte[6];
        in.readFully(header);
        int length = ((header[2] & 0xFF) << 24)
                | ((header[3] & 0xFF) << 16)
                | ((header[4] & 0xFF) << 8)
                | (header[5] & 0xFF);
        byte[] body = new byte[length];
        in.readFully(body);
        return PduReader.read(PduType.ofCode(header[0] & 0xFF), Unpooled.wrappedBuffer(body));
    }

    /** Reads one whole PDU as hex, header included. */
    public String receiveHex() throws IOException {
        byte[] header = new byte[6];
        in.readFully(header);
        int length = ((header[4] & 0xFF) << 8) | (header[5] & 0xFF);
        byte[] body = new byte[length];
        in.readFully(body);
        return HexFormat.of().formatHex(header) + HexFormat.of().formatHex(body);
    }

    /** True if the other side closed the connection (end of stream) before the 5 s read timeout. */
    public boolean closedByPeer() throws IOException {
        InputStream raw = socket.getInputStream();
        try {
            while (raw.read() != -1) {
                // drain whatever is still in flight
            }
            return true;
        } catch (EOFException e) {
            return true;
        }
    }

    public InputStream input() {
        return in;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
