package io.dicomspanner.gateway;

import io.dicomspanner.gateway.apikey.ApiKeyCommand;
import io.dicomspanner.gateway.apikey.ApiKeyCommandLine;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The HTTP edge of the spanner. Started plainly it serves the API on port 8001; started with an API key command
 * ({@code --create-api-key=NAME}, {@code --list-api-keys}, {@code --revoke-api-key=ID}) it runs that command against
 * the database and exits.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class GatewayApplication {

    public static void main(String[] args) {
        Optional<ApiKeyCommand> command = ApiKeyCommand.parse(args);
        if (command.isPresent()) {
            System.exit(ApiKeyCommandLine.run(command.get(), args, System.out, System.err));
        } else {
            SpringApplication.run(GatewayApplication.class, args);
        }
    }

    /** The one clock; ticks in microseconds because PostgreSQL stores no finer, so what is saved is what is read. */
    @Bean
    Clock clock() {
        return Clock.tick(Clock.systemUTC(), Duration.ofNanos(1_000));
    }
}
