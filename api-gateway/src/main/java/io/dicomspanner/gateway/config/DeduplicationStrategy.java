package io.dicomspanner.gateway.config;

import io.dicomspanner.gateway.validation.WireEnum;

/** Which record wins when several sources return the same study, series or instance. */
public enum DeduplicationStrategy implements WireEnum {
    /** The record of the source mapped with the highest priority (1 is highest). */
    FIRST_WINS,
    /** The record with the most attributes present. */
    MOST_COMPLETE,
    /** One record holding every attribute any source returned (higher priority wins on disagreement). */
    MERGE_ALL;
}
