package io.dicomspanner.dicom.data;

/** Little-endian binary values: conversion to and from Java numbers and strings. */
final class BinaryValues {
    private BinaryValues() {}

    static int intAt(VR vr, byte[] b, int index) {
        int off = index * vr.binaryValueSize();
        return switch (vr) {
            case US -> (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
            case SS -> (short) ((b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8);
            case UL, SL -> le32(b, off);
            case AT -> (le16(b, off) << 16) | le16(b, off + 2);
            default -> throw new IllegalArgumentException(vr + " is not an integer VR");
        };
    }

    static String[] toStrings(VR vr, byte[] b) {
        int size = vr.binaryValueSize();
        if (size == 0) {
            throw new IllegalArgumentException(vr + " has no string form");
        }
        int n = b.length / size;
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            int off = i * size;
            out[i] = switch (vr) {
                case US -> Integer.toString(le16(b, off));
                case SS -> Integer.toString((short) le16(b, off));
                case UL -> Long.toString(le32(b, off) & 0xFFFFFFFFL);
                case SL -> Integer.toString(le32(b, off));
                case FL -> Float.toString(Float.intBitsToFloat(le32(b, off)));
                case FD -> Double.toString(Double.longBitsToDouble(le64(b, off)));
                case SV -> Long.toString(le64(b, off));
                case UV -> Long.toUnsignedString(le64(b, off));
                case AT -> Tag.toHex(intAt(VR.AT, b, i));
                default -> throw new IllegalArgumentException(vr.name());
            };
        }
        return out;
    }

    static byte[] fromStrings(VR vr, String... values) {
        int size = vr.binaryValueSize();
        if (size == 0) {
            throw new IllegalArgumentException(vr + " values cannot be set from strings");
        }
        byte[] b = new byte[values.length * size];
        for (int i = 0; i < values.length; i++) {
            String s = values[i].trim();
            int off = i * size;
            switch (vr) {
                case US, SS -> put16(b, off, Integer.parseInt(s));
                case UL -> put32(b, off, (int) Long.parseLong(s));
                case SL -> put32(b, off, Integer.parseInt(s));
                case FL -> put32(b, off, Float.floatToIntBits(Float.parseFloat(s)));
                case FD -> put64(b, off, Double.doubleToLongBits(Double.parseDouble(s)));
                case SV -> put64(b, off, Long.parseLong(s));
                case UV -> put64(b, off, Long.parseUnsignedLong(s));
                case AT -> {
                    int tag = Tag.parseHex(s);
                    put16(b, off, tag >>> 16);
                    put16(b, off + 2, tag);
                }
                default -> throw new IllegalArgumentException(vr.name());
            }
        }
        return b;
    }

    static byte[] fromInts(VR vr, int... ints) {
        int size = vr.binaryValueSize();
        byte[] b = new byte[ints.length * size];
        for (int i = 0; i < ints.length; i++) {
            int off = i * size;
            switch (vr) {
                case US, SS -> put16(b, off, ints[i]);
                case UL, SL -> put32(b, off, ints[i]);
                case AT -> {
                    put16(b, off, ints[i] >>> 16);
                    put16(b, off + 2, ints[i]);
                }
                default -> throw new IllegalArgumentException(vr + " is not an integer VR");
            }
        }
        return b;
    }

    static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static int le32(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long le64(byte[] b, int off) {
        return (le32(b, off) & 0xFFFFFFFFL) | ((long) le32(b, off + 4)) << 32;
    }

    static void put16(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int off, int v) {
        b[off] = (byte) v;
        b[off + 1] = (byte) (v >>> 8);
        b[off + 2] = (byte) (v >>> 16);
        b[off + 3] = (byte) (v >>> 24);
    }

    static void put64(byte[] b, int off, long v) {
        put32(b, off, (int) v);
        put32(b, off + 4, (int) (v >>> 32));
    }

    /** Reverses the byte order of each value of {@code size} bytes, in place (big-endian input). */
    static void swap(byte[] b, int size) {
        if (size <= 1) {
            return;
        }
        for (int off = 0; off + size <= b.length; off += size) {
            for (int i = 0, j = size - 1; i < j; i++, j--) {
                byte t = b[off + i];
                b[off + i] = b[off + j];
                b[off + j] = t;
            }
        }
    }
}
