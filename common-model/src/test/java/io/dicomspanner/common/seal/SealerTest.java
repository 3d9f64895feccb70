package io.dicomspanner.common.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dicomspanner.common.seal.SealRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

public class SealerTest {

    public static final DataKey OLD = DataKey.ofBase64("tTMOdKPhDnEDaMDEt3VN8PpWdRJU+Pgofp7tVeZ76Po=");
    public static final DataKey NEW = DataKey.ofBase64("6Js4bRK64p3xk0NdwY+ioGzPI1Bo3f4mQRya51Ft2GU=");
    static final byte[] PLAIN =
            "{\"PatientName\":\"DOE^JANE\",\"PatientID\":\"PID-4711\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSealedValueOpensToTheSameBytes() {
        Sealer sealer = Sealer.withKey(OLD);

        assertThat(sealer.open(sealer.seal(PLAIN))).isEqualTo(PLAIN);
        assertThat(sealer.open(sealer.seal(new byte[0]))).isEmpty();
    }

    @Test
    void aSealedValueIsVersionKeyIdNonceCiphertextAndTag() {
        byte[] sealed = Sealer.withKey(OLD).seal(PLAIN);

        assertThat(sealed).hasSize(1 + 4 + 12 + PLAIN.length + 16);
        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(HexFormat.of().formatHex(sealed, 1, 5)).isEqualTo(OLD.id());
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("DOE^JANE", "PID-4711");
    }

    @Test
    void theKeyIdIsTheFirstFourBytesOfTheKeysSha256() {
        // printf '%s' tTMOdKPh... | base64 -d | sha256sum | cut -c1-8
        assertThat(OLD.id()).isEqualTo("3c988a88");
        assertThat(OLD.id()).isNotEqualTo(NEW.id());
        assertThat(OLD.toString()).isEqualTo("DataKey[3c988a88]");
    }

    @Test
    void everySealOfTheSameValueDiffers() {
        Sealer sealer = Sealer.withKey(OLD);

        assertThat(sealer.seal(PLAIN)).isNotEqualTo(sealer.seal(PLAIN));
    }

    @Test
    void aValueOfAnotherKeyIsRejectedAsUnknownKey() {
        byte[] sealed = Sealer.withKey(NEW).seal(PLAIN);

        assertThatThrownBy(() -> Sealer.withKey(OLD).open(sealed))
                .isInstanceOfSatisfying(
                        SealRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY))
                .hasMessage("sealed value under key " + NEW.id() + ", which is neither the current (" + OLD.id()
                        + ") nor the previous key (none)");
    }

    @Test
    void aValueWhoseKeyIdIsForgedDoesNotVerify() {
        byte[] sealed = Sealer.withKey(NEW).seal(PLAIN);
        System.arraycopy(HexFormat.of().parseHex(OLD.id()), 0, sealed, 1, 4);

        assertThatThrownBy(() -> Sealer.withKey(OLD).open(sealed))
                .isInstanceOfSatisfying(
                        SealRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TAMPERED))
                .hasMessage("sealed value does not verify under key " + OLD.id());
    }

    @Test
    void anyChangedByteIsRejectedAsTampered() {
        Sealer sealer = Sealer.withKey(OLD);
        byte[] sealed = sealer.seal(PLAIN);
        // every byte after the version and key id: nonce, ciphertext, tag
        for (int i = 5; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            assertThatThrownBy(() -> sealer.open(changed))
                    .as("byte %d changed", i)
                    .isInstanceOfSatisfying(
                            SealRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.TAMPERED));
        }
    }

    @Test
    void aTruncatedValueIsRejected() {
        Sealer sealer = Sealer.withKey(OLD);
        byte[] sealed = sealer.seal(PLAIN);

        assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, sealed.length - 1)))
                .isInstanceOfSatisfying(
                        SealRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.TAMPERED));
        assertThatThrownBy(() -> sealer.open(Arrays.copyOf(sealed, 32)))
                .isInstanceOfSatisfying(
                        SealRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
                .hasMessage("sealed value too short: 32 bytes, at least 33 expected");
    }

    @Test
    void anotherFormatVersionIsRejected() {
        Sealer sealer = Sealer.withKey(OLD);
        byte[] sealed = sealer.seal(PLAIN);
        sealed[0] = 2;

        assertThatThrownBy(() -> sealer.open(sealed))
                .isInstanceOfSatisfying(
                        SealRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_VERSION))
                .hasMessage("sealed value of format version 2, not 1");
    }

    @Test
    void duringARotationValuesOfThePreviousKeyOpenAndNewValuesUseTheCurrentKey() {
        byte[] underOld = Sealer.withKey(OLD).seal(PLAIN);
        Sealer rotated = new Sealer(NEW, OLD);

        assertThat(rotated.open(underOld)).isEqualTo(PLAIN);
        byte[] underNew = rotated.seal(PLAIN);
        assertThat(HexFormat.of().formatHex(underNew, 1, 5)).isEqualTo(NEW.id());
        assertThatThrownBy(() -> Sealer.withKey(OLD).open(underNew))
                .isInstanceOfSatisfying(
                        SealRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    /** Each thread reuses one cipher across keys and after a rejected value; nothing leaks between uses. */
    @Test
    void threadsSealAndOpenUnderBothKeysInAnyOrderAndARejectedValueLeavesTheNextIntact() throws Exception {
        Sealer rotated = new Sealer(NEW, OLD);
        Sealer old = Sealer.withKey(OLD);
        byte[] tampered = rotated.seal(PLAIN);
        tampered[tampered.length - 1] ^= 1;
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                runs.add(threads.submit(() -> {
                    int opened = 0;
                    for (int i = 0; i < 500; i++) {
                        byte[] plain = (thread + ":" + i).getBytes(StandardCharsets.UTF_8);
                        byte[] underOld = old.seal(plain);
                        byte[] underNew = rotated.seal(plain);
                        assertThatThrownBy(() -> rotated.open(tampered))
                                .isInstanceOfSatisfying(
                                        SealRejectedException.class,
                                        e -> assertThat(e.reason()).isEqualTo(Reason.TAMPERED));
                        assertThat(rotated.open(underOld)).isEqualTo(plain);
                        assertThat(rotated.open(underNew)).isEqualTo(plain);
                        opened += 2;
                    }
                    return opened;
                }));
            }
            for (Future<Integer> run : runs) {
                assertThat(run.get()).isEqualTo(1000);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aKeyMustBeBase64OfThirtyTwoBytes() {
        assertThatThrownBy(() -> DataKey.ofBase64("c2hvcnQ="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A data key must have 32 bytes, has 5");
        assertThatThrownBy(() -> DataKey.ofBase64("not base64 at all!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("A data key must be base64 of 32 bytes; it is not base64");
        assertThat(DataKey.ofBase64("tTMOdKPhDnEDaMDEt3VN8PpWdRJU-Pgofp7tVeZ76Po")
                        .id())
                .isEqualTo(OLD.id());
    }
}
