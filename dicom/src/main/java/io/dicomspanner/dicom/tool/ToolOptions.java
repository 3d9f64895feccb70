package io.dicomspanner.dicom.tool;

import io.dicomspanner.dicom.net.DicomPeer;
import io.dicomspanner.dicom.net.DicomSettings;
import io.dicomspanner.dicom.net.SopClasses;
import io.dicomspanner.dicom.net.TlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The parsed command line of {@code scripts/dicom echo|find|probe}. */
final class ToolOptions {
    /** Calling AE title when {@code --calling} is not given. */
    static final String DEFAULT_CALLING_AE_TITLE = "DICOM_TOOL";

    static final String USAGE = String.join(
            "\n",
            "usage: dicom echo HOST:PORT --called AE [--calling AE] [options]",
            "       dicom find HOST:PORT --called AE [--calling AE] [--model study|patient|patient-study]",
            "                  --level PATIENT|STUDY|SERIES|IMAGE -k Keyword[=value] ... [options]",
            "       dicom probe HOST:PORT --called AE [--calling AE] [-k Keyword ...] [options]",
            "",
            "  -k, --key K[=V]          query key: keyword or tag in hex (00100010); no value = return key;",
            "                           a backslash separates values; repeat for more keys",
            "                           (probe: a keyword to probe, no value; default: the usual QIDO-RS keys)",
            "  --calling AE             calling AE title (default " + DEFAULT_CALLING_AE_TITLE + ")",
            "  --model M                information model: study (Study Root, default), patient (Patient Root),",
            "                           patient-study (Patient/Study Only)",
            "  --relational             propose relational queries (C-FIND extended negotiation)",
            "  --max-matches N          send C-CANCEL after N matches (default "
                    + DicomSettings.defaults().maxCollectedMatches() + ")",
            "  --connect-timeout S      TCP connect and TLS handshake, seconds (default "
                    + seconds(DicomSettings.defaults().connectTimeout()) + ")",
            "  --associate-timeout S    wait for A-ASSOCIATE-AC/RJ, seconds (default "
                    + seconds(DicomSettings.defaults().associateTimeout()) + ")",
            "  --response-timeout S     silence allowed between two responses, seconds (default "
                    + seconds(DicomSettings.defaults().responseTimeout()) + ")",
            "  --operation-timeout S    whole C-FIND, seconds (default "
                    + seconds(DicomSettings.defaults().operationTimeout()) + ")",
            "  --tls                    connect with TLS (JDK default trust unless --tls-ca)",
            "  --tls-ca PEM             trust the certificates in this PEM file (implies --tls)",
            "  --tls-cert PEM --tls-key PEM   client certificate chain and PKCS#8 key (implies --tls)",
            "  --tls-no-hostname-check  do not check that the server certificate names HOST",
            "",
            "find prints the matches as one DICOM JSON array (PS3.18 F) on stdout; diagnostics go to stderr.",
            "probe prints one line per key: keyword, level, MATCHED|NOT_MATCHED|UNDETERMINED, returned|not-returned",
            "|unknown, and what was seen, tab-separated (Study Root C-FINDs of one sample study, one at a time).",
            "exit codes: 0 success, 1 the peer answered with a non-success status (probe: no key determined),",
            "2 connection, association, TLS or timeout error, 64 bad command line.");

    String command;
    String host;
    int port;
    String calledAeTitle;
    String callingAeTitle = DEFAULT_CALLING_AE_TITLE;
    String sopClassUid = SopClasses.STUDY_ROOT_QUERY_FIND;
    String level;
    final List<String> keys = new ArrayList<>();
    boolean relational;
    int maxMatches = DicomSettings.defaults().maxCollectedMatches();
    Duration connectTimeout = DicomSettings.defaults().connectTimeout();
    Duration associateTimeout = DicomSettings.defaults().associateTimeout();
    Duration responseTimeout = DicomSettings.defaults().responseTimeout();
    Duration operationTimeout = DicomSettings.defaults().operationTimeout();
    boolean tls;
    Path tlsCa;
    Path tlsCert;
    Path tlsKey;
    boolean tlsHostnameCheck = true;
    boolean help;

