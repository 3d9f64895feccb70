package io.dicomspanner.worker.adapt;

import io.dicomspanner.common.messaging.SourceOutcome;
import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.DicomWriter;
import io.dicomspanner.dicom.data.SpecificCharacterSet;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.TransferSyntax;
import io.dicomspanner.dicom.data.VR;
import io.dicomspanner.dicom.net.service.QueryOptions;
import io.dicomspanner.dicom.query.AttributeLevels;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.dicom.query.QueryLevel;
import io.dicomspanner.worker.find.CFindFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns the identifier the coordinator asked for into identifiers a PACS can take (checklist E 2–4):
 *
 * <ul>
 *   <li>the information model: the first of the source's {@code informationModels} that has the level (PATIENT needs
 *       Patient Root);
 *   <li>without relational queries, a level whose upper levels' unique keys are not all given as single values is
 *       reached through those levels: the topmost unresolved level is queried first, then the level below per match
 *       ({@link #unresolvedUpperLevel}); each request carries only the unique keys above its level ({@link #keysFor});
 *   <li>a multi-valued ModalitiesInStudy becomes one identifier per value ({@link #splitModalitiesInStudy});
 *   <li>without combined date-time matching, a date range with a time range is sent as the date range alone
 *       ({@link #keysFor}).
 * </ul>
 *
 * Whatever was not sent is filtered locally against the original identifier (see {@code TaskRun}).
 */
public final class QueryAdapter {

    /** Date and time attributes that combined date-time matching (PS3.4 C.2.2.2.5.4) pairs. */
    private static final int[][] DATE_TIME_PAIRS = {
        {Tag.STUDY_DATE, Tag.STUDY_TIME},
        {Tag.SERIES_DATE, Tag.SERIES_TIME},
        {0x00080022, 0x00080032},
        {0x00080023, 0x00080033}
    };

    private QueryAdapter() {}

    /** The first of the source's models that has the level; Study Root, then Patient Root, when it names none. */
    public static InformationModel chooseModel(List<InformationModel> informationModels, QueryLevel level) {
        List<InformationModel> models = informationModels == null || informationModels.isEmpty()
                ? List.of(InformationModel.STUDY_ROOT, InformationModel.PATIENT_ROOT)
                : informationModels;
        for (InformationModel model : models) {
            if (model.hasLevel(level)) {
                return model;
            }
        }
        throw new CFindFailedException(
                SourceOutcome.REFUSED,
                "no information model of the source (" + models + ") has the " + level.code() + " level",
                false,
                null);
    }

    /**
     * One identifier per value of a multi-valued ModalitiesInStudy (PACS answer "CT\MR" wrongly or not at all), else
     * the identifier itself.
     */
    public static List<Attributes> splitModalitiesInStudy(Attributes identifier) {
        String[] values = identifier.getStrings(Tag.MODALITIES_IN_STUDY);
        if (values == null || values.length < 2) {
            return List.of(identifier);
        }
        List<Attributes> split = new ArrayList<>(values.length);
        for (String value : values) {
            Attributes one = Attributes.copyOf(identifier);
            one.setString(Tag.MODALITIES_IN_STUDY, VR.CS, value);
            split.add(one);
        }
        return split;
    }

    /**
     * The identifiers a QIDO-RS archive can take, which matches one value per attribute but UID lists (PS3.18
     * §8.3.4.1): the identifier itself when no key other than a UID or sequence holds several values; else one
     * identifier per value of the key with the most values (ModalitiesInStudy {@code CT\MR}: one for CT, one for MR),
     * each other multi-valued key sent empty, as a return key. The union of their answers holds every match; what the
     * archive was not asked is checked locally against the whole identifier.
     */
    public static List<Attributes> splitMultiValued(Attributes identifier) {
        int widest = -1;
        int most = 1;
        List<Integer> multiValued = new ArrayList<>();
        for (int i = 0; i < identifier.size(); i++) {
            VR vr = identifier.vrAt(i);
            int tag = identifier.tagAt(i);
            if (vr == VR.UI || vr == VR.SQ || tag == Tag.SPECIFIC_CHARACTER_SET) {
                continue;
            }
            String[] values = identifier.getStrings(tag);
            if (values != null && values.length > 1) {
                multiValued.add(tag);
                if (values.length > most) {
                    most = values.length;
                    widest = tag;
                }
            }
        }
        if (widest < 0) {
            return List.of(identifier);
        }
        Attributes base = Attributes.copyOf(identifier);
        for (int tag : multiValued) {
            if (tag != widest) {
                base.setNull(tag, identifier.vrOf(tag));
            }
        }
        String[] values = identifier.getStrings(widest);
        VR vr = identifier.vrOf(widest);
        List<Attributes> split = new ArrayList<>(values.length);
        for (String value : new java.util.LinkedHashSet<>(List.of(values))) {
            Attributes one = Attributes.copyOf(base);
            one.setString(widest, vr, value);
            split.add(one);
        }
        return split;
    }

    /**
     * The topmost level above {@code target} whose unique key is neither in {@code resolved} (taken from a match of
     * that level) nor a single value in the identifier: that level must be queried first.
     */
    public static Optional<QueryLevel> unresolvedUpperLevel(
            Attributes identifier, Attributes resolved, InformationModel model, QueryLevel target) {
        for (QueryLevel upper : model.levels()) {
            if (!upper.isAbove(target)) {
                break;
            }
            int key = upper.uniqueKeyTags()[0];
            if (!singleValue(resolved, key) && !singleValue(identifier, key)) {
                return Optional.of(upper);
            }
        }
        return Optional.empty();
    }

    /**
     * The identifier to send at {@code level}: the keys of that level (with patient keys at the study level of Study
     * Root), the level's unique key as a return key if absent, and above it either every key (relational) or only
     * the unique keys (baseline hierarchical), taken from {@code resolved} first.
     */
    public static Attributes keysFor(
            Attributes identifier,
            Attributes resolved,
            InformationModel model,
            QueryLevel level,
            boolean relational,
            QueryOptions negotiated) {
        Attributes keys = new Attributes();
        keys.copyFrom(identifier, Tag.SPECIFIC_CHARACTER_SET);
        for (int i = 0; i < identifier.size(); i++) {
            int tag = identifier.tagAt(i);
            if (tag == Tag.QUERY_RETRIEVE_LEVEL || tag == Tag.SPECIFIC_CHARACTER_SET) {
                continue;
            }
            Optional<QueryLevel> of = AttributeLevels.levelOf(tag);
            boolean atLevel = of.isEmpty()
                    || of.get() == level
                    || (of.get() == QueryLevel.PATIENT
                            && level == QueryLevel.STUDY
                            && !model.hasLevel(QueryLevel.PATIENT));
            if (atLevel || (relational && of.get().isAbove(level))) {
                keys.copyFrom(identifier, tag);
            }
        }
        keys.setString(Tag.QUERY_RETRIEVE_LEVEL, VR.CS, level.code());
        int ownKey = level.uniqueKeyTags()[0];
        if (!keys.contains(ownKey)) {
            keys.setNull(ownKey, level == QueryLevel.PATIENT ? VR.LO : VR.UI);
        }
        if (!relational) {
            for (QueryLevel upper : model.levels()) {
                if (!upper.isAbove(level)) {
                    break;
                }
                int key = upper.uniqueKeyTags()[0];
                keys.copyFrom(singleValue(resolved, key) ? resolved : identifier, key);
            }
        }
        if (!negotiated.combinedDateTimeMatching()) {
            for (int[] pair : DATE_TIME_PAIRS) {
                String date = keys.getString(pair[0]);
                String time = keys.getString(pair[1]);
                // Matched apart, a time range over several days would keep only those times on every day.
                if (date != null && date.contains("-") && time != null && !time.isEmpty()) {
                    keys.setNull(pair[1], VR.TM);
                }
            }
        }
        return keys;
    }

    /**
     * {@code child} completed with the attributes of the upper-level match it was found under: {@code child} itself,
     * or, when the two came in different character sets (an ASCII image under a study with a German name in UTF-8), a
     * copy in UTF-8 ({@code ISO_IR 192}), which holds the text of both; the child's own character set could not encode
     * the copied names. Callers must use the returned data set.
     */
    public static Attributes withUpperLevels(Attributes child, Attributes resolved) {
        if (resolved.isEmpty()) {
            return child;
        }
        Attributes result = child;
        if (!child.specificCharacterSet().equals(resolved.specificCharacterSet())) {
            result = new Attributes().setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, SpecificCharacterSet.UTF_8.codes());
            for (int i = 0; i < child.size(); i++) {
                if (child.tagAt(i) != Tag.SPECIFIC_CHARACTER_SET) {
                    result.copyFrom(child, child.tagAt(i));
                }
            }
        }
        for (int i = 0; i < resolved.size(); i++) {
            int tag = resolved.tagAt(i);
            if (tag != Tag.QUERY_RETRIEVE_LEVEL && tag != Tag.SPECIFIC_CHARACTER_SET && !result.contains(tag)) {
                result.copyFrom(resolved, tag);
            }
        }
        return result;
    }

    /**
     * DICOM JSON carries Unicode text and no character set: an identifier whose text the default repertoire cannot
     * hold (a German or Japanese name) is sent to the PACS in UTF-8 ({@code ISO_IR 192}), as SpecificCharacterSet's
     * strict encoding asks of its callers. Otherwise (nearly always) it goes without Specific Character Set.
     */
    public static Attributes inUtf8IfNeeded(Attributes identifier) {
        if (identifier.contains(Tag.SPECIFIC_CHARACTER_SET)) {
            return identifier;
        }
        try {
            DicomWriter.encode(identifier, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        } catch (IllegalArgumentException e) {
            identifier.setString(Tag.SPECIFIC_CHARACTER_SET, VR.CS, "ISO_IR 192");
        }
        return identifier;
    }

    private static boolean singleValue(Attributes attrs, int tag) {
        String[] v = attrs.getStrings(tag);
        return v != null && v.length == 1 && !v[0].isEmpty() && v[0].indexOf('*') < 0 && v[0].indexOf('?') < 0;
    }
}
