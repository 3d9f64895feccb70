package io.dicomspanner.simulator.config;

/**
 * What a PACS returns for a requested attribute it does not hold at all (an unknown or private attribute, one of a
 * level below the query level, or one it does not store).
 */
public enum UnsupportedKeyReturn {
    /** Present with an empty value, so every requested key comes back. */
    EMPTY,
    /** Left out of the response, as dcmtk's dcmqrscp does for keys it does not index. */
    OMITTED
}
