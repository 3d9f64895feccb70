package io.dicomspanner.gateway.https;

import io.dicomspanner.gateway.GatewayTest;
import java.util.Arrays;
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
}
