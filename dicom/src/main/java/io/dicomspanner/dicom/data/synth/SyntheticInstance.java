package io.dicomspanner.dicom.data.synth;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;

/**
 * One generated image: its identifying values and the complete data set (patient, study, series, instance and image
 * pixel attributes).
 */
public final class SyntheticInstance {
    private final String sopClassUid;
    private final String sopInstanceUid;
    private final int instanceNumber;
    private final Attributes dataset;

    SyntheticInstance(String sopClassUid, String sopInstanceUid, int instanceNumber, Attributes dataset) {
        this.sopClassUid = sopClassUid;
        this.sopInstanceUid = sopInstanceUid;
        this.instanceNumber = instanceNumber;
        this.dataset = dataset;
    }

    public String sopClassUid() {
        return sopClassUid;
    }

    public String sopInstanceUid() {
        return sopInstanceUid;
    }

    public int instanceNumber() {
        return instanceNumber;
    }

    /** A copy of the data set, so callers may change it without changing the generated study. */
    public Attributes dataset() {
        return Attributes.copyOf(dataset);
    }

    /** The instance as a Part-10 file in Explicit VR Little Endian. */
    public byte[] toPart10() {
        return DicomFile.encode(dataset, sopClassUid, sopInstanceUid);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyntheticInstance other
                && other.instanceNumber == instanceNumber
                && other.sopClassUid.equals(sopClassUid)
                && other.sopInstanceUid.equals(sopInstanceUid)
                && other.dataset.equals(dataset);
    }

    @Override
    public int hashCode() {
        return sopInstanceUid.hashCode();
    }

    @Override
    public String toString() {
        return "SyntheticInstance[" + sopInstanceUid + "]";
    }
}
