package io.dicomspanner.listener.tls;

import io.dicomspanner.listener.ListenerProperties;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.x500.X500Principal;

/**
 * Which client certificate subjects may call as which AE titles on the TLS port. Without lines, any certificate the
 * truststore trusts may use any calling AE title. With lines, the rule is closed: a calling AE title must have a line,
 * and the certificate's subject must be one of that line's. Subjects are compared as distinguished names (X.500
 * canonical form: case, spacing and attribute-value encoding do not matter), not as text.
 */
public final class CallingAeSubjectRule {

    private final Map<String, Set<X500Principal>> subjectsByAeTitle;

    public CallingAeSubjectRule(List<ListenerProperties.CallingAeSubjects> lines) {
        Map<String, Set<X500Principal>> byAe = new HashMap<>();
        for (ListenerProperties.CallingAeSubjects line : lines) {
            Set<X500Principal> subjects = byAe.computeIfAbsent(line.aeTitle(), ae -> new HashSet<>());
            for (String subject : line.subjects()) {
                subjects.add(new X500Principal(subject));
            }
        }
        byAe.replaceAll((ae, subjects) -> Set.copyOf(subjects));
        this.subjectsByAeTitle = Map.copyOf(byAe);
    }

    /** Whether there is a rule at all. */
    public boolean isEmpty() {
        return subjectsByAeTitle.isEmpty();
    }

    /**
     * Whether a client whose verified chain is {@code peerCertificates} (own certificate first) may call as
     * {@code callingAeTitle}.
     */
    public boolean allows(String callingAeTitle, List<X509Certificate> peerCertificates) {
        if (subjectsByAeTitle.isEmpty()) {
            return true;
        }
        Set<X500Principal> allowed = subjectsByAeTitle.get(callingAeTitle);
        return allowed != null
                && !peerCertificates.isEmpty()
                && allowed.contains(peerCertificates.get(0).getSubjectX500Principal());
    }
}
