package io.dicomspanner.gateway.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springdoc.core.providers.ObjectMapperProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui/index.html}). */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // springdoc sets itself up only in the server, not for the API key command line
public class OpenApiConfiguration {

    static final String API_KEY_SCHEME = "api-key";

    /**
     * Schemas with the JSON names the API really uses. springdoc describes models with swagger-core's own (Jackson 2)
     * mapper, which does not see the application's Jackson 3 naming strategy; this gives it the same one.
     */
    @Bean
    ModelResolver snakeCaseModelResolver(ObjectMapperProvider objectMapperProvider) {
        return new ModelResolver(objectMapperProvider
                .jsonMapper()
                .copy()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }

    @Bean
    OpenAPI spannerOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("DICOM Query Spanner gateway")
                        .version("v1")
                        .description("Configuration admin API: DICOM sources, spanner configs, source mappings, API"
                                + " keys, audit trail and query log. Send 'Authorization: Api-Key <key>'."))
                .components(new Components()
                        .addSecuritySchemes(
                                API_KEY_SCHEME,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("Authorization")
                                        .description("The value 'Api-Key <key>'")))
                .addSecurityItem(new SecurityRequirement().addList(API_KEY_SCHEME));
    }
}
