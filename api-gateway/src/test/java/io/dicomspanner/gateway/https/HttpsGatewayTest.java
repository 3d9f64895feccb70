package io.dicomspanner.gateway.https;

import io.dicomspanner.gateway.GatewayTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.catalina.connector.Connector;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

/**
 * A gateway with HTTPS on, its bundle {@code spanner-https} in {@link BundleFiles} of the test class's own. HTTPS is
 * checked with the real curl and openssl, as a user would.
 */
public abstract class HttpsGatewayTest extends GatewayTest {

    @Autowired
    private WebServerApplicationContext context;

    protected int httpsPort() {
        return connector(true).getLocalPort();
    }

    /** The connector of HTTPS ({@code secure}) or plain HTTP. */
    protected Connector connector(boolean secure) {
        Connector[] connectors = ((TomcatWebServer) context.getWebServer())
                .getTomcat()
                .getService()
                .findConnectors();
        return Arrays.stream(connectors)
                .filter(c -> c.getSecure() == secure)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + (secure ? "HTTPS" : "HTTP") + " connector"));
    }

    /** What a command printed and how it ended. */
    protected record Run(int exitCode, String out, String err) {
        public String output() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    protected static Run run(String... command) {
        return run(List.of(command), null);
    }

    /** Runs a command to its end (at most 60 s), {@code input} (if any) on its standard input. */
    protected static Run run(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).start();
            if (input != null) {
                process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            process.getOutputStream().close();
            var out = process.getInputStream();
            var err = process.getErrorStream();
            var outText = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(out));
            var errText = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(err));
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not end within 60 s");
            }
            return new Run(process.exitValue(), outText.join(), errText.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(java.io.InputStream stream) {
        try {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
