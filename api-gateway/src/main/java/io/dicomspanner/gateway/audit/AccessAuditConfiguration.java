package io.dicomspanner.gateway.audit;

import io.dicomspanner.common.audit.AuditLogConfiguration;
import io.dicomspanner.gateway.cors.CrossOriginConfiguration;
import io.dicomspanner.gateway.error.ProblemResponses;
import java.time.Clock;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

@Configuration(proxyBeanMethods = false)
@Import(AuditLogConfiguration.class)
public class AccessAuditConfiguration {

    /**
     * After the client address is resolved and after CORS (a preflight is no access), before the API key check (whose
     * refusals it records).
     */
    public static final int ORDER = CrossOriginConfiguration.ORDER + 1;

    @Bean
    FilterRegistrationBean<AccessAuditFilter> accessAuditFilter(
            AuditTrail auditTrail, ProblemResponses problems, Clock clock) {
        FilterRegistrationBean<AccessAuditFilter> registration =
                new FilterRegistrationBean<>(new AccessAuditFilter(auditTrail, problems, clock));
        registration.setOrder(ORDER);
        return registration;
    }
}
