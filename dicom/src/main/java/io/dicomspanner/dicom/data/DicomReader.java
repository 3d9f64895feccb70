package io.dicomspanner.dicom.data;

import java.util.Arrays;

/**
 * Decodes a data set from bytes in one transfer syntax (PS3.5 §7): Implicit or Explicit VR, little or big endian,
 * defined or undefined lengths, nested items and delimiters, encapsulated pixel data.
 *
 * <p>Every length is checked against the bytes that remain, and nesting is bounded, so malformed input fails with a
 * {@link DicomParseException} naming the offset instead of running out of memory.
 */
public final class DicomReader {
    /** Deeper nesting than this is refused; real data sets rarely exceed 5 levels. */
    public static final int MAX_DEPTH = 32;

    private static final int UNDEFINED = -1;

    private final byte[] buf;
    private final int end;
    private final boolean explicitVr;
    private final boolean bigEndian;
    private final ElementDictionary dictionary = ElementDictionary.standard();
    private int pos;

    private DicomReader(byte[] buf, int off, int len, boolean explicitVr, boolean bigEndian) {
        if (off < 0 || len < 0 || off + len > buf.length) {
            throw new IndexOutOfBoundsException("range " + off + "+" + len + " outside " + buf.length);
        }
        this.buf = buf;
        this.pos = off;
        this.end = off + len;
        this.explicitVr = explicitVr;
        this.bigEndian = bigEndian;
    }

    /** Reads a whole data set in the given transfer syntax (not deflated: inflate first). */
    public static Attributes read(byte[] data, TransferSyntax ts) {
        return read(data, 0, data.length, ts);
    }

    public static Attributes read(byte[] data, int off, int len, TransferSyntax ts) {
        if (ts.deflated()) {
            throw new IllegalArgumentException("inflate the data set before reading it");
        }
        DicomReader r = new DicomReader(data, off, len, ts.explicitVr(), ts.bigEndian());
        // About one attribute per 16 bytes in query identifiers; sizing once saves three array regrowths.
        Attributes attrs = new Attributes(null, Math.min(64, Math.max(8, len >> 4)));
        r.readItemContent(attrs, len, 0);
        return attrs;
    }

    /** Reads Explicit VR Little Endian elements starting at {@code off} while their group equals {@code group}. */
    static Attributes readGroup(byte[] data, int off, int group, int[] endOut) {
        DicomReader r = new DicomReader(data, off, data.length - off, true, false);
        Attributes attrs = new Attributes();
        while (r.pos + 8 <= r.end && r.peekGroup() == group) {
            r.readElement(attrs, 0);
        }
        endOut[0] = r.pos;
        return attrs;
    }

    private int peekGroup() {
        return u16(pos);
    }

    /** Reads elements into {@code attrs} until {@code length} bytes are used, or an item delimiter if undefined. */
    private void readItemContent(Attributes attrs, int length, int depth) {
        int stop = length == UNDEFINED ? end : checkedEnd(length);
        while (pos < stop) {
            if (stop - pos < 8) {
                throw error("truncated element header (" + (stop - pos) + " bytes left)");
            }
            int tag = tagAt(pos);
            if (tag == Tag.ITEM_DELIMITATION_ITEM) {
                pos += 8;
                if (length != UNDEFINED) {
                    throw error("item delimitation item inside an item of defined length");
                }
                return;
            }
            readElement(attrs, depth);
        }
        if (length == UNDEFINED && pos >= end) {
            // A missing item delimiter at the very end is tolerated, as dcmtk does.
            return;
        }
        if (pos != stop) {
            throw error("element overruns its item by " + (pos - stop) + " bytes");
        }
    }

    private void readElement(Attributes attrs, int depth) {
        int start = pos;
        int tag = tagAt(pos);
        pos += 4;
        VR vr;
        int len;
        if (tag == Tag.ITEM || tag == Tag.ITEM_DELIMITATION_ITEM || tag == Tag.SEQUENCE_DELIMITATION_ITEM) {
            throw error("unexpected " + Tag.toString(tag) + " outside a sequence", start);
        }
        if (explicitVr) {
            int code = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
            vr = VR.ofCode(code);
            if (vr == null) {
                // Unknown VR codes are read as UN with a long header (PS3.5 §6.2, note on future VRs).
                vr = VR.UN;
            }
            if (vr.longHeader()) {
                need(8);
                len = i32(pos + 4);
                pos += 8;
            } else {
                len = u16(pos + 2);
                pos += 4;
            }
        } else {
            need(4);
            len = i32(pos);
            pos += 4;
            vr = dictionary.vrOf(tag);
        }
        if (len == UNDEFINED) {
            if (vr == VR.SQ) {
                readSequence(attrs, tag, UNDEFINED, depth);
            } else if (explicitVr && vr == VR.UN) {
                // UN of undefined length holds an SQ encoded in Implicit VR Little Endian (PS3.5 §6.2.2).
                readImplicitSequence(attrs, tag, depth);
            } else if (tag == Tag.PIXEL_DATA || (explicitVr && (vr == VR.OB || vr == VR.OW))) {
                readFragments(attrs, tag, explicitVr ? vr : VR.OB);
            } else if (!explicitVr) {
                // Implicit VR: an undefined length can only be a sequence the dictionary does not know as one.
                readSequence(attrs, tag, UNDEFINED, depth);
            } else {
                throw error("undefined length not allowed for " + vr + " " + Tag.toString(tag), start);
            }
            return;
        }
        if (len < 0 || len > end - pos) {
            throw error(
                    "value length " + Integer.toUnsignedString(len) + " of " + Tag.toString(tag) + " exceeds the "
                            + (end - pos) + " bytes left",
                    start);
        }
        if (vr == VR.SQ) {
            readSequence(attrs, tag, len, depth);
            return;
        }
        if (Tag.isGroupLength(tag) && Tag.group(tag) > 2) {
            // Retired group lengths carry nothing and turn wrong after any edit (PS3.5 §7.2): drop them.
            pos += len;
            return;
        }
        byte[] value = len == 0 ? null : Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        if (bigEndian && value != null) {
            swapToLittleEndian(vr, value);
        }
        attrs.put(tag, vr, value);
    }

