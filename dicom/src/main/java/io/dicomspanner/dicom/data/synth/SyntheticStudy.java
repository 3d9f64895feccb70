package io.dicomspanner.dicom.data.synth;

import java.util.List;
import java.util.TreeSet;

/**
 * One generated study.
 *
 * @param referringPhysicianName PN, or the empty string when the study has none (the attribute is then present and
 *     empty, as Type 2 allows)
 */
public record SyntheticStudy(
        String studyInstanceUid,
        String studyDate,
        String studyTime,
        String accessionNumber,
        String studyId,
        String studyDescription,
        String referringPhysicianName,
        List<SyntheticSeries> series) {

    public SyntheticStudy {
        series = List.copyOf(series);
    }

    /** The distinct modalities of the study's series in alphabetical order: the value of Modalities in Study. */
    public List<String> modalitiesInStudy() {
        TreeSet<String> modalities = new TreeSet<>();
        for (SyntheticSeries s : series) {
            modalities.add(s.modality());
        }
        return List.copyOf(modalities);
    }

    /** Number of Study Related Instances. */
    public int numberOfInstances() {
        int n = 0;
        for (SyntheticSeries s : series) {
            n += s.instances().size();
        }
        return n;
    }
}
