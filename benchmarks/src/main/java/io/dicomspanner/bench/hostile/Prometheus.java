package io.dicomspanner.bench.hostile;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalDouble;

/** Reads a service's {@code /actuator/prometheus} text and its health. */
final class Prometheus {

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String apiKey;

    /** @param base the service's HTTP base, such as {@code http://127.0.0.1:8004} */
    Prometheus(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** Whether {@code /actuator/health} answers 200. */
    boolean healthy() {
        try {
            return get("/actuator/health").statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    /** The sum of a metric's samples whose labels contain {@code labelFilter} (empty: all); empty if unreachable. */
    OptionalDouble sum(String metric, String labelFilter) {
        try {
            HttpResponse<String> answer = get("/actuator/prometheus");
            if (answer.statusCode() != 200) {
                return OptionalDouble.empty();
            }
            return sum(answer.body(), metric, labelFilter);
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
    }

    /** The sum, over the samples of a Prometheus text exposition, of {@code metric} with labels containing the filter. */
    static OptionalDouble sum(String exposition, String metric, String labelFilter) {
        double total = 0;
        boolean found = false;
        for (String line : exposition.split("\n")) {
            if (line.startsWith("#") || !line.startsWith(metric)) {
                continue;
            }
            String rest = line.substring(metric.length());
            String labels = "";
            if (rest.startsWith("{")) {
                int close = rest.indexOf('}');
                labels = rest.substring(1, close);
                rest = rest.substring(close + 1);
            } else if (!rest.startsWith(" ")) {
                continue; // another metric whose name starts the same
            }
            if (!labels.contains(labelFilter)) {
                continue;
            }
            String[] parts = rest.strip().split("\\s+");
            total += Double.parseDouble(parts[0]);
            found = true;
        }
        return found ? OptionalDouble.of(total) : OptionalDouble.empty();
    }

    private HttpResponse<String> get(String path) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (apiKey != null) {
            request.header("Authorization", "Api-Key " + apiKey);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
