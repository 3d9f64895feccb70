package io.dicomspanner.simulator.data;

/**
 * Seeds for {@link java.util.Random}, whose algorithm the JDK specifies, so a fleet is the same on every JVM. Each
 * patient, study and placement draws from its own stream, so changing one never shifts the others.
 */
final class Seeds {
    private Seeds() {}

    /** SplitMix64's finaliser over the seed and indices: neighbouring indices get unrelated streams. */
    static long mix(long seed, long... indices) {
        long h = seed;
        for (long index : indices) {
            h = finalise(h + 0x9E37_79B9_7F4A_7C15L * (index + 1));
        }
        return finalise(h);
    }

    private static long finalise(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
