package io.dicomspanner.listener;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The DIMSE front door: a C-ECHO and C-FIND SCP (port 11112 by default, and the DICOM TLS port 2762 when its
 * certificate bundle is configured) whose C-FINDs are answered by spanning every
 * PACS of the config the called AE title names. HTTP (port 8004) serves only health and metrics.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class ListenerApplication {

    public static void main(String[] args) {
        SpringApplication.run(ListenerApplication.class, args);
    }

    /** The one clock (deadlines of span requests). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
