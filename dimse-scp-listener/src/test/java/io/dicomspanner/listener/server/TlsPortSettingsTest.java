package io.dicomspanner.listener.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.dicom.net.TlsProfile;
import io.dicomspanner.listener.ListenerProperties;
import io.dicomspanner.listener.ListenerProperties.Tls.Mode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;

class TlsPortSettingsTest {

    final DefaultSslBundleRegistry noBundles = new DefaultSslBundleRegistry();

    @Test
    void withoutTheBundleThereIsNoTlsPortUnlessItIsRequiredThenStartUpFailsNamingWhatIsMissing() {
        assertThat(DimseServer.tlsOn(tls(Mode.WHEN_CONFIGURED), noBundles)).isFalse();
        assertThat(DimseServer.tlsOn(tls(Mode.OFF), noBundles)).isFalse();
        assertThatThrownBy(() -> DimseServer.tlsOn(tls(Mode.ON), noBundles))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("spanner.listener.tls.mode is on, but there is no SSL bundle 'dicom-server': set"
                        + " spring.ssl.bundle.pem.dicom-server.keystore.certificate, .keystore.private-key and"
                        + " .truststore.certificate");
    }

    @Test
    void aSubjectThatIsNoDistinguishedNameFailsStartUpNamingIt() {
        assertThatThrownBy(() -> new ListenerProperties.CallingAeSubjects("MODALITY_1", List.of("modality-1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("spanner.listener.tls.calling-ae-subjects: 'modality-1' (for MODALITY_1) is not"
                        + " a distinguished name: ");
    }

    @Test
    void theSubjectRuleNeedsClientCertificates() {
        List<ListenerProperties.CallingAeSubjects> rule =
                List.of(new ListenerProperties.CallingAeSubjects("MODALITY_1", List.of("CN=modality-1")));
        assertThatThrownBy(() -> new ListenerProperties.Tls(
                        Mode.ON, 2762, "dicom-server", TlsProfile.BCP195_NON_DOWNGRADING, false, rule))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spanner.listener.tls.calling-ae-subjects needs"
                        + " spanner.listener.tls.client-certificate-required: true (the rule reads the client"
                        + " certificate)");
    }

    private static ListenerProperties.Tls tls(Mode mode) {
        return new ListenerProperties.Tls(
                mode, 2762, "dicom-server", TlsProfile.BCP195_NON_DOWNGRADING, true, List.of());
    }
}
