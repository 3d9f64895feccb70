package io.dicomspanner.gateway.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonFieldNamesTest {

    @Test
    void javaPropertyPathsBecomeSnakeCaseJsonNames() {
        assertThat(JsonFieldNames.of("aeTitle")).isEqualTo("ae_title");
        assertThat(JsonFieldNames.of("maxConcurrentSources")).isEqualTo("max_concurrent_sources");
        assertThat(JsonFieldNames.of("allowedCallingAeTitles[1]")).isEqualTo("allowed_calling_ae_titles[1]");
        assertThat(JsonFieldNames.of("port")).isEqualTo("port");
    }

    @Test
    void mapKeysInBracketsAreKeptAsSent() {
        assertThat(JsonFieldNames.of("additionalQueryFilters[PatientID]"))
                .isEqualTo("additional_query_filters[PatientID]");
    }
}
