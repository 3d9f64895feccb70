package io.dicomspanner.listener.aetitle;

import java.util.Set;

/**
 * What the listener needs of a spanning config that has an SCP AE title (admin API {@code scp_ae_title}).
 *
 * @param allowedCallingAeTitles who may call; empty = anyone
 * @param timeoutSeconds the config's timeout, which bounds how long a C-FIND waits for its answer
 */
public record ScpConfig(
        long id, String aeTitle, boolean enabled, Set<String> allowedCallingAeTitles, int timeoutSeconds) {

    public ScpConfig {
        allowedCallingAeTitles = Set.copyOf(allowedCallingAeTitles);
    }

    public boolean allowsCaller(String callingAeTitle) {
        return allowedCallingAeTitles.isEmpty() || allowedCallingAeTitles.contains(callingAeTitle);
    }
}
