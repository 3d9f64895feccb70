package io.dicomspanner.dicom.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A DICOM Part-10 file (PS3.10 §7.1): 128-byte preamble, "DICM", File Meta Information in Explicit VR Little Endian,
 * then the data set in the transfer syntax the meta information names. Files without preamble and meta (old ACR-NEMA
 * style) are read as Implicit VR Little Endian.
 */
public record DicomFile(Attributes meta, Attributes dataset, TransferSyntax transferSyntax) {

    public static final String IMPLEMENTATION_CLASS_UID = "2.25.105510525434013744145903970830347857466";
    public static final String IMPLEMENTATION_VERSION_NAME = "DQS_0.1";

    public static DicomFile read(Path path) throws IOException {
        return parse(Files.readAllBytes(path));
    }

    public static DicomFile parse(byte[] bytes) {
        int off;
        if (bytes.length >= 132 && "DICM".equals(new String(bytes, 128, 4, StandardCharsets.US_ASCII))) {
            off = 132;
        } else if (bytes.length >= 4 && "DICM".equals(new String(bytes, 0, 4, StandardCharsets.US_ASCII))) {
            off = 4;
        } else {
            TransferSyntax guessed = guessTransferSyntax(bytes);
            return new DicomFile(new Attributes(), DicomReader.read(bytes, guessed), guessed);
        }
        int[] end = new int[1];
        Attributes meta = DicomReader.readGroup(bytes, off, 0x0002, end);
        String tsUid = meta.getString(Tag.TRANSFER_SYNTAX_UID);
        TransferSyntax ts = tsUid == null ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.of(tsUid);
        byte[] body = bytes;
        int bodyOff = end[0];
        int bodyLen = bytes.length - end[0];
        if (ts.deflated()) {
            body = inflate(bytes, end[0]);
            bodyOff = 0;
            bodyLen = body.length;
        }
        TransferSyntax encoding = ts.deflated() ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : ts;
        return new DicomFile(meta, DicomReader.read(body, bodyOff, bodyLen, encoding), ts);
    }

    /**
     * A data set without meta information: big endian if the first group only makes sense byte-swapped, explicit VR
     * if bytes 4–5 spell a VR.
     */
    private static TransferSyntax guessTransferSyntax(byte[] b) {
        if (b.length < 8) {
            return TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
        }
        boolean explicit = VR.ofCode(((b[4] & 0xFF) << 8) | (b[5] & 0xFF)) != null;
        boolean bigEndian = b[0] == 0 && b[1] != 0;
        if (bigEndian) {
            return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        }
        return explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    private static byte[] inflate(byte[] bytes, int off) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(bytes, off, bytes.length - off);
            ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new DicomParseException("deflated data set does not inflate", e);
        } finally {
            inflater.end();
        }
    }

    /** Writes {@code dataset} as a Part-10 file in Explicit VR Little Endian. */
    public static byte[] encode(Attributes dataset, String sopClassUid, String sopInstanceUid) {
        Attributes meta = new Attributes()
                .setBytes(0x00020001, VR.OB, new byte[] {0, 1})
                .setString(Tag.MEDIA_STORAGE_SOP_CLASS_UID, VR.UI, sopClassUid)
                .setString(Tag.MEDIA_STORAGE_SOP_INSTANCE_UID, VR.UI, sopInstanceUid)
                .setString(Tag.TRANSFER_SYNTAX_UID, VR.UI, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.uid())
                .setString(0x00020012, VR.UI, IMPLEMENTATION_CLASS_UID)
                .setString(0x00020013, VR.SH, IMPLEMENTATION_VERSION_NAME);
        byte[] metaBytes = DicomWriter.encode(meta, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        DicomWriter w = new DicomWriter(1024);
        w.putBytes(new byte[128], 0, 128);
        w.putBytes("DICM".getBytes(StandardCharsets.US_ASCII), 0, 4);
        w.write(
                new Attributes().setInt(Tag.FILE_META_INFORMATION_GROUP_LENGTH, VR.UL, metaBytes.length),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        w.putBytes(metaBytes, 0, metaBytes.length);
        w.write(dataset, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return w.toByteArray();
    }
}
