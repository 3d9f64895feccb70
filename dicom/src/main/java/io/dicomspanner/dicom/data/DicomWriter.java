package io.dicomspanner.dicom.data;

import java.util.Arrays;

/**
 * Encodes a data set in Implicit or Explicit VR Little Endian (PS3.5 §7). Values are padded to even length with the
 * VR's padding byte; sequences and items are written with undefined length; group lengths are left out.
 *
 * <p>One writer can be reused for many data sets ({@link #reset()}) so the hot path allocates nothing but the result.
 */
public final class DicomWriter {
    private static final int UNDEFINED = 0xFFFFFFFF;

    private byte[] buf;
    private int len;

    public DicomWriter() {
        this(256);
    }

    public DicomWriter(int initialCapacity) {
        this.buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Encodes {@code attrs} alone and returns the bytes. */
    public static byte[] encode(Attributes attrs, TransferSyntax ts) {
        DicomWriter w = new DicomWriter(256);
        w.write(attrs, ts);
        return w.toByteArray();
    }

    public DicomWriter reset() {
        len = 0;
        return this;
    }

    /** Appends the encoding of {@code attrs}. Group length elements (gggg,0000) are skipped. */
    public DicomWriter write(Attributes attrs, TransferSyntax ts) {
        if (ts.bigEndian() || ts.deflated()) {
            throw new IllegalArgumentException("writing " + ts + " is not supported");
        }
        writeItemContent(attrs, ts.explicitVr(), attrs.specificCharacterSet());
        return this;
    }

    /** Appends one element (used for the command group, whose group length is written by the caller). */
    public DicomWriter writeElement(Attributes attrs, int index, boolean explicitVr) {
        writeElement(attrs, index, explicitVr, attrs.specificCharacterSet());
        return this;
    }

    private void writeItemContent(Attributes attrs, boolean explicitVr, SpecificCharacterSet cs) {
        SpecificCharacterSet own = attrs.contains(Tag.SPECIFIC_CHARACTER_SET) ? attrs.specificCharacterSet() : cs;
        for (int i = 0; i < attrs.size(); i++) {
            int tag = attrs.tagAt(i);
            if (Tag.isGroupLength(tag) && Tag.group(tag) > 2) {
                continue;
            }
            writeElement(attrs, i, explicitVr, own);
        }
    }

    private void writeElement(Attributes attrs, int i, boolean explicitVr, SpecificCharacterSet cs) {
        int tag = attrs.tagAt(i);
        VR vr = attrs.vrAt(i);
        Object v = attrs.valueAt(i);
        if (v instanceof Sequence sq) {
            header(tag, VR.SQ, UNDEFINED, explicitVr);
            for (Attributes item : sq.items()) {
                put32Tag(Tag.ITEM);
                put32(UNDEFINED);
                writeItemContent(item, explicitVr, cs);
                put32Tag(Tag.ITEM_DELIMITATION_ITEM);
                put32(0);
            }
            put32Tag(Tag.SEQUENCE_DELIMITATION_ITEM);
            put32(0);
            return;
        }
        if (v instanceof Fragments f) {
            header(tag, vr, UNDEFINED, explicitVr);
            for (byte[] item : f.items()) {
                put32Tag(Tag.ITEM);
                put32(item.length + (item.length & 1));
                putBytes(item, 0, item.length);
                if ((item.length & 1) != 0) {
                    putByte(0);
                }
            }
            put32Tag(Tag.SEQUENCE_DELIMITATION_ITEM);
            put32(0);
            return;
        }
        byte[] bytes;
        if (v == null) {
            bytes = null;
        } else if (v instanceof byte[] b) {
            bytes = b;
        } else {
            bytes = Attributes.encodeText(vr, v, cs);
        }
        int n = bytes == null ? 0 : bytes.length;
        int padded = n + (n & 1);
        VR wireVr = explicitVr && !vr.longHeader() && padded > 0xFFFF ? VR.UN : vr;
        header(tag, wireVr, padded, explicitVr);
        if (n > 0) {
            putBytes(bytes, 0, n);
            if (padded != n) {
                putByte(vr.padding());
            }
        }
    }

    private void header(int tag, VR vr, int length, boolean explicitVr) {
        put32Tag(tag);
        if (!explicitVr) {
            put32(length);
        } else if (vr.longHeader()) {
            ensure(8);
            buf[len++] = (byte) (vr.code() >>> 8);
            buf[len++] = (byte) vr.code();
            buf[len++] = 0;
            buf[len++] = 0;
            put32(length);
        } else {
            ensure(4);
            buf[len++] = (byte) (vr.code() >>> 8);
            buf[len++] = (byte) vr.code();
            buf[len++] = (byte) length;
            buf[len++] = (byte) (length >>> 8);
        }
    }

    private void put32Tag(int tag) {
        ensure(4);
        buf[len++] = (byte) (tag >>> 16);
        buf[len++] = (byte) (tag >>> 24);
        buf[len++] = (byte) tag;
        buf[len++] = (byte) (tag >>> 8);
    }

    public void put32(int v) {
        ensure(4);
        buf[len++] = (byte) v;
        buf[len++] = (byte) (v >>> 8);
        buf[len++] = (byte) (v >>> 16);
        buf[len++] = (byte) (v >>> 24);
    }

    public void putByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    public void putBytes(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    /** Bytes written so far. */
    public int length() {
        return len;
    }

    /** The internal buffer; valid up to {@link #length()} until the next write. */
    public byte[] buffer() {
        return buf;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
