package io.dicomspanner.listener.atna;

import io.dicomspanner.common.phi.PhiTokenizerConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The listener tokenizes PHI only for the audit export's Query messages, so it needs {@code spanner.phi.token-secret}
 * (the same secret as the gateway and the coordinator) only when the export is on.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "spanner.audit.atna", name = "enabled", havingValue = "true")
@Import(PhiTokenizerConfiguration.class)
public class ListenerAuditConfiguration {}
