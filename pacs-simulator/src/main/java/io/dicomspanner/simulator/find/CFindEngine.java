package io.dicomspanner.simulator.find;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.ElementDictionary;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.match.InvalidMatchingKeyException;
import io.dicomspanner.dicom.match.MatchOptions;
import io.dicomspanner.dicom.net.Status;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.simulator.config.MaxResultsBehaviour;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.data.PacsView;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Answers C-FIND identifiers as one simulated PACS would, from what it holds: Patient Root (PATIENT, STUDY, SERIES,
 * IMAGE), Study Root (STUDY, SERIES, IMAGE) and Patient/Study Only (PATIENT, STUDY).
 *
 * <ul>
 *   <li>Matching: {@link io.dicomspanner.dicom.match.QueryMatcher} in the SCP role (an entity without a value does
 *       not match a key with one, so undated studies never match a Study Date range), with PN case-insensitive where
 *       the PACS's settings say so.
 *   <li>Hierarchical queries carry, for each level above the query level, that level's unique key with one value and
 *       nothing else. Other queries are relational; a PACS without relational support refuses them with C000 (Unable
 *       to process), as dcmtk's dcmqrscp does; one with it matches every key at its level.
 *   <li>Each response holds exactly the requested attributes with this PACS's values (empty where its copy has none),
 *       plus Query/Retrieve Level, Retrieve AE Title (this PACS's AE title) and, when a value is not ASCII, Specific
 *       Character Set ISO_IR 192. The counts and Modalities in Study are those of this PACS's copies. Attributes the
 *       PACS does not hold (unknown, private, below the query level, or unstored by it) are never matched, come back
 *       empty or not at all as its settings say, and make the pending status FF01 if their key had a value.
 *   <li>Attributes the PACS holds but does not match on (its unmatched attributes) are returned with their values
 *       like any other, but their keys are ignored, and the pending status stays FF00: the PACS does not admit it.
 *   <li>Failures: Query/Retrieve Level missing or not in the model: A900; a key value no matching rule takes: C000
 *       with the attribute as Offending Element; the max-results cap: see {@link MaxResultsBehaviour}.
 * </ul>
 *
 * <p>Relational queries are answered whenever the PACS supports them; a network layer that implements extended
 * negotiation refuses them itself when the SCU did not negotiate them. Thread-safe: one engine serves any number of
 * concurrent queries.
 */
public final class CFindEngine {
    private final PacsView holdings;
    private final PacsSettings settings;
    private final MatchOptions matchOptions;
    private final Set<Integer> unstoredTags;
    private final Set<Integer> unmatchedTags;

    public CFindEngine(PacsView holdings, PacsSettings settings) {
        this.holdings = Objects.requireNonNull(holdings, "holdings");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.matchOptions = MatchOptions.SCP.withCaseInsensitivePersonName(settings.caseInsensitivePersonName());
        this.unstoredTags = tagsOf(settings.unstoredAttributes());
        this.unmatchedTags = tagsOf(settings.unmatchedAttributes());
    }

    private static Set<Integer> tagsOf(Set<String> keywords) {
        Set<Integer> tags = new HashSet<>();
        for (String keyword : keywords) {
            tags.add(ElementDictionary.standard().tagOf(keyword));
        }
        return Set.copyOf(tags);
    }

    public PacsView holdings() {
        return holdings;
    }

    public PacsSettings settings() {
        return settings;
    }

    /**
     * The answer to {@code identifier} under {@code model}, relational queries answered if this PACS supports them;
     * the search runs as the responses are taken.
     */
    public FindResponses find(InformationModel model, Attributes identifier) {
        return find(model, identifier, true);
    }

    /**
     * As {@link #find(InformationModel, Attributes)}, for an SCU that did or did not negotiate relational queries
     * (SOP Class Extended Negotiation, PS3.4 C.5.1.1): without, a relational query fails with C000 even on a PACS
     * that supports them, since the SCU has no right to expect the answer.
     */
    public FindResponses find(InformationModel model, Attributes identifier, boolean relationalNegotiated) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(identifier, "identifier");
        QueryLevel level = levelOf(identifier.getString(Tag.QUERY_RETRIEVE_LEVEL));
        if (level == null || !model.hasLevel(level)) {
            return FindResponses.refused(FindStatus.failure(
                    Status.IDENTIFIER_DOES_NOT_MATCH_SOP_CLASS,
                    "Query/Retrieve Level missing or not of this model",
                    Tag.QUERY_RETRIEVE_LEVEL));
        }
        FindPlan plan;
        try {
            plan = new FindPlan(
                    model,
                    level,
                    identifier,
                    unstoredTags,
                    unmatchedTags,
                    matchOptions,
                    settings.aeTitle(),
                    settings.unsupportedKeyReturn());
        } catch (InvalidMatchingKeyException e) {
            return FindResponses.refused(FindStatus.failure(Status.UNABLE_TO_PROCESS, e.getMessage(), e.tag()));
        }
        if (plan.isRelational() && !settings.relationalQueries()) {
            return FindResponses.refused(FindStatus.failure(
                    Status.UNABLE_TO_PROCESS, "Relational query not supported: " + plan.relationalKeyword()));
        }
        if (plan.isRelational() && !relationalNegotiated) {
            return FindResponses.refused(FindStatus.failure(
                    Status.UNABLE_TO_PROCESS, "Relational query not negotiated: " + plan.relationalKeyword()));
        }
        int cap = settings.maxResults();
        if (cap > 0
                && settings.maxResultsBehaviour() == MaxResultsBehaviour.REFUSE
                && !plan.hasQueryLevelUniqueKeyValue()
                && new MatchCursor(plan, holdings).countUpTo(cap) > cap) {
            return FindResponses.refused(FindStatus.failure(Status.UNABLE_TO_PROCESS, "Request entity too large"));
        }
        int truncateAt = settings.maxResultsBehaviour() == MaxResultsBehaviour.TRUNCATE ? cap : 0;
        return FindResponses.matches(new MatchCursor(plan, holdings), plan, truncateAt);
    }

    /** The level a Query/Retrieve Level value names, or {@code null} when it is missing or names none. */
    private static QueryLevel levelOf(String code) {
        if (code == null) {
            return null;
        }
        for (QueryLevel level : QueryLevel.values()) {
            if (level.code().equals(code)) {
                return level;
            }
        }
        return null;
    }
}
