package io.dicomspanner.common.seal;

import io.dicomspanner.common.messaging.MessageCodec;
import io.dicomspanner.common.seal.SealRejectedException.Reason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the services write and read what can hold PHI outside their own memory: the {@link MessageCodec} JSON,
 * {@link Sealer sealed}. RabbitMQ bodies are the sealed bytes; Redis values are their base64 text (the services' Redis
 * templates are string templates). A value that does not open is counted in {@code
 * spanner_sealed_value_rejected_total{store, reason}} and never used: in Redis it is a miss, on RabbitMQ the caller
 * rejects the message.
 *
 * <p>Values that hold no PHI (source health, circuit state, probe progress, query status, the asker's key id, locks)
 * stay plain JSON, so an operator can read them.
 */
public final class SealedCodec {

    private static final Logger log = LoggerFactory.getLogger(SealedCodec.class);

    /** The content type of a sealed RabbitMQ body. */
    public static final String CONTENT_TYPE = "application/vnd.dicomspanner.sealed";

    /** Where a rejected value was found: the {@code store} tag. */
    public enum Store {
        REDIS,
        AMQP;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Sealer sealer;
    private final MeterRegistry registry;
    private final MessageCodec json = MessageCodec.instance();

    public SealedCodec(Sealer sealer, MeterRegistry registry) {
        this.sealer = sealer;
        this.registry = registry;
        for (Store store : Store.values()) {
            for (Reason reason : Reason.values()) {
                rejected(store, reason); // present at 0, so alerts on increase() see the first rejection
            }
        }
    }

    public Sealer sealer() {
        return sealer;
    }

    /** A RabbitMQ body: the sealed JSON of {@code message}. */
    public byte[] sealMessage(Object message) {
        return sealer.seal(json.write(message));
    }

    /** The plain bytes of a sealed RabbitMQ body; a body that does not open is counted and thrown. */
    public byte[] openMessage(byte[] body) {
        try {
            return sealer.open(body);
        } catch (SealRejectedException e) {
            count(Store.AMQP, e);
            throw e;
        }
    }

    /**
     * The message of a sealed RabbitMQ body.
     *
     * @throws SealRejectedException (counted) when the body does not open
     * @throws tools.jackson.core.JacksonException when the opened JSON is not a {@code type}
     */
    public <T> T readMessage(byte[] body, Class<T> type) {
        return json.read(openMessage(body), type);
    }

    /** A Redis value: the base64 text of the sealed JSON of {@code value}. */
    public String sealEntry(Object value) {
        return sealEntryText(json.writeString(value));
    }

    /** A Redis value holding already written text (an answer's DICOM JSON array), sealed. */
    public String sealEntryText(String text) {
        return Base64.getEncoder().encodeToString(sealer.seal(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The plain text of a sealed Redis value; empty (a miss, counted) when it does not open. */
    public Optional<String> openEntryText(String entry) {
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(entry);
        } catch (IllegalArgumentException e) {
            count(Store.REDIS, new SealRejectedException(Reason.MALFORMED, "Redis value is not base64"));
            return Optional.empty();
        }
        try {
            return Optional.of(new String(sealer.open(sealed), StandardCharsets.UTF_8));
        } catch (SealRejectedException e) {
            count(Store.REDIS, e);
            return Optional.empty();
        }
    }

    /**
     * The value of a sealed Redis entry; empty (a miss, counted) when it does not open.
     *
     * @throws tools.jackson.core.JacksonException when the opened JSON is not a {@code type}
     */
    public <T> Optional<T> openEntry(String entry, Class<T> type) {
        return openEntryText(entry).map(text -> json.read(text, type));
    }

    private void count(Store store, SealRejectedException e) {
        rejected(store, e.reason()).increment();
        log.warn(
                "Sealed value from {} rejected ({}): {}",
                store.tag(),
                e.reason().tag(),
                e.getMessage());
    }

    private Counter rejected(Store store, Reason reason) {
        return Counter.builder("spanner.sealed.value.rejected")
                .description("Sealed values (Redis entries, RabbitMQ bodies) that did not open and were not used")
                .tag("store", store.tag())
                .tag("reason", reason.tag())
                .register(registry);
    }
}
