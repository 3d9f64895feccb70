package io.dicomspanner.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every query the monitoring files hold: alert expressions and dashboard panel and variable queries. */
final class MonitoringQueries {
    private MonitoringQueries() {}

    /** Query by where it is ("alerts.yml: PacsDown", "per-pacs.json: panel 3 A"). */
    static Map<String, String> all() {
        Map<String, String> queries = new LinkedHashMap<>();
        queries.putAll(alerts());
        queries.putAll(dashboards());
        return queries;
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> alerts() {
        Map<String, String> queries = new LinkedHashMap<>();
        Map<String, Object> file = new Yaml().load(Repo.read("monitoring/alerts.yml"));
        for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                queries.put("alerts.yml: " + rule.get("alert"), (String) rule.get("expr"));
            }
        }
        return queries;
    }

    static Map<String, String> dashboards() {
        Map<String, String> queries = new LinkedHashMap<>();
        JsonMapper json = JsonMapper.builder().build();
        try (Stream<Path> files = Files.list(Repo.path("monitoring/grafana/dashboards"))) {
            for (Path file : files.sorted().toList()) {
                JsonNode dashboard = json.readTree(file.toFile());
                String name = file.getFileName().toString();
                for (JsonNode panel : dashboard.get("panels")) {
                    for (JsonNode target : panel.get("targets")) {
                        queries.put(
                                name + ": panel " + panel.get("id").asInt() + " "
                                        + target.get("refId").asString(),
                                target.get("expr").asString());
                    }
                }
                for (JsonNode variable : dashboard.get("templating").get("list")) {
                    queries.put(
                            name + ": variable " + variable.get("name").asString(),
                            variable.get("query").get("query").asString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return queries;
    }
}
