package io.dicomspanner.gateway.audit;

/**
 * Who made a change: an API key (with the client's address), the command line, or the gateway itself.
 *
 * @param name how the audit trail names the actor: {@code api-key:NAME}, {@code cli:OS_USER} or {@code system:WHAT}
 * @param apiKeyId the API key's id, if an API key acted
 * @param address the client's IP address, if the change came over HTTP
 */
public record Actor(String name, Long apiKeyId, String address) {

    public static Actor apiKey(long apiKeyId, String keyName, String address) {
        return new Actor("api-key:" + keyName, apiKeyId, address);
    }

    public static Actor commandLine() {
        return new Actor("cli:" + System.getProperty("user.name", "unknown"), null, null);
    }

    public static Actor system(String what) {
        return new Actor("system:" + what, null, null);
    }
}
