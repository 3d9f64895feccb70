package io.dicomspanner.simulator;

import io.dicomspanner.dicom.net.TlsProfile;
import io.dicomspanner.dicom.net.TlsSettings;
import io.dicomspanner.simulator.config.PacsMode;
import io.dicomspanner.simulator.config.PacsSettings;
import io.dicomspanner.simulator.config.PopulationSettings;
import io.dicomspanner.simulator.config.SimulatorSettings;
import io.dicomspanner.simulator.net.AssociationCount;
import io.dicomspanner.simulator.net.NetworkSettings;
import io.dicomspanner.simulator.net.NetworkedFleet;
import io.dicomspanner.simulator.net.SimulatedPacsServer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;

/**
 * Runs a simulated PACS fleet until SIGTERM (or Ctrl-C): {@code java -jar pacs-simulator.jar [options]}. Prints one
 * line per PACS when all listen ({@code PACS_A PACSA 127.0.0.1:11120 NORMAL}), then {@code READY}. Options are listed
 * by {@code --help} and in {@code docs/simulator.md}.
 */
public final class SimulatorMain {
    /** Port of the first PACS unless {@code --base-port} says otherwise; PACS number i listens on base + i. */
    public static final int DEFAULT_BASE_PORT = PacsSettings.DEFAULT_FIRST_PORT;

    static final String USAGE = """
            usage: java -jar pacs-simulator.jar [options]
              --pacs N                 number of PACS, 1-999 (default 8: PACS_A..PACS_H; after PACS_Z: PACS_027..)
              --base-port P            port of the first PACS; PACS i listens on P + i (default %d)
              --bind ADDR              address to listen on (default %s)
              --patients N             patients in the population (default %d)
              --seed S                 seed of the population (default %d)
              --latency-ms MIN-MAX     delay before the first response, every PACS (default %d-%d)
              --latency-spread FAST-SLOW  PACS differ: their typical latencies spread evenly from FAST to SLOW ms,
                                       each drawing a query's delay from half to 1.5 times its own
              --mode NAME=MODE         NORMAL, DEAD or HANGING for the PACS NAME (e.g. PACS_C=DEAD); repeatable
              --error-rate NAME=RATE   share of C-FINDs of PACS NAME answered A700, 0-1; repeatable
              --unstored NAME=K1,K2    attributes PACS NAME does not store: never matched, never returned; repeatable
              --unmatched NAME=K1,K2   attributes PACS NAME returns but does not match on (it returns records the
                                       key excludes); repeatable
              --max-associations N     associations each PACS accepts at once (default %d); one more is rejected
                                       (A-ASSOCIATE-RJ transient, local-limit-exceeded). A line
                                       "NAME associations max M rejected R" is printed each time M or R grows
              --tls-pacs NAME[,NAME]   PACS that listen over DICOM TLS instead of plain TCP (TLS 1.3 or 1.2);
                                       repeatable; needs --tls-cert and --tls-key
              --tls-cert PEM           certificate chain of the TLS PACS
              --tls-key PEM            its private key (PKCS#8, unencrypted)
              --tls-ca PEM             CA certificates: the TLS PACS then require a client certificate they signed
              --help                   this text
            """.formatted(
                    DEFAULT_BASE_PORT,
                    NetworkSettings.DEFAULT_BIND_ADDRESS,
                    PopulationSettings.DEFAULT_PATIENTS,
                    PopulationSettings.DEFAULT_SEED,
                    PacsSettings.DEFAULT_MIN_LATENCY_MILLIS,
                    PacsSettings.DEFAULT_MAX_LATENCY_MILLIS,
                    PacsSettings.DEFAULT_MAX_ASSOCIATIONS);

    private SimulatorMain() {}

    /**
     * The runnable's log configuration, on the classpath under a name of its own so that an application with this
     * module as a dependency keeps its own {@code logback.xml}.
     */
    static final String LOG_CONFIGURATION = "pacs-simulator-logback.xml";

