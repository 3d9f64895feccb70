package io.dicomspanner.gateway.cors;

import io.dicomspanner.gateway.https.HttpsConnectorConfiguration;
import io.dicomspanner.gateway.qido.QidoAnswers;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;
import org.springframework.web.filter.CorsFilter;

/**
 * CORS for the search paths, by Spring's own {@link CorsFilter} over a {@link CorsConfigurationSource}: a preflight
 * from an allowed origin is answered here, before the access audit and the API key check (a browser sends no
 * credentials with it); a preflight or a request from any other origin is refused with 403; a request from an
 * allowed origin goes on to the API key check with the CORS headers already set, so that even its 401 is readable by
 * the page. The admin API is not offered to other origins. Without allowed origins the filter is not installed at all.
 */
@Configuration(proxyBeanMethods = false)
public class CrossOriginConfiguration {

    /** After the security headers (which a preflight's answer carries too), before the access audit. */
    public static final int ORDER = HttpsConnectorConfiguration.SECURITY_HEADERS_ORDER + 1;

    /** The paths a page of an allowed origin may call, as CORS configuration patterns. */
    static final List<String> PATHS = List.of("/dicomweb/**", "/api/v1/spanner/**");

    /** The same paths as servlet filter URL patterns. */
    static final List<String> FILTERED = List.of("/dicomweb/*", "/api/v1/spanner/*");

    /** Typed by its class: Spring MVC's handler mapping introspector is a {@link CorsConfigurationSource} as well. */
    @Bean
    UrlBasedCorsConfigurationSource searchPathsCorsConfiguration(CorsProperties settings) {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        if (!settings.enabled()) {
            return source;
        }
        CorsConfiguration cors = new CorsConfiguration();
        cors.setAllowedOrigins(settings.allowedOrigins());
        cors.setAllowCredentials(settings.allowCredentials());
        cors.setAllowedMethods(List.of(HttpMethod.GET.name(), HttpMethod.HEAD.name()));
        cors.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT));
        cors.setExposedHeaders(List.of(
                HttpHeaders.WARNING,
                QidoAnswers.QUERY_ID_HEADER,
                HttpHeaders.LOCATION,
                HttpHeaders.RETRY_AFTER,
                HttpHeaders.WWW_AUTHENTICATE));
        cors.setMaxAge(settings.maxAge());
        PATHS.forEach(path -> source.registerCorsConfiguration(path, cors));
        return source;
    }

    @Bean
    FilterRegistrationBean<CorsFilter> corsFilter(UrlBasedCorsConfigurationSource source, CorsProperties settings) {
        FilterRegistrationBean<CorsFilter> registration = new FilterRegistrationBean<>(new CorsFilter(source));
        registration.setOrder(ORDER);
        // Only there: elsewhere a preflight is a request like any other (401 without a key), not an empty 200.
        registration.setUrlPatterns(FILTERED);
        registration.setEnabled(settings.enabled());
        return registration;
    }
}
