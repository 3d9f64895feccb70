package io.dicomspanner.common.messaging;

import io.dicomspanner.common.capability.KeyObservationRows;
import io.dicomspanner.common.wire.WireEnum;
import io.dicomspanner.dicom.query.InformationModel;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads a {@link SourceEndpoint} from a row of the {@code dicom_source} table (owned by the api-gateway), for every
 * service that reads that table: the coordinator (endpoints travel in each task) and the worker (the sources it
 * serves).
 */
public final class SourceEndpointRows {

    /** The columns {@link #read} needs, qualified by the alias {@code s} of {@code dicom_source}. */
    public static final String COLUMNS = """
            s.id, s.name, s.ae_title, s.host, s.port, s.calling_ae_title, s.tls, s.tls_verify_hostname, s.max_associations,
            s.query_timeout_seconds, s.information_models, s.relational_queries, s.unmatched_keys,
            s.protocol, s.base_url, s.auth_type, s.auth_username, s.auth_secret, s.auth_token_file, s.page_size,
            s.includefield_all, s.fuzzymatching, s.limit_offset, s.max_results,
            array(select o.keyword from source_key_observation o
                   where o.source_id = s.id and %s and not (o.keyword = any(s.unmatched_keys))
                   order by o.keyword) as observed_unmatched_keys""".formatted(KeyObservationRows.VERIFIED_KEYS);

    private SourceEndpointRows() {}

    public static SourceEndpoint read(ResultSet rs) throws SQLException {
        return new SourceEndpoint(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("ae_title"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getString("calling_ae_title"),
                rs.getBoolean("tls"),
                rs.getBoolean("tls_verify_hostname"),
                rs.getInt("max_associations"),
                rs.getInt("query_timeout_seconds"),
                informationModels(rs.getArray("information_models")),
                rs.getBoolean("relational_queries"),
                unmatchedKeys(rs),
                dicomWeb(rs));
    }

    /** The DICOMweb side of a source of protocol {@code dicomweb}; null for a DIMSE source. */
    static DicomWebEndpoint dicomWeb(ResultSet rs) throws SQLException {
        if (!"dicomweb".equals(rs.getString("protocol"))) {
            return null;
        }
        byte[] secret = rs.getBytes("auth_secret");
        return new DicomWebEndpoint(
                rs.getString("base_url"),
                WireEnum.fromWire(DicomWebEndpoint.Auth.class, rs.getString("auth_type")),
                rs.getString("auth_username"),
                secret == null ? null : Base64.getEncoder().encodeToString(secret),
                rs.getString("auth_token_file"),
                rs.getInt("page_size"),
                rs.getBoolean("includefield_all"),
                rs.getBoolean("fuzzymatching"),
                rs.getBoolean("limit_offset"),
                rs.getInt("max_results"));
    }

    /**
     * The keys the worker verifies: those the configuration declares, then those observed (probed or learned) to need
     * it, by keyword.
     */
    static List<String> unmatchedKeys(ResultSet rs) throws SQLException {
        List<String> keys =
                new ArrayList<>(List.of((String[]) rs.getArray("unmatched_keys").getArray()));
        keys.addAll(List.of((String[]) rs.getArray("observed_unmatched_keys").getArray()));
        return keys;
    }

    /** The admin API stores the models by the wire rule ({@code study_root}). */
    static List<InformationModel> informationModels(Array array) throws SQLException {
        return Arrays.stream((String[]) array.getArray())
                .map(wire -> WireEnum.fromWire(InformationModel.class, wire))
                .toList();
    }
}
