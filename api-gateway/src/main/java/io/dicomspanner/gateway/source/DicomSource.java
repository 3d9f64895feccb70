package io.dicomspanner.gateway.source;

import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.dicom.query.InformationModel;
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

/** A PACS or any other C-FIND SCP the spanner can ask. */
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

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    void apply(DicomSourceSettings settings, Instant now) {
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
        this.updatedAt = now;
    }
}
