package io.dicomspanner.dicom.data.synth;

import java.util.List;

/** One generated series; all its instances share the modality and the SOP class that goes with it. */
public record SyntheticSeries(
        String seriesInstanceUid,
        String modality,
        int seriesNumber,
        String seriesDescription,
        String seriesDate,
        String seriesTime,
        List<SyntheticInstance> instances) {

    public SyntheticSeries {
        instances = List.copyOf(instances);
    }
}
