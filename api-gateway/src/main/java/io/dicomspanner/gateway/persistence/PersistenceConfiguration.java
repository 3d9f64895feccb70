package io.dicomspanner.gateway.persistence;

import org.hibernate.cfg.MappingSettings;
import org.springframework.boot.hibernate.autoconfigure.HibernatePropertiesCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class PersistenceConfiguration {

    @Bean
    HibernatePropertiesCustomizer jsonColumnMapper(JsonMapper jsonMapper) {
        return properties -> properties.put(MappingSettings.JSON_FORMAT_MAPPER, new JsonColumnMapper(jsonMapper));
    }
}
