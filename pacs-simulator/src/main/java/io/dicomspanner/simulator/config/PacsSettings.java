package io.dicomspanner.simulator.config;

import io.dicomspanner.dicom.data.ElementDictionary;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One simulated PACS: its identity, its network behaviour and how it answers C-FIND.
 *
 * <p>{@link #defaults(int)} gives PACS number {@code i} of the default fleet; the defaults per PACS are the table in
 * {@code docs/simulator.md}. Mode, latency, error rate, port and max associations are applied by the network side;
 * the other settings by the C-FIND engine.
 *
 * @param name the PACS's name in configs and logs, e.g. {@code PACS_A}
 * @param aeTitle its AE title (1–16 characters of the default repertoire, no backslash), e.g. {@code PACSA}; also the
 *     Retrieve AE Title of every answer
 * @param port TCP port of its C-FIND SCP. Default {@value #DEFAULT_FIRST_PORT} + index.
 * @param minLatencyMillis shortest delay before the first response of a C-FIND. Default
 *     {@value #DEFAULT_MIN_LATENCY_MILLIS}.
 * @param maxLatencyMillis longest such delay; each query draws uniformly from [min, max]. Default
 *     {@value #DEFAULT_MAX_LATENCY_MILLIS}.
 * @param errorRate share of C-FINDs answered with failure status A700 (Refused: Out of Resources) and no match.
 *     Default 0.
 * @param mode normal, dead (refuses connections) or hanging (never answers). Default {@link PacsMode#NORMAL}.
 * @param maxAssociations associations it accepts at once; one more is rejected (A-ASSOCIATE-RJ transient, local
 *     limit exceeded). Default {@value #DEFAULT_MAX_ASSOCIATIONS}.
 * @param maxResults most matches it returns for one C-FIND, 0 for no cap. Default 0, except the capped PACS of the
 *     default fleet.
 * @param maxResultsBehaviour what it does when a query matches more than {@code maxResults}. Default
 *     {@link MaxResultsBehaviour#TRUNCATE}.
 * @param relationalQueries whether it answers relational queries: those that do not carry, for each level above the
 *     query level, that level's unique key with one value and nothing else (the hierarchical form of PS3.4
 *     C.4.1.2.1). Without, such a query fails with C000 (Unable to process), as dcmtk's dcmqrscp answers it. Default
 *     true.
 * @param caseInsensitivePersonName whether PN keys match regardless of case, as Orthanc does. Default false.
 * @param unstoredAttributes keywords of attributes it does not store: they are never matched (the key is ignored)
 *     and never have a value. Default none.
 * @param unmatchedAttributes keywords of attributes it stores and returns with their values but does not match on:
 *     their keys are ignored without a word (the pending status stays FF00), so it returns records whose values do
 *     not match the key. Not one of {@code unstoredAttributes}. Default none.
 * @param unsupportedKeyReturn what it returns for requested attributes it does not hold at all. Default
 *     {@link UnsupportedKeyReturn#EMPTY}.
 */
public record PacsSettings(
        String name,
        String aeTitle,
        int port,
        int minLatencyMillis,
        int maxLatencyMillis,
        double errorRate,
        PacsMode mode,
        int maxAssociations,
        int maxResults,
        MaxResultsBehaviour maxResultsBehaviour,
        boolean relationalQueries,
        boolean caseInsensitivePersonName,
        Set<String> unstoredAttributes,
        Set<String> unmatchedAttributes,
        UnsupportedKeyReturn unsupportedKeyReturn) {

    public static final int DEFAULT_FIRST_PORT = 11_120;
    public static final int DEFAULT_MIN_LATENCY_MILLIS = 50;
    public static final int DEFAULT_MAX_LATENCY_MILLIS = 150;
    public static final int DEFAULT_MAX_ASSOCIATIONS = 20;

    /** The cap of the capped PACS of the default fleet (PACS_D, PACS_G). */
    public static final int DEFAULT_CAPPED_MAX_RESULTS = 500;

    /** Number of PACS in the default fleet: PACS_A to PACS_H. */
    public static final int DEFAULT_FLEET_SIZE = 8;

    /** The largest fleet {@link #defaults} names. */
    public static final int MAX_FLEET_SIZE = 999;

    private static final Pattern AE_TITLE = Pattern.compile("[\\x20-\\x5B\\x5D-\\x7E]{1,16}");

    public PacsSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(maxResultsBehaviour, "maxResultsBehaviour");
        Objects.requireNonNull(unsupportedKeyReturn, "unsupportedKeyReturn");
        Objects.requireNonNull(unstoredAttributes, "unstoredAttributes");
        Objects.requireNonNull(unmatchedAttributes, "unmatchedAttributes");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (aeTitle == null || !AE_TITLE.matcher(aeTitle).matches() || aeTitle.isBlank()) {
            throw new IllegalArgumentException(
                    name + ": an AE title is 1-16 characters of the default repertoire without backslash");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(name + ": port must be in [1, 65535], was " + port);
        }
        if (minLatencyMillis < 0 || maxLatencyMillis < minLatencyMillis) {
            throw new IllegalArgumentException(name + ": latency must satisfy 0 <= min <= max, was " + minLatencyMillis
                    + ".." + maxLatencyMillis + " ms");
        }
        if (!(errorRate >= 0 && errorRate <= 1)) {
            throw new IllegalArgumentException(name + ": errorRate must be in [0, 1], was " + errorRate);
        }
        if (maxAssociations < 1) {
            throw new IllegalArgumentException(name + ": maxAssociations must be at least 1, was " + maxAssociations);
        }
        if (maxResults < 0) {
            throw new IllegalArgumentException(name + ": maxResults must be 0 (no cap) or more, was " + maxResults);
        }
        unstoredAttributes = keywords(name, unstoredAttributes);
        unmatchedAttributes = keywords(name, unmatchedAttributes);
        TreeSet<String> both = new TreeSet<>(unstoredAttributes);
        both.retainAll(unmatchedAttributes);
        if (!both.isEmpty()) {
            throw new IllegalArgumentException(name + ": " + String.join(", ", both)
                    + " cannot be both unstored and unmatched: an unstored attribute is never matched and never"
                    + " returned, an unmatched one is returned with its value");
        }
    }

    /** PS3.6 keywords, each checked against the dictionary. */
    private static Set<String> keywords(String name, Set<String> keywords) {
        TreeSet<String> checked = new TreeSet<>();
        for (String keyword : keywords) {
            if (ElementDictionary.standard().entryOf(keyword) == null) {
                throw new IllegalArgumentException(name + ": unknown attribute keyword " + keyword);
            }
            checked.add(keyword);
        }
        return Set.copyOf(checked);
    }

    /**
     * PACS number {@code index} (0-based) of the default fleet: named {@code PACS_A}, {@code PACS_B}, ... with AE title
     * {@code PACSA}, {@code PACSB}, ..., port {@value #DEFAULT_FIRST_PORT} + index, and the personality the table in
     * {@code docs/simulator.md} gives it, so that a spanning query meets the differences real fleets have:
     *
     * <ul>
     *   <li>PACS_B matches person names case-insensitively (like Orthanc).
     *   <li>PACS_C refuses relational queries and leaves out keys it does not hold (like dcmqrscp).
     *   <li>PACS_D caps answers at {@value #DEFAULT_CAPPED_MAX_RESULTS} matches and truncates (like Orthanc's
     *       LimitFindResults).
     *   <li>PACS_E does not store Study Description; PACS_F refuses relational queries; PACS_G caps at
     *       {@value #DEFAULT_CAPPED_MAX_RESULTS} and refuses (like dcm4chee-arc) and does not store Referring
     *       Physician's Name.
     *   <li>PACS_A, PACS_H and any further PACS: no quirk.
     * </ul>
     *
     * <p>Past the 26th (PACS_Z) a PACS is named by its number, {@code PACS_027} (AE title {@code PACS027}) up to
     * {@value #MAX_FLEET_SIZE}: the large fleets that show how spanning grows with the number of sources.
     */
    public static PacsSettings defaults(int index) {
        if (index < 0 || index >= MAX_FLEET_SIZE) {
            throw new IllegalArgumentException(
                    "the default fleet has PACS 1 to " + MAX_FLEET_SIZE + ", index was " + index);
        }
        String letter = index < 26 ? String.valueOf((char) ('A' + index)) : String.format("%03d", index + 1);
        PacsSettings plain = new PacsSettings(
                "PACS_" + letter,
                "PACS" + letter,
                DEFAULT_FIRST_PORT + index,
                DEFAULT_MIN_LATENCY_MILLIS,
                DEFAULT_MAX_LATENCY_MILLIS,
                0,
                PacsMode.NORMAL,
                DEFAULT_MAX_ASSOCIATIONS,
                0,
                MaxResultsBehaviour.TRUNCATE,
                true,
                false,
                Set.of(),
                Set.of(),
                UnsupportedKeyReturn.EMPTY);
        return switch (letter) {
            case "B" -> plain.withCaseInsensitivePersonName(true);
            case "C" -> plain.withRelationalQueries(false).withUnsupportedKeyReturn(UnsupportedKeyReturn.OMITTED);
            case "D" -> plain.withMaxResults(DEFAULT_CAPPED_MAX_RESULTS, MaxResultsBehaviour.TRUNCATE);
            case "E" -> plain.withUnstoredAttributes(Set.of("StudyDescription"));
            case "F" -> plain.withRelationalQueries(false);
            case "G" ->
                plain.withMaxResults(DEFAULT_CAPPED_MAX_RESULTS, MaxResultsBehaviour.REFUSE)
                        .withUnstoredAttributes(Set.of("ReferringPhysicianName"));
            default -> plain;
        };
    }

    /** The default fleet: {@value #DEFAULT_FLEET_SIZE} PACS, PACS_A to PACS_H. */
    public static List<PacsSettings> defaultFleet() {
        return defaultFleet(DEFAULT_FLEET_SIZE);
    }

    /**
     * The latency of PACS number {@code index} of {@code size} under a latency spread: their typical latencies
     * ({@code median}) are evenly spread from {@code fastest} to {@code slowest} milliseconds, each PACS answering a
     * query after a delay drawn uniformly from half to one and a half times its own, as a real fleet's PACS differ
     * from each other and from query to query.
     *
     * @return {min, max} milliseconds
     */
    public static int[] spreadLatency(int index, int size, int fastest, int slowest) {
        if (fastest < 0 || slowest < fastest) {
            throw new IllegalArgumentException(
                    "a latency spread needs 0 <= fastest <= slowest, was " + fastest + ".." + slowest + " ms");
        }
        int median =
                size == 1 ? fastest : fastest + (int) Math.round((slowest - fastest) * (double) index / (size - 1));
        return new int[] {median / 2, median + median / 2};
    }

    /** The first {@code size} PACS of the default fleet. */
    public static List<PacsSettings> defaultFleet(int size) {
        PacsSettings[] fleet = new PacsSettings[size];
        for (int i = 0; i < size; i++) {
            fleet[i] = defaults(i);
        }
        return List.of(fleet);
    }

    /** A PACS without any quirk: what a test starts from before giving it the one quirk it examines. */
    public PacsSettings withoutQuirks() {
        return change(b -> {
            b.errorRate = 0;
            b.mode = PacsMode.NORMAL;
            b.maxResults = 0;
            b.maxResultsBehaviour = MaxResultsBehaviour.TRUNCATE;
            b.relationalQueries = true;
            b.caseInsensitivePersonName = false;
            b.unstoredAttributes = Set.of();
            b.unmatchedAttributes = Set.of();
            b.unsupportedKeyReturn = UnsupportedKeyReturn.EMPTY;
        });
    }

    public PacsSettings withLatency(int minMillis, int maxMillis) {
        return change(b -> {
            b.minLatencyMillis = minMillis;
            b.maxLatencyMillis = maxMillis;
        });
    }

    public PacsSettings withErrorRate(double value) {
        return change(b -> b.errorRate = value);
    }

    public PacsSettings withMode(PacsMode value) {
        return change(b -> b.mode = value);
    }

    public PacsSettings withPort(int value) {
        return change(b -> b.port = value);
    }

    public PacsSettings withMaxAssociations(int value) {
        return change(b -> b.maxAssociations = value);
    }

    public PacsSettings withMaxResults(int value, MaxResultsBehaviour behaviour) {
        return change(b -> {
            b.maxResults = value;
            b.maxResultsBehaviour = behaviour;
        });
    }

    public PacsSettings withRelationalQueries(boolean value) {
        return change(b -> b.relationalQueries = value);
    }

    public PacsSettings withCaseInsensitivePersonName(boolean value) {
        return change(b -> b.caseInsensitivePersonName = value);
    }

    public PacsSettings withUnstoredAttributes(Set<String> keywords) {
        return change(b -> b.unstoredAttributes = keywords);
    }

    public PacsSettings withUnmatchedAttributes(Set<String> keywords) {
        return change(b -> b.unmatchedAttributes = keywords);
    }

    public PacsSettings withUnsupportedKeyReturn(UnsupportedKeyReturn value) {
        return change(b -> b.unsupportedKeyReturn = value);
    }

    /** A copy with what {@code edit} changes; the canonical constructor validates the result as always. */
    private PacsSettings change(Consumer<Copy> edit) {
        Copy copy = new Copy(this);
        edit.accept(copy);
        return copy.build();
    }

    /** The components as mutable fields: every wither above is one assignment, not a 15-argument call. */
    private static final class Copy {
        String name;
        String aeTitle;
        int port;
        int minLatencyMillis;
        int maxLatencyMillis;
        double errorRate;
        PacsMode mode;
        int maxAssociations;
        int maxResults;
        MaxResultsBehaviour maxResultsBehaviour;
        boolean relationalQueries;
        boolean caseInsensitivePersonName;
        Set<String> unstoredAttributes;
        Set<String> unmatchedAttributes;
        UnsupportedKeyReturn unsupportedKeyReturn;

        Copy(PacsSettings s) {
            name = s.name;
            aeTitle = s.aeTitle;
            port = s.port;
            minLatencyMillis = s.minLatencyMillis;
            maxLatencyMillis = s.maxLatencyMillis;
            errorRate = s.errorRate;
            mode = s.mode;
            maxAssociations = s.maxAssociations;
            maxResults = s.maxResults;
            maxResultsBehaviour = s.maxResultsBehaviour;
            relationalQueries = s.relationalQueries;
            caseInsensitivePersonName = s.caseInsensitivePersonName;
            unstoredAttributes = s.unstoredAttributes;
            unmatchedAttributes = s.unmatchedAttributes;
            unsupportedKeyReturn = s.unsupportedKeyReturn;
        }

        PacsSettings build() {
            return new PacsSettings(
                    name,
                    aeTitle,
                    port,
                    minLatencyMillis,
                    maxLatencyMillis,
                    errorRate,
                    mode,
                    maxAssociations,
                    maxResults,
                    maxResultsBehaviour,
                    relationalQueries,
                    caseInsensitivePersonName,
                    unstoredAttributes,
                    unmatchedAttributes,
                    unsupportedKeyReturn);
        }
    }
}
