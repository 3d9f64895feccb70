package io.dicomspanner.gateway.apikey;

import io.dicomspanner.common.secret.SecretSource;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

/**
 * On start, registers the operator's bootstrap admin key ({@code SPANNER_BOOTSTRAP_API_KEY} or the file named by
 * {@code SPANNER_BOOTSTRAP_API_KEY_FILE}) if no admin key exists yet, so a fresh installation can be administered.
 */
@Component
@ConditionalOnWebApplication
public class ApiKeyBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyBootstrap.class);

    private final ApiKeyService keys;
    private final ApiKeyProperties properties;

    public ApiKeyBootstrap(ApiKeyService keys, ApiKeyProperties properties) {
        this.keys = keys;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        bootstrap();
    }

    /** What happened with the bootstrap key, or empty if none is configured. */
    public Optional<ApiKeyService.BootstrapOutcome> bootstrap() {
        Optional<String> key = SecretSource.resolve(
                properties.bootstrapKey(),
                properties.bootstrapKeyFile(),
                "spanner.api-keys.bootstrap-key (SPANNER_BOOTSTRAP_API_KEY)",
                "spanner.api-keys.bootstrap-key-file (SPANNER_BOOTSTRAP_API_KEY_FILE)");
        if (key.isEmpty()) {
            if (!keys.anyActiveAdminKey()) {
                log.warn("No active admin API key exists: set SPANNER_BOOTSTRAP_API_KEY and restart, or run the "
                        + "gateway jar with --create-api-key=NAME --scopes=admin");
            }
            return Optional.empty();
        }
        ApiKeyService.BootstrapOutcome outcome = keys.registerBootstrapKey(key.get());
        switch (outcome) {
            case REGISTERED -> log.info("Bootstrap admin API key registered");
            case ALREADY_REGISTERED -> log.info("Bootstrap admin API key is registered already");
            case REVOKED_EARLIER -> log.warn("The bootstrap API key was revoked; it stays revoked");
            case ADMIN_KEY_EXISTS -> log.info("An admin API key exists; the bootstrap key is not registered");
        }
        return Optional.of(outcome);
    }
}
