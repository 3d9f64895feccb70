package io.dicomspanner.listener.testing;

import io.dicomspanner.common.seal.DataKey;
import io.dicomspanner.common.seal.SealedCodec;
import io.dicomspanner.common.seal.Sealer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The tests' data key, the one src/test/resources/config/application.yaml gives the listeners under test, and the
 * services the tests start beside them.
 */
public final class TestSealing {

    public static final String KEY = "tTMOdKPhDnEDaMDEt3VN8PpWdRJU+Pgofp7tVeZ76Po=";

    private TestSealing() {}

    /** A codec of the tests' key, for what a test sends or reads as a worker or an entry point would. */
    public static SealedCodec codec() {
        return new SealedCodec(Sealer.withKey(DataKey.ofBase64(KEY)), new SimpleMeterRegistry());
    }
}
