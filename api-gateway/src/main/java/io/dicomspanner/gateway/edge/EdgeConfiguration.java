package io.dicomspanner.gateway.edge;

import io.dicomspanner.gateway.web.TrailingSlashConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class EdgeConfiguration {

    /** Before the API key check (whose log names the client) and the security headers (which need the scheme). */
    public static final int CLIENT_ADDRESS_ORDER = TrailingSlashConfiguration.ORDER + 1;

    @Bean
    FilterRegistrationBean<ClientAddressFilter> clientAddressFilter(EdgeProperties settings) {
        FilterRegistrationBean<ClientAddressFilter> registration =
                new FilterRegistrationBean<>(new ClientAddressFilter(settings.proxies()));
        registration.setOrder(CLIENT_ADDRESS_ORDER);
        return registration;
    }
}
