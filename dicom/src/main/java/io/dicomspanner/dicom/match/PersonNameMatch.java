package io.dicomspanner.dicom.match;

import io.dicomspanner.dicom.data.Attributes;
import java.util.ArrayList;
import java.util.List;

/**
 * A PN key value (PS3.4 C.2.2.2.1 and C.2.2.2.4 leave PN matching to the implementation; this is ours).
 *
 * <ul>
 *   <li>Both sides are compared per component group (alphabetic = ideographic = phonetic) after removing trailing
 *       "^" and the spaces around each component, so "Doe^John^^^" and "Doe ^John" both equal "Doe^John"
 *       (dcm4chee-arc-light#881).
 *   <li>A key with "=" compares group by group; its empty groups match anything. A key without "=" matches if it
 *       matches any one group of the candidate, so "Doe^John" finds "Doe^John=..." and "山田^太郎" finds
 *       "Yamada^Tarou=山田^太郎"; with wildcards it is also tried on the whole value, so "*山田*" finds it too.
 *   <li>A component the candidate leaves out counts as empty, so "Doe^*" matches "Doe".
 *   <li>Case is ignored when {@link MatchOptions#caseInsensitivePersonName()} says so.
 * </ul>
 */
final class PersonNameMatch implements ValueMatch {
    static final int MAX_GROUPS = 3;
    static final int MAX_COMPONENTS = 5;

    /** Per group index, the key's pattern, or {@code null} where the key matches anything. */
    private final WildcardPattern[] groups = new WildcardPattern[MAX_GROUPS];

    private final int[] components = new int[MAX_GROUPS];
    private final boolean anyGroup;
    private final WildcardPattern wholeValue;

    private PersonNameMatch(String[] keyGroups, boolean hasGroupDelimiter, boolean ignoreCase) {
        for (int i = 0; i < keyGroups.length; i++) {
            String g = keyGroups[i];
            if (!g.isEmpty() && !WildcardPattern.isUniversal(g)) {
                groups[i] = new WildcardPattern(g, ignoreCase);
                components[i] = componentCount(g);
            }
        }
        this.anyGroup = !hasGroupDelimiter;
        this.wholeValue = anyGroup && WildcardPattern.hasWildcards(keyGroups[0])
                ? new WildcardPattern(keyGroups[0], ignoreCase)
                : null;
    }

    /** Why a key value is not a person name (more than 3 groups or 5 components per group), or {@code null}. */
    static String structureProblem(String key) {
        String[] keyGroups = normalizedGroups(key);
        if (keyGroups.length > MAX_GROUPS) {
            return "a person name has at most 3 component groups separated by '='";
        }
        for (String g : keyGroups) {
            if (componentCount(g) > MAX_COMPONENTS) {
                return "a person name group has at most 5 components separated by '^'";
            }
        }
        return null;
    }

    /** The test for a well-formed key value, or {@code null} if it matches every name ("*", "*=*", "="). */
    static PersonNameMatch compile(String key, boolean ignoreCase) {
        String[] keyGroups = normalizedGroups(key);
        for (String g : keyGroups) {
            if (!g.isEmpty() && !WildcardPattern.isUniversal(g)) {
                return new PersonNameMatch(keyGroups, key.indexOf('=') >= 0, ignoreCase);
            }
        }
        return null;
    }

    @Override
    public Outcome test(String value, Attributes dataSet) {
        String[] candidate = normalizedGroups(value);
        if (anyGroup) {
            boolean seen = false;
            for (String g : candidate) {
                if (!g.isEmpty()) {
                    seen = true;
                    if (groupMatches(0, g)) {
                        return Outcome.MATCH;
                    }
                }
            }
            if (!seen) {
                return Outcome.UNKNOWN;
            }
            if (wholeValue != null && candidate.length > 1 && wholeValue.matches(String.join("=", candidate))) {
                return Outcome.MATCH;
            }
            return Outcome.NO_MATCH;
        }
        Outcome outcome = Outcome.MATCH;
        for (int i = 0; i < MAX_GROUPS; i++) {
            if (groups[i] == null) {
                continue;
            }
            String g = i < candidate.length ? candidate[i] : "";
            if (g.isEmpty()) {
                outcome = Outcome.UNKNOWN;
            } else if (!groupMatches(i, g)) {
                return Outcome.NO_MATCH;
            }
        }
        return outcome;
    }

    private boolean groupMatches(int i, String group) {
        WildcardPattern key = groups[i];
        if (key.matches(group)) {
            return true;
        }
        int missing = components[i] - componentCount(group);
        return missing > 0 && key.matches(group + "^".repeat(missing));
    }

    /** The "="-separated groups, each without trailing empty components and spaces; trailing empty groups dropped. */
    static String[] normalizedGroups(String value) {
        List<String> out = new ArrayList<>(MAX_GROUPS);
        int start = 0;
        for (int i = 0; i <= value.length(); i++) {
            if (i == value.length() || value.charAt(i) == '=') {
                out.add(normalizedGroup(value, start, i));
                start = i + 1;
            }
        }
        int n = out.size();
        while (n > 1 && out.get(n - 1).isEmpty()) {
            n--;
        }
        return out.subList(0, n).toArray(new String[0]);
    }

    private static String normalizedGroup(String value, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        int kept = 0;
        int start = from;
        for (int i = from; i <= to; i++) {
            if (i == to || value.charAt(i) == '^') {
                String component = value.substring(start, i).strip();
                sb.append(component);
                if (!component.isEmpty()) {
                    kept = sb.length();
                }
                sb.append('^');
                start = i + 1;
            }
        }
        sb.setLength(kept);
        return sb.toString();
    }

    private static int componentCount(String group) {
        if (group.isEmpty()) {
            return 0;
        }
        int n = 1;
        for (int i = 0; i < group.length(); i++) {
            if (group.charAt(i) == '^') {
                n++;
            }
        }
        return n;
    }
}
