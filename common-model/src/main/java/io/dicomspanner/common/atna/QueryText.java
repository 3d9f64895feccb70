package io.dicomspanner.common.atna;

import io.dicomspanner.common.phi.PhiTokenizer;
import io.dicomspanner.common.query.QueryKey;
import io.dicomspanner.common.query.SpanQuery;
import io.dicomspanner.dicom.data.ElementDictionary;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The text a Query audit message carries in {@code ParticipantObjectQuery}: the canonical query both entry points
 * parse their request into ({@link SpanQuery}), written as a QIDO-RS style query string, UTF-8, with every PHI value
 * replaced by its {@link PhiTokenizer} token. A C-FIND and a QIDO-RS search that ask the same give the same text, and
 * who holds the token secret can tell which patient was asked for; nobody else can.
 *
 * <p>Form: {@code config=<id>&level=<LEVEL>[&resource=<RESOURCE>]} then each matching key as
 * {@code <Keyword>=<value>} (dot-joined keywords inside sequences, the 8-hex tag where the dictionary has no keyword)
 * in the query's sorted order, then {@code includefield=<tag>} per return key, {@code includefield=all},
 * {@code fuzzymatching=true}, {@code limit} and {@code offset} when given. Names and values are percent-encoded as in a
 * URL query, except that {@code :} is kept.
 */
public final class QueryText {

    private QueryText() {}

    public static String of(SpanQuery query, PhiTokenizer tokenizer) {
        StringJoiner text = new StringJoiner("&");
        text.add("config=" + query.configId());
        text.add("level=" + query.level().name());
        if (query.resource() != null) {
            text.add("resource=" + query.resource().name());
        }
        Map<String, String> filters = new LinkedHashMap<>();
        ElementDictionary dictionary = ElementDictionary.standard();
        for (QueryKey key : query.keys()) {
            StringJoiner name = new StringJoiner(".");
            for (String part : key.path().split("\\.")) {
                String keyword = dictionary.keywordOf(Integer.parseUnsignedInt(part, 16));
                name.add(keyword == null ? part : keyword);
            }
            filters.merge(name.toString(), key.value(), (a, b) -> a + "\\" + b);
        }
        tokenizer.tokenizeFilters(filters).forEach((name, value) -> text.add(encode(name) + "=" + encode(value)));
        for (String returnKey : query.returnKeys()) {
            text.add("includefield=" + encode(returnKey));
        }
        if (query.includeAll()) {
            text.add("includefield=all");
        }
        if (query.fuzzyMatching()) {
            text.add("fuzzymatching=true");
        }
        if (query.limit() != null) {
            text.add("limit=" + query.limit());
        }
        if (query.offset() > 0) {
            text.add("offset=" + query.offset());
        }
        return text.toString();
    }

    private static String encode(String text) {
        // A colon may stand in a query string (RFC 3986); keeping it makes tokens searchable as they are written.
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("%3A", ":");
    }
}
