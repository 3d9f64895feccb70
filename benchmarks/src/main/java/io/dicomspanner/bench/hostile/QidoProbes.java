package io.dicomspanner.bench.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Malformed QIDO-RS requests, generated from a seed so that a run can be repeated. Each is malformed in the request
 * line or the query, so that the gateway must refuse it (4xx) before anything reaches a PACS; the Accept-header family
 * carries a well-formed search whose Accept the gateway cannot serve (406, decided before publishing).
 */
public final class QidoProbes {

    /** One request: its family, the request target exactly as written on the wire, and its Accept header or null. */
    public record Probe(Family family, String target, String accept) {}

    public enum Family {
        BAD_PERCENT_ENCODING,
        ENCODED_CONTROL_CHARACTER,
        RAW_BYTES_IN_REQUEST_LINE,
        HUGE_VALUE,
        UNKNOWN_PARAMETER,
        BAD_DATE_TIME_UID,
        BAD_CONTROL_PARAMETER,
        DEEP_OR_BAD_PATH,
        BAD_ACCEPT,
        EMPTY_NAME_OR_UNIVERSAL,
        TOO_MANY_PARAMETERS,
        BAD_CONFIG
    }

    private static final String[] KEYWORDS = {
        "PatientID",
        "PatientName",
        "StudyDate",
        "StudyTime",
        "AccessionNumber",
        "StudyInstanceUID",
        "ModalitiesInStudy",
        "StudyDescription",
        "PatientBirthDate",
        "ReferringPhysicianName",
        "00100020",
        "0020000D"
    };
    private static final String[] BAD_ESCAPES = {
        "%zz", "%", "%4", "%G0", "%C3%28", "%FF%FE", "%ED%A0%80", "%E2%82", "%F8%88%80%80%80", "%%41", "%u0041"
    };
    private static final String[] BAD_DATES = {
        "2020-13-45", "20201301", "2020010", "20200101-2019", "2020013x", "99999999", "20200230", "--", "2020*0101"
    };
    private static final String[] BAD_TIMES = {"25", "2400", "12:00", "1260", "120000.1234567", "2300-0100", "x", "-."};
    private static final String[] BAD_UIDS = {
        "1.2..3",
        "01.2",
        "1.2.a",
        "1.2.",
        ".1.2",
        "1.2.3-",
        "1.2*",
        // 65 characters: one more than PS3.5 allows a UID
        "1.2.840.1234567890123456789012345678901234567890." + "1234567890123456",
        "1.2,,3",
        "1.2.\\3"
    };
    private static final String[] BAD_ACCEPTS = {
        "text/html",
        "image/jpeg",
        "application/dicom+xml",
        "*/*;q=0",
        "application/json;q=0, application/dicom+json;q=0",
        ";;;",
        "application/dicom+json;q=abc",
        "multipart/related; type=\"image/jpeg\"",
        "/",
        "application/",
        "text/*",
        "a".repeat(4000)
    };

    private QidoProbes() {}

