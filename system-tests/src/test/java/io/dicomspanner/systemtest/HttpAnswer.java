package io.dicomspanner.systemtest;

import io.dicomspanner.dicom.data.Attributes;
import io.dicomspanner.dicom.json.DicomJsonReader;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** One HTTP answer of a service: status, headers and the body's exact bytes. */
record HttpAnswer(int status, HttpHeaders headers, byte[] body) {
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    JsonNode json() {
        return Fleet.JSON.readTree(body);
    }

    /** The body as DICOM JSON (a QIDO-RS answer), each result a data set. */
    List<Attributes> dicom() {
        return new DicomJsonReader().readList(body);
    }

    /** Every {@code Warning} header, in order. */
    List<String> warnings() {
        return headers.allValues("Warning");
    }

    String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return "HTTP " + status + " " + headers.map() + "\n" + text();
    }
}
