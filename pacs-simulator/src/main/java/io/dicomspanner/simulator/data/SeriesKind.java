package io.dicomspanner.simulator.data;

/**
 * What a series holds: its modality, the SOP class of its instances, their image size and how many there are. Sizes
 * are those of the real modality; the simulator stores no pixels.
 */
public enum SeriesKind {
    CR_IMAGE("CR", "1.2.840.10008.5.1.4.1.1.1", 2500, 2048, 16, 0, 0, 1, 2),
    DX_IMAGE("DX", "1.2.840.10008.5.1.4.1.1.1.1", 3000, 3000, 16, 0, 0, 1, 2),
    CT_SCOUT("CT", "1.2.840.10008.5.1.4.1.1.2", 512, 512, 16, 0, 0, 1, 2),
    CT_AXIAL("CT", "1.2.840.10008.5.1.4.1.1.2", 512, 512, 16, 0, 0, 60, 240),
    CT_RECONSTRUCTION("CT", "1.2.840.10008.5.1.4.1.1.2", 512, 512, 16, 0, 0, 30, 90),
    MR_SEQUENCE("MR", "1.2.840.10008.5.1.4.1.1.4", 256, 256, 16, 0, 0, 20, 60),
    US_IMAGE("US", "1.2.840.10008.5.1.4.1.1.6.1", 600, 800, 8, 0, 0, 4, 30),
    US_CINE("US", "1.2.840.10008.5.1.4.1.1.3.1", 600, 800, 8, 30, 120, 1, 4),
    MG_VIEW("MG", "1.2.840.10008.5.1.4.1.1.1.2", 4096, 3328, 16, 0, 0, 1, 1),
    PT_WHOLE_BODY("PT", "1.2.840.10008.5.1.4.1.1.128", 192, 192, 16, 0, 0, 150, 300),
    CT_ATTENUATION_CORRECTION("CT", "1.2.840.10008.5.1.4.1.1.2", 512, 512, 16, 0, 0, 150, 300),
    NM_TOMO("NM", "1.2.840.10008.5.1.4.1.1.20", 128, 128, 16, 60, 120, 1, 2),
    XA_RUN("XA", "1.2.840.10008.5.1.4.1.1.12.1", 512, 512, 8, 30, 90, 1, 1),
    /** X-Ray Radiation Dose SR: one document, no pixels. */
    SR_DOSE_REPORT("SR", "1.2.840.10008.5.1.4.1.1.88.67", 0, 0, 0, 0, 0, 1, 1),
    /** Grayscale Softcopy Presentation State: one object, no pixels. */
    PR_STATE("PR", "1.2.840.10008.5.1.4.1.1.11.1", 0, 0, 0, 0, 0, 1, 1);

    final String modality;
    final String sopClassUid;
    final int rows;
    final int columns;
    final int bitsAllocated;
    final int minFrames;
    final int maxFrames;
    final int minInstances;
    final int maxInstances;

    SeriesKind(
            String modality,
            String sopClassUid,
            int rows,
            int columns,
            int bitsAllocated,
            int minFrames,
            int maxFrames,
            int minInstances,
            int maxInstances) {
        this.modality = modality;
        this.sopClassUid = sopClassUid;
        this.rows = rows;
        this.columns = columns;
        this.bitsAllocated = bitsAllocated;
        this.minFrames = minFrames;
        this.maxFrames = maxFrames;
        this.minInstances = minInstances;
        this.maxInstances = maxInstances;
    }

    public String modality() {
        return modality;
    }

    public String sopClassUid() {
        return sopClassUid;
    }

    /** Whether its instances are images (have Rows, Columns, Bits Allocated). */
    public boolean isImage() {
        return rows > 0;
    }

    /** Whether its instances are multi-frame images (have Number of Frames). */
    public boolean isMultiFrame() {
        return maxFrames > 0;
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public int bitsAllocated() {
        return bitsAllocated;
    }
}