    static ToolOptions parse(String[] args) throws UsageException {
        ToolOptions o = new ToolOptions();
        if (args.length == 0) {
            throw new UsageException("no command: give echo, find or probe");
        }
        String address = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "-h", "--help" -> o.help = true;
                case "--called" -> o.calledAeTitle = value(args, ++i, a);
                case "--calling" -> o.callingAeTitle = value(args, ++i, a);
                case "--model" -> o.sopClassUid = model(value(args, ++i, a));
                case "--level" -> o.level = value(args, ++i, a);
                case "-k", "--key" -> o.keys.add(value(args, ++i, a));
                case "--relational" -> o.relational = true;
                case "--max-matches" -> o.maxMatches = positiveInt(value(args, ++i, a), a);
                case "--connect-timeout" -> o.connectTimeout = duration(value(args, ++i, a), a);
                case "--associate-timeout" -> o.associateTimeout = duration(value(args, ++i, a), a);
                case "--response-timeout" -> o.responseTimeout = duration(value(args, ++i, a), a);
                case "--operation-timeout" -> o.operationTimeout = duration(value(args, ++i, a), a);
                case "--tls" -> o.tls = true;
                case "--tls-ca" -> o.tlsCa = Path.of(value(args, ++i, a));
                case "--tls-cert" -> o.tlsCert = Path.of(value(args, ++i, a));
                case "--tls-key" -> o.tlsKey = Path.of(value(args, ++i, a));
                case "--tls-no-hostname-check" -> o.tlsHostnameCheck = false;
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    } else if (o.command == null) {
                        o.command = a;
                    } else if (address == null) {
                        address = a;
                    } else {
                        throw new UsageException("unexpected argument " + a);
                    }
                }
            }
        }
        if (o.help) {
            return o;
        }
        if (!"echo".equals(o.command) && !"find".equals(o.command) && !"probe".equals(o.command)) {
            throw new UsageException("unknown command " + o.command + ": give echo, find or probe");
        }
        if (address == null) {
            throw new UsageException("no HOST:PORT");
        }
        o.parseAddress(address);
        if (o.calledAeTitle == null) {
            throw new UsageException("--called AE is required");
        }
        if ((o.tlsCert == null) != (o.tlsKey == null)) {
            throw new UsageException("--tls-cert and --tls-key go together");
        }
        o.tls |= o.tlsCa != null || o.tlsCert != null;
        if ("find".equals(o.command) && o.level == null) {
            throw new UsageException("find needs --level PATIENT|STUDY|SERIES|IMAGE");
        }
        if ("echo".equals(o.command) && (o.level != null || !o.keys.isEmpty())) {
            throw new UsageException("echo takes no --level or -k");
        }
        if ("probe".equals(o.command)) {
            if (o.level != null || o.relational || !o.sopClassUid.equals(SopClasses.STUDY_ROOT_QUERY_FIND)) {
                throw new UsageException("probe takes no --level, --relational or --model: it queries Study Root");
            }
            for (String key : o.keys) {
                if (key.contains("=")) {
                    throw new UsageException("probe takes keywords without values, not " + key);
                }
            }
        }
        return o;
    }

    DicomPeer peer() throws UsageException {
        try {
            return new DicomPeer(host, port, calledAeTitle, callingAeTitle, tls);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    DicomSettings settings() {
        return DicomSettings.defaults().toBuilder()
                .connectTimeout(connectTimeout)
                .associateTimeout(associateTimeout)
                .responseTimeout(responseTimeout)
                .operationTimeout(operationTimeout)
                .maxCollectedMatches(maxMatches)
                // one association at a time: a second event loop thread would only cost start-up time
                .eventLoopThreads(1)
                .build();
    }

    /** TLS settings for the client, or {@code null} without {@code --tls}. */
    TlsSettings tlsSettings() {
        if (!tls) {
            return null;
        }
        TlsSettings t = tlsCert != null
                ? TlsSettings.fromPem(tlsCert, tlsKey)
                : new TlsSettings(null, null, null, null, null, null, null, null, null, null, false, true, List.of());
        if (tlsCa != null) {
            t = t.withTrustedCertificates(tlsCa);
        }
        return t.withVerifyHostname(tlsHostnameCheck);
    }

    private void parseAddress(String address) throws UsageException {
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new UsageException("'" + address + "' is not HOST:PORT");
        }
        String h = address.substring(0, colon);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        host = h;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new UsageException("port in '" + address + "' is not a number", e);
        }
        if (port < 1 || port > 65535) {
            throw new UsageException("port " + port + " is outside 1-65535");
        }
    }

    private static String model(String m) throws UsageException {
        return switch (m.toLowerCase(Locale.ROOT)) {
            case "study" -> SopClasses.STUDY_ROOT_QUERY_FIND;
            case "patient" -> SopClasses.PATIENT_ROOT_QUERY_FIND;
            case "patient-study" -> SopClasses.PATIENT_STUDY_ONLY_QUERY_FIND;
            default -> throw new UsageException("--model " + m + " is not study, patient or patient-study");
        };
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(option + " needs a value");
        }
        return args[i];
    }

    private static int positiveInt(String s, String option) throws UsageException {
        try {
            int v = Integer.parseInt(s);
            if (v < 1) {
                throw new UsageException(option + " " + s + " is not positive");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new UsageException(option + " " + s + " is not a number", e);
        }
    }

    private static Duration duration(String s, String option) throws UsageException {
        try {
            double seconds = Double.parseDouble(s);
            if (!(seconds > 0) || Double.isInfinite(seconds)) {
                throw new UsageException(option + " " + s + " is not a positive number of seconds");
            }
            return Duration.ofNanos(Math.round(seconds * 1e9));
        } catch (NumberFormatException e) {
            throw new UsageException(option + " " + s + " is not a number of seconds", e);
        }
    }

    private static String seconds(Duration d) {
        return Long.toString(d.toSeconds());
    }
}
