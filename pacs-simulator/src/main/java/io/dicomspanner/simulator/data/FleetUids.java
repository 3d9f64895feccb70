package io.dicomspanner.simulator.data;

import java.math.BigInteger;

/**
 * The UIDs of one fleet: {@code 2.25.} UIDs (PS3.5 §B.2) of version 8 ("custom", RFC 9562) UUIDs whose upper half
 * derives from the seed and whose lower half encodes what the UID names and its index.
 *
 * <p>Encoding the index lets a PACS find a study, series or image from its UID without a map of hundreds of thousands
 * of strings, and lets tests name any entity of a fleet. UIDs of different seeds differ in their upper half, so two
 * fleets never share a UID.
 *
 * <p>Lower half: variant bits {@code 10}, 2 bits of kind (1 study, 2 series, 3 image), 60 bits of payload: the
 * study's or series' index, or for an image the series' index shifted left by {@value #INSTANCE_NUMBER_BITS} bits
 * plus the instance number.
 */
final class FleetUids {
    static final int INSTANCE_NUMBER_BITS = 20;

    private static final String ROOT = "2.25.";
    private static final int MAX_UID_LENGTH = 64;
    private static final long KIND_STUDY = 1;
    private static final long KIND_SERIES = 2;
    private static final long KIND_INSTANCE = 3;
    private static final long VARIANT = 0b10L << 62;
    private static final long PAYLOAD_MASK = (1L << 60) - 1;
    private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    private final long upper;
    private final BigInteger upperShifted;

    FleetUids(long seed) {
        long h = Seeds.mix(seed, 0x5549_4453);
        this.upper = (h & ~0xF000L) | 0x8000L;
        this.upperShifted = new BigInteger(Long.toUnsignedString(upper)).shiftLeft(64);
    }

    String study(int studyIndex) {
        return uid(KIND_STUDY, studyIndex);
    }

    String series(int seriesIndex) {
        return uid(KIND_SERIES, seriesIndex);
    }

    String instance(int seriesIndex, int instanceNumber) {
        return uid(KIND_INSTANCE, ((long) seriesIndex << INSTANCE_NUMBER_BITS) | instanceNumber);
    }

    /** The study index a UID of this fleet names, or -1 for any other UID. */
    long studyIndexOf(String uid) {
        return payloadOf(uid, KIND_STUDY);
    }

    /** The series index a UID of this fleet names, or -1 for any other UID. */
    long seriesIndexOf(String uid) {
        return payloadOf(uid, KIND_SERIES);
    }

    /** The series index and instance number (see class comment) an image UID of this fleet names, or -1. */
    long instancePayloadOf(String uid) {
        return payloadOf(uid, KIND_INSTANCE);
    }

    private String uid(long kind, long payload) {
        long lower = VARIANT | (kind << 60) | payload;
        return ROOT + upperShifted.add(new BigInteger(Long.toUnsignedString(lower)));
    }

    private long payloadOf(String uid, long kind) {
        if (uid == null || uid.length() > MAX_UID_LENGTH || !uid.startsWith(ROOT) || uid.length() == ROOT.length()) {
            return -1;
        }
        for (int i = ROOT.length(); i < uid.length(); i++) {
            char c = uid.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        if (uid.charAt(ROOT.length()) == '0') {
            return -1;
        }
        BigInteger[] halves = new BigInteger(uid.substring(ROOT.length())).divideAndRemainder(TWO_TO_64);
        if (halves[0].bitLength() > 64 || halves[0].longValue() != upper) {
            return -1;
        }
        long lower = halves[1].longValue();
        if ((lower >>> 62) != 0b10L || ((lower >>> 60) & 0b11L) != kind) {
            return -1;
        }
        return lower & PAYLOAD_MASK;
    }
}
