package io.dicomspanner.gateway.apikey;

import io.dicomspanner.gateway.atna.GatewayAudit;
import io.dicomspanner.gateway.error.ProblemResponses;
import io.dicomspanner.gateway.web.TrailingSlashConfiguration;
import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
public class ApiKeyWebConfiguration implements WebMvcConfigurer {

    @Bean
    FilterRegistrationBean<ApiKeyAuthenticationFilter> apiKeyAuthenticationFilter(
            ApiKeyService keys, AccessPolicy policy, ProblemResponses problems, GatewayAudit audit) {
        FilterRegistrationBean<ApiKeyAuthenticationFilter> registration =
                new FilterRegistrationBean<>(new ApiKeyAuthenticationFilter(keys, policy, problems, audit));
        registration.setOrder(TrailingSlashConfiguration.ORDER + 10);
        return registration;
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new ActorArgumentResolver());
    }
}
