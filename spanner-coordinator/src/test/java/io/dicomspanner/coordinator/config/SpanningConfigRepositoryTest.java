package io.dicomspanner.coordinator.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.dicomspanner.common.persistence.ReadReplica;
import io.dicomspanner.coordinator.testing.SpanningFixture;
import io.dicomspanner.coordinator.testing.TestDatabase;
import java.util.List;
import java.util.Map;
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

    @Test
    void aConfigSelectingALocationSpansItsEnabledSourcesAfterItsMappingsAndTakesUpASourceAddedLater() {
        String site = "site-" + System.nanoTime();
        long first = fixture.source("first", "FIRST");
        long second = fixture.source("second", "SECOND");
        long disabled = fixture.source("disabled", "DISABLED");
        long elsewhere = fixture.source("elsewhere", "ELSEWHERE");
        long mappedInSite = fixture.source("mapped", "MAPPED");
        long excludedInSite = fixture.source("excluded", "EXCLUDED");
        long mappedOnly = fixture.source("outside", "OUTSIDE");
        for (long source : List.of(first, second, disabled, mappedInSite, excludedInSite)) {
            setLocation(source, site);
        }
        setLocation(elsewhere, site + "-b");
        jdbc.sql("update dicom_source set enabled = false where id = ?")
                .param(disabled)
                .update();
        long configId = fixture.config(
                "partial_results",
                null,
                "first_wins",
                30,
                0,
                List.of(
                        new SpanningFixture.Mapping(mappedInSite, 3, 20, "{\"StationName\":\"CT1\"}"),
                        new SpanningFixture.Mapping(mappedOnly, 1),
                        new SpanningFixture.Mapping(excludedInSite, 2)));
        // A disabled mapping keeps its source out of the config although the location selects it.
        jdbc.sql("update source_mapping set enabled = false where config_id = ? and source_id = ?")
                .params(configId, excludedInSite)
                .update();
        jdbc.sql("update spanner_config set include_locations = cast(? as text[]) where id = ?")
                .params("{" + site + "}", configId)
                .update();

        SpanningConfig config = repository.resolve(configId).orElseThrow();

        assertThat(config.sources())
                .extracting(
                        source -> source.endpoint().sourceId(),
                        MappedSource::priority,
                        MappedSource::timeoutSeconds,
                        MappedSource::additionalQueryFilters)
                .containsExactly(
                        tuple(mappedOnly, 1, 30, Map.of()),
                        tuple(mappedInSite, 3, 20, Map.of("StationName", "CT1")),
                        tuple(first, 4, 30, Map.of()),
                        tuple(second, 4, 30, Map.of()));

        long added = fixture.source("added", "ADDED");
        setLocation(added, site);
        // Kept per version: the new source alone is not read ...
        assertThat(sourceIds(configId)).containsExactly(mappedOnly, mappedInSite, first, second);

        // ... the new version the admin API gives every config selecting the new source's location is.
        long version = repository.resolve(configId).orElseThrow().version();
        markConfigsEditedForSelection(site);
        assertThat(repository.resolve(configId).orElseThrow().version()).isEqualTo(version + 1);
        assertThat(sourceIds(configId)).containsExactly(mappedOnly, mappedInSite, first, second, added);
    }

    @Test
    void aConfigSelectingATagSpansTheEnabledSourcesCarryingIt() {
        String tag = "tag-" + System.nanoTime();
        long tagged = fixture.source("tagged", "TAGGED");
        long alsoTagged = fixture.source("alsotagged", "ALSOTAGGED");
        long untagged = fixture.source("untagged", "UNTAGGED");
        jdbc.sql("update dicom_source set tags = cast(? as text[]) where id in (?, ?)")
                .params("{other," + tag + "}", tagged, alsoTagged)
                .update();
        jdbc.sql("update dicom_source set tags = '{other}' where id = ?")
                .param(untagged)
                .update();
        long configId = fixture.config("partial_results", null, "first_wins", 30, 0, List.of());
        jdbc.sql("update spanner_config set include_tags = cast(? as text[]) where id = ?")
                .params("{" + tag + "}", configId)
                .update();

        SpanningConfig config = repository.resolve(configId).orElseThrow();

        assertThat(config.sources())
                .extracting(source -> source.endpoint().sourceId(), MappedSource::priority)
                .containsExactly(tuple(tagged, 1), tuple(alsoTagged, 1));
    }

    private List<Long> sourceIds(long configId) {
        return repository.resolve(configId).orElseThrow().sources().stream()
                .map(source -> source.endpoint().sourceId())
                .toList();
    }

    private void setLocation(long sourceId, String location) {
        jdbc.sql("update dicom_source set location = ? where id = ?")
                .params(location, sourceId)
                .update();
    }

    /** What the admin API does when a source of a location is added (gateway markEditedForSelection). */
    private void markConfigsEditedForSelection(String location) {
        jdbc.sql("update spanner_config set version = version + 1, updated_at = now()"
                        + " where include_locations && cast(? as text[])")
                .param("{" + location + "}")
                .update();
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
