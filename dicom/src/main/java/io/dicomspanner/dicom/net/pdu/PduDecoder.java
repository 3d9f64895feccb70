package io.dicomspanner.dicom.net.pdu;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Frames the byte stream into PDUs by their 6-byte header and parses each one. Refuses, before buffering the body,
 * an unknown PDU type (A-ABORT reason unrecognized-PDU), a P-DATA-TF longer than the maximum length this side
 * announced, an A-ASSOCIATE PDU longer than its own bound, and fixed-size PDUs of the wrong size (invalid parameter
 * value). After the first error, and after {@link #discardInput()}, every further byte is dropped unread.
 *
 * <p>A PDU whose first byte arrived must be complete within the PDU read timeout; otherwise a
 * {@link PduReadTimeoutException} goes down the pipeline, so a peer that stalls mid-PDU cannot hold the association.
 */
public final class PduDecoder extends ByteToMessageDecoder {
    private final int maxPDataLength;
    private final int maxAssociateLength;
    private final long readTimeoutNanos;
    private boolean discarding;
    private boolean pduCompleted;
    private ScheduledFuture<?> stallTimer;

    /**
     * @param maxPDataLength the maximum P-DATA-TF variable field length this side announced (51H)
     * @param maxAssociateLength the largest A-ASSOCIATE-RQ/AC variable field accepted
     * @param readTimeoutNanos how long one PDU may take to arrive once begun; 0 disables the check
     */
    public PduDecoder(int maxPDataLength, int maxAssociateLength, long readTimeoutNanos) {
        this.maxPDataLength = maxPDataLength;
        this.maxAssociateLength = maxAssociateLength;
        this.readTimeoutNanos = readTimeoutNanos;
    }

    /** Drops all input from now on: the association no longer exists and only the transport close is awaited. */
    public void discardInput() {
        discarding = true;
        cancelStallTimer();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws InvalidPduException {
        if (discarding) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < PduWriter.HEADER_LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int code = in.getUnsignedByte(start);
        long length = in.getUnsignedInt(start + 2);
        PduType type = PduType.ofCode(code);
        if (type == null) {
            throw refuse(new InvalidPduException(
                    AAbort.REASON_UNRECOGNIZED_PDU, String.format("unknown PDU type %02XH", code)));
        }
        long limit = switch (type) {
            case P_DATA_TF -> maxPDataLength;
            case A_ASSOCIATE_RQ, A_ASSOCIATE_AC -> maxAssociateLength;
            default -> 4;
        };
        if (length > limit || (limit == 4 && length != 4)) {
            throw refuse(new InvalidPduException(
                    AAbort.REASON_INVALID_PDU_PARAMETER_VALUE,
                    type + " length " + length + (limit == 4 ? " is not 4" : " exceeds the maximum " + limit)));
        }
        if (in.readableBytes() < PduWriter.HEADER_LENGTH + length) {
            return;
        }
        in.skipBytes(PduWriter.HEADER_LENGTH);
        ByteBuf body = in.readSlice((int) length);
        try {
            out.add(PduReader.read(type, body));
        } catch (InvalidPduException e) {
            throw refuse(e);
        }
        pduCompleted = true;
    }

    private InvalidPduException refuse(InvalidPduException e) {
        discardInput();
        return e;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (readTimeoutNanos <= 0 || discarding) {
            return;
        }
        boolean partial = internalBuffer().isReadable();
        if (!partial) {
            cancelStallTimer();
        } else if (stallTimer == null || pduCompleted) {
            cancelStallTimer();
            stallTimer = ctx.executor().schedule(() -> onStall(ctx), readTimeoutNanos, TimeUnit.NANOSECONDS);
        }
        pduCompleted = false;
    }

    private void onStall(ChannelHandlerContext ctx) {
        stallTimer = null;
        if (!discarding && internalBuffer().isReadable()) {
            int buffered = internalBuffer().readableBytes();
            discardInput();
            ctx.fireExceptionCaught(new PduReadTimeoutException("peer sent " + buffered + " bytes of a PDU and then"
                    + " nothing for " + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos) + " ms"));
        }
    }

    private void cancelStallTimer() {
        if (stallTimer != null) {
            stallTimer.cancel(false);
            stallTimer = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelStallTimer();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancelStallTimer();
        super.channelInactive(ctx);
    }
}
