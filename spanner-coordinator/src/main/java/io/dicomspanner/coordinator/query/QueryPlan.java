package io.dicomspanner.coordinator.query;

import io.dicomspanner.coordinator.config.SpanningConfig;
import io.dicomspanner.dicom.match.QueryMatcher;

/**
 * How a taken query is to be answered, once its config is resolved and its keys are valid.
 *
 * @param recheck the query's matching keys, applied again to every source's results
 * @param retrieveBase the base of its Retrieve URLs, empty for none; part of its answer's cache key
 * @param answerBy when its answer must be out (epoch millis): the entry's deadline less the answer margin
 */
record QueryPlan(SpanningConfig config, QueryMatcher recheck, String retrieveBase, long answerBy) {}
