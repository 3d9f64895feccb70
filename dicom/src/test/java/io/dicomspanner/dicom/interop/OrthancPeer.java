package io.dicomspanner.dicom.interop;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.dicom.json.DicomJsonReader;
import io.dicomspanner.testing.ServiceProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An Orthanc of the test's own: own configuration, storage and SQLite index in a temporary directory, unusual DICOM and
 * HTTP ports, answering C-FIND from any AE in UTF-8 and matching on every tag ({@code StorageAccessOnFind: Always}),
 * with the DICOMweb plugin when asked for. Its C-FIND SCU side queries the remote modalities configured here through
 * {@link #queryModality}.
 *
 * <p>{@link #close()} stops this process only; a system Orthanc (4242/8042) is left alone.
 */
public final class OrthancPeer implements AutoCloseable {

    /** The Orthanc server binary of Debian's {@code orthanc} package. */
    public static final Path EXECUTABLE = Path.of("/usr/sbin/Orthanc");
    /** Where Debian's {@code orthanc-dicomweb} package puts the plugin; the first that exists is loaded. */
    public static final List<Path> DICOMWEB_PLUGIN_LOCATIONS = List.of(
            Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so"),
            Path.of("/usr/lib/orthanc/libOrthancDicomWeb.so.1.7"));
    /** The AE title of this Orthanc unless one is given. */
    public static final String DEFAULT_AE_TITLE = "ORTHANC_IT";
    /** How long Orthanc may take until REST and DICOM ports answer. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);
    /** Timeout of one REST call, including a C-FIND Orthanc runs toward a remote modality. */
    public static final Duration HTTP_TIMEOUT = Duration.ofSeconds(60);
    /** Orthanc's {@code DicomScuTimeout}: seconds its SCU waits for a remote modality. */
    public static final int DICOM_SCU_TIMEOUT_SECONDS = 10;
    /** Grace period between SIGTERM and SIGKILL; Orthanc closes its database on SIGTERM. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);
    /**
     * Debian's Orthanc 1.10.1 serves HTTPS through Debian's civetweb 1.15, which loads OpenSSL with {@code
     * dlopen("libssl.so")} and looks up {@code SSL_get_peer_certificate}, a name OpenSSL 3 no longer exports (it became
     * a macro for {@code SSL_get1_peer_certificate}): the null pointer is called after the first handshake and Orthanc
     * dies of SIGSEGV before answering. With {@link Builder#https} this peer therefore compiles (with {@code gcc}) a
     * one-function {@code libssl.so} that exports the old name, calls the new one and depends on {@code libssl.so.3}
     * for everything else, and starts Orthanc with its folder first in {@code LD_LIBRARY_PATH}.
     */
    static final String OPENSSL3_SHIM_SOURCE = """
            typedef struct ssl_st SSL;
            typedef struct x509_st X509;
            extern X509 *SSL_get1_peer_certificate(const SSL *s);
            X509 *SSL_get_peer_certificate(const SSL *s) { return SSL_get1_peer_certificate(s); }
            """;

    /** How long compiling the OpenSSL 3 shim may take. */
    static final Duration SHIM_BUILD_TIMEOUT = Duration.ofSeconds(60);

    /** Port pairs tried before giving up, in case another process takes a port between pick and bind. */
    public static final int START_ATTEMPTS = 3;

    private static final String HOST = "127.0.0.1";
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** A remote DICOM node Orthanc's SCU side may query. */
    public record Modality(String aeTitle, String host, int port) {}

    private final ServiceProcess process;
    private final Path workDir;
    private final String aeTitle;
    private final int dicomPort;
    private final int httpPort;
    private final HttpClient http;
    /** {@code https} when its HTTP side is HTTPS only, else {@code http}. */
    private final String scheme;
    /** The Authorization header of its REST calls when HTTP basic authentication is on; null otherwise. */
    private final String authorization;

    private OrthancPeer(
            ServiceProcess process,
            Path workDir,
            String aeTitle,
            int dicomPort,
            int httpPort,
            HttpClient http,
            String scheme,
            String authorization) {
        this.scheme = scheme;
        this.authorization = authorization;
        this.process = process;
        this.workDir = workDir;
        this.aeTitle = aeTitle;
        this.dicomPort = dicomPort;
        this.httpPort = httpPort;
        this.http = http;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How the Orthanc is set up. */
    public static final class Builder {
        private String aeTitle = DEFAULT_AE_TITLE;
        private boolean dicomWeb = true;
        private boolean caseSensitivePatientName;
        private final Map<String, Modality> modalities = new LinkedHashMap<>();
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private Path tlsTrustedCertificates;
        private String user;
        private String password;
        private boolean verbose;
        private Path httpsCertificate;
        private Path httpsPrivateKey;
        private Path httpsTrustedCa;
        private int limitFindResults;

        private Builder() {}

        /**
         * Orthanc's {@code LimitFindResults} (0, the default: none). Not a page size: a search (C-FIND or QIDO-RS)
         * stops after this many matches plus one, whatever its {@code offset}.
         */
        public Builder limitFindResults(int limit) {
            this.limitFindResults = limit;
            return this;
        }

        /**
         * Orthanc's {@code --verbose}: its log then has a line per HTTP request, and for each QIDO-RS search its
         * arguments ({@code Arguments of QIDO-RS request: [limit=2] [offset=0]}).
         */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /**
         * HTTPS instead of HTTP on its REST and DICOMweb side ({@code SslEnabled}, {@code SslCertificate}): its
         * certificate and key (PEM; Orthanc takes both in one file, written to its work directory), and the CA
         * certificate (PEM) that issued it, which this peer's own REST calls trust.
         */
        public Builder https(Path certificate, Path privateKey, Path caCertificate) {
            this.httpsCertificate = Objects.requireNonNull(certificate);
            this.httpsPrivateKey = Objects.requireNonNull(privateKey);
            this.httpsTrustedCa = Objects.requireNonNull(caCertificate);
            return this;
        }

        /** HTTP basic authentication on its REST and DICOMweb side, with one registered user. */
        public Builder basicAuth(String user, String password) {
            this.user = Objects.requireNonNull(user);
            this.password = Objects.requireNonNull(password);
            return this;
        }

        /**
         * DICOM TLS on its DICOM port (then TLS only): its certificate and key (PEM), and the CAs whose client
         * certificates it accepts (PEM bundle); a client certificate is required ({@code
         * DicomTlsRemoteCertificateRequired}).
         */
        public Builder dicomTls(Path certificate, Path privateKey, Path trustedCertificates) {
            this.tlsCertificate = Objects.requireNonNull(certificate);
            this.tlsPrivateKey = Objects.requireNonNull(privateKey);
            this.tlsTrustedCertificates = Objects.requireNonNull(trustedCertificates);
            return this;
        }

        public Builder aeTitle(String aeTitle) {
            this.aeTitle = Objects.requireNonNull(aeTitle);
            return this;
        }

        /** Loads the DICOMweb plugin (default) or not; starting fails if it is wanted but not installed. */
        public Builder dicomWeb(boolean dicomWeb) {
            this.dicomWeb = dicomWeb;
            return this;
        }

        /** Orthanc's {@code CaseSensitivePN}: off by default, unlike dcmqrscp, which always matches case-sensitively. */
        public Builder caseSensitivePatientName(boolean caseSensitive) {
            this.caseSensitivePatientName = caseSensitive;
            return this;
        }

        /** A remote modality under {@code name} in {@code DicomModalities}. */
        public Builder modality(String name, String aeTitle, String host, int port) {
            modalities.put(name, new Modality(aeTitle, host, port));
            return this;
        }

        /** Starts Orthanc and waits until its REST API and DICOM port answer. */
        public OrthancPeer start() throws IOException, InterruptedException {
            Path plugin = null;
            if (dicomWeb) {
                plugin = DICOMWEB_PLUGIN_LOCATIONS.stream()
                        .filter(Files::isRegularFile)
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("DICOMweb plugin not found in "
                                + DICOMWEB_PLUGIN_LOCATIONS + ": run scripts/dev-services.sh (orthanc-dicomweb)"));
            }
            Path workDir = WorkDirectories.create("orthanc-");
            try {
                Files.createDirectories(workDir.resolve("storage"));
                return startOnSomePorts(workDir, plugin);
            } catch (IOException | InterruptedException | RuntimeException e) {
                WorkDirectories.deleteRecursively(workDir);
                throw e;
            }
        }

        private OrthancPeer startOnSomePorts(Path workDir, Path plugin) throws IOException, InterruptedException {
            HttpClient.Builder httpBuilder = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(ServiceProcess.CONNECT_TIMEOUT);
            if (httpsCertificate != null) {
                Path keyAndCertificate = workDir.resolve("https-key-and-certificate.pem");
                Files.writeString(
                        keyAndCertificate,
                        Files.readString(httpsPrivateKey, StandardCharsets.US_ASCII)
                                + Files.readString(httpsCertificate, StandardCharsets.US_ASCII),
                        StandardCharsets.US_ASCII);
                httpBuilder.sslContext(trusting(httpsTrustedCa));
            }
            Map<String, String> environment = httpsCertificate == null
                    ? Map.of()
                    : Map.of(
                            "LD_LIBRARY_PATH",
                            openSsl3Shim(workDir.resolve("openssl3-shim")).toString());
            HttpClient http = httpBuilder.build();
            String lastLog = "";
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int dicomPort = UnusualPorts.pick();
                int httpPort = UnusualPorts.pick();
                Path config = workDir.resolve("orthanc.json");
                Files.writeString(config, config(workDir, plugin, dicomPort, httpPort), StandardCharsets.UTF_8);
                Path log = workDir.resolve("orthanc-" + attempt + ".log");
                ServiceProcess process = ServiceProcess.builder(
                                "Orthanc",
                                verbose
                                        ? List.of(EXECUTABLE.toString(), "--verbose", config.toString())
                                        : List.of(EXECUTABLE.toString(), config.toString()),
                                log)
                        .directory(workDir)
                        .environment(environment)
                        .stopGrace(STOP_GRACE)
                        .start();
                String authorization = user == null
                        ? null
                        : "Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
                OrthancPeer peer = new OrthancPeer(
                        process,
                        workDir,
                        aeTitle,
                        dicomPort,
                        httpPort,
                        http,
                        httpsCertificate == null ? "http" : "https",
                        authorization);
                if (process.becomesReady(() -> peer.isReady(plugin != null), STARTUP_TIMEOUT)) {
                    return peer;
                }
                lastLog = process.log();
                process.close();
            }
            throw new IllegalStateException("Orthanc did not start in " + START_ATTEMPTS + " attempts; last log:\n"
                    + ExternalCommand.tail(lastLog, ExternalCommand.LOG_LINES_IN_ERRORS));
        }

        private String config(Path workDir, Path plugin, int dicomPort, int httpPort) {
            ObjectNode c = JSON.createObjectNode();
            c.put("Name", "dicomspanner-interop-" + aeTitle);
            c.put("StorageDirectory", workDir.resolve("storage").toString());
            c.put("IndexDirectory", workDir.resolve("storage").toString());
            ArrayNode plugins = c.putArray("Plugins");
            if (plugin != null) {
                plugins.add(plugin.toString());
                ObjectNode web = c.putObject("DicomWeb");
                web.put("Enable", true);
                web.put("Root", "/dicom-web/");
            }
            c.put("HttpServerEnabled", true);
            c.put("HttpPort", httpPort);
            if (httpsCertificate != null) {
                c.put("SslEnabled", true);
                c.put(
                        "SslCertificate",
                        workDir.resolve("https-key-and-certificate.pem").toString());
            }
            c.put("RemoteAccessAllowed", false);
            c.put("AuthenticationEnabled", user != null);
            if (user != null) {
                c.putObject("RegisteredUsers").put(user, password);
            }
            c.put("DicomServerEnabled", true);
            c.put("DicomAet", aeTitle);
            c.put("DicomPort", dicomPort);
            c.put("DicomCheckCalledAet", true);
            c.put("DicomAlwaysAllowEcho", true);
            c.put("DicomAlwaysAllowFind", true);
            c.put("DicomAlwaysAllowStore", true);
            c.put("DicomScuTimeout", DICOM_SCU_TIMEOUT_SECONDS);
            c.put("DefaultEncoding", "Utf8");
            c.put("StorageAccessOnFind", "Always");
            c.put("CaseSensitivePN", caseSensitivePatientName);
            c.put("SaveJobs", false);
            if (limitFindResults > 0) {
                c.put("LimitFindResults", limitFindResults);
            }
            if (tlsCertificate != null) {
                c.put("DicomTlsEnabled", true);
                c.put("DicomTlsCertificate", tlsCertificate.toString());
                c.put("DicomTlsPrivateKey", tlsPrivateKey.toString());
                c.put("DicomTlsTrustedCertificates", tlsTrustedCertificates.toString());
                c.put("DicomTlsRemoteCertificateRequired", true);
            }
            ObjectNode remote = c.putObject("DicomModalities");
            modalities.forEach((name, m) -> remote.set(name, modalityJson(m)));
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(c);
        }
    }

    /** Compiles {@link #OPENSSL3_SHIM_SOURCE} into {@code dir/libssl.so}; returns {@code dir}. */
    private static Path openSsl3Shim(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path source = dir.resolve("shim.c");
        Files.writeString(source, OPENSSL3_SHIM_SOURCE, StandardCharsets.US_ASCII);
        ExternalCommand.Outcome built = ExternalCommand.run(
                List.of(
                        "gcc",
                        "-shared",
                        "-fPIC",
                        "-o",
                        dir.resolve("libssl.so").toString(),
                        source.toString(),
                        "-l:libssl.so.3"),
                dir,
                dir.resolve("gcc.log"),
                SHIM_BUILD_TIMEOUT);
        if (built.exitCode() != 0) {
            throw new IllegalStateException(
                    "gcc could not build the OpenSSL 3 shim for Orthanc's HTTPS (Debian's gcc and"
                            + " libssl-dev are needed): "
                            + ExternalCommand.tail(built.output(), ExternalCommand.LOG_LINES_IN_ERRORS));
        }
        return dir;
    }

    /** A TLS context trusting only the CA certificates of a PEM file. */
    private static SSLContext trusting(Path caCertificates) throws IOException {
        try (InputStream in = Files.newInputStream(caCertificates)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust the CA certificates of " + caCertificates, e);
        }
    }

    private static ObjectNode modalityJson(Modality m) {
        ObjectNode node = JSON.createObjectNode();
        node.put("AET", m.aeTitle());
        node.put("Host", m.host());
        node.put("Port", m.port());
        return node;
    }

    private boolean isReady(boolean needsDicomWeb) {
        if (!ServiceProcess.acceptsConnections(httpPort) || !ServiceProcess.acceptsConnections(dicomPort)) {
            return false;
        }
        try {
            HttpResponse<String> plugins =
                    send(HttpRequest.newBuilder(rest("/plugins")).GET());
            return plugins.statusCode() == 200
                    && (!needsDicomWeb || plugins.body().contains("\"dicom-web\""));
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public String host() {
        return HOST;
    }

    public String aeTitle() {
        return aeTitle;
    }

    public int dicomPort() {
        return dicomPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The REST API's root, e.g. {@code http://127.0.0.1:23456/} ({@code https://} with {@link Builder#https}). */
    public URI restRoot() {
        return URI.create(scheme + "://" + HOST + ":" + httpPort + "/");
    }

    /** The DICOMweb root (QIDO-RS, WADO-RS, STOW-RS). */
    public URI dicomWebRoot() {
        return restRoot().resolve("dicom-web/");
    }

    /**
     * Orthanc asked alone over QIDO-RS with this peer's own client (its credentials, its trusted CA): the DICOM JSON
     * answer of {@code GET {dicomWebRoot}{pathAndQuery}}, e.g. {@code studies?StudyDate=20200101-}, parsed; fails
     * unless Orthanc answers 200.
     */
    public List<Attributes> qido(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(
                authorized(HttpRequest.newBuilder(dicomWebRoot().resolve(pathAndQuery))
                                .header("Accept", "application/dicom+json"))
                        .timeout(HTTP_TIMEOUT)
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("QIDO-RS " + pathAndQuery + " answered " + response.statusCode());
        }
        return new DicomJsonReader().readList(response.body());
    }

    /** Stores one Part-10 file; returns Orthanc's instance ID. */
    public String upload(byte[] part10) throws IOException, InterruptedException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(rest("/instances"))
                .header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(part10)));
        JsonNode result = json(response, "POST /instances");
        String status = result.path("Status").asString("");
        if (!status.equals("Success") && !status.equals("AlreadyStored")) {
            throw new IllegalStateException("Orthanc did not store the instance: " + response.body());
        }
        return result.path("ID").asString();
    }

    /** Stores Part-10 files; returns Orthanc's instance IDs in the same order. */
    public List<String> upload(Collection<Path> files) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>(files.size());
        for (Path file : files) {
            ids.add(upload(Files.readAllBytes(file)));
        }
        return ids;
    }

    /** Stores every image of a generated set. */
    public List<String> upload(SyntheticStudies studies) throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        for (SyntheticInstance instance : studies.instances()) {
            ids.add(upload(instance.toPart10()));
        }
        return ids;
    }

    /** Adds or replaces a remote modality at run time ({@code PUT /modalities/{name}}), e.g. an SCP started later. */
    public void putModality(String name, String aeTitle, String host, int port)
            throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(modalityJson(new Modality(aeTitle, host, port)));
        HttpResponse<String> response = send(HttpRequest.newBuilder(rest("/modalities/" + encode(name)))
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "PUT /modalities/" + name + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /**
     * Makes Orthanc run a C-FIND toward a remote modality ({@code POST /modalities/{name}/query}) and returns the
     * answers in the order Orthanc lists them. Orthanc adds keys of its own to the request (see the interop README).
     *
     * @param level PATIENT, STUDY, SERIES or IMAGE (Orthanc's Patient, Study, Series, Instance)
     * @param query keyword (or {@code gggg,eeee}) to value; an empty value asks for the attribute
     * @throws IllegalStateException if Orthanc reports an error, e.g. the remote ended with a failure status
     */
    public List<Attributes> queryModality(String name, String level, Map<String, String> query)
            throws IOException, InterruptedException {
        ObjectNode request = JSON.createObjectNode();
        request.put("Level", orthancLevel(level));
        ObjectNode keys = request.putObject("Query");
        query.forEach(keys::put);
        HttpResponse<String> created = send(HttpRequest.newBuilder(rest("/modalities/" + encode(name) + "/query"))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))));
        String id =
                json(created, "POST /modalities/" + name + "/query").path("ID").asString();
        try {
            JsonNode answers = getJson("/queries/" + id + "/answers?expand&short");
            List<Attributes> result = new ArrayList<>(answers.size());
            for (JsonNode answer : answers) {
                result.add(OrthancJson.toAttributes(answer));
            }
            return result;
        } finally {
            send(HttpRequest.newBuilder(rest("/queries/" + id)).DELETE());
        }
    }

    private static String orthancLevel(String level) {
        return switch (level.toUpperCase(Locale.ROOT)) {
            case "PATIENT" -> "Patient";
            case "STUDY" -> "Study";
            case "SERIES" -> "Series";
            case "IMAGE", "INSTANCE" -> "Instance";
            default -> throw new IllegalArgumentException("not a query/retrieve level: " + level);
        };
    }

    /** {@code GET} on the REST API, parsed; fails unless Orthanc answers 200. */
    public JsonNode getJson(String path) throws IOException, InterruptedException {
        return json(send(HttpRequest.newBuilder(rest(path)).GET()), "GET " + path);
    }

    /** Orthanc's log so far. */
    public String log() {
        return process.log();
    }

    private URI rest(String path) {
        return URI.create(scheme + "://" + HOST + ":" + httpPort + path);
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        authorized(request);
        return http.send(
                request.timeout(HTTP_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static JsonNode json(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Stops this Orthanc (only this process) and removes its storage. */
    @Override
    public void close() throws IOException {
        try {
            process.close();
        } finally {
            WorkDirectories.deleteRecursively(workDir);
        }
    }

    /** Same as {@link #close()}. */
    public void stop() throws IOException {
        close();
    }

    @Override
    public String toString() {
        return "Orthanc " + aeTitle + "@" + HOST + ":" + dicomPort + ", " + scheme + " " + httpPort + " (" + process
                + ")";
    }
}
