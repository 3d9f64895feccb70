package io.dicomspanner.worker.dicomweb;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the {@code Warning: 299} headers of one QIDO-RS answer say (PS3.18 §8.3.4.2, §10.6.3), as far as it changes
 * what the worker does. Their text is free; archives quote it or not (checklist E 12), so both forms are read and the
 * text is matched by meaning:
 *
 * <ul>
 *   <li>{@link #moreResults}: the answer was cut short ("There are 12 additional results that can be requested",
 *       "too many results", "more results"): the worker keeps paging, and where paging cannot go further, splits the
 *       search;
 *   <li>{@link #notApplied}: the archive did not apply something it was asked ("The fuzzymatching parameter is not
 *       supported", "... ignored"): nothing to do beyond what the worker does for every answer, re-checking each
 *       record against the whole query locally; counted so the log says an archive sends them.
 * </ul>
 *
 * Other warnings (and headers of other codes) change nothing. Pure: reads header values, does no I/O.
 *
 * @param moreResults some header says more results exist than the answer holds
 * @param notApplied headers saying something asked was not applied
 * @param other 299 headers of neither kind
 */
public record QidoWarnings(boolean moreResults, int notApplied, int other) {

    public static final QidoWarnings NONE = new QidoWarnings(false, 0, 0);

    /** {@code 299 agent "text"} or {@code 299 agent: text}, with an optional date after a quoted text. */
    private static final Pattern WARNING = Pattern.compile("\\s*(\\d{3})\\s+(\\S+?):?\\s+(.*)", Pattern.DOTALL);

    private static final Pattern MORE = Pattern.compile("additional results|more results|too many|exceed|truncat");
    private static final Pattern NOT_APPLIED =
            Pattern.compile("not supported|unsupported|ignored|not been applied|not applied|only literal matching");

    /** The warnings of these {@code Warning} header values (each may hold several, comma-separated when quoted). */
    public static QidoWarnings of(List<String> headerValues) {
        boolean more = false;
        int notApplied = 0;
        int other = 0;
        for (String value : headerValues) {
            Matcher m = WARNING.matcher(value);
            if (!m.matches() || !m.group(1).equals("299")) {
                continue;
            }
            String text = m.group(3).toLowerCase(Locale.ROOT);
            if (MORE.matcher(text).find()) {
                more = true;
            } else if (NOT_APPLIED.matcher(text).find()) {
                notApplied++;
            } else {
                other++;
            }
        }
        return more || notApplied > 0 || other > 0 ? new QidoWarnings(more, notApplied, other) : NONE;
    }

    /** Both answers' warnings together. */
    public QidoWarnings and(QidoWarnings next) {
        return new QidoWarnings(moreResults || next.moreResults, notApplied + next.notApplied, other + next.other);
    }
}
