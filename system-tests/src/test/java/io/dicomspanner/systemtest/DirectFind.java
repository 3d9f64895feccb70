package io.dicomspanner.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.dicom.data.Attributes;
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

    @Override
    public void close() {
        client.close();
    }
}
