package io.dicomspanner.gateway.persistence;

import io.dicomspanner.common.capability.KeyObservationRows;
import org.hibernate.cfg.MappingSettings;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class PersistenceConfiguration {

    @Bean
    HibernatePropertiesCustomizer jsonColumnMapper(JsonMapper jsonMapper) {
        return properties -> properties.put(MappingSettings.JSON_FORMAT_MAPPER, new JsonColumnMapper(jsonMapper));
    }

    /** The one reader and writer of what is observed of the sources' matching keys. */
    @Bean
    KeyObservationRows keyObservationRows(JdbcClient jdbc) {
        return new KeyObservationRows(jdbc);
    }
}
