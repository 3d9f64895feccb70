package io.dicomspanner.bench.hostile;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Malformed PDU streams and associations for a DICOM listener (PS3.8 §9.3), generated from a seed. Each is one
 * connection: bytes sent before any association, or a valid A-ASSOCIATE-RQ followed, once the listener accepts, by
 * something malformed; some end with the client going away mid-stream, some drip their bytes slowly.
 */
public final class DicomProbes {

    /**
     * One connection.
     *
     * @param opening the bytes sent first
     * @param afterAccept sent once an A-ASSOCIATE-AC came back; null to send nothing more
     * @param dripMillis &gt; 0: the opening goes out one byte per that many milliseconds (slow-loris)
     * @param clientAborts the client closes the connection right after sending (a peer that vanishes mid-stream)
     * @param releaseAfterFind after the final C-FIND-RSP, the client sends A-RELEASE-RQ
     */
    public record Stream(
            Family family,
            byte[] opening,
            byte[] afterAccept,
            int dripMillis,
            boolean clientAborts,
            boolean releaseAfterFind) {}

    public enum Family {
        GARBAGE_BEFORE_ASSOCIATION,
        TRUNCATED_ASSOCIATE_RQ,
        WRONG_PDU_LENGTH,
        BAD_ITEM_TYPE,
        GARBAGE_AFTER_ASSOCIATE_RQ,
        ABORT_MID_STREAM,
        SLOW_LORIS,
        MALFORMED_P_DATA,
        MALFORMED_C_FIND_IDENTIFIER,
        UNEXPECTED_PDU
    }

    static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    static final String IMPLICIT_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    private static final String APPLICATION_CONTEXT = "1.2.840.10008.3.1.1.1";

    private DicomProbes() {}

    /**
     * @param slowLorisEvery one connection in this many drips its bytes (each takes the listener's ARTIM timeout)
     */
    public static List<Stream> generate(long seed, int count, String calledAe, String callingAe, int slowLorisEvery) {
        Random random = new Random(seed);
        byte[] associate = associateRq(calledAe, callingAe);
        List<Stream> streams = new ArrayList<>(count);
        Family[] others = Arrays.stream(Family.values())
                .filter(f -> f != Family.SLOW_LORIS)
                .toArray(Family[]::new);
        for (int i = 0; i < count; i++) {
            Family family = slowLorisEvery > 0 && i % slowLorisEvery == slowLorisEvery - 1
                    ? Family.SLOW_LORIS
                    : others[i % others.length];
            streams.add(stream(family, random, associate));
        }
        return streams;
    }

    private static Stream stream(Family family, Random random, byte[] associate) {
        return switch (family) {
            case GARBAGE_BEFORE_ASSOCIATION -> opening(family, randomBytes(random, 1 + random.nextInt(2000)));
            case TRUNCATED_ASSOCIATE_RQ ->
                opening(family, Arrays.copyOf(associate, 1 + random.nextInt(associate.length - 1)));
            case WRONG_PDU_LENGTH -> {
                byte[] wrong = associate.clone();
                int length = switch (random.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> -1; // 0xFFFFFFFF
                    case 2 -> associate.length - 6 - 1 - random.nextInt(40);
                    default -> associate.length - 6 + 1 + random.nextInt(100_000);
                };
                putInt(wrong, 2, length);
                yield opening(family, wrong);
            }
            case BAD_ITEM_TYPE -> {
                byte[] bad = associate.clone();
                int[] itemStarts = itemStarts(associate);
                int at = itemStarts[random.nextInt(itemStarts.length)];
                if (random.nextBoolean()) {
                    bad[at] = (byte) pickOther(random, bad[at] & 0xFF);
                } else {
                    // item length larger than what follows
                    bad[at + 2] = (byte) 0x7F;
                    bad[at + 3] = (byte) random.nextInt(256);
                }
                yield opening(family, bad);
            }
            case GARBAGE_AFTER_ASSOCIATE_RQ ->
                opening(family, concat(associate, randomBytes(random, 1 + random.nextInt(600))));
            case ABORT_MID_STREAM -> {
                byte[] partial =
                        Arrays.copyOf(pData(1, 0x03, command(random.nextInt(65535) + 1)), 10 + random.nextInt(20));
                byte[] after =
                        random.nextBoolean() ? partial : concat(partial, new byte[] {7, 0, 0, 0, 0, 4, 0, 0, 0, 0});
                yield new Stream(family, associate, after, 0, true, false);
            }
            case SLOW_LORIS -> new Stream(family, associate, null, 300, false, false);
            case MALFORMED_P_DATA -> new Stream(family, associate, malformedPData(random), 0, false, false);
            case MALFORMED_C_FIND_IDENTIFIER -> {
                byte[] find = concat(
                        pData(1, 0x03, command(1 + random.nextInt(65534))), pData(1, 0x02, badIdentifier(random)));
                yield new Stream(family, associate, find, 0, false, true);
            }
            case UNEXPECTED_PDU -> {
                byte[] pdu = switch (random.nextInt(5)) {
                    case 0 -> new byte[] {5, 0, 0, 0, 0, 4, 0, 0, 0, 0}; // A-RELEASE-RQ before any association
                    case 1 -> new byte[] {2, 0, 0, 0, 0, 0}; // an A-ASSOCIATE-AC from the requestor
                    case 2 -> new byte[] {4, 0, 0, 0, 0, 6, 0, 0, 0, 2, 1, 3}; // P-DATA before any association
                    case 3 -> new byte[] {(byte) (8 + random.nextInt(248)), 0, 0, 0, 0, 0};
                    default -> new byte[] {6, 0, 0, 0, 0, 4, 0, 0, 0, 0}; // A-RELEASE-RP unasked
                };
                yield random.nextBoolean()
                        ? opening(family, pdu)
                        : new Stream(family, associate, random.nextBoolean() ? associate : pdu, 0, false, false);
            }
        };
    }

