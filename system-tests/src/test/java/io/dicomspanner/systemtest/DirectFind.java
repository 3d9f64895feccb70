package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.Association;
import io.dicomspanner.dicom.net.AssociationRequest;
import io.dicomspanner.dicom.net.DicomClient;
import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.dicom.net.service.CFindScu;
import io.dicomspanner.dicom.net.service.FindQuery;
import io.dicomspanner.dicom.net.service.FindResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Asks one PACS alone, past the spanner, with our C-FIND SCU (Study Root, no extended negotiation): the independent
 * side of the comparison. Queries given here are hierarchical, which every PACS of the tests answers as asked.
 */
final class DirectFind implements AutoCloseable {
    static final long TIMEOUT_SECONDS = 60;
    static final String CALLING_AE = "E2ECHECK";

    /** A PACS as the tests know it: where it listens and the AE title it answers to. */
    record Pacs(String aeTitle, String host, int port) {}

    private final DicomClient client;
    private final boolean tls;

    /** Over plain TCP. */
    DirectFind() {
        this.client = new DicomClient(DicomSettings.defaults());
        this.tls = false;
    }

    /** Over DICOM TLS, with this client certificate and these trusted CAs. */
    DirectFind(TlsSettings tls) throws IOException {
        this.client = new DicomClient(DicomSettings.defaults(), tls);
        this.tls = true;
    }

    /** Every study of {@code byAe} (each PACS's Study Instance UIDs), each once, in first-seen order. */
    static Set<String> union(Map<String, Set<String>> byAe) {
        Set<String> all = new LinkedHashSet<>();
        byAe.values().forEach(all::addAll);
        return all;
    }

    /** The Study Instance UIDs of an answer, asserting that none comes twice. */
    static Set<String> studyUids(List<Attributes> results) {
        List<String> uids =
                results.stream().map(a -> a.getString(Tag.STUDY_INSTANCE_UID)).toList();
        assertThat(uids).as("each study once").doesNotHaveDuplicates();
        return new LinkedHashSet<>(uids);
    }

    /** One C-FIND's keys in order: keyword to value, {@code ""} for a return key. */
    static Map<String, String> keys(String... keywordsAndValues) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 0; i < keywordsAndValues.length; i += 2) {
            keys.put(keywordsAndValues[i], keywordsAndValues[i + 1]);
        }
        return keys;
    }

    /** The matches of a Study Root C-FIND at {@code level}; fails unless the PACS ends with Success. */
    List<Attributes> find(Pacs pacs, String level, Map<String, String> keys) throws Exception {
        Attributes identifier = new Attributes().setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level);
        keys.forEach((keyword, value) -> {
            int tag = ElementDictionary.standard().tagOf(keyword);
            VR vr = ElementDictionary.standard().vrOf(tag);
            if (value.isEmpty()) {
                identifier.setNull(tag, vr);
            } else {
                identifier.setString(tag, vr, value);
            }
        });
        DicomPeer peer = new DicomPeer(pacs.host(), pacs.port(), pacs.aeTitle(), CALLING_AE, tls);
        AssociationRequest request = new AssociationRequest(
                pacs.aeTitle(), CALLING_AE, List.of(SopClasses.STUDY_ROOT_QUERY_FIND), List.of(), List.of(), null);
        Association association = client.connect(peer, request).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        try {
            FindResult result = CFindScu.findAll(association, FindQuery.studyRoot(identifier))
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (result.status() != Status.SUCCESS) {
                throw new IllegalStateException(pacs + " answered " + result.outcome() + " to " + level + " " + keys);
            }
            return result.matches();
        } finally {
            association.release().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Every image of a study of {@code pacs} as Part-10 files with the PACS's own values (study, series and image
     * attributes as its hierarchical C-FINDs give them), to store the study under the same UIDs into another archive.
     */
    List<byte[]> studyAsPart10(Pacs pacs, String studyUid) throws Exception {
        List<Attributes> studies = find(
                pacs,
                "STUDY",
                keys(
                        "StudyInstanceUID", studyUid,
                        "StudyDate", "",
                        "StudyTime", "",
                        "PatientID", "",
                        "PatientName", "",
                        "PatientBirthDate", "",
                        "PatientSex", "",
                        "AccessionNumber", ""));
        if (studies.size() != 1) {
            throw new IllegalStateException(pacs + " holds " + studies.size() + " studies of UID " + studyUid);
        }
        Attributes study = studies.get(0);
        List<byte[]> files = new ArrayList<>();
        for (Attributes series : find(
                pacs,
                "SERIES",
                keys("StudyInstanceUID", studyUid, "SeriesInstanceUID", "", "Modality", "", "SeriesNumber", ""))) {
            String seriesUid = series.getString(Tag.SERIES_INSTANCE_UID);
            for (Attributes image : find(
                    pacs,
                    "IMAGE",
                    keys(
                            "StudyInstanceUID", studyUid,
                            "SeriesInstanceUID", seriesUid,
                            "SOPInstanceUID", "",
                            "SOPClassUID", "",
                            "InstanceNumber", ""))) {
                Attributes dataset = Attributes.copyOf(study);
                for (int tag : new int[] {Tag.SERIES_INSTANCE_UID, Tag.MODALITY, Tag.SERIES_NUMBER}) {
                    dataset.copyFrom(series, tag);
                }
                for (int tag : new int[] {Tag.SOP_INSTANCE_UID, Tag.SOP_CLASS_UID, Tag.INSTANCE_NUMBER}) {
                    dataset.copyFrom(image, tag);
                }
                for (int tag : new int[] {Tag.QUERY_RETRIEVE_LEVEL, Tag.RETRIEVE_AE_TITLE, Tag.INSTANCE_AVAILABILITY}) {
                    dataset.remove(tag);
                }
                files.add(DicomFile.encode(
                        dataset, image.getString(Tag.SOP_CLASS_UID), image.getString(Tag.SOP_INSTANCE_UID)));
            }
        }
        return files;
    }

    @Override
    public void close() {
        client.close();
    }
}
