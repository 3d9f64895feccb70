package io.dicomspanner.gateway.source;

public class ProbeKeywordValidator extends KeywordRefusalValidator<ProbeKeyword> {

    @Override
    String refusal(String value) {
        return MatchingKeywords.probeRefusal(value);
    }
}