    private static Stream opening(Family family, byte[] bytes) {
        return new Stream(family, bytes, null, 0, false, false);
    }

    /** P-DATA-TF PDUs a listener must refuse (PS3.8 §9.3.5), each alone in the stream. */
    private static byte[] malformedPData(Random random) {
        byte[] command = command(1 + random.nextInt(65534));
        return switch (random.nextInt(7)) {
            case 0 -> { // PDV length beyond the PDU
                byte[] pdu = pData(1, 0x03, command);
                putInt(pdu, 6, command.length + 2 + 1 + random.nextInt(1000));
                yield pdu;
            }
            case 1 -> pData(3 + 2 * random.nextInt(100), 0x03, command); // context not negotiated
            case 2 -> new byte[] {4, 0, 0, 0, 0, 5, 0, 0, 0, 1, 1}; // PDV shorter than its header
            case 3 -> pData(1, 0x03, randomBytes(random, 1 + random.nextInt(300))); // garbage command set
            case 4 -> { // longer than the listener's max PDU length
                byte[] pdu = pData(1, 0x03, command);
                putInt(pdu, 2, 16_000_000 + random.nextInt(1_000_000));
                yield pdu;
            }
            case 5 -> pData(1, 0x02, randomBytes(random, 2 + random.nextInt(200))); // a data set without a command
            default -> concat(pData(1, 0x03, command), associateRq("SPANNER", "HOSTILE")); // a second A-ASSOCIATE-RQ
        };
    }