    /**
     * @param base the DICOMweb base of a config, such as {@code /dicomweb/1}
     * @param configId the id of that config, for the spanner's own paths ({@code /api/v1/spanner/qido/...})
     */
    public static List<Probe> generate(long seed, int count, String base, int configId) {
        Random random = new Random(seed);
        Family[] families = Family.values();
        List<Probe> probes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Family family = families[i % families.length];
            probes.add(probe(family, random, base, configId));
        }
        return probes;
    }

    private static Probe probe(Family family, Random random, String base, int configId) {
        String keyword = pick(random, KEYWORDS);
        String studies = base + "/studies?";
        return switch (family) {
            case BAD_PERCENT_ENCODING ->
                random.nextBoolean()
                        // followed by a letter that is no hex digit, so that "%4" cannot become "%4B"
                        ? get(family, studies + keyword + "=A" + pick(random, BAD_ESCAPES) + "Z")
                        : get(family, studies + "Patient" + pick(random, BAD_ESCAPES) + "ID=1");
            case ENCODED_CONTROL_CHARACTER -> {
                int c = random.nextInt(34);
                String escape = c < 32 ? String.format("%%%02X", c) : c == 32 ? "%7F" : "%C2%85";
                yield get(family, studies + keyword + "=" + (random.nextBoolean() ? "" : "12") + escape);
            }
            case RAW_BYTES_IN_REQUEST_LINE -> {
                char raw = (char) (random.nextBoolean() ? random.nextInt(32) : 0x80 + random.nextInt(128));
                if (raw == '\r' || raw == '\n') {
                    raw = 0x01;
                }
                yield get(family, studies + keyword + "=1" + raw + "2");
            }
            case HUGE_VALUE -> {
                int length = random.nextBoolean() ? 65 + random.nextInt(2000) : 2000 + random.nextInt(12000);
                yield get(family, studies + keyword + "=" + "9".repeat(length));
            }
            case UNKNOWN_PARAMETER -> {
                String name = switch (random.nextInt(6)) {
                    case 0 -> "x" + randomName(random);
                    case 1 ->
                        keyword.toLowerCase(java.util.Locale.ROOT) + (Character.isDigit(keyword.charAt(0)) ? "x" : "");
                    case 2 -> keyword + ".";
                    case 3 -> "." + keyword;
                    case 4 -> String.format("%08X", 0x7FE10000 + random.nextInt(0xFFFF));
                    default -> "includefield%5B%5D";
                };
                yield get(family, studies + name + "=1");
            }
            case BAD_DATE_TIME_UID ->
                switch (random.nextInt(3)) {
                    case 0 -> get(family, studies + "StudyDate=" + pick(random, BAD_DATES));
                    case 1 -> get(family, studies + "StudyTime=" + pick(random, BAD_TIMES));
                    default -> get(family, studies + "StudyInstanceUID=" + pick(random, BAD_UIDS));
                };
            case BAD_CONTROL_PARAMETER ->
                get(
                        family,
                        studies + "PatientID=HOSTILE&"
                                + pick(
                                        random,
                                        "includefield=NoSuchAttribute",
                                        "includefield=SeriesDescription",
                                        "includefield=0008",
                                        "limit=-1",
                                        "limit=abc",
                                        "limit=1e3",
                                        "limit=99999999999",
                                        "offset=-5",
                                        "limit=1&limit=2",
                                        "fuzzymatching=maybe",
                                        "async=2",
                                        "emptyvaluematching=true"));
            case DEEP_OR_BAD_PATH -> {
                StringBuilder path = new StringBuilder(base);
                switch (random.nextInt(4)) {
                    case 0 -> {
                        int depth = 8 + random.nextInt(60);
                        for (int d = 0; d < depth; d++) {
                            path.append("/studies");
                        }
                    }
                    case 1 -> path.append("/studies/1..2/series/1.3/instances");
                    case 2 -> path.append("/studies/x.y/instances");
                    default -> path.append("/studies/1.2,3/series");
                }
                yield get(family, path + "?PatientID=HOSTILE");
            }
            case BAD_ACCEPT -> new Probe(family, studies + "PatientID=HOSTILE-NO-SUCH", pick(random, BAD_ACCEPTS));
            case EMPTY_NAME_OR_UNIVERSAL ->
                get(
                        family,
                        pick(
                                random,
                                studies + "=-1",
                                studies + "PatientID=1&=",
                                studies + "==",
                                base + "/series?",
                                base + "/series?limit=5",
                                base + "/instances?",
                                base + "/instances?PatientID=*&includefield=all",
                                "/api/v1/spanner/qido/studies?&&spanner_config_id=" + configId + "&=x"));
            case TOO_MANY_PARAMETERS -> {
                StringBuilder query = new StringBuilder(studies + "PatientID=HOSTILE");
                int parameters = 101 + random.nextInt(300);
                for (int p = 0; p < parameters; p++) {
                    query.append("&includefield=StudyDate");
                }
                yield get(family, query.toString());
            }
            case BAD_CONFIG ->
                get(
                        family,
                        pick(
                                random,
                                "/dicomweb/No%20Such%20Config/studies?PatientID=1",
                                "/dicomweb/%00/studies?PatientID=1",
                                "/dicomweb/999999/studies?PatientID=1",
                                "/api/v1/spanner/qido/studies?PatientID=1&spanner_config_id=abc",
                                "/api/v1/spanner/qido/studies?PatientID=1&spanner_config_id=1&spanner_config_id=2",
                                "/api/v1/spanner/qido/patients?PatientID=1"));
        };
    }

    private static Probe get(Family family, String target) {
        return new Probe(family, target, null);
    }

    private static String randomName(Random random) {
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        StringBuilder name = new StringBuilder();
        int length = 1 + random.nextInt(24);
        for (int i = 0; i < length; i++) {
            name.append(letters.charAt(random.nextInt(letters.length())));
        }
        return name.toString();
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
