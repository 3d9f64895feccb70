package io.dicomspanner.gateway.console;

import io.dicomspanner.gateway.audit.AccessAuditConfiguration;
import jakarta.servlet.SessionTrackingMode;
import java.util.EnumSet;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.server.servlet.CookieSameSiteSupplier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.LiteWebJarsResourceResolver;
import org.thymeleaf.ITemplateEngine;

/**
 * The web console: its session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, path {@code /ui/}, never a
 * session id in a URL), its guard filter, and its static files (our own under {@code /ui/static/}, htmx from its
 * WebJar under {@code /ui/webjars/}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
class ConsoleConfiguration implements WebMvcConfigurer {

    static final String SESSION_COOKIE = "SPANNER_CONSOLE";

    /** After the client address is resolved and the access audit has begun; before the API key check. */
    static final int ORDER = AccessAuditConfiguration.ORDER + 1;

    @Bean
    FilterRegistrationBean<ConsoleSecurityFilter> consoleSecurityFilter(
            ITemplateEngine templates, ConsoleKeyCheck keyCheck) {
        FilterRegistrationBean<ConsoleSecurityFilter> registration =
                new FilterRegistrationBean<>(new ConsoleSecurityFilter(templates, keyCheck));
        registration.setOrder(ORDER);
        return registration;
    }

    /** The servlet container's session cookie, which only the console uses (the API is stateless). */
    @Bean
    ServletContextInitializer consoleSessionCookie() {
        return servletContext -> {
            servletContext.setSessionTrackingModes(EnumSet.of(SessionTrackingMode.COOKIE));
            var cookie = servletContext.getSessionCookieConfig();
            cookie.setName(SESSION_COOKIE);
            cookie.setHttpOnly(true);
            cookie.setPath("/ui/");
        };
    }

    @Bean
    CookieSameSiteSupplier consoleCookieSameSite() {
        return CookieSameSiteSupplier.ofStrict().whenHasName(SESSION_COOKIE);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/ui/static/**").addResourceLocations("classpath:/static/ui/");
        registry.addResourceHandler("/ui/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .resourceChain(true)
                .addResolver(new LiteWebJarsResourceResolver());
    }
}
