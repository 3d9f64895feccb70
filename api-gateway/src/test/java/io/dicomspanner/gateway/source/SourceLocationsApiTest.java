package io.dicomspanner.gateway.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.dicomspanner.gateway.GatewayTest;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A source's location and tags, the list filtered by them, and the configs that select sources by them. */
class SourceLocationsApiTest extends GatewayTest {

    private static String source(String name, String location, String tags) {
        return """
                {"name": "%s", "ae_title": "AE", "host": "10.1.2.3", "port": 104%s%s}""".formatted(
                        name,
                        location == null ? "" : ", \"location\": \"" + location + "\"",
                        tags == null ? "" : ", \"tags\": " + tags);
    }

    @Test
    void locationAndTagsAreStoredAndShownAndDuplicateTagsRemoved() {
        Reply created = post("/api/v1/sources", source("CT-North", "north-campus", "[\"ct\", \"radiology\", \"ct\"]"));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("location").asString()).isEqualTo("north-campus");
        assertThat(created.body().get("tags").toString()).isEqualTo("[\"ct\",\"radiology\"]");
        assertThat(get("/api/v1/sources/1").body()).isEqualTo(created.body());

        Reply plain = post("/api/v1/sources", source("Plain", null, null));
        assertThat(plain.body().get("location").isNull()).isTrue();
        assertThat(plain.body().get("tags").toString()).isEqualTo("[]");
    }

    @Test
    void badCharactersTooLongAndTooManyTagsAre400NamingTheField() {
        Reply badCharacters = post("/api/v1/sources", source("A", "north campus", "[\"ct\", \"x/y\"]"));

        assertThat(badCharacters.status()).isEqualTo(400);
        assertThat(errorFields(badCharacters)).containsExactlyInAnyOrder("location", "tags[1]");
        assertThat(messageOf(badCharacters, "location"))
                .isEqualTo("must be letters, digits, '.', '_' or '-', starting with a letter or digit");

        Reply tooLong = post("/api/v1/sources", source("A", "n".repeat(65), "[\"" + "t".repeat(65) + "\"]"));

        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(errorFields(tooLong)).containsExactlyInAnyOrder("location", "tags[0]");
        assertThat(messageOf(tooLong, "location")).isEqualTo("size must be between 0 and 64");

        String thirtyThree =
                IntStream.range(0, 33).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(",", "[", "]"));
        Reply tooMany = post("/api/v1/sources", source("A", "north", thirtyThree));

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(errorFields(tooMany)).containsExactly("tags");
        assertThat(messageOf(tooMany, "tags")).isEqualTo("size must be between 0 and 32");
        assertThat(get("/api/v1/sources").body().get("total_items").asLong()).isZero();
    }

    @Test
    void theListFiltersByLocationAndTag() {
        post("/api/v1/sources", source("N1", "north", "[\"ct\"]"));
        post("/api/v1/sources", source("N2", "north", "[\"mr\"]"));
        post("/api/v1/sources", source("S1", "south", "[\"ct\", \"mr\"]"));
        post("/api/v1/sources", source("None", null, null));

        assertThat(names("/api/v1/sources?location=north")).containsExactly("N1", "N2");
        assertThat(names("/api/v1/sources/?tag=ct")).containsExactly("N1", "S1");
        assertThat(names("/api/v1/sources?location=north&tag=mr")).containsExactly("N2");
        assertThat(names("/api/v1/sources?location=North")).isEmpty();
        assertThat(names("/api/v1/sources?tag=ct&size=1&page=1")).containsExactly("S1");
        assertThat(get("/api/v1/sources?tag=ct&size=1")
                        .body()
                        .get("total_items")
                        .asLong())
                .isEqualTo(2);
        assertThat(names("/api/v1/sources")).containsExactly("N1", "N2", "S1", "None");

        Reply bad = get("/api/v1/sources?location=no%20rth&tag=" + "t".repeat(65));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(errorFields(bad)).containsExactly("location", "tag");
        assertThat(messageOf(bad, "tag")).isEqualTo("size must be between 0 and 64");
    }

    @Test
    void aSourceAddedChangedOrRemovedInASelectedLocationOrTagGivesTheSelectingConfigsANewVersion() {
        long byLocation = post("/api/v1/config/spanner", """
                        {"name": "North", "include_locations": ["north", "north"]}""").body().get("id").asLong();
        long byTag = post("/api/v1/config/spanner", """
                        {"name": "CT", "include_tags": ["ct"]}""").body().get("id").asLong();
        assertThat(get("/api/v1/config/spanner/" + byLocation)
                        .body()
                        .get("include_locations")
                        .toString())
                .isEqualTo("[\"north\"]");
        assertThat(versions(byLocation, byTag)).containsExactly(1L, 1L);

        post("/api/v1/sources", source("Elsewhere", "south", "[\"mr\"]"));
        assertThat(versions(byLocation, byTag)).containsExactly(1L, 1L);

        long north = post("/api/v1/sources", source("N1", "north", null))
                .body()
                .get("id")
                .asLong();
        assertThat(versions(byLocation, byTag)).containsExactly(2L, 1L);

        // moved out of north, tagged ct: both configs' sources change
        put("/api/v1/sources/" + north, source("N1", "south", "[\"ct\"]"));
        assertThat(versions(byLocation, byTag)).containsExactly(3L, 2L);

        assertThat(delete("/api/v1/sources/" + north).status()).isEqualTo(204);
        assertThat(versions(byLocation, byTag)).containsExactly(3L, 3L);
    }

    @Test
    void aConfigsSelectionIsValidatedLikeTheSourcesLabels() {
        Reply reply = post("/api/v1/config/spanner", """
                {"name": "Bad", "include_locations": ["north", "so uth"], "include_tags": [null]}""");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(errorFields(reply)).containsExactlyInAnyOrder("include_locations[1]", "include_tags[0]");

        Reply created = post("/api/v1/config/spanner", "{\"name\": \"Plain\"}");
        assertThat(created.body().get("include_locations").toString()).isEqualTo("[]");
        assertThat(created.body().get("include_tags").toString()).isEqualTo("[]");
    }

    private List<Long> versions(long... configIds) {
        return java.util.Arrays.stream(configIds)
                .mapToObj(id -> get("/api/v1/config/spanner/" + id)
                        .body()
                        .get("version")
                        .asLong())
                .toList();
    }

    private List<String> names(String path) {
        Reply reply = get(path);
        assertThat(reply.status()).isEqualTo(200);
        return reply.body()
                .get("items")
                .valueStream()
                .map(s -> s.get("name").asString())
                .toList();
    }

    private static String messageOf(Reply reply, String field) {
        return reply.body()
                .get("errors")
                .valueStream()
                .filter(e -> e.get("field").asString().equals(field))
                .findFirst()
                .orElseThrow()
                .get("message")
                .asString();
    }
}
