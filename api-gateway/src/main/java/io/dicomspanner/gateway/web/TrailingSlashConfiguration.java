package io.dicomspanner.gateway.web;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.UrlHandlerFilter;

/**
 * Makes {@code /api/v1/sources/} and {@code /api/v1/sources} the same resource. Spring Framework 7 no longer matches
 * a trailing slash on its own, and the documented calls use one; the request is rewritten (not redirected, which
 * would turn a POST into a GET in some clients) before anything else, the API key check included, looks at it.
 */
@Configuration(proxyBeanMethods = false)
public class TrailingSlashConfiguration {

    /** Runs before every other filter, so all of them see the path without its trailing slash. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE;

    @Bean
    FilterRegistrationBean<UrlHandlerFilter> trailingSlashFilter() {
        FilterRegistrationBean<UrlHandlerFilter> registration = new FilterRegistrationBean<>(
                UrlHandlerFilter.trailingSlashHandler("/api/**").wrapRequest().build());
        registration.setOrder(ORDER);
        return registration;
    }
}
