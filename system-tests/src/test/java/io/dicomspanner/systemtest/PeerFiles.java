package io.dicomspanner.systemtest;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticStudy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Generated studies as Part-10 files for dcmqrscp and Orthanc, each series given a modality of the test's choice. */
final class PeerFiles {

    private PeerFiles() {}

    /**
     * Writes every image of {@code studies} into {@code dir} ({@code <SOPInstanceUID>.dcm}).
     *
     * @param seriesModalities the Modality of each series of a study, in series order
     */
    static List<Path> part10(
            List<SyntheticStudy> studies, Path dir, Function<SyntheticStudy, List<String>> seriesModalities)
            throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (SyntheticStudy study : studies) {
            List<String> modalities = seriesModalities.apply(study);
            for (int k = 0; k < study.series().size(); k++) {
                for (SyntheticInstance i : study.series().get(k).instances()) {
                    Attributes ds = i.dataset().setString(Tag.MODALITY, VR.CS, modalities.get(k));
                    Path f = dir.resolve(i.sopInstanceUid() + ".dcm");
                    Files.write(f, DicomFile.encode(ds, i.sopClassUid(), i.sopInstanceUid()));
                    written.add(f);
                }
            }
        }
        return written;
    }

    /** The modalities of the n-th study of {@code all} (in generation order) from {@code cycle}, cycled. */
    static Function<SyntheticStudy, List<String>> cycled(List<SyntheticStudy> all, List<List<String>> cycle) {
        return study -> cycle.get(all.indexOf(study) % cycle.size());
    }
}
