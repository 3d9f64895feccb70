package io.dicomspanner.simulator.data;

/** One instance of a series, named by its Instance Number (1 to the series' number of instances). */
public record InstanceRef(SeriesRecord series, int instanceNumber) {

    public String sopInstanceUid() {
        return series.sopInstanceUid(instanceNumber);
    }
}
