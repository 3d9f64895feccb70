package io.dicomspanner.gateway.apikey;

import io.dicomspanner.gateway.GatewayApplication;
import io.dicomspanner.gateway.audit.Actor;
import io.dicomspanner.gateway.error.ConflictException;
import io.dicomspanner.gateway.error.NotFoundException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.PrintStream;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;

/**
 * Runs an {@link ApiKeyCommand} against the configured database without starting the HTTP server: the way to get a
 * first admin key without the bootstrap variable, and to manage keys from a shell. A created key goes to standard
 * output alone, so {@code KEY=$(java -jar api-gateway.jar --create-api-key=ci)} works; messages go to standard error.
 */
public final class ApiKeyCommandLine {

    /** Exit codes. */
    static final int OK = 0;

    static final int FAILED = 1;
    static final int USAGE = 2;

    private static final int LIST_PAGE_SIZE = 500;

    private ApiKeyCommandLine() {}

    /** Runs {@code command}; {@code args} carry any Spring settings (datasource, profiles). Returns the exit code. */
    public static int run(ApiKeyCommand command, String[] args, PrintStream out, PrintStream err) {
        if (command instanceof ApiKeyCommand.Invalid invalid) {
            err.println(invalid.reason());
            err.println(ApiKeyCommand.USAGE);
            return USAGE;
        }
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class)
                .web(WebApplicationType.NONE)
                .bannerMode(Banner.Mode.OFF)
                .logStartupInfo(false)
                .properties("logging.level.root=WARN")
                .run(args)) {
            ApiKeyService keys = context.getBean(ApiKeyService.class);
            Validator validator = context.getBean(Validator.class);
            return execute(command, keys, validator, out, err);
        }
    }

    private static int execute(
            ApiKeyCommand command, ApiKeyService keys, Validator validator, PrintStream out, PrintStream err) {
        try {
            if (command instanceof ApiKeyCommand.Create create) {
                return create(create, keys, validator, out, err);
            }
            if (command instanceof ApiKeyCommand.ListKeys) {
                list(keys, out);
                return OK;
            }
            if (command instanceof ApiKeyCommand.Revoke revoke) {
                ApiKeyResponse revoked = keys.revoke(revoke.id(), Actor.commandLine());
                err.println("API key " + revoked.id() + " '" + revoked.name() + "' is revoked");
                return OK;
            }
            throw new IllegalStateException("Unhandled API key command " + command);
        } catch (NotFoundException | ConflictException e) {
            err.println(e.getMessage());
            return FAILED;
        }
    }

    private static int create(
            ApiKeyCommand.Create command, ApiKeyService keys, Validator validator, PrintStream out, PrintStream err) {
        ApiKeyRequest request = new ApiKeyRequest(command.name(), command.scopes());
        Set<ConstraintViolation<ApiKeyRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            err.println(violations.stream()
                    .map(v -> v.getPropertyPath() + " " + v.getMessage())
                    .sorted()
                    .collect(Collectors.joining("; ")));
            return USAGE;
        }
        CreatedApiKeyResponse created = keys.create(request, Actor.commandLine());
        out.println(created.key());
        err.println("Created API key " + created.id() + " '" + created.name() + "' with scopes "
                + wire(created.scopes()) + ". This is the only time the key is shown: store it now.");
        return OK;
    }

    private static void list(ApiKeyService keys, PrintStream out) {
        out.println("id\tname\tscopes\tactive\tcreated_at\tlast_used_at\trevoked_at");
        Page<ApiKeyResponse> page = keys.list(PageRequest.of(0, LIST_PAGE_SIZE, Sort.by("id")));
        while (true) {
            page.forEach(key -> out.println(key.id() + "\t" + key.name() + "\t" + wire(key.scopes()) + "\t"
                    + key.active() + "\t" + key.createdAt() + "\t" + orDash(key.lastUsedAt()) + "\t"
                    + orDash(key.revokedAt())));
            if (!page.hasNext()) {
                return;
            }
            page = keys.list(page.nextPageable());
        }
    }

    private static String wire(Set<ApiKeyScope> scopes) {
        return scopes.stream().map(ApiKeyScope::wire).sorted().collect(Collectors.joining(","));
    }

    private static String orDash(Object value) {
        return value == null ? "-" : value.toString();
    }
}
