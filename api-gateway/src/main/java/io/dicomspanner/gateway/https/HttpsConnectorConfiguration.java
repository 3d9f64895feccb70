package io.dicomspanner.gateway.https;

import io.dicomspanner.gateway.web.TrailingSlashConfiguration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.apache.catalina.connector.Connector;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.tomcat.SslConnectorCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * HTTPS beside plain HTTP, on Tomcat (the servlet container of spring-boot-starter-webmvc). Plain HTTP stays Spring
 * Boot's main connector on {@code server.port}; HTTPS is a second connector on {@code spanner.https.port}, set up by
 * Spring Boot's own {@link SslConnectorCustomizer} from the PEM bundle {@value #BUNDLE}. The bundle's files are watched
 * ({@code reload-on-update: true}): a renewed certificate replaces the connector's TLS configuration, and the next
 * handshake presents it, without a restart. Without the bundle the gateway serves plain HTTP only, as before.
 */
@Configuration(proxyBeanMethods = false)
public class HttpsConnectorConfiguration {

    /** The SSL bundle holding the HTTPS certificate chain and key. */
    public static final String BUNDLE = "spanner-https";

    /** After the trusted-proxy filter, which decides whether a request came over HTTPS. */
    public static final int SECURITY_HEADERS_ORDER = TrailingSlashConfiguration.ORDER + 2;

    private static final Log log = LogFactory.getLog(HttpsConnectorConfiguration.class);

    /** Every connector, the plain one and HTTPS, with the connection buffers of {@code spanner.connections.*}. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectionBuffers(ConnectionBufferProperties buffers) {
        return factory -> {
            factory.setProtocol(BufferSizedHttp11NioProtocol.class.getName());
            factory.addConnectorCustomizers(buffers::applyTo);
        };
    }

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> httpsConnector(
            SslBundles bundles,
            HttpsProperties settings,
            ConnectionBufferProperties buffers,
            @Value("${server.tomcat.threads.max:200}") int maxThreads) {
        return factory -> {
            if (!bundles.getBundleNames().contains(BUNDLE)) {
                return;
            }
            Connector https = new Connector(BufferSizedHttp11NioProtocol.class.getName());
            https.setPort(settings.port());
            buffers.applyTo(https);
            // the same request threads as the plain connector (an additional connector would take Tomcat's 200)
            https.setProperty("maxThreads", String.valueOf(maxThreads));
            if (factory.getAddress() != null) {
                https.setProperty("address", factory.getAddress().getHostAddress());
            }
            SslConnectorCustomizer tls = new SslConnectorCustomizer(log, https, Ssl.ClientAuth.NONE);
            tls.customize(withProtocols(bundles.getBundle(BUNDLE), settings), Map.of());
            bundles.addBundleUpdateHandler(BUNDLE, renewed -> {
                log.info("SSL bundle '" + BUNDLE + "' changed on disk: new HTTPS handshakes use the new certificate");
                tls.update(null, withProtocols(renewed, settings));
            });
            factory.addAdditionalConnectors(https);
            factory.setAddress(address(settings.plainHttpAddress()));
        };
    }

    @Bean
    FilterRegistrationBean<SecurityHeadersFilter> securityHeadersFilter(HttpsProperties settings) {
        FilterRegistrationBean<SecurityHeadersFilter> registration =
                new FilterRegistrationBean<>(new SecurityHeadersFilter(settings.hstsMaxAge()));
        registration.setOrder(SECURITY_HEADERS_ORDER);
        return registration;
    }

    /** The bundle with the TLS versions of {@code spanner.https.allow-tls12}, its cipher settings kept. */
    private static SslBundle withProtocols(SslBundle bundle, HttpsProperties settings) {
        return SslBundle.of(
                bundle.getStores(),
                bundle.getKey(),
                SslOptions.of(
                        bundle.getOptions().getCiphers(), settings.protocols().toArray(String[]::new)),
                bundle.getProtocol(),
                bundle.getManagers());
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal); // an IP literal (HttpsProperties checks): no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalStateException("spanner.https.plain-http-address '" + literal + "' is no address", e);
        }
    }
}
