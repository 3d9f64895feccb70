package io.dicomspanner.common.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.messaging.CancelQuery;
import io.dicomspanner.common.messaging.TopologyDeclarations;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.support.converter.MessageConversionException;

class SealedCodecTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SealedCodec codec = new SealedCodec(Sealer.withKey(SealerTest.OLD), registry);

    @Test
    void aRedisEntryOpensToItsValue() {
        String entry =
                codec.sealEntryText("[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"DOE^JANE\"}]}}]");

        assertThat(entry).doesNotContain("DOE");
        assertThat(codec.openEntryText(entry))
                .contains("[{\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"DOE^JANE\"}]}}]");
        assertThat(rejected("redis", "tampered")).isZero();
    }

    @Test
    void aChangedRedisEntryIsAMissAndCounted() {
        byte[] sealed = Base64.getDecoder().decode(codec.sealEntry(new CancelQuery("q-1")));
        sealed[sealed.length - 3] ^= 0x20;

        assertThat(codec.openEntry(Base64.getEncoder().encodeToString(sealed), CancelQuery.class))
                .isEmpty();
        assertThat(codec.openEntry("{\"queryId\":\"q-1\"}", CancelQuery.class)).isEmpty();
        assertThat(rejected("redis", "tampered")).isEqualTo(1.0);
        assertThat(rejected("redis", "malformed")).isEqualTo(1.0);
    }

    @Test
    void theMessageConverterSealsBodiesAndRejectsOnesThatDoNotOpen() {
        var converter = TopologyDeclarations.messageConverter(codec);
        MessageProperties properties = new MessageProperties();
        Message message = converter.toMessage(new CancelQuery("q-2"), properties);

        assertThat(message.getMessageProperties().getContentType()).isEqualTo("application/vnd.dicomspanner.sealed");
        assertThat(new String(message.getBody(), StandardCharsets.ISO_8859_1)).doesNotContain("q-2");
        message.getMessageProperties().setInferredArgumentType(CancelQuery.class);
        assertThat(converter.fromMessage(message)).isEqualTo(new CancelQuery("q-2"));

        Message other = new Message(
                Sealer.withKey(SealerTest.NEW).seal("{\"queryId\":\"q-3\"}".getBytes(StandardCharsets.UTF_8)),
                new MessageProperties());
        assertThatThrownBy(() -> converter.fromMessage(other))
                .isInstanceOf(MessageConversionException.class)
                .hasMessage("sealed message body rejected (unknown_key)");
        assertThat(rejected("amqp", "unknown_key")).isEqualTo(1.0);
    }

    private double rejected(String store, String reason) {
        return registry.get("spanner.sealed.value.rejected")
                .tag("store", store)
                .tag("reason", reason)
                .counter()
                .count();
    }
}
