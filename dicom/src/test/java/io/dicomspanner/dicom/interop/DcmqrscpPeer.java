package io.dicomspanner.dicom.interop;

import io.dicomspanner.dicom.data.DicomFile;
import io.dicomspanner.dicom.data.Tag;
import io.dicomspanner.dicom.data.synth.SyntheticInstance;
import io.dicomspanner.dicom.data.synth.SyntheticStudies;
import io.dicomspanner.testing.ServiceProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * dcmtk's {@code dcmqrscp} as a query/retrieve SCP for tests: one storage area (one AE title) in a temporary
 * directory, indexed with {@code dcmqridx}, listening on an unusual port, answering in UTF-8 when the request's
 * character set cannot carry the answer ({@code SpecificCharacterSet = "ISO_IR 192", fallback}).
 *
 * <p>dcmqrscp forks a process per association; {@link #close()} stops those and the listener, nothing else.
 */
public final class DcmqrscpPeer implements AutoCloseable {

    /** The AE title of the storage area unless one is given. */
    public static final String DEFAULT_AE_TITLE = "DCMQRSCP";
    /** dcmqrscp keeps at most this many studies per storage area and silently drops the oldest beyond it. */
    public static final int MAX_STUDIES_PER_STORAGE_AREA = 500;
    /** Max PDU size dcmqrscp receives unless one is given. */
    public static final int DEFAULT_MAX_PDU_SIZE = 16384;
    /** Associations dcmqrscp serves at once (one forked process each). */
    public static final int MAX_ASSOCIATIONS = 16;
    /** How long dcmqrscp may take to accept associations after it was started. */
    public static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
    /** How long one dcmqridx run may take (it is quadratic in the number of files already indexed). */
    public static final Duration INDEX_TIMEOUT = Duration.ofSeconds(120);
    /** Files registered per dcmqridx run, so the command line stays short. */
    public static final int FILES_PER_INDEX_RUN = 100;
    /** Grace period between SIGTERM and SIGKILL when stopping. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);
    /** Ports tried before giving up, in case another process takes the port between pick and bind. */
    public static final int START_ATTEMPTS = 3;

    private static final String HOST = "127.0.0.1";

    private final ServiceProcess process;
    private final Path workDir;
    private final String aeTitle;
    private final int port;
    private final List<String> studyInstanceUids;

    private DcmqrscpPeer(
            ServiceProcess process, Path workDir, String aeTitle, int port, List<String> studyInstanceUids) {
        this.process = process;
        this.workDir = workDir;
        this.aeTitle = aeTitle;
        this.port = port;
        this.studyInstanceUids = List.copyOf(studyInstanceUids);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What dcmqrscp will hold and how it is set up. */
    public static final class Builder {
        private String aeTitle = DEFAULT_AE_TITLE;
        private int maxPduSize = DEFAULT_MAX_PDU_SIZE;
        private final List<Path> files = new ArrayList<>();
        private final List<SyntheticInstance> instances = new ArrayList<>();

        private Builder() {}

        public Builder aeTitle(String aeTitle) {
            this.aeTitle = Objects.requireNonNull(aeTitle);
            return this;
        }

        public Builder maxPduSize(int maxPduSize) {
            this.maxPduSize = maxPduSize;
            return this;
        }

        /** Part-10 files to index; they are copied into the storage area. */
        public Builder files(Collection<Path> files) {
            this.files.addAll(files);
            return this;
        }

        /** Every image of a generated set. */
        public Builder studies(SyntheticStudies studies) {
            this.instances.addAll(studies.instances());
            return this;
        }

        /**
         * Copies and indexes the data, then starts dcmqrscp and waits until it answers a C-ECHO.
         *
         * @throws IllegalArgumentException if the data holds more than {@value #MAX_STUDIES_PER_STORAGE_AREA} studies
         */
        public DcmqrscpPeer start() throws IOException, InterruptedException {
            Path workDir = WorkDirectories.create("dcmqrscp-");
            try {
                Path area = workDir.resolve("db").resolve(aeTitle);
                Files.createDirectories(area);
                List<String> studies = copyIntoStorageArea(area);
                index(workDir, area);
                return startOnSomePort(workDir, area, studies);
            } catch (IOException | InterruptedException | RuntimeException e) {
                WorkDirectories.deleteRecursively(workDir);
                throw e;
            }
        }

        private List<String> copyIntoStorageArea(Path area) throws IOException {
            Set<String> studies = new LinkedHashSet<>();
            int n = 0;
            for (Path file : files) {
                Path copy = area.resolve(String.format("f%05d.dcm", ++n));
                Files.copy(file, copy);
                studies.add(DicomFile.read(copy).dataset().getString(Tag.STUDY_INSTANCE_UID));
            }
            for (SyntheticInstance instance : instances) {
                Files.write(area.resolve(String.format("s%05d.dcm", ++n)), instance.toPart10());
                studies.add(instance.dataset().getString(Tag.STUDY_INSTANCE_UID));
            }
            if (studies.size() > MAX_STUDIES_PER_STORAGE_AREA) {
                throw new IllegalArgumentException("dcmqrscp holds at most " + MAX_STUDIES_PER_STORAGE_AREA
                        + " studies per storage area, got " + studies.size());
            }
            return new ArrayList<>(studies);
        }

        private static void index(Path workDir, Path area) throws IOException, InterruptedException {
            List<Path> files;
            try (var list = Files.list(area)) {
                files = list.filter(p -> p.toString().endsWith(".dcm")).sorted().toList();
            }
            for (int from = 0; from < files.size(); from += FILES_PER_INDEX_RUN) {
                List<String> command = new ArrayList<>(List.of("dcmqridx", area.toString()));
                for (Path f : files.subList(from, Math.min(files.size(), from + FILES_PER_INDEX_RUN))) {
                    command.add(f.toString());
                }
                ExternalCommand.Outcome outcome =
                        ExternalCommand.run(command, workDir, workDir.resolve("dcmqridx.log"), INDEX_TIMEOUT);
                if (outcome.exitCode() != 0) {
                    throw new IllegalStateException("dcmqridx failed with exit code " + outcome.exitCode() + ":\n"
                            + ExternalCommand.tail(outcome.output(), ExternalCommand.LOG_LINES_IN_ERRORS));
                }
            }
        }

        private DcmqrscpPeer startOnSomePort(Path workDir, Path area, List<String> studies)
                throws IOException, InterruptedException {
            String lastLog = "";
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                int port = UnusualPorts.pick();
                Path config = workDir.resolve("dcmqrscp.cfg");
                Files.writeString(config, config(port, area), StandardCharsets.UTF_8);
                Path log = workDir.resolve("dcmqrscp-" + attempt + ".log");
                ServiceProcess process = ServiceProcess.builder(
                                "dcmqrscp", List.of("dcmqrscp", "-v", "-dhl", "-c", config.toString()), log)
                        .directory(workDir)
                        .stopGrace(STOP_GRACE)
                        .start();
                if (process.becomesReady(() -> ServiceProcess.acceptsConnections(port), STARTUP_TIMEOUT)
                        && Echoscu.to(HOST, port, aeTitle).run().succeeded()) {
                    return new DcmqrscpPeer(process, workDir, aeTitle, port, studies);
                }
                lastLog = process.log();
                process.close();
            }
            throw new IllegalStateException("dcmqrscp did not start in " + START_ATTEMPTS + " attempts; last log:\n"
                    + ExternalCommand.tail(lastLog, ExternalCommand.LOG_LINES_IN_ERRORS));
        }

        private String config(int port, Path area) {
            return String.join(
                    "\n",
                    "NetworkTCPPort = " + port,
                    "MaxPDUSize = " + maxPduSize,
                    "MaxAssociations = " + MAX_ASSOCIATIONS,
                    "SpecificCharacterSet = \"ISO_IR 192\", fallback",
                    "HostTable BEGIN",
                    "HostTable END",
                    "VendorTable BEGIN",
                    "VendorTable END",
                    "AETable BEGIN",
                    aeTitle + " " + area + " R (" + MAX_STUDIES_PER_STORAGE_AREA + ", 1024mb) ANY",
                    "AETable END",
                    "");
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String aeTitle() {
        return aeTitle;
    }

    /** The Study Instance UIDs indexed, in the order their first file was given. */
    public List<String> studyInstanceUids() {
        return studyInstanceUids;
    }

    /** dcmqrscp's verbose log so far (it includes request identifiers: test data only). */
    public String log() {
        return process.log();
    }

    @Override
    public void close() throws IOException {
        try {
            process.close();
        } finally {
            WorkDirectories.deleteRecursively(workDir);
        }
    }

    @Override
    public String toString() {
        return "dcmqrscp " + aeTitle + "@" + HOST + ":" + port + " (" + process + ")";
    }
}
