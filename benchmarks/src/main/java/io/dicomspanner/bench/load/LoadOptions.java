package io.dicomspanner.bench.load;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Settings of one load test, from the command line ({@link #parse}); {@link #USAGE} lists them with their defaults.
 *
 * @param gateway base URL of the api-gateway
 * @param apiKey a key with the query scope; the baseline also reads the config's sources, which needs the admin scope
 * @param configId the spanning config asked
 * @param clients concurrent clients, each sending its next query when the previous one is answered (closed loop)
 * @param thinkTime mean pause of a client between an answer and its next query (drawn from 0.5 to 1.5 times it; each
 *     client also starts after a random part of it)
 * @param warmUp time whose requests are sent but not counted
 * @param duration measured time (ignored when {@code requests} > 0)
 * @param requests measured requests to send in all, or 0 to run for {@code duration}
 * @param repeatedShare share of requests that send the one repeated (cached) query instead of a unique one
 * @param baselineQueries queries asked of every PACS alone, one PACS after the other, and through the spanner by one
 *     client; 0 skips the baseline
 * @param seed seed of the clients' choice between the two mixes and of the run tag that keeps unique queries unique
 *     across runs
 * @param cpuPids processes (name → pid) whose CPU time over the measured time is reported
 * @param sampleInterval how often memory and queue depths are sampled over the measured time
 * @param rabbitmqVhost the spanner's RabbitMQ virtual host, whose queue depths are sampled; null: none
 * @param faults commands run at set times of the measured run (a node stopped, ...)
 * @param verify answered queries asked again after the run to check the answers against; 0: none
 */
public record LoadOptions(
        URI gateway,
        String apiKey,
        long configId,
        int clients,
        Duration thinkTime,
        Duration warmUp,
        Duration duration,
        int requests,
        double repeatedShare,
        int baselineQueries,
        long seed,
        Map<String, Long> cpuPids,
        Duration sampleInterval,
        String rabbitmqVhost,
        List<Fault> faults,
        int verify) {

    public static final String USAGE = """
            usage: load-test [options]
              --gateway URL          api-gateway base URL (default http://localhost:8001)
              --api-key KEY          API key (default: $SPANNER_API_KEY); admin scope for the baseline
              --config ID            spanning config id (default 1)
              --clients N            concurrent clients (default 200)
              --think-ms MS          mean pause of a client between answer and next query, 0.5-1.5x (default 0)
              --warmup-s S           warm-up seconds, not counted (default 10)
              --duration-s S         measured seconds (default 30)
              --requests N           measure N requests instead of a duration (default 0 = use the duration)
              --repeated-share F     share of requests sending the repeated, cached query (default 0.2)
              --baseline-queries N   queries asked of each PACS alone, one after the other (default 20; 0 = none)
              --seed S               seed of the mix and of the run tag (default: the current time)
              --cpu-pids N=PID,...   processes whose CPU time over the measured time is reported per query, and
                                     whose resident memory is sampled
              --sample-s S           sample memory (and queue depths) every S seconds (default 5)
              --rabbitmq-vhost V     sample the spanner's queue depths on this RabbitMQ virtual host (rabbitmqctl;
                                     default: none)
              --fault S=COMMAND      run COMMAND (sh -c) S seconds into the measured time, e.g. stop a node;
                                     repeatable; the report adds answers per sample interval around it
              --verify N             class every measured answer (complete, partial, error), find studies counted
                                     twice, and ask up to N answered queries again after the run to compare
                                     (default 0: answers are not checked)
            """;

    public LoadOptions {
        if (clients < 1) {
            throw new IllegalArgumentException("--clients must be at least 1");
        }
        if (requests < 0 || baselineQueries < 0) {
            throw new IllegalArgumentException("--requests and --baseline-queries must not be negative");
        }
        if (!(repeatedShare >= 0 && repeatedShare <= 1)) {
            throw new IllegalArgumentException("--repeated-share must be between 0 and 1");
        }
        if (thinkTime.isNegative()
                || warmUp.isNegative()
                || duration.isNegative()
                || sampleInterval.isNegative()
                || sampleInterval.isZero()) {
            throw new IllegalArgumentException("times must not be negative, --sample-s must be positive");
        }
        if (requests == 0 && duration.isZero()) {
            throw new IllegalArgumentException("give --duration-s or --requests");
        }
        cpuPids = Map.copyOf(cpuPids);
        faults = List.copyOf(faults);
        if (verify < 0) {
            throw new IllegalArgumentException("--verify must not be negative");
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("no API key: give --api-key or set SPANNER_API_KEY");
        }
    }

    public static LoadOptions parse(String[] args, String apiKeyFromEnvironment) {
        URI gateway = URI.create("http://localhost:8001");
        String apiKey = apiKeyFromEnvironment;
        long configId = 1;
        int clients = 200;
        long thinkMs = 0;
        long warmUpS = 10;
        long durationS = 30;
        int requests = 0;
        double repeatedShare = 0.2;
        int baselineQueries = 20;
        long seed = System.currentTimeMillis();
        Map<String, Long> cpuPids = Map.of();
        long sampleS = 5;
        String rabbitmqVhost = null;
        List<Fault> faults = new ArrayList<>();
        int verify = 0;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String option = rest.remove(0);
            String value;
            int eq = option.indexOf('=');
            if (eq > 0) {
                value = option.substring(eq + 1);
                option = option.substring(0, eq);
            } else if (!rest.isEmpty()) {
                value = rest.remove(0);
            } else {
                throw new IllegalArgumentException(option + " needs a value");
            }
            switch (option) {
                case "--gateway" ->
                    gateway = URI.create(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
                case "--api-key" -> apiKey = value;
                case "--config" -> configId = Long.parseLong(value);
                case "--clients" -> clients = Integer.parseInt(value);
                case "--think-ms" -> thinkMs = Long.parseLong(value);
                case "--warmup-s" -> warmUpS = Long.parseLong(value);
                case "--duration-s" -> durationS = Long.parseLong(value);
                case "--requests" -> requests = Integer.parseInt(value);
                case "--repeated-share" -> repeatedShare = Double.parseDouble(value);
                case "--baseline-queries" -> baselineQueries = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--cpu-pids" -> cpuPids = ProcessCpu.parse(value);
                case "--sample-s" -> sampleS = Long.parseLong(value);
                case "--rabbitmq-vhost" -> rabbitmqVhost = value;
                case "--fault" -> faults.add(Fault.parse(value));
                case "--verify" -> verify = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("unknown option " + option.toLowerCase(Locale.ROOT));
            }
        }
        return new LoadOptions(
                gateway,
                apiKey,
                configId,
                clients,
                Duration.ofMillis(thinkMs),
                Duration.ofSeconds(warmUpS),
                Duration.ofSeconds(durationS),
                requests,
                repeatedShare,
                baselineQueries,
                seed,
                cpuPids,
                Duration.ofSeconds(sampleS),
                rabbitmqVhost,
                faults,
                verify);
    }
}