    private void readSequence(Attributes attrs, int tag, int length, int depth) {
        if (depth >= MAX_DEPTH) {
            throw error("sequences nested deeper than " + MAX_DEPTH);
        }
        Sequence sq = attrs.newSequence(tag);
        int stop = length == UNDEFINED ? end : checkedEnd(length);
        while (pos < stop) {
            need(8);
            int itemTag = tagAt(pos);
            int itemLen = i32(pos + 4);
            pos += 8;
            if (itemTag == Tag.SEQUENCE_DELIMITATION_ITEM) {
                if (length != UNDEFINED) {
                    throw error("sequence delimiter inside a sequence of defined length");
                }
                return;
            }
            if (itemTag != Tag.ITEM) {
                throw error("expected an item in " + Tag.toString(tag) + " but found " + Tag.toString(itemTag));
            }
            readItemContent(sq.addItem(), itemLen, depth + 1);
        }
        if (pos != stop && length != UNDEFINED) {
            throw error("sequence " + Tag.toString(tag) + " overruns its length");
        }
    }

    private void readImplicitSequence(Attributes attrs, int tag, int depth) {
        DicomReader inner = new DicomReader(buf, pos, end - pos, false, false);
        inner.readSequence(attrs, tag, UNDEFINED, depth);
        pos = inner.pos;
    }

    private void readFragments(Attributes attrs, int tag, VR vr) {
        Fragments fragments = new Fragments();
        while (true) {
            need(8);
            int itemTag = tagAt(pos);
            int itemLen = i32(pos + 4);
            pos += 8;
            if (itemTag == Tag.SEQUENCE_DELIMITATION_ITEM) {
                break;
            }
            if (itemTag != Tag.ITEM || itemLen < 0 || itemLen > end - pos) {
                throw error("bad fragment item in " + Tag.toString(tag));
            }
            byte[] item = Arrays.copyOfRange(buf, pos, pos + itemLen);
            pos += itemLen;
            fragments.add(item);
        }
        attrs.setFragments(tag, vr, fragments);
    }

    private static void swapToLittleEndian(VR vr, byte[] value) {
        switch (vr) {
            case US, SS, OW, AT -> BinaryValues.swap(value, 2);
            case UL, SL, FL, OF, OL -> BinaryValues.swap(value, 4);
            case FD, OD, SV, UV, OV -> BinaryValues.swap(value, 8);
            default -> {}
        }
    }

    private int checkedEnd(int length) {
        if (length < 0 || length > end - pos) {
            throw error("length " + Integer.toUnsignedString(length) + " exceeds the " + (end - pos) + " bytes left");
        }
        return pos + length;
    }

    private void need(int n) {
        if (end - pos < n) {
            throw error("truncated: need " + n + " bytes, " + (end - pos) + " left");
        }
    }

    private int tagAt(int off) {
        return (u16(off) << 16) | u16(off + 2);
    }

    private int u16(int off) {
        return bigEndian
                ? ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF)
                : (buf[off] & 0xFF) | ((buf[off + 1] & 0xFF) << 8);
    }

    private int i32(int off) {
        return bigEndian
                ? ((buf[off] & 0xFF) << 24)
                        | ((buf[off + 1] & 0xFF) << 16)
                        | ((buf[off + 2] & 0xFF) << 8)
                        | (buf[off + 3] & 0xFF)
                : (buf[off] & 0xFF)
                        | ((buf[off + 1] & 0xFF) << 8)
                        | ((buf[off + 2] & 0xFF) << 16)
                        | ((buf[off + 3] & 0xFF) << 24);
    }

    private DicomParseException error(String message) {
        return error(message, pos);
    }

    private static DicomParseException error(String message, int offset) {
        return new DicomParseException(message + " at byte " + offset);
    }
}
