package io.dicomspanner.coordinator.testing;

import io.dicomspanner.common.seal.DataKey;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.Sealer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The tests' data key, the one src/test/resources/config/application.yaml gives the coordinators under test. */
public final class TestSealing {

    public static final String KEY = "tTMOdKPhDnEDaMDEt3VN8PpWdRJU+Pgofp7tVeZ76Po=";

    /** The key a rotation moves to: tests of a rotation make it current and {@link #KEY} the previous one. */
    public static final String NEXT_KEY = "6Js4bRK64p3xk0NdwY+ioGzPI1Bo3f4mQRya51Ft2GU=";

    private TestSealing() {}

    /** A codec of the tests' key, for what a test sends or reads as a worker or an entry point would. */
    public static SealedCodec codec() {
        return codec(KEY);
    }

    /** A codec that seals with this key only. */
    public static SealedCodec codec(String key) {
        return new SealedCodec(Sealer.withKey(DataKey.ofBase64(key)), new SimpleMeterRegistry());
    }
}
