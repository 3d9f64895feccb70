package io.dicomspanner.simulator.net;

import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.TlsSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * How the simulated fleet listens. The PACS's own ports, AE titles, modes and association limits are in its
 * {@link io.dicomspanner.simulator.config.PacsSettings}; these settings are the fleet's.
 *
 * @param bindAddress the address every PACS listens on. Default {@value #DEFAULT_BIND_ADDRESS}: the fleet is a test
 *     and demo peer, not reachable from other machines unless asked for.
 * @param answerThreads threads that run the searches and produce the responses, shared by all PACS, so a slow search
 *     never holds a network event loop. Default the number of processors.
 * @param matchInterval time between two pending responses of one C-FIND, as a PACS whose database hands over rows as
 *     it reads them; lets a test or demo watch answers stream and cancel them midway. Default {@link Duration#ZERO}:
 *     matches leave as fast as the connection takes them.
 * @param responsesPerTurn pending responses one answer sends before it yields its answer thread to other answers
 *     waiting (it goes on at the back of the queue), so one large answer cannot delay every other PACS's first
 *     response. Default {@value #DEFAULT_RESPONSES_PER_TURN}.
 * @param dicom the network layer's limits and timeouts ({@link DicomSettings#defaults()}); its {@code maxAssociations}
 *     bounds connections per PACS (raised to the PACS's own limit if below it); the PACS's own limit is counted per
 *     association by {@link AssociationCount}.
 * @param tls the certificate, key and (optionally) client-certificate trust of the PACS that listen over DICOM TLS;
 *     {@code null} (the default): every PACS listens on plain TCP
 * @param tlsPacs names of the PACS that listen over TLS ({@code PACS_H}); the others stay plain. Empty unless
 *     {@code tls} is set.
 */
public record NetworkSettings(
        String bindAddress,
        int answerThreads,
        Duration matchInterval,
        int responsesPerTurn,
        DicomSettings dicom,
        TlsSettings tls,
        Set<String> tlsPacs) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_RESPONSES_PER_TURN = 64;

    public NetworkSettings {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(matchInterval, "matchInterval");
        Objects.requireNonNull(dicom, "dicom");
        tlsPacs = tlsPacs == null ? Set.of() : Set.copyOf(tlsPacs);
        if (tls == null && !tlsPacs.isEmpty()) {
            throw new IllegalArgumentException(
                    "PACS " + tlsPacs + " listen over TLS but no certificate and key is set");
        }
        if (matchInterval.isNegative()) {
            throw new IllegalArgumentException("matchInterval must not be negative, was " + matchInterval);
        }
        if (bindAddress.isBlank()) {
            throw new IllegalArgumentException("bindAddress must not be blank");
        }
        if (responsesPerTurn < 1) {
            throw new IllegalArgumentException("responsesPerTurn must be at least 1, was " + responsesPerTurn);
        }
        if (answerThreads < 1) {
            throw new IllegalArgumentException("answerThreads must be at least 1, was " + answerThreads);
        }
    }

    public static NetworkSettings defaults() {
        return new NetworkSettings(
                DEFAULT_BIND_ADDRESS,
                Runtime.getRuntime().availableProcessors(),
                Duration.ZERO,
                DEFAULT_RESPONSES_PER_TURN,
                DicomSettings.defaults(),
                null,
                Set.of());
    }

    /** Whether the PACS named {@code pacsName} listens over TLS. */
    public boolean listensOverTls(String pacsName) {
        return tlsPacs.contains(pacsName);
    }

    /** The PACS named in {@code pacsNames} listen over TLS with {@code settings}; the others stay plain. */
    public NetworkSettings withTls(TlsSettings settings, Set<String> pacsNames) {
        return new NetworkSettings(
                bindAddress, answerThreads, matchInterval, responsesPerTurn, dicom, settings, pacsNames);
    }

    public NetworkSettings withBindAddress(String value) {
        return new NetworkSettings(value, answerThreads, matchInterval, responsesPerTurn, dicom, tls, tlsPacs);
    }

    public NetworkSettings withAnswerThreads(int value) {
        return new NetworkSettings(bindAddress, value, matchInterval, responsesPerTurn, dicom, tls, tlsPacs);
    }

    public NetworkSettings withMatchInterval(Duration value) {
        return new NetworkSettings(bindAddress, answerThreads, value, responsesPerTurn, dicom, tls, tlsPacs);
    }

    public NetworkSettings withResponsesPerTurn(int value) {
        return new NetworkSettings(bindAddress, answerThreads, matchInterval, value, dicom, tls, tlsPacs);
    }

    public NetworkSettings withDicom(DicomSettings value) {
        return new NetworkSettings(bindAddress, answerThreads, matchInterval, responsesPerTurn, value, tls, tlsPacs);
    }
}