    public static void main(String[] args) throws IOException, InterruptedException {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOG_CONFIGURATION);
        }
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("pacs-simulator: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.print(USAGE);
            return;
        }
        PrintStream out = System.out;
        NetworkedFleet running = NetworkedFleet.start(
                SimulatedFleet.build(options.settings),
                options.network,
                (pacs, stats) -> printAssociations(pacs.name(), stats, out));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            running.close();
                            stopped.countDown();
                        },
                        "pacs-simulator-shutdown"));
        printReady(running, System.out);
        stopped.await();
    }

    /**
     * {@code PACS_A associations max 4 rejected 0}: printed each time a PACS's most concurrent associations rise or it
     * rejects one past {@code --max-associations}, so the last such line of a PACS is its count so far.
     */
    static void printAssociations(String pacs, AssociationCount.Stats stats, PrintStream out) {
        synchronized (out) {
            out.println(pacs + " associations max " + stats.maxConcurrent() + " rejected " + stats.rejected());
            out.flush();
        }
    }

    static void printReady(NetworkedFleet running, PrintStream out) {
        for (SimulatedPacsServer server : running.servers()) {
            out.println(server);
        }
        out.println("READY");
        out.flush();
    }

    /** The command line, read into settings. */
    static final class Options {
        SimulatorSettings settings;
        NetworkSettings network;
        boolean help;

        static Options parse(String[] args) {
            int pacsCount = PacsSettings.DEFAULT_FLEET_SIZE;
            int basePort = DEFAULT_BASE_PORT;
            String bind = NetworkSettings.DEFAULT_BIND_ADDRESS;
            PopulationSettings population = PopulationSettings.defaults();
            int[] latency = null;
            int[] latencySpread = null;
            Integer maxAssociations = null;
            Map<String, PacsMode> modes = new LinkedHashMap<>();
            Map<String, Double> errorRates = new LinkedHashMap<>();
            Map<String, Set<String>> unstored = new LinkedHashMap<>();
            Map<String, Set<String>> unmatched = new LinkedHashMap<>();
            Set<String> tlsPacs = new LinkedHashSet<>();
            Path tlsCert = null;
            Path tlsKey = null;
            Path tlsCa = null;
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                String value = null;
                int eq = name.indexOf('=');
                if (name.startsWith("--") && eq > 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (name.equals("--help") || name.equals("-h")) {
                    options.help = true;
                    continue;
                }
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    value = args[++i];
                }
                switch (name) {
                    case "--pacs" -> pacsCount = integer(name, value);
                    case "--base-port" -> basePort = integer(name, value);
                    case "--bind" -> bind = value;
                    case "--patients" -> population = population.withPatients(integer(name, value));
                    case "--seed" -> population = population.withSeed(longInteger(name, value));
                    case "--latency-ms" -> latency = range(name, value);
                    case "--latency-spread" -> latencySpread = range(name, value);
                    case "--max-associations" -> maxAssociations = integer(name, value);
                    case "--mode" -> {
                        String[] pair = pair(name, value);
                        try {
                            modes.put(pair[0], PacsMode.valueOf(pair[1].toUpperCase(Locale.ROOT)));
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(
                                    name + ": mode must be NORMAL, DEAD or HANGING, was " + pair[1], e);
                        }
                    }
                    case "--error-rate" -> {
                        String[] pair = pair(name, value);
                        errorRates.put(pair[0], decimal(name, pair[1]));
                    }
                    case "--unstored" -> {
                        String[] pair = pair(name, value);
                        unstored.put(pair[0], keywords(pair[1]));
                    }
                    case "--unmatched" -> {
                        String[] pair = pair(name, value);
                        unmatched.put(pair[0], keywords(pair[1]));
                    }
                    case "--tls-pacs" -> tlsPacs.addAll(keywords(value));
                    case "--tls-cert" -> tlsCert = readableFile(name, value);
                    case "--tls-key" -> tlsKey = readableFile(name, value);
                    case "--tls-ca" -> tlsCa = readableFile(name, value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
            if (pacsCount < 1 || pacsCount > PacsSettings.MAX_FLEET_SIZE) {
                throw new IllegalArgumentException(
                        "--pacs must be 1 to " + PacsSettings.MAX_FLEET_SIZE + ", was " + pacsCount);
            }
            if (latency != null && latencySpread != null) {
                throw new IllegalArgumentException("give --latency-ms or --latency-spread, not both");
            }
            if (basePort < 1 || basePort + pacsCount - 1 > 65_535) {
                throw new IllegalArgumentException("--base-port leaves no room for " + pacsCount + " ports");
            }
            List<PacsSettings> pacs = new ArrayList<>();
            for (int i = 0; i < pacsCount; i++) {
                PacsSettings p = PacsSettings.defaults(i).withPort(basePort + i);
                if (latency != null) {
                    p = p.withLatency(latency[0], latency[1]);
                }
                if (latencySpread != null) {
                    int[] own = PacsSettings.spreadLatency(i, pacsCount, latencySpread[0], latencySpread[1]);
                    p = p.withLatency(own[0], own[1]);
                }
                if (maxAssociations != null) {
                    p = p.withMaxAssociations(maxAssociations);
                }
                pacs.add(p);
            }
            SimulatorSettings settings = new SimulatorSettings(population, pacs);
            for (Map.Entry<String, PacsMode> e : modes.entrySet()) {
                int index = indexOf(settings, "--mode", e.getKey());
                settings = settings.withPacs(index, settings.pacs().get(index).withMode(e.getValue()));
            }
            for (Map.Entry<String, Double> e : errorRates.entrySet()) {
                int index = indexOf(settings, "--error-rate", e.getKey());
                settings = settings.withPacs(index, settings.pacs().get(index).withErrorRate(e.getValue()));
            }
            for (Map.Entry<String, Set<String>> e : unstored.entrySet()) {
                int index = indexOf(settings, "--unstored", e.getKey());
                settings = withPacs(settings, index, "--unstored", p -> p.withUnstoredAttributes(e.getValue()));
            }
            for (Map.Entry<String, Set<String>> e : unmatched.entrySet()) {
                int index = indexOf(settings, "--unmatched", e.getKey());
                settings = withPacs(settings, index, "--unmatched", p -> p.withUnmatchedAttributes(e.getValue()));
            }
            options.settings = settings;
            options.network = NetworkSettings.defaults().withBindAddress(bind);
            if (!tlsPacs.isEmpty()) {
                options.network = options.network.withTls(tls(tlsCert, tlsKey, tlsCa), tlsPacs);
                for (String pacsName : tlsPacs) {
                    indexOf(settings, "--tls-pacs", pacsName);
                }
            } else if (tlsCert != null || tlsKey != null || tlsCa != null) {
                throw new IllegalArgumentException("--tls-cert, --tls-key and --tls-ca need --tls-pacs");
            }
            return options;
        }

        /**
         * The TLS PACS's settings: the BCP 195 non-downgrading profile's TLS versions (1.3, 1.2); the cipher suites are
         * the JDK's defaults for them, as {@link TlsSettings} sets no suites.
         */
        private static TlsSettings tls(Path cert, Path key, Path ca) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("--tls-pacs needs --tls-cert and --tls-key");
            }
            TlsSettings tls = new TlsSettings(
                    cert,
                    key,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    false,
                    false,
                    TlsProfile.BCP195_NON_DOWNGRADING.protocols());
            return ca == null ? tls : tls.withTrustedCertificates(ca).withClientAuthRequired(true);
        }

        private static Path readableFile(String option, String value) {
            Path path = Path.of(value);
            if (!Files.isReadable(path)) {
                throw new IllegalArgumentException(option + ": cannot read " + value);
            }
            return path;
        }

        /** The settings with PACS {@code index} changed; a refused change names the option. */
        private static SimulatorSettings withPacs(
                SimulatorSettings settings, int index, String option, UnaryOperator<PacsSettings> change) {
            try {
                return settings.withPacs(index, change.apply(settings.pacs().get(index)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }

        /** Comma-separated keywords, in order, without blanks. */
        private static Set<String> keywords(String value) {
            Set<String> keywords = new LinkedHashSet<>();
            for (String k : value.split(",")) {
                if (!k.isBlank()) {
                    keywords.add(k.trim());
                }
            }
            return keywords;
        }

        private static int indexOf(SimulatorSettings settings, String option, String pacsName) {
            try {
                return settings.indexOf(pacsName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
            }
        }

        private static int integer(String option, String value) {
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a whole number, was " + value, e);
            }
        }

        private static long longInteger(String option, String value) {
            try {
                return Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a whole number, was " + value, e);
            }
        }

        private static double decimal(String option, String value) {
            try {
                return Double.parseDouble(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(option + " takes a number, was " + value, e);
            }
        }

        private static int[] range(String option, String value) {
            int dash = value.indexOf('-');
            if (dash <= 0) {
                return new int[] {integer(option, value), integer(option, value)};
            }
            return new int[] {integer(option, value.substring(0, dash)), integer(option, value.substring(dash + 1))};
        }

        private static String[] pair(String option, String value) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw new IllegalArgumentException(option + " takes NAME=VALUE, was " + value);
            }
            return new String[] {value.substring(0, eq), value.substring(eq + 1)};
        }
    }
}
