package io.dicomspanner.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.common.persistence.ReadReplica;
import io.dicomspanner.coordinator.testing.SpanningFixture;
import io.dicomspanner.coordinator.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import tools.jackson.databind.json.JsonMapper;

/** The config a query runs on, read from the real schema: what each mapped source's endpoint carries, and when. */
class SpanningConfigRepositoryTest {

    private final SpanningFixture fixture = new SpanningFixture();
    private final DriverManagerDataSource dataSource =
            new DriverManagerDataSource(TestDatabase.url(), io.dicomspanner.schema.testing.TestDatabase.USER, "");
    private final JdbcClient jdbc = JdbcClient.create(dataSource);
    private final SpanningConfigRepository repository = new SpanningConfigRepository(
            ReadReplica.ofPrimary(dataSource), JsonMapper.builder().build());

    @Test
    void eachMappedSourceCarriesTheMatchingKeysItsSourceDeclaresIgnored() {
        long ignoresModalities = fixture.source("ignores", "IGNORES");
        long honoursAll = fixture.source("honours", "HONOURS");
        setUnmatchedKeys(ignoresModalities, "{ModalitiesInStudy,BodyPartExamined}");
        long configId = fixture.config(
                "partial_results",
                null,
                "first_wins",
                30,
                0,
                List.of(new SpanningFixture.Mapping(ignoresModalities, 1), new SpanningFixture.Mapping(honoursAll, 2)));

        SpanningConfig config = repository.resolve(configId).orElseThrow();

        assertThat(config.sources())
                .extracting(source -> source.endpoint().unmatchedKeys())
                .containsExactly(List.of("ModalitiesInStudy", "BodyPartExamined"), List.of());
        assertThat(config.sources().get(0).endpoint().ignores("ModalitiesInStudy"))
                .isTrue();
        assertThat(config.sources().get(1).endpoint().ignores("ModalitiesInStudy"))
                .isFalse();
    }

    @Test
    void anEditOfTheKeysIsSeenByTheNextResolveOnceTheConfigHasItsNewVersion() {
        long source = fixture.source("edited", "EDITED");
        long configId = fixture.config(
                "partial_results", null, "first_wins", 30, 0, List.of(new SpanningFixture.Mapping(source, 1)));
        assertThat(onlyEndpointKeys(configId)).isEmpty();

        setUnmatchedKeys(source, "{ModalitiesInStudy}");
        // The config is kept per version: the edit alone is not read ...
        assertThat(onlyEndpointKeys(configId)).isEmpty();

        // ... the new version the admin API gives every config that maps the edited source is.
        markConfigsEditedForSource(source);
        assertThat(onlyEndpointKeys(configId)).containsExactly("ModalitiesInStudy");
    }

    private List<String> onlyEndpointKeys(long configId) {
        List<MappedSource> sources = repository.resolve(configId).orElseThrow().sources();
        assertThat(sources).hasSize(1);
        return sources.get(0).endpoint().unmatchedKeys();
    }

    private void setUnmatchedKeys(long sourceId, String arrayLiteral) {
        jdbc.sql("update dicom_source set unmatched_keys = cast(? as text[]) where id = ?")
                .params(arrayLiteral, sourceId)
                .update();
    }

    /** What the admin API does on every edit of a source (gateway SpannerConfigRepository.markEditedForSource). */
    private void markConfigsEditedForSource(long sourceId) {
        jdbc.sql("""
                        update spanner_config set version = version + 1, updated_at = now()
                         where id in (select config_id from source_mapping
                                       where source_type = 'modality' and source_id = ?)
                        """).param(sourceId).update();
    }
}
