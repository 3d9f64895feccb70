package io.dicomspanner.gateway.source;

public class MatchingKeywordValidator extends KeywordRefusalValidator<MatchingKeyword> {

    @Override
    String refusal(String value) {
        return MatchingKeywords.refusal(value);
    }
}
