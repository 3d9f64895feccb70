package io.dicomspanner.common.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadReplicaPropertiesTest {

    @Test
    void withoutSettingsReadersUseThePrimaryWithTwoConnectionsAndFiveSeconds() {
        ReadReplicaProperties properties = new ReadReplicaProperties(null, null, null, null, null);

        assertThat(properties.configured()).isFalse();
        assertThat(properties.url()).isEmpty();
        assertThat(properties.maximumPoolSize()).isEqualTo(2);
        assertThat(properties.connectionTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aBlankUrlMeansThePrimary() {
        assertThat(new ReadReplicaProperties("  ", "", "", 2, Duration.ofSeconds(5)).configured())
                .isFalse();
    }

    @Test
    void aMultiHostUrlIsTakenAsGiven() {
        String url = "jdbc:postgresql://pg1:5432,pg2:5432/spanner?targetServerType=preferSecondary";

        ReadReplicaProperties properties = new ReadReplicaProperties(url, "reader", "secret", 3, Duration.ofSeconds(2));

        assertThat(properties.configured()).isTrue();
        assertThat(properties.url()).isEqualTo(url);
    }

    @Test
    void anUrlThatIsNotJdbcIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ReadReplicaProperties("postgres://pg2/spanner", null, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spanner.read-replica.url must be a JDBC URL (jdbc:...), is postgres://pg2/spanner");
    }

    @Test
    void aPoolSizeOrTimeoutOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new ReadReplicaProperties("", null, null, 0, null))
                .hasMessage("spanner.read-replica.maximum-pool-size must be 1..100, is 0");
        assertThatThrownBy(() -> new ReadReplicaProperties("", null, null, 2, Duration.ofMillis(100)))
                .hasMessage("spanner.read-replica.connection-timeout must be at least 250ms, is PT0.1S");
    }
}
