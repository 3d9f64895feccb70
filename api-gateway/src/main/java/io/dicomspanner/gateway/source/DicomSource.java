package io.dicomspanner.gateway.source;

import io.dicomspanner.common.messaging.DicomWebEndpoint;
import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.dicom.query.InformationModel;
import io.dicomspanner.gateway.persistence.WireEnumConverter;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A PACS or any other C-FIND SCP the spanner can ask, or a DICOMweb archive it asks over QIDO-RS. */
@Entity
@Table(name = "dicom_source")
public class DicomSource {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    private String name;
    private String aeTitle;
    private String host;
    private int port;
    private String callingAeTitle;
    private boolean tls;
    private boolean tlsVerifyHostname = true;
    private int maxAssociations;
    private int queryTimeoutSeconds;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> informationModels = new ArrayList<>();

    private boolean relationalQueries;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> unmatchedKeys = new ArrayList<>();

    private String location;

    @JdbcTypeCode(SqlTypes.ARRAY)
    private List<String> tags = new ArrayList<>();

    private boolean enabled;

    @Convert(converter = ProtocolColumn.class)
    private SourceProtocol protocol = SourceProtocol.DIMSE;

    private String baseUrl;

    @Convert(converter = AuthColumn.class)
    private DicomWebEndpoint.Auth authType;

    private String authUsername;

    /** Sealed with the deployment's data key; never leaves the gateway but towards a worker, still sealed. */
    private byte[] authSecret;

    private String authTokenFile;
    private Integer pageSize;
    private boolean includefieldAll;
    private boolean fuzzymatching;
    private boolean limitOffset = true;
    private int maxResults;

    private Instant createdAt;
    private Instant updatedAt;

    protected DicomSource() {}

    public DicomSource(Instant createdAt) {
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    public Long getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getAeTitle() {
        return aeTitle;
    }

    public String getHost() {
        return host;
    }

    public int getPort() {
        return port;
    }

    public String getCallingAeTitle() {
        return callingAeTitle;
    }

    public boolean isTls() {
        return tls;
    }

    public boolean isTlsVerifyHostname() {
        return tlsVerifyHostname;
    }

    public int getMaxAssociations() {
        return maxAssociations;
    }

    public int getQueryTimeoutSeconds() {
        return queryTimeoutSeconds;
    }

    public List<InformationModel> getInformationModels() {
        return informationModels.stream()
                .map(wire -> WireEnum.fromWire(InformationModel.class, wire))
                .toList();
    }

    public boolean isRelationalQueries() {
        return relationalQueries;
    }

    public List<String> getUnmatchedKeys() {
        return List.copyOf(unmatchedKeys);
    }

    public String getLocation() {
        return location;
    }

    public List<String> getTags() {
        return List.copyOf(tags);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public SourceProtocol getProtocol() {
        return protocol;
    }

    public String getBaseUrl() {
        return baseUrl;
    }

    public DicomWebEndpoint.Auth getAuthType() {
        return authType;
    }

    public String getAuthUsername() {
        return authUsername;
    }

    /** Whether a sealed password or token is stored (what the API shows instead of it). */
    public boolean hasAuthSecret() {
        return authSecret != null;
    }

    public String getAuthTokenFile() {
        return authTokenFile;
    }

    public Integer getPageSize() {
        return pageSize;
    }

    public boolean isIncludefieldAll() {
        return includefieldAll;
    }

    public boolean isFuzzymatching() {
        return fuzzymatching;
    }

    public boolean isLimitOffset() {
        return limitOffset;
    }

    public int getMaxResults() {
        return maxResults;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** @param sealedSecret the DICOMweb password or token of {@code settings}, sealed; null when it has none */
    void apply(DicomSourceSettings settings, byte[] sealedSecret, Instant now) {
        this.name = settings.name();
        this.aeTitle = settings.aeTitle();
        this.host = settings.host();
        this.port = settings.port();
        this.callingAeTitle = settings.callingAeTitle();
        this.tls = settings.tls();
        this.tlsVerifyHostname = settings.tlsVerifyHostname();
        this.maxAssociations = settings.maxAssociations();
        this.queryTimeoutSeconds = settings.queryTimeoutSeconds();
        this.informationModels = new ArrayList<>(
                settings.informationModels().stream().map(WireEnum::wireOf).toList());
        this.relationalQueries = settings.relationalQueries();
        this.unmatchedKeys = new ArrayList<>(settings.unmatchedKeys());
        this.location = settings.location();
        this.tags = new ArrayList<>(settings.tags());
        this.enabled = settings.enabled();
        this.protocol = settings.protocol();
        DicomWebSettings web = settings.dicomweb();
        this.baseUrl = web == null ? null : web.baseUrl();
        this.authType = web == null ? null : web.auth();
        this.authUsername = web == null ? null : web.username();
        this.authSecret = sealedSecret;
        this.authTokenFile = web == null ? null : web.tokenFile();
        this.pageSize = web == null ? null : web.pageSize();
        this.includefieldAll = web != null && web.includefieldAll();
        this.fuzzymatching = web != null && web.fuzzymatching();
        this.limitOffset = web == null || web.limitOffset();
        this.maxResults = web == null ? 0 : web.maxResults();
        this.updatedAt = now;
    }

    public static class ProtocolColumn extends WireEnumConverter<SourceProtocol> {
        public ProtocolColumn() {
            super(SourceProtocol.class);
        }
    }

    public static class AuthColumn extends WireEnumConverter<DicomWebEndpoint.Auth> {
        public AuthColumn() {
            super(DicomWebEndpoint.Auth.class);
        }
    }
}