    /** A C-FIND identifier (Implicit VR Little Endian) that is unreadable or asks what no PACS should be asked. */
    private static byte[] badIdentifier(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (random.nextInt(9)) {
            case 0 -> out.writeBytes(randomBytes(random, 1 + random.nextInt(500)));
            case 1 -> { // a value longer than what follows
                out.writeBytes(element(0x0008, 0x0052, "STUDY "));
                out.writeBytes(new byte[] {0x10, 0, 0x20, 0, 0, 0, 0, 0x10});
                out.writeBytes("12".getBytes(StandardCharsets.US_ASCII));
            }
            case 2 -> out.writeBytes(element(0x0010, 0x0020, "12345 ")); // no QueryRetrieveLevel
            case 3 -> {
                out.writeBytes(element(0x0008, 0x0052, "BOGUS "));
                out.writeBytes(element(0x0010, 0x0020, "12345 "));
            }
            case 4 -> {
                out.writeBytes(element(0x0008, 0x0020, "2020-13-45"));
                out.writeBytes(element(0x0008, 0x0052, "STUDY "));
            }
            case 5 -> {
                out.writeBytes(element(0x0008, 0x0052, "STUDY "));
                out.writeBytes(element(0x0010, 0x0020, "A\u0000\u0001B"));
            }
            case 6 -> { // undefined length on a value that is no sequence
                out.writeBytes(element(0x0008, 0x0052, "STUDY "));
                out.writeBytes(new byte[] {0x10, 0, 0x20, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            }
            case 7 -> { // sequences nested far deeper than any data set
                out.writeBytes(element(0x0008, 0x0052, "STUDY "));
                int depth = 50 + random.nextInt(500);
                for (int d = 0; d < depth; d++) {
                    out.writeBytes(new byte[] {0x08, 0, 0x15, 0x11, -1, -1, -1, -1}); // (0008,1115) SQ, undefined
                    out.writeBytes(new byte[] {-2, -1, 0, -32, -1, -1, -1, -1}); // item, undefined
                }
            }
            default -> { // a declared length of 2 GiB
                out.writeBytes(element(0x0008, 0x0052, "STUDY "));
                out.writeBytes(new byte[] {0x10, 0, 0x10, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
            }
        }
        return out.toByteArray();
    }

    /** A-ASSOCIATE-RQ (PS3.8 §9.3.2) proposing Study Root C-FIND in Implicit VR Little Endian. */
    public static byte[] associateRq(String calledAe, String callingAe) {
        ByteArrayOutputStream items = new ByteArrayOutputStream();
        items.writeBytes(item(0x10, ascii(APPLICATION_CONTEXT)));
        ByteArrayOutputStream context = new ByteArrayOutputStream();
        context.writeBytes(new byte[] {1, 0, 0, 0});
        context.writeBytes(item(0x30, ascii(STUDY_ROOT_FIND)));
        context.writeBytes(item(0x40, ascii(IMPLICIT_LITTLE_ENDIAN)));
        items.writeBytes(item(0x20, context.toByteArray()));
        ByteArrayOutputStream user = new ByteArrayOutputStream();
        user.writeBytes(item(0x51, new byte[] {0, 0, 0x40, 0}));
        user.writeBytes(item(0x52, ascii("1.2.826.0.1.3680043.10.1.1")));
        items.writeBytes(item(0x50, user.toByteArray()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0, 1, 0, 0});
        body.writeBytes(aeTitle(calledAe));
        body.writeBytes(aeTitle(callingAe));
        body.writeBytes(new byte[32]);
        body.writeBytes(items.toByteArray());
        return pdu(1, body.toByteArray());
    }

    /** Where each item of an A-ASSOCIATE-RQ starts (the top-level items and the sub-items of the first context). */
    static int[] itemStarts(byte[] associate) {
        List<Integer> starts = new ArrayList<>();
        int at = 6 + 68;
        while (at + 4 <= associate.length) {
            starts.add(at);
            int type = associate[at] & 0xFF;
            int length = ((associate[at + 2] & 0xFF) << 8) | (associate[at + 3] & 0xFF);
            if (type == 0x20 || type == 0x50) {
                int sub = at + 4 + (type == 0x20 ? 4 : 0);
                while (sub + 4 <= at + 4 + length) {
                    starts.add(sub);
                    sub += 4 + (((associate[sub + 2] & 0xFF) << 8) | (associate[sub + 3] & 0xFF));
                }
            }
            at += 4 + length;
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** A C-FIND-RQ command set (PS3.7 §9.1.2), Implicit VR Little Endian, with its group length. */
    static byte[] command(int messageId) {
        ByteArrayOutputStream elements = new ByteArrayOutputStream();
        elements.writeBytes(element(0x0000, 0x0002, STUDY_ROOT_FIND));
        elements.writeBytes(elementUs(0x0100, 0x0020));
        elements.writeBytes(elementUs(0x0110, messageId));
        elements.writeBytes(elementUs(0x0700, 0));
        elements.writeBytes(elementUs(0x0800, 0x0000));
        byte[] rest = elements.toByteArray();
        ByteArrayOutputStream command = new ByteArrayOutputStream();
        command.writeBytes(new byte[] {0, 0, 0, 0, 4, 0, 0, 0});
        command.writeBytes(littleEndianInt(rest.length));
        command.writeBytes(rest);
        return command.toByteArray();
    }

    /** One P-DATA-TF with one PDV; {@code control} bit 0 = command, bit 1 = last fragment. */
    static byte[] pData(int contextId, int control, byte[] fragment) {
        byte[] pdv = new byte[4 + 2 + fragment.length];
        putInt(pdv, 0, 2 + fragment.length);
        pdv[4] = (byte) contextId;
        pdv[5] = (byte) control;
        System.arraycopy(fragment, 0, pdv, 6, fragment.length);
        return pdu(4, pdv);
    }

    private static byte[] element(int group, int element, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
        if (bytes.length % 2 != 0) {
            bytes = concat(bytes, new byte[] {group == 0 ? (byte) 0 : (byte) ' '});
        }
        return concat(header(group, element, bytes.length), bytes);
    }

    private static byte[] elementUs(int element, int value) {
        return concat(header(0, element, 2), new byte[] {(byte) value, (byte) (value >> 8)});
    }

    private static byte[] header(int group, int element, int length) {
        return concat(
                new byte[] {(byte) group, (byte) (group >> 8), (byte) element, (byte) (element >> 8)},
                littleEndianInt(length));
    }

    private static byte[] littleEndianInt(int value) {
        return new byte[] {(byte) value, (byte) (value >> 8), (byte) (value >> 16), (byte) (value >> 24)};
    }

    private static byte[] item(int type, byte[] value) {
        byte[] item = new byte[4 + value.length];
        item[0] = (byte) type;
        item[2] = (byte) (value.length >> 8);
        item[3] = (byte) value.length;
        System.arraycopy(value, 0, item, 4, value.length);
        return item;
    }

    private static byte[] pdu(int type, byte[] body) {
        byte[] pdu = new byte[6 + body.length];
        pdu[0] = (byte) type;
        putInt(pdu, 2, body.length);
        System.arraycopy(body, 0, pdu, 6, body.length);
        return pdu;
    }

    private static byte[] aeTitle(String ae) {
        byte[] padded = new byte[16];
        Arrays.fill(padded, (byte) ' ');
        byte[] title = ascii(ae);
        System.arraycopy(title, 0, padded, 0, Math.min(16, title.length));
        return padded;
    }

    private static void putInt(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >> 24);
        bytes[at + 1] = (byte) (value >> 16);
        bytes[at + 2] = (byte) (value >> 8);
        bytes[at + 3] = (byte) value;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static int pickOther(Random random, int not) {
        int value;
        do {
            value = random.nextInt(256);
        } while (value == not);
        return value;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
