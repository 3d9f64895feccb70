package io.dicomspanner.gateway.apikey;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An API key command given on the command line instead of starting the server:
 * {@code --create-api-key=NAME [--scopes=query,admin]}, {@code --list-api-keys} or {@code --revoke-api-key=ID}.
 */
public sealed interface ApiKeyCommand {

    String USAGE = "usage: java -jar api-gateway.jar --create-api-key=NAME [--scopes=query|admin|query,admin]\n"
            + "       java -jar api-gateway.jar --list-api-keys\n"
            + "       java -jar api-gateway.jar --revoke-api-key=ID";

    /** Creates a key and prints it; {@code scopes} are wire values, checked like the HTTP API checks them. */
    record Create(String name, List<String> scopes) implements ApiKeyCommand {}

    record ListKeys() implements ApiKeyCommand {}

    record Revoke(long id) implements ApiKeyCommand {}

    /** The arguments asked for a command but not in a way that can be run. */
    record Invalid(String reason) implements ApiKeyCommand {}

    /** The command {@code args} ask for, or empty if they ask to start the server. */
    static Optional<ApiKeyCommand> parse(String[] args) {
        List<String> commands = new ArrayList<>();
        String scopes = null;
        for (String arg : args) {
            if (arg.startsWith("--create-api-key")
                    || arg.equals("--list-api-keys")
                    || arg.startsWith("--revoke-api-key")) {
                commands.add(arg);
            } else if (arg.startsWith("--scopes=")) {
                scopes = arg.substring("--scopes=".length());
            }
        }
        if (commands.isEmpty()) {
            return Optional.empty();
        }
        if (commands.size() > 1) {
            return Optional.of(new Invalid("give one API key command, not " + commands.size()));
        }
        String command = commands.get(0);
        if (command.equals("--list-api-keys")) {
            return Optional.of(new ListKeys());
        }
        if (command.startsWith("--create-api-key=") && command.length() > "--create-api-key=".length()) {
            List<String> scopeList = scopes == null
                    ? List.of(ApiKeyScope.QUERY.wire())
                    : Arrays.stream(scopes.split(",")).map(String::strip).toList();
            return Optional.of(new Create(command.substring("--create-api-key=".length()), scopeList));
        }
        if (command.startsWith("--revoke-api-key=")) {
            try {
                return Optional.of(new Revoke(Long.parseLong(command.substring("--revoke-api-key=".length()))));
            } catch (NumberFormatException e) {
                return Optional.of(new Invalid("--revoke-api-key needs a numeric key id"));
            }
        }
        return Optional.of(new Invalid("'" + command + "' needs a value"));
    }
}
